"""CLIP loads only from real local weights, and when configured, products get image vectors.

The model is a tiny open_clip config (64-dim towers) whose weights this test saves to disk and
Aisle loads through the same path production uses for ViT-B-32 files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from backend.app import create_app
from backend.catalog.local_import import import_file
from backend.runtime import Runtime
from tests.conftest import make_settings, make_shop, write_jsonl
from vision.clip import ClipEncoder, ClipUnavailable, register_model_configs
from vision.torch_runtime import torch

TINY = "aisle-tiny-clip"


@pytest.fixture(scope="module")
def tiny_weights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import open_clip

    register_model_configs()
    torch.manual_seed(0)
    model = open_clip.create_model(TINY)
    path = tmp_path_factory.mktemp("clip") / "tiny.pt"
    torch.save(model.state_dict(), path)
    return path


def test_loads_saved_weights_and_encodes_normalised_vectors(tiny_weights: Path) -> None:
    enc = ClipEncoder.load(TINY, tiny_weights, device="cpu")
    imgs = enc.encode_images([Image.new("RGB", (50, 70), c) for c in ("red", "blue")])
    texts = enc.encode_texts(["a red jar", "파란 가방"])
    assert imgs.shape == texts.shape == (2, 64)
    assert abs(float((imgs**2).sum(axis=1)[0]) - 1.0) < 1e-4
    again = ClipEncoder.load(TINY, tiny_weights, device="cpu").encode_texts(["a red jar"])
    assert (abs(again[0] - texts[0]) < 1e-5).all()  # same file, same model: not random


def test_refuses_to_run_without_weights(tmp_path: Path) -> None:
    with pytest.raises(ClipUnavailable, match="AISLE_CLIP_WEIGHTS"):
        ClipEncoder.load(TINY, tmp_path / "missing.pt")
    with pytest.raises(ClipUnavailable, match="Unknown CLIP model"):
        ClipEncoder.load("no-such-model", tmp_path / "missing.pt")


def test_refuses_weights_of_another_shape(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pt"
    torch.save({"visual.proj": torch.zeros(3, 3)}, bad)
    with pytest.raises(ClipUnavailable, match="do not fit"):
        ClipEncoder.load(TINY, bad)


def test_configured_clip_indexes_image_vectors(tiny_weights: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, clip_model=TINY, clip_weights=tiny_weights,
                             semantic_enabled=False)
    rt = Runtime.create(settings)
    try:
        make_shop(rt, "clip-shop")
        (tmp_path / "img").mkdir()
        Image.new("RGB", (64, 64), "red").save(tmp_path / "img" / "red.jpg")
        catalog = write_jsonl(tmp_path / "c.jsonl", [
            {"sku": "R", "title": "red jar", "price": 1000, "images": ["img/red.jpg"]},
            {"sku": "N", "title": "no photo", "price": 1000},
        ])
        report = import_file(rt, catalog, "clip-shop", quiet=True)
        assert report["index"]["indexed"] == 2
        [point] = rt.index.retrieve([_pid(rt, "R")], with_vectors=True)
        assert set(point.vectors) == {"image", "text"}
        assert len(point.vectors["image"]) == 64
        with TestClient(create_app(runtime=rt)) as client:
            caps = client.get("/readyz").json()["capabilities"]
            assert caps["image_vectors"] is True and caps["image_vectors_note"] is None
    finally:
        rt.close()


def _pid(rt: Runtime, sku: str) -> str:
    from sqlmodel import select

    from backend.db import session_scope
    from backend.models import Product

    with session_scope(rt.engine) as session:
        return session.exec(select(Product.id).where(Product.sku == sku)).one()


def test_changing_models_reports_schema_mismatch_instead_of_dropping_data(
        tiny_weights: Path, tmp_path: Path) -> None:
    from recommender.index import IndexSchemaMismatch

    first = Runtime.create(make_settings(tmp_path, semantic_enabled=False, clip_model=TINY,
                                         clip_weights=tiny_weights))
    _ = first.index
    first.close()
    second = Runtime.create(make_settings(tmp_path, semantic_enabled=False))
    with pytest.raises(IndexSchemaMismatch, match="aisle reindex --recreate"):
        _ = second.index
    second.close()
