"""Product and import shapes: one row format for JSONL, CSV and the admin API."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_TAGS = 100
MAX_IMAGES = 20


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [v.strip() for v in value.split("|") if v.strip()]
    return value


class ProductIn(BaseModel):
    """A catalog row. CSV cells use `|` between list items and JSON for `attributes`."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    sku: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=20_000)
    brand: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=300)
    price: float = Field(ge=0)
    currency: str = Field(default="KRW", pattern=r"^[A-Z]{3}$")
    stock: int | None = Field(default=None, ge=0)
    tags: list[str] = Field(default_factory=list, max_length=MAX_TAGS)
    attributes: dict[str, Any] = Field(default_factory=dict)
    images: list[str] = Field(default_factory=list, max_length=MAX_IMAGES)
    url: str | None = Field(default=None, max_length=2000)

    @field_validator("tags", "images", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("price")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("price must be a finite number")
        return value

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return {}
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"attributes must be a JSON object: {exc.msg}") from exc
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str) or not key.strip():
                    raise ValueError("attribute names must be non-empty strings")
                if isinstance(item, dict):
                    raise ValueError(f"attribute {key!r}: nested objects are not supported")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = [p.strip() for p in value.strip("/").split("/") if p.strip()]
        return "/".join(parts) or None


class ProductUpdate(BaseModel):
    """PATCH body: only the fields given change."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=20_000)
    brand: str | None = None
    category: str | None = None
    price: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    stock: int | None = Field(default=None, ge=0)
    tags: list[str] | None = None
    attributes: dict[str, Any] | None = None
    images: list[str] | None = None
    url: str | None = None


class ImagePublic(BaseModel):
    source: str
    sha256: str
    width: int
    height: int


class ProductPublic(BaseModel):
    id: str
    sku: str
    title: str
    description: str
    brand: str | None
    category: str | None
    price: float
    currency: str
    stock: int | None
    in_stock: bool
    tags: list[str]
    attributes: dict[str, Any]
    url: str | None
    images: list[ImagePublic]
    image_errors: list[str]
    index_state: str
    index_error: str | None
    updated_at: datetime


class ProductList(BaseModel):
    items: list[ProductPublic]
    total: int
    offset: int
    limit: int


class RowError(BaseModel):
    line: int
    sku: str | None = None
    field: str | None = None
    message: str
    level: str = "error"


class ImportJobPublic(BaseModel):
    id: str
    status: str
    filename: str
    total_rows: int
    created: int
    updated: int
    unchanged: int
    failed: int
    errors: list[RowError]
    error: str | None
    index: dict[str, int]
    created_at: datetime
    finished_at: datetime | None
