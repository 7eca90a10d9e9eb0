"""Shopper search endpoint."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from backend.deps import ClientDep, RuntimeDep, SessionDep
from backend.search import service
from backend.search.schemas import SearchRequest, SearchResponse
from recommender.intent_llm import QueryLLM

router = APIRouter(prefix="/v1", tags=["search"])


def _query_llm(request: Request) -> QueryLLM | None:
    """Built in the lifespan when an LLM is configured; None means rules only."""
    return getattr(request.app.state, "query_llm", None)


QueryLLMDep = Annotated[QueryLLM | None, Depends(_query_llm)]


@router.post("/search")
def search(body: SearchRequest, caller: ClientDep, session: SessionDep,
           rt: RuntimeDep, query_llm: QueryLLMDep) -> SearchResponse:
    """Hybrid search in the caller's catalog, with filters and a reason for every result."""
    return service.search(rt, session, caller.merchant.id, body, query_llm=query_llm)
