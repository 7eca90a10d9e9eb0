"""Picking up work an in-process executor lost when its process stopped.

With a broker, queued tasks survive in the broker and are redelivered (acks_late). The
in-process executor keeps them in memory, so on start-up the API re-queues whatever the
database says is unfinished: imports that never completed and products still `pending`.
Both tasks are idempotent, so doing part of the work twice is harmless.
"""

from __future__ import annotations

import logging

from sqlmodel import col, select

from backend.db import session_scope
from backend.models import ImportJob, IndexState, JobStatus, Product
from backend.runtime import Runtime

log = logging.getLogger(__name__)


def requeue_unfinished(rt: Runtime) -> dict[str, int]:
    if rt.tasks is None:
        return {"imports": 0, "products": 0}
    with session_scope(rt.engine) as session:
        jobs = list(session.exec(select(ImportJob.id).where(
            col(ImportJob.status).in_([JobStatus.queued, JobStatus.running]))).all())
        for job_id in jobs:
            job = session.get(ImportJob, job_id)
            if job is not None:
                job.status = JobStatus.queued
                session.add(job)
        pending = list(session.exec(select(Product.id).where(
            Product.index_state == IndexState.pending).order_by(col(Product.id))).all())
    for job_id in jobs:
        rt.tasks.submit("run_import", job_id=job_id)
    size = rt.settings.index_batch_size
    for start in range(0, len(pending), size):
        rt.tasks.submit("ingest_products", product_ids=pending[start : start + size])
    if jobs or pending:
        log.info("re-queued %d unfinished imports and %d pending products", len(jobs), len(pending))
    return {"imports": len(jobs), "products": len(pending)}
