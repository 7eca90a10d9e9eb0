"""CI gate on ranking quality: the labelled dev set must not fall below measured levels.

Thresholds sit a little under the numbers measured when they were set (docs/benchmarks.md),
so noise-free regressions of a query or two fail the build. Raise them when quality improves.
"""

from __future__ import annotations

import pytest

from backend.eval_cli import DEV_QUERIES, evaluate_search, load_queries
from recommender.encoders import Encoders

RECALL_AT_10 = {"colloquial": 0.94, "cross_language": 0.91, "exact": 0.97, "filtered": 0.92,
                "typo": 0.90, "overall": 0.95}
NDCG_AT_10_OVERALL = 0.92
MRR_OVERALL = 0.95


@pytest.fixture(scope="module")
def summary(encoders: Encoders) -> dict[str, dict[str, float]]:
    queries = load_queries(DEV_QUERIES)
    assert len(queries) >= 60
    return evaluate_search(queries, encoders=encoders).summary()


@pytest.mark.parametrize("kind", sorted(RECALL_AT_10))
def test_recall_at_10_per_kind(summary: dict[str, dict[str, float]], kind: str) -> None:
    assert summary[kind]["recall@10"] >= RECALL_AT_10[kind], summary[kind]


def test_overall_ndcg_and_mrr(summary: dict[str, dict[str, float]]) -> None:
    assert summary["overall"]["ndcg@10"] >= NDCG_AT_10_OVERALL, summary["overall"]
    assert summary["overall"]["mrr"] >= MRR_OVERALL, summary["overall"]
