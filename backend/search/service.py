"""Search for one merchant: read the query, retrieve in Qdrant, attach facts and reasons.

Prices and stock in results come from the database, the source of truth, not from the
index payload; a product deleted since it was indexed is never returned.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from backend.errors import InvalidInput
from backend.models import Product
from backend.runtime import Runtime
from backend.search.schemas import (
    Filters,
    PhotoUnderstanding,
    Profile,
    QueryUnderstanding,
    ReasonPublic,
    SearchRequest,
    SearchResponse,
    SearchResult,
    Source,
    VariantPublic,
)
from backend.search.understanding import QueryReading, read_query
from recommender.index import SearchFilters
from recommender.intent_llm import QueryLLM
from recommender.photo import PhotoQuery, photo_reasons
from recommender.profile import ShopperProfile, profile_reasons
from recommender.reasons import ProductFacts, build_reasons


def to_search_filters(f: Filters, *, price_min: float | None = None,
                      price_max: float | None = None, in_stock: bool | None = None) -> SearchFilters:
    """Explicit filters win; budgets read from the query fill in what the client left open."""
    return SearchFilters(
        category=f.category, brand=f.brand,
        price_min=f.price_min if f.price_min is not None else price_min,
        price_max=f.price_max if f.price_max is not None else price_max,
        in_stock=f.in_stock if f.in_stock is not None else in_stock, tags=tuple(f.tags),
        attributes={k: tuple(v) if isinstance(v, list) else (v,) for k, v in f.attributes.items()},
    )


def search(rt: Runtime, session: Session, merchant_id: str, req: SearchRequest, *,
           query_llm: QueryLLM | None = None) -> SearchResponse:
    """`query_llm`: also read the query with an LLM (rules first; it fills their gaps)."""
    photo = _photo(rt, session, merchant_id, req.photo_id) if req.photo_id else None
    text = (req.query or "").strip()
    if not text and photo is None:
        raise InvalidInput("Send a `query` or a `photo_id` to search for.")
    reading = read_query(text, session=session, merchant_id=merchant_id,
                         analyzer=rt.encoders.lexical, llm=query_llm)
    intent, merged = reading.rules, reading.merged
    filters = to_search_filters(req.filters, price_min=merged.price_min,
                                price_max=merged.price_max, in_stock=merged.in_stock)
    profile = _profile(req.profile)
    retrieval = rt.retriever().retrieve(merchant_id, reading.retrieval_text, intent.language,
                                        filters, limit=req.limit, photo=photo, profile=profile)
    ids = [h.id for h in retrieval.hits] + [v.id for h in retrieval.hits for v in h.variants]
    rows = _owned_products(session, merchant_id, ids)
    results = []
    for hit in retrieval.hits:
        product = rows.get(hit.id)
        if product is None:
            continue
        facts = ProductFacts(title=product.title, price=product.price, currency=product.currency,
                             stock=product.stock, brand=product.brand, category=product.category,
                             tags=tuple(product.tags), popularity=product.popularity)
        reasons = build_reasons(hit, facts, query_terms=retrieval.query_terms,
                                query_vectors=retrieval.query_vectors, filters=filters,
                                language=intent.language)
        if profile is not None:
            reasons = profile_reasons(hit, profile, intent.language) + reasons
        if photo is not None:
            reasons = photo_reasons(hit, photo, intent.language) + reasons
        results.append(SearchResult(
            product_id=product.id, sku=product.sku, title=product.title, brand=product.brand,
            category=product.category, price=product.price, currency=product.currency,
            stock=product.stock, in_stock=product.in_stock, url=product.url,
            score=round(hit.score, 6),
            variants=[VariantPublic(sku=v.sku, title=v.title, price=v.price, currency=v.currency,
                                    in_stock=v.in_stock)
                      for v in (rows.get(x.id) for x in hit.variants) if v is not None],
            reasons=[ReasonPublic(**r.as_dict()) for r in reasons],
        ))
    concepts = _concepts(rt, retrieval.query_terms, intent.language)
    return SearchResponse(results=results, understood=QueryUnderstanding(
        language=intent.language, terms=retrieval.query_terms, price_min=filters.price_min,
        price_max=filters.price_max, in_stock=filters.in_stock, brand=req.filters.brand
        or reading.brand, concepts=concepts,
        exclude=[c.label(intent.language) for c in merged.exclude],
        source=_sources(reading, req.filters, concepts), llm=reading.llm,
        retrievers=retrieval.retrievers,
        photo=_photo_summary(photo),
        profile=req.profile if profile is not None else None,
    ))


def _sources(reading: QueryReading, sent: Filters,
             concepts: dict[str, list[str]]) -> dict[str, Source]:
    """Where each understood value came from: the client's filters, the rules or the LLM."""
    source: dict[str, Source] = dict(reading.merged.source)
    for name in ("price_min", "price_max", "in_stock", "brand"):
        if getattr(sent, name) is not None:
            source[name] = "filters"
    for kind in concepts:
        source.setdefault(kind, "rules")
    return source


def _owned_products(session: Session, merchant_id: str, ids: list[str]) -> dict[str, Product]:
    """The hits' rows, looked up by primary key alone; the tenant is checked on the rows.

    With `merchant_id` in the WHERE clause SQLite (no statistics) walks the merchant index,
    i.e. every product of the shop: 25 ms a search at 100k products, more than the engine.
    """
    if not ids:
        return {}
    found = session.exec(select(Product).where(col(Product.id).in_(ids))).all()
    return {p.id: p for p in found if p.merchant_id == merchant_id}


def _profile(sent: Profile | None) -> ShopperProfile | None:
    if sent is None or not (sent.skin_types or sent.concerns or sent.colors):
        return None
    return ShopperProfile(skin_types=tuple(sent.skin_types), concerns=tuple(sent.concerns),
                          colors=tuple(sent.colors))


def _photo(rt: Runtime, session: Session, merchant_id: str, photo_id: str) -> PhotoQuery:
    from backend.photos.search_context import photo_query

    return photo_query(rt, session, merchant_id, photo_id)


def _photo_summary(photo: PhotoQuery | None) -> PhotoUnderstanding | None:
    if photo is None:
        return None
    return PhotoUnderstanding(photo_id=photo.photo_id, analysis_id=photo.analysis_id,
                              kind=photo.kind, visual=photo.image_vector is not None,
                              concerns=list(photo.concerns), colors=list(photo.colors),
                              category=photo.category)


def _concepts(rt: Runtime, terms: list[str], language: str) -> dict[str, list[str]]:
    """Concepts read from the query, by kind (`color`: ["black"]), for clients to show as chips."""
    vocab = rt.encoders.lexical.vocabulary
    out: dict[str, list[str]] = {}
    for term in terms:
        concept = vocab.concept(term) if vocab is not None and term.startswith("@") else None
        if concept is not None:
            out.setdefault(concept.kind, []).append(concept.label(language))
    return out
