"""Is a generated answer grounded in this turn's candidates? Checked on the final text.

The product set and prices are chosen in code before any model runs; a model only writes
prose about them. This check holds the prose to those facts:

- every SKU-like token must be a candidate's SKU;
- every amount of money must be a candidate's price (the price of the product named in the
  same sentence, when exactly one is named) or a budget bound the shopper gave;
- every product name the answer sets apart (a list item's head, a quoted or bold name) must
  be a candidate's title, brand or SKU, or a part of one; a list item must contain a
  candidate's exact title or SKU; a run of Capitalised words in mid-sentence (a name) must
  be part of a candidate's title or brand;
- no known non-candidate product (one shown in an earlier turn) or brand of the merchant
  that no candidate carries may be named.

What this cannot see: a made-up product named in plain prose with no price, SKU, quotes,
list item or Latin capitals (e.g. a made-up Korean name). Such a sentence cannot mislead on
price or stock, and the products event is the authoritative list either way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from backend.chat.money import find_amounts
from backend.search.schemas import SearchResult

UNGROUNDED_PRODUCT = "ungrounded_product"
UNGROUNDED_PRICE = "ungrounded_price"

# SKU-like: upper-case letters and digits joined by - or _, with at least one digit
# (SK-0001, FA-1, AB_12-X). "SPF50" or "K-beauty" are not SKU-like.
_SKU = re.compile(r"(?<![\w-])(?=[A-Z0-9_-]*\d)[A-Z0-9]+(?:[-_][A-Z0-9]+)+(?![\w-])")
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*•·])\s+(.+)$", re.M)
_HEAD_END = re.compile(r"\s[(（\[]|\s[—–-]\s|[:：]|,|\.\s|\n")
_SET_APART = re.compile(r"\*\*(.+?)\*\*|\"(.+?)\"|“(.+?)”|「(.+?)」|『(.+?)』|\[(.+?)\]")
_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+")


@dataclass(frozen=True)
class Grounding:
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, what was found)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def reason(self) -> str | None:
        """The first problem's kind, for the fallback metric."""
        return self.problems[0][0] if self.problems else None


def normalise(text: str) -> str:
    """NFKC, case-folded, runs of spaces collapsed; line breaks kept (they end list items)."""
    lines = unicodedata.normalize("NFKC", text).casefold().splitlines()
    return "\n".join(" ".join(line.split()) for line in lines)


def check(text: str, candidates: Sequence[SearchResult], *,
          budget: Iterable[float] = (), other_titles: Iterable[str] = (),
          other_brands: Iterable[str] = ()) -> Grounding:
    """Every product and price `text` states must be one of `candidates`' (see module doc)."""
    norm = normalise(text)
    titles = {normalise(c.title): c for c in candidates}
    skus = {normalise(c.sku): c for c in candidates}
    brands = {normalise(c.brand) for c in candidates if c.brand}
    problems: list[tuple[str, str]] = []

    masked = _mask(norm, titles)  # numbers and words inside candidate titles are facts
    for token in _SKU.findall(unicodedata.normalize("NFKC", _mask(text, {c.title: c for c in candidates}))):
        if normalise(token) not in skus:
            problems.append((UNGROUNDED_PRODUCT, token))
    for title in {normalise(t) for t in other_titles} - set(titles):
        if title and title in masked:
            problems.append((UNGROUNDED_PRODUCT, title))
    for brand in {normalise(b) for b in other_brands if b} - brands:
        if re.search(r"(?<!\w)" + re.escape(brand) + r"(?!\w)", masked):
            problems.append((UNGROUNDED_PRODUCT, brand))
    known = [*titles, *skus, *brands]
    for name in _named(norm):
        if not _refers_to_candidate(name, known):
            problems.append((UNGROUNDED_PRODUCT, name))
    # A list item is about one product: it must name a candidate exactly (title or SKU).
    exact = [*titles, *skus]
    for m in _LIST_ITEM.finditer(norm):
        if not any(k in m.group(1) for k in exact):
            problems.append((UNGROUNDED_PRODUCT, m.group(1)[:80]))
    problems += [(UNGROUNDED_PRODUCT, n) for n in _proper_names(_mask(text, {
        n: candidates[0] for c in candidates for n in (c.title, c.brand or "") if n}), known)]
    bounds = [*budget, *budget_of(candidates)]
    problems.extend(_price_problems(norm, candidates, titles, skus, bounds))
    return Grounding(problems)


def budget_of(candidates: Sequence[SearchResult]) -> list[float]:
    """The budget bounds the candidates were checked against (their `within_budget` reasons)."""
    return [float(r.data[k]) for c in candidates for r in c.reasons if r.kind == "within_budget"
            for k in ("price_min", "price_max") if r.data.get(k) is not None]


def _mask(text: str, names: dict[str, SearchResult]) -> str:
    for name in sorted(names, key=len, reverse=True):
        if name:
            text = text.replace(name, " " * len(name))
    return text


def _named(norm: str) -> list[str]:
    """Names the answer sets apart: list-item heads and quoted, bold or bracketed spans."""
    names = []
    for m in _LIST_ITEM.finditer(norm):
        head = _HEAD_END.split(m.group(1), maxsplit=1)[0]
        names.append(head.strip(" *_'\"“”「」『』"))
    for m in _SET_APART.finditer(norm):
        names.append(next(g for g in m.groups() if g is not None).strip())
    return [n for n in names if n]


# Two or more Capitalised words in mid-sentence ("a brand called Clear Sunset"): a name.
_PROPER = re.compile(r"(?<![\w'-])(?:[A-Z][\w'-]+ )+[A-Z][\w'-]+")
_MID_SENTENCE = re.compile(r"[a-z][\w'-]*,? $")


def _proper_names(text: str, known: list[str]) -> list[str]:
    """Latin-script names the answer uses in prose that are no candidate's title or brand."""
    return [m.group(0) for m in _PROPER.finditer(text)
            if _MID_SENTENCE.search(text[max(0, m.start() - 40):m.start()])
            and not _refers_to_candidate(normalise(m.group(0)), known)]


def _refers_to_candidate(name: str, known: list[str]) -> bool:
    name = name.strip(" .,!?'\"*_")
    return any(k and (k in name or name in k) for k in known)


def _price_problems(norm: str, candidates: Sequence[SearchResult],
                    titles: dict[str, SearchResult], skus: dict[str, SearchResult],
                    budget: Iterable[float]) -> list[tuple[str, str]]:
    bounds = list(budget)
    currencies = {c.currency for c in candidates}
    problems: list[tuple[str, str]] = []
    for sentence in _SENTENCE.split(norm):
        named = {id(c): c for key, c in [*titles.items(), *skus.items()] if key in sentence}
        owners = list(named.values()) if len(named) == 1 else list(candidates)
        for money in find_amounts(_mask(sentence, titles)):
            if money.currency is not None and money.currency not in currencies:
                problems.append((UNGROUNDED_PRICE, sentence[money.start:money.end]))
            elif not any(_same(money.amount, c.price) for c in owners) and not any(
                    _same(money.amount, b) for b in bounds):
                problems.append((UNGROUNDED_PRICE, sentence[money.start:money.end]))
    return problems


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.005
