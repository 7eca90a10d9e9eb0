"""Recording feedback and keeping each product's popularity current in the DB and index."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from backend.catalog.service import get_product
from backend.chat.service import get_session
from backend.db import get_owned, session_scope
from backend.errors import NotFound
from backend.feedback.popularity import product_popularity
from backend.feedback.schemas import FeedbackPublic, FeedbackRequest
from backend.models import ChatMessage, ChatSession, Feedback, FeedbackKind, Product
from backend.runtime import Runtime
from recommender.popularity import POPULARITY


def record(session: Session, merchant_id: str, req: FeedbackRequest) -> tuple[Feedback, Product]:
    """Store one action; every id must belong to the caller's merchant (else 404)."""
    product = _product(session, merchant_id, req)
    if req.session_id:
        get_session(session, merchant_id, req.session_id)
    if req.message_id:
        message = session.get(ChatMessage, req.message_id)
        if (message is None
                or get_owned(session, ChatSession, message.session_id, merchant_id) is None
                or req.session_id not in (None, message.session_id)):
            raise NotFound(f"No chat message {req.message_id!r} in this session.")
    row = Feedback(merchant_id=merchant_id, product_id=product.id, kind=req.kind,
                   session_id=req.session_id, message_id=req.message_id, source=req.source)
    session.add(row)
    session.flush()
    return row, product


def _product(session: Session, merchant_id: str, req: FeedbackRequest) -> Product:
    if not req.product_id:
        assert req.sku  # the request model requires one of the two
        return get_product(session, merchant_id, req.sku)
    product = get_owned(session, Product, req.product_id, merchant_id)
    if product is None:
        raise NotFound(f"No product {req.product_id!r} in this catalog.")
    return product


def to_public(row: Feedback, product: Product) -> FeedbackPublic:
    return FeedbackPublic(id=row.id, kind=FeedbackKind(row.kind), product_id=product.id, sku=product.sku,
                          session_id=row.session_id, message_id=row.message_id,
                          source=row.source, created_at=row.created_at)


def refresh_popularity(rt: Runtime, product_ids: Sequence[str]) -> dict[str, int]:
    """Recompute popularity from the feedback table and push it to the index payload.

    Idempotent (a re-delivered task computes the same numbers). The payload update skips
    products not in the index yet; their next ingest copies the DB value in.
    """
    values: dict[str, dict[str, object]] = {}
    with session_scope(rt.engine) as session:
        for pid in dict.fromkeys(product_ids):
            product = session.get(Product, pid)
            if product is None:
                continue
            product.popularity = product_popularity(
                session, pid, half_life_days=rt.settings.popularity_half_life_days)
            values[pid] = {POPULARITY: product.popularity}
    rt.index.set_payload(values)
    return {"updated": len(values)}
