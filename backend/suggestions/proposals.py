"""What to suggest for one product's empty fields, from its images and its text.

Each proposal names its method in `source`, because the methods differ in what their
confidence means:

- `clip_zero_shot` (category): CLIP's softmax probability over the merchant's own category
  paths for the product's first image (the item analyzer in `vision/analysis.py`).
- `semantic_text` (category, when there is no CLIP or no image): cosine similarity between
  the product text and each category path's name under the sentence model. Not a
  probability; proposals below `TEXT_MIN_SIMILARITY` are dropped.
- `pixels` (colour): the share of the subject's pixels the dominant named colour covers.
- `text` (tags): vocabulary concepts stated in the title or description. They are read, not
  guessed, so confidence is 1.0; the merchant still decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from recommender.encoders import Encoders
from recommender.lexical import detect_language
from vision.analysis import VisionAnalyzer, item_colors

CATEGORY = "category"
TAGS = "tags"
COLOR = "attributes.color"

# Cosine similarity under which a text-based category is noise for all-MiniLM-L6-v2 (the same
# floor the dense retriever uses for queries, `semantic_min_score`).
TEXT_MIN_SIMILARITY = 0.25
MAX_TAGS = 8


@dataclass(frozen=True)
class Proposal:
    field: str
    value: Any
    confidence: float
    source: str


@dataclass
class Subject:
    """A product's facts as read in the task, with the fields still open for suggestion."""

    product_id: str
    merchant_id: str
    title: str
    description: str
    fields: set[str]
    image: Image.Image | None = None

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}".strip(". ")


def category_name(path: str) -> str:
    """`skincare/cream` -> `cream (skincare)`: the leaf names the thing, the parent the aisle."""
    parts = [p.replace("-", " ").replace("_", " ") for p in path.split("/") if p]
    if len(parts) < 2:
        return parts[0] if parts else path
    return f"{parts[-1]} ({' '.join(parts[:-1])})"


def concept_tags(encoders: Encoders, text: str) -> list[str]:
    """Vocabulary concepts in the text, named in the text's own language, in order of mention."""
    lexical = encoders.lexical
    vocab = lexical.vocabulary
    if vocab is None:
        return []
    language = detect_language(text)
    tags: list[str] = []
    for token in lexical.terms_and_concepts(text):
        concept = vocab.concept(token) if token.startswith("@") else None
        if concept is not None:
            label = concept.label(language)
            if label not in tags:
                tags.append(label)
    return tags[:MAX_TAGS]


def semantic_text(encoders: Encoders, text: str) -> str | None:
    """The text the sentence model can read: itself, or its concepts' English names.

    all-MiniLM-L6-v2 reads English only; a Korean title embedded as-is ranks by noise, but
    the concepts it states ("수분크림" -> moisturizer, cream) are English words it knows.
    """
    semantic = encoders.semantic
    if semantic is None:
        return None
    if detect_language(text) in semantic.languages:
        return text
    vocab = encoders.lexical.vocabulary
    if vocab is None:
        return None
    names = [c.label("en") for c in vocab.concepts_in(encoders.lexical.terms(text))]
    return " ".join(names) or None


def text_categories(encoders: Encoders, texts: Sequence[str | None],
                    categories: Sequence[str]) -> list[Proposal | None]:
    """Nearest category path by sentence similarity, one per text (None: nothing close)."""
    semantic = encoders.semantic
    wanted = [i for i, t in enumerate(texts) if t]
    out: list[Proposal | None] = [None] * len(texts)
    if semantic is None or not categories or not wanted:
        return out
    cat_vecs = semantic.encode([category_name(c) for c in categories])
    vecs = semantic.encode([str(texts[i]) for i in wanted])
    sims = vecs @ cat_vecs.T
    for row, i in enumerate(wanted):
        best = int(np.argmax(sims[row]))
        score = float(sims[row][best])
        if score >= TEXT_MIN_SIMILARITY:
            out[i] = Proposal(CATEGORY, categories[best], round(score, 3), "semantic_text")
    return out


def image_facts(analyzer: VisionAnalyzer | None, images: Sequence[Image.Image],
                categories: Sequence[str]) -> list[dict[str, Any]]:
    """Item analysis of each image: CLIP category and pixel colours, or colours alone."""
    if analyzer is None or not categories:
        return [{**item_colors(img), "category": None} for img in images]
    embeddings = analyzer.embed(images)
    return analyzer.item(embeddings, images, categories)


def propose(encoders: Encoders, analyzer: VisionAnalyzer | None, subjects: Sequence[Subject],
            categories: Sequence[str]) -> dict[str, list[Proposal]]:
    """Proposals for the open fields of one merchant's products, keyed by product id."""
    out: dict[str, list[Proposal]] = {s.product_id: [] for s in subjects}
    with_image = [s for s in subjects if s.image is not None]
    facts = dict(zip([s.product_id for s in with_image],
                     image_facts(analyzer, [s.image for s in with_image if s.image], categories),
                     strict=True))
    need_text = [s for s in subjects if CATEGORY in s.fields
                 and (facts.get(s.product_id) or {}).get("category") is None]
    by_text = dict(zip([s.product_id for s in need_text],
                       text_categories(encoders, [semantic_text(encoders, s.text)
                                                  for s in need_text], categories),
                       strict=True))
    for s in subjects:
        found = facts.get(s.product_id) or {}
        if CATEGORY in s.fields:
            clip_cat, text_cat = found.get("category"), by_text.get(s.product_id)
            if clip_cat is not None:
                out[s.product_id].append(Proposal(CATEGORY, clip_cat["top"],
                                                  clip_cat["confidence"], "clip_zero_shot"))
            elif text_cat is not None:
                out[s.product_id].append(text_cat)
        if COLOR in s.fields and found.get("colors"):
            top = found["colors"][0]
            out[s.product_id].append(Proposal(COLOR, top["name"], top["share"], "pixels"))
        if TAGS in s.fields:
            tags = concept_tags(encoders, s.text)
            if tags:
                out[s.product_id].append(Proposal(TAGS, tags, 1.0, "text"))
    return out
