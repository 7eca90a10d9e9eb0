"""The grounding validator: products, SKUs and prices an answer states must be the candidates'."""

from __future__ import annotations

import pytest

from backend.chat.answer import review
from backend.chat.grounding import UNGROUNDED_PRICE, UNGROUNDED_PRODUCT, check
from backend.chat.money import find_amounts
from backend.chat.policy import COSMETIC_NOTICE
from backend.chat.responder import TemplateResponder
from tests.backend.chat.factories import CREAM, GEL, TEE, candidate, turn


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("₩18,000", 18000, "KRW"), ("18,000원", 18000, "KRW"), ("1만 8천원", 18000, "KRW"),
    ("1.8만원", 18000, "KRW"), ("18k won", 18000, "KRW"), ("KRW 18000", 18000, "KRW"),
    ("$15.00", 15, "USD"), ("costs 18,000.", 18000, None), ("3만 이하", 30000, "KRW"),
    ("19000 won", 19000, "KRW"), ("USD 12.50", 12.5, "USD"),
])
def test_amounts_in_every_spelling_are_found(text: str, amount: float, currency: str | None) -> None:
    found = find_amounts(text)
    assert [(m.amount, m.currency) for m in found] == [(amount, currency)]


def test_sizes_skus_years_and_stock_are_not_amounts() -> None:
    assert find_amounts("SPF50 50ml SK-0001 2024년, 재고 42개, 3 pack") == []


def test_a_grounded_answer_passes() -> None:
    text = ("Dewlab 오일프리 수분크림 (지성 피부용)은 18,000원으로 예산 3만원 이하에 맞아요. "
            "순수 녹차 수분 젤크림(SK-0004)은 ₩29,000이에요.")
    assert check(text, [CREAM, GEL]).ok


def test_a_wrong_price_is_caught_even_when_it_is_another_candidates() -> None:
    wrong = check("Dewlab 오일프리 수분크림 (지성 피부용)은 15,000원이에요.", [CREAM])
    assert wrong.reason == UNGROUNDED_PRICE
    # 29,000 is a real price, but not of the product named in the same sentence.
    swapped = check("Dewlab 오일프리 수분크림 (지성 피부용)은 29,000원이에요.", [CREAM, GEL])
    assert swapped.problems == [(UNGROUNDED_PRICE, "29,000원")]


def test_a_price_in_another_currency_is_caught() -> None:
    assert check("The tee is $19,000.", [TEE]).reason == UNGROUNDED_PRICE


def test_unknown_sku_and_made_up_listed_product_are_caught() -> None:
    assert check("Try SK-9999, it is great.", [CREAM]).reason == UNGROUNDED_PRODUCT
    listed = check("1. Miracle Glow Serum — perfect for oily skin\n"
                   "2. Dewlab 오일프리 수분크림 (지성 피부용) — 가벼워요", [CREAM])
    assert (UNGROUNDED_PRODUCT, "miracle glow serum") in listed.problems
    assert len(listed.problems) == 2  # its head is no candidate's, nor is the item's product
    assert check('I recommend "Aqua Bomb Cream".', [CREAM]).reason == UNGROUNDED_PRODUCT
    # A list item must carry an exact title or SKU; a brand or half a title is not enough.
    assert not check("1. Dewlab cream — 18,000원", [CREAM]).ok
    assert check("1. SK-0001 — 18,000원", [CREAM]).ok
    # A made-up name in prose (Latin capitals mid-sentence) is caught; a candidate's is not.
    assert check("It is a brand called Clear Sunset.", [CREAM]).problems == [
        (UNGROUNDED_PRODUCT, "Clear Sunset")]
    assert check("Try the Black Cotton Tee today.", [TEE]).ok


def test_earlier_products_and_other_brands_are_not_candidates() -> None:
    earlier = check("You could also take the Black cotton tee.", [CREAM],
                    other_titles=["Black cotton tee"])
    assert earlier.reason == UNGROUNDED_PRODUCT
    brand = check("Hanbit also makes a nice cream.", [CREAM], other_brands=["Hanbit", "Dewlab"])
    assert brand.problems == [(UNGROUNDED_PRODUCT, "hanbit")]
    assert check("Dewlab makes this one.", [CREAM], other_brands=["Hanbit", "Dewlab"]).ok


def test_budget_bounds_may_be_repeated() -> None:
    assert check("Dewlab 오일프리 수분크림 (지성 피부용) fits under ₩30,000.", [CREAM]).ok
    assert not check("Dewlab 오일프리 수분크림 (지성 피부용) fits under ₩40,000.", [CREAM]).ok


@pytest.mark.parametrize("language", ["ko", "en"])
def test_template_answers_always_pass_review(language: str) -> None:
    usd = candidate("US-1", "Canvas tote", 15.5, currency="USD", brand="Northfold")
    for cands in ([CREAM, GEL, TEE], [usd], [CREAM]):
        t = turn(*cands, language=language, notice=COSMETIC_NOTICE[language],
                 other_brands=("Hanbit", "Dewlab", "Soonsoo", "Plainweek", "Northfold"))
        text = TemplateResponder().render(t)
        assert review(text, t) == [], text


def test_review_catches_policy_language_and_empty() -> None:
    t = turn(CREAM, language="en", text="cream for acne")
    cure = "Dewlab 오일프리 수분크림 (지성 피부용) will cure your acne."
    assert review(cure, t) == [("policy", "treatment")]
    assert [k for k, _ in review("Dewlab 오일프리 수분크림 (지성 피부용)이 좋아요. 가볍고 촉촉해요.", t)] == [
        "language"]
    assert review("  ", t) == [("empty", "")]
    assert review("A light cream is nice for oily skin.", t) == [("no_product_named", "")]
    assert review("<<<PRODUCTS\nid | title | SK-0001", t)[0][0] == "prompt_echo"
