"""Search request and response shapes (`POST /v1/search`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, description="Category prefix, e.g. `skincare`.")
    brand: str | None = None
    price_min: float | None = Field(default=None, ge=0)
    price_max: float | None = Field(default=None, ge=0)
    in_stock: bool | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)
    attributes: dict[str, str | list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _range(self) -> Filters:
        if (self.price_min is not None and self.price_max is not None
                and self.price_min > self.price_max):
            raise ValueError("price_min is greater than price_max")
        return self


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str | None = Field(default=None, max_length=500)
    photo_id: str | None = None
    filters: Filters = Field(default_factory=Filters)
    limit: int = Field(default=10, ge=1, le=50)


class ReasonPublic(BaseModel):
    kind: str
    text: str
    data: dict[str, Any] = Field(default_factory=dict)


class SearchResult(BaseModel):
    product_id: str
    sku: str
    title: str
    brand: str | None
    category: str | None
    price: float
    currency: str
    stock: int | None
    in_stock: bool
    url: str | None
    score: float
    reasons: list[ReasonPublic]


class QueryUnderstanding(BaseModel):
    """What Aisle read from the query, so clients can show it (e.g. as chips)."""

    language: str
    terms: list[str]
    price_min: float | None = None
    price_max: float | None = None
    retrievers: list[str]


class SearchResponse(BaseModel):
    results: list[SearchResult]
    understood: QueryUnderstanding
