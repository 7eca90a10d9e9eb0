"""Untrusted image bytes: only real, bounded, complete JPEG/PNG/WebP pass, upright and EXIF-free."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from vision.images import ImageRejected, decode_image, to_stored_jpeg

LIMITS = {"max_bytes": 5_000_000, "max_pixels": 4_000_000}


def encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepts_the_three_formats(fmt: str) -> None:
    decoded = decode_image(encode(Image.new("RGB", (32, 16), "red"), fmt), **LIMITS)
    assert decoded.image.size == (32, 16) and decoded.format == fmt and len(decoded.sha256) == 64


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"#!/bin/sh\necho not an image\n", "not a readable image"),
    (encode(Image.new("RGB", (8, 8)), "GIF"), "Unsupported image format GIF"),
])
def test_rejects_non_images(data: bytes, message: str) -> None:
    with pytest.raises(ImageRejected, match=message):
        decode_image(data, **LIMITS)


def test_rejects_truncated_files() -> None:
    data = encode(Image.effect_noise((256, 256), 64).convert("RGB"), "JPEG")
    with pytest.raises(ImageRejected, match="damaged or truncated"):
        decode_image(data[: len(data) // 2], **LIMITS)


def test_rejects_decompression_bombs_before_decoding() -> None:
    # 10000x10000 of one colour compresses to a few KB but would decode to 300 MB.
    bomb = encode(Image.new("L", (10_000, 10_000)), "PNG", optimize=True)
    assert len(bomb) < 200_000
    with pytest.raises(ImageRejected, match="pixels"):
        decode_image(bomb, **LIMITS)


def test_rejects_oversized_bytes() -> None:
    with pytest.raises(ImageRejected, match="limit"):
        decode_image(b"\xff" * 100, max_bytes=10, max_pixels=100)


def test_applies_exif_orientation_and_stored_copy_has_no_exif() -> None:
    img = Image.new("RGB", (40, 20), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° on display
    exif[0x8825] = {1: "N", 2: (37.0, 33.0, 0.0)}  # GPS block: must not survive
    decoded = decode_image(encode(img, "JPEG", exif=exif), **LIMITS)
    assert decoded.image.size == (20, 40)
    stored = Image.open(io.BytesIO(to_stored_jpeg(decoded.image)))
    assert not stored.getexif()
