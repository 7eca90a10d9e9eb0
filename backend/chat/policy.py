"""Cosmetic-not-medical policy: when it applies, what the shopper is told, what an answer may say.

Skin consultations stay cosmetic (DOMAIN.md): no diagnosis, no treatment or prescription
advice, no steering toward a clinic or a procedure. The notice is added in code, never left
to a model, and a generated answer that makes a medical claim is replaced by the template.
"""

from __future__ import annotations

import re

_SKIN = re.compile(
    r"피부|여드름|트러블|홍조|기미|주름|모공|각질|건성|지성|민감|뾰루지|발진|염증|가려|따가|"
    r"skin|acne|pimple|redness|wrinkle|pore|blemish|eczema|rash|dermat|rosacea|psoriasis|itch",
    re.I,
)
# A shopper asking for medical help gets the notice even without a skin word ("약 처방해줘").
_MEDICAL_ASK = re.compile(
    r"진단|처방|치료|병원|피부과|약\s*(?:추천|먹|복용|바르)|연고|시술|"
    r"diagnos|prescri|medication|medicine|treat(?:ment)?\b|cure|clinic|doctor|ointment",
    re.I,
)

COSMETIC_NOTICE = {
    "ko": "안내: 화장품 추천이며 의학적 진단이나 치료가 아닙니다. 피부 질환이 걱정되면 "
          "전문가와 상담하세요.",
    "en": "Note: these are cosmetic suggestions, not a medical diagnosis or treatment. If you "
          "are worried about a skin condition, please talk to a professional.",
}

# What a cosmetic answer must never claim, in Korean and English. Each entry: (kind, pattern).
_CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("diagnosis", re.compile(
        r"진단|(?:피부염|습진|건선|주사|여드름|모낭염|아토피|질환|병)(?:이|으로)?\s*(?:입니다|이에요|예요|같아요|"
        r"같습니다|보입니다|보여요|의심)|"
        r"\bdiagnos\w*|\byou (?:have|suffer from|likely have|probably have|may have|might have)\s+"
        r"(?:a |an )?(?:\w+ )?(?:acne|eczema|rosacea|psoriasis|dermatitis|infection|condition|"
        r"disease|disorder)|\b(?:sounds|looks) like (?:a |an )?(?:\w+ )?(?:eczema|rosacea|"
        r"psoriasis|dermatitis|infection|disease|disorder)", re.I)),
    ("treatment", re.compile(
        r"처방|치료(?:제|법|하|해|할|됩|돼|를|가|에)|완치|낫게|복용|항생제|스테로이드|레티노이드\s*처방|"
        r"이소트레티노인|\bprescri\w*|\bantibiotic\w*|\bsteroid\w*|\bisotretinoin\b|"
        r"\btretinoin\b|\baccutane\b|\bdosage\b|\bdose\b|\bmedicat\w*|\bcures?\b|\bheals?\b|"
        r"\btreats?\b|\btreating\b|\btreatment (?:for|of)\b|\btake (?:\d+ ?mg|pills?|tablets?)",
        re.I)),
    ("clinic", re.compile(
        r"피부과|병원|클리닉|시술|레이저|예약하|\bclinic\w*|\bdermatologist\w*|\bhospital\w*|"
        r"\bprocedure\w*|\blaser\b|\bbook (?:an? )?(?:appointment|visit|session)|"
        r"\bsee a doctor\b|\bvisit (?:a |your )?doctor", re.I)),
)


def skin_related(text: str) -> bool:
    return bool(_SKIN.search(text))


def medical_request(text: str) -> bool:
    """The shopper asked for diagnosis, treatment or a clinic (answered cosmetically)."""
    return bool(_MEDICAL_ASK.search(text))


def notice_for(text: str, language: str) -> str | None:
    if skin_related(text) or medical_request(text):
        return COSMETIC_NOTICE["ko" if language == "ko" else "en"]
    return None


def medical_claims(text: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """Kinds of medical claim in an answer (diagnosis, treatment, clinic); empty when clean.

    `allowed` are catalog facts said verbatim (product titles such as "spot treatment gel")
    and are not claims; the cosmetic notices are ours and are removed before checking.
    """
    for fixed in (*COSMETIC_NOTICE.values(), *sorted(allowed, key=len, reverse=True)):
        if fixed:
            text = text.replace(fixed, " ")
    return [kind for kind, pattern in _CLAIMS if pattern.search(text)]
