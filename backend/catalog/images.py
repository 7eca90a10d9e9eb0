"""Fetching product images (local files or http(s)), validating and storing them by content.

Downloads run concurrently with a cap, a per-request timeout and a byte limit enforced
while streaming, so one slow or huge URL cannot stall or exhaust an import.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx
from sqlmodel import Session, col, select

from backend.models import Product, ProductImage
from backend.settings import Settings
from vision.images import ImageRejected, decode_image, to_stored_jpeg


class FetchFailed(Exception):
    """One image could not be fetched or is not an acceptable image."""


@dataclass(frozen=True)
class FetchedImage:
    source: str
    sha256: str
    path: str
    width: int
    height: int


def _check_host(url: str, allow_private: bool) -> None:
    host = urlparse(url).hostname
    if not host:
        raise FetchFailed("URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise FetchFailed(f"cannot resolve {host}: {exc}") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            raise FetchFailed(f"{host} resolves to a private address; refusing to fetch it")


async def _download(client: httpx.AsyncClient, url: str, settings: Settings) -> bytes:
    _check_host(url, settings.image_fetch_allow_private)
    try:
        async with client.stream("GET", url) as resp:
            if resp.status_code != 200:
                raise FetchFailed(f"HTTP {resp.status_code}")
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > settings.image_max_bytes:
                    raise FetchFailed(f"larger than the {settings.image_max_bytes}-byte limit")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.TimeoutException as exc:
        raise FetchFailed(f"timed out after {settings.image_fetch_timeout_s:.0f}s") from exc
    except httpx.HTTPError as exc:
        raise FetchFailed(f"download failed: {exc}") from exc


def _read_local(uri: str, settings: Settings) -> bytes:
    path = Path(urlparse(uri).path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FetchFailed(f"cannot read {path.name}: {exc.strerror}") from exc
    if size > settings.image_max_bytes:
        raise FetchFailed(f"larger than the {settings.image_max_bytes}-byte limit")
    return path.read_bytes()


def store_image_bytes(data: bytes, source: str, settings: Settings) -> FetchedImage:
    try:
        decoded = decode_image(data, max_bytes=settings.image_max_bytes,
                               max_pixels=settings.image_max_pixels)
    except ImageRejected as exc:
        raise FetchFailed(str(exc)) from exc
    rel = Path(decoded.sha256[:2]) / f"{decoded.sha256}.jpg"
    target = settings.images_dir / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # A temp name of its own: two rows with the same picture are fetched concurrently,
        # and a shared temp file would be renamed away under the second writer.
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(to_stored_jpeg(decoded.image))
        tmp.replace(target)  # atomic: a reader never sees half a file
    return FetchedImage(source, decoded.sha256, str(rel), decoded.image.width,
                        decoded.image.height)


async def fetch_sources(sources: list[str], settings: Settings) -> dict[str, FetchedImage | str]:
    """Fetch every source; each maps to the stored image or to an error message."""
    sem = asyncio.Semaphore(settings.image_fetch_concurrency)
    timeout = httpx.Timeout(settings.image_fetch_timeout_s)

    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        async def one(src: str) -> FetchedImage | str:
            async with sem:
                try:
                    if src.startswith("file://"):
                        data = _read_local(src, settings)
                    else:
                        data = await _download(client, src, settings)
                    return await asyncio.to_thread(store_image_bytes, data, src, settings)
                except FetchFailed as exc:
                    return str(exc)
                except OSError as exc:  # disk full, permissions: this image, not the import
                    return f"could not store the image: {exc.strerror or exc}"

        unique = list(dict.fromkeys(sources))
        results = await asyncio.gather(*(one(s) for s in unique))
    return dict(zip(unique, results, strict=True))


def sync_product_images(session: Session, products: list[Product], settings: Settings) -> None:
    """Make each product's ProductImage rows match its declared sources, fetching what's new.

    Already-fetched sources are not downloaded again, so re-running is cheap and idempotent.
    """
    have: dict[str, dict[str, ProductImage]] = {p.id: {} for p in products}
    if products:
        rows = session.exec(
            select(ProductImage).where(col(ProductImage.product_id).in_(list(have)))
        ).all()
        for existing in rows:
            have[existing.product_id][existing.source] = existing
    missing = [s for p in products for s in p.image_sources if s not in have[p.id]]
    fetched = asyncio.run(fetch_sources(missing, settings)) if missing else {}
    for product in products:
        errors: list[str] = []
        for position, src in enumerate(product.image_sources):
            row = have[product.id].get(src)
            if row is not None:
                del have[product.id][src]
                row.position = position
                session.add(row)
                continue
            result = fetched.get(src)
            if isinstance(result, FetchedImage):
                session.add(ProductImage(
                    product_id=product.id, position=position, source=src,
                    sha256=result.sha256, path=result.path,
                    width=result.width, height=result.height,
                ))
            else:
                errors.append(f"image {position + 1} ({_short(src)}): {result}")
        for stale in have[product.id].values():  # sources the merchant removed
            session.delete(stale)
        product.image_errors = errors
        session.add(product)
    session.flush()


def _short(src: str) -> str:
    return Path(urlparse(src).path).name if src.startswith("file://") else src[:200]
