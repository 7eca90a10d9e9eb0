"""Product CRUD for one merchant. Services flush; the caller's unit of work commits."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.catalog.schemas import ImagePublic, ProductIn, ProductPublic, ProductUpdate
from backend.db import get_owned
from backend.errors import Conflict, InvalidInput, NotFound
from backend.models import IndexState, Product, ProductImage, product_id_for, utcnow


def resolve_image_sources(images: list[str], *, base_dir: Path | None) -> list[str]:
    """http(s) URLs pass; relative or absolute paths become file:// URIs only for CLI imports.

    `base_dir` is None for anything that arrived over HTTP: an uploaded file or API call
    must not make the server read its own disk.
    """
    out: list[str] = []
    for src in images:
        scheme = urlparse(src).scheme.lower()
        if scheme in ("http", "https"):
            out.append(src)
            continue
        if base_dir is None:
            raise InvalidInput(
                f"image {src!r}: only http(s) URLs are accepted here; local paths work with "
                "`aisle import FILE`, or upload the image to /v1/admin/products/{sku}/images."
            )
        path = Path(src.removeprefix("file://"))
        path = path if path.is_absolute() else (base_dir / path)
        path = path.resolve()
        if not path.is_file():
            raise InvalidInput(f"image {src!r}: no such file {path}")
        out.append(path.as_uri())
    return out


def content_hash(data: ProductIn, sources: list[str]) -> str:
    """Same row and same image bytes -> same hash -> a re-import does nothing."""
    body = data.model_dump(exclude={"images"})
    fingerprints = []
    for src in sources:
        if src.startswith("file://"):
            fingerprints.append(hashlib.sha256(Path(urlparse(src).path).read_bytes()).hexdigest())
        else:
            fingerprints.append(src)
    canonical = json.dumps([body, fingerprints], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def get_product(session: Session, merchant_id: str, sku: str) -> Product:
    product = get_owned(session, Product, product_id_for(merchant_id, sku), merchant_id)
    if product is None:
        raise NotFound(f"No product with sku {sku!r} in this catalog.")
    return product


def upsert_product(session: Session, merchant_id: str, data: ProductIn, sources: list[str],
                   *, import_job_id: str | None = None, flush: bool = True) -> tuple[Product, str]:
    """Create or update by (merchant, sku); returns the product and created/updated/unchanged.

    Bulk callers pass `flush=False` and flush once per chunk.
    """
    digest = content_hash(data, sources)
    pid = product_id_for(merchant_id, data.sku)
    product = session.get(Product, pid)
    if product is not None and product.content_hash == digest:
        return product, "unchanged"
    fields = data.model_dump(exclude={"images"})
    outcome = "updated"
    if product is None:
        product = Product(id=pid, merchant_id=merchant_id, content_hash=digest, **fields)
        outcome = "created"
    else:
        for key, value in fields.items():
            setattr(product, key, value)
    product.content_hash = digest
    product.image_sources = sources
    product.index_state = IndexState.pending
    product.index_error = None
    product.import_job_id = import_job_id
    product.updated_at = utcnow()
    session.add(product)
    if flush:
        session.flush()
    return product, outcome


def create_product(session: Session, merchant_id: str, data: ProductIn) -> Product:
    if session.get(Product, product_id_for(merchant_id, data.sku)) is not None:
        raise Conflict(f"A product with sku {data.sku!r} exists; use PUT or PATCH to change it.")
    sources = resolve_image_sources(data.images, base_dir=None)
    product, _ = upsert_product(session, merchant_id, data, sources)
    return product


def replace_product(session: Session, merchant_id: str, sku: str, data: ProductIn) -> Product:
    if data.sku != sku:
        raise InvalidInput(f"The body's sku {data.sku!r} differs from the URL's {sku!r}.")
    sources = resolve_image_sources(data.images, base_dir=None)
    product, _ = upsert_product(session, merchant_id, data, sources)
    return product


def patch_product(session: Session, merchant_id: str, sku: str, patch: ProductUpdate) -> Product:
    product = get_product(session, merchant_id, sku)
    current = ProductIn(
        sku=product.sku, title=product.title, description=product.description,
        brand=product.brand, category=product.category, price=product.price,
        currency=product.currency, stock=product.stock, tags=product.tags,
        attributes=product.attributes, images=product.image_sources, url=product.url,
    )
    changes = patch.model_dump(exclude_unset=True)
    images = changes.pop("images", None)
    merged = ProductIn.model_validate({**current.model_dump(), **changes, "images": []})
    sources = (product.image_sources if images is None
               else resolve_image_sources(images, base_dir=None))
    updated, _ = upsert_product(session, merchant_id, merged, sources)
    return updated


def list_products(session: Session, merchant_id: str, *, offset: int, limit: int,
                  index_state: str | None = None) -> tuple[list[Product], int]:
    stmt = select(Product).where(Product.merchant_id == merchant_id)
    count = select(func.count()).select_from(Product).where(Product.merchant_id == merchant_id)
    if index_state:
        stmt = stmt.where(Product.index_state == index_state)
        count = count.where(Product.index_state == index_state)
    rows = session.exec(stmt.order_by(col(Product.sku)).offset(offset).limit(limit)).all()
    return list(rows), int(session.exec(count).one())


def delete_product(session: Session, merchant_id: str, sku: str) -> str:
    product = get_product(session, merchant_id, sku)
    session.delete(product)
    session.flush()
    return product.id


def product_images(session: Session, product_id: str) -> list[ProductImage]:
    stmt = select(ProductImage).where(ProductImage.product_id == product_id)
    return list(session.exec(stmt.order_by(col(ProductImage.position))).all())


def to_public(session: Session, product: Product) -> ProductPublic:
    images = [
        ImagePublic(source=_public_source(i.source), sha256=i.sha256, width=i.width,
                    height=i.height)
        for i in product_images(session, product.id)
    ]
    data: dict[str, Any] = product.model_dump(
        include={"id", "sku", "title", "description", "brand", "category", "price", "currency",
                 "stock", "tags", "attributes", "url", "image_errors", "index_error", "updated_at"}
    )
    return ProductPublic(**data, index_state=str(product.index_state), in_stock=product.in_stock,
                         images=images)


def _public_source(source: str) -> str:
    # Don't reveal server paths of CLI-imported images; the file name is enough to recognise.
    return Path(urlparse(source).path).name if source.startswith("file://") else source
