"""A shopper profile reorders what matches the query, says so, and never pulls in the rest."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.runtime import Runtime
from recommender.index import LEXICAL, NGRAM, Prefetch
from recommender.lexical import SparseVec
from recommender.profile import ShopperProfile, profile_prefetches
from tests.conftest import Shop, add_products

CREAMS = [
    {"sku": f"CREAM-{skin.upper()}", "title": "Daily moisturizer cream", "brand": brand,
     "price": 20000, "stock": 5, "category": "skincare/cream",
     "attributes": {"skin_type": [skin], "concerns": concerns}}
    for skin, brand, concerns in (("oily", "Alpha", ["pores"]), ("dry", "Beta", ["dryness"]),
                                  ("sensitive", "Gamma", ["redness"]))
] + [{"sku": "LIP", "title": "Matte lipstick", "price": 15000, "stock": 3,
      "category": "makeup/lip", "attributes": {"color": ["red"]}}]


def search(client: TestClient, shop: Shop, **body: object) -> dict:
    resp = client.post("/v1/search", headers=shop.client, json=body)
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.fixture
def creams(client: TestClient, runtime: Runtime, shop: Shop) -> list[str]:
    add_products(client, runtime, shop, CREAMS)
    return [r["sku"] for r in search(client, shop, query="moisturizer cream")["results"]]


@pytest.mark.parametrize("skin", ["oily", "dry", "sensitive"])
def test_profile_puts_what_fits_first_and_says_why(client: TestClient, shop: Shop,
                                                   creams: list[str], skin: str) -> None:
    body = search(client, shop, query="moisturizer cream", profile={"skin_types": [skin]})
    top = body["results"][0]
    assert top["sku"] == f"CREAM-{skin.upper()}"
    profile = [r for r in top["reasons"] if r["kind"] == "profile"]
    assert profile and profile[0]["data"] == {"attribute": "skin_type", "values": [skin]}
    assert body["understood"]["profile"]["skin_types"] == [skin]
    assert "lexical[attributes.skin_type]" in body["understood"]["retrievers"]
    assert sorted(r["sku"] for r in body["results"]) == sorted(creams)  # reordered, not filtered


def test_profile_never_pulls_in_products_the_query_does_not_match(client: TestClient, shop: Shop,
                                                                  creams: list[str]) -> None:
    plain = search(client, shop, query="lipstick", limit=2)
    body = search(client, shop, query="lipstick", limit=2,
                  profile={"skin_types": ["oily"], "concerns": ["pores"]})
    # The oily-skin cream matches "lipstick" only loosely (sentence model): the profile boost
    # re-runs the word match, where it does not appear, so it gains nothing.
    assert [r["sku"] for r in body["results"]] == [r["sku"] for r in plain["results"]]
    assert body["results"][0]["sku"] == "LIP"


def test_korean_reasons_name_the_concept_in_korean(client: TestClient, shop: Shop,
                                                   creams: list[str]) -> None:
    body = search(client, shop, query="수분크림", profile={"concerns": ["redness"]})
    reasons = [r for r in body["results"][0]["reasons"] if r["kind"] == "profile"]
    assert body["results"][0]["sku"] == "CREAM-SENSITIVE"
    assert reasons and "진정" in reasons[0]["text"]


@pytest.mark.parametrize("profile", [
    {"skin_types": ["<script>"]},
    {"skin_types": ["oily"] * 5},
    {"mood": ["happy"]},
    {"concerns": ["x" * 41]},
])
def test_bad_profiles_are_rejected(client: TestClient, shop: Shop, profile: dict) -> None:
    resp = client.post("/v1/search", headers=shop.client, json={"query": "cream", "profile": profile})
    assert resp.status_code == 422, resp.text


def test_profile_boost_reuses_the_query_retriever_with_a_condition() -> None:
    query = [Prefetch(LEXICAL, SparseVec([1, 2], [1.0, 1.0]), 1.0),
             Prefetch(NGRAM, SparseVec([5], [1.0]), 0.5)]
    boosts = profile_prefetches(ShopperProfile(skin_types=("dry",), colors=("red",)), query)
    assert [(b.using, b.vector, b.conditions, b.weight) for b in boosts] == [
        (LEXICAL, query[0].vector, (("attributes.skin_type", ("dry",)),), 2.25),
        (LEXICAL, query[0].vector, (("attributes.color", ("red",)),), 2.25),
    ]
    assert profile_prefetches(ShopperProfile(concerns=("acne",)), []) == []


def test_chat_turns_use_the_profile_too(client: TestClient, shop: Shop, creams: list[str]) -> None:
    sid = client.post("/v1/chat/sessions", headers=shop.client).json()["session_id"]
    resp = client.post(f"/v1/chat/sessions/{sid}/messages",
                       headers={**shop.client, "Accept": "application/json"},
                       json={"text": "moisturizer cream", "profile": {"skin_types": ["sensitive"]}})
    assert resp.status_code == 200, resp.text
    first = resp.json()["products"][0]
    assert first["sku"] == "CREAM-SENSITIVE"
    assert "profile" in {r["kind"] for r in first["reasons"]}
