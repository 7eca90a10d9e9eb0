"""Dominant colours of a photo from its pixels alone (no model), as named colours.

Median-cut quantisation finds the main colours; each is mapped to the nearest named colour
in CIELAB (where distance follows perceived difference). Pixels along the border are
counted separately, because product photos usually sit on a plain background that would
otherwise be the "dominant colour" of every listing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from PIL import Image

# Names match the `color` attribute merchants use (see the sample catalog).
NAMED_COLORS: dict[str, tuple[int, int, int]] = {
    "black": (20, 20, 20), "white": (245, 245, 245), "grey": (128, 128, 128),
    "silver": (192, 192, 192), "ivory": (250, 246, 228), "beige": (222, 203, 168),
    "camel": (193, 154, 107), "brown": (115, 74, 42), "terracotta": (200, 90, 60),
    "red": (200, 30, 35), "burgundy": (115, 20, 40), "pink": (240, 150, 180),
    "orange": (240, 135, 30), "yellow": (240, 215, 40), "gold": (205, 165, 55),
    "green": (45, 140, 60), "olive": (110, 115, 45), "teal": (30, 130, 130),
    "blue": (40, 95, 205), "navy": (25, 35, 85), "purple": (120, 60, 160),
}

_SIDE = 96  # pixels per side analysed: colour needs no detail, and this keeps it ~1 ms
_BORDER = 6


@dataclass(frozen=True)
class ColorShare:
    name: str
    share: float  # fraction of the non-background pixels
    rgb: tuple[int, int, int]


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0-255, shape (..., 3)) to CIELAB under D65."""
    c = rgb.astype(np.float64) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


_NAMES = list(NAMED_COLORS)
_LAB = rgb_to_lab(np.array([NAMED_COLORS[n] for n in _NAMES]))


def nearest_name(rgb: np.ndarray) -> list[str]:
    lab = rgb_to_lab(np.asarray(rgb).reshape(-1, 3))
    dist = ((lab[:, None, :] - _LAB[None, :, :]) ** 2).sum(-1)
    return [_NAMES[i] for i in dist.argmin(axis=1)]


def dominant_colors(image: Image.Image, *, max_colors: int = 3, min_share: float = 0.08,
                    palette_size: int = 8) -> tuple[list[ColorShare], str | None]:
    """The main named colours of the subject, and the background colour if there is one."""
    small = image.convert("RGB").resize((_SIDE, _SIDE), Image.Resampling.BILINEAR)
    quant = small.quantize(colors=palette_size, method=Image.Quantize.MEDIANCUT)
    palette = np.array((quant.getpalette() or [])[: palette_size * 3], dtype=np.uint8).reshape(-1, 3)
    idx = np.asarray(quant)
    names_by_index = nearest_name(palette)
    names = np.array(names_by_index, dtype=object)[idx]
    border = np.ones_like(idx, dtype=bool)
    border[_BORDER:-_BORDER, _BORDER:-_BORDER] = False
    border_counts = Counter(names[border].tolist())
    background = None
    if border_counts:
        name, count = border_counts.most_common(1)[0]
        # A plain backdrop fills most of the border; a subject reaching the edge does not.
        if count / border.sum() >= 0.6:
            background = name
    counts = Counter(names.ravel().tolist())
    subject = {n: c for n, c in counts.items() if n != background} or dict(counts)
    total = sum(subject.values())
    out: list[ColorShare] = []
    for name, count in sorted(subject.items(), key=lambda kv: -kv[1]):
        share = count / total
        if share < min_share or len(out) >= max_colors:
            break
        members = palette[[i for i, n in enumerate(names_by_index) if n == name]]
        rgb = tuple(int(v) for v in members.mean(axis=0).round())
        out.append(ColorShare(name, round(share, 3), (rgb[0], rgb[1], rgb[2])))
    return out, background
