"""Reading a search query: the rules always, and an LLM's validated JSON when one is set up.

With no LLM configured this is `parse_query` and nothing else, so the search path does no
extra work. With one, the query is also read by the LLM (bounded by a hard timeout); what
survives validation fills the gaps the rules left, and is recorded as coming from the LLM.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.models import Product
from backend.settings import Settings
from recommender.intent_llm import Outcome, QueryLLM, QueryLLMConfig
from recommender.intent_validation import MergedIntent, fill_gaps, query_words, validate_reading
from recommender.lexical import LexicalAnalyzer
from recommender.query import QueryIntent, parse_query

log = logging.getLogger(__name__)


def query_llm_for(settings: Settings, *,
                  on_outcome: Callable[[Outcome], None] | None = None) -> QueryLLM | None:
    """The query reader when an LLM server is configured and the reading is on, else None."""
    if not (settings.llm_base_url and settings.query_llm_enabled):
        return None
    return QueryLLM(QueryLLMConfig(
        base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
        timeout_s=settings.query_llm_timeout_s, max_tokens=settings.query_llm_max_tokens,
        response_format=settings.query_llm_response_format,
    ), on_outcome=on_outcome)


@dataclass(frozen=True)
class QueryReading:
    rules: QueryIntent
    merged: MergedIntent
    # What the retrievers read: the rules' search text plus words for LLM-found concepts.
    retrieval_text: str
    brand: str | None = None  # as the merchant spells it
    # The LLM answered in time with valid JSON (whatever survived validation).
    llm: bool = False


def read_query(text: str, *, session: Session, merchant_id: str, analyzer: LexicalAnalyzer,
               llm: QueryLLM | None) -> QueryReading:
    rules = parse_query(text)
    base_text = rules.search_text or text
    reading = llm.read(text) if llm is not None and text else None
    if reading is None:
        return QueryReading(rules, fill_gaps(rules, (), None), base_text)
    brands = known_brands(session, merchant_id, [reading.brand]) if reading.brand else {}
    valid = validate_reading(reading, text=text, analyzer=analyzer, brands=brands)
    if valid.dropped:
        log.debug("Query LLM values refused for %r: %s", text, ", ".join(valid.dropped))
    vocab = analyzer.vocabulary
    rule_concepts = vocab.concepts_in(analyzer.terms(base_text)) if vocab is not None else []
    merged = fill_gaps(rules, rule_concepts, valid)
    brand = brands.get(merged.brand) if merged.brand else None
    words = query_words(merged.added, analyzer, rules.language) + ([brand] if brand else [])
    return QueryReading(rules, merged, " ".join([base_text, *words]), brand=brand, llm=True)


def known_brands(session: Session, merchant_id: str, names: list[str]) -> dict[str, str]:
    """Which of `names` the merchant sells, lower-cased -> as stored.

    Asked only for the brands an LLM named (usually none or one), so it is one small indexed
    query by merchant rather than the merchant's whole brand list on every search.
    """
    wanted = {n.strip().lower() for n in names if n and n.strip()}
    if not wanted:
        return {}
    rows = session.exec(select(Product.brand).where(
        Product.merchant_id == merchant_id, col(Product.brand).is_not(None),
        func.lower(col(Product.brand)).in_(wanted)).distinct().limit(len(wanted) * 4)).all()
    return {b.lower(): b for b in rows if b}
