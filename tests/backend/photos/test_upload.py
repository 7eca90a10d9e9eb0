"""Photo upload: clean copies stored, hostile files refused with problem+json, nothing kept."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import select

from backend.db import session_scope
from backend.models import Analysis, Photo, utcnow
from backend.photos.service import purge_expired
from backend.runtime import Runtime
from tests.conftest import Shop, wait_for_tasks


def encode(img: Image.Image, fmt: str = "JPEG", **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares huge dimensions in a few bytes (no pixel data follows)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def upload(client: TestClient, shop: Shop, data: bytes, name: str = "photo.jpg",
           ctype: str = "image/jpeg"):  # type: ignore[no-untyped-def]
    return client.post("/v1/photos", headers=shop.client, files={"file": (name, data, ctype)})


def stored_files(runtime: Runtime) -> list[Path]:
    root = runtime.settings.photos_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def photo_rows(runtime: Runtime) -> int:
    with session_scope(runtime.engine) as session:
        return len(session.exec(select(Photo)).all())


def test_upload_stores_an_upright_copy_without_exif_or_gps(
        client: TestClient, runtime: Runtime, shop: Shop) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # displayed rotated 90°
    exif[0x8825] = {1: "N", 2: (37.0, 33.0, 0.0), 3: "E", 4: (126.0, 58.0, 0.0)}  # GPS
    original = encode(Image.new("RGB", (80, 40), "blue"), exif=exif)
    assert Image.open(io.BytesIO(original)).getexif()  # the upload does carry EXIF

    resp = upload(client, shop, original)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert (body["width"], body["height"]) == (40, 80)  # turned upright
    files = stored_files(runtime)
    assert len(files) == 1
    stored = files[0].read_bytes()
    assert b"Exif" not in stored and original not in stored
    img = Image.open(io.BytesIO(stored))
    assert img.size == (40, 80) and not img.getexif()
    meta = client.get(f"/v1/photos/{body['photo_id']}", headers=shop.client).json()
    assert meta["content_type"] == "image/jpeg" and meta["expires_at"]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(client: TestClient, shop: Shop, fmt: str) -> None:
    resp = upload(client, shop, encode(Image.new("RGB", (30, 20), "red"), fmt), f"x.{fmt.lower()}")
    assert resp.status_code == 201, resp.text


def _truncated() -> bytes:
    data = encode(Image.effect_noise((256, 256), 64).convert("RGB"))
    return data[: len(data) // 2]


HOSTILE = {
    "empty": (b"", 422, "empty"),
    "shell script renamed .jpg": (b"#!/bin/sh\nrm -rf /\n", 415, "not a readable image"),
    "gif": (encode(Image.new("RGB", (8, 8)), "GIF"), 415, "Unsupported image format GIF"),
    "truncated jpeg": (_truncated(), 422, "damaged or truncated"),
    # 10000x10000 of one colour: a few KB on the wire, 100 megapixels decoded.
    "decompression bomb": (encode(Image.new("L", (10_000, 10_000)), "PNG", optimize=True), 413,
                           "pixels"),
    "huge declared dimensions": (png_header_only(100_000, 100_000), 413, "pixels"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_uploads_get_4xx_problems_and_store_nothing(
        client: TestClient, runtime: Runtime, shop: Shop, case: str) -> None:
    data, status, message = HOSTILE[case]
    resp = upload(client, shop, data)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert message in resp.json()["detail"]
    assert stored_files(runtime) == [] and photo_rows(runtime) == 0


def test_oversized_upload_is_refused_after_reading_only_the_cap(
        client: TestClient, runtime: Runtime, shop: Shop) -> None:
    runtime.settings.photo_max_bytes = 1000
    resp = upload(client, shop, encode(Image.effect_noise((200, 200), 64).convert("RGB")))
    assert resp.status_code == 413 and "at most 1000 bytes" in resp.json()["detail"]
    assert stored_files(runtime) == [] and photo_rows(runtime) == 0


def test_photos_belong_to_their_merchant(client: TestClient, runtime: Runtime, shop: Shop) -> None:
    from tests.conftest import make_shop

    other = make_shop(runtime, "shop-b")
    photo_id = upload(client, shop, encode(Image.new("RGB", (10, 10)))).json()["photo_id"]
    assert client.get(f"/v1/photos/{photo_id}", headers=other.client).status_code == 404
    assert client.delete(f"/v1/photos/{photo_id}", headers=other.client).status_code == 404
    assert len(stored_files(runtime)) == 1


def test_delete_removes_file_and_analyses(client: TestClient, runtime: Runtime, shop: Shop) -> None:
    photo_id = upload(client, shop, encode(Image.new("RGB", (64, 64), "red"))).json()["photo_id"]
    # Item colours are pixel code, so this runs without CLIP weights.
    job = client.post(f"/v1/photos/{photo_id}/analysis", headers=shop.client,
                      json={"kind": "item"})
    assert job.status_code == 202, job.text
    wait_for_tasks(runtime)
    analysis_id = job.json()["analysis_id"]
    done = client.get(f"/v1/analyses/{analysis_id}", headers=shop.client).json()
    assert done["status"] == "succeeded" and done["result"]["colors"][0]["name"] == "red"

    assert client.delete(f"/v1/photos/{photo_id}", headers=shop.client).status_code == 204
    assert stored_files(runtime) == [] and photo_rows(runtime) == 0
    assert client.get(f"/v1/analyses/{analysis_id}", headers=shop.client).status_code == 404
    with session_scope(runtime.engine) as session:
        assert session.exec(select(Analysis)).all() == []


def test_retention_purge_removes_expired_photos_and_their_analyses(
        client: TestClient, runtime: Runtime, shop: Shop) -> None:
    photo_id = upload(client, shop, encode(Image.new("RGB", (32, 32), "green"))).json()["photo_id"]
    client.post(f"/v1/photos/{photo_id}/analysis", headers=shop.client, json={"kind": "item"})
    wait_for_tasks(runtime)
    assert purge_expired(runtime) == {"photos": 0, "files": 0}  # not yet expired
    later = utcnow() + timedelta(hours=runtime.settings.photo_retention_hours, minutes=1)
    assert purge_expired(runtime, now=later)["photos"] == 1
    assert stored_files(runtime) == [] and photo_rows(runtime) == 0
    assert client.get(f"/v1/photos/{photo_id}", headers=shop.client).status_code == 404


def test_skin_analysis_without_clip_weights_is_503_naming_the_settings(
        client: TestClient, shop: Shop) -> None:
    photo_id = upload(client, shop, encode(Image.new("RGB", (32, 32)))).json()["photo_id"]
    resp = client.post(f"/v1/photos/{photo_id}/analysis", headers=shop.client,
                       json={"kind": "skin"})
    assert resp.status_code == 503
    assert "AISLE_CLIP_MODEL" in resp.json()["detail"] and "AISLE_CLIP_WEIGHTS" in resp.json()["detail"]
