"""Chat turns over SSE and JSON: products first, grounded text, stored turns, cosmetic notice."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from backend.runtime import Runtime
from tests.conftest import Shop, add_products

PRODUCTS = [
    {"sku": "SK-1", "title": "지성 피부를 위한 오일프리 수분크림", "price": 18000, "stock": 5,
     "category": "skincare/cream"},
    {"sku": "SK-2", "title": "한빛 워터젤 수분크림 지성 피부", "price": 45000, "stock": 0,
     "category": "skincare/cream"},
    {"sku": "FA-1", "title": "Black cotton tee", "price": 19000, "stock": 3},
]


@pytest.fixture
def stocked(client: TestClient, runtime: Runtime, shop: Shop) -> Shop:
    add_products(client, runtime, shop, PRODUCTS)
    return shop


def parse_sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def new_session(client: TestClient, shop: Shop) -> str:
    resp = client.post("/v1/chat/sessions", headers=shop.client)
    assert resp.status_code == 201
    return resp.json()["session_id"]


def test_sse_sends_products_then_tokens_then_done(client: TestClient, stocked: Shop) -> None:
    sid = new_session(client, stocked)
    resp = client.post(f"/v1/chat/sessions/{sid}/messages", headers=stocked.client,
                       json={"text": "지성 피부 수분크림 추천해줘"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(resp.text)
    names = [name for name, _ in events]
    assert names[0] == "products" and names[-1] == "done"
    assert set(names[1:-1]) == {"token"}
    products = events[0][1]["products"]
    assert [p["sku"] for p in products] == ["SK-1"]  # SK-2 is out of stock: never pushed
    assert products[0]["reasons"]
    done = events[-1][1]
    assert done["complete"] is True
    assert done["text"] == "".join(d["text"] for n, d in events if n == "token")
    assert "지성 피부를 위한 오일프리 수분크림" in done["text"] and "18,000원" in done["text"]
    assert "의학적 진단" in done["text"]  # cosmetic-not-medical notice on a skin question


def test_json_mode_and_the_turn_is_stored_with_reasons(client: TestClient, stocked: Shop) -> None:
    sid = new_session(client, stocked)
    resp = client.post(f"/v1/chat/sessions/{sid}/messages",
                       headers={**stocked.client, "Accept": "application/json"},
                       json={"text": "black cotton tee"})
    assert resp.status_code == 200
    body = resp.json()
    assert [p["sku"] for p in body["products"]] == ["FA-1"]
    assert body["notice"] is None and "₩19,000" in body["text"]
    history = client.get(f"/v1/chat/sessions/{sid}", headers=stocked.client).json()
    roles = [m["role"] for m in history["messages"]]
    assert roles == ["user", "assistant"]
    stored = history["messages"][1]
    assert stored["products"][0]["sku"] == "FA-1" and stored["products"][0]["reasons"]
    assert stored["text"] == body["text"]


def test_unknown_or_foreign_session_is_not_found(client: TestClient, runtime: Runtime,
                                                 stocked: Shop) -> None:
    from tests.conftest import make_shop

    resp = client.post("/v1/chat/sessions/nope/messages", headers=stocked.client,
                       json={"text": "hi"})
    assert resp.status_code == 404 and "POST /v1/chat/sessions" in resp.json()["detail"]
    sid = new_session(client, stocked)
    other = make_shop(runtime, "other")
    assert client.get(f"/v1/chat/sessions/{sid}", headers=other.client).status_code == 404


def test_no_match_answers_honestly(client: TestClient, stocked: Shop) -> None:
    sid = new_session(client, stocked)
    resp = client.post(f"/v1/chat/sessions/{sid}/messages",
                       headers={**stocked.client, "Accept": "application/json"},
                       json={"text": "자전거 타이어"})
    assert resp.json()["products"] == []
    assert "찾지 못했어요" in resp.json()["text"]
