"""Importing a catalog file from the operator's disk, then indexing what changed, with progress bars.

Used by `aisle import`, `aisle demo` and `aisle eval`: the same importer and ingestion code
the workers run, driven synchronously so the terminal shows progress.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from backend.catalog import importer
from backend.catalog.ingest import ingest_products
from backend.db import session_scope
from backend.merchants.service import find_merchant
from backend.runtime import Runtime
from recommender.index import IndexSchemaMismatch, IndexUnavailable


def import_file(rt: Runtime, path: Path, merchant: str, *, quiet: bool = False,
                console: Console | None = None) -> dict[str, Any]:
    """Import `path` for `merchant` (id or name); returns the job report as JSON-ready data."""
    console = console or Console(stderr=True)
    with session_scope(rt.engine) as session:
        merchant_id = find_merchant(session, merchant).id
        job = importer.create_job(session, rt, merchant_id, filename=path.name, source=path,
                                  allow_local_images=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet) as progress:
        rows_bar = progress.add_task("rows", total=None)
        changed = importer.run_import(
            rt, job.id, lambda done, total: progress.update(rows_bar, completed=done, total=total),
            enqueue=False,
        )
        index_bar = progress.add_task("index", total=len(changed))
        batch = rt.settings.index_batch_size
        for start in range(0, len(changed), batch):
            ids = changed[start : start + batch]
            try:
                ingest_products(rt, ids)
            except (IndexUnavailable, IndexSchemaMismatch):
                raise
            except Exception as exc:  # noqa: BLE001 - recorded per product; keep going
                console.print(f"[yellow]batch failed, marked failed:[/yellow] {exc}")
            progress.update(index_bar, advance=len(ids))
    if changed:
        # This process owns the store (nobody is searching it): build the HNSW graphs now.
        rt.index.optimize()
    with session_scope(rt.engine) as session:
        return importer.to_public(session, importer.get_job(session, merchant_id, job.id)).model_dump(
            mode="json")
