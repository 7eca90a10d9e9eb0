"""Search for one merchant: read the query, retrieve in Qdrant, attach facts and reasons.

Prices and stock in results come from the database, the source of truth, not from the
index payload; a product deleted since it was indexed is never returned.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from backend.errors import InvalidInput, Unavailable
from backend.models import Product
from backend.runtime import Runtime
from backend.search.schemas import (
    Filters,
    QueryUnderstanding,
    ReasonPublic,
    SearchRequest,
    SearchResponse,
    SearchResult,
)
from recommender.index import SearchFilters
from recommender.query import parse_query
from recommender.reasons import ProductFacts, build_reasons


def to_search_filters(f: Filters, *, price_min: float | None = None,
                      price_max: float | None = None) -> SearchFilters:
    """Explicit filters win; budgets read from the query fill in what the client left open."""
    return SearchFilters(
        category=f.category, brand=f.brand,
        price_min=f.price_min if f.price_min is not None else price_min,
        price_max=f.price_max if f.price_max is not None else price_max,
        in_stock=f.in_stock, tags=tuple(f.tags),
        attributes={k: tuple(v) if isinstance(v, list) else (v,) for k, v in f.attributes.items()},
    )


def search(rt: Runtime, session: Session, merchant_id: str, req: SearchRequest) -> SearchResponse:
    if req.photo_id:
        raise Unavailable(
            "Photo search needs image vectors, which arrive with the vision service; "
            "search by text for now."
        )
    text = (req.query or "").strip()
    if not text:
        raise InvalidInput("Send a `query` to search for.")
    intent = parse_query(text)
    filters = to_search_filters(req.filters, price_min=intent.price_min,
                                price_max=intent.price_max)
    retrieval = rt.retriever().retrieve(merchant_id, intent.search_text or text, intent.language,
                                        filters, limit=req.limit)
    ids = [h.id for h in retrieval.hits]
    rows = {p.id: p for p in session.exec(
        select(Product).where(col(Product.id).in_(ids), Product.merchant_id == merchant_id)
    ).all()} if ids else {}
    results = []
    for hit in retrieval.hits:
        product = rows.get(hit.id)
        if product is None:
            continue
        facts = ProductFacts(title=product.title, price=product.price, currency=product.currency,
                             stock=product.stock, brand=product.brand, category=product.category,
                             tags=tuple(product.tags))
        reasons = build_reasons(hit, facts, query_terms=retrieval.query_terms,
                                query_vectors=retrieval.query_vectors, filters=filters,
                                language=intent.language)
        results.append(SearchResult(
            product_id=product.id, sku=product.sku, title=product.title, brand=product.brand,
            category=product.category, price=product.price, currency=product.currency,
            stock=product.stock, in_stock=product.in_stock, url=product.url,
            score=round(hit.score, 6),
            reasons=[ReasonPublic(**r.as_dict()) for r in reasons],
        ))
    return SearchResponse(results=results, understood=QueryUnderstanding(
        language=intent.language, terms=retrieval.query_terms, price_min=filters.price_min,
        price_max=filters.price_max, retrievers=retrieval.retrievers,
    ))
