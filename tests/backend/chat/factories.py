"""Candidates and turns built directly, for checks that need no search."""

from __future__ import annotations

from typing import Any

from backend.chat.responder import TurnContext
from backend.search.schemas import ReasonPublic, SearchResult


def candidate(sku: str, title: str, price: float, *, brand: str | None = None,
              currency: str = "KRW", reasons: list[dict[str, Any]] | None = None) -> SearchResult:
    return SearchResult(
        product_id=f"id-{sku}", sku=sku, title=title, brand=brand, category=None, price=price,
        currency=currency, stock=5, in_stock=True, url=None, score=1.0,
        reasons=[ReasonPublic(**r) for r in (reasons or [
            {"kind": "in_stock", "text": "In stock (5 left)", "data": {"stock": 5}}])],
    )


CREAM = candidate("SK-0001", "Dewlab 오일프리 수분크림 (지성 피부용)", 18000, brand="Dewlab", reasons=[
    {"kind": "matched_terms", "text": "상품명에 '지성', '수분크림' 포함",
     "data": {"terms": ["지성", "수분크림"], "in_title": ["지성", "수분크림"]}},
    {"kind": "within_budget", "text": "18,000원, 예산(30,000원 이하) 안",
     "data": {"price": 18000, "price_min": None, "price_max": 30000}},
])
GEL = candidate("SK-0004", "순수 녹차 수분 젤크림", 29000, brand="Soonsoo")
TEE = candidate("FA-1", "Black cotton tee", 19000, brand="Plainweek")


def turn(*candidates: SearchResult, text: str = "지성 피부 수분크림 3만원 이하", language: str = "ko",
         notice: str | None = None, **kw: Any) -> TurnContext:
    return TurnContext(user_text=text, language=language, candidates=list(candidates),
                       notice=notice, **kw)
