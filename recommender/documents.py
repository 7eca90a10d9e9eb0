"""What Aisle stores per product in the index: the text it embeds and the payload it filters on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ProductDocument:
    """A product as the index sees it (built by the backend from its DB row)."""

    product_id: str
    merchant_id: str
    sku: str
    title: str
    description: str = ""
    brand: str | None = None
    category: str | None = None
    price: float = 0.0
    currency: str = "KRW"
    in_stock: bool = True
    tags: tuple[str, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)
    popularity: float = 0.0


def category_path(category: str | None) -> list[str]:
    """`skincare/serum` -> [`skincare`, `skincare/serum`], so a prefix filter is one keyword match."""
    if not category:
        return []
    parts = [p.strip().lower() for p in category.strip("/").split("/") if p.strip()]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def attribute_values(value: Any) -> list[str]:
    """Attribute values as lower-case keywords; booleans become "true"/"false" strings."""
    items = value if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, str | int | float):
            out.append(str(item).strip().lower())
    return out


def lexical_fields(doc: ProductDocument) -> list[tuple[str, float]]:
    """Fields and their term weights: the title and tags say what a product is more than prose."""
    # A true flag contributes its name ("fragrance_free": true reads "fragrance free"), so
    # "향 없는"/"unscented" queries meet it through the vocabulary; other values their words.
    attrs = " ".join(
        (key if value is True else "" if value is False else " ".join(attribute_values(value)))
        .replace("_", " ")
        for key, value in doc.attributes.items()
    )
    return [
        (doc.title, 2.0),
        (doc.brand or "", 1.5),
        ((doc.category or "").replace("/", " "), 1.5),
        (" ".join(doc.tags).replace("-", " "), 1.5),
        (attrs, 1.0),
        (doc.description, 1.0),
    ]


def ngram_text(doc: ProductDocument) -> str:
    """What typo-tolerant matching looks at: names, not prose (descriptions add noise)."""
    return " ".join([doc.title, doc.brand or "", (doc.category or "").replace("/", " "),
                     " ".join(doc.tags).replace("-", " ")])


def semantic_text(doc: ProductDocument) -> str:
    parts = [doc.title, doc.brand or "", (doc.category or "").replace("/", " > "),
             ", ".join(doc.tags), doc.description]
    return ". ".join(p for p in parts if p)[:600]


_VARIANT_SUFFIX = re.compile(r"\s+[-–/|]\s+[^-–/|]+$")


def variant_group(doc: ProductDocument) -> str:
    """Products that differ only after " - " in the title ("Tee - Black", "Tee - White") are
    variants of one product; merchants name colour and size variants that way."""
    base = _VARIANT_SUFFIX.sub("", doc.title.strip()).lower()
    return f"{(doc.brand or '').strip().lower()}|{' '.join(base.split())}"


def payload(doc: ProductDocument, *, terms: list[str], title_terms: list[str]) -> dict[str, Any]:
    return {
        "merchant_id": doc.merchant_id,
        "product_id": doc.product_id,
        "sku": doc.sku,
        "title": doc.title,
        "brand": (doc.brand or "").strip().lower() or None,
        "category": category_path(doc.category),
        "price": float(doc.price),
        "currency": doc.currency,
        "in_stock": doc.in_stock,
        "tags": sorted({t.strip().lower() for t in doc.tags if t.strip()}),
        "attributes": {
            key.strip().lower(): attribute_values(val) for key, val in doc.attributes.items()
        },
        "terms": terms,
        "title_terms": title_terms,
        "variant_group": variant_group(doc),
        "popularity": round(float(doc.popularity), 4),
    }
