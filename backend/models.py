"""SQLModel tables: the database is the source of truth; Qdrant holds a rebuildable index of it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Point ids in Qdrant and product ids in the DB are the same UUID5, so either side can
# address the other without a lookup table, and a re-import maps to the same point.
PRODUCT_NAMESPACE = uuid.UUID("6f0c3c2e-58a4-4f7e-9a51-2f5b8b0f3a11")


def product_id_for(merchant_id: str, sku: str) -> str:
    return str(uuid.uuid5(PRODUCT_NAMESPACE, f"{merchant_id}\x1f{sku}"))


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timestamps in UTC on every backend: SQLite drops the zone, so it is put back on read."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _ts(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kw)


def _json(default_factory: Any) -> Any:
    return Field(default_factory=default_factory, sa_type=sa.JSON)


class KeyKind(StrEnum):
    admin = "admin"
    client = "client"


class IndexState(StrEnum):
    pending = "pending"
    indexed = "indexed"
    failed = "failed"


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class Merchant(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(unique=True, index=True, max_length=200)
    created_at: datetime = _ts()


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    kind: KeyKind = Field(sa_type=sa.String(16))
    # The public prefix finds the row; only a SHA-256 of the whole key is stored. Keys are
    # 256-bit random tokens, so a slow password hash would add latency and no security.
    prefix: str = Field(unique=True, index=True, max_length=32)
    key_hash: str = Field(max_length=64)
    created_at: datetime = _ts()
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Product(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("merchant_id", "sku", name="uq_product_merchant_sku"),
        # Chat checks answers against the shop's brands every turn: a covering index keeps
        # that lookup at a few ms for 100k products instead of a walk over every row (45 ms).
        sa.Index("ix_product_merchant_brand", "merchant_id", "brand"),
    )

    id: str = Field(primary_key=True, max_length=36)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    sku: str = Field(max_length=200)
    title: str = Field(max_length=500)
    description: str = Field(default="", sa_type=sa.Text)
    brand: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=300)
    price: float
    currency: str = Field(default="KRW", max_length=3)
    stock: int | None = None
    tags: list[str] = _json(list)
    attributes: dict[str, Any] = _json(dict)
    url: str | None = Field(default=None, max_length=2000)
    # Image sources as declared (http(s) URLs, or file:// URIs from CLI imports); the fetched,
    # validated copies are ProductImage rows. Failures are kept so the merchant can fix them.
    image_sources: list[str] = _json(list)
    image_errors: list[str] = _json(list)
    # Hash of the normalised row (and image sources): equal hash means re-import is a no-op.
    content_hash: str = Field(max_length=64)
    index_state: IndexState = Field(default=IndexState.pending, sa_type=sa.String(16), index=True)
    # Time-decayed shopper interest from feedback (backend.feedback.popularity); copied into
    # the index payload, where ranking reads it as a bounded boost.
    popularity: float = Field(default=0.0, sa_column_kwargs={"server_default": "0"})
    index_error: str | None = Field(default=None, sa_type=sa.Text)
    indexed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    import_job_id: str | None = Field(default=None, index=True, max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()

    @property
    def in_stock(self) -> bool:
        # Unknown stock counts as available: many catalogs (listings, services) don't track it.
        return self.stock is None or self.stock > 0


class ProductImage(SQLModel, table=True):
    __tablename__ = "product_image"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    product_id: str = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    position: int = 0
    source: str = Field(max_length=2000)
    sha256: str = Field(max_length=64)
    path: str = Field(max_length=500)
    width: int
    height: int
    created_at: datetime = _ts()


class ImportJob(SQLModel, table=True):
    __tablename__ = "import_job"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=500)
    file_path: str = Field(max_length=1000)
    # Local image paths are honoured only for files the operator imports from disk (CLI);
    # an uploaded file must not read the server's filesystem.
    allow_local_images: bool = False
    status: JobStatus = Field(default=JobStatus.queued, sa_type=sa.String(16))
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = _json(list)
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = _ts()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SuggestionStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


class TagSuggestion(SQLModel, table=True):
    """A proposed value for an empty product field; applied only when the merchant accepts it."""

    __tablename__ = "tag_suggestion"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    product_id: str = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    # "category", "tags" or "attributes.<name>" (e.g. "attributes.color").
    field: str = Field(max_length=100)
    value: Any = Field(sa_type=sa.JSON)
    confidence: float
    # How the value was found: "clip_zero_shot", "semantic_text", "pixels" or "text".
    source: str = Field(max_length=32)
    status: SuggestionStatus = Field(default=SuggestionStatus.pending, sa_type=sa.String(16),
                                     index=True)
    created_at: datetime = _ts()
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Photo(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    path: str = Field(max_length=500)
    content_type: str = Field(max_length=50)
    sha256: str = Field(max_length=64)
    width: int
    height: int
    created_at: datetime = _ts()
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Analysis(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    photo_id: str = Field(foreign_key="photo.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    status: JobStatus = Field(default=JobStatus.queued, sa_type=sa.String(16))
    result: dict[str, Any] = _json(dict)
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = _ts()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ChatSession(SQLModel, table=True):
    __tablename__ = "chat_session"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_message"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(foreign_key="chat_session.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=16)
    text: str = Field(sa_type=sa.Text)
    language: str | None = Field(default=None, max_length=8)
    photo_id: str | None = Field(default=None, max_length=32)
    # [{product_id, sku, title, price, currency, reasons: [...]}] as shown to the shopper,
    # so "why was this recommended?" can be answered later from the stored turn.
    products: list[dict[str, Any]] = _json(list)
    responder: str | None = Field(default=None, max_length=50)
    created_at: datetime = _ts()


class FeedbackKind(StrEnum):
    """What a shopper did with a recommendation, weakest to strongest signal of interest."""

    click = "click"
    scan = "scan"  # scanned the shelf barcode at a kiosk: walked to the product
    add_to_cart = "add_to_cart"
    purchase = "purchase"
    dismiss = "dismiss"  # "not for me": counts against the product


class Feedback(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_feedback_product_created", "product_id", "created_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id", index=True, ondelete="CASCADE")
    session_id: str | None = Field(default=None, max_length=32)
    message_id: str | None = Field(default=None, max_length=32)
    product_id: str | None = Field(default=None, max_length=36)
    kind: str = Field(max_length=32)
    # Where the recommendation was shown ("search", "chat", "photo", ...): conversion by flow.
    source: str | None = Field(default=None, max_length=32)
    created_at: datetime = _ts()
