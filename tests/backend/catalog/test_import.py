"""Catalog import through the admin API: bad rows are reported, good rows land, re-import is a no-op."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from backend.runtime import Runtime
from tests.conftest import Shop, wait_for_tasks, write_jsonl

GOOD = [
    {"sku": "SK-1", "title": "지성 피부를 위한 오일프리 수분크림", "category": "skincare/cream",
     "price": 18000, "stock": 5, "tags": ["수분", "oily-skin"],
     "attributes": {"skin_type": ["oily"]}},
    {"sku": "SK-2", "title": "Oil-free moisturizer for oily skin", "category": "skincare/cream",
     "price": 45000, "stock": 0},
    {"sku": "FA-1", "title": "Black cotton tee", "category": "fashion/tops", "price": 19000,
     "stock": 10, "attributes": {"color": "black"}},
]


def upload(client: TestClient, shop: Shop, path: Path) -> dict:
    resp = client.post("/v1/admin/imports", headers=shop.admin,
                       files={"file": (path.name, path.read_bytes())})
    assert resp.status_code == 202, resp.text
    return resp.json()


def finished(client: TestClient, rt: Runtime, shop: Shop, job_id: str) -> dict:
    wait_for_tasks(rt)
    resp = client.get(f"/v1/admin/imports/{job_id}", headers=shop.admin)
    assert resp.status_code == 200
    return resp.json()


def test_broken_rows_are_reported_by_line_and_good_rows_land(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path) -> None:
    rows: list[dict | str] = [
        GOOD[0],
        {"sku": "BAD-PRICE", "title": "x", "price": "abc"},
        "{not json",
        {"title": "no sku", "price": 1},
        GOOD[1],
        {**GOOD[2]},
        {**GOOD[2], "title": "duplicate sku in the same file"},
        {"sku": "NEG", "title": "negative", "price": -5},
    ]
    job = upload(client, shop, write_jsonl(tmp_path / "catalog.jsonl", rows))
    report = finished(client, runtime, shop, job["id"])
    assert report["status"] == "succeeded"
    assert (report["total_rows"], report["created"], report["failed"]) == (8, 3, 5)
    by_line = {e["line"]: e for e in report["errors"]}
    assert set(by_line) == {2, 3, 4, 7, 8}
    assert by_line[2]["sku"] == "BAD-PRICE" and by_line[2]["field"] == "price"
    assert "invalid JSON" in by_line[3]["message"]
    assert "sku" in by_line[4]["message"]
    assert "duplicate sku" in by_line[7]["message"] and "line 6" in by_line[7]["message"]
    assert report["index"] == {"pending": 0, "indexed": 3, "failed": 0}
    listed = client.get("/v1/admin/products", headers=shop.admin).json()
    assert sorted(p["sku"] for p in listed["items"]) == ["FA-1", "SK-1", "SK-2"]


def test_reimporting_the_same_file_changes_nothing(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "catalog.jsonl", list(GOOD))
    finished(client, runtime, shop, upload(client, shop, path)["id"])
    before = client.get("/v1/admin/products", headers=shop.admin).json()["items"]
    points_before = runtime.index.count(shop.merchant_id)
    again = finished(client, runtime, shop, upload(client, shop, path)["id"])
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    after = client.get("/v1/admin/products", headers=shop.admin).json()["items"]
    assert after == before  # same updated_at, same index state: nothing was touched
    assert runtime.index.count(shop.merchant_id) == points_before == 3


def test_changed_row_updates_only_that_product(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path) -> None:
    finished(client, runtime, shop,
             upload(client, shop, write_jsonl(tmp_path / "a.jsonl", list(GOOD)))["id"])
    changed = [GOOD[0], {**GOOD[1], "price": 39000}, GOOD[2]]
    report = finished(client, runtime, shop,
                      upload(client, shop, write_jsonl(tmp_path / "a.jsonl", changed))["id"])
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 2)
    product = client.get("/v1/admin/products/SK-2", headers=shop.admin).json()
    assert product["price"] == 39000 and product["index_state"] == "indexed"


def test_csv_import_with_pipes_and_json_attributes(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(
        "sku,title,price,tags,attributes,stock\n"
        'C-1,Navy wool coat,129000,wool|winter,"{""color"": ""navy""}",3\n'
        "C-2,Missing price,,,,\n"
        'C-3,Bad attrs,1000,,"{not json",1\n',
        encoding="utf-8",
    )
    report = finished(client, runtime, shop, upload(client, shop, path)["id"])
    assert report["created"] == 1 and report["failed"] == 2
    assert {e["line"] for e in report["errors"]} == {3, 4}
    coat = client.get("/v1/admin/products/C-1", headers=shop.admin).json()
    assert coat["tags"] == ["wool", "winter"] and coat["attributes"] == {"color": "navy"}


def test_uploaded_file_cannot_read_server_paths(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path) -> None:
    rows: list[dict | str] = [{**GOOD[0], "images": ["/etc/passwd"]}]
    report = finished(client, runtime, shop,
                      upload(client, shop, write_jsonl(tmp_path / "c.jsonl", rows))["id"])
    assert report["created"] == 0 and report["failed"] == 1
    assert "only http(s) URLs" in report["errors"][0]["message"]


@pytest.mark.parametrize(("name", "content", "status"), [
    ("catalog.xlsx", b"PK\x03\x04", 422),
    ("catalog.jsonl", "sku\n".encode("utf-16"), 200),  # accepted, fails as a job (not UTF-8)
])
def test_unreadable_files_get_clear_errors(client: TestClient, runtime: Runtime, shop: Shop,
                                           name: str, content: bytes, status: int) -> None:
    resp = client.post("/v1/admin/imports", headers=shop.admin, files={"file": (name, content)})
    if status == 422:
        assert resp.status_code == 422
        assert resp.headers["content-type"].startswith("application/problem+json")
        assert ".jsonl" in resp.json()["detail"]
        return
    report = finished(client, runtime, shop, resp.json()["id"])
    assert report["status"] == "failed" and "UTF-8" in report["error"]


def test_failed_file_keeps_what_was_stored(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path) -> None:
    finished(client, runtime, shop,
             upload(client, shop, write_jsonl(tmp_path / "a.jsonl", list(GOOD)))["id"])
    resp = client.post("/v1/admin/imports", headers=shop.admin,
                       files={"file": ("bad.csv", b"no,header,here\n1,2,3\n")})
    report = finished(client, runtime, shop, resp.json()["id"])
    assert report["status"] == "failed"
    assert client.get("/v1/admin/products", headers=shop.admin).json()["total"] == 3


# -- images over HTTP -----------------------------------------------------------------------


def _jpeg(color: str = "red", size: tuple[int, int] = (64, 64)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="JPEG")
    return buf.getvalue()


@pytest.fixture
def image_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving good, broken and slow images."""
    routes = {"/red.jpg": _jpeg("red"), "/not-image.jpg": b"<html>hello</html>",
              "/truncated.jpg": _jpeg("blue")[:200], "/slow.jpg": _jpeg("red"),
              "/big.jpg": _jpeg("green", (512, 512))}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path == "/slow.jpg":
                time.sleep(2)
            body = routes.get(self.path.split("?", 1)[0])
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except BrokenPipeError:  # the importer hung up on purpose (timeout, size cap)
                pass

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_image_urls_are_fetched_and_bad_ones_reported_as_warnings(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path, image_server: str) -> None:
    rows: list[dict | str] = [
        {**GOOD[0], "images": [f"{image_server}/red.jpg", f"{image_server}/not-image.jpg"]},
        {**GOOD[1], "images": [f"{image_server}/truncated.jpg", f"{image_server}/missing.jpg"]},
    ]
    report = finished(client, runtime, shop,
                      upload(client, shop, write_jsonl(tmp_path / "i.jsonl", rows))["id"])
    assert report["created"] == 2 and report["failed"] == 0
    warnings = [e for e in report["errors"] if e["level"] == "warning"]
    assert {(w["line"], w["sku"]) for w in warnings} == {(1, "SK-1"), (2, "SK-2")}
    assert len(warnings) == 3
    first = client.get("/v1/admin/products/SK-1", headers=shop.admin).json()
    assert [i["source"] for i in first["images"]] == [f"{image_server}/red.jpg"]
    stored = list((runtime.settings.images_dir).rglob("*.jpg"))
    assert len(stored) == 1


def test_private_addresses_are_refused_unless_allowed(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path, image_server: str) -> None:
    runtime.settings.image_fetch_allow_private = False
    rows: list[dict | str] = [{**GOOD[0], "images": [f"{image_server}/red.jpg"]}]
    report = finished(client, runtime, shop,
                      upload(client, shop, write_jsonl(tmp_path / "p.jsonl", rows))["id"])
    assert report["created"] == 1
    assert "private address" in json.dumps(report["errors"])


def test_slow_and_oversized_images_are_cut_off(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path, image_server: str) -> None:
    runtime.settings.image_fetch_timeout_s = 0.5
    runtime.settings.image_max_bytes = 2_000
    rows: list[dict | str] = [{**GOOD[0], "images": [f"{image_server}/slow.jpg",
                                                    f"{image_server}/big.jpg"]}]
    report = finished(client, runtime, shop,
                      upload(client, shop, write_jsonl(tmp_path / "s.jsonl", rows))["id"])
    messages = " | ".join(e["message"] for e in report["errors"])
    assert "timed out" in messages and "2000-byte limit" in messages
    assert report["created"] == 1


def test_rows_sharing_one_picture_import_together(
        client: TestClient, runtime: Runtime, shop: Shop, tmp_path: Path, image_server: str) -> None:
    # Same bytes behind many URLs: fetched concurrently, stored once, no row loses its image.
    rows: list[dict | str] = [
        {**GOOD[0], "sku": f"SAME-{i}", "images": [f"{image_server}/red.jpg?copy={i}"]}
        for i in range(12)
    ]
    report = finished(client, runtime, shop,
                      upload(client, shop, write_jsonl(tmp_path / "same.jsonl", rows))["id"])
    assert report["status"] == "succeeded" and report["created"] == 12
    assert report["errors"] == []
    assert len(list(runtime.settings.images_dir.rglob("*.jpg"))) == 1
    assert not list(runtime.settings.images_dir.rglob("*.tmp"))
