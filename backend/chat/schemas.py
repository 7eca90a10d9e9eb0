"""Chat shapes: sessions, messages and the events of a streamed turn."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backend.search.schemas import Filters, Profile, SearchResult


class SessionCreated(BaseModel):
    session_id: str


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)
    photo_id: str | None = None
    filters: Filters = Field(default_factory=Filters)
    # The shopper's stated skin type, concerns or colours: a ranking boost, as in search.
    profile: Profile | None = None


class MessagePublic(BaseModel):
    id: str
    role: str
    text: str
    language: str | None
    products: list[dict[str, Any]]
    responder: str | None
    created_at: datetime


class SessionPublic(BaseModel):
    session_id: str
    created_at: datetime
    messages: list[MessagePublic]


class TurnResult(BaseModel):
    """The whole turn at once (`Accept: application/json`), same content as the SSE events."""

    message_id: str
    text: str
    language: str
    products: list[SearchResult]
    notice: str | None
    responder: str = Field(description="Whose text was kept: `llm` or `template`.")
    fallback: str | None = Field(
        default=None, description="Why generated text was replaced by the template, if it was.")
    understood: dict[str, Any] = Field(
        default_factory=dict, description="The search this turn ran, follow-ups resolved.")
