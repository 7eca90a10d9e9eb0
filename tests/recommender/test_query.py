"""Budgets in Korean and English become price bounds and leave the product words behind."""

from __future__ import annotations

import pytest

from recommender.query import parse_query


@pytest.mark.parametrize(("text", "lo", "hi", "rest"), [
    ("지성 피부 수분크림 3만원 이하", None, 30000, "지성 피부 수분크림"),
    ("2만~5만원 선크림", 20000, 50000, "선크림"),
    ("10만원 이상 코트", 100000, None, "코트"),
    ("under 20,000 won black tee", None, 20000, "black tee"),
    ("cream under 15k", None, 15000, "cream"),
    ("between 10000 to 30000 serum", 10000, 30000, "between serum"),
    ("SPF 50 sunscreen", None, None, "SPF 50 sunscreen"),
    ("black tee", None, None, "black tee"),
])
def test_budgets(text: str, lo: float | None, hi: float | None, rest: str) -> None:
    intent = parse_query(text)
    assert (intent.price_min, intent.price_max, intent.search_text) == (lo, hi, rest)
