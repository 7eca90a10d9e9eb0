"""Synthetic close-ups of skin with and without red patches, for probe and analysis tests.

Not faces: just skin-toned texture, with reddish blotches for the "redness" label. Enough for
a linear probe to learn a colour-driven attribute; nothing here stands for a real skin model.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def skin_photo(red: bool, seed: int, size: int = 128) -> Image.Image:
    rng = random.Random(seed)
    base = (rng.randint(200, 235), rng.randint(160, 190), rng.randint(130, 160))
    img = Image.new("RGB", (size, size), base)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 6)):  # freckles and shadows on both kinds
        x, y, r = rng.randint(0, size), rng.randint(0, size), rng.randint(2, 8)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(base[0] - 40, base[1] - 45, base[2] - 40))
    if red:
        for _ in range(rng.randint(4, 7)):
            x, y, r = rng.randint(10, size - 10), rng.randint(10, size - 10), rng.randint(12, 24)
            d.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randint(205, 230), rng.randint(70, 100),
                                                          rng.randint(80, 105)))
    return img.filter(ImageFilter.GaussianBlur(2))


def write_redness_labels(directory: Path, n: int = 40) -> Path:
    """n photos (half with red patches) and a labels CSV (path,attribute,label) beside them."""
    directory.mkdir(parents=True, exist_ok=True)
    csv_path = directory / "labels.csv"
    with csv_path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "attribute", "label"])
        for i in range(n):
            red = i % 2 == 0
            skin_photo(red, seed=i).save(directory / f"skin-{i}.jpg", quality=92)
            writer.writerow([f"skin-{i}.jpg", "redness", "yes" if red else "no"])
    return csv_path
