"""Shopper search endpoint."""

from __future__ import annotations

from fastapi import APIRouter

from backend.deps import ClientDep, RuntimeDep, SessionDep
from backend.search import service
from backend.search.schemas import SearchRequest, SearchResponse

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search")
def search(body: SearchRequest, caller: ClientDep, session: SessionDep,
           rt: RuntimeDep) -> SearchResponse:
    """Hybrid search in the caller's catalog, with filters and a reason for every result."""
    return service.search(rt, session, caller.merchant.id, body)
