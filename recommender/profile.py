"""What a shopper told the app about themselves, as gentle boosts and stated reasons.

A profile (skin type, concerns, preferred colours) is background context, so unlike a
photo's findings its boost re-runs the query's own retriever restricted to products that fit
the profile: a product gains only if it matches the words *and* the profile, and a
lipstick search never fills up with creams for oily skin. Among the query's matches it
weighs 1.5x the query's own retrievers together: RRF with a small k turns an exact tie on the
words into a large gap, and a stated skin type should decide between equally good matches.
Values
are the merchant's attribute values (`attributes.skin_type`, `attributes.concerns`,
`attributes.color`); concept names from the vocabulary are labelled in the shopper's
language in reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from recommender.boosts import Boost
from recommender.index import LEXICAL, Hit, Prefetch
from recommender.reasons import Reason
from recommender.vocabulary import CONCEPT_PREFIX, concept_labels

PROFILE_FACTOR = 1.5
PROFILE_MIN_WEIGHT = 1.0
# payload attribute -> profile field, in the order reasons are stated
FIELDS = (("skin_type", "skin_types"), ("concerns", "concerns"), ("color", "colors"))


@dataclass(frozen=True)
class ShopperProfile:
    skin_types: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()

    def boosts(self) -> list[Boost]:
        return [Boost(f"attributes.{attr}", values, " ".join(values))
                for attr, name in FIELDS if (values := getattr(self, name))]


def profile_prefetches(profile: ShopperProfile, query: Sequence[Prefetch]) -> list[Prefetch]:
    """The query's lexical retriever (else its sentence one) again, once per profile field,
    restricted to products with that attribute value."""
    base = next((p for p in query if p.using == LEXICAL), None) or next(
        (p for p in query if p.using == "semantic"), None)
    if base is None:
        return []
    weight = max(PROFILE_MIN_WEIGHT, PROFILE_FACTOR * sum(p.weight for p in query))
    return [replace(base, weight=weight, conditions=((b.key, b.values),))
            for b in profile.boosts()]


def profile_reasons(hit: Hit, profile: ShopperProfile, language: str) -> list[Reason]:
    """One reason per profile field the product's attributes actually carry."""
    ko = language == "ko"
    attrs = hit.payload.get("attributes", {})
    labels = concept_labels()
    reasons = []
    for attr, name in FIELDS:
        matched = [v for v in getattr(profile, name) if v in attrs.get(attr, [])]
        if not matched:
            continue
        words = ", ".join(labels.get(CONCEPT_PREFIX + v, {}).get(language, v) for v in matched)
        text = f"프로필의 {words}에 맞춘 제품" if ko else f"Suits your profile: {words}"
        reasons.append(Reason("profile", text, {"attribute": attr, "values": matched}))
    return reasons
