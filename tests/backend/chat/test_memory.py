"""Conversation memory: follow-ups refine the previous turn; long sessions stay bounded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.chat.memory import PastTurn, resolve, summarise
from backend.runtime import Runtime
from tests.backend.chat.test_chat import new_session
from tests.conftest import Shop, add_products

PRODUCTS = [
    {"sku": "C-1", "title": "지성 피부 수분크림 라이트", "price": 18000, "stock": 5, "category": "skincare"},
    {"sku": "C-2", "title": "지성 피부 수분크림 데일리", "price": 25000, "stock": 5, "category": "skincare"},
    {"sku": "C-3", "title": "지성 피부 수분크림 미니", "price": 9000, "stock": 5, "category": "skincare"},
    {"sku": "C-4", "title": "지성 피부 수분크림 대용량", "price": 7000, "stock": 0, "category": "skincare"},
    {"sku": "T-1", "title": "Cotton tee white", "price": 15000, "stock": 4,
     "attributes": {"color": "white"}},
    {"sku": "T-2", "title": "Cotton tee relaxed", "price": 21000, "stock": 4,
     "attributes": {"color": "black"}},
    {"sku": "T-3", "title": "Cotton tee boxy", "price": 12000, "stock": 4,
     "attributes": {"color": "black"}},
]


@pytest.fixture
def catalog(client: TestClient, runtime: Runtime, shop: Shop) -> Shop:
    add_products(client, runtime, shop, PRODUCTS)
    return shop


def ask(client: TestClient, shop: Shop, sid: str, text: str) -> dict:
    resp = client.post(f"/v1/chat/sessions/{sid}/messages",
                       headers={**shop.client, "Accept": "application/json"}, json={"text": text})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_cheaper_follow_up_searches_below_the_cheapest_shown(client: TestClient, catalog: Shop) -> None:
    sid = new_session(client, catalog)
    first = ask(client, catalog, sid, "지성 피부 수분크림 1만원 이상")
    assert {p["sku"] for p in first["products"]} == {"C-1", "C-2"}
    cheaper = ask(client, catalog, sid, "더 싼 거 있어?")
    assert cheaper["understood"]["follow_up"] == ["cheaper"]
    assert cheaper["understood"]["query"] == "지성 피부 수분크림"
    assert cheaper["understood"]["filters"]["price_max"] == 17999
    # C-4 is cheaper still but out of stock: never pushed.
    assert [p["sku"] for p in cheaper["products"]] == ["C-3"]
    assert "의학적 진단" in cheaper["text"]  # the carried skin topic keeps the notice


def test_colour_follow_up_carries_the_query_and_filters_the_colour(client: TestClient,
                                                                   catalog: Shop) -> None:
    sid = new_session(client, catalog)
    assert {p["sku"] for p in ask(client, catalog, sid, "cotton tee")["products"]} == {"T-1", "T-2", "T-3"}
    black = ask(client, catalog, sid, "in black?")
    assert black["understood"]["query"] == "cotton tee"
    assert black["understood"]["filters"]["attributes"] == {"color": ["black"]}
    assert {p["sku"] for p in black["products"]} == {"T-2", "T-3"}
    # Follow-ups chain: cheaper than the black tees just shown, still black.
    cheaper = ask(client, catalog, sid, "anything cheaper?")
    assert cheaper["understood"]["follow_up"] == ["cheaper"]
    assert cheaper["understood"]["filters"]["attributes"] == {"color": ["black"]}
    assert cheaper["understood"]["filters"]["price_max"] == 11999
    assert cheaper["products"] == []
    # A new request with its own words starts afresh.
    fresh = ask(client, catalog, sid, "black cotton tee")
    assert fresh["understood"]["follow_up"] == [] and fresh["understood"]["query"] == "black cotton tee"


def test_resolve_reads_only_follow_ups_as_refinements() -> None:
    shown = [{"sku": "A", "title": "a", "price": 30000, "currency": "KRW"},
             {"sku": "B", "title": "b", "price": 20000, "currency": "KRW"}]
    history = [PastTurn("가죽 가방", shown)]
    assert resolve("검정색으로 보여줘", history).filters.attributes == {"color": ["black"]}
    pricier = resolve("더 비싼 거는?", history)
    assert pricier.query == "가죽 가방" and pricier.filters.price_min == 30001
    assert resolve("운동화 추천", history).follow_up == ()
    assert resolve("더 싼 거 있어?", []).query == "더 싼 거 있어?"  # nothing to refine


def test_summary_keeps_recent_turns_and_a_hard_size_bound() -> None:
    history = [PastTurn(f"question {i} " + "x" * 300, [{"title": f"Product {i}", "price": 1000}])
               for i in range(20)]
    text = summarise(history, max_turns=3, max_chars=600)
    assert len(text) <= 600
    assert "Product 19" in text and "Product 16" not in text
    assert "1000" not in text  # earlier prices are not facts of the new turn
    assert summarise(history, max_turns=0, max_chars=600) == ""
    full = summarise(history[:2], max_turns=4, max_chars=2000)
    assert full.startswith("Shopper: question 0") and "Shown: Product 1" in full
