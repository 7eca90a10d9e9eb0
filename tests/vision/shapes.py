"""A generated catalog of 40 products whose photos are distinct coloured shapes.

Used to test CLIP fine-tuning and image search end to end with nothing downloaded: each
product is one (colour, shape) pair, and a "shopper photo" is a cropped, rotated,
re-lit copy of the product photo.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance

COLORS = {"red": (210, 40, 40), "green": (40, 160, 70), "blue": (40, 80, 210),
          "yellow": (235, 200, 30), "purple": (130, 60, 170)}
SHAPES = ("circle", "square", "triangle", "star", "ring", "cross", "diamond", "stripes")


def draw(shape: str, rgb: tuple[int, int, int], size: int = 128) -> Image.Image:
    img = Image.new("RGB", (size, size), (245, 245, 240))
    d = ImageDraw.Draw(img)
    c, r = size / 2, size * 0.34
    box = (c - r, c - r, c + r, c + r)
    if shape == "circle":
        d.ellipse(box, fill=rgb)
    elif shape == "square":
        d.rectangle(box, fill=rgb)
    elif shape == "triangle":
        d.polygon([(c, c - r), (c + r, c + r), (c - r, c + r)], fill=rgb)
    elif shape == "star":
        pts = [(c + (r if i % 2 == 0 else r * 0.4) * math.cos(math.pi / 2 + i * math.pi / 5),
                c - (r if i % 2 == 0 else r * 0.4) * math.sin(math.pi / 2 + i * math.pi / 5))
               for i in range(10)]
        d.polygon(pts, fill=rgb)
    elif shape == "ring":
        d.ellipse(box, outline=rgb, width=int(size * 0.1))
    elif shape == "cross":
        w = r * 0.35
        d.rectangle((c - w, c - r, c + w, c + r), fill=rgb)
        d.rectangle((c - r, c - w, c + r, c + w), fill=rgb)
    elif shape == "diamond":
        d.polygon([(c, c - r), (c + r, c), (c, c + r), (c - r, c)], fill=rgb)
    elif shape == "stripes":
        for i in range(4):
            x = c - r + i * r / 2
            d.rectangle((x, c - r, x + r / 4, c + r), fill=rgb)
    return img


def products() -> list[dict[str, object]]:
    """Catalog rows (without images); sku encodes colour and shape."""
    rows = []
    for color in COLORS:
        for shape in SHAPES:
            rows.append({"sku": f"{color}-{shape}", "title": f"{color} {shape} sticker",
                         "description": f"A {color} {shape} printed on a white sticker.",
                         "category": f"stickers/{shape}", "price": 1000, "stock": 5,
                         "attributes": {"color": color}})
    return rows


def write_catalog(directory: Path) -> list[dict[str, object]]:
    """Product photos under directory/images and rows pointing at them."""
    (directory / "images").mkdir(parents=True, exist_ok=True)
    rows = []
    for row in products():
        color, shape = str(row["sku"]).split("-")
        draw(shape, COLORS[color]).save(directory / "images" / f"{row['sku']}.jpg", quality=95)
        rows.append({**row, "images": [f"images/{row['sku']}.jpg"]})
    return rows


def perturb(img: Image.Image, rng: random.Random) -> Image.Image:
    """A shopper's photo of the product: off-centre crop, tilted, brighter or darker."""
    w, h = img.size
    s = rng.uniform(0.75, 0.9)
    cw, ch = int(w * s), int(h * s)
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    out = img.crop((x, y, x + cw, y + ch)).resize((w, h))
    out = out.rotate(rng.uniform(-15, 15), fillcolor=(245, 245, 240))
    return ImageEnhance.Brightness(out).enhance(rng.uniform(0.75, 1.25))
