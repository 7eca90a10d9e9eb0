"""Deterministic synthetic catalogs, queries and filter sets for Aisle's benchmarks.

`products(n, seed)` yields rows in the catalog import format (one JSON object per JSONL line),
mixing Korean and English titles and descriptions over skincare, fashion, home and second-hand
goods. Rows carry no images: CLIP is off by default, so image-free rows measure what a default
deployment indexes. The same `n` and `seed` always give byte-identical files.

    python benchmarks/synthetic.py --products 1000 --out /tmp/catalog.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SEED = 20240601


@dataclass(frozen=True)
class Category:
    path: str
    domain: str
    ko: tuple[str, ...]  # Korean product nouns
    en: tuple[str, ...]  # English product nouns
    price: tuple[int, int]  # KRW range
    tags: tuple[str, ...] = ()
    attrs: dict[str, tuple[str, ...]] = field(default_factory=dict)


SKIN_TYPES = ("oily", "dry", "combination", "sensitive", "normal")
CONCERNS = ("oiliness", "pores", "dryness", "acne", "redness", "wrinkles", "dullness", "sun-damage")
COLORS = ("black", "white", "navy", "beige", "gray", "brown", "red", "green", "ivory", "pink")
COLOR_KO = {"black": "블랙", "white": "화이트", "navy": "네이비", "beige": "베이지", "gray": "그레이",
            "brown": "브라운", "red": "레드", "green": "그린", "ivory": "아이보리", "pink": "핑크",
            "blue": "블루"}
SIZES = ("XS", "S", "M", "L", "XL")
MATERIALS = ("cotton", "linen", "wool", "leather", "denim", "polyester", "cashmere")
CONDITIONS = ("like-new", "good", "fair")
CONDITION_KO = {"like-new": "새상품급", "good": "상태 좋음", "fair": "사용감 있음"}

_SKIN = {"skin_type": SKIN_TYPES, "concerns": CONCERNS}
_WEAR = {"color": COLORS, "size": SIZES, "material": MATERIALS}
_HOME = {"color": COLORS, "material": ("cotton", "linen", "ceramic", "stainless", "wood", "glass")}
_USED = {"condition": CONDITIONS, "color": COLORS}

CATEGORIES: tuple[Category, ...] = (
    # skincare and makeup
    Category("skincare/cream", "beauty", ("수분크림", "보습크림", "진정크림"),
             ("moisturizer", "face cream", "gel cream"), (9_000, 68_000),
             ("hydrating", "수분", "보습", "oil-free"), _SKIN),
    Category("skincare/serum", "beauty", ("세럼", "앰플", "에센스"), ("serum", "ampoule", "essence"),
             (12_000, 89_000), ("vitamin-c", "niacinamide", "미백", "brightening"), _SKIN),
    Category("skincare/toner", "beauty", ("토너", "스킨", "토너패드"), ("toner", "toner pad"),
             (8_000, 38_000), ("진정", "soothing", "exfoliating", "각질"), _SKIN),
    Category("skincare/cleanser", "beauty", ("폼클렌저", "클렌징오일", "클렌징폼"),
             ("cleanser", "cleansing oil", "foam cleanser"), (7_000, 32_000),
             ("low-ph", "약산성", "deep-cleansing"), _SKIN),
    Category("skincare/sunscreen", "beauty", ("선크림", "선스틱", "선세럼"),
             ("sunscreen", "sun stick", "sun serum"), (10_000, 35_000),
             ("spf50", "uv", "자외선차단", "no-white-cast"), _SKIN),
    Category("skincare/mask", "beauty", ("시트마스크", "수면팩", "클레이 마스크"),
             ("sheet mask", "sleeping mask", "clay mask"), (3_000, 29_000),
             ("팩", "mask", "pore-care"), _SKIN),
    Category("skincare/lip", "beauty", ("립밤", "립 에센스"), ("lip balm", "lip treatment"),
             (4_000, 22_000), ("보습", "dry-lips"), {"skin_type": SKIN_TYPES}),
    Category("makeup/cushion", "beauty", ("쿠션", "쿠션 팩트"), ("cushion foundation", "cushion compact"),
             (15_000, 48_000), ("커버력", "coverage", "glow"), {"skin_type": SKIN_TYPES}),
    Category("makeup/lipstick", "beauty", ("립스틱", "립틴트"), ("lipstick", "lip tint"), (9_000, 42_000),
             ("matte", "glossy", "데일리"), {"color": ("red", "pink", "brown", "beige")}),
    # fashion
    Category("fashion/tops/t-shirt", "fashion", ("반팔 티셔츠", "긴팔 티셔츠", "티셔츠"),
             ("t-shirt", "crew neck tee", "long sleeve tee"), (9_900, 59_000),
             ("basic", "데일리", "오버핏", "cotton"), _WEAR),
    Category("fashion/tops/shirt", "fashion", ("셔츠", "옥스포드 셔츠", "린넨 셔츠"),
             ("shirt", "oxford shirt", "linen shirt"), (19_000, 89_000), ("office", "출근룩"), _WEAR),
    Category("fashion/tops/knit", "fashion", ("니트", "가디건", "스웨터"), ("knit", "cardigan", "sweater"),
             (25_000, 149_000), ("winter", "겨울", "warm"), _WEAR),
    Category("fashion/outer/coat", "fashion", ("코트", "울 코트", "트렌치코트"),
             ("coat", "wool coat", "trench coat"), (89_000, 390_000), ("겨울", "outerwear"), _WEAR),
    Category("fashion/outer/jacket", "fashion", ("자켓", "가죽 자켓", "패딩"),
             ("jacket", "leather jacket", "puffer jacket"), (49_000, 329_000),
             ("outerwear", "아우터", "windproof"), _WEAR),
    Category("fashion/bottoms/jeans", "fashion", ("청바지", "데님 팬츠", "와이드 진"),
             ("jeans", "denim pants", "wide jeans"), (29_000, 129_000), ("denim", "데님", "straight"), _WEAR),
    Category("fashion/bottoms/skirt", "fashion", ("스커트", "플리츠 스커트", "롱스커트"),
             ("skirt", "pleated skirt", "midi skirt"), (19_000, 99_000), ("여성", "feminine"), _WEAR),
    Category("fashion/shoes/sneakers", "fashion", ("스니커즈", "운동화", "러닝화"),
             ("sneakers", "running shoes", "trainers"), (39_000, 219_000),
             ("running", "cushioning", "편한"),
             {"color": COLORS, "size": ("230", "240", "250", "260", "270")}),
    Category("fashion/shoes/boots", "fashion", ("부츠", "첼시 부츠", "워커"),
             ("boots", "chelsea boots", "combat boots"), (59_000, 259_000), ("leather", "가죽"),
             {"color": ("black", "brown", "beige"), "size": ("230", "240", "250", "260", "270")}),
    Category("fashion/bags/tote", "fashion", ("토트백", "에코백", "숄더백"),
             ("tote bag", "canvas tote", "shoulder bag"), (15_000, 189_000), ("가방", "bag"),
             {"color": COLORS, "material": ("canvas", "leather", "nylon")}),
    Category("fashion/accessories/hat", "fashion", ("볼캡", "버킷햇", "비니"),
             ("baseball cap", "bucket hat", "beanie"), (12_000, 49_000), ("모자", "hat"),
             {"color": COLORS}),
    # home
    Category("home/kitchen/cookware", "home", ("프라이팬", "냄비", "웍"), ("frying pan", "saucepan", "wok"),
             (19_000, 159_000), ("인덕션", "induction", "non-stick", "코팅"), _HOME),
    Category("home/kitchen/tumbler", "home", ("텀블러", "보온병", "머그컵"),
             ("tumbler", "vacuum flask", "mug"), (8_000, 49_000), ("보온", "insulated", "leak-proof"), _HOME),
    Category("home/bedding/blanket", "home", ("이불", "차렵이불", "블랭킷"),
             ("duvet", "comforter", "throw blanket"), (29_000, 199_000), ("침구", "bedding", "sofa"), _HOME),
    Category("home/bedding/pillow", "home", ("베개", "경추 베개", "메모리폼 베개"),
             ("pillow", "memory foam pillow"), (15_000, 99_000), ("숙면", "sleep"), _HOME),
    Category("home/living/lamp", "home", ("스탠드 조명", "무드등", "플로어 램프"),
             ("desk lamp", "mood light", "floor lamp"), (19_000, 179_000),
             ("조명", "led", "lighting"), _HOME),
    Category("home/living/rug", "home", ("러그", "카페트", "발매트"), ("rug", "carpet", "bath mat"),
             (15_000, 229_000), ("거실", "living-room", "non-slip"), _HOME),
    Category("home/bath/towel", "home", ("수건", "호텔 타월", "바스타월"),
             ("towel", "hotel towel", "bath towel"), (5_000, 45_000), ("욕실", "bath", "absorbent"), _HOME),
    # second-hand
    Category("used/electronics/phone", "used", ("중고 아이폰", "중고 갤럭시", "중고 스마트폰"),
             ("used iphone", "used galaxy phone", "refurbished smartphone"), (120_000, 1_100_000),
             ("중고", "second-hand", "unlocked", "자급제"),
             {"condition": CONDITIONS, "color": ("black", "white", "gray", "blue"),
              "storage": ("128gb", "256gb", "512gb")}),
    Category("used/electronics/laptop", "used", ("중고 노트북", "중고 맥북", "리퍼 노트북"),
             ("used laptop", "used macbook", "refurbished laptop"), (250_000, 1_900_000),
             ("중고", "second-hand", "ssd"), {"condition": CONDITIONS, "ram": ("8gb", "16gb", "32gb")}),
    Category("used/furniture/chair", "used", ("중고 의자", "중고 사무용 의자", "빈티지 체어"),
             ("used office chair", "vintage chair", "second-hand desk chair"), (20_000, 450_000),
             ("중고", "vintage", "빈티지", "ergonomic"), _USED),
    Category("used/books", "used", ("중고 책", "중고 전공서적", "중고 소설"),
             ("used book", "second-hand textbook", "used novel"), (2_000, 35_000),
             ("중고", "도서", "books"), {"condition": CONDITIONS}),
    Category("used/camera", "used", ("중고 카메라", "중고 미러리스", "필름 카메라"),
             ("used camera", "used mirrorless camera", "film camera"), (90_000, 1_500_000),
             ("중고", "camera", "렌즈"), {"condition": CONDITIONS}),
)

BRANDS: dict[str, tuple[str, ...]] = {
    "beauty": ("Dewlab", "Hanbit", "Soonsoo", "Purelane", "Mellowday", "Cica Garden", "Aqualume",
               "Bareform", "Nuage", "Greenleaf", "Rosefield", "Skinroot", "Daily Dew", "Moa Skin"),
    "fashion": ("Urban Loom", "Seoul Standard", "Northfold", "Maru", "Linen&Co", "Hangang Denim",
                "Stride", "Oakline", "Cotton Cloud", "Basic Theory", "Mono Atelier", "Fieldwork",
                "Pace Runner"),
    "home": ("Hearth", "Nest & Co", "Ondol Living", "Kitchenwise", "Lumi", "Softnest", "Bada Bath",
             "Grain House", "Mokmul", "Stillroom", "Haneul Home", "Plainware"),
    "used": ("Apple", "Samsung", "LG", "Herman Miller", "Fujifilm", "Sony", "Canon", "Lenovo",
             "Ikea", "Minumsa", "Changbi"),
}
ALL_BRANDS: tuple[str, ...] = tuple(b for group in BRANDS.values() for b in group)

ADJ = {
    "beauty": (("오일프리", "oil-free"), ("저자극", "gentle"), ("약산성", "low-pH"),
               ("무향", "fragrance-free"),
               ("고보습", "deep hydrating"), ("진정", "soothing"), ("비타민", "vitamin"),
               ("시카", "cica"), ("히알루론산", "hyaluronic"), ("산뜻한", "lightweight")),
    "fashion": (("오버핏", "oversized"), ("슬림핏", "slim fit"), ("베이직", "basic"), ("빈티지", "vintage"),
                ("가벼운", "lightweight"), ("따뜻한", "warm"), ("방수", "waterproof"), ("데일리", "everyday"),
                ("클래식", "classic"), ("스트레치", "stretch")),
    "home": (("북유럽", "nordic"), ("미니멀", "minimal"), ("대용량", "large"), ("친환경", "eco-friendly"),
             ("무소음", "silent"), ("부드러운", "soft"), ("항균", "antibacterial"), ("원목", "solid wood"),
             ("호텔식", "hotel-style"), ("접이식", "foldable")),
    "used": (("깨끗한", "clean"), ("풀박스", "boxed"), ("정품", "genuine"), ("급처", "quick-sale"),
             ("직거래", "local pickup"), ("배터리 좋은", "good battery"), ("미개봉", "sealed"),
             ("생활기스", "minor scratches"), ("빈티지", "vintage"), ("저렴한", "cheap")),
}
SIZE_SUFFIX_KO = ("50ml", "100ml", "150ml", "200ml", "1+1", "2개입", "기획세트", "")
SIZE_SUFFIX_EN = ("50ml", "100ml", "150ml", "2-pack", "set", "")

KO_SENTENCES = {
    "beauty": ("{skin} 피부를 위한 {adj} {noun}입니다.", "가볍게 흡수되어 끈적임 없이 촉촉함을 유지합니다.",
               "{concern} 고민이 있는 분께 추천합니다.", "피부과 테스트를 완료한 저자극 포뮬러입니다.",
               "아침저녁 세안 후 적당량을 펴 발라 주세요.", "민감한 피부도 부담 없이 사용할 수 있습니다."),
    "fashion": ("{color} 컬러의 {adj} {noun}입니다.", "{material} 소재로 착용감이 편안합니다.",
                "데일리룩부터 출근룩까지 다양하게 연출할 수 있습니다.", "정사이즈로 주문하시길 권장합니다.",
                "세탁 후에도 변형이 적습니다.", "사계절 내내 활용하기 좋은 아이템입니다."),
    "home": ("{adj} 디자인의 {noun}입니다.", "{material} 소재로 오래 사용할 수 있습니다.",
             "좁은 공간에도 잘 어울리는 크기입니다.", "선물용으로도 인기가 많습니다.",
             "관리가 쉽고 세척이 간편합니다.", "집들이 선물로 추천합니다."),
    "used": ("{condition} {noun} 판매합니다.", "구매 후 실사용 기간은 짧습니다.",
             "직거래와 택배 모두 가능합니다.", "구성품은 사진과 같습니다.", "네고는 정중히 사양합니다.",
             "작동에 이상 없습니다."),
}
EN_SENTENCES = {
    "beauty": ("A {adj} {noun} made for {skin} skin.", "Absorbs quickly and leaves no sticky residue.",
               "Recommended if you struggle with {concern}.", "Dermatologist-tested and free of harsh "
               "fragrance.", "Apply morning and evening after cleansing.", "Gentle enough for daily use."),
    "fashion": ("A {adj} {noun} in {color}.", "Made from {material} for all-day comfort.",
                "Easy to style for the office or the weekend.", "Fits true to size.",
                "Keeps its shape after washing.", "A wardrobe staple for every season."),
    "home": ("A {adj} {noun} for everyday living.", "Crafted from {material} to last for years.",
             "Compact enough for small apartments.", "A popular housewarming gift.",
             "Easy to clean and care for.", "Designed to match any interior."),
    "used": ("Selling a {condition} {noun}.", "Lightly used and well cared for.",
             "Local pickup or shipping available.", "Comes with everything shown in the photos.",
             "Price is firm.", "Works perfectly, no issues."),
}
CONCERN_KO = {"oiliness": "유분", "pores": "모공", "dryness": "건조함", "acne": "트러블", "redness": "홍조",
              "wrinkles": "주름", "dullness": "칙칙함", "sun-damage": "자외선"}
SKIN_KO = {"oily": "지성", "dry": "건성", "combination": "복합성", "sensitive": "민감성", "normal": "중성"}


def _price(rng: random.Random, lo: int, hi: int) -> int:
    # Round to the hundreds (900-ending prices, as Korean shops often use, half of the time).
    value = int(rng.uniform(lo, hi) / 100) * 100
    return max(100, value - 100 if rng.random() < 0.5 and value % 1000 == 0 else value)


def _attributes(rng: random.Random, cat: Category) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for key, values in cat.attrs.items():
        if key in ("skin_type", "concerns"):
            attrs[key] = sorted(rng.sample(values, k=rng.randint(1, 2)))
        else:
            attrs[key] = rng.choice(values)
    if cat.domain == "beauty":
        attrs["fragrance_free"] = rng.random() < 0.4
    return attrs


_ARTICLE = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])")  # "a eco-friendly" -> "an eco-friendly"


def _fill(template: str, *, noun: str, adj: str, attrs: dict[str, Any], ko: bool) -> str:
    skin = (attrs.get("skin_type") or ["normal"])[0]
    concern = (attrs.get("concerns") or ["dryness"])[0]
    color = attrs.get("color", "black")
    condition = attrs.get("condition", "good")
    text = template.format(
        noun=noun, adj=adj, material=attrs.get("material", "cotton"),
        skin=SKIN_KO[skin] if ko else skin, concern=CONCERN_KO[concern] if ko else concern,
        color=COLOR_KO.get(color, color) if ko else color,
        condition=CONDITION_KO.get(condition, condition) if ko else condition,
    )
    return _ARTICLE.sub(r"\1n ", text) if not ko else text


def product(rng: random.Random, number: int) -> dict[str, Any]:
    """One catalog row; call with the same RNG state to get the same row."""
    cat = rng.choice(CATEGORIES)
    brand = rng.choice(BRANDS[cat.domain])
    ko = rng.random() < 0.5
    adj_ko, adj_en = rng.choice(ADJ[cat.domain])
    attrs = _attributes(rng, cat)
    color = attrs.get("color")
    if ko:
        noun = rng.choice(cat.ko)
        parts = [brand, adj_ko, COLOR_KO[color] if color and rng.random() < 0.4 else "", noun,
                 rng.choice(SIZE_SUFFIX_KO) if cat.domain == "beauty" else ""]
        sentences = KO_SENTENCES[cat.domain]
        adj = adj_ko
    else:
        noun = rng.choice(cat.en)
        parts = [brand, adj_en.title() if rng.random() < 0.5 else adj_en,
                 color.title() if color and rng.random() < 0.4 else "", noun.title(),
                 rng.choice(SIZE_SUFFIX_EN) if cat.domain == "beauty" else ""]
        sentences = EN_SENTENCES[cat.domain]
        adj = adj_en
    title = " ".join(p for p in parts if p)
    picked = [sentences[0], *rng.sample(sentences[1:], k=rng.randint(2, 4))]
    description = " ".join(_fill(s, noun=noun, adj=adj, attrs=attrs, ko=ko) for s in picked)
    tags = sorted(set(rng.sample(cat.tags, k=min(len(cat.tags), rng.randint(1, 3)))
                      + [noun.replace(" ", "-") if not ko else noun.replace(" ", "")]))
    stock = 0 if rng.random() < 0.1 else rng.randint(1, 500)
    return {
        "sku": f"BM-{number:07d}",
        "title": title,
        "description": description,
        "brand": brand,
        "category": cat.path,
        "price": _price(rng, *cat.price),
        "currency": "KRW",
        "stock": stock,
        "tags": tags,
        "attributes": attrs,
    }


def products(n: int, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for number in range(1, n + 1):
        yield product(rng, number)


def write_jsonl(path: Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in products(n, seed):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


# Shopper queries as typed: Korean (lexical retriever only, the sentence model reads English)
# and English (lexical + semantic). Some carry budgets that parse_query turns into filters.
QUERIES_KO: tuple[str, ...] = (
    "지성 피부 수분크림", "건성 피부 보습크림 추천", "민감성 피부 진정 토너", "3만원 이하 선크림",
    "약산성 폼클렌저", "비타민 세럼", "모공 관리 클레이 마스크", "무향 립밤", "커버력 좋은 쿠션",
    "데일리 립틴트 핑크", "오버핏 반팔 티셔츠 블랙", "출근룩 셔츠", "겨울 울 코트", "가죽 자켓 10만원 이하",
    "와이드 청바지", "플리츠 스커트", "편한 운동화", "첼시 부츠 브라운", "에코백", "버킷햇",
    "인덕션 프라이팬", "보온 텀블러", "차렵이불 퀸", "메모리폼 베개", "거실 러그", "호텔 수건",
    "중고 아이폰 256", "중고 맥북 100만원 이하", "중고 사무용 의자", "필름 카메라",
)
QUERIES_EN: tuple[str, ...] = (
    "oil-free moisturizer for oily skin", "gentle cleanser for sensitive skin", "sunscreen under 30000 won",
    "vitamin c serum for dull skin", "hydrating sheet mask", "red matte lipstick",
    "black oversized t-shirt", "linen shirt for summer", "warm wool coat", "leather jacket",
    "wide leg jeans", "running shoes with cushioning", "waterproof boots", "canvas tote bag",
    "non-stick frying pan for induction", "insulated tumbler that does not leak", "soft throw blanket",
    "memory foam pillow for neck pain", "minimal floor lamp", "absorbent bath towel",
    "used iphone in good condition", "refurbished laptop under 1,000,000 won", "ergonomic office chair",
    "vintage film camera", "cheap second-hand textbook",
)
QUERIES: tuple[str, ...] = QUERIES_KO + QUERIES_EN

# Shopper filters as the search API takes them (`Filters`): category prefix, price range,
# stock, brand, and combinations.
FILTER_SETS: tuple[dict[str, Any], ...] = (
    {"category": "skincare"},
    {"category": "skincare/cream", "in_stock": True},
    {"category": "fashion", "price_max": 50_000},
    {"category": "fashion/shoes", "price_min": 50_000, "price_max": 150_000},
    {"in_stock": True},
    {"price_min": 10_000, "price_max": 30_000, "in_stock": True},
    {"brand": "Dewlab"},
    {"brand": "Urban Loom", "in_stock": True},
    {"category": "home", "in_stock": True, "price_max": 100_000},
    {"category": "used/electronics", "price_max": 800_000},
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_jsonl(args.out, args.products, args.seed)
    print(f"wrote {args.products} products to {args.out}")


if __name__ == "__main__":
    main()
