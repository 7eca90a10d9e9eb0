"""Wire format of `POST /v1/feedback`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from backend.models import FeedbackKind


class FeedbackRequest(BaseModel):
    """One shopper action on a shown product: a product id or a SKU names it."""

    kind: FeedbackKind
    product_id: str | None = Field(default=None, max_length=36)
    sku: str | None = Field(default=None, max_length=200)
    # The chat turn that recommended it, when it came from chat: ties the action to the turn.
    session_id: str | None = Field(default=None, max_length=32)
    message_id: str | None = Field(default=None, max_length=32)
    source: str | None = Field(default=None, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$",
                               description='Where it was shown: "search", "chat", "photo", ...')

    @model_validator(mode="after")
    def _names_a_product(self) -> FeedbackRequest:
        if not self.product_id and not self.sku:
            raise ValueError("Send the `product_id` or the `sku` of the product acted on.")
        return self


class FeedbackPublic(BaseModel):
    id: str
    kind: FeedbackKind
    product_id: str
    sku: str
    session_id: str | None
    message_id: str | None
    source: str | None
    created_at: datetime
