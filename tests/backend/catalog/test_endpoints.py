"""Admin product API: CRUD, keys and tenancy, and the index following every change."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from backend.runtime import Runtime
from tests.conftest import Shop, make_shop, wait_for_tasks

CREAM = {"sku": "CR-1", "title": "Oil-free moisturizer for oily skin", "price": 24000,
         "stock": 4, "category": "skincare/cream", "tags": ["moisturizing"],
         "attributes": {"skin_type": ["oily"]}}


def skus(client: TestClient, shop: Shop, query: str, **filters: object) -> list[str]:
    resp = client.post("/v1/search", headers=shop.client,
                       json={"query": query, "filters": filters})
    assert resp.status_code == 200, resp.text
    return [r["sku"] for r in resp.json()["results"]]


def test_create_index_search_patch_delete(client: TestClient, runtime: Runtime, shop: Shop) -> None:
    resp = client.post("/v1/admin/products", headers=shop.admin, json=CREAM)
    assert resp.status_code == 201 and resp.json()["index_state"] == "pending"
    wait_for_tasks(runtime)
    assert client.get("/v1/admin/products/CR-1", headers=shop.admin).json()["index_state"] == "indexed"
    assert skus(client, shop, "moisturizer oily skin") == ["CR-1"]

    resp = client.patch("/v1/admin/products/CR-1", headers=shop.admin, json={"stock": 0})
    assert resp.status_code == 200 and resp.json()["in_stock"] is False
    wait_for_tasks(runtime)
    assert skus(client, shop, "moisturizer oily skin", in_stock=True) == []

    assert client.delete("/v1/admin/products/CR-1", headers=shop.admin).status_code == 204
    assert skus(client, shop, "moisturizer oily skin") == []  # gone at once, via the DB check
    wait_for_tasks(runtime)
    assert runtime.index.count(shop.merchant_id) == 0  # and from the index


def test_duplicate_create_conflicts_and_put_replaces(client: TestClient, runtime: Runtime,
                                                     shop: Shop) -> None:
    assert client.post("/v1/admin/products", headers=shop.admin, json=CREAM).status_code == 201
    resp = client.post("/v1/admin/products", headers=shop.admin, json=CREAM)
    assert resp.status_code == 409 and "PUT or PATCH" in resp.json()["detail"]
    resp = client.put("/v1/admin/products/CR-1", headers=shop.admin, json={**CREAM, "price": 1000})
    assert resp.status_code == 200 and resp.json()["price"] == 1000
    resp = client.put("/v1/admin/products/OTHER", headers=shop.admin, json=CREAM)
    assert resp.status_code == 422 and "differs" in resp.json()["detail"]


def test_unknown_sku_and_bad_body_get_problem_json(client: TestClient, shop: Shop) -> None:
    resp = client.get("/v1/admin/products/NOPE", headers=shop.admin)
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert "NOPE" in resp.json()["detail"]
    resp = client.post("/v1/admin/products", headers=shop.admin, json={**CREAM, "price": -1})
    assert resp.status_code == 422 and "price" in resp.json()["detail"]
    resp = client.post("/v1/admin/products", headers=shop.admin, json={**CREAM, "oops": 1})
    assert resp.status_code == 422


def test_client_keys_cannot_write_and_other_merchants_cannot_read(
        client: TestClient, runtime: Runtime, shop: Shop) -> None:
    resp = client.post("/v1/admin/products", headers=shop.client, json=CREAM)
    assert resp.status_code == 403 and "admin key" in resp.json()["detail"]
    client.post("/v1/admin/products", headers=shop.admin, json=CREAM)
    other = make_shop(runtime, "shop-b")
    assert client.get("/v1/admin/products/CR-1", headers=other.admin).status_code == 404
    assert client.delete("/v1/admin/products/CR-1", headers=other.admin).status_code == 404
    assert client.get("/v1/admin/products/CR-1", headers=shop.admin).status_code == 200


def test_image_upload_accepts_images_and_rejects_the_rest(
        client: TestClient, runtime: Runtime, shop: Shop) -> None:
    client.post("/v1/admin/products", headers=shop.admin, json=CREAM)
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), "green").save(buf, format="PNG")
    resp = client.post("/v1/admin/products/CR-1/images", headers=shop.admin,
                       files={"file": ("a.png", buf.getvalue(), "image/png")})
    assert resp.status_code == 201
    assert [(i["width"], i["height"]) for i in resp.json()["images"]] == [(80, 60)]
    resp = client.post("/v1/admin/products/CR-1/images", headers=shop.admin,
                       files={"file": ("evil.jpg", b"MZ\x90\x00 not an image", "image/jpeg")})
    assert resp.status_code == 422 and "not a readable image" in resp.json()["detail"]
    wait_for_tasks(runtime)
    product = client.get("/v1/admin/products/CR-1", headers=shop.admin).json()
    assert len(product["images"]) == 1 and product["index_state"] == "indexed"
