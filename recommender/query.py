"""Rule-based reading of a shopper's words: language and budget.

Budgets are the constraint shoppers state most often ("3만원 이하", "under 20,000 won") and
the one a lexical or dense retriever cannot honour by itself, so they become price filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recommender.lexical import detect_language

_NUM = r"(\d+(?:[.,]\d+)*)\s*(만|천|k|K)?\s*(?:원|won|krw|KRW|₩)?"
_KO_MAX = re.compile(_NUM + r"\s*(?:이하|까지|미만|안쪽|내외로|아래)")
_KO_MIN = re.compile(_NUM + r"\s*(?:이상|넘는|초과)")
_RANGE = re.compile(_NUM + r"\s*(?:~|-|에서|to)\s*" + _NUM)
_EN_MAX = re.compile(r"(?:under|below|less than|up to|max(?:imum)?|within|<=?)\s*₩?\s*" + _NUM, re.I)
_IN_STOCK = re.compile(
    r"재고\s*(?:있는|있음|있어|있)|품절\s*(?:아닌|제외)|바로\s*(?:살|구매)|"
    r"\bin[- ]stock\b|\bavailable(?: now)?\b|\bnot sold out\b", re.I)
_EN_MIN = re.compile(r"(?:over|above|more than|at least|min(?:imum)?|>=?)\s*₩?\s*" + _NUM, re.I)


@dataclass(frozen=True)
class QueryIntent:
    text: str
    language: str
    # The words left to match once budget phrases are taken out ("3만원 이하" is not a product).
    search_text: str
    price_min: float | None = None
    price_max: float | None = None
    # "재고 있는", "in stock": the shopper asked to see only what can be bought now.
    in_stock: bool | None = None


def _amount(number: str, unit: str | None) -> float:
    value = float(number.replace(",", ""))
    if unit == "만":
        value *= 10_000
    elif unit in ("천", "k", "K"):
        value *= 1_000
    return value


def parse_query(text: str) -> QueryIntent:
    lang = detect_language(text)
    price_min = price_max = None
    spans: list[tuple[int, int]] = []
    if m := _RANGE.search(text):
        lo_unit = m.group(2) or m.group(4)  # "2~5만원": the unit after the range covers both
        price_min, price_max = _amount(m.group(1), lo_unit), _amount(m.group(3), m.group(4))
        spans.append(m.span())
    else:
        if m := (_KO_MAX.search(text) or _EN_MAX.search(text)):
            price_max = _amount(m.group(1), m.group(2))
            spans.append(m.span())
        if m := (_KO_MIN.search(text) or _EN_MIN.search(text)):
            price_min = _amount(m.group(1), m.group(2))
            spans.append(m.span())
    # Bare small numbers ("SPF 50", "2 pack") are not budgets; prices here are at least 100.
    if (price_max is not None and price_max < 100) or (price_min is not None and price_min < 100):
        price_min = price_max = None
        spans = []
    in_stock = None
    if m := _IN_STOCK.search(text):
        in_stock = True
        spans.append(m.span())
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return QueryIntent(text=text, language=lang, search_text=" ".join(rest.split()),
                       price_min=price_min, price_max=price_max, in_stock=in_stock)
