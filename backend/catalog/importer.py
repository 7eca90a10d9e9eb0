"""Catalog file imports: validate each row, keep the good ones, report the bad by line.

Rows are committed in chunks so a crash mid-file keeps what was done, and a re-run of the
same file finds every row unchanged (content hash) and does nothing.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.catalog.images import sync_product_images
from backend.catalog.parsing import UnreadableFile, detect_format, read_rows
from backend.catalog.schemas import ImportJobPublic, RowError
from backend.catalog.service import resolve_image_sources, upsert_product
from backend.db import get_owned, session_scope
from backend.errors import AisleError, NotFound
from backend.models import ImportJob, IndexState, JobStatus, Product, product_id_for, utcnow
from backend.runtime import Runtime

log = logging.getLogger(__name__)

CHUNK_ROWS = 200
MAX_REPORTED_ERRORS = 1000

Progress = Callable[[int, int], None]


def create_job(session: Session, rt: Runtime, merchant_id: str, *, filename: str,
               source: Path | None = None, content: bytes | None = None,
               allow_local_images: bool = False) -> ImportJob:
    """Keep a copy of the file under the data dir, so a worker can read it later."""
    detect_format(filename)
    job = ImportJob(merchant_id=merchant_id, filename=Path(filename).name, file_path="",
                    allow_local_images=allow_local_images)
    target = rt.settings.uploads_dir / f"{job.id}{Path(filename).suffix.lower()}"
    if content is not None:
        target.write_bytes(content)
    elif source is not None:
        shutil.copyfile(source, target)
    job.file_path = str(target.resolve())
    if allow_local_images and source is not None:
        # Relative image paths in a CLI import are relative to the original file.
        job.file_path = str(source.resolve())
    session.add(job)
    session.flush()
    return job


def run_import(rt: Runtime, job_id: str, progress: Progress | None = None,
               *, enqueue: bool = True) -> list[str]:
    """Import the job's file; returns the ids of products whose index entry must change.

    With `enqueue`, those ids go to the ingest queue in batches; the CLI passes False to
    index them itself with a progress bar.
    """
    with session_scope(rt.engine) as session:
        job = session.get(ImportJob, job_id)
        if job is None:
            raise NotFound(f"No import job {job_id}.")
        if job.status in (JobStatus.succeeded, JobStatus.failed):
            return []  # a redelivered task for a finished job
        job.status = JobStatus.running
        job.created = job.updated = job.unchanged = job.failed = job.total_rows = 0
        job.errors = []
        session.add(job)
    try:
        changed = _import_rows(rt, job_id, progress)
    except (UnreadableFile, OSError) as exc:
        _finish(rt, job_id, JobStatus.failed, str(exc))
        return []
    except Exception as exc:
        _finish(rt, job_id, JobStatus.failed, f"import stopped: {type(exc).__name__}: {exc}")
        raise
    if enqueue and rt.tasks is not None:
        size = rt.settings.index_batch_size
        for start in range(0, len(changed), size):
            rt.tasks.submit("ingest_products", product_ids=changed[start : start + size])
    _finish(rt, job_id, JobStatus.succeeded, None)
    return changed


def _import_rows(rt: Runtime, job_id: str, progress: Progress | None) -> list[str]:
    with session_scope(rt.engine) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        path, merchant_id = Path(job.file_path), job.merchant_id
        base_dir = path.parent if job.allow_local_images else None
        fmt = detect_format(job.filename)
    rows = list(read_rows(path, fmt))
    changed: list[str] = []
    seen: dict[str, int] = {}
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        with session_scope(rt.engine) as session, session.no_autoflush:
            job = session.get(ImportJob, job_id)
            assert job is not None
            # One query loads the chunk's existing products into the identity map, so the
            # per-row lookups in upsert_product hit memory, not the database; no_autoflush
            # keeps the job's counters from being written back before every lookup.
            wanted = [product_id_for(merchant_id, r.product.sku) for r in chunk if r.product]
            session.exec(select(Product).where(col(Product.id).in_(wanted))).all()
            errors: list[RowError] = []
            fresh: list[tuple[int, Product]] = []
            for row in chunk:
                job.total_rows += 1
                if row.product is None:
                    assert row.error is not None
                    errors.append(row.error)
                    continue
                sku = row.product.sku
                if sku in seen:
                    errors.append(RowError(line=row.line, sku=sku, field="sku",
                                           message=f"duplicate sku; first seen on line {seen[sku]}"))
                    continue
                seen[sku] = row.line
                try:
                    sources = resolve_image_sources(row.product.images, base_dir=base_dir)
                except AisleError as exc:
                    errors.append(RowError(line=row.line, sku=sku, field="images",
                                           message=exc.detail))
                    continue
                product, outcome = upsert_product(session, merchant_id, row.product, sources,
                                                  import_job_id=job_id, flush=False)
                setattr(job, outcome, getattr(job, outcome) + 1)
                if outcome != "unchanged":
                    fresh.append((row.line, product))
                elif product.index_state == IndexState.failed:
                    changed.append(product.id)  # unchanged content, but retry its indexing
            session.flush()
            sync_product_images(session, [p for _, p in fresh], rt.settings)
            for line, product in fresh:
                changed.append(product.id)
                errors.extend(RowError(line=line, sku=product.sku, field="images", message=m,
                                       level="warning") for m in product.image_errors)
            job.failed += sum(1 for e in errors if e.level == "error")
            room = MAX_REPORTED_ERRORS - len(job.errors)
            job.errors = [*job.errors, *(e.model_dump() for e in errors[: max(room, 0)])]
            session.add(job)
        if progress:
            progress(min(start + CHUNK_ROWS, len(rows)), len(rows))
    return changed


def _finish(rt: Runtime, job_id: str, status: JobStatus, error: str | None) -> None:
    with session_scope(rt.engine) as session:
        job = session.get(ImportJob, job_id)
        if job is not None:
            job.status, job.error, job.finished_at = status, error, utcnow()
            session.add(job)


def get_job(session: Session, merchant_id: str, job_id: str) -> ImportJob:
    job = get_owned(session, ImportJob, job_id, merchant_id)
    if job is None:
        raise NotFound(f"No import job {job_id} for this merchant.")
    return job


def index_progress(session: Session, job_id: str) -> dict[str, int]:
    stmt = (select(Product.index_state, func.count()).where(Product.import_job_id == job_id)
            .group_by(col(Product.index_state)))
    counts = {state.value: 0 for state in IndexState}
    for state, n in session.exec(stmt).all():
        counts[str(state)] = int(n)
    return counts


def to_public(session: Session, job: ImportJob) -> ImportJobPublic:
    return ImportJobPublic(
        id=job.id, status=job.status, filename=job.filename, total_rows=job.total_rows,
        created=job.created, updated=job.updated, unchanged=job.unchanged, failed=job.failed,
        errors=[RowError.model_validate(e) for e in job.errors], error=job.error,
        index=index_progress(session, job.id), created_at=job.created_at,
        finished_at=job.finished_at,
    )


