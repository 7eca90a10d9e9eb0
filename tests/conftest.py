"""Shared fixtures: real SQLite/PostgreSQL, real Qdrant local mode, real models (loaded once)."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.db import session_scope
from backend.merchants.service import create_merchant
from backend.runtime import Runtime, encoder_config
from backend.settings import Settings
from recommender.encoders import Encoders

PG_ADMIN_URL = os.environ.get("AISLE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def encoders() -> Encoders:
    """all-MiniLM-L6-v2 and Kiwi load once per test session (seconds each)."""
    return Encoders(encoder_config(Settings(_env_file=None)))


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, dropped at the end."""
    name = f"aisle_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required for these tests: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "var", "env": "test", "image_fetch_allow_private": True,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def runtime(settings: Settings, encoders: Encoders) -> Iterator[Runtime]:
    rt = Runtime.create(settings, encoders=encoders)
    yield rt
    rt.close()


@dataclass
class Shop:
    merchant_id: str
    admin_key: str
    client_key: str

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_key}"}

    @property
    def client(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.client_key}"}


def make_shop(rt: Runtime, name: str) -> Shop:
    with session_scope(rt.engine) as session:
        merchant, admin_key, client_key = create_merchant(session, name)
    return Shop(merchant.id, admin_key, client_key)


@pytest.fixture
def shop(runtime: Runtime) -> Shop:
    return make_shop(runtime, "shop-a")


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


def wait_for_tasks(rt: Runtime) -> None:
    """Let the in-process executor finish what the request queued."""
    from workers.queue import InlineTaskQueue

    assert isinstance(rt.tasks, InlineTaskQueue)
    rt.tasks.wait(timeout=120)


def add_products(client: TestClient, rt: Runtime, shop: Shop, rows: list[dict]) -> None:
    """Create products through the admin API and wait until they are indexed."""
    for row in rows:
        resp = client.post("/v1/admin/products", headers=shop.admin, json=row)
        assert resp.status_code == 201, resp.text
    wait_for_tasks(rt)


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


TINY_CLIP = "aisle-tiny-clip"


@pytest.fixture(scope="session")
def tiny_clip_weights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeded random weights for the tiny CLIP config, saved and loaded like real ones.

    Random weights are fine for plumbing tests (they still separate colours); tests that
    need a model that learned something train one (`aisle clip train`, probe heads).
    """
    import open_clip

    from vision.clip import register_model_configs
    from vision.torch_runtime import torch

    register_model_configs()
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny-clip") / "tiny.pt"
    torch.save(open_clip.create_model(TINY_CLIP).state_dict(), path)
    return path


@pytest.fixture(scope="session")
def llm_url() -> Iterator[str]:
    """Base URL (`.../v1`) of SmolLM2-135M served by llama_cpp.server on 127.0.0.1, started
    once per session for every test that needs a real OpenAI-compatible LLM."""
    from tests.llm_server import llama_server

    try:
        server = llama_server()
        url = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(f"the LLM tests need the `llm` extra: {exc}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)
