"""The schema migrates and the tables behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from backend.db import make_engine, migrate, session_scope
from backend.merchants.service import authenticate, create_merchant
from backend.models import KeyKind, Product, product_id_for


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'aisle.db'}"
    return request.getfixturevalue("pg_database")


def test_migrations_create_every_table_and_are_idempotent(db_url: str) -> None:
    migrate(db_url)
    migrate(db_url)  # a second run at head changes nothing
    engine = make_engine(db_url)
    tables = set(sa.inspect(engine).get_table_names())
    assert {"merchant", "api_key", "product", "product_image", "import_job", "photo", "analysis",
            "chat_session", "chat_message", "feedback", "alembic_version"} <= tables


def test_product_round_trip_keeps_json_and_utc_timestamps(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        merchant, _, _ = create_merchant(session, "db-shop")
        pid = product_id_for(merchant.id, "SKU-1")
        session.add(Product(id=pid, merchant_id=merchant.id, sku="SKU-1", title="수분크림",
                            price=18000, tags=["수분", "oily"], content_hash="h",
                            attributes={"skin_type": ["oily"], "fragrance_free": True}))
    with session_scope(engine) as session:
        row = session.exec(select(Product).where(Product.id == pid)).one()
        assert row.tags == ["수분", "oily"]
        assert row.attributes == {"skin_type": ["oily"], "fragrance_free": True}
        assert row.created_at.tzinfo is not None


def test_sku_is_unique_per_merchant_not_globally(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        a, _, _ = create_merchant(session, "a")
        b, _, _ = create_merchant(session, "b")
        for m in (a, b):
            session.add(Product(id=product_id_for(m.id, "X"), merchant_id=m.id, sku="X",
                                title="t", price=1, content_hash="h"))
    with pytest.raises(sa.exc.IntegrityError), session_scope(engine) as session:
        session.add(Product(id="other-id", merchant_id=a.id, sku="X", title="t", price=1,
                            content_hash="h"))


def test_keys_are_stored_hashed_and_authenticate_to_their_merchant(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        merchant, admin_key, client_key = create_merchant(session, "keys")
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT key_hash FROM api_key")).scalars().all()
    assert admin_key not in stored and client_key not in stored
    with session_scope(engine) as session:
        m, kind = authenticate(session, admin_key)
        assert (m.id, kind) == (merchant.id, KeyKind.admin)
        m, kind = authenticate(session, client_key)
        assert (m.id, kind) == (merchant.id, KeyKind.client)


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    """Hand-written migrations drift from the models unnoticed; alembic's own diff catches it."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    migrate(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []
