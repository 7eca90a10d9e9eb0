"""Re-embedding products from the database into Qdrant (after a model change)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update
from sqlmodel import col, select

from backend.catalog.ingest import ingest_products
from backend.db import session_scope
from backend.models import IndexState, Product
from backend.runtime import Runtime


def reindex_products(rt: Runtime, *, merchant_id: str | None = None, recreate: bool = False,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Mark products pending and ingest them in batches; `recreate` rebuilds the collection
    for the current models first (every merchant's entries, since the DB has them all)."""
    if recreate:
        if merchant_id:
            raise ValueError("--recreate rebuilds every merchant's entries; drop --merchant.")
        rt.recreate_index()
    with session_scope(rt.engine) as session:
        stmt, mark = select(Product.id), update(Product)
        if merchant_id:
            stmt = stmt.where(Product.merchant_id == merchant_id)
            mark = mark.where(col(Product.merchant_id) == merchant_id)
        ids = list(session.exec(stmt.order_by(col(Product.id))).all())
        session.exec(mark.values(index_state=IndexState.pending))  # type: ignore[call-overload]
    batch = rt.settings.index_batch_size
    for start in range(0, len(ids), batch):
        ingest_products(rt, ids[start : start + batch])
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    if ids:
        rt.index.optimize()  # blocks searches while it runs; `aisle reindex` owns the store
    return len(ids)
