"""The `aisle` command line as a user runs it: separate processes, JSON out, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_jsonl


def aisle(tmp_path: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISLE_")}
    env["AISLE_DATA_DIR"] = str(tmp_path / "var")
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=timeout)


def test_merchant_import_search_reindex_round_trip(tmp_path: Path) -> None:
    created = aisle(tmp_path, "merchants", "create", "cli-shop")
    assert created.returncode == 0, created.stderr
    keys = json.loads(created.stdout)
    assert set(keys) == {"merchant_id", "admin_key", "client_key"}
    assert keys["admin_key"].startswith("aisle_admin_")

    again = aisle(tmp_path, "merchants", "create", "cli-shop")
    assert again.returncode == 1 and "exists already" in again.stderr

    (tmp_path / "img").mkdir()
    from PIL import Image

    Image.new("RGB", (40, 40), "black").save(tmp_path / "img" / "tee.jpg")
    catalog = write_jsonl(tmp_path / "c.jsonl", [
        {"sku": "T-1", "title": "Black cotton tee", "price": 19000, "images": ["img/tee.jpg"]},
        {"sku": "T-2", "title": "Broken", "price": 1, "images": ["img/missing.jpg"]},
    ])
    imported = aisle(tmp_path, "import", str(catalog), "--merchant", "cli-shop")
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert report["created"] == 1 and report["failed"] == 1
    assert "no such file" in report["errors"][0]["message"]
    assert report["index"]["indexed"] == 1

    found = aisle(tmp_path, "search", "black tee", "--merchant", "cli-shop")
    assert found.returncode == 0 and "T-1" in found.stdout

    rebuilt = aisle(tmp_path, "reindex", "--recreate")
    assert rebuilt.returncode == 0 and "reindexed 1 products" in rebuilt.stderr

    optimized = aisle(tmp_path, "optimize")  # reindex optimized already: nothing left to do
    assert optimized.returncode == 0 and "index already optimal" in optimized.stderr
    found = aisle(tmp_path, "search", "black tee", "--merchant", "cli-shop")
    assert found.returncode == 0 and "T-1" in found.stdout


def test_unknown_merchant_is_a_clear_error(tmp_path: Path) -> None:
    catalog = write_jsonl(tmp_path / "c.jsonl", [{"sku": "A", "title": "a", "price": 1}])
    out = aisle(tmp_path, "import", str(catalog), "--merchant", "nobody")
    assert out.returncode == 1
    assert "aisle merchants create" in out.stderr
