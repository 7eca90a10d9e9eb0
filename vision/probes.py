"""Linear-probe heads: logistic regression on CLIP image embeddings, one per skin attribute.

Zero-shot prompts know only what CLIP learned from web captions; labeled photos (e.g. made
by dermatology-trained annotators) teach each attribute directly. A probe is a few hundred
numbers per attribute, so it trains in seconds on CPU and is stored as plain JSON (never a
pickle: loading a pickle runs code from the file).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "y", "present", "positive"}
_FALSE = {"0", "false", "no", "n", "absent", "negative"}


class ProbeTrainingError(ValueError):
    """The labels cannot train a probe; the message says what is missing."""


def parse_label(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ProbeTrainingError(f"label {value!r} is not one of 1/0, yes/no, true/false, "
                             "present/absent")


@dataclass(frozen=True)
class ProbeHead:
    attribute: str
    coef: list[float]
    intercept: float
    samples: int
    positives: int
    # Mean accuracy of k-fold cross-validation at training time; None with too few labels.
    cv_accuracy: float | None

    def predict(self, embeddings: np.ndarray) -> np.ndarray:
        """P(attribute visible) for each row of L2-normalised CLIP image embeddings."""
        z = embeddings @ np.asarray(self.coef, dtype=np.float32) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class ProbeSet:
    """Heads trained on one CLIP model's embedding space; useless (and refused) for another."""

    clip_model: str
    clip_weights: str
    dim: int
    heads: dict[str, ProbeHead]

    def fits(self, clip_model: str, clip_weights: str, dim: int) -> bool:
        return (self.clip_model, self.clip_weights, self.dim) == (clip_model, clip_weights, dim)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {"clip_model": self.clip_model, "clip_weights": self.clip_weights, "dim": self.dim,
                "heads": {k: asdict(v) for k, v in self.heads.items()}}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(body))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> ProbeSet:
        body = json.loads(path.read_text())
        heads = {k: ProbeHead(**v) for k, v in body["heads"].items()}
        return cls(body["clip_model"], body["clip_weights"], int(body["dim"]), heads)


def train_head(attribute: str, embeddings: np.ndarray, labels: Sequence[bool]) -> ProbeHead:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    y = np.asarray(labels, dtype=int)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        raise ProbeTrainingError(
            f"{attribute}: needs photos labeled both with and without it "
            f"(have {positives} with, {negatives} without).")
    # Balanced weights: visible concerns are usually the minority class in labeled sets.
    # Standardised features: CLIP embeddings are unit vectors whose attribute signal sits in
    # small differences, which an unscaled, regularised fit would shrink towards 0.5.
    clf = make_pipeline(StandardScaler(),
                        LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced"))
    folds = min(5, positives, negatives)
    accuracy = None
    if folds >= 2:
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        accuracy = round(float(cross_val_score(clf, embeddings, y, cv=cv).mean()), 3)
    clf.fit(embeddings, y)
    scaler, logreg = clf[0], clf[1]
    # Fold the scaler into the linear head so prediction is one dot product.
    coef = logreg.coef_[0] / scaler.scale_
    intercept = float(logreg.intercept_[0] - (logreg.coef_[0] * scaler.mean_ / scaler.scale_).sum())
    return ProbeHead(attribute=attribute, coef=[float(c) for c in coef], intercept=intercept,
                     samples=len(y), positives=positives, cv_accuracy=accuracy)


def train_probes(embeddings: np.ndarray, attributes: Sequence[str], labels: Sequence[bool], *,
                 clip_model: str, clip_weights: str, allowed: Sequence[str]) -> ProbeSet:
    """One head per attribute; `embeddings[i]` is the photo of row i."""
    unknown = sorted(set(attributes) - set(allowed))
    if unknown:
        raise ProbeTrainingError(f"unknown attributes {unknown}; use {', '.join(allowed)}")
    heads: dict[str, ProbeHead] = {}
    attrs = np.asarray(attributes)
    for attribute in sorted(set(attributes)):
        mask = attrs == attribute
        heads[attribute] = train_head(attribute, embeddings[mask],
                                      [lab for lab, m in zip(labels, mask, strict=True) if m])
    return ProbeSet(clip_model, clip_weights, int(embeddings.shape[1]), heads)
