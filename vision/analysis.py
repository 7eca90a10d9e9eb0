"""Photo analysis with one CLIP model: cosmetic skin attributes and second-hand item facts.

Scores come from zero-shot prompts (what CLIP learned from captions) and, where a merchant
trained them, linear-probe heads (what labeled photos taught). The wording is deliberately
cosmetic ("visible redness"), never a diagnosis: this module describes how skin looks in a
photo, the backend adds the not-medical notice to every result.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from vision.clip import ClipEncoder
from vision.colors import dominant_colors
from vision.probes import ProbeSet

# English prompts: CLIP's text tower reads English whatever language the shopper speaks.
# Each attribute contrasts "visible" with "not visible" prompt sets (averaged embeddings).
SKIN_PROMPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "oiliness": (("a close-up photo of oily, shiny skin", "a photo of a face with greasy skin"),
                 ("a close-up photo of matte skin without shine", "a photo of a face with matte skin")),
    "dryness": (("a close-up photo of dry, flaky skin", "a photo of rough, dehydrated skin"),
                ("a close-up photo of smooth, hydrated skin", "a photo of supple, moist skin")),
    "redness": (("a close-up photo of skin with visible redness", "a photo of flushed red cheeks"),
                ("a close-up photo of skin with an even tone", "a photo of skin without redness")),
    "acne": (("a close-up photo of skin with pimples", "a photo of a face with acne breakouts"),
             ("a close-up photo of clear skin", "a photo of a face without blemishes")),
    "pigmentation": (("a close-up photo of skin with dark spots", "a photo of uneven skin tone "
                      "with sun spots"),
                     ("a close-up photo of skin without dark spots", "a photo of even skin tone")),
    "wrinkles": (("a close-up photo of skin with visible wrinkles", "a photo of fine lines "
                  "around the eyes"),
                 ("a close-up photo of smooth skin without wrinkles", "a photo of firm skin")),
    "pores": (("a close-up photo of skin with large visible pores", "a photo of enlarged pores "
               "on the nose"),
              ("a close-up photo of skin with barely visible pores", "a photo of refined pores")),
}
SKIN_ATTRIBUTES = tuple(SKIN_PROMPTS)
SKIN_LABELS = {
    "oiliness": ("visible shine", "번들거림"), "dryness": ("visible dryness", "건조함"),
    "redness": ("visible redness", "붉은기"), "acne": ("visible blemishes", "트러블"),
    "pigmentation": ("uneven tone", "색소 침착"), "wrinkles": ("visible fine lines", "잔주름"),
    "pores": ("visible pores", "모공"),
}

CONDITION_PROMPTS: dict[str, str] = {
    "new": "a photo of a brand-new, unused item in its original packaging",
    "like_new": "a photo of an item that looks like new, without signs of use",
    "good": "a photo of a used item in good condition",
    "worn": "a photo of a worn item with visible signs of use",
    "damaged": "a photo of a damaged, stained or broken item",
}

# A concern is reported when its score reaches this; lower scores are shown but not acted on.
CONCERN_MIN_SCORE = 0.6


def level(score: float) -> str:
    return "high" if score >= CONCERN_MIN_SCORE else "medium" if score >= 0.4 else "low"


class ZeroShot:
    """Prompt embeddings computed once per model and reused for every photo."""

    def __init__(self, clip: ClipEncoder) -> None:
        self.clip = clip
        self._cache: dict[tuple[str, ...], np.ndarray] = {}
        self._lock = threading.Lock()
        scale = getattr(clip.model, "logit_scale", None)
        # The model's own temperature (100 for OpenAI CLIP, learned for fine-tuned ones).
        self.logit_scale = float(scale.exp().item()) if scale is not None else 100.0

    def class_embedding(self, prompts: Sequence[str]) -> np.ndarray:
        key = tuple(prompts)
        with self._lock:
            if key not in self._cache:
                vecs = self.clip.encode_texts(list(prompts))
                mean = vecs.mean(axis=0)
                self._cache[key] = mean / (np.linalg.norm(mean) or 1.0)
            return self._cache[key]

    def probabilities(self, image_embs: np.ndarray, classes: Sequence[Sequence[str]]) -> np.ndarray:
        """Softmax over classes (each a prompt ensemble) for each image: shape (n, classes)."""
        text = np.stack([self.class_embedding(c) for c in classes])
        logits = self.logit_scale * image_embs @ text.T
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class VisionAnalyzer:
    """Analyses batches of photos; built once per process around the loaded CLIP model."""

    clip: ClipEncoder
    probes: ProbeSet | None = None

    def __post_init__(self) -> None:
        self.zero_shot = ZeroShot(self.clip)

    def embed(self, images: Sequence[Image.Image], batch_size: int = 32) -> np.ndarray:
        return self.clip.encode_images(list(images), batch_size=batch_size)

    def skin(self, embeddings: np.ndarray) -> list[dict[str, Any]]:
        """Per photo: a score, level and confidence for every skin attribute, and its concerns."""
        per_attr: dict[str, dict[str, np.ndarray]] = {}
        for attr, (pos, neg) in SKIN_PROMPTS.items():
            zs_all = self.zero_shot.probabilities(embeddings, [pos, neg])[:, 0]
            head = self.probes.heads.get(attr) if self.probes else None
            per_attr[attr] = {"zero_shot": zs_all}
            if head is not None:
                per_attr[attr]["probe"] = head.predict(embeddings)
        results = []
        for i in range(len(embeddings)):
            attributes: list[dict[str, Any]] = []
            for attr in SKIN_ATTRIBUTES:
                zs: float = float(per_attr[attr]["zero_shot"][i])
                head = self.probes.heads.get(attr) if self.probes else None
                score: float = float(per_attr[attr]["probe"][i]) if head is not None else zs
                attributes.append({
                    "attribute": attr, "label": SKIN_LABELS[attr][0],
                    "label_ko": SKIN_LABELS[attr][1], "score": round(score, 3),
                    "level": level(score),
                    # How far from undecided (0.5) the score is: 0 = a coin flip, 1 = certain.
                    "confidence": round(abs(2 * score - 1), 3),
                    "method": "probe" if head is not None else "zero_shot",
                    "zero_shot_score": round(zs, 3),
                    "probe_cv_accuracy": head.cv_accuracy if head is not None else None,
                })
            concerns = sorted((a for a in attributes if a["score"] >= CONCERN_MIN_SCORE),
                              key=lambda a: -a["score"])
            results.append({"attributes": attributes,
                            "concerns": [a["attribute"] for a in concerns[:3]]})
        return results

    def item(self, embeddings: np.ndarray, images: Sequence[Image.Image],
             categories: Sequence[str]) -> list[dict[str, Any]]:
        """Per photo: the likeliest of the merchant's categories, colours and condition."""
        cond_names = list(CONDITION_PROMPTS)
        cond = self.zero_shot.probabilities(embeddings, [[CONDITION_PROMPTS[c]] for c in cond_names])
        cats = (self.zero_shot.probabilities(embeddings, [category_prompts(c) for c in categories])
                if categories else None)
        out = []
        for i, image in enumerate(images):
            result = item_colors(image)
            if cats is not None:
                order = np.argsort(-cats[i])[:3]
                result["category"] = {
                    "top": categories[order[0]], "confidence": round(float(cats[i][order[0]]), 3),
                    "candidates": [{"category": categories[j], "probability": round(float(cats[i][j]), 3)}
                                   for j in order],
                }
            else:
                result["category"] = None
            best = int(cond[i].argmax())
            result["condition"] = {
                "label": cond_names[best], "confidence": round(float(cond[i][best]), 3),
                "probabilities": {c: round(float(p), 3) for c, p in zip(cond_names, cond[i],
                                                                        strict=True)},
            }
            out.append(result)
        return out


def category_prompts(path: str) -> list[str]:
    """`fashion/bag/tote` -> prompts naming the leaf and its parent, for a prompt ensemble."""
    parts = [p.replace("-", " ").replace("_", " ") for p in path.split("/") if p]
    leaf = parts[-1] if parts else path
    prompts = [f"a photo of a {leaf}", f"a product photo of a {leaf}"]
    if len(parts) > 1:
        prompts.append(f"a photo of a {leaf}, a kind of {parts[-2]}")
    return prompts


def item_colors(image: Image.Image) -> dict[str, Any]:
    """The pixel-only part of item analysis: it needs no model, so it works without CLIP."""
    colors, background = dominant_colors(image)
    return {"colors": [{"name": c.name, "share": c.share, "rgb": list(c.rgb)} for c in colors],
            "background": background}
