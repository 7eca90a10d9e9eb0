"""A real `aisle worker --queues vision --pool solo` analyses an uploaded photo; chat uses it.

Redis is the broker, PostgreSQL the database. The analysis task never opens Qdrant, so the
API keeps the local-mode store while the worker runs. This machine has no GPU: the worker
resolves `device=auto` to CPU (the result records it); on a GPU host the same code uses CUDA.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.chat.policy import COSMETIC_NOTICE
from backend.cli import import_file
from backend.photos.vision_models import probes_path
from backend.runtime import Runtime
from backend.settings import Settings
from tests.conftest import TINY_CLIP, make_settings, make_shop, write_jsonl
from tests.integration.test_celery_worker import poll, stop
from tests.vision.skin_images import skin_photo
from vision.analysis import SKIN_ATTRIBUTES
from vision.probes import train_probes

pytestmark = pytest.mark.integration

BROKER = os.environ.get("AISLE_TEST_VISION_BROKER_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def vision_settings(tmp_path: Path, pg_database: str, tiny_clip_weights: Path) -> Settings:
    client = redis.Redis.from_url(BROKER)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis at {BROKER} is required for this test: {exc}")
    client.flushdb()
    return make_settings(tmp_path, database_url=pg_database, broker_url=BROKER,
                         clip_model=TINY_CLIP, clip_weights=tiny_clip_weights,
                         semantic_enabled=False)


@pytest.fixture
def vision_worker(vision_settings: Settings, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISLE_")}
    env.update({
        "AISLE_DATA_DIR": str(vision_settings.data_dir),
        "AISLE_DATABASE_URL": str(vision_settings.database_url),
        "AISLE_BROKER_URL": BROKER, "AISLE_ENV": "test", "AISLE_CLIP_MODEL": TINY_CLIP,
        "AISLE_CLIP_WEIGHTS": str(vision_settings.clip_weights),
        "AISLE_SEMANTIC_ENABLED": "false",
    })
    log = open(tmp_path / "vision-worker.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "worker", "--queues", "vision", "--pool", "solo"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    yield proc
    stop(proc)
    log.close()
    sys.stderr.write((tmp_path / "vision-worker.log").read_text(errors="replace")[-3000:])


def _train_redness_probe(rt: Runtime) -> None:
    clip = rt.encoders.clip
    assert clip is not None
    images = [skin_photo(i % 2 == 0, seed=i) for i in range(40)]
    probes = train_probes(clip.encode_images(images), ["redness"] * 40,
                          [i % 2 == 0 for i in range(40)], clip_model=clip.name,
                          clip_weights=str(rt.settings.clip_weights), allowed=SKIN_ATTRIBUTES)
    probes.save(probes_path(rt.settings))


def test_vision_worker_analyses_a_photo_and_chat_uses_it(
        vision_settings: Settings, tmp_path: Path) -> None:
    rt = Runtime.create(vision_settings)
    shop = make_shop(rt, "vision-celery-shop")
    catalog = write_jsonl(tmp_path / "catalog.jsonl", [
        {"sku": "CALM", "title": "Cica calming cream", "price": 21000, "stock": 4,
         "attributes": {"concerns": ["redness"]}},
        {"sku": "MATTE", "title": "Oil control gel cream", "price": 19000, "stock": 4,
         "attributes": {"concerns": ["oiliness"]}},
        {"sku": "RICH", "title": "Rich barrier cream", "price": 25000, "stock": 4,
         "attributes": {"concerns": ["dryness"]}},
    ])
    assert import_file(rt, catalog, shop.merchant_id, quiet=True)["index"]["indexed"] == 3
    _train_redness_probe(rt)
    # Started only now: the worker must do the analysis, nothing else.
    worker_fixture = vision_worker.__wrapped__(vision_settings, tmp_path)  # type: ignore[attr-defined]
    worker = next(worker_fixture)
    try:
        with TestClient(create_app(runtime=rt)) as client:
            assert type(rt.tasks).__name__ == "CeleryTaskQueue"
            buf = io.BytesIO()
            skin_photo(True, seed=777).save(buf, format="JPEG", quality=92)
            photo = client.post("/v1/photos", headers=shop.client,
                                files={"file": ("me.jpg", buf.getvalue(), "image/jpeg")}).json()
            job = client.post(f"/v1/photos/{photo['photo_id']}/analysis", headers=shop.client,
                              json={"kind": "skin"})
            assert job.status_code == 202
            done = poll(client, f"/v1/analyses/{job.json()['analysis_id']}", shop.client,
                        lambda b: b["status"] in ("succeeded", "failed"))
            assert done["status"] == "succeeded", done
            result = done["result"]
            assert result["model"]["device"] == "cpu"  # no GPU on this machine
            assert result["model"]["probes"] == ["redness"]
            assert "redness" in result["concerns"] and result["notice"] == COSMETIC_NOTICE["en"]

            sid = client.post("/v1/chat/sessions", headers=shop.client).json()["session_id"]
            turn = client.post(
                f"/v1/chat/sessions/{sid}/messages",
                headers={**shop.client, "Accept": "application/json"},
                json={"text": "which cream suits me?", "photo_id": photo["photo_id"]}).json()
            assert turn["products"][0]["sku"] == "CALM", json.dumps(turn)
            cited = [r for r in turn["products"][0]["reasons"] if r["kind"] == "photo_analysis"]
            assert cited and cited[0]["data"]["analysis_id"] == done["analysis_id"]
            assert turn["notice"] == COSMETIC_NOTICE["en"]
    finally:
        next(worker_fixture, None)
        assert worker.poll() is not None
        rt.close()
