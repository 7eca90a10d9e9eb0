"""Generate the Aisle demo catalog: ``catalog/products.jsonl`` plus one JPEG per product.

The catalog is hand-written data (below) and the product photos are drawn with Pillow, so
the output is fully deterministic: running the script twice gives byte-identical files.

Usage, from the repository root::

    python -m backend.demo.generate_catalog            # writes backend/demo/catalog/
    python backend/demo/generate_catalog.py --out /tmp/catalog

Only Pillow and the standard library are used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

SEED = 20240611
CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
BASE_URL = "https://shop.example.com/p/"
CURRENCY = "KRW"

IMAGE_SIZE = 160  # output JPEG is IMAGE_SIZE x IMAGE_SIZE
JPEG_QUALITY = 80
UNIT = 4  # drawing happens on a 100x100 unit grid, UNIT px per unit (400 px), then downscaled
WORK = 100 * UNIT

ROW_KEYS = (
    "sku",
    "title",
    "description",
    "brand",
    "category",
    "price",
    "currency",
    "stock",
    "tags",
    "attributes",
    "images",
    "url",
)

CATEGORIES = frozenset(
    {
        "skincare/cream",
        "skincare/serum",
        "skincare/cleanser",
        "skincare/sunscreen",
        "skincare/toner",
        "fashion/tops",
        "fashion/outerwear",
        "fashion/shoes",
        "fashion/bags",
        "fashion/dresses",
        "home/kitchen",
        "home/lighting",
        "home/decor",
        "secondhand/fashion",
        "secondhand/electronics",
        "secondhand/home",
    }
)
SKIN_TYPES = frozenset({"oily", "dry", "combination", "sensitive", "normal"})
CONCERNS = frozenset({"acne", "redness", "dryness", "pores", "pigmentation", "wrinkles", "oiliness"})
CONDITIONS = frozenset({"like_new", "good", "fair"})
# Cosmetic wording only ("soothing", "진정"), never claims to treat or cure anything.
MEDICAL_WORDING = re.compile(r"치료|완치|\b(cures?|treats?|treatment|heals?|therapy)\b", re.I)

Spec = dict[str, Any]

# --------------------------------------------------------------------------------------
# Catalog data
# --------------------------------------------------------------------------------------


def _sk(
    sku: str,
    brand: str,
    sub: str,
    price: int,
    stock: int,
    title: str,
    description: str,
    tags: list[str],
    *,
    skin: list[str],
    concerns: list[str],
    ff: bool,
    shape: str,
    tint: str,
) -> Spec:
    """A skincare product. ``shape``/``tint`` only drive the generated photo."""
    return {
        "sku": sku,
        "title": title,
        "description": description,
        "brand": brand,
        "category": f"skincare/{sub}",
        "price": price,
        "stock": stock,
        "tags": tags,
        "attributes": {"skin_type": skin, "concerns": concerns, "fragrance_free": ff},
        "_shape": shape,
        "_tint": tint,
    }


def _item(
    sku: str,
    brand: str,
    category: str,
    price: int,
    stock: int,
    title: str,
    description: str,
    tags: list[str],
    *,
    color: str,
    material: str,
    shape: str,
    tint: str | None = None,
    pattern: str | None = None,
) -> Spec:
    """A new fashion or home item."""
    return {
        "sku": sku,
        "title": title,
        "description": description,
        "brand": brand,
        "category": category,
        "price": price,
        "stock": stock,
        "tags": tags,
        "attributes": {"color": color, "material": material},
        "_shape": shape,
        "_tint": tint or color,
        "_pattern": pattern,
    }


def _used(
    sku: str,
    brand: str,
    sub: str,
    price: int,
    stock: int,
    title: str,
    description: str,
    tags: list[str],
    *,
    condition: str,
    color: str,
    shape: str,
    tint: str | None = None,
) -> Spec:
    """A second-hand listing (stock is 1 while listed, 0 once sold)."""
    return {
        "sku": sku,
        "title": title,
        "description": description,
        "brand": brand,
        "category": f"secondhand/{sub}",
        "price": price,
        "stock": stock,
        "tags": tags,
        "attributes": {"condition": condition, "color": color},
        "_shape": shape,
        "_tint": tint or color,
    }


# The data tables are laid out by hand, one product per block.
# fmt: off
SKINCARE: list[Spec] = [
    # ---- creams ---------------------------------------------------------------------
    _sk(
        "SK-0001", "Dewlab", "cream", 18000, 42,
        "Dewlab 오일프리 수분크림 (지성 피부용)",
        "지성 피부를 위한 오일프리 수분크림입니다. "
        "가볍게 흡수되어 번들거림 없이 하루 종일 촉촉함을 유지합니다.",
        ["수분크림", "지성", "oily-skin", "oil-free", "moisturizing", "수분"],
        skin=["oily", "combination"], concerns=["oiliness", "pores"], ff=True,
        shape="jar", tint="mint",
    ),
    _sk(
        "SK-0002", "Hanbit", "cream", 45000, 0,
        "한빛 워터젤 수분크림 50ml",
        "지성·복합성 피부를 위한 워터젤 타입 수분크림입니다. "
        "바르는 순간 시원하게 퍼지고 끈적임 없이 마무리되어 여름철 데일리 보습에 좋습니다.",
        ["수분크림", "워터젤", "지성", "복합성", "gel-cream", "hydrating"],
        skin=["oily", "combination"], concerns=["oiliness", "dryness"], ff=False,
        shape="jar", tint="sky",
    ),
    _sk(
        "SK-0003", "Clearday", "cream", 24000, 57,
        "Oil-Free Moisturizer for Oily Skin",
        "A lightweight, oil-free moisturizer for oily skin that hydrates without adding "
        "shine. The water-light gel texture sinks in fast and sits well under sunscreen "
        "and makeup.",
        ["oil-free", "moisturizer", "oily-skin", "지성", "수분크림", "lightweight"],
        skin=["oily"], concerns=["oiliness", "pores"], ff=True,
        shape="pump", tint="sage",
    ),
    _sk(
        "SK-0004", "Soonsoo", "cream", 29000, 33,
        "순수 녹차 수분 젤크림",
        "녹차 추출물을 담은 산뜻한 젤크림으로, 피지가 많은 지성 피부에도 가볍게 수분을 "
        "채워 줍니다. 무향 포뮬러라 향에 민감한 분들도 부담 없이 사용할 수 있습니다.",
        ["녹차", "젤크림", "지성", "수분", "green-tea", "fragrance-free"],
        skin=["oily", "normal"], concerns=["oiliness"], ff=True,
        shape="jar", tint="green",
    ),
    _sk(
        "SK-0005", "Dewlab", "cream", 32000, 21,
        "Dewlab Mattifying Gel Cream",
        "A shine-control gel cream that keeps oily and combination skin looking fresh and "
        "matte through the day. Hydrates lightly and helps pores look refined.",
        ["mattifying", "gel-cream", "oily-skin", "pores", "모공", "번들거림"],
        skin=["oily", "combination"], concerns=["oiliness", "pores"], ff=False,
        shape="tube", tint="lavender",
    ),
    _sk(
        "SK-0006", "Soonsoo", "cream", 27000, 64,
        "순수 시카 진정 크림",
        "병풀 추출물이 예민해진 피부를 편안하게 진정시켜 주는 민감성 피부용 크림입니다. "
        "무향·저자극 포뮬러로 붉어지기 쉬운 피부에 매일 사용하기 좋습니다.",
        ["시카", "진정", "민감성", "cica", "soothing", "무향"],
        skin=["sensitive"], concerns=["redness"], ff=True,
        shape="jar", tint="sage",
    ),
    _sk(
        "SK-0007", "Hanbit", "cream", 38000, 18,
        "한빛 세라마이드 장벽 보습크림",
        "세라마이드와 스쿠알란을 담은 고보습 크림으로 건성 피부의 당김을 편안하게 풀어 "
        "줍니다. 꾸덕한 제형이지만 밀리지 않고 오랫동안 촉촉함이 지속됩니다.",
        ["세라마이드", "건성", "보습", "ceramide", "barrier", "dry-skin"],
        skin=["dry", "sensitive"], concerns=["dryness"], ff=True,
        shape="jar", tint="ivory",
    ),
    _sk(
        "SK-0008", "Mulgyeol", "cream", 42000, 26,
        "Ceramide Barrier Cream for Dry Skin",
        "A rich, comforting cream with ceramides and shea butter for dry, tight-feeling "
        "skin. Leaves a soft, cushiony finish that lasts through cold, dry days.",
        ["ceramide", "barrier", "dry-skin", "rich-cream", "건성", "보습"],
        skin=["dry"], concerns=["dryness"], ff=False,
        shape="pump", tint="ivory",
    ),
    _sk(
        "SK-0009", "Mulgyeol", "cream", 68000, 0,
        "Overnight Firming Night Cream",
        "A velvety night cream with peptides and squalane that leaves skin feeling firmer "
        "and plumper by morning. Best for dry or mature skin that wants extra nourishment.",
        ["night-cream", "firming", "peptide", "wrinkles", "탄력", "주름"],
        skin=["dry", "normal"], concerns=["wrinkles", "dryness"], ff=False,
        shape="jar", tint="navy",
    ),
    _sk(
        "SK-0010", "Mulgyeol", "cream", 56000, 15,
        "물결 펩타이드 탄력 아이크림",
        "눈가 전용 펩타이드 아이크림으로 얇고 건조한 눈가를 촉촉하고 탄탄하게 가꿔 줍니다. "
        "메탈 팁 어플리케이터로 마사지하듯 시원하게 바를 수 있습니다.",
        ["아이크림", "탄력", "주름", "eye-cream", "peptide", "firming"],
        skin=["normal", "dry"], concerns=["wrinkles"], ff=True,
        shape="tube", tint="lavender",
    ),
    _sk(
        "SK-0011", "Clearday", "cream", 19000, 80,
        "Daily Light Cream",
        "An everyday moisturizer with a soft lotion-cream texture for normal skin. "
        "Fragrance-free and easy to layer, it keeps skin comfortable from morning to night.",
        ["daily", "moisturizer", "normal-skin", "fragrance-free", "데일리", "보습"],
        skin=["normal", "combination"], concerns=["dryness"], ff=True,
        shape="pump", tint="white",
    ),
    _sk(
        "SK-0012", "Hanbit", "cream", 22000, 95,
        "한빛 데일리 수분크림 대용량 100ml",
        "온 가족이 함께 쓰기 좋은 대용량 수분크림입니다. 무겁지 않은 로션 같은 크림 "
        "제형이라 세안 후 매일 듬뿍 발라도 부담이 없습니다.",
        ["대용량", "수분크림", "데일리", "family-size", "moisturizing", "보습"],
        skin=["normal", "dry", "combination"], concerns=["dryness"], ff=False,
        shape="jar", tint="pink",
    ),
    # ---- serums ---------------------------------------------------------------------
    _sk(
        "SK-0013", "Dewlab", "serum", 39000, 27,
        "Dewlab 비타민C 15% 브라이트닝 세럼",
        "순수 비타민C 15%를 담은 미백 기능성 세럼으로 칙칙한 피부 톤과 기미·잡티 부위를 "
        "환하게 가꿔 줍니다. 빛에 민감한 성분이라 갈색 차광 용기에 담았습니다.",
        ["비타민c", "미백", "기미", "brightening", "vitamin-c", "serum"],
        skin=["normal", "combination"], concerns=["pigmentation"], ff=False,
        shape="dropper", tint="amber",
    ),
    _sk(
        "SK-0014", "Soonsoo", "serum", 21000, 48,
        "순수 나이아신아마이드 10% 모공 세럼",
        "나이아신아마이드 10%와 아연을 담아 번들거리는 지성 피부의 모공과 피지를 깔끔하게 "
        "관리해 줍니다. 묽은 제형이라 흡수가 빠르고 끈적임이 남지 않습니다.",
        ["나이아신아마이드", "모공", "지성", "niacinamide", "pores", "피지"],
        skin=["oily", "combination"], concerns=["pores", "oiliness"], ff=True,
        shape="dropper", tint="sky",
    ),
    _sk(
        "SK-0015", "Mulgyeol", "serum", 26000, 39,
        "Hyaluronic Hydration Serum",
        "Five weights of hyaluronic acid in a watery serum that floods dry, dehydrated skin "
        "with moisture. Apply on damp skin before your cream for a bouncy, dewy finish.",
        ["hyaluronic-acid", "hydrating", "dry-skin", "serum", "수분", "히알루론산"],
        skin=["dry", "normal", "sensitive"], concerns=["dryness"], ff=True,
        shape="dropper", tint="blue",
    ),
    _sk(
        "SK-0016", "Dewlab", "serum", 48000, 0,
        "Dark Spot Brightening Serum",
        "A tranexamic acid and niacinamide serum that helps dark spots and uneven tone look "
        "less visible over time. Lightweight and suitable for daily use under SPF.",
        ["brightening", "dark-spots", "pigmentation", "tone-up", "미백", "기미"],
        skin=["normal", "combination", "oily"], concerns=["pigmentation"], ff=True,
        shape="dropper", tint="pink",
    ),
    _sk(
        "SK-0017", "Clearday", "serum", 17000, 52,
        "클리어데이 티트리 트러블 진정 앰플",
        "티트리와 병풀 추출물이 트러블이 잦은 피부를 산뜻하게 진정시켜 줍니다. 여드름 "
        "때문에 예민해진 피부에도 매일 가볍게 바를 수 있는 젤 타입 앰플입니다.",
        ["트러블", "여드름", "진정", "tea-tree", "acne-prone", "앰플"],
        skin=["oily", "sensitive"], concerns=["acne", "redness"], ff=False,
        shape="dropper", tint="green",
    ),
    _sk(
        "SK-0018", "Mulgyeol", "serum", 88000, 12,
        "Peptide Firming Serum",
        "A silky serum with a multi-peptide complex and adenosine for skin that looks "
        "firmer and smoother. Layer morning and night before moisturizer.",
        ["peptide", "firming", "wrinkles", "anti-aging", "탄력", "주름"],
        skin=["normal", "dry"], concerns=["wrinkles"], ff=True,
        shape="dropper", tint="gold",
    ),
    _sk(
        "SK-0019", "Soonsoo", "serum", 24000, 44,
        "순수 어성초 77 진정 세럼",
        "어성초 추출물 77%를 담아 붉고 예민해진 피부를 편안하게 가라앉혀 줍니다. "
        "에센스처럼 가벼운 제형으로 민감성 피부의 데일리 진정 케어에 알맞습니다.",
        ["어성초", "진정", "민감성", "soothing", "redness", "heartleaf"],
        skin=["sensitive", "oily"], concerns=["redness", "acne"], ff=True,
        shape="dropper", tint="sage",
    ),
    _sk(
        "SK-0020", "Soonsoo", "serum", 23000, 36,
        "Centella Calming Ampoule",
        "A concentrated centella ampoule that soothes the look of redness and comforts "
        "stressed, sensitive skin. Fragrance-free, alcohol-free and gentle enough for daily "
        "use.",
        ["centella", "cica", "calming", "sensitive-skin", "시카", "진정"],
        skin=["sensitive"], concerns=["redness"], ff=True,
        shape="dropper", tint="mint",
    ),
    # ---- cleansers ------------------------------------------------------------------
    _sk(
        "SK-0021", "Clearday", "cleanser", 12000, 70,
        "클리어데이 약산성 젤 클렌저",
        "pH 5.5 약산성 젤 클렌저로 피지와 노폐물을 말끔하게 씻어내면서도 당김이 적습니다. "
        "트러블이 잦은 지성 피부의 아침 세안용으로 추천합니다.",
        ["약산성", "젤클렌저", "지성", "트러블", "low-ph", "cleanser"],
        skin=["oily", "combination"], concerns=["acne", "oiliness"], ff=True,
        shape="tube", tint="mint",
    ),
    _sk(
        "SK-0022", "Mulgyeol", "cleanser", 14000, 61,
        "Gentle Cream Cleanser",
        "A creamy, non-foaming cleanser that removes sunscreen and light makeup without "
        "stripping dry or sensitive skin. Rinses clean and leaves skin soft.",
        ["cream-cleanser", "gentle", "dry-skin", "sensitive-skin", "저자극", "클렌저"],
        skin=["dry", "sensitive"], concerns=["dryness"], ff=True,
        shape="tube", tint="ivory",
    ),
    _sk(
        "SK-0023", "Hanbit", "cleanser", 9000, 120,
        "한빛 BHA 딥클렌징 폼",
        "BHA 성분이 모공 속 피지와 각질을 부드럽게 정돈해 주는 클렌징 폼입니다. "
        "쫀쫀한 거품으로 번들거리는 T존까지 개운하게 세안할 수 있습니다.",
        ["클렌징폼", "bha", "모공", "지성", "foam-cleanser", "각질"],
        skin=["oily"], concerns=["pores", "oiliness"], ff=False,
        shape="tube", tint="sky",
    ),
    _sk(
        "SK-0024", "Soonsoo", "cleanser", 21000, 34,
        "Green Tea Cleansing Oil",
        "A silky cleansing oil that melts away waterproof sunscreen and makeup, then "
        "emulsifies into a milky rinse. Leaves normal and combination skin clean without a "
        "greasy film.",
        ["cleansing-oil", "double-cleanse", "makeup-remover", "green-tea", "클렌징오일", "녹차"],
        skin=["normal", "combination"], concerns=["pores"], ff=False,
        shape="pump", tint="green",
    ),
    _sk(
        "SK-0025", "Soonsoo", "cleanser", 16000, 29,
        "순수 저자극 클렌징 밀크",
        "우유처럼 부드러운 제형의 저자극 클렌징 밀크로 민감성 피부도 편안하게 메이크업을 "
        "지울 수 있습니다. 세안 후에도 촉촉함이 남아 건조한 계절에 특히 좋습니다.",
        ["클렌징밀크", "저자극", "민감성", "건성", "cleansing-milk", "gentle"],
        skin=["sensitive", "dry"], concerns=["dryness", "redness"], ff=True,
        shape="pump", tint="ivory",
    ),
    _sk(
        "SK-0026", "Clearday", "cleanser", 13000, 47,
        "Clarifying Blemish Cleanser",
        "A salicylic acid gel wash for blemish-prone skin that clears away excess oil and "
        "helps skin look smoother. Use once or twice daily and follow with a light "
        "moisturizer.",
        ["salicylic-acid", "blemish", "acne-prone", "oily-skin", "여드름", "트러블"],
        skin=["oily"], concerns=["acne", "oiliness", "pores"], ff=True,
        shape="tube", tint="blue",
    ),
    # ---- sunscreens -----------------------------------------------------------------
    _sk(
        "SK-0027", "Soonsoo", "sunscreen", 25000, 55,
        "순수 무기자차 선크림 SPF50+ PA++++",
        "100% 무기자차 필터로 만든 민감성 피부용 선크림입니다. 백탁이 적고 눈시림 없이 "
        "순하게 발려 예민한 날에도 편하게 쓸 수 있습니다.",
        ["선크림", "무기자차", "민감성", "spf50+", "mineral", "자외선차단"],
        skin=["sensitive", "dry", "normal"], concerns=["redness"], ff=True,
        shape="tube", tint="yellow",
    ),
    _sk(
        "SK-0028", "Sunveil", "sunscreen", 19000, 88,
        "Invisible Daily Sunscreen SPF50+ PA++++",
        "A clear, weightless sunscreen gel that leaves no white cast on any skin tone. "
        "Dries down to a soft, non-greasy finish that works well for oily and combination "
        "skin.",
        ["sunscreen", "spf50+", "no-white-cast", "oily-skin", "선크림", "자외선차단"],
        skin=["oily", "combination", "normal"], concerns=["oiliness"], ff=False,
        shape="tube", tint="orange",
    ),
    _sk(
        "SK-0029", "Sunveil", "sunscreen", 17000, 0,
        "선베일 산뜻 선젤 SPF50+ PA++++",
        "묽은 젤 제형이라 바르자마자 흡수되어 지성 피부도 번들거림 없이 산뜻하게 "
        "마무리됩니다. 땀과 피지에 강해 야외 활동이 많은 날에도 좋습니다.",
        ["선젤", "선크림", "지성", "spf50+", "sun-gel", "산뜻"],
        skin=["oily", "combination"], concerns=["oiliness"], ff=False,
        shape="tube", tint="sky",
    ),
    _sk(
        "SK-0030", "Dewlab", "sunscreen", 22000, 40,
        "Tone-Up Sun Cream SPF50+ PA+++",
        "A pink-tinted tone-up sunscreen that instantly brightens dull-looking skin while "
        "protecting it from UV. Doubles as a makeup base for a natural, luminous look.",
        ["tone-up", "sunscreen", "spf50+", "brightening", "톤업", "선크림"],
        skin=["normal", "dry", "combination"], concerns=["pigmentation"], ff=False,
        shape="tube", tint="pink",
    ),
    _sk(
        "SK-0031", "Hanbit", "sunscreen", 21000, 38,
        "한빛 수분 선크림 SPF50+ (건성용)",
        "히알루론산과 세라마이드를 더한 수분 선크림으로 건성 피부도 하루 종일 당김 없이 "
        "촉촉합니다. 크림처럼 부드럽게 발려 메이크업 전 단계로도 잘 어울립니다.",
        ["수분선크림", "건성", "spf50+", "보습", "hydrating-sunscreen", "선크림"],
        skin=["dry", "normal"], concerns=["dryness"], ff=False,
        shape="tube", tint="white",
    ),
    _sk(
        "SK-0032", "Sunveil", "sunscreen", 18000, 73,
        "Mineral Sun Stick SPF50+",
        "A compact mineral sunscreen stick for quick, mess-free reapplication over makeup. "
        "Gentle, fragrance-free formula for sensitive skin and on-the-go touch-ups.",
        ["sun-stick", "mineral", "sensitive-skin", "spf50+", "선스틱", "무기자차"],
        skin=["sensitive", "normal"], concerns=["redness"], ff=True,
        shape="stick", tint="yellow",
    ),
    _sk(
        "SK-0033", "Sunveil", "sunscreen", 15000, 66,
        "선베일 온가족 순한 선로션 SPF35 PA+++",
        "자극이 적은 순한 선로션으로 온 가족이 함께 사용할 수 있습니다. 로션처럼 가볍게 "
        "펴 발리고 일반 클렌저로도 쉽게 지워집니다.",
        ["선로션", "순한", "온가족", "spf35", "daily", "family"],
        skin=["normal", "sensitive", "dry"], concerns=["redness"], ff=True,
        shape="pump", tint="orange",
    ),
    # ---- toners ---------------------------------------------------------------------
    _sk(
        "SK-0034", "Hanbit", "toner", 16000, 50,
        "한빛 AHA·BHA 각질 정돈 토너",
        "AHA와 BHA가 묵은 각질을 부드럽게 정돈해 거칠어진 피부결과 모공을 매끈하게 가꿔 "
        "줍니다. 화장솜에 덜어 피지가 많은 T존 위주로 닦아내 주세요.",
        ["각질토너", "aha", "bha", "모공", "지성", "exfoliating"],
        skin=["oily", "combination"], concerns=["pores", "oiliness"], ff=False,
        shape="bottle", tint="sky",
    ),
    _sk(
        "SK-0035", "Mulgyeol", "toner", 18000, 58,
        "Deep Hydrating Toner",
        "A milky, essence-like toner that layers easily for an instant boost of moisture. "
        "Great for dry skin and for the seven-layer method on extra dry days.",
        ["hydrating", "toner", "dry-skin", "layering", "수분토너", "건성"],
        skin=["dry", "normal"], concerns=["dryness"], ff=True,
        shape="bottle", tint="lavender",
    ),
    _sk(
        "SK-0036", "Soonsoo", "toner", 20000, 31,
        "순수 약쑥 진정 토너",
        "약쑥 추출물을 담은 진정 토너로 붉고 열감이 느껴지는 피부를 편안하게 달래 줍니다. "
        "무향·무알코올 포뮬러로 민감성 피부도 매일 사용할 수 있습니다.",
        ["쑥", "진정", "민감성", "mugwort", "calming", "토너"],
        skin=["sensitive"], concerns=["redness"], ff=True,
        shape="bottle", tint="sage",
    ),
    _sk(
        "SK-0037", "Clearday", "toner", 22000, 45,
        "Pore-Refining Toner Pads",
        "Textured cotton pads soaked in a PHA and willow bark toner that gently smooths "
        "rough spots and helps pores look smaller. 70 pads per jar.",
        ["toner-pads", "pores", "pha", "oily-skin", "토너패드", "모공"],
        skin=["oily", "combination"], concerns=["pores"], ff=False,
        shape="jar", tint="blue",
    ),
    _sk(
        "SK-0038", "Dewlab", "toner", 24000, 23,
        "Dewlab 미백 비타 토너",
        "비타민 유도체와 나이아신아마이드를 담은 미백 기능성 토너입니다. 기미와 칙칙함이 "
        "신경 쓰이는 피부 톤을 매일 맑고 환하게 정돈해 줍니다.",
        ["미백", "기미", "비타민", "brightening", "tone", "토너"],
        skin=["normal", "combination"], concerns=["pigmentation"], ff=False,
        shape="bottle", tint="orange",
    ),
    _sk(
        "SK-0039", "Hanbit", "toner", 26000, 37,
        "Rice Essence Toner",
        "A first-step essence toner with fermented rice water that leaves skin soft, smooth "
        "and visibly radiant. Suits normal skin and anyone chasing a healthy glow.",
        ["rice", "essence", "toner", "glow", "쌀", "브라이트닝"],
        skin=["normal", "dry"], concerns=["pigmentation", "dryness"], ff=False,
        shape="bottle", tint="ivory",
    ),
    _sk(
        "SK-0040", "Hanbit", "toner", 15000, 84,
        "한빛 대용량 수분 토너 500ml",
        "넉넉한 500ml 대용량 수분 토너로 화장솜 팩이나 바디까지 아낌없이 쓸 수 있습니다. "
        "끈적임 없이 산뜻하게 흡수되어 건성부터 복합성까지 두루 잘 맞습니다.",
        ["대용량", "수분토너", "건성", "복합성", "big-size", "hydrating"],
        skin=["dry", "normal", "combination"], concerns=["dryness"], ff=True,
        shape="pump", tint="sky",
    ),
]

FASHION: list[Spec] = [
    # ---- tops -----------------------------------------------------------------------
    _item(
        "FA-0001", "Plainweek", "fashion/tops", 19000, 140,
        "Basic Cotton Tee - Black",
        "A midweight 100% cotton crew-neck tee with a clean regular fit. Pre-shrunk and "
        "soft from the first wear: the black tee you will reach for every week.",
        ["t-shirt", "cotton", "basic", "black", "반팔", "블랙"],
        color="black", material="cotton", shape="tshirt",
    ),
    _item(
        "FA-0002", "Plainweek", "fashion/tops", 19000, 126,
        "Basic Cotton Tee - White",
        "The same midweight 100% cotton crew-neck tee in crisp white. Opaque enough to wear "
        "on its own, with a collar that keeps its shape after washing.",
        ["t-shirt", "cotton", "basic", "white", "반팔", "화이트"],
        color="white", material="cotton", shape="tshirt",
    ),
    _item(
        "FA-0003", "Gyeol Studio", "fashion/tops", 24000, 64,
        "결 오버핏 코튼 반팔 티셔츠 - 네이비",
        "어깨선이 살짝 내려오는 오버핏 반팔 티셔츠입니다. 두툼한 20수 면 원단이라 한 장만 "
        "입어도 비침이 없고 세탁 후에도 형태가 잘 유지됩니다.",
        ["반팔티", "오버핏", "면", "네이비", "oversized", "cotton"],
        color="navy", material="cotton", shape="tshirt",
    ),
    _item(
        "FA-0004", "Gyeol Studio", "fashion/tops", 24000, 71,
        "결 오버핏 코튼 반팔 티셔츠 - 화이트",
        "깔끔한 화이트 컬러의 오버핏 반팔 티셔츠로, 두툼한 20수 면 원단이라 비침이 "
        "적습니다. 청바지나 슬랙스 어디에나 무난하게 어울립니다.",
        ["반팔티", "오버핏", "면", "화이트", "oversized", "cotton"],
        color="white", material="cotton", shape="tshirt",
    ),
    _item(
        "FA-0005", "Plainweek", "fashion/tops", 35000, 40,
        "Breton Striped Long Sleeve Tee - Navy",
        "A classic Breton stripe tee in heavyweight cotton jersey, navy stripes on an "
        "off-white base. Boat neckline and a relaxed body that layers well under jackets.",
        ["striped", "long-sleeve", "breton", "navy", "스트라이프", "긴팔"],
        color="navy", material="cotton", shape="longsleeve", tint="ivory", pattern="stripes",
    ),
    _item(
        "FA-0006", "Gyeol Studio", "fashion/tops", 49000, 22,
        "린넨 블렌드 오버셔츠 - 베이지",
        "린넨과 면을 섞어 구김이 덜하고 통기성이 좋은 오버셔츠입니다. 단독으로 입거나 "
        "티셔츠 위에 가볍게 걸쳐 간절기 아우터로도 활용할 수 있습니다.",
        ["셔츠", "린넨", "베이지", "오버셔츠", "linen", "shirt"],
        color="beige", material="linen", shape="shirt",
    ),
    _item(
        "FA-0007", "Northfold", "fashion/tops", 79000, 19,
        "Merino Crew Neck Sweater - Grey",
        "A fine-gauge 100% merino wool sweater that is warm without the bulk. Breathable, "
        "naturally odour-resistant and easy to layer over a collared shirt.",
        ["sweater", "merino", "wool", "grey", "니트", "울"],
        color="grey", material="wool", shape="sweater",
    ),
    _item(
        "FA-0008", "Gyeol Studio", "fashion/tops", 59000, 17,
        "울 블렌드 니트 가디건 - 레드",
        "선명한 레드 컬러가 포인트가 되는 울 블렌드 가디건입니다. 도톰하지만 가벼워서 "
        "셔츠나 반팔 티셔츠 위에 걸치기 좋고, 자개 느낌 단추로 고급스러움을 더했습니다.",
        ["가디건", "니트", "레드", "울", "cardigan", "knit"],
        color="red", material="wool", shape="cardigan",
    ),
    _item(
        "FA-0009", "Plainweek", "fashion/tops", 55000, 0,
        "Heavyweight Hoodie - Black",
        "A 400gsm brushed-back cotton hoodie with a double-layer hood and a roomy kangaroo "
        "pocket. Boxy fit, ribbed cuffs and zero logos.",
        ["hoodie", "cotton", "black", "heavyweight", "후드티", "블랙"],
        color="black", material="cotton", shape="hoodie",
    ),
    _item(
        "FA-0010", "Plainweek", "fashion/tops", 21000, 38,
        "크롭 코튼 반팔 티셔츠 - 레드",
        "허리선이 살짝 드러나는 크롭 기장의 코튼 티셔츠입니다. 하이웨이스트 팬츠나 "
        "스커트와 매치하면 다리가 길어 보이는 효과가 있습니다.",
        ["크롭티", "반팔", "레드", "면", "crop-top", "cotton"],
        color="red", material="cotton", shape="croptee",
    ),
    # ---- outerwear ------------------------------------------------------------------
    _item(
        "FA-0011", "Northfold", "fashion/outerwear", 189000, 11,
        "Wool Blend Long Coat - Camel",
        "A tailored single-breasted coat in a 70% wool blend, cut to below the knee. Notch "
        "lapels, a fully lined body and deep welt pockets make it a winter staple.",
        ["coat", "wool", "camel", "long-coat", "울코트", "겨울"],
        color="camel", material="wool", shape="coat",
    ),
    _item(
        "FA-0012", "Northfold", "fashion/outerwear", 169000, 14,
        "노스폴드 울 블렌드 싱글 코트 - 블랙",
        "울 함량 80%의 블렌드 원단으로 만든 클래식 싱글 코트입니다. 군더더기 없는 블랙 "
        "컬러라 정장과 캐주얼 어디에나 잘 어울리고, 안감까지 꼼꼼하게 마감했습니다.",
        ["코트", "울코트", "블랙", "겨울", "wool-coat", "black"],
        color="black", material="wool", shape="coat",
    ),
    _item(
        "FA-0013", "Northfold", "fashion/outerwear", 99000, 27,
        "Lightweight Puffer Jacket - Navy",
        "A packable puffer filled with recycled synthetic insulation, warm enough for "
        "autumn mornings. Water-repellent shell that stows into its own pocket.",
        ["puffer", "jacket", "navy", "packable", "패딩", "경량"],
        color="navy", material="nylon", shape="puffer",
    ),
    _item(
        "FA-0014", "Gyeol Studio", "fashion/outerwear", 69000, 23,
        "워싱 데님 트러커 재킷",
        "은은한 워싱이 들어간 13온스 데님 트러커 재킷입니다. 입을수록 몸에 맞게 "
        "길들여지고 봄·가을 간절기에 가볍게 걸치기 좋습니다.",
        ["데님자켓", "청자켓", "데님", "간절기", "denim", "jacket"],
        color="blue", material="denim", shape="denim",
    ),
    _item(
        "FA-0015", "Northfold", "fashion/outerwear", 139000, 0,
        "Water-Repellent Trench Coat - Beige",
        "A double-breasted trench in a water-repellent cotton blend with a removable belt "
        "and storm flap. The classic spring layer in a versatile sand beige.",
        ["trench-coat", "beige", "spring", "water-repellent", "트렌치코트", "베이지"],
        color="beige", material="cotton", shape="trench",
    ),
    _item(
        "FA-0016", "Plainweek", "fashion/outerwear", 45000, 46,
        "경량 패딩 조끼 - 블랙",
        "얇고 가벼운 경량 패딩 조끼로 코트나 재킷 안에 레이어드하기 좋습니다. 파우치에 "
        "접어 넣을 수 있어 여행이나 출장에도 챙기기 편합니다.",
        ["패딩조끼", "경량패딩", "블랙", "레이어드", "vest", "puffer"],
        color="black", material="nylon", shape="vest",
    ),
    _item(
        "FA-0017", "Ojak Leather", "fashion/outerwear", 249000, 6,
        "Leather Rider Jacket - Black",
        "A classic rider jacket in soft lambskin leather with an asymmetric zip and "
        "silver-tone hardware. Fitted through the shoulders and supple from day one.",
        ["leather-jacket", "rider", "black", "lambskin", "가죽자켓", "라이더"],
        color="black", material="leather", shape="rider",
    ),
    # ---- shoes ----------------------------------------------------------------------
    _item(
        "FA-0018", "Stepform", "fashion/shoes", 59000, 52,
        "Classic Canvas Sneakers - White",
        "Low-top canvas sneakers with a vulcanised rubber sole and cushioned insole. Clean, "
        "simple and easy to pair with everything from denim to dresses.",
        ["sneakers", "canvas", "white", "low-top", "스니커즈", "운동화"],
        color="white", material="canvas", shape="sneaker",
    ),
    _item(
        "FA-0019", "Stepform", "fashion/shoes", 59000, 44,
        "Classic Canvas Sneakers - Black",
        "The same low-top canvas sneaker in all-black, with a black rubber sole that hides "
        "everyday wear. Cushioned insole for all-day comfort.",
        ["sneakers", "canvas", "black", "low-top", "스니커즈", "블랙"],
        color="black", material="canvas", shape="sneaker",
    ),
    _item(
        "FA-0020", "Stepform", "fashion/shoes", 89000, 30,
        "스텝폼 쿠션 러닝화 - 네이비",
        "통기성 좋은 메시 갑피와 반발력 있는 쿠셔닝 미드솔을 적용한 러닝화입니다. "
        "가벼운 조깅부터 하루 종일 걷는 날까지 발이 편안합니다.",
        ["러닝화", "운동화", "네이비", "쿠셔닝", "running", "sneakers"],
        color="navy", material="mesh", shape="runner",
    ),
    _item(
        "FA-0021", "Ojak Leather", "fashion/shoes", 129000, 13,
        "소가죽 첼시 부츠 - 블랙",
        "부드러운 천연 소가죽으로 만든 첼시 부츠입니다. 양옆 밴딩과 뒤꿈치 고리 덕분에 "
        "신고 벗기 편하고, 미끄럼 방지 고무창을 덧댔습니다.",
        ["첼시부츠", "가죽", "블랙", "부츠", "chelsea-boots", "leather"],
        color="black", material="leather", shape="boot",
    ),
    _item(
        "FA-0022", "Stepform", "fashion/shoes", 99000, 25,
        "Leather Court Sneakers - White",
        "Minimal court sneakers in full-grain white leather with a stitched cupsole. Smart "
        "enough for the office, comfortable enough for the weekend.",
        ["sneakers", "leather", "white", "minimal", "가죽스니커즈", "화이트"],
        color="white", material="leather", shape="sneaker",
    ),
    _item(
        "FA-0023", "Stepform", "fashion/shoes", 65000, 0,
        "캔버스 하이탑 스니커즈 - 레드",
        "발목을 감싸는 하이탑 디자인의 캔버스 스니커즈입니다. 선명한 레드 컬러로 무채색 "
        "코디에 포인트를 주기 좋습니다.",
        ["하이탑", "스니커즈", "레드", "캔버스", "high-top", "canvas"],
        color="red", material="canvas", shape="hightop",
    ),
    # ---- bags -----------------------------------------------------------------------
    _item(
        "FA-0024", "Ojak Leather", "fashion/bags", 129000, 18,
        "Leather Crossbody Bag - Black",
        "A compact crossbody in pebbled cowhide leather with an adjustable strap and "
        "magnetic flap. Fits a phone, cardholder and keys with room to spare.",
        ["crossbody", "leather", "black", "bag", "가죽가방", "크로스백"],
        color="black", material="leather", shape="crossbody",
    ),
    _item(
        "FA-0025", "Ojak Leather", "fashion/bags", 159000, 9,
        "오작 소가죽 토트백 - 브라운",
        "탄탄한 소가죽으로 만든 데일리 토트백입니다. 13인치 노트북과 서류가 넉넉히 "
        "들어가며, 쓸수록 자연스럽게 색이 깊어집니다.",
        ["토트백", "가죽", "브라운", "출근가방", "tote", "leather"],
        color="brown", material="leather", shape="handbag",
    ),
    _item(
        "FA-0026", "Plainweek", "fashion/bags", 25000, 90,
        "Canvas Tote Bag - Natural",
        "A heavy 16oz cotton canvas tote with long shoulder straps and an inner zip pocket. "
        "Sturdy enough for groceries, laptops and beach days.",
        ["tote", "canvas", "eco-bag", "natural", "에코백", "캔버스"],
        color="beige", material="canvas", shape="tote",
    ),
    _item(
        "FA-0027", "Northfold", "fashion/bags", 69000, 28,
        "나일론 데일리 백팩 - 네이비",
        "가볍고 튼튼한 나일론 소재의 데일리 백팩입니다. 15인치 노트북 수납공간과 생활 방수 "
        "원단으로 출퇴근과 통학에 모두 잘 맞습니다.",
        ["백팩", "나일론", "네이비", "노트북가방", "backpack", "nylon"],
        color="navy", material="nylon", shape="backpack",
    ),
    _item(
        "FA-0028", "Ojak Leather", "fashion/bags", 99000, 15,
        "Mini Leather Shoulder Bag - Red",
        "A structured mini shoulder bag in glossy red leather with a gold-tone clasp. Just "
        "big enough for the essentials, and a bold pop of colour on any outfit.",
        ["shoulder-bag", "mini-bag", "leather", "red", "미니백", "레드"],
        color="red", material="leather", shape="minibag",
    ),
    # ---- dresses --------------------------------------------------------------------
    _item(
        "FA-0029", "Gyeol Studio", "fashion/dresses", 79000, 20,
        "코튼 셔츠 원피스 - 네이비",
        "탄탄한 코튼 포플린 소재의 롱 셔츠 원피스입니다. 허리 스트링으로 실루엣을 조절할 "
        "수 있고, 단추를 열어 가벼운 아우터처럼 걸쳐 입어도 좋습니다.",
        ["원피스", "셔츠원피스", "네이비", "면", "dress", "cotton"],
        color="navy", material="cotton", shape="shirtdress",
    ),
    _item(
        "FA-0030", "Gyeol Studio", "fashion/dresses", 89000, 16,
        "Knit Midi Dress - Black",
        "A ribbed knit midi dress with a mock neck and long sleeves that skims the body "
        "without clinging. Pair with boots in winter or sneakers in spring.",
        ["dress", "knit", "midi", "black", "니트원피스", "블랙"],
        color="black", material="viscose", shape="knitdress",
    ),
]

HOME: list[Spec] = [
    _item(
        "HM-0001", "Maru Home", "home/kitchen", 15000, 75,
        "마루홈 스톤웨어 머그컵 350ml - 화이트",
        "손으로 유약을 입혀 하나하나 표정이 다른 스톤웨어 머그컵입니다. 350ml 넉넉한 "
        "용량이라 커피나 차를 담기 좋고, 식기세척기와 전자레인지 사용이 가능합니다.",
        ["머그컵", "스톤웨어", "화이트", "커피잔", "mug", "ceramic"],
        color="white", material="stoneware", shape="mug",
    ),
    _item(
        "HM-0002", "Maru Home", "home/kitchen", 15000, 60,
        "마루홈 스톤웨어 머그컵 350ml - 네이비",
        "깊은 네이비 유약이 은은하게 흘러내린 스톤웨어 머그컵입니다. 화이트 컬러와 함께 "
        "커플 머그로 구성하기 좋습니다.",
        ["머그컵", "스톤웨어", "네이비", "커플머그", "mug", "ceramic"],
        color="navy", material="stoneware", shape="mug",
    ),
    _item(
        "HM-0003", "Sodam Living", "home/kitchen", 22000, 48,
        "Double-Wall Glass Tumbler Set of 2",
        "Heat-resistant borosilicate double-wall glasses that keep drinks hot or iced "
        "without condensation. 300ml each, great for lattes and cold brew.",
        ["glass", "tumbler", "double-wall", "coffee", "유리컵", "이중유리"],
        color="clear", material="glass", shape="glasses",
    ),
    _item(
        "HM-0004", "Maru Home", "home/kitchen", 89000, 12,
        "Enamel Cast Iron Casserole 20cm - Red",
        "A heavy cast iron pot with a glossy red enamel finish that holds heat evenly for "
        "stews, braises and bread. Works on gas, induction and in the oven.",
        ["cast-iron", "pot", "red", "induction", "무쇠냄비", "주물냄비"],
        color="red", material="cast iron", shape="pot",
    ),
    _item(
        "HM-0005", "Sodam Living", "home/kitchen", 28000, 35,
        "소담리빙 아카시아 원목 도마",
        "단단한 아카시아 원목을 통으로 가공한 도마입니다. 칼자국이 잘 남지 않고 손잡이 "
        "구멍이 있어 걸어서 보관하기 좋으며, 서빙 보드로도 활용할 수 있습니다.",
        ["도마", "원목", "아카시아", "주방", "cutting-board", "wood"],
        color="brown", material="wood", shape="board",
    ),
    _item(
        "HM-0006", "Maru Home", "home/kitchen", 32000, 26,
        "Hand-Thrown Ceramic Plate Set of 2 - Oat",
        "Two 22cm dinner plates thrown by hand in a soft oat glaze with a speckled finish. "
        "Each plate is slightly different; dishwasher safe.",
        ["plate", "ceramic", "tableware", "handmade", "접시", "식기"],
        color="beige", material="ceramic", shape="plate",
    ),
    _item(
        "HM-0007", "Sodam Living", "home/lighting", 39000, 41,
        "LED 무드등 테이블 램프",
        "전구색부터 주광색까지 3단계로 밝기와 색을 조절할 수 있는 LED 테이블 램프입니다. "
        "부드러운 패브릭 갓이 빛을 은은하게 퍼뜨려 침실 무드등으로 좋습니다.",
        ["무드등", "조명", "테이블램프", "침실", "lamp", "led"],
        color="white", material="fabric", shape="tablelamp",
    ),
    _item(
        "HM-0008", "Sodam Living", "home/lighting", 119000, 8,
        "Linen Shade Floor Lamp",
        "A slim oak-finish floor lamp topped with a natural linen drum shade that casts a "
        "soft, warm glow. 150cm tall with a foot switch.",
        ["floor-lamp", "linen", "lighting", "living-room", "장스탠드", "조명"],
        color="beige", material="linen", shape="floorlamp",
    ),
    _item(
        "HM-0009", "Maru Home", "home/lighting", 69000, 0,
        "황동 미니 스탠드 조명",
        "빈티지한 황동 소재의 미니 스탠드 조명입니다. 책상이나 협탁 위에 두기 좋은 "
        "크기이고, 시간이 지나며 자연스럽게 생기는 색 변화도 멋스럽습니다.",
        ["스탠드", "황동", "조명", "빈티지", "brass", "desk-lamp"],
        color="gold", material="brass", shape="desklamp",
    ),
    _item(
        "HM-0010", "Sodam Living", "home/lighting", 49000, 33,
        "Rechargeable Cordless Table Lamp - Black",
        "A portable LED lamp with a touch dimmer and up to 12 hours of light per charge. "
        "Move it from the dining table to the balcony without a cable in sight.",
        ["cordless", "table-lamp", "black", "rechargeable", "무선조명", "조명"],
        color="black", material="aluminium", shape="domelamp",
    ),
    _item(
        "HM-0011", "Maru Home", "home/decor", 18000, 57,
        "린넨 쿠션 커버 45x45 - 그레이",
        "워싱 처리로 부드러운 촉감을 살린 린넨 100% 쿠션 커버입니다. 숨은 지퍼로 깔끔하게 "
        "마감했고, 소파나 침대 어디에 두어도 차분한 분위기를 더해 줍니다.",
        ["쿠션커버", "린넨", "그레이", "거실", "cushion", "linen"],
        color="grey", material="linen", shape="cushion",
    ),
    _item(
        "HM-0012", "Sodam Living", "home/decor", 29000, 39,
        "Boucle Cushion - Ivory",
        "A plump cushion in textured ivory boucle with a feather-blend insert included. "
        "Adds instant softness and texture to a sofa or reading chair.",
        ["cushion", "boucle", "ivory", "sofa", "쿠션", "부클"],
        color="ivory", material="polyester", shape="boucle",
    ),
    _item(
        "HM-0013", "Maru Home", "home/decor", 35000, 21,
        "테라코타 세라믹 화병",
        "흙의 질감이 그대로 느껴지는 무광 테라코타 화병입니다. 생화는 물론 드라이플라워나 "
        "나뭇가지 한 줄기만 꽂아도 공간에 따뜻한 포인트가 됩니다.",
        ["화병", "꽃병", "테라코타", "인테리어", "vase", "ceramic"],
        color="terracotta", material="ceramic", shape="vase",
    ),
    _item(
        "HM-0014", "Sodam Living", "home/decor", 19000, 64,
        "Soy Candle - Fig & Cedar",
        "A hand-poured soy wax candle with notes of green fig and cedarwood in a reusable "
        "amber glass jar. Around 40 hours of clean, even burn.",
        ["candle", "soy-wax", "fig", "home-fragrance", "캔들", "향초"],
        color="brown", material="soy wax", shape="candle", tint="amber",
    ),
    _item(
        "HM-0015", "Maru Home", "home/decor", 27000, 30,
        "Glass Bud Vase Trio - Green",
        "Three small mouth-blown glass bud vases in graduated heights and a soft "
        "bottle-green tint. Perfect for single stems on a windowsill or dining table.",
        ["vase", "glass", "green", "bud-vase", "화병", "유리"],
        color="green", material="glass", shape="budvases",
    ),
]

SECONDHAND: list[Spec] = [
    # ---- fashion --------------------------------------------------------------------
    _used(
        "SH-0001", "Northfold", "fashion", 80000, 1,
        "[중고] 노스폴드 울 코트 블랙 M",
        "2번 착용, 사이즈 M입니다. 보풀이나 오염 없이 깨끗하고 드라이클리닝 후 "
        "보관했어요. 직거래는 강남역 근처에서 가능합니다.",
        ["중고", "코트", "울코트", "블랙", "used", "wool-coat"],
        condition="like_new", color="black", shape="coat",
    ),
    _used(
        "SH-0002", "Stepform", "fashion", 25000, 1,
        "[Used] Stepform Canvas Sneakers - White, 260mm",
        "Used twice, minor scuffs on the sole. Uppers are clean, laces and insoles are "
        "original, and the box is included.",
        ["used", "sneakers", "white", "260", "중고", "운동화"],
        condition="good", color="white", shape="sneaker",
    ),
    _used(
        "SH-0003", "Ojak Leather", "fashion", 45000, 1,
        "[중고] 오작 가죽 크로스백 블랙",
        "1년 정도 데일리로 들었어요. 모서리 가죽이 약간 닳았고 안쪽은 깨끗합니다. "
        "더스트백 같이 드려요.",
        ["중고", "크로스백", "가죽가방", "블랙", "used", "leather-bag"],
        condition="good", color="black", shape="crossbody",
    ),
    _used(
        "SH-0004", "Gyeol Studio", "fashion", 18000, 0,
        "[Used] Denim Trucker Jacket, size L",
        "Worn for about two seasons and nicely faded. Small mark on the left cuff and one "
        "button slightly loose, priced accordingly.",
        ["used", "denim", "jacket", "size-l", "중고", "청자켓"],
        condition="fair", color="blue", shape="denim",
    ),
    _used(
        "SH-0005", "Gyeol Studio", "fashion", 45000, 1,
        "[중고] 결 니트 미디 원피스 블랙 S (택 있음)",
        "선물 받았는데 사이즈가 안 맞아서 한 번도 안 입었어요. 택 그대로 있고 보관만 "
        "했습니다. 반값택배 가능해요.",
        ["중고", "원피스", "니트", "블랙", "like-new", "dress"],
        condition="like_new", color="black", shape="knitdress",
    ),
    # ---- electronics ----------------------------------------------------------------
    _used(
        "SH-0006", "Ondo Audio", "electronics", 95000, 1,
        "[Used] Ondo Audio Wireless Noise-Cancelling Headphones",
        "Bought last year, used mostly at home. Battery still lasts about 25 hours; light "
        "wear on the headband. Comes with the case and a USB-C cable.",
        ["used", "headphones", "wireless", "noise-cancelling", "중고", "헤드폰"],
        condition="good", color="black", shape="headphones",
    ),
    _used(
        "SH-0007", "Ondo Audio", "electronics", 45000, 1,
        "[중고] 온도오디오 블루투스 스피커 그레이 (풀박스)",
        "3개월 정도 사용했고 기스 없이 깨끗합니다. 박스와 충전 케이블 모두 있어요. "
        "음질 문제 없습니다.",
        ["중고", "블루투스스피커", "스피커", "그레이", "used", "speaker"],
        condition="like_new", color="grey", shape="speaker",
    ),
    _used(
        "SH-0008", "Lumacam", "electronics", 420000, 1,
        "[Used] Lumacam Mirrorless Camera Body - 12k shutter count",
        "Shutter count around 12,000. Sensor is clean; small scuff on the bottom plate from "
        "a tripod mount. Includes two batteries and the charger, no lens.",
        ["used", "camera", "mirrorless", "body-only", "중고", "카메라"],
        condition="good", color="black", shape="camera",
    ),
    _used(
        "SH-0009", "Kaon Tech", "electronics", 150000, 1,
        "[중고] 가온테크 10인치 태블릿 64GB 실버",
        "2년 사용했고 화면에 생활기스 약간 있어요. 배터리 성능은 괜찮고 케이스 끼워서 "
        "써서 모서리는 깨끗합니다. 충전기 포함입니다.",
        ["중고", "태블릿", "64gb", "실버", "used", "tablet"],
        condition="fair", color="silver", shape="tablet",
    ),
    _used(
        "SH-0010", "Kaon Tech", "electronics", 55000, 1,
        "[Used] Mechanical Keyboard, Brown Switches - White",
        "Tenkeyless layout and every key works. Slight shine on the space bar, otherwise "
        "in great shape. USB-C cable included.",
        ["used", "keyboard", "mechanical", "tenkeyless", "중고", "키보드"],
        condition="good", color="white", shape="keyboard",
    ),
    _used(
        "SH-0011", "Ondo Audio", "electronics", 30000, 0,
        "[중고] 무선 이어폰 화이트 (배터리 사용감)",
        "1년 반 정도 썼습니다. 왼쪽 유닛 배터리가 조금 빨리 닳는 편이라 저렴하게 올려요. "
        "케이스에 잔기스 있습니다.",
        ["중고", "무선이어폰", "이어폰", "화이트", "used", "earbuds"],
        condition="fair", color="white", shape="earbuds",
    ),
    # ---- home -----------------------------------------------------------------------
    _used(
        "SH-0012", "Maru Home", "home", 40000, 1,
        "[중고] 원목 사이드 테이블 (이사 정리)",
        "이사 때문에 정리합니다. 상판에 컵 자국이 조금 있지만 흔들림 없이 튼튼해요. "
        "직접 가져가실 분만 연락 주세요.",
        ["중고", "사이드테이블", "원목", "이사정리", "used", "side-table"],
        condition="good", color="brown", shape="sidetable",
    ),
    _used(
        "SH-0013", "Maru Home", "home", 15000, 1,
        "[Used] Maru Home Ceramic Vase - White, like new",
        "Displayed on a shelf for a few months and never held water. No chips or cracks. "
        "Pickup preferred, but I can ship with extra padding.",
        ["used", "vase", "ceramic", "white", "중고", "화병"],
        condition="like_new", color="white", shape="vase",
    ),
    _used(
        "SH-0014", "Sodam Living", "home", 12000, 1,
        "[중고] LED 스탠드 조명 블랙 (사용감 있음)",
        "책상에서 2년 정도 사용했어요. 밝기 조절 잘 되고 받침대에 생활기스가 좀 있습니다. "
        "박스는 없어요.",
        ["중고", "스탠드", "조명", "블랙", "used", "desk-lamp"],
        condition="fair", color="black", shape="desklamp",
    ),
    _used(
        "SH-0015", "Maru Home", "home", 10000, 1,
        "[Used] Set of 4 Stoneware Mugs - Oat",
        "Four matching mugs, lightly used. One has a tiny chip on the base (nowhere near "
        "the rim). Selling as a set only.",
        ["used", "mugs", "stoneware", "set-of-4", "중고", "머그컵"],
        condition="fair", color="beige", shape="mug",
    ),
]
# fmt: on

PRODUCTS: list[Spec] = [*SKINCARE, *FASHION, *HOME, *SECONDHAND]

# --------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]

COLORS: dict[str, RGB] = {
    "black": (38, 38, 42),
    "white": (247, 247, 244),
    "navy": (34, 48, 92),
    "red": (192, 38, 44),
    "grey": (138, 140, 146),
    "beige": (214, 194, 158),
    "brown": (124, 78, 46),
    "blue": (72, 112, 170),
    "green": (72, 132, 88),
    "camel": (192, 142, 86),
    "ivory": (241, 235, 216),
    "gold": (204, 166, 78),
    "silver": (192, 194, 200),
    "terracotta": (196, 102, 66),
    "clear": (196, 222, 228),
    "mint": (160, 216, 196),
    "sage": (150, 178, 140),
    "pink": (242, 178, 190),
    "sky": (158, 200, 236),
    "lavender": (196, 180, 226),
    "amber": (176, 104, 36),
    "yellow": (246, 204, 86),
    "orange": (240, 150, 70),
}

BACKGROUNDS: dict[str, tuple[RGB, RGB]] = {
    "skincare": ((251, 245, 243), (236, 226, 224)),
    "fashion": ((243, 244, 246), (222, 226, 231)),
    "home": ((249, 245, 237), (231, 224, 211)),
    "secondhand": ((190, 170, 142), (148, 126, 100)),
}

TRANSPARENT: RGBA = (0, 0, 0, 0)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(c: RGB, f: float) -> RGB:
    return _mix(c, (0, 0, 0), 1.0 - f)


def light(c: RGB, t: float) -> RGB:
    return _mix(c, (255, 255, 255), t)


def luma(c: RGB) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def edge(c: RGB) -> RGB:
    """Outline colour: visible on light backgrounds for light and dark fills alike."""
    return shade(c, 0.55) if luma(c) > 70 else (18, 18, 20)


def detail(c: RGB) -> RGB:
    """Seams, stitching and similar lines drawn on top of a fill."""
    return light(c, 0.28) if luma(c) < 90 else shade(c, 0.72)


def cap_color(c: RGB) -> RGB:
    return light(c, 0.75) if luma(c) < 110 else shade(c, 0.7)


def rgba(c: RGB, a: int = 255) -> RGBA:
    return (c[0], c[1], c[2], a)


class Pen:
    """Draws on a transparent layer using a 100x100 unit coordinate system."""

    def __init__(self, layer: Image.Image) -> None:
        self.layer = layer
        self.d = ImageDraw.Draw(layer)

    @staticmethod
    def _pts(pts: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * UNIT, y * UNIT) for x, y in pts]

    @staticmethod
    def _box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * UNIT, y0 * UNIT, x1 * UNIT, y1 * UNIT]

    @staticmethod
    def _ink(c: RGB | RGBA | None) -> RGBA | None:
        if c is None:
            return None
        return c if len(c) == 4 else rgba(c)  # type: ignore[return-value]

    def poly(
        self,
        pts: Sequence[tuple[float, float]],
        fill: RGB | RGBA | None,
        outline: RGB | RGBA | None = None,
        width: float = 0.8,
    ) -> None:
        self.d.polygon(
            self._pts(pts),
            fill=self._ink(fill),
            outline=self._ink(outline),
            width=max(1, round(width * UNIT)) if outline else 0,
        )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: RGB | RGBA | None,
        outline: RGB | RGBA | None = None,
        r: float = 0,
        width: float = 0.8,
    ) -> None:
        self.d.rounded_rectangle(
            self._box(x0, y0, x1, y1),
            radius=r * UNIT,
            fill=self._ink(fill),
            outline=self._ink(outline),
            width=max(1, round(width * UNIT)) if outline else 0,
        )

    def ellipse(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: RGB | RGBA | None,
        outline: RGB | RGBA | None = None,
        width: float = 0.8,
    ) -> None:
        self.d.ellipse(
            self._box(x0, y0, x1, y1),
            fill=self._ink(fill),
            outline=self._ink(outline),
            width=max(1, round(width * UNIT)) if outline else 0,
        )

    def chord(
        self,
        box: tuple[float, float, float, float],
        start: float,
        end: float,
        fill: RGB | RGBA | None,
        outline: RGB | RGBA | None = None,
        width: float = 0.8,
    ) -> None:
        self.d.chord(
            self._box(*box),
            start,
            end,
            fill=self._ink(fill),
            outline=self._ink(outline),
            width=max(1, round(width * UNIT)) if outline else 0,
        )

    def line(self, pts: Sequence[tuple[float, float]], fill: RGB | RGBA, width: float = 0.8) -> None:
        self.d.line(self._pts(pts), fill=self._ink(fill), width=max(1, round(width * UNIT)), joint="curve")

    def arc(
        self,
        box: tuple[float, float, float, float],
        start: float,
        end: float,
        fill: RGB | RGBA,
        width: float = 0.8,
    ) -> None:
        self.d.arc(self._box(*box), start, end, fill=self._ink(fill), width=round(width * UNIT))

    def dot(self, x: float, y: float, r: float, fill: RGB | RGBA) -> None:
        self.ellipse(x - r, y - r, x + r, y + r, fill)


def _mirror(pts: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(100 - x, y) for x, y in pts]


def _lerp(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _label(p: Pen, c: RGB, x0: float, y0: float, x1: float, y1: float) -> None:
    """A product label with two lines of 'text'."""
    p.rect(x0, y0, x1, y1, light(c, 0.78) if luma(c) > 60 else light(c, 0.9))
    ink = (70, 70, 76)
    mid = (x0 + x1) / 2
    span = (x1 - x0) / 2
    p.line(
        [(mid - span * 0.62, y0 + (y1 - y0) * 0.36), (mid + span * 0.62, y0 + (y1 - y0) * 0.36)],
        ink,
        1.6,
    )
    p.line(
        [(mid - span * 0.4, y0 + (y1 - y0) * 0.68), (mid + span * 0.4, y0 + (y1 - y0) * 0.68)],
        (130, 130, 136),
        0.9,
    )


# ---- skincare packaging --------------------------------------------------------------


def draw_jar(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(22, 50, 78, 86, c, edge(c), r=7)
    p.rect(25, 36, 75, 51, cap_color(c), edge(cap_color(c)), r=4)
    p.line([(27, 40), (73, 40)], light(cap_color(c), 0.35), 0.8)
    _label(p, c, 25, 59, 75, 77)


def draw_pump(p: Pen, c: RGB, rng: random.Random) -> None:
    cap = cap_color(c)
    p.rect(31, 40, 69, 88, c, edge(c), r=9)
    p.rect(46.5, 22, 53.5, 33, cap, edge(cap))
    p.rect(42, 30, 58, 41, cap, edge(cap), r=2)
    p.rect(37, 16, 60, 23, cap, edge(cap), r=2)
    p.rect(58, 17, 73, 21, cap, edge(cap), r=1)
    _label(p, c, 31, 56, 69, 76)


def draw_bottle(p: Pen, c: RGB, rng: random.Random) -> None:
    cap = cap_color(c)
    p.rect(42, 26, 58, 38, c, edge(c))
    p.rect(32, 34, 68, 88, c, edge(c), r=12)
    p.rect(40, 11, 60, 27, cap, edge(cap), r=3)
    p.line([(36, 44), (36, 80)], light(c, 0.5), 1.4)  # highlight
    _label(p, c, 32, 54, 68, 74)


def draw_dropper(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(43, 40, 57, 50, c, edge(c))
    p.rect(34, 47, 66, 88, c, edge(c), r=9)
    collar = (46, 44, 48) if luma(c) > 120 else (214, 186, 120)
    p.rect(40, 30, 60, 42, collar, edge(collar), r=2)
    p.ellipse(42, 10, 58, 34, (40, 38, 42), (20, 20, 22))
    p.line([(38, 56), (38, 82)], light(c, 0.5), 1.4)
    _label(p, c, 34, 60, 66, 78)


def draw_tube(p: Pen, c: RGB, rng: random.Random) -> None:
    cap = cap_color(c)
    p.rect(39, 74, 61, 90, cap, edge(cap), r=2)
    p.poly([(37, 76), (63, 76), (72, 17), (28, 17)], c, edge(c))
    p.rect(26, 10, 74, 18, shade(c, 0.88), edge(c), r=1)
    for x in range(30, 72, 4):
        p.line([(x, 11.5), (x, 16.5)], shade(c, 0.72), 0.5)
    _label(p, c, 35, 32, 65, 54)


def draw_stick(p: Pen, c: RGB, rng: random.Random) -> None:
    cap = cap_color(c)
    p.rect(35, 38, 65, 88, c, edge(c), r=6)
    p.rect(35, 14, 65, 42, cap, edge(cap), r=6)
    p.rect(35, 38, 65, 44, shade(c, 0.8), edge(c))
    _label(p, c, 35, 54, 65, 74)


# ---- fashion ---------------------------------------------------------------------------

TEE = [(38, 16), (44, 14), (50, 20), (56, 14), (62, 16), (84, 29), (78, 42), (68, 37)]
LONG = [(38, 16), (44, 14), (50, 20), (56, 14), (62, 16), (76, 24), (88, 74), (80, 77), (68, 40)]


def _garment(top: Sequence[tuple[float, float]], hem: float) -> list[tuple[float, float]]:
    """Close a right-half outline (shoulder to armpit) into a full symmetric garment."""
    right = top[4:]  # from right shoulder to right armpit
    left = _mirror(right)[::-1]
    arm_x = right[-1][0]
    return [*top[:4], *right, (arm_x, hem), (100 - arm_x, hem), *left]


def _stripes(p: Pen, outline: list[tuple[float, float]], c: RGB, y0: float, step: float) -> None:
    mask = Image.new("L", p.layer.size, 0)
    ImageDraw.Draw(mask).polygon(Pen._pts(outline), fill=255)
    bands = Image.new("L", p.layer.size, 0)
    bd = ImageDraw.Draw(bands)
    y = y0
    while y < 100:
        bd.rectangle([0, y * UNIT, WORK, (y + step / 2) * UNIT], fill=255)
        y += step
    solid = Image.new("RGBA", p.layer.size, rgba(c))
    p.layer.paste(solid, (0, 0), ImageChops.multiply(mask, bands))


def _sleeve_lines(p: Pen, c: RGB, fracs: Sequence[float]) -> None:
    for t in fracs:
        a = _lerp((76, 24), (88, 74), t)
        b = _lerp((68, 40), (80, 77), t)
        p.line([a, b], c, 0.7)
        p.line(_mirror([a, b]), c, 0.7)


def _cuffs(p: Pen, c: RGB) -> None:
    _sleeve_lines(p, c, [0.9])


def draw_tshirt(p: Pen, c: RGB, rng: random.Random, hem: float = 88) -> None:
    pts = _garment(TEE, hem)
    p.poly(pts, c, edge(c))
    p.line([(44, 14), (50, 20), (56, 14)], detail(c), 1.6)
    p.line([(81.5, 28), (75.6, 40.7)], detail(c), 0.6)
    p.line(_mirror([(81.5, 28), (75.6, 40.7)]), detail(c), 0.6)
    p.line([(32, hem - 3), (68, hem - 3)], detail(c), 0.6)


def draw_croptee(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_tshirt(p, c, rng, hem=66)


def draw_longsleeve(
    p: Pen, c: RGB, rng: random.Random, pattern: str | None = None, stripe: RGB | None = None
) -> None:
    pts = _garment(LONG, 88)
    p.poly(pts, c)
    if pattern == "stripes" and stripe is not None:
        _stripes(p, pts, stripe, 26, 7)
    p.poly(pts, None, edge(c if stripe is None else stripe))
    p.line([(44, 14), (50, 20), (56, 14)], detail(c), 1.4)
    _cuffs(p, detail(c))


def draw_sweater(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_longsleeve(p, c, rng)
    p.rect(32, 82, 68, 88, shade(c, 0.9), edge(c))
    for x in range(34, 68, 2):
        p.line([(x, 83), (x, 87)], shade(c, 0.75), 0.3)
    p.line([(43, 14), (50, 22), (57, 14)], shade(c, 0.8), 2.2)


def draw_cardigan(p: Pen, c: RGB, rng: random.Random) -> None:
    pts = _garment(LONG, 88)
    p.poly(pts, c, edge(c))
    p.poly([(44, 14), (50, 34), (56, 14)], light(c, 0.85), edge(c))
    p.line([(50, 34), (50, 88)], detail(c), 0.8)
    for y in (42, 52, 62, 72, 82):
        p.dot(52.5, y, 1.4, (238, 232, 222))
    p.rect(32, 83, 68, 88, shade(c, 0.88), edge(c))
    _cuffs(p, detail(c))


def draw_hoodie(p: Pen, c: RGB, rng: random.Random) -> None:
    p.ellipse(35, 3, 65, 28, c, edge(c))
    pts = _garment(LONG, 88)
    p.poly(pts, c, edge(c))
    p.ellipse(41, 8, 59, 24, shade(c, 0.6) if luma(c) > 60 else (20, 20, 22), edge(c))
    p.line([(47, 22), (46, 36)], detail(c), 0.8)
    p.line([(53, 22), (54, 36)], detail(c), 0.8)
    p.poly([(38, 60), (62, 60), (66, 78), (34, 78)], None, detail(c), 0.7)
    p.rect(32, 83, 68, 88, None, detail(c), width=0.5)
    _cuffs(p, detail(c))


def draw_shirt(p: Pen, c: RGB, rng: random.Random) -> None:
    pts = _garment(LONG, 88)
    p.poly(pts, c, edge(c))
    p.poly([(44, 14), (50, 22), (41, 23)], light(c, 0.2), edge(c))
    p.poly([(56, 14), (50, 22), (59, 23)], light(c, 0.2), edge(c))
    p.line([(50, 22), (50, 88)], detail(c), 0.7)
    for y in (30, 42, 54, 66, 78):
        p.dot(51.8, y, 1.0, shade(c, 0.6))
    p.rect(36, 32, 44, 40, None, detail(c), width=0.5)
    _cuffs(p, detail(c))


def draw_jacket(p: Pen, c: RGB, rng: random.Random, hem: float = 82) -> list[tuple[float, float]]:
    pts = _garment(LONG, hem)
    p.poly(pts, c, edge(c))
    p.poly([(38, 16), (40, 9), (50, 14), (60, 9), (62, 16), (50, 22)], shade(c, 0.88), edge(c))
    _cuffs(p, detail(c))
    return pts


def draw_puffer(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_jacket(p, c, rng)
    for y in (32, 44, 56, 68):
        p.line([(32.5, y), (67.5, y)], detail(c), 0.6)
    _sleeve_lines(p, detail(c), [0.2, 0.4, 0.6, 0.8])
    p.line([(50, 21), (50, 82)], (200, 200, 205), 0.7)


def draw_denim(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_jacket(p, c, rng, hem=80)
    stitch = (214, 164, 84)
    p.line([(50, 21), (50, 80)], shade(c, 0.7), 0.8)
    for x0 in (36, 54):
        p.rect(x0, 30, x0 + 10, 40, None, stitch, width=0.5)
        p.dot(x0 + 5, 32, 0.9, (200, 200, 206))
    p.line([(32.5, 50), (67.5, 50)], stitch, 0.5)
    p.rect(32.5, 74, 67.5, 80, shade(c, 0.9), shade(c, 0.7))
    for y in (26, 44, 60, 72):
        p.dot(52.5, y, 1.0, (200, 200, 206))


def draw_rider(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_jacket(p, c, rng, hem=76)
    lapel = light(c, 0.12)
    p.poly([(42, 16), (56, 16), (64, 30), (58, 40)], lapel, edge(c))
    p.poly([(42, 16), (36, 28), (44, 40)], lapel, edge(c))
    p.line([(58, 40), (46, 52), (46, 76)], (196, 198, 204), 0.9)
    p.rect(32.5, 70, 67.5, 76, lapel, edge(c))
    p.rect(64, 71, 68, 75, (196, 198, 204))


def draw_coat(p: Pen, c: RGB, rng: random.Random, double: bool = False) -> None:
    top = [(38, 12), (44, 10), (50, 16), (56, 10), (62, 12), (76, 20), (86, 72), (78, 75), (68, 38)]
    right = [*top[4:], (72, 94)]
    pts = [*top[:4], *right, *_mirror(right)[::-1]]
    p.poly(pts, c, edge(c))
    lapel = shade(c, 0.9) if luma(c) > 70 else light(c, 0.12)
    p.poly([(44, 10), (38, 22), (50, 42), (50, 16)], lapel, edge(c))
    p.poly([(56, 10), (62, 22), (50, 42), (50, 16)], lapel, edge(c))
    p.line([(50, 42), (50, 94)], detail(c), 0.7)
    xs = (45, 55) if double else (52.5,)
    for x in xs:
        for y in (50, 62, 74):
            p.dot(x, y, 1.3, detail(c))
    p.line([(36, 68), (42, 68)], detail(c), 0.7)
    p.line([(58, 68), (64, 68)], detail(c), 0.7)
    _sleeve_lines(p, detail(c), [0.92])


def draw_trench(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_coat(p, c, rng, double=True)
    belt = shade(c, 0.85)
    p.poly([(31.8, 54), (68.2, 54), (68.5, 59), (31.5, 59)], belt, edge(c))
    p.rect(46, 53, 54, 60, None, (90, 70, 50), width=0.6)
    p.line([(54, 57), (58, 70)], belt, 2.2)


def draw_vest(p: Pen, c: RGB, rng: random.Random) -> None:
    right = [(62, 12), (68, 18), (66, 36), (71, 82)]
    pts = [(38, 12), (44, 12), (50, 18), (56, 12), *right, *_mirror(right)[::-1]]
    p.poly(pts, c, edge(c))
    p.poly([(40, 13), (42, 6), (58, 6), (60, 13), (50, 18)], c, edge(c))  # stand collar
    for y in (28, 40, 52, 64, 76):
        p.line([(31, y), (69, y)], detail(c), 0.6)
    p.line([(50, 18), (50, 82)], (200, 200, 205), 0.7)
    p.line([(34, 58), (36, 70)], detail(c), 0.8)
    p.line([(66, 58), (64, 70)], detail(c), 0.8)


def draw_shirtdress(p: Pen, c: RGB, rng: random.Random) -> None:
    right = [(60, 12), (72, 20), (68, 30), (62, 26), (60, 44), (76, 94)]
    pts = [(40, 12), (46, 10), (50, 16), (54, 10), *right, *_mirror(right)[::-1]]
    p.poly(pts, c, edge(c))
    p.poly([(46, 10), (50, 17), (43, 18)], light(c, 0.2), edge(c))
    p.poly([(54, 10), (50, 17), (57, 18)], light(c, 0.2), edge(c))
    p.line([(50, 17), (50, 94)], detail(c), 0.6)
    for y in (22, 30, 38, 52, 64):
        p.dot(51.5, y, 0.9, light(c, 0.5))
    p.line([(39.8, 44), (60.2, 44)], detail(c), 1.4)
    p.line([(56, 44), (54, 56)], detail(c), 0.9)
    p.line([(57, 44), (60, 55)], detail(c), 0.9)


def draw_knitdress(p: Pen, c: RGB, rng: random.Random) -> None:
    right = [(60, 12), (68, 18), (78, 62), (72, 64), (62, 30), (60, 46), (68, 94)]
    pts = [(40, 12), (46, 10), (50, 11), (54, 10), *right, *_mirror(right)[::-1]]
    p.poly(pts, c, edge(c))
    p.rect(44, 5, 56, 13, c, edge(c), r=1)
    for x in range(40, 62, 3):
        p.line([(x, 20), (x + (x - 50) * 0.3, 92)], detail(c), 0.35)


def _sole(c: RGB) -> RGB:
    return (46, 46, 48) if luma(c) < 60 else (246, 244, 238)


def draw_sneaker(p: Pen, c: RGB, rng: random.Random, high: bool = False) -> None:
    sole = _sole(c)
    if high:  # ankle-high collar
        heel = [(12, 70), (12, 26), (18, 22), (30, 22), (36, 30)]
    else:
        heel = [(12, 70), (11, 52), (15, 45), (22, 45), (30, 51), (38, 49)]
    vamp = [(44, 40), (50, 38), (56, 42), (70, 51), (82, 57), (88, 62), (89, 70)]
    p.poly([*heel, *vamp], c, edge(c))
    panel = shade(c, 0.9) if luma(c) > 70 else light(c, 0.12)
    p.poly([(74, 53.5), (82, 57), (88, 62), (89, 70), (71, 70), (69, 62)], panel, edge(c))  # toe
    p.rect(10, 43 if not high else 21, 16, 66, panel, edge(c), r=2)  # heel tab
    eyestay = [(42, 46), (70, 58)] if not high else [(36, 32), (70, 58)]
    p.line(eyestay, detail(c), 0.6)
    lace = (250, 250, 248) if luma(c) < 150 else (112, 112, 120)
    a, b = (46, 41), (66, 51.5)
    if high:
        a = (36, 29)
    n = 6 if high else 4
    for i in range(n):
        x, y = _lerp(a, b, i / (n - 1))
        p.line([(x - 2, y + 1), (x + 3, y + 4)], lace, 0.9)
        p.line([(x + 3, y - 1), (x - 2, y + 5)], lace, 0.9)
    p.rect(9, 68, 91, 82, sole, edge(sole), r=5)
    p.line([(10, 75), (90, 75)], shade(sole, 0.8) if luma(sole) > 70 else (96, 96, 100), 0.6)


def draw_hightop(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_sneaker(p, c, rng, high=True)


def draw_runner(p: Pen, c: RGB, rng: random.Random) -> None:
    draw_sneaker(p, c, rng)
    for gx in range(22, 60, 4):  # breathable mesh
        for gy in range(54, 66, 4):
            p.dot(gx, gy, 0.55, light(c, 0.3))
    p.rect(9, 68, 91, 82, (238, 238, 242), (150, 150, 156), r=6)
    p.rect(24, 74, 60, 78, (232, 112, 64), r=2)


def draw_boot(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(18, 6, 26, 18, c, edge(c), r=2)
    p.poly([(20, 14), (46, 14), (48, 52), (62, 56), (78, 60), (88, 68), (88, 76), (18, 76)], c, edge(c))
    gusset = light(c, 0.2) if luma(c) < 90 else shade(c, 0.7)
    p.poly([(34, 14), (46, 14), (41, 40)], gusset, edge(c))
    p.rect(16, 76, 90, 84, (28, 26, 26), (14, 14, 14), r=2)
    p.rect(16, 76, 32, 88, (28, 26, 26), (14, 14, 14), r=1)
    p.line([(50, 54), (84, 66)], light(c, 0.2) if luma(c) < 90 else shade(c, 0.8), 0.6)


def draw_handbag(p: Pen, c: RGB, rng: random.Random) -> None:
    p.arc((32, 16, 68, 60), 180, 360, shade(c, 0.8), 3.2)
    p.poly([(22, 40), (78, 40), (84, 88), (16, 88)], c, edge(c))
    p.line([(24, 46), (76, 46)], detail(c), 0.5)
    for x in (36, 64):
        p.rect(x - 2, 38, x + 2, 43, (206, 170, 90))


def draw_minibag(p: Pen, c: RGB, rng: random.Random) -> None:
    p.arc((28, 12, 72, 84), 180, 360, shade(c, 0.8), 1.4)
    p.rect(24, 44, 76, 84, c, edge(c), r=6)
    p.poly([(24, 47), (76, 47), (76, 62), (50, 68), (24, 62)], shade(c, 0.85), edge(c))
    p.rect(46, 63, 54, 70, (212, 176, 92), (150, 120, 60), r=1)


def draw_crossbody(p: Pen, c: RGB, rng: random.Random) -> None:
    strap = shade(c, 0.8) if luma(c) > 70 else light(c, 0.12)
    p.arc((24, 4, 76, 108), 180, 360, strap, 1.6)
    p.rect(22, 50, 78, 86, c, edge(c), r=8)
    p.poly(
        [(22, 54), (78, 54), (78, 68), (50, 76), (22, 68)],
        light(c, 0.1) if luma(c) < 70 else shade(c, 0.88),
        edge(c),
    )
    p.dot(50, 72, 2.2, (196, 198, 204))


def draw_tote(p: Pen, c: RGB, rng: random.Random) -> None:
    strap = shade(c, 0.75)
    p.arc((26, 6, 54, 74), 180, 360, strap, 2.6)
    p.arc((46, 6, 74, 74), 180, 360, strap, 2.6)
    p.rect(20, 38, 80, 90, c, edge(c), r=1)
    p.line([(20, 44), (80, 44)], detail(c), 0.5)
    p.rect(34, 56, 66, 74, None, shade(c, 0.8), width=0.5)


def draw_backpack(p: Pen, c: RGB, rng: random.Random) -> None:
    p.arc((42, 6, 58, 26), 180, 360, shade(c, 0.7) if luma(c) > 70 else light(c, 0.2), 1.6)
    p.rect(24, 14, 76, 90, c, edge(c), r=14)
    p.rect(31, 54, 69, 86, shade(c, 0.88) if luma(c) > 70 else light(c, 0.08), edge(c), r=8)
    p.arc((28, 18, 72, 60), 180, 360, detail(c), 0.6)
    p.line([(36, 60), (64, 60)], detail(c), 0.6)
    p.rect(48, 58, 52, 64, (200, 200, 206))


# ---- home ------------------------------------------------------------------------------


def _speckle(p: Pen, rng: random.Random, c: RGB, box: tuple[float, float, float, float], n: int) -> None:
    x0, y0, x1, y1 = box
    for _ in range(n):
        p.dot(rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(0.2, 0.45), c)


def draw_mug(p: Pen, c: RGB, rng: random.Random) -> None:
    p.ellipse(54, 44, 82, 74, c, edge(c))
    p.ellipse(60, 50, 76, 68, TRANSPARENT, edge(c))
    p.rect(22, 34, 64, 88, c, edge(c), r=6)
    p.ellipse(22, 29, 64, 40, shade(c, 0.72) if luma(c) > 70 else light(c, 0.25), edge(c))
    _speckle(p, rng, detail(c), (25, 42, 61, 85), 40)
    p.line([(27, 46), (27, 80)], light(c, 0.4), 1.2)


def draw_glasses(p: Pen, c: RGB, rng: random.Random) -> None:
    for cx, top in ((36, 24), (64, 30)):
        x0 = cx - 13
        p.poly(
            [(x0, top), (x0 + 26, top), (x0 + 23, 88), (x0 + 3, 88)],
            rgba(c, 120),
            shade(c, 0.6),
            0.6,
        )
        p.poly(
            [(x0 + 3, top + 2), (x0 + 23, top + 2), (x0 + 20.5, 80), (x0 + 5.5, 80)],
            rgba(light(c, 0.4), 90),
            shade(c, 0.7),
            0.4,
        )
        p.line([(x0 + 5, top + 6), (x0 + 7, 76)], (255, 255, 255), 1.0)
    p.poly([(52.4, 54), (75.6, 54), (74.6, 79), (53.4, 79)], rgba((150, 96, 54), 230))
    p.poly([(52.2, 50), (75.8, 50), (75.6, 55), (52.4, 55)], rgba((236, 222, 200), 240))


def draw_pot(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(8, 52, 20, 60, shade(c, 0.85), edge(c), r=2)
    p.rect(80, 52, 92, 60, shade(c, 0.85), edge(c), r=2)
    p.rect(14, 46, 86, 86, c, edge(c), r=10)
    p.ellipse(14, 38, 86, 54, shade(c, 0.9), edge(c))
    p.rect(43, 30, 57, 41, (48, 46, 46), (20, 20, 20), r=3)
    p.line([(22, 60), (22, 78)], light(c, 0.35), 1.6)


def draw_board(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(42, 8, 58, 30, c, edge(c), r=6)
    p.rect(22, 24, 78, 92, c, edge(c), r=10)
    p.ellipse(46, 13, 54, 21, TRANSPARENT, edge(c))
    for i in range(7):
        x = 28 + i * 7 + rng.uniform(-1.5, 1.5)
        p.line(
            [(x, 30), (x + rng.uniform(-2, 2), 58), (x + rng.uniform(-2, 2), 86)],
            shade(c, 0.82),
            0.5,
        )


def draw_plate(p: Pen, c: RGB, rng: random.Random) -> None:
    p.ellipse(16, 18, 92, 74, shade(c, 0.93), edge(c))
    p.ellipse(8, 30, 84, 88, c, edge(c))
    p.ellipse(20, 40, 72, 78, shade(c, 0.95), shade(c, 0.8), 0.5)
    _speckle(p, rng, shade(c, 0.6), (22, 42, 70, 76), 60)


def draw_tablelamp(p: Pen, c: RGB, rng: random.Random) -> None:
    wood = (150, 104, 64)
    p.ellipse(32, 82, 68, 92, wood, edge(wood))
    p.rect(47.5, 46, 52.5, 86, wood, edge(wood))
    p.ellipse(38, 40, 62, 54, (255, 236, 170))
    p.poly([(32, 14), (68, 14), (78, 48), (22, 48)], c, edge(c))
    p.line([(32.5, 17), (67.5, 17)], detail(c), 0.5)


def draw_floorlamp(p: Pen, c: RGB, rng: random.Random) -> None:
    wood = (160, 116, 70)
    p.ellipse(36, 86, 64, 94, (50, 48, 46), (24, 24, 24))
    p.rect(48.8, 28, 51.2, 90, wood, edge(wood), width=0.4)
    p.rect(30, 4, 70, 30, c, edge(c), r=1)
    p.line([(30, 30), (70, 30)], (255, 230, 150), 1.2)


def draw_desklamp(p: Pen, c: RGB, rng: random.Random) -> None:
    p.ellipse(18, 82, 50, 92, c, edge(c))
    p.line([(34, 86), (42, 52), (64, 34)], c, 2.6)
    p.line([(34, 86), (42, 52), (64, 34)], edge(c), 0.4)
    p.dot(42, 52, 2.6, shade(c, 0.8))
    p.poly([(58, 30), (72, 22), (86, 42), (70, 50)], c, edge(c))
    p.ellipse(72, 38, 84, 50, (255, 236, 160), edge(c), 0.4)


def draw_domelamp(p: Pen, c: RGB, rng: random.Random) -> None:
    p.ellipse(34, 82, 66, 90, c, edge(c))
    p.rect(47, 40, 53, 86, c, edge(c))
    p.ellipse(30, 38, 70, 46, (255, 234, 160))
    p.chord((24, 14, 76, 66), 180, 360, c, edge(c))
    p.arc((28, 18, 72, 62), 200, 250, light(c, 0.35), 1.0)


def _pillow(x0: float, y0: float, x1: float, y1: float, bow: float) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    n = 12
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for i in range(n):
            t = i / n
            x, y = _lerp(a, b, t)
            pull = bow * 4 * t * (1 - t)
            if k % 2 == 0:  # horizontal edge: pull towards the centre vertically
                pts.append((x, y + pull * (1 if cy > y else -1)))
            else:
                pts.append((x + pull * (1 if cx > x else -1), y))
    return pts


def draw_cushion(p: Pen, c: RGB, rng: random.Random) -> None:
    pts = _pillow(14, 20, 86, 86, 5)
    p.poly(pts, c, edge(c), 1.0)
    p.line([(30, 36), (50, 53), (70, 36)], shade(c, 0.9), 0.8)
    p.line([(30, 70), (50, 53), (70, 70)], shade(c, 0.9), 0.8)
    for y in range(28, 82, 3):
        p.line([(22, y), (78, y)], rgba(shade(c, 0.94), 90), 0.25)


def draw_boucle(p: Pen, c: RGB, rng: random.Random) -> None:
    pts = _pillow(14, 20, 86, 86, 6)
    p.poly(pts, c, edge(c), 1.0)
    for _ in range(260):
        x, y = rng.uniform(22, 78), rng.uniform(28, 80)
        r = rng.uniform(0.6, 1.3)
        p.ellipse(x - r, y - r, x + r, y + r, None, shade(c, 0.84), 0.25)


def _vase_outline(cx: float, profile: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    right = [(cx + w, y) for w, y in profile]
    left = [(cx - w, y) for w, y in reversed(profile)]
    return [*right, *left]


def draw_vase(p: Pen, c: RGB, rng: random.Random) -> None:
    stem = (110, 92, 60)
    p.line([(50, 20), (44, 8), (40, 2)], stem, 0.7)
    p.line([(50, 20), (57, 6)], stem, 0.7)
    for x, y in ((44, 8), (40, 3), (57, 6), (54, 12)):
        p.dot(x, y, 1.4, (206, 186, 140))
    profile = [(7, 16), (7, 22), (10, 28), (17, 40), (20, 54), (19, 68), (15, 82), (12, 90)]
    p.poly(_vase_outline(50, profile), c, edge(c))
    p.ellipse(43, 14, 57, 18, shade(c, 0.6), edge(c))
    p.line([(36, 44), (34, 60), (37, 76)], light(c, 0.3), 1.2)


def draw_budvases(p: Pen, c: RGB, rng: random.Random) -> None:
    for cx, top, scale in ((28, 46, 0.8), (50, 30, 1.0), (72, 54, 0.7)):
        h = 90 - top
        profile = [
            (3 * scale, top),
            (3 * scale, top + h * 0.3),
            (11 * scale, top + h * 0.6),
            (12 * scale, top + h * 0.8),
            (9 * scale, 90),
        ]
        p.poly(_vase_outline(cx, profile), rgba(c, 170), shade(c, 0.6), 0.5)
        p.line(
            [(cx - 6 * scale, top + h * 0.6), (cx - 7 * scale, top + h * 0.85)],
            (255, 255, 255),
            0.8,
        )
    p.line([(50, 32), (48, 12)], (80, 120, 60), 0.6)
    p.dot(48, 11, 2.4, (238, 214, 90))
    p.line([(28, 48), (31, 30)], (80, 120, 60), 0.6)
    p.ellipse(29, 26, 35, 32, (232, 150, 170))


def draw_candle(p: Pen, c: RGB, rng: random.Random) -> None:
    p.ellipse(45.5, 12, 54.5, 30, (255, 200, 80))
    p.ellipse(47.5, 18, 52.5, 29, (255, 244, 200))
    p.line([(50, 27), (50, 34)], (40, 40, 40), 0.6)
    p.rect(28, 34, 72, 88, rgba(c, 235), edge(c), r=5)
    p.ellipse(28, 30, 72, 40, (242, 232, 210), edge(c))
    _label(p, (240, 232, 214), 34, 54, 66, 72)


# ---- second-hand only --------------------------------------------------------------------


def draw_headphones(p: Pen, c: RGB, rng: random.Random) -> None:
    p.arc((20, 10, 80, 76), 180, 360, c, 5.0)
    p.arc((22, 12, 78, 74), 195, 345, light(c, 0.2), 1.2)
    for x0 in (16, 70):
        p.rect(x0 + 2, 36, x0 + 12, 48, shade(c, 0.9) if luma(c) > 70 else light(c, 0.15), edge(c), r=2)
        p.rect(x0 - 2, 44, x0 + 16, 80, c, edge(c), r=8)
        p.rect(x0 + 1, 50, x0 + 13, 74, light(c, 0.12), edge(c), r=6)


def draw_speaker(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(16, 28, 84, 84, c, edge(c), r=18)
    for gy in range(38, 78, 4):
        for gx in range(26, 76, 4):
            p.dot(gx, gy, 0.8, shade(c, 0.7))
    for x in (38, 48, 58):
        p.rect(x, 29.5, x + 6, 32, shade(c, 0.6))


def draw_camera(p: Pen, c: RGB, rng: random.Random) -> None:
    p.poly([(34, 34), (39, 20), (61, 20), (66, 34)], c, edge(c))
    p.rect(10, 32, 90, 80, c, edge(c), r=6)
    p.rect(10, 32, 26, 80, light(c, 0.08), edge(c), r=6)
    p.rect(18, 27, 26, 32, shade(c, 0.8) if luma(c) > 70 else light(c, 0.3))
    p.ellipse(36, 38, 74, 76, (196, 198, 204), (120, 120, 126))
    p.ellipse(41, 43, 69, 71, (26, 26, 30))
    p.rect(49, 51, 61, 63, (96, 84, 140))
    p.line([(50, 52), (55, 57)], (180, 170, 220), 0.8)


def draw_tablet(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(22, 8, 78, 92, c, edge(c), r=6)
    p.rect(25.5, 12, 74.5, 88, (30, 34, 42), (20, 20, 24), r=3)
    p.poly([(26, 60), (60, 12), (74, 12), (26, 80)], rgba((255, 255, 255), 28))
    p.dot(50, 10, 0.7, (60, 60, 66))


def draw_keyboard(p: Pen, c: RGB, rng: random.Random) -> None:
    p.rect(6, 34, 94, 76, c, edge(c), r=4)
    key = shade(c, 0.9) if luma(c) > 70 else light(c, 0.15)
    for row in range(4):
        y = 38 + row * 8
        for col in range(14):
            x = 9 + col * 6
            p.rect(x, y, x + 5, y + 6.5, key, edge(key), r=0.8, width=0.3)
    p.rect(27, 70, 70, 74, key, edge(key), r=0.8, width=0.3)
    p.rect(9, 70, 25, 74, key, edge(key), r=0.8, width=0.3)
    p.rect(72, 70, 91, 74, key, edge(key), r=0.8, width=0.3)


def draw_earbuds(p: Pen, c: RGB, rng: random.Random) -> None:
    for cx in (38, 62):
        p.rect(cx - 3, 26, cx + 3, 46, c, edge(c), r=3)
        p.ellipse(cx - 8, 12, cx + 8, 30, c, edge(c))
        p.ellipse(cx - 4, 17, cx + 4, 25, shade(c, 0.55))
    p.rect(26, 50, 74, 88, c, edge(c), r=16)
    p.line([(26.5, 62), (73.5, 62)], shade(c, 0.8), 0.5)
    p.dot(50, 70, 0.9, (120, 220, 140))


def draw_sidetable(p: Pen, c: RGB, rng: random.Random) -> None:
    leg = shade(c, 0.85)
    for a, b in (
        ((28, 38), (22, 92)),
        ((72, 38), (78, 92)),
        ((42, 40), (40, 86)),
        ((58, 40), (60, 86)),
    ):
        p.line([a, b], leg, 2.4)
    p.ellipse(26, 64, 74, 72, c, edge(c))
    p.rect(16, 31, 84, 37, shade(c, 0.8), edge(c))
    p.ellipse(16, 24, 84, 38, c, edge(c))
    p.ellipse(40, 28, 50, 32, None, shade(c, 0.7), 0.4)  # cup ring


ShapeFn = Callable[[Pen, RGB, random.Random], None]

SHAPES: dict[str, ShapeFn] = {
    "jar": draw_jar,
    "pump": draw_pump,
    "bottle": draw_bottle,
    "dropper": draw_dropper,
    "tube": draw_tube,
    "stick": draw_stick,
    "tshirt": draw_tshirt,
    "croptee": draw_croptee,
    "longsleeve": draw_longsleeve,
    "sweater": draw_sweater,
    "cardigan": draw_cardigan,
    "hoodie": draw_hoodie,
    "shirt": draw_shirt,
    "puffer": draw_puffer,
    "denim": draw_denim,
    "rider": draw_rider,
    "coat": draw_coat,
    "trench": draw_trench,
    "vest": draw_vest,
    "shirtdress": draw_shirtdress,
    "knitdress": draw_knitdress,
    "sneaker": draw_sneaker,
    "hightop": draw_hightop,
    "runner": draw_runner,
    "boot": draw_boot,
    "handbag": draw_handbag,
    "minibag": draw_minibag,
    "crossbody": draw_crossbody,
    "tote": draw_tote,
    "backpack": draw_backpack,
    "mug": draw_mug,
    "glasses": draw_glasses,
    "pot": draw_pot,
    "board": draw_board,
    "plate": draw_plate,
    "tablelamp": draw_tablelamp,
    "floorlamp": draw_floorlamp,
    "desklamp": draw_desklamp,
    "domelamp": draw_domelamp,
    "cushion": draw_cushion,
    "boucle": draw_boucle,
    "vase": draw_vase,
    "budvases": draw_budvases,
    "candle": draw_candle,
    "headphones": draw_headphones,
    "speaker": draw_speaker,
    "camera": draw_camera,
    "tablet": draw_tablet,
    "keyboard": draw_keyboard,
    "earbuds": draw_earbuds,
    "sidetable": draw_sidetable,
}


def _gradient(top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize((WORK, WORK))
    return Image.composite(Image.new("RGB", (WORK, WORK), bottom), Image.new("RGB", (WORK, WORK), top), mask)


def _background(domain: str, rng: random.Random) -> Image.Image:
    top, bottom = BACKGROUNDS[domain]
    bg = _gradient(top, bottom)
    if domain == "secondhand":  # wooden floor / table top, like a phone snapshot
        d = ImageDraw.Draw(bg)
        y = rng.uniform(10, 40)
        while y < 100:
            d.line(
                [(0, y * UNIT), (WORK, (y + rng.uniform(-2, 2)) * UNIT)],
                fill=shade(bottom, 0.8),
                width=UNIT // 2,
            )
            for _ in range(3):
                gy = (y + rng.uniform(2, 14)) * UNIT
                d.line(
                    [(rng.uniform(0, WORK), gy), (rng.uniform(0, WORK), gy + rng.uniform(-4, 4))],
                    fill=shade(top, 0.9),
                    width=1,
                )
            y += rng.uniform(14, 24)
    return bg


def _with_shadow(bg: Image.Image, obj: Image.Image) -> Image.Image:
    alpha = obj.getchannel("A")
    shadow = Image.new("L", alpha.size, 0)
    shadow.paste(alpha, (UNIT * 2, UNIT * 3))
    shadow = shadow.filter(ImageFilter.GaussianBlur(UNIT * 2.5)).point(lambda v: v * 30 // 100)
    dark = ImageEnhance.Brightness(bg).enhance(0.55)
    out = Image.composite(dark, bg, shadow).convert("RGBA")
    out.alpha_composite(obj)
    return out.convert("RGB")


def _scuff(obj: Image.Image, rng: random.Random, amount: int) -> Image.Image:
    """Scratches and wear marks, drawn only where the object is."""
    marks = Image.new("RGBA", obj.size, TRANSPARENT)
    d = ImageDraw.Draw(marks)
    box = obj.getchannel("A").getbbox() or (0, 0, WORK, WORK)
    for _ in range(amount):
        x = rng.uniform(box[0], box[2])
        y = rng.uniform(box[1], box[3])
        length = rng.uniform(3, 10) * UNIT
        ang = rng.uniform(-0.6, 0.6)
        dx, dy = length, length * ang
        pale = rng.random() < 0.6
        color = (236, 232, 224, 170) if pale else (60, 52, 44, 140)
        d.line([(x, y), (x + dx, y + dy)], fill=color, width=rng.choice((1, 2, 3)))
    for _ in range(amount // 3):  # small worn patches
        x = rng.uniform(box[0], box[2])
        y = rng.uniform(box[1], box[3])
        r = rng.uniform(1, 3) * UNIT
        d.ellipse([x - r, y - r, x + r, y + r], fill=(200, 194, 184, 70))
    marks.putalpha(ImageChops.multiply(marks.getchannel("A"), obj.getchannel("A")))
    out = obj.copy()
    out.alpha_composite(marks)
    return out


def _photo_look(img: Image.Image, rng: random.Random) -> Image.Image:
    """Darker, warmer, noisier and vignetted: a quick snapshot rather than a studio shot."""
    img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.8, 0.9))
    img = ImageEnhance.Color(img).enhance(0.85)
    img = Image.blend(img, Image.new("RGB", img.size, (255, 196, 140)), 0.06)
    vignette = Image.radial_gradient("L").resize(img.size).point(lambda v: min(255, v * 3 // 4))
    img = Image.composite(ImageEnhance.Brightness(img).enhance(0.6), img, vignette)
    noise = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1]))
    return Image.blend(img, Image.merge("RGB", (noise, noise, noise)), 0.07)


def render_image(spec: Spec) -> Image.Image:
    """Draw the product photo for one catalog entry."""
    sku: str = spec["sku"]
    rng = random.Random(f"{SEED}:{sku}")
    domain = spec["category"].split("/")[0]
    color = COLORS[spec["_tint"]]
    obj = Image.new("RGBA", (WORK, WORK), TRANSPARENT)
    pen = Pen(obj)
    shape = spec["_shape"]
    if spec.get("_pattern") == "stripes":
        draw_longsleeve(pen, color, rng, pattern="stripes", stripe=COLORS[spec["attributes"]["color"]])
    else:
        SHAPES[shape](pen, color, rng)

    used = domain == "secondhand"
    if used:
        condition = spec["attributes"]["condition"]
        obj = _scuff(obj, rng, {"like_new": 6, "good": 18, "fair": 36}[condition])
        angle = rng.choice((-1, 1)) * rng.uniform(4, 11)
        obj = obj.rotate(
            angle,
            resample=Image.Resampling.BICUBIC,
            translate=(rng.randint(-6, 6) * UNIT, rng.randint(-4, 4) * UNIT),
        )
    img = _with_shadow(_background(domain, rng), obj)
    img = img.resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.LANCZOS)
    if used:
        img = _photo_look(img, rng)
    return img


# --------------------------------------------------------------------------------------
# Rows and output
# --------------------------------------------------------------------------------------


def to_row(spec: Spec) -> dict[str, Any]:
    sku = spec["sku"]
    row = {
        "sku": sku,
        "title": spec["title"],
        "description": spec["description"],
        "brand": spec["brand"],
        "category": spec["category"],
        "price": spec["price"],
        "currency": CURRENCY,
        "stock": spec["stock"],
        "tags": list(spec["tags"]),
        "attributes": dict(spec["attributes"]),
        "images": [f"images/{sku}.jpg"],
        "url": f"{BASE_URL}{sku}",
    }
    return {k: row[k] for k in ROW_KEYS}


def is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def validate(specs: Sequence[Spec]) -> None:
    """Raise ValueError if the hand-written data breaks the catalog's own rules."""
    seen: set[str] = set()
    for s in specs:
        sku = s["sku"]
        if sku in seen:
            raise ValueError(f"duplicate sku {sku}")
        seen.add(sku)
        if s["category"] not in CATEGORIES:
            raise ValueError(f"{sku}: unknown category {s['category']}")
        if s["_shape"] not in SHAPES or s["_tint"] not in COLORS:
            raise ValueError(f"{sku}: unknown shape or colour")
        if not isinstance(s["price"], int) or s["price"] <= 0 or s["stock"] < 0:
            raise ValueError(f"{sku}: bad price or stock")
        if any(t != t.lower() or not t.strip() for t in s["tags"]):
            raise ValueError(f"{sku}: tags must be non-empty lowercase strings")
        attrs = s["attributes"]
        domain = s["category"].split("/")[0]
        if domain == "skincare":
            if not set(attrs["skin_type"]) <= SKIN_TYPES or not set(attrs["concerns"]) <= CONCERNS:
                raise ValueError(f"{sku}: unknown skin type or concern")
        elif domain == "secondhand":
            if attrs["condition"] not in CONDITIONS:
                raise ValueError(f"{sku}: unknown condition")
        if attrs.get("color") is not None and attrs["color"] not in COLORS:
            raise ValueError(f"{sku}: unknown colour {attrs['color']}")
        if MEDICAL_WORDING.search(f"{s['title']} {s['description']}"):
            raise ValueError(f"{sku}: medical wording is not allowed in the catalog")


def generate(out_dir: Path = CATALOG_DIR) -> list[dict[str, Any]]:
    """Write products.jsonl and images/<sku>.jpg under ``out_dir``; return the rows."""
    validate(PRODUCTS)
    images_dir = out_dir / "images"
    images_dir.mkdir(parents=True, exist_ok=True)
    for stale in images_dir.glob("*.jpg"):
        stale.unlink()
    rows = [to_row(s) for s in PRODUCTS]
    for spec in PRODUCTS:
        render_image(spec).save(
            images_dir / f"{spec['sku']}.jpg", "JPEG", quality=JPEG_QUALITY, optimize=True
        )
    with (out_dir / "products.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def summarize(rows: Sequence[dict[str, Any]], out_dir: Path) -> str:
    by_cat = Counter(r["category"] for r in rows)
    by_domain = Counter(r["category"].split("/")[0] for r in rows)
    korean = sum(is_korean(r["title"]) for r in rows)
    oos = sum(r["stock"] == 0 for r in rows)
    size = sum(p.stat().st_size for p in (out_dir / "images").glob("*.jpg"))
    lines = [
        f"wrote {len(rows)} products to {out_dir}",
        "domains: " + ", ".join(f"{k}={v}" for k, v in sorted(by_domain.items())),
        "categories: " + ", ".join(f"{k}={v}" for k, v in sorted(by_cat.items())),
        f"languages: ko={korean}, en={len(rows) - korean}; out of stock: {oos}",
        f"images: {len(rows)} files, {size / 1024:.0f} KiB",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=CATALOG_DIR, help="output directory")
    args = parser.parse_args(argv)
    rows = generate(args.out)
    sys.stdout.write(summarize(rows, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
