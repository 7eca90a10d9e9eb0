"""Work the in-process executor lost in a crash is picked up when the API starts again."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from backend.app import create_app
from backend.catalog import importer
from backend.catalog.schemas import ProductIn
from backend.catalog.service import upsert_product
from backend.db import session_scope
from backend.runtime import Runtime
from tests.conftest import Shop, wait_for_tasks, write_jsonl


def test_pending_products_and_queued_imports_resume_on_start(
        runtime: Runtime, shop: Shop, tmp_path: Path) -> None:
    # State as a crash leaves it: a product written but never indexed, an import never run.
    with session_scope(runtime.engine) as session:
        upsert_product(session, shop.merchant_id,
                       ProductIn(sku="P-1", title="Navy wool coat", price=129000), [])
        catalog = write_jsonl(tmp_path / "c.jsonl", [{"sku": "P-2", "title": "Red scarf",
                                                     "price": 15000}])
        job = importer.create_job(session, runtime, shop.merchant_id, filename="c.jsonl",
                                  content=catalog.read_bytes())
    assert runtime.tasks is None
    with TestClient(create_app(runtime=runtime)) as client:
        wait_for_tasks(runtime)
        products = client.get("/v1/admin/products", headers=shop.admin).json()["items"]
        assert {(p["sku"], p["index_state"]) for p in products} == {("P-1", "indexed"),
                                                                    ("P-2", "indexed")}
        assert client.get(f"/v1/admin/imports/{job.id}",
                          headers=shop.admin).json()["status"] == "succeeded"
