"""Task bodies by name. Each takes the process Runtime and ids, re-fetches, and is idempotent.

The same functions run on a Celery worker and in the in-process executor, so the embedded
default exercises exactly the code production runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend.catalog.importer import run_import
from backend.catalog.ingest import ingest_products, remove_products
from backend.feedback.service import refresh_popularity
from backend.photos.analysis import analyze_photos
from backend.runtime import Runtime
from backend.suggestions.tasks import suggest_tags

Job = Callable[..., Any]

# Queue per task: ingestion is CPU-bound and scales out; vision work needs GPU workers.
ROUTES: dict[str, str] = {
    "run_import": "ingest",
    "ingest_products": "ingest",
    "remove_products": "ingest",
    "refresh_popularity": "ingest",
    "analyze_photo": "vision",
    "suggest_tags": "vision",
}


def _run_import(rt: Runtime, *, job_id: str) -> dict[str, int]:
    return {"changed": len(run_import(rt, job_id))}


def _ingest(rt: Runtime, *, product_ids: list[str]) -> dict[str, int]:
    return ingest_products(rt, product_ids)


def _remove(rt: Runtime, *, product_ids: list[str]) -> dict[str, int]:
    return remove_products(rt, product_ids)


def _popularity(rt: Runtime, *, product_ids: list[str]) -> dict[str, int]:
    return refresh_popularity(rt, product_ids)


def _analyze(rt: Runtime, *, analysis_id: str) -> dict[str, int]:
    return analyze_photos(rt, analysis_id)


def _suggest(rt: Runtime, *, product_ids: list[str]) -> dict[str, int]:
    return suggest_tags(rt, product_ids)


JOBS: dict[str, Job] = {
    "run_import": _run_import,
    "ingest_products": _ingest,
    "remove_products": _remove,
    "refresh_popularity": _popularity,
    "analyze_photo": _analyze,
    "suggest_tags": _suggest,
}
