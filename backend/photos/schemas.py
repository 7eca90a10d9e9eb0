"""Photo and analysis shapes (`/v1/photos`, `/v1/analyses`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class AnalysisKind(StrEnum):
    skin = "skin"
    item = "item"


class PhotoCreated(BaseModel):
    photo_id: str
    width: int
    height: int
    expires_at: datetime | None


class PhotoPublic(BaseModel):
    photo_id: str
    content_type: str
    width: int
    height: int
    created_at: datetime
    expires_at: datetime | None


class AnalysisRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AnalysisKind


class AnalysisPublic(BaseModel):
    analysis_id: str
    photo_id: str
    kind: AnalysisKind
    status: str
    result: dict[str, Any] | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None
