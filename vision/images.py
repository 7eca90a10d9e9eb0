"""Decoding untrusted image bytes safely: format allow-list, pixel cap, truncation, EXIF."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ImageRejected(ValueError):
    """The bytes are not an image Aisle accepts; the message tells the uploader why.

    `reason` (empty, too_large, format, pixels, damaged) lets an HTTP edge pick the status.
    """

    def __init__(self, message: str, reason: str = "damaged") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class DecodedImage:
    image: Image.Image
    format: str
    sha256: str

    @property
    def content_type(self) -> str:
        return ALLOWED_FORMATS[self.format]


def decode_image(data: bytes, *, max_bytes: int, max_pixels: int) -> DecodedImage:
    """Decode fully (so truncation shows now, not later in a worker) and upright by EXIF."""
    if not data:
        raise ImageRejected("The file is empty.", "empty")
    if len(data) > max_bytes:
        raise ImageRejected(f"The image is {len(data)} bytes; the limit is {max_bytes}.",
                            "too_large")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between max_pixels and 2x; make every oversize image an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format or ""
            if fmt not in ALLOWED_FORMATS:
                raise ImageRejected(
                    f"Unsupported image format {fmt or 'unknown'}; send JPEG, PNG or WebP.",
                    "format",
                )
            width, height = probe.size
            if width * height > max_pixels:
                raise ImageRejected(
                    f"The image is {width}x{height} pixels; the limit is {max_pixels} pixels.",
                    "pixels",
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(f"The image is too large to decode safely: {exc}", "pixels") from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected("The file is not a readable image; send JPEG, PNG or WebP.",
                            "format") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(f"The image is damaged or truncated: {exc}") from exc
    upright = ImageOps.exif_transpose(image).convert("RGB")
    return DecodedImage(image=upright, format=fmt, sha256=hashlib.sha256(data).hexdigest())


def to_stored_jpeg(image: Image.Image, *, max_side: int = 1024, quality: int = 90) -> bytes:
    """Re-encode without metadata (drops EXIF/GPS) and bounded in size for later embedding."""
    copy = image.copy()
    copy.thumbnail((max_side, max_side))
    buf = io.BytesIO()
    copy.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()
