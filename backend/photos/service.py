"""Photos of one merchant's shoppers: store a clean copy, look up, delete, purge on expiry.

Services flush; the request's unit of work commits. Photo bytes are deleted as soon as the
row is (before the commit): for personal data, a row pointing at a missing file is the
better failure than a file nobody can find to delete.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete as sa_delete
from sqlmodel import Session, col, select

from backend.db import get_owned, session_scope
from backend.errors import AisleError, InvalidInput, NotFound, PayloadTooLarge, UnsupportedMediaType
from backend.models import Analysis, Photo, new_id, utcnow
from backend.photos.schemas import PhotoCreated, PhotoPublic
from backend.photos.storage import LocalPhotoStorage, PhotoStorage
from backend.runtime import Runtime
from backend.settings import Settings
from vision.images import ImageRejected, decode_image, to_stored_jpeg

log = logging.getLogger(__name__)

# Analysis needs no more detail than this, and a smaller copy keeps less of the shopper.
STORED_MAX_SIDE = 1024


def photo_storage(settings: Settings) -> PhotoStorage:
    return LocalPhotoStorage(settings.photos_dir)


def _rejected(exc: ImageRejected) -> AisleError:
    if exc.reason == "too_large":
        return PayloadTooLarge(str(exc))
    if exc.reason == "format":
        return UnsupportedMediaType(str(exc))
    if exc.reason == "pixels":
        return PayloadTooLarge(str(exc))
    return InvalidInput(str(exc))


def create_photo(session: Session, settings: Settings, merchant_id: str, data: bytes) -> Photo:
    """Validate fully, turn upright, strip metadata, store the copy; the original is dropped."""
    try:
        decoded = decode_image(data, max_bytes=settings.photo_max_bytes,
                               max_pixels=settings.photo_max_pixels)
    except ImageRejected as exc:
        raise _rejected(exc) from exc
    stored = to_stored_jpeg(decoded.image, max_side=STORED_MAX_SIDE)
    width, height = decoded.image.size
    scale = min(1.0, STORED_MAX_SIDE / max(width, height))
    photo_id = new_id()
    key = f"{merchant_id}/{photo_id}.jpg"
    photo = Photo(id=photo_id, merchant_id=merchant_id, path=key, content_type="image/jpeg",
                  sha256=hashlib.sha256(stored).hexdigest(),
                  width=max(1, round(width * scale)), height=max(1, round(height * scale)),
                  expires_at=utcnow() + timedelta(hours=settings.photo_retention_hours))
    storage = photo_storage(settings)
    storage.save(key, stored)
    try:
        session.add(photo)
        session.flush()
    except Exception:
        storage.delete(key)
        raise
    return photo


def get_photo(session: Session, merchant_id: str, photo_id: str) -> Photo:
    photo = get_owned(session, Photo, photo_id, merchant_id)
    if photo is None:
        raise NotFound(f"No photo {photo_id}; upload one with POST /v1/photos "
                       "(photos are deleted after their retention period).")
    return photo


def delete_photo(session: Session, settings: Settings, photo: Photo) -> None:
    """The file, its analyses and the row. Nothing else holds the photo's pixels or vectors:
    search embeds a photo on demand and keeps no copy."""
    session.exec(sa_delete(Analysis).where(col(Analysis.photo_id) == photo.id))  # type: ignore[call-overload]
    session.delete(photo)
    session.flush()
    photo_storage(settings).delete(photo.path)


def to_created(photo: Photo) -> PhotoCreated:
    return PhotoCreated(photo_id=photo.id, width=photo.width, height=photo.height,
                        expires_at=photo.expires_at)


def to_public(photo: Photo) -> PhotoPublic:
    return PhotoPublic(photo_id=photo.id, content_type=photo.content_type, width=photo.width,
                       height=photo.height, created_at=photo.created_at,
                       expires_at=photo.expires_at)


def purge_expired(rt: Runtime, *, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Delete photos past their retention (rows, analyses, files), then any stray file older
    than the retention period (e.g. a file whose row never committed)."""
    now = now or utcnow()
    storage = photo_storage(rt.settings)
    with session_scope(rt.engine) as session:
        expired = list(session.exec(
            select(Photo).where(col(Photo.expires_at) < now).limit(limit)).all())
        for photo in expired:
            delete_photo(session, rt.settings, photo)
    # Measured from `now`, so a purge "as of" a later time (tests, catch-up) sweeps alike.
    age = rt.settings.photo_retention_hours * 3600 - (now - utcnow()).total_seconds()
    stray = storage.sweep(age)
    if expired or stray:
        log.info("purged %d expired photos and %d stray files", len(expired), stray)
    return {"photos": len(expired), "files": stray}
