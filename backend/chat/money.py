"""Find the amounts of money a text states, in the ways shoppers and models write them.

The grounding validator needs every price an answer mentions, whatever its spelling:
"₩18,000", "18,000원", "1만 8천원", "1.8만원", "18k won", "KRW 18000", "$15.00", or a bare
"18,000". Missing a spelling would let a wrong price through, so this errs toward finding
too many: an amount found by mistake only costs a fallback to the template answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d[\d,]*(?:\.\d+)?"
_CODES = "KRW|USD|EUR|JPY|GBP|CNY|AUD|CAD|HKD|SGD|TWD"
_SYMBOLS = {"₩": "KRW", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

# Most specific first; a later pattern never re-reads characters an earlier one matched.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "3만" alone is an amount too in Korean shop talk ("3만 이하").
    ("man", re.compile(r"(\d+(?:\.\d+)?)\s*만(?:\s*(\d+)\s*천)?(?:\s*(\d{1,4}))?\s*(?:원|won\b)?")),
    ("cheon", re.compile(r"(\d+)\s*천\s*(?:원|won\b)")),
    ("symbol", re.compile(r"([₩$€£¥])\s*(" + _NUM + r")(\s*[kK]\b)?")),
    ("code_before", re.compile(r"\b(" + _CODES + r")\s*(" + _NUM + r")", re.I)),
    ("suffix", re.compile(r"(" + _NUM + r")(\s*[kK])?\s*(원|won\b|" + _CODES + r"\b)", re.I)),
    ("kilo", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*[kK]\b")),
    # Bare amounts: thousands separators or 4+ digits, not glued to letters (50ml, SPF50, A-100).
    ("bare", re.compile(r"(?<![\w.,-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{4,}(?:\.\d+)?)(?![\w,]|\.\d)")),
)


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str | None  # None when the text does not say (a bare "18,000")
    start: int
    end: int


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _parse(kind: str, m: re.Match[str]) -> tuple[float, str | None]:
    if kind == "man":
        value = float(m.group(1)) * 10_000
        if m.group(2):
            value += int(m.group(2)) * 1_000
        if m.group(3):
            value += int(m.group(3))
        return value, "KRW"
    if kind == "cheon":
        return int(m.group(1)) * 1_000, "KRW"
    if kind == "symbol":
        return _number(m.group(2)) * (1_000 if m.group(3) else 1), _SYMBOLS[m.group(1)]
    if kind == "code_before":
        return _number(m.group(2)), m.group(1).upper()
    if kind == "suffix":
        unit = m.group(3).upper()
        currency = "KRW" if unit in ("원", "WON") else unit
        return _number(m.group(1)) * (1_000 if m.group(2) else 1), currency
    if kind == "kilo":
        return float(m.group(1)) * 1_000, None
    return _number(m.group(1)), None


def find_amounts(text: str) -> list[Money]:
    """Every amount of money stated in `text`, in reading order."""
    taken: list[tuple[int, int]] = []
    found: list[Money] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            amount, currency = _parse(kind, m)
            taken.append((start, end))
            found.append(Money(amount, currency, start, end))
    return sorted(found, key=lambda x: x.start)
