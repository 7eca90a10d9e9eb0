"""Tag suggestion shapes (`/v1/admin/suggestions`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from backend.models import SuggestionStatus


class SuggestionPublic(BaseModel):
    id: str
    product_id: str
    sku: str
    title: str
    field: str
    value: Any
    confidence: float
    source: str
    status: SuggestionStatus
    created_at: datetime
    decided_at: datetime | None


class SuggestionList(BaseModel):
    items: list[SuggestionPublic]
    total: int
    offset: int
    limit: int
