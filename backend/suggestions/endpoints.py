"""Admin review of auto-tagging suggestions. Nothing is applied until the merchant accepts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.deps import AdminDep, SessionDep, enqueue_after_commit
from backend.models import IndexState, SuggestionStatus
from backend.suggestions import service as suggestions
from backend.suggestions.schemas import SuggestionList, SuggestionPublic

router = APIRouter(prefix="/v1/admin/suggestions", tags=["admin"])


@router.get("")
def list_suggestions(
    caller: AdminDep, session: SessionDep,
    status: SuggestionStatus | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> SuggestionList:
    """Suggested categories, tags and colours for products imported without them."""
    rows, total = suggestions.list_suggestions(session, caller.merchant.id, status=status,
                                               offset=offset, limit=limit)
    return SuggestionList(items=[suggestions.to_public(session, s) for s in rows], total=total,
                          offset=offset, limit=limit)


@router.post("/{suggestion_id}/accept")
def accept_suggestion(suggestion_id: str, caller: AdminDep,
                      session: SessionDep) -> SuggestionPublic:
    """Apply the suggested value to the product; it is re-indexed like any edit."""
    suggestion, product = suggestions.accept(session, caller.merchant.id, suggestion_id)
    if product.index_state == IndexState.pending:
        enqueue_after_commit(session, "ingest_products", product_ids=[product.id])
    return suggestions.to_public(session, suggestion)


@router.post("/{suggestion_id}/reject")
def reject_suggestion(suggestion_id: str, caller: AdminDep,
                      session: SessionDep) -> SuggestionPublic:
    """Decline the suggestion; the product does not change."""
    return suggestions.to_public(session, suggestions.reject(session, caller.merchant.id,
                                                             suggestion_id))
