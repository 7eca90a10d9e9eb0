"""Admin catalog API: products and file imports. Endpoints translate HTTP to service calls."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from backend.catalog import importer
from backend.catalog import service as products
from backend.catalog.images import FetchFailed, store_image_bytes
from backend.catalog.schemas import (
    ImportJobPublic,
    ProductIn,
    ProductList,
    ProductPublic,
    ProductUpdate,
)
from backend.deps import AdminDep, RuntimeDep, SessionDep, enqueue_after_commit
from backend.errors import InvalidInput, PayloadTooLarge
from backend.models import IndexState, ProductImage, utcnow

router = APIRouter(prefix="/v1/admin", tags=["admin"])


def _reindex(session: SessionDep, product_id: str) -> None:
    enqueue_after_commit(session, "ingest_products", product_ids=[product_id])


@router.post("/products", status_code=status.HTTP_201_CREATED)
def create_product(body: ProductIn, caller: AdminDep, session: SessionDep) -> ProductPublic:
    """Create one product; it is indexed in the background (see `index_state`)."""
    product = products.create_product(session, caller.merchant.id, body)
    _reindex(session, product.id)
    return products.to_public(session, product)


@router.get("/products")
def list_products(
    caller: AdminDep, session: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    index_state: IndexState | None = None,
) -> ProductList:
    """List the catalog by sku, optionally only products in one index state."""
    rows, total = products.list_products(session, caller.merchant.id, offset=offset, limit=limit,
                                         index_state=index_state)
    return ProductList(items=[products.to_public(session, p) for p in rows], total=total,
                       offset=offset, limit=limit)


@router.get("/products/{sku}")
def get_product(sku: str, caller: AdminDep, session: SessionDep) -> ProductPublic:
    """One product with its images and index state."""
    return products.to_public(session, products.get_product(session, caller.merchant.id, sku))


@router.put("/products/{sku}")
def put_product(sku: str, body: ProductIn, caller: AdminDep, session: SessionDep,
                response: Response) -> ProductPublic:
    """Create or replace a product by sku."""
    product = products.replace_product(session, caller.merchant.id, sku, body)
    if product.index_state == IndexState.pending:
        _reindex(session, product.id)
    response.status_code = status.HTTP_200_OK
    return products.to_public(session, product)


@router.patch("/products/{sku}")
def patch_product(sku: str, body: ProductUpdate, caller: AdminDep,
                  session: SessionDep) -> ProductPublic:
    """Change some fields (e.g. price or stock); the index follows within seconds."""
    product = products.patch_product(session, caller.merchant.id, sku, body)
    if product.index_state == IndexState.pending:
        _reindex(session, product.id)
    return products.to_public(session, product)


@router.delete("/products/{sku}", status_code=status.HTTP_204_NO_CONTENT)
def delete_product(sku: str, caller: AdminDep, session: SessionDep) -> None:
    """Delete a product; search stops returning it at once, the index entry follows."""
    product_id = products.delete_product(session, caller.merchant.id, sku)
    enqueue_after_commit(session, "remove_products", product_ids=[product_id])


@router.post("/products/{sku}/images", status_code=status.HTTP_201_CREATED)
async def upload_product_image(sku: str, caller: AdminDep, session: SessionDep, rt: RuntimeDep,
                               file: Annotated[UploadFile, File()]) -> ProductPublic:
    """Add an image file (JPEG, PNG, WebP) to a product."""
    data = await file.read(rt.settings.image_max_bytes + 1)
    if len(data) > rt.settings.image_max_bytes:
        raise PayloadTooLarge(f"Images may be at most {rt.settings.image_max_bytes} bytes.")
    try:
        stored = await run_in_threadpool(store_image_bytes, data, "upload", rt.settings)
    except FetchFailed as exc:
        raise InvalidInput(str(exc)) from exc
    product = products.get_product(session, caller.merchant.id, sku)
    source = f"upload:{stored.sha256}"
    if source not in product.image_sources:
        session.add(ProductImage(product_id=product.id, position=len(product.image_sources),
                                 source=source, sha256=stored.sha256, path=stored.path,
                                 width=stored.width, height=stored.height))
        product.image_sources = [*product.image_sources, source]
        product.content_hash = hashlib.sha256(
            (product.content_hash + stored.sha256).encode()).hexdigest()
        product.index_state, product.updated_at = IndexState.pending, utcnow()
        session.add(product)
        session.flush()
        _reindex(session, product.id)
    return products.to_public(session, product)


@router.post("/imports", status_code=status.HTTP_202_ACCEPTED)
async def create_import(caller: AdminDep, session: SessionDep, rt: RuntimeDep,
                        file: Annotated[UploadFile, File()]) -> ImportJobPublic:
    """Upload a JSONL or CSV catalog; rows are imported in the background.

    Poll `GET /v1/admin/imports/{id}` for progress, per-row errors and index state.
    """
    data = await file.read(rt.settings.import_max_bytes + 1)
    if len(data) > rt.settings.import_max_bytes:
        raise PayloadTooLarge(
            f"Catalog files may be at most {rt.settings.import_max_bytes} bytes; split the file."
        )
    try:
        job = importer.create_job(session, rt, caller.merchant.id,
                                  filename=file.filename or "upload", content=data)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    enqueue_after_commit(session, "run_import", job_id=job.id)
    return importer.to_public(session, job)


@router.get("/imports/{job_id}")
def get_import(job_id: str, caller: AdminDep, session: SessionDep) -> ImportJobPublic:
    """Progress of an import: row counts, errors by line, and index states of its products."""
    return importer.to_public(session, importer.get_job(session, caller.merchant.id, job_id))
