"""Cosmetic-not-medical policy: when it applies and what the shopper is told."""

from __future__ import annotations

import re

_SKIN = re.compile(
    r"피부|여드름|트러블|홍조|기미|주름|모공|각질|건성|지성|민감|skin|acne|pimple|redness|"
    r"wrinkle|pore|blemish|eczema|rash|dermat",
    re.I,
)

COSMETIC_NOTICE = {
    "ko": "안내: 화장품 추천이며 의학적 진단이나 치료가 아닙니다. 피부 질환이 걱정되면 "
          "전문가와 상담하세요.",
    "en": "Note: these are cosmetic suggestions, not a medical diagnosis or treatment. If you "
          "are worried about a skin condition, please talk to a professional.",
}


def skin_related(text: str) -> bool:
    return bool(_SKIN.search(text))


def notice_for(text: str, language: str) -> str | None:
    return COSMETIC_NOTICE["ko" if language == "ko" else "en"] if skin_related(text) else None
