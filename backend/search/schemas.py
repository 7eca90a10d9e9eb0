"""Search request and response shapes (`POST /v1/search`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator


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


_VALUE = r"^[a-z0-9][a-z0-9 _-]{0,39}$"
_Values = list[Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True,
                                                pattern=_VALUE)]]


class Profile(BaseModel):
    """What the shopper told the app about themselves. Values are the catalog's attribute
    values (`attributes.skin_type` etc.); products that fit rank higher, none are excluded."""

    model_config = ConfigDict(extra="forbid")

    skin_types: _Values = Field(default_factory=list, max_length=4,
                                description='e.g. ["oily"], matched against attributes.skin_type')
    concerns: _Values = Field(default_factory=list, max_length=8,
                              description='e.g. ["redness"], matched against attributes.concerns')
    colors: _Values = Field(default_factory=list, max_length=8,
                            description='e.g. ["black"], matched against attributes.color')


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str | None = Field(default=None, max_length=500)
    photo_id: str | None = None
    filters: Filters = Field(default_factory=Filters)
    profile: Profile | None = None
    limit: int = Field(default=10, ge=1, le=50)


class ReasonPublic(BaseModel):
    kind: str
    text: str
    data: dict[str, Any] = Field(default_factory=dict)


class VariantPublic(BaseModel):
    """Another colour or size of a result (same title before " - "), also matching the query."""

    sku: str
    title: str
    price: float
    currency: str
    in_stock: bool


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
    variants: list[VariantPublic] = Field(default_factory=list)


class PhotoUnderstanding(BaseModel):
    """What the attached photo contributed: its pixels (`visual`) and/or its latest analysis."""

    photo_id: str
    analysis_id: str | None = None
    kind: str | None = None
    visual: bool = False
    concerns: list[str] = Field(default_factory=list)
    colors: list[str] = Field(default_factory=list)
    category: str | None = None


Source = Literal["filters", "rules", "llm"]


class QueryUnderstanding(BaseModel):
    """What Aisle read from the query, so clients can show it (e.g. as chips)."""

    language: str
    terms: list[str]
    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None
    brand: str | None = None
    concepts: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Vocabulary concepts by kind, e.g. {\"color\": [\"black\"], \"skin_type\": [\"oily\"]}.")
    exclude: list[str] = Field(
        default_factory=list,
        description="What the shopper does not want, as read by the LLM: shown, never filtered on.")
    source: dict[str, Source] = Field(
        default_factory=dict,
        description="Where each value came from, by field (`price_max`, `in_stock`, `brand`, "
                    "`exclude`) or concept kind (`color`): `filters` (sent by the client), "
                    "`rules` or `llm`.")
    llm: bool = Field(default=False, description="An LLM read the query in time and its "
                      "validated values filled what the rules missed.")
    retrievers: list[str]
    photo: PhotoUnderstanding | None = None
    profile: Profile | None = Field(default=None, description="The profile the ranking used.")


class SearchResponse(BaseModel):
    results: list[SearchResult]
    understood: QueryUnderstanding
