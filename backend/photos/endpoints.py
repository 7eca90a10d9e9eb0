"""Shopper photos and their analyses. Endpoints translate HTTP to service calls."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, UploadFile, status
from starlette.concurrency import run_in_threadpool

from backend.deps import ClientDep, RuntimeDep, SessionDep
from backend.errors import PayloadTooLarge
from backend.photos import analysis as analyses
from backend.photos import service as photos
from backend.photos.schemas import AnalysisPublic, AnalysisRequest, PhotoCreated, PhotoPublic

router = APIRouter(prefix="/v1", tags=["photos"])


@router.post("/photos", status_code=status.HTTP_201_CREATED)
async def upload_photo(caller: ClientDep, session: SessionDep, rt: RuntimeDep,
                       file: Annotated[UploadFile, File()],
                       background: BackgroundTasks) -> PhotoCreated:
    """Upload a photo (JPEG, PNG or WebP); it is kept upright, without EXIF/GPS, for a limited time."""
    cap = rt.settings.photo_max_bytes
    data = await file.read(cap + 1)  # never more than the cap into memory
    if len(data) > cap:
        raise PayloadTooLarge(f"Photos may be at most {cap} bytes; send a smaller image.")
    photo = await run_in_threadpool(photos.create_photo, session, rt.settings,
                                    caller.merchant.id, data)
    # Opportunistic retention: every upload also clears what has expired meanwhile. It runs
    # after the response (and the commit): SQLite allows one writer, which is this request.
    background.add_task(photos.purge_expired, rt, limit=50)
    return photos.to_created(photo)


@router.get("/photos/{photo_id}")
def get_photo(photo_id: str, caller: ClientDep, session: SessionDep) -> PhotoPublic:
    """A photo's metadata (never its pixels) and when it expires."""
    return photos.to_public(photos.get_photo(session, caller.merchant.id, photo_id))


@router.delete("/photos/{photo_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_photo(photo_id: str, caller: ClientDep, session: SessionDep, rt: RuntimeDep) -> None:
    """Delete a photo now, with its file and analyses."""
    photos.delete_photo(session, rt.settings, photos.get_photo(session, caller.merchant.id, photo_id))


@router.post("/photos/{photo_id}/analysis", status_code=status.HTTP_202_ACCEPTED)
def request_analysis(photo_id: str, body: AnalysisRequest, caller: ClientDep,
                     session: SessionDep, rt: RuntimeDep) -> AnalysisPublic:
    """Analyse a photo (`skin`: cosmetic attributes; `item`: category, colours, condition)."""
    job = analyses.request_analysis(session, rt, caller.merchant.id, photo_id, body.kind)
    return analyses.to_public(job)


@router.get("/analyses/{analysis_id}")
def get_analysis(analysis_id: str, caller: ClientDep, session: SessionDep) -> AnalysisPublic:
    """An analysis job: status, then the result (skin results carry a cosmetic-not-medical notice)."""
    return analyses.to_public(analyses.get_analysis(session, caller.merchant.id, analysis_id))
