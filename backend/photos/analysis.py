"""Analysis jobs: requested over HTTP, run by `analyze_photo` on the vision queue.

The task takes an analysis id, re-fetches and is idempotent. To batch on a GPU, the worker
that picks up one job also claims other queued jobs of the same kind and merchant (up to
`AISLE_VISION_BATCH_SIZE`) with a conditional UPDATE, so each job is claimed once and their
photos go through CLIP in one forward pass; the other jobs' own tasks then find nothing to do.
The task never opens Qdrant, so a vision worker can run beside an API on local-mode Qdrant.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from PIL import Image
from sqlalchemy import update
from sqlmodel import Session, col, select

from backend.chat.policy import COSMETIC_NOTICE
from backend.db import get_owned, session_scope
from backend.deps import enqueue_after_commit
from backend.errors import NotFound, Unavailable
from backend.models import Analysis, JobStatus, Photo, Product, utcnow
from backend.photos.schemas import AnalysisKind, AnalysisPublic
from backend.photos.service import get_photo, photo_storage
from backend.photos.vision_models import NO_CLIP
from backend.runtime import Runtime
from vision.analysis import item_colors

log = logging.getLogger(__name__)


def request_analysis(session: Session, rt: Runtime, merchant_id: str, photo_id: str,
                     kind: AnalysisKind) -> Analysis:
    photo = get_photo(session, merchant_id, photo_id)
    # Skin analysis is nothing but CLIP; item colours are pixel code and work without it.
    if kind == AnalysisKind.skin and not rt.settings.clip_enabled:
        raise Unavailable(NO_CLIP)
    analysis = Analysis(merchant_id=merchant_id, photo_id=photo.id, kind=kind.value)
    session.add(analysis)
    session.flush()
    enqueue_after_commit(session, "analyze_photo", analysis_id=analysis.id)
    return analysis


def get_analysis(session: Session, merchant_id: str, analysis_id: str) -> Analysis:
    analysis = get_owned(session, Analysis, analysis_id, merchant_id)
    if analysis is None:
        raise NotFound(f"No analysis {analysis_id} (it is deleted with its photo).")
    return analysis


def latest_finished(session: Session, merchant_id: str, photo_id: str) -> Analysis | None:
    return session.exec(
        select(Analysis).where(Analysis.merchant_id == merchant_id, Analysis.photo_id == photo_id,
                               Analysis.status == JobStatus.succeeded)
        .order_by(col(Analysis.finished_at).desc()).limit(1)
    ).first()


def to_public(analysis: Analysis) -> AnalysisPublic:
    return AnalysisPublic(
        analysis_id=analysis.id, photo_id=analysis.photo_id, kind=AnalysisKind(analysis.kind),
        status=str(analysis.status), result=analysis.result or None, error=analysis.error,
        created_at=analysis.created_at, finished_at=analysis.finished_at,
    )


def _claim(session: Session, analysis_id: str) -> bool:
    result = session.execute(
        update(Analysis).where(col(Analysis.id) == analysis_id,
                               col(Analysis.status) == JobStatus.queued)
        .values(status=JobStatus.running))
    return bool(getattr(result, "rowcount", 0) == 1)


def _claim_batch(rt: Runtime, analysis_id: str) -> list[str]:
    """This job (also when `running`: a worker died and the broker redelivered it) plus
    other queued jobs of the same kind and merchant."""
    with session_scope(rt.engine) as session:
        first = session.get(Analysis, analysis_id)
        if first is None or first.status in (JobStatus.succeeded, JobStatus.failed):
            return []
        if first.status == JobStatus.queued and not _claim(session, first.id):
            return []  # another worker claimed it in between
        first.status = JobStatus.running
        others = session.exec(
            select(Analysis.id).where(Analysis.status == JobStatus.queued,
                                      Analysis.kind == first.kind,
                                      Analysis.merchant_id == first.merchant_id,
                                      Analysis.id != first.id)
            .order_by(col(Analysis.created_at)).limit(rt.settings.vision_batch_size - 1)
        ).all()
        return [first.id, *[o for o in others if _claim(session, o)]]


def analyze_photos(rt: Runtime, analysis_id: str) -> dict[str, int]:
    """Task body of `analyze_photo`; returns how many jobs it finished and failed."""
    ids = _claim_batch(rt, analysis_id)
    if not ids:
        return {"analysed": 0, "failed": 0}
    with session_scope(rt.engine) as session:
        jobs = [a for a in session.exec(select(Analysis).where(col(Analysis.id).in_(ids))).all()]
        photos = {p.id: p for p in session.exec(
            select(Photo).where(col(Photo.id).in_([j.photo_id for j in jobs]))).all()}
        kind, merchant_id = jobs[0].kind, jobs[0].merchant_id
        categories = _categories(session, merchant_id) if kind == AnalysisKind.item else []
    storage = photo_storage(rt.settings)
    outcomes: dict[str, tuple[dict[str, Any] | None, str | None]] = {}
    images: list[tuple[str, Image.Image]] = []
    for job in jobs:
        photo = photos.get(job.photo_id)
        try:
            assert photo is not None
            with Image.open(io.BytesIO(storage.read(photo.path))) as img:
                images.append((job.id, img.convert("RGB")))
        except (AssertionError, OSError):
            outcomes[job.id] = (None, "The photo is gone (deleted or expired).")
    try:
        results = _run(rt, kind, [img for _, img in images], categories)
        outcomes.update({jid: (res, None) for (jid, _), res in zip(images, results, strict=True)})
    except Unavailable as exc:
        outcomes.update({jid: (None, exc.detail) for jid, _ in images})
    except Exception as exc:
        log.exception("analysis batch %s failed", ids)
        outcomes.update({jid: (None, f"{type(exc).__name__}: {exc}") for jid, _ in images})
    _store(rt, outcomes)
    failed = sum(1 for res, _ in outcomes.values() if res is None)
    return {"analysed": len(outcomes) - failed, "failed": failed}


def _run(rt: Runtime, kind: str, images: list[Image.Image],
         categories: list[str]) -> list[dict[str, Any]]:
    if not images:
        return []
    batch = rt.settings.vision_batch_size
    if kind == AnalysisKind.item and rt.encoders.clip is None:
        note = ("Category and condition need CLIP weights (AISLE_CLIP_MODEL, AISLE_CLIP_WEIGHTS); "
                "colours come from the pixels.")
        return [{"kind": "item", **item_colors(img), "category": None, "condition": None,
                 "note": note} for img in images]
    analyzer = rt.vision.analyzer()
    embeddings = analyzer.embed(images, batch_size=batch)
    model = {"clip": analyzer.clip.name, "device": analyzer.clip.device,
             "probes": sorted(analyzer.probes.heads) if analyzer.probes else []}
    if kind == AnalysisKind.skin:
        return [{"kind": "skin", **res, "model": model, "notice": COSMETIC_NOTICE["en"],
                 "notice_ko": COSMETIC_NOTICE["ko"]} for res in analyzer.skin(embeddings)]
    return [{"kind": "item", **res, "model": model}
            for res in analyzer.item(embeddings, images, categories)]


def _categories(session: Session, merchant_id: str) -> list[str]:
    rows = session.exec(select(Product.category).where(
        Product.merchant_id == merchant_id, col(Product.category).is_not(None)).distinct()).all()
    return sorted({r.strip().strip("/").lower() for r in rows if r and r.strip("/ ")})


def _store(rt: Runtime, outcomes: dict[str, tuple[dict[str, Any] | None, str | None]]) -> None:
    with session_scope(rt.engine) as session:
        for analysis_id, (result, error) in outcomes.items():
            job = session.get(Analysis, analysis_id)
            if job is None:  # the photo was deleted meanwhile; its analysis goes with it
                continue
            job.status = JobStatus.succeeded if result is not None else JobStatus.failed
            job.result = result or {}
            job.error = error
            job.finished_at = utcnow()
            session.add(job)


def requeue_unfinished_analyses(rt: Runtime) -> int:
    """In-process queue only: jobs lost with the previous process go back on the queue."""
    if rt.tasks is None:
        return 0
    with session_scope(rt.engine) as session:
        stale = list(session.exec(select(Analysis).where(
            col(Analysis.status).in_([JobStatus.queued, JobStatus.running]))).all())
        for job in stale:
            job.status = JobStatus.queued
            session.add(job)
        ids = [j.id for j in stale]
    for analysis_id in ids:
        rt.tasks.submit("analyze_photo", analysis_id=analysis_id)
    return len(ids)
