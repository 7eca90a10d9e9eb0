"""Reviewing suggestions: list, accept (applied through the catalog service), reject.

Services flush; the request commits. Accepting goes through `patch_product`, so the content
hash, `index_state` and re-indexing follow exactly as for a merchant's own edit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.catalog.schemas import ProductUpdate
from backend.catalog.service import patch_product
from backend.db import get_owned
from backend.errors import Conflict, NotFound
from backend.models import Product, SuggestionStatus, TagSuggestion, utcnow
from backend.suggestions.schemas import SuggestionPublic


def merchant_categories(session: Session, merchant_id: str) -> list[str]:
    """The merchant's own category paths, as stored: a suggestion never invents a category."""
    rows = session.exec(select(Product.category).where(
        Product.merchant_id == merchant_id, col(Product.category).is_not(None)).distinct()).all()
    return sorted({r for r in rows if r and r.strip("/ ")})


def list_suggestions(session: Session, merchant_id: str, *, status: SuggestionStatus | None,
                     offset: int, limit: int) -> tuple[list[TagSuggestion], int]:
    stmt = select(TagSuggestion).where(TagSuggestion.merchant_id == merchant_id)
    count = select(func.count()).select_from(TagSuggestion).where(
        TagSuggestion.merchant_id == merchant_id)
    if status is not None:
        stmt = stmt.where(TagSuggestion.status == status)
        count = count.where(TagSuggestion.status == status)
    rows = session.exec(stmt.order_by(col(TagSuggestion.created_at), col(TagSuggestion.id))
                        .offset(offset).limit(limit)).all()
    return list(rows), int(session.exec(count).one())


def get_suggestion(session: Session, merchant_id: str, suggestion_id: str) -> TagSuggestion:
    suggestion = get_owned(session, TagSuggestion, suggestion_id, merchant_id)
    if suggestion is None:
        raise NotFound(f"No suggestion {suggestion_id} in this catalog; list them with "
                       "GET /v1/admin/suggestions?status=pending.")
    return suggestion


def _pending(session: Session, merchant_id: str, suggestion_id: str) -> TagSuggestion:
    suggestion = get_suggestion(session, merchant_id, suggestion_id)
    if suggestion.status != SuggestionStatus.pending:
        raise Conflict(f"Suggestion {suggestion_id} was already {suggestion.status}.")
    return suggestion


def update_for(suggestion: TagSuggestion, product: Product) -> ProductUpdate:
    """The edit a suggestion stands for. Tags are added to any the merchant set meanwhile."""
    field, value = suggestion.field, suggestion.value
    if field == "category":
        return ProductUpdate(category=str(value))
    if field == "tags":
        merged = list(dict.fromkeys([*product.tags, *(str(v) for v in value)]))
        return ProductUpdate(tags=merged)
    if field.startswith("attributes."):
        attributes: dict[str, Any] = {**product.attributes, field.split(".", 1)[1]: value}
        return ProductUpdate(attributes=attributes)
    raise Conflict(f"Suggestion {suggestion.id} is for an unknown field {field!r}.")


def accept(session: Session, merchant_id: str, suggestion_id: str) -> tuple[TagSuggestion, Product]:
    """Apply the value to the product as an edit (the caller queues its re-index)."""
    suggestion = _pending(session, merchant_id, suggestion_id)
    product = session.get(Product, suggestion.product_id)
    assert product is not None  # the foreign key cascades deletes to suggestions
    updated = patch_product(session, merchant_id, product.sku, update_for(suggestion, product))
    suggestion.status, suggestion.decided_at = SuggestionStatus.accepted, utcnow()
    session.add(suggestion)
    session.flush()
    return suggestion, updated


def reject(session: Session, merchant_id: str, suggestion_id: str) -> TagSuggestion:
    """Record the merchant's no; the product is untouched and the value is not proposed again."""
    suggestion = _pending(session, merchant_id, suggestion_id)
    suggestion.status, suggestion.decided_at = SuggestionStatus.rejected, utcnow()
    session.add(suggestion)
    session.flush()
    return suggestion


def to_public(session: Session, suggestion: TagSuggestion) -> SuggestionPublic:
    product = session.get(Product, suggestion.product_id)
    assert product is not None
    return SuggestionPublic(
        id=suggestion.id, product_id=suggestion.product_id, sku=product.sku, title=product.title,
        field=suggestion.field, value=suggestion.value, confidence=suggestion.confidence,
        source=suggestion.source, status=suggestion.status, created_at=suggestion.created_at,
        decided_at=suggestion.decided_at,
    )
