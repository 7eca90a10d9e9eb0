"""A real `aisle worker` process, fed through Redis, ingests into Qdrant while the API uses PostgreSQL.

Qdrant runs in local mode here (no server can be installed on CI), and local mode is
single-process: the API opens the store only after the worker has exited. In production both
talk to a Qdrant server (AISLE_QDRANT_URL) and run at the same time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.runtime import Runtime
from backend.settings import Settings
from recommender.encoders import Encoders
from tests.conftest import make_settings, make_shop, write_jsonl

pytestmark = pytest.mark.integration

BROKER = os.environ.get("AISLE_TEST_BROKER_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def broker() -> str:
    client = redis.Redis.from_url(BROKER)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis at {BROKER} is required for this test: {exc}")
    client.flushdb()  # a dedicated DB number: stale tasks from an earlier run must not leak in
    return BROKER


@pytest.fixture
def worker_settings(tmp_path: Path, pg_database: str, broker: str) -> Settings:
    return make_settings(tmp_path, database_url=pg_database, broker_url=broker)


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISLE_")}
    env.update({
        "AISLE_DATA_DIR": str(settings.data_dir), "AISLE_DATABASE_URL": str(settings.database_url),
        "AISLE_BROKER_URL": str(settings.broker_url), "AISLE_ENV": "test",
        "AISLE_IMAGE_FETCH_ALLOW_PRIVATE": "true",
    })
    return env


@pytest.fixture
def worker(worker_settings: Settings, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "worker", "--queues", "ingest", "--pool", "solo"],
        env=_env(worker_settings), stdout=log, stderr=subprocess.STDOUT,
    )
    yield proc
    stop(proc)
    log.close()
    sys.stderr.write((tmp_path / "worker.log").read_text(errors="replace")[-3000:])


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # warm shutdown: finish the task, release Qdrant
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def poll(client: TestClient, url: str, headers: dict[str, str], done: object,
         timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        body = client.get(url, headers=headers).json()
        if done(body):  # type: ignore[operator]
            return body
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting on {url}: {body}")


def test_worker_ingests_an_import_and_the_api_searches_it(
        worker_settings: Settings, worker: subprocess.Popen[bytes], encoders: Encoders,
        tmp_path: Path) -> None:
    rt = Runtime.create(worker_settings, encoders=encoders)
    shop = make_shop(rt, "celery-shop")
    catalog = write_jsonl(tmp_path / "catalog.jsonl", [
        {"sku": "SK-1", "title": "지성 피부를 위한 오일프리 수분크림", "price": 18000, "stock": 5,
         "category": "skincare/cream"},
        {"sku": "SK-2", "title": "Oil-free moisturizer for oily skin", "price": 24000, "stock": 2},
        {"sku": "BAD", "title": "no price"},
        {"sku": "FA-1", "title": "Black cotton tee", "price": 19000, "stock": 9},
    ])
    with TestClient(create_app(runtime=rt)) as client:
        assert type(rt.tasks).__name__ == "CeleryTaskQueue"
        resp = client.post("/v1/admin/imports", headers=shop.admin,
                           files={"file": (catalog.name, catalog.read_bytes())})
        assert resp.status_code == 202
        url = f"/v1/admin/imports/{resp.json()['id']}"
        report = poll(client, url, shop.admin,
                      lambda b: b["status"] == "succeeded" and b["index"]["indexed"] == 3)
        assert report["created"] == 3 and report["failed"] == 1
        assert report["errors"][0]["line"] == 3

        # An edit through the API reaches the index through the worker too.
        client.patch("/v1/admin/products/FA-1", headers=shop.admin, json={"stock": 0})
        poll(client, "/v1/admin/products/FA-1", shop.admin,
             lambda b: b["index_state"] == "indexed" and b["stock"] == 0)

        assert not rt.index_opened  # the API has not touched Qdrant while the worker ran
        stop(worker)
        assert worker.returncode is not None

        found = client.post("/v1/search", headers=shop.client,
                            json={"query": "지성 피부 수분크림"}).json()
        assert found["results"][0]["sku"] == "SK-1"
        in_stock = client.post("/v1/search", headers=shop.client,
                               json={"query": "black cotton tee", "filters": {"in_stock": True}})
        assert "FA-1" not in [r["sku"] for r in in_stock.json()["results"]]
        assert client.get("/readyz").json()["capabilities"]["database"] == "postgresql"
    rt.close()
