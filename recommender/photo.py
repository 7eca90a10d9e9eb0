"""A shopper's photo as part of a query: its CLIP vector and what its analysis found.

The photo's image embedding searches the products' `image` vectors (looks alike) and their
CLIP `text` vectors (what CLIP reads in the photo). Findings of the photo's analysis
(skin concerns, item colour and category) become boosts: extra prefetches restricted by a
payload condition, so products that fit rank higher through RRF while nothing is filtered
out. Everything still runs in the one `query_points` call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommender.boosts import Boost, boost_prefetches
from recommender.index import Hit, Prefetch
from recommender.lexical import LexicalAnalyzer
from recommender.reasons import Reason

PHOTO_IMAGE_WEIGHT = 1.0
PHOTO_TEXT_WEIGHT = 0.5
# An analysed photo is the turn's main context (the shopper showed their skin or the item):
# its findings weigh twice the text retrievers together, so products that fit the photo come
# first and the words order them (with RRF's small k, anything less lets a tie on the words
# decide). Never less than this floor, e.g. for a photo-only search.
BOOST_MIN_WEIGHT = 1.0
BOOST_FACTOR = 2.0
# Cosine similarity of two CLIP image embeddings above which "looks similar" is worth saying.
VISUAL_REASON_MIN = 0.5


@dataclass(frozen=True)
class PhotoQuery:
    photo_id: str
    image_vector: np.ndarray | None = None
    analysis_id: str | None = None
    kind: str | None = None
    # concern -> (English label, Korean label), e.g. redness -> ("visible redness", "붉은기")
    concerns: dict[str, tuple[str, str]] = field(default_factory=dict)
    colors: tuple[str, ...] = ()
    category: str | None = None

    def boosts(self) -> list[Boost]:
        out = []
        if self.concerns:
            out.append(Boost("attributes.concerns", tuple(self.concerns),
                             " ".join(self.concerns)))
        if self.colors:
            out.append(Boost("attributes.color", self.colors, " ".join(self.colors)))
        if self.category:
            out.append(Boost("category", (self.category,), self.category.replace("/", " ")))
        return out


def photo_prefetches(photo: PhotoQuery, lexical: LexicalAnalyzer, *, text_weight: float = 0.0,
                     ) -> tuple[list[Prefetch], dict[str, np.ndarray]]:
    """Prefetches for the fused query, and the query vectors to fetch for reasons.

    `text_weight` is the summed RRF weight of the text query's own prefetches.
    """
    boost_weight = max(BOOST_MIN_WEIGHT, BOOST_FACTOR * text_weight)
    prefetches: list[Prefetch] = []
    vectors: dict[str, np.ndarray] = {}
    if photo.image_vector is not None:
        vec = photo.image_vector.tolist()
        prefetches.append(Prefetch("image", vec, PHOTO_IMAGE_WEIGHT))
        prefetches.append(Prefetch("text", vec, PHOTO_TEXT_WEIGHT))
        vectors["image"] = photo.image_vector
    prefetches += boost_prefetches(photo.boosts(), lexical, boost_weight)
    return prefetches, vectors


def photo_reasons(hit: Hit, photo: PhotoQuery, language: str) -> list[Reason]:
    """Reasons grounded in the photo: measured similarity and the analysis' findings."""
    ko = language == "ko"
    reasons: list[Reason] = []
    product_vec = hit.vectors.get("image")
    if photo.image_vector is not None and product_vec is not None \
            and product_vec.shape == photo.image_vector.shape:
        sim = float(np.dot(photo.image_vector, product_vec))
        if sim >= VISUAL_REASON_MIN:
            text = "올려주신 사진과 비슷해 보여요" if ko else "Looks similar to your photo"
            reasons.append(Reason("visual_match", text,
                                  {"similarity": round(sim, 3), "photo_id": photo.photo_id}))
    attrs = hit.payload.get("attributes", {})
    source = {"photo_id": photo.photo_id, "analysis_id": photo.analysis_id}
    concerns = [c for c in photo.concerns if c in attrs.get("concerns", [])]
    if concerns:
        labels = [photo.concerns[c][1 if ko else 0] for c in concerns]
        text = (f"사진에서 보인 {', '.join(labels)}에 맞춘 제품" if ko
                else f"For {', '.join(labels)} seen in your photo")
        reasons.append(Reason("photo_analysis", text,
                              {"attribute": "concerns", "values": concerns, **source}))
    colors = [c for c in photo.colors if c in attrs.get("color", [])]
    if colors:
        text = (f"사진 속 색상과 같은 {', '.join(colors)}" if ko
                else f"Same colour as your photo ({', '.join(colors)})")
        reasons.append(Reason("photo_analysis", text,
                              {"attribute": "color", "values": colors, **source}))
    if photo.category and photo.category in hit.payload.get("category", []):
        text = (f"사진 속 상품과 같은 종류 ({photo.category})" if ko
                else f"Same kind of item as your photo ({photo.category})")
        reasons.append(Reason("photo_analysis", text,
                              {"attribute": "category", "values": [photo.category], **source}))
    return reasons
