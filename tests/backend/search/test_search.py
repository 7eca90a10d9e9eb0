"""Search over the bundled sample catalog: relevance, reasons, filters in Qdrant, tenancy."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.catalog.local_import import import_file
from backend.demo import DEMO_CATALOG
from backend.runtime import Runtime
from recommender.encoders import Encoders
from tests.conftest import Shop, make_settings, make_shop, write_jsonl


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory,
            encoders: Encoders) -> Iterator[tuple[Runtime, Shop, Shop]]:
    """Shop A has the sample catalog; shop B has three products of its own."""
    tmp = tmp_path_factory.mktemp("search")
    rt = Runtime.create(make_settings(tmp), encoders=encoders)
    a, b = make_shop(rt, "shop-a"), make_shop(rt, "shop-b")
    report = import_file(rt, DEMO_CATALOG, "shop-a", quiet=True)
    assert report["failed"] == 0 and report["index"]["indexed"] == report["created"]
    other = write_jsonl(tmp / "b.jsonl", [
        {"sku": "B-1", "title": "지성 피부 수분크림 (B 상점)", "price": 10000, "stock": 3,
         "category": "skincare/cream"},
        {"sku": "B-2", "title": "Oil-free moisturizer, shop B", "price": 12000, "stock": 3},
        {"sku": "B-3", "title": "Black cotton tee, shop B", "price": 9000, "stock": 1},
    ])
    import_file(rt, other, "shop-b", quiet=True)
    yield rt, a, b
    rt.close()


@pytest.fixture(scope="module")
def api(catalog: tuple[Runtime, Shop, Shop]) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=catalog[0])) as client:
        yield client


def search(api: TestClient, shop: Shop, **body: object) -> dict:
    resp = api.post("/v1/search", headers=shop.client, json=body)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_korean_query_finds_oily_skin_moisturizers_with_reasons(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    body = search(api, a, query="지성 피부 수분크림", limit=5)
    skus = [r["sku"] for r in body["results"]]
    assert skus[0] == "SK-0001"
    # The English "Oil-Free Moisturizer for Oily Skin" is found through the KO<->EN vocabulary.
    assert {"SK-0001", "SK-0003", "SK-0004"} <= set(skus[:5])
    top = body["results"][0]
    kinds = {r["kind"] for r in top["reasons"]}
    assert "matched_terms" in kinds and "in_stock" in kinds
    matched = next(r for r in top["reasons"] if r["kind"] == "matched_terms")
    assert set(matched["data"]["terms"]) == {"지성", "피부", "수분", "크림"}
    assert body["understood"]["language"] == "ko"


def test_english_query_uses_semantic_and_lexical_retrievers(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    body = search(api, a, query="oil-free moisturizer for oily skin", limit=5)
    assert body["understood"]["retrievers"] == ["lexical", "ngram", "semantic"]
    assert body["results"][0]["sku"] == "SK-0003"


def test_budget_in_the_query_becomes_a_filter_and_a_reason(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    body = search(api, a, query="수분크림 2만원 이하", limit=10)
    assert body["understood"]["price_max"] == 20000
    assert body["results"], "a cheap moisturiser exists in the sample catalog"
    for r in body["results"]:
        assert r["price"] <= 20000
        assert any(x["kind"] == "within_budget" for x in r["reasons"])


FILTERS = [
    {"category": "skincare"}, {"category": "skincare/cream"}, {"category": "fashion"},
    {"in_stock": True}, {"in_stock": False}, {"price_min": 20000, "price_max": 40000},
    {"price_max": 15000}, {"brand": "Dewlab"}, {"tags": ["수분"]},
    {"attributes": {"skin_type": "oily"}}, {"attributes": {"color": ["black", "white"]}},
]


@pytest.mark.parametrize(("flt", "query"), list(itertools.product(
    FILTERS + [{"category": "skincare", "in_stock": True, "price_max": 30000}],
    ["지성 피부 수분크림", "black cotton tee", "선크림 SPF50", "used sneakers"],
)))
def test_filtered_search_never_returns_out_of_filter_products(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop], flt: dict, query: str) -> None:
    rt, a, _ = catalog
    body = search(api, a, query=query, filters=flt, limit=50)
    for r in body["results"]:
        product = api.get(f"/v1/admin/products/{r['sku']}", headers=a.admin).json()
        if "category" in flt:
            assert (product["category"] + "/").startswith(flt["category"] + "/")
        if "in_stock" in flt:
            assert product["in_stock"] is flt["in_stock"]
        if "price_min" in flt:
            assert product["price"] >= flt["price_min"]
        if "price_max" in flt:
            assert product["price"] <= flt["price_max"]
        if "brand" in flt:
            assert product["brand"].lower() == flt["brand"].lower()
        for tag in flt.get("tags", []):
            assert tag in product["tags"]
        for key, wanted in flt.get("attributes", {}).items():
            wanted = wanted if isinstance(wanted, list) else [wanted]
            have = product["attributes"].get(key)
            have = have if isinstance(have, list) else [have]
            assert set(wanted) & set(have)


def test_filters_that_exclude_the_obvious_match_return_the_next_best(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    body = search(api, a, query="한빛 워터젤 수분크림", filters={"in_stock": True})
    assert "SK-0002" not in [r["sku"] for r in body["results"]]  # the out-of-stock exact match
    assert body["results"]


def test_merchant_a_never_sees_merchant_b_products(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, b = catalog
    for query in ("지성 피부 수분크림", "shop B", "black cotton tee", "Oil-free moisturizer"):
        a_skus = {r["sku"] for r in search(api, a, query=query, limit=50)["results"]}
        b_skus = {r["sku"] for r in search(api, b, query=query, limit=50)["results"]}
        assert not any(s.startswith("B-") for s in a_skus)
        assert b_skus <= {"B-1", "B-2", "B-3"}
    assert api.get("/v1/admin/products/B-1", headers=a.admin).status_code == 404


def test_search_validates_input_with_problem_json(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    for body in ({"query": "x", "limit": 0}, {"query": "x", "filters": {"price_min": 5, "price_max": 1}},
                 {"query": "x", "merchant_id": "someone-else"}, {}):
        resp = api.post("/v1/search", headers=a.client, json=body)
        assert resp.status_code == 422, body
        assert resp.headers["content-type"].startswith("application/problem+json")
        assert resp.json()["detail"]


def test_search_requires_a_valid_key(api: TestClient) -> None:
    assert api.post("/v1/search", json={"query": "x"}).status_code == 401
    bad = {"Authorization": "Bearer aisle_client_0000000000000000.nope"}
    resp = api.post("/v1/search", headers=bad, json={"query": "x"})
    assert resp.status_code == 401 and "not valid" in resp.json()["detail"]


def test_understanding_is_echoed_for_chips(api: TestClient,
                                           catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    body = search(api, a, query="재고 있는 블랙 가죽 가방 20만원 이하")
    understood = body["understood"]
    assert understood["in_stock"] is True and understood["price_max"] == 200000
    assert understood["concepts"]["color"] == ["블랙"]
    assert understood["concepts"]["material"] == ["가죽"]
    assert understood["concepts"]["category"] == ["가방"]
    skus = [r["sku"] for r in body["results"]]
    assert skus[0] in {"FA-0024", "SH-0003"}  # black leather bags, Korean or English listing
    assert all(r["in_stock"] for r in body["results"])


def test_cross_language_match_is_explained_in_the_shoppers_words(
        api: TestClient, catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    body = search(api, a, query="블랙 가죽 가방")
    english = next(r for r in body["results"] if r["sku"] == "FA-0024")  # "Leather Crossbody Bag - Black"
    matched = next(x for x in english["reasons"] if x["kind"] == "matched_terms")
    assert {"블랙", "가죽", "가방"} <= set(matched["data"]["terms"])


def test_colour_variants_share_one_slot(api: TestClient,
                                        catalog: tuple[Runtime, Shop, Shop]) -> None:
    _, a, _ = catalog
    results = search(api, a, query="basic cotton tee", limit=10)["results"]
    skus = [r["sku"] for r in results]
    assert len({"FA-0001", "FA-0002"} & set(skus)) == 1  # black and white tee: one slot
    tee = next(r for r in results if r["sku"] in {"FA-0001", "FA-0002"})
    assert [v["sku"] for v in tee["variants"]] == list({"FA-0001", "FA-0002"} - {tee["sku"]})
    white = search(api, a, query="basic cotton tee white", limit=3)["results"]
    assert white[0]["sku"] == "FA-0002"  # the colour asked for represents the group
