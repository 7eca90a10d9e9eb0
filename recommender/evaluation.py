"""Ranking quality metrics over graded relevance judgments (0 = not relevant, 1 = acceptable, 2 = ideal).

Pure functions so the same numbers come out of the CLI, CI and notebooks.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


def recall_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    wanted = {item for item, grade in relevant.items() if grade > 0}
    if not wanted:
        return 0.0
    return len(wanted & set(ranked[:k])) / len(wanted)


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    """nDCG with exponential gains, so an ideal product counts three times an acceptable one."""
    def dcg(grades: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))

    ideal = dcg(sorted((g for g in relevant.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([relevant.get(item, 0) for item in ranked[:k]]) / ideal


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int]) -> float:
    for i, item in enumerate(ranked, start=1):
        if relevant.get(item, 0) > 0:
            return 1.0 / i
    return 0.0


METRICS = ("recall@5", "recall@10", "ndcg@10", "mrr")


def score_query(ranked: Sequence[str], relevant: Mapping[str, int]) -> dict[str, float]:
    return {
        "recall@5": recall_at(ranked, relevant, 5),
        "recall@10": recall_at(ranked, relevant, 10),
        "ndcg@10": ndcg_at(ranked, relevant, 10),
        "mrr": reciprocal_rank(ranked, relevant),
    }


@dataclass
class Report:
    """Per-query scores, averaged overall and per query kind."""

    per_query: list[dict[str, object]] = field(default_factory=list)
    _scores: list[tuple[str, dict[str, float]]] = field(default_factory=list)

    def add(self, query_id: str, kind: str, ranked: Sequence[str],
            relevant: Mapping[str, int]) -> None:
        scores = score_query(ranked, relevant)
        self._scores.append((kind, scores))
        self.per_query.append({"id": query_id, "kind": kind, "ranked": list(ranked[:10]), **scores})

    def worst(self, n: int, metric: str = "ndcg@10") -> list[tuple[str, float]]:
        rows = sorted(zip(self.per_query, self._scores, strict=True), key=lambda r: r[1][1][metric])
        return [(str(row["id"]), scores[metric]) for row, (_, scores) in rows[:n]]

    def summary(self) -> dict[str, dict[str, float]]:
        groups: dict[str, list[dict[str, float]]] = defaultdict(list)
        for kind, scores in self._scores:
            groups[kind].append(scores)
            groups["overall"].append(scores)
        return {
            kind: {"queries": float(len(rows)),
                   **{m: round(sum(r[m] for r in rows) / len(rows), 4) for m in METRICS}}
            for kind, rows in sorted(groups.items(), key=lambda kv: (kv[0] == "overall", kv[0]))
        }
