"""Why a product was recommended, in words built only from facts the system checked.

Each reason is structured (`kind` and `data` for clients that render chips) and carries a
sentence in the shopper's language. Nothing here is generated: a reason exists only when
the fact behind it (a matched term, a filter, a similarity, stock) is true for the product.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from recommender.index import Hit, SearchFilters
from recommender.vocabulary import concept_labels

# Cosine similarity above which a sentence model's match is worth stating to a shopper.
SEMANTIC_REASON_MIN = 0.45
# Decayed feedback score (backend.feedback.popularity) worth telling: about one recent
# purchase, or a handful of recent clicks and scans.
POPULAR_REASON_MIN = 5.0


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ProductFacts:
    """Current facts from the database (not the possibly older index payload)."""

    title: str
    price: float
    currency: str
    stock: int | None
    brand: str | None
    category: str | None
    tags: tuple[str, ...]
    popularity: float = 0.0


def format_price(amount: float, currency: str, language: str) -> str:
    if currency == "KRW":
        whole = f"{round(amount):,}"
        return f"{whole}원" if language == "ko" else f"₩{whole}"
    return f"{currency} {amount:,.2f}"


def build_reasons(hit: Hit, facts: ProductFacts, *, query_terms: list[str],
                  query_vectors: dict[str, np.ndarray], filters: SearchFilters,
                  language: str) -> list[Reason]:
    ko = language == "ko"
    reasons: list[Reason] = []
    doc_terms = set(hit.payload.get("terms") or [])
    title_terms = set(hit.payload.get("title_terms") or [])
    raw = [t for t in query_terms if t in doc_terms]
    matched = _readable(raw, language)
    if matched:
        in_title = _readable([t for t in raw if t in title_terms], language)
        elsewhere = [t for t in _readable([t for t in raw if t not in title_terms], language)
                     if t not in in_title]
        parts = []
        if in_title:
            parts.append(f"상품명에 {_quote(in_title)} 포함" if ko else f"{_quote(in_title)} in the title")
        if elsewhere:
            parts.append(f"상품 정보에 {_quote(elsewhere)} 포함" if ko
                         else f"{_quote(elsewhere)} in the details")
        text = " · ".join(parts) if ko else "Matches " + "; ".join(parts)
        reasons.append(Reason("matched_terms", text, {"terms": matched, "in_title": in_title}))

    sem = _similarity(hit, query_vectors, "semantic")
    if sem is not None and sem >= SEMANTIC_REASON_MIN:
        text = "요청하신 내용과 의미가 가까움" if ko else "Close in meaning to what you asked for"
        reasons.append(Reason("semantic_match", text, {"similarity": round(sem, 3)}))

    if filters.category and facts.category:
        text = f"카테고리: {facts.category}" if ko else f"In category {facts.category}"
        reasons.append(Reason("category", text, {"category": facts.category}))
    if filters.brand and facts.brand:
        text = f"브랜드: {facts.brand}" if ko else f"Brand {facts.brand}"
        reasons.append(Reason("brand", text, {"brand": facts.brand}))
    if filters.tags:
        tags = [t for t in filters.tags if t.lower() in {x.lower() for x in facts.tags}]
        if tags:
            text = f"태그: {', '.join(tags)}" if ko else f"Tagged {', '.join(tags)}"
            reasons.append(Reason("tags", text, {"tags": tags}))
    for key, wanted in filters.attributes.items():
        have = hit.payload.get("attributes", {}).get(key.lower(), [])
        hits = [v for v in wanted if v.lower() in have]
        if hits:
            text = f"{key}: {', '.join(hits)}"
            reasons.append(Reason("attribute", text, {"attribute": key, "values": hits}))

    if filters.price_min is not None or filters.price_max is not None:
        price = format_price(facts.price, facts.currency, language)
        bounds = _budget_text(filters, facts.currency, language)
        text = f"{price}, 예산({bounds}) 안" if ko else f"{price}, within your budget ({bounds})"
        reasons.append(Reason("within_budget", text, {
            "price": facts.price, "price_min": filters.price_min, "price_max": filters.price_max,
        }))

    if facts.popularity >= POPULAR_REASON_MIN:
        text = "이 매장에서 많이 찾는 상품" if ko else "Popular with shoppers at this store"
        reasons.append(Reason("popular", text, {"popularity": round(facts.popularity, 2)}))

    if facts.stock is not None and facts.stock > 0:
        text = f"재고 있음 ({facts.stock}개)" if ko else f"In stock ({facts.stock} left)"
        reasons.append(Reason("in_stock", text, {"stock": facts.stock}))
    elif facts.stock == 0:
        text = "현재 품절" if ko else "Currently out of stock"
        reasons.append(Reason("out_of_stock", text, {"stock": 0}))
    return reasons


def _readable(terms: list[str], language: str) -> list[str]:
    """Concept tokens (`@black`) become the word in the shopper's language, once."""
    labels = concept_labels()
    out: list[str] = []
    for term in terms:
        word = labels.get(term, {}).get(language, term.lstrip("@")) if term.startswith("@") else term
        if word not in out:
            out.append(word)
    return out


def _quote(terms: list[str]) -> str:
    return ", ".join(f"'{t}'" for t in terms)


def _similarity(hit: Hit, query_vectors: dict[str, np.ndarray], name: str) -> float | None:
    q, v = query_vectors.get(name), hit.vectors.get(name)
    if q is None or v is None or v.shape != q.shape:
        return None
    return float(np.dot(q, v))


def _budget_text(f: SearchFilters, currency: str, language: str) -> str:
    lo = format_price(f.price_min, currency, language) if f.price_min is not None else None
    hi = format_price(f.price_max, currency, language) if f.price_max is not None else None
    if lo and hi:
        return f"{lo}~{hi}"
    if hi:
        return f"{hi} 이하" if language == "ko" else f"≤ {hi}"
    return f"{lo} 이상" if language == "ko" else f"≥ {lo}"
