"""Ingestion: fetch a batch of products' images, embed them, upsert into the index.

Idempotent and keyed by product id, so a redelivered or retried task does the same work
again harmlessly. Every product ends `indexed` or `failed` with a reason; none is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PIL import Image
from sqlmodel import Session, col, select

from backend.catalog.images import sync_product_images
from backend.catalog.service import product_images
from backend.db import session_scope
from backend.models import IndexState, Product, utcnow
from backend.runtime import Runtime
from recommender.documents import ProductDocument
from recommender.indexing import build_points

log = logging.getLogger(__name__)


def to_document(product: Product) -> ProductDocument:
    return ProductDocument(
        product_id=product.id, merchant_id=product.merchant_id, sku=product.sku,
        title=product.title, description=product.description, brand=product.brand,
        category=product.category, price=product.price, currency=product.currency,
        in_stock=product.in_stock, tags=tuple(product.tags), attributes=dict(product.attributes),
        popularity=product.popularity,
    )


def _load_images(rt: Runtime, session: Session, product: Product) -> list[Image.Image]:
    if not rt.settings.clip_enabled:
        return []
    images = []
    for row in product_images(session, product.id):
        with Image.open(rt.settings.images_dir / row.path) as img:
            images.append(img.convert("RGB"))
    return images


def ingest_products(rt: Runtime, product_ids: Sequence[str]) -> dict[str, int]:
    """Index these products now; ids that no longer exist are removed from the index."""
    with session_scope(rt.engine) as session:
        products = list(session.exec(
            select(Product).where(col(Product.id).in_(list(product_ids)))
        ).all())
        sync_product_images(session, products, rt.settings)
        hashes = {p.id: p.content_hash for p in products}
        docs = [to_document(p) for p in products]
        images = [_load_images(rt, session, p) for p in products]
    gone = sorted(set(product_ids) - set(hashes))
    try:
        points = build_points(rt.encoders, docs, images)
        rt.index.upsert(points)
        rt.index.delete(gone)
    except Exception as exc:
        _mark(rt, hashes, IndexState.failed, f"{type(exc).__name__}: {exc}")
        raise
    _mark(rt, hashes, IndexState.indexed, None)
    _queue_suggestions(rt, products)
    return {"indexed": len(points), "removed": len(gone)}


def _queue_suggestions(rt: Runtime, products: Sequence[Product]) -> None:
    """Products without a category or tags get suggestions for the merchant to review."""
    bare = [p.id for p in products if not (p.category or "").strip("/ ") or not p.tags]
    if bare and rt.tasks is not None and rt.settings.suggest_tags:
        rt.tasks.submit("suggest_tags", product_ids=bare)


def remove_products(rt: Runtime, product_ids: Sequence[str]) -> dict[str, int]:
    rt.index.delete(list(product_ids))
    return {"removed": len(product_ids)}


def _mark(rt: Runtime, hashes: dict[str, str], state: IndexState, error: str | None) -> None:
    with session_scope(rt.engine) as session:
        for pid, digest in hashes.items():
            product = session.get(Product, pid)
            # An edit that landed meanwhile has its own pending task; don't claim it is done.
            if product is None or product.content_hash != digest:
                continue
            product.index_state = state
            product.index_error = error
            if state == IndexState.indexed:
                product.indexed_at = utcnow()
            session.add(product)
