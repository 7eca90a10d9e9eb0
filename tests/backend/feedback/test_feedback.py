"""Feedback: stored per merchant, counted for conversion, and fed back into ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from backend.catalog.reindex import reindex_products
from backend.db import session_scope
from backend.feedback.popularity import decayed_score
from backend.models import Feedback, Product
from backend.runtime import Runtime
from tests.conftest import Shop, add_products, make_shop, wait_for_tasks

# Four moisturisers that read the same to the retrievers, and a mug that matches nothing.
TWINS = [
    {"sku": f"CREAM-{brand[0]}", "title": "Hydrating gel cream", "brand": brand, "price": 20000,
     "stock": 5, "category": "skincare/cream", "tags": ["hydrating"]}
    for brand in ("Alpha", "Beta", "Gamma", "Delta")
] + [{"sku": "MUG", "title": "Stoneware mug", "price": 9000, "stock": 2, "category": "home/kitchen"}]


def skus(client: TestClient, shop: Shop, query: str) -> list[str]:
    resp = client.post("/v1/search", headers=shop.client, json={"query": query, "limit": 5})
    assert resp.status_code == 200, resp.text
    return [r["sku"] for r in resp.json()["results"]]


def send(client: TestClient, shop: Shop, **body: object) -> dict:
    resp = client.post("/v1/feedback", headers=shop.client, json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()


@pytest.fixture
def twins(client: TestClient, runtime: Runtime, shop: Shop) -> list[str]:
    add_products(client, runtime, shop, TWINS)
    order = skus(client, shop, "hydrating gel cream")
    assert sorted(order) == ["CREAM-A", "CREAM-B", "CREAM-D", "CREAM-G"]  # no mug
    return order


def test_purchases_lift_a_product_past_its_neighbours(client: TestClient, runtime: Runtime,
                                                      shop: Shop, twins: list[str]) -> None:
    last = twins[-1]
    for kind in ("click", "scan", "purchase", "purchase"):
        send(client, shop, sku=last, kind=kind, source="search")
    wait_for_tasks(runtime)
    resp = client.post("/v1/search", headers=shop.client,
                       json={"query": "hydrating gel cream", "limit": 5}).json()
    order = [r["sku"] for r in resp["results"]]
    assert order.index(last) < len(twins) - 1
    lifted = resp["results"][order.index(last)]
    assert "popular" in {r["kind"] for r in lifted["reasons"]}
    # Relevance still decides membership: popularity does not drag in the mug.
    assert "MUG" not in order


def test_dismissals_push_a_product_down(client: TestClient, runtime: Runtime, shop: Shop,
                                        twins: list[str]) -> None:
    second = twins[1]
    for _ in range(3):
        send(client, shop, sku=second, kind="dismiss", source="chat")
    wait_for_tasks(runtime)
    assert skus(client, shop, "hydrating gel cream").index(second) > 1


def test_popularity_survives_a_reindex(client: TestClient, runtime: Runtime, shop: Shop,
                                       twins: list[str]) -> None:
    for _ in range(3):
        send(client, shop, sku=twins[-1], kind="purchase")
    wait_for_tasks(runtime)
    with session_scope(runtime.engine) as session:
        row = session.exec(select(Product).where(Product.sku == twins[-1])).one()
        assert row.popularity == 15.0
    reindex_products(runtime, recreate=True)  # a new collection, filled from the database
    [point] = runtime.index.retrieve([row.id])
    assert point.payload["popularity"] == 15.0
    assert skus(client, shop, "hydrating gel cream").index(twins[-1]) < len(twins) - 1


def test_feedback_is_validated_and_scoped_to_the_merchant(client: TestClient, runtime: Runtime,
                                                          shop: Shop, twins: list[str]) -> None:
    other = make_shop(runtime, "shop-b")
    add_products(client, runtime, other, [{"sku": "THEIRS", "title": "Other cream", "price": 1}])
    cases = [
        ({"sku": "THEIRS", "kind": "click"}, 404),  # another merchant's product
        ({"sku": "NOPE", "kind": "click"}, 404),
        ({"product_id": "x" * 36, "kind": "click"}, 404),
        ({"kind": "click"}, 422),  # names no product
        ({"sku": "CREAM-A", "kind": "love"}, 422),
        ({"sku": "CREAM-A", "kind": "click", "session_id": "nope"}, 404),
        ({"sku": "CREAM-A", "kind": "click", "message_id": "nope"}, 404),
        ({"sku": "CREAM-A", "kind": "click", "source": "<script>"}, 422),
    ]
    for body, status in cases:
        resp = client.post("/v1/feedback", headers=shop.client, json=body)
        assert resp.status_code == status, (body, resp.text)
        assert resp.headers["content-type"].startswith("application/problem+json")
    assert client.post("/v1/feedback", json={"sku": "CREAM-A", "kind": "click"}).status_code == 401
    with session_scope(runtime.engine) as session:
        assert session.exec(select(Feedback)).all() == []  # nothing half-stored


def test_feedback_ties_to_a_chat_turn_and_is_counted(client: TestClient, runtime: Runtime,
                                                      shop: Shop, twins: list[str]) -> None:
    session_id = client.post("/v1/chat/sessions", headers=shop.client, json={}).json()["session_id"]
    turn = client.post(f"/v1/chat/sessions/{session_id}/messages",
                       headers={**shop.client, "Accept": "application/json"},
                       json={"text": "hydrating gel cream"})
    assert turn.status_code == 200, turn.text
    message_id = turn.json()["message_id"]
    row = send(client, shop, sku=twins[0], kind="add_to_cart", session_id=session_id,
               message_id=message_id, source="chat")
    assert row["message_id"] == message_id and row["product_id"]
    metrics = client.get("/metrics").text
    assert 'aisle_feedback_total{kind="add_to_cart",source="chat"} 1.0' in metrics


def test_old_feedback_fades_with_the_half_life() -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    fresh = decayed_score([("purchase", now)], now=now, half_life_days=14)
    old = decayed_score([("purchase", now - timedelta(days=14))], now=now, half_life_days=14)
    assert fresh == 5.0 and old == 2.5
    assert decayed_score([("click", now), ("dismiss", now)], now=now, half_life_days=14) == -1.0
