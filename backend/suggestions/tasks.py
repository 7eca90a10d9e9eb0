"""`suggest_tags` on the vision queue: proposals for products indexed without category or tags.

Takes product ids, re-fetches and is idempotent: a field that already has a pending
suggestion is skipped, and a value the merchant rejected is not proposed again. Nothing is
ever applied here; only the merchant's accept changes a product. Like `analyze_photo`, the
task never opens Qdrant, so a vision worker can run beside an API on local-mode Qdrant.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from PIL import Image
from sqlmodel import Session, col, select

from backend.catalog.service import product_images
from backend.db import session_scope
from backend.models import Product, SuggestionStatus, TagSuggestion
from backend.runtime import Runtime
from backend.suggestions.proposals import CATEGORY, COLOR, TAGS, Proposal, Subject, propose
from backend.suggestions.service import merchant_categories

log = logging.getLogger(__name__)


def open_fields(product: Product, *, has_image: bool) -> set[str]:
    """Fields the merchant left empty that auto-tagging can fill."""
    fields = set()
    if not (product.category or "").strip("/ "):
        fields.add(CATEGORY)
    if not product.tags:
        fields.add(TAGS)
    if has_image and not product.attributes.get("color"):
        fields.add(COLOR)
    return fields


def suggest_tags(rt: Runtime, product_ids: Sequence[str]) -> dict[str, int]:
    """Task body: compute and store pending suggestions; returns how many were stored."""
    with session_scope(rt.engine) as session:
        subjects = _subjects(rt, session, product_ids)
        categories = {m: merchant_categories(session, m) for m in {s.merchant_id for s in subjects}}
    analyzer = rt.vision.analyzer() if rt.encoders.clip is not None else None
    by_merchant: dict[str, list[Subject]] = defaultdict(list)
    for subject in subjects:
        by_merchant[subject.merchant_id].append(subject)
    proposals: dict[str, list[Proposal]] = {}
    for merchant_id, group in by_merchant.items():
        proposals.update(propose(rt.encoders, analyzer, group, categories[merchant_id]))
    stored = _store(rt, proposals)
    return {"products": len(subjects), "suggested": stored}


def _subjects(rt: Runtime, session: Session, product_ids: Sequence[str]) -> list[Subject]:
    products = session.exec(select(Product).where(col(Product.id).in_(list(product_ids)))).all()
    out = []
    for product in products:
        images = product_images(session, product.id)
        fields = open_fields(product, has_image=bool(images)) - _pending_fields(session, product.id)
        if not fields:
            continue
        image = None
        if images and fields & {CATEGORY, COLOR}:
            try:
                with Image.open(rt.settings.images_dir / images[0].path) as img:
                    image = img.convert("RGB")
            except OSError as exc:  # a missing file costs the image facts, not the text ones
                log.warning("suggestions for %s without its image: %s", product.id, exc)
        out.append(Subject(product_id=product.id, merchant_id=product.merchant_id,
                           title=product.title, description=product.description,
                           fields=fields, image=image))
    return out


def _pending_fields(session: Session, product_id: str) -> set[str]:
    return set(session.exec(select(TagSuggestion.field).where(
        TagSuggestion.product_id == product_id,
        TagSuggestion.status == SuggestionStatus.pending)).all())


def _store(rt: Runtime, proposals: dict[str, list[Proposal]]) -> int:
    stored = 0
    with session_scope(rt.engine) as session:
        for product_id, items in proposals.items():
            product = session.get(Product, product_id)
            if product is None:  # deleted while the models ran
                continue
            still_open = open_fields(product, has_image=True)
            earlier = session.exec(select(TagSuggestion).where(
                TagSuggestion.product_id == product_id)).all()
            for p in items:
                if p.field not in still_open or any(
                        e.field == p.field and (e.status == SuggestionStatus.pending
                                                or e.value == p.value) for e in earlier):
                    continue  # filled meanwhile, already waiting, or decided before
                session.add(TagSuggestion(merchant_id=product.merchant_id, product_id=product_id,
                                          field=p.field, value=p.value,
                                          confidence=float(p.confidence), source=p.source))
                stored += 1
    return stored
