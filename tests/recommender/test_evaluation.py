"""Ranking metrics on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from recommender.evaluation import Report, ndcg_at, recall_at, reciprocal_rank


def test_recall_counts_only_relevant_items_in_the_cutoff() -> None:
    rel = {"a": 2, "b": 1, "c": 0}
    assert recall_at(["x", "a", "y", "b"], rel, 2) == 0.5
    assert recall_at(["x", "a", "y", "b"], rel, 4) == 1.0
    assert recall_at(["a"], {}, 5) == 0.0


def test_ndcg_rewards_ideal_items_first() -> None:
    rel = {"a": 2, "b": 1}
    assert ndcg_at(["a", "b"], rel, 10) == pytest.approx(1.0)
    swapped = (1 / math.log2(2) + 3 / math.log2(3)) / (3 / math.log2(2) + 1 / math.log2(3))
    assert ndcg_at(["b", "a"], rel, 10) == pytest.approx(swapped)
    assert ndcg_at(["x"], rel, 10) == 0.0


def test_mrr_and_report_groups_by_kind() -> None:
    assert reciprocal_rank(["x", "y", "a"], {"a": 1}) == pytest.approx(1 / 3)
    report = Report()
    report.add("q1", "exact", ["a"], {"a": 2})
    report.add("q2", "typo", ["x"], {"a": 2})
    summary = report.summary()
    assert summary["exact"]["mrr"] == 1.0 and summary["typo"]["mrr"] == 0.0
    assert summary["overall"]["mrr"] == 0.5 and list(summary)[-1] == "overall"
