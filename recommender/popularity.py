"""Popularity as a bounded tie-breaker on top of relevance.

Shopper feedback (clicks, kiosk scans, purchases; "not for me" counts against) becomes a
time-decayed `popularity` number per product (backend.feedback.popularity), stored in the
index payload. Ranking multiplies the fused relevance score by at most `1 + weight`, with a
saturating curve, so:

- popularity only reorders candidates that already matched the query and passed every
  filter (it never brings in an unrelated best-seller);
- a few clicks matter, a thousand do not dominate: `p / (|p| + half)` saturates;
- dismissals can push a product down by at most `weight`.
"""

from __future__ import annotations

from dataclasses import replace

from recommender.index import Hit

POPULARITY = "popularity"


def popularity_factor(popularity: float, *, weight: float, half: float) -> float:
    if not popularity or weight <= 0:
        return 1.0
    return 1.0 + weight * popularity / (abs(popularity) + half)


def rerank_by_popularity(hits: list[Hit], *, weight: float, half: float = 5.0) -> list[Hit]:
    """Scale each fused score by its popularity factor; stable for equal scores."""
    scored = [replace(h, score=h.score * popularity_factor(
        float(h.payload.get(POPULARITY) or 0.0), weight=weight, half=half)) for h in hits]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order]
