"""What a photo adds to a search or chat turn: its CLIP vector and its latest analysis."""

from __future__ import annotations

import io

from PIL import Image
from sqlmodel import Session

from backend.errors import Unavailable
from backend.photos.analysis import latest_finished
from backend.photos.service import get_photo, photo_storage
from backend.runtime import Runtime
from recommender.photo import PhotoQuery

# Zero-shot category guesses below this are not confident enough to steer results.
CATEGORY_MIN_CONFIDENCE = 0.4


def photo_query(rt: Runtime, session: Session, merchant_id: str, photo_id: str) -> PhotoQuery:
    photo = get_photo(session, merchant_id, photo_id)
    analysis = latest_finished(session, merchant_id, photo.id)
    result = analysis.result if analysis is not None else {}
    kind = analysis.kind if analysis is not None else None
    concerns: dict[str, tuple[str, str]] = {}
    colors: tuple[str, ...] = ()
    category = None
    if kind == "skin":
        by_name = {a["attribute"]: a for a in result.get("attributes", [])}
        concerns = {c: (by_name[c]["label"], by_name[c]["label_ko"])
                    for c in result.get("concerns", []) if c in by_name}
    elif kind == "item":
        colors = tuple(c["name"] for c in result.get("colors", [])[:2])
        guess = result.get("category") or {}
        if guess.get("confidence", 0.0) >= CATEGORY_MIN_CONFIDENCE:
            category = guess["top"]
    vector = None
    # A skin photo shows a person, not a product: looking alike would rank by noise, so only
    # its analysis counts. Any other photo is matched by its pixels when CLIP is configured.
    if kind != "skin":
        clip = rt.encoders.clip
        if clip is not None:
            with Image.open(io.BytesIO(photo_storage(rt.settings).read(photo.path))) as img:
                vector = clip.encode_images([img.convert("RGB")])[0]
        elif analysis is None:
            raise Unavailable(
                "Searching by photo needs CLIP weights (AISLE_CLIP_MODEL, AISLE_CLIP_WEIGHTS), or "
                "a finished item analysis of the photo (POST /v1/photos/{id}/analysis).")
    return PhotoQuery(photo_id=photo.id, image_vector=vector,
                      analysis_id=analysis.id if analysis is not None else None, kind=kind,
                      concerns=concerns, colors=colors, category=category)
