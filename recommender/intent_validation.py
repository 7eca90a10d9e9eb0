"""What an LLM's reading of a query may contribute: only what maps to something real.

An LLM invents: a budget nobody stated, a brand the shop never carried, and (SmolLM2-135M,
measured) the few-shot example's "oily"/"redness" for "가방 추천해줘". Those are real
vocabulary concepts, so a closed set alone does not catch copying. Every value is checked
against something the LLM cannot make up: the LLM proposes, the query and the shop confirm.

- Budgets: positive, ordered, and the amount is written in the query (digits, 만/천/k, or
  Korean number words before 원: "오만원", which the rules cannot read).
- In stock: only `true`, and only when the query talks about stock or availability.
- Colours, concerns, skin types, a category: a vocabulary concept of that kind (either
  language) that is written in the query, as one of its surface forms or as the LLM's own
  word. The check is looser than the tokenizer ("까만색" contains "까만"), which is where
  the LLM fills gaps; a concept the shopper did not write is never added.
- Brands: only if the merchant sells that brand (transliterations like "듀랩" -> Dewlab are
  the LLM's to find).
- Exclusions: only when the query negates something, and the excluded thing is written.
- Rules win: a field the rules read (a budget, in-stock, a concept kind) keeps the rules'
  value; the LLM only fills the gaps.

Pure logic: no network, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from recommender.intent_llm import LLMReading
from recommender.lexical import LexicalAnalyzer
from recommender.query import QueryIntent
from recommender.vocabulary import Concept, Vocabulary

# Budgets below this are product numbers ("SPF 50", "2 pack"), as in recommender/query.py.
MIN_PRICE = 100
Origin = Literal["rules", "llm"]
# Which vocabulary kinds each list field of the reading may name.
CONCEPT_FIELDS: dict[str, str] = {
    "colors": "color", "skin_types": "skin_type", "concerns": "concern", "category": "category",
}

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(만|천|k|K)?")
_COMPOUND = re.compile(r"(\d+)\s*만\s*(\d+)\s*천")
# Sino-Korean number words are only amounts right before 원 ("오만원"); elsewhere 이/오/만
# are ordinary syllables ("만족", "오일").
_KO_WORDS = re.compile(r"([일이삼사오육칠팔구십백천만]+)\s*원")
_KO_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_KO_SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
_UNIT = {"만": 10_000, "천": 1_000, "k": 1_000, "K": 1_000}

# Stock talk: wider than the rules' in-stock phrases, since the LLM has to agree as well.
_STOCK_CUE = re.compile(
    r"재고|품절|바로|당장|지금|오늘|배송|구매 가능|살 수 있|"
    r"\bstock\b|\bavailab|\bsold\b|\bship|\bbuy now\b|\bright now\b|\btoday\b", re.I)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_NEGATION_CUE = re.compile(
    r"없는|없이|없고|없음|빼고|말고|제외|싫|안 들어|"
    r"free\b|\bwithout\b|\bno\b|\bnot\b|\bexcept\b|\bnon[- ]?\w|\bavoid", re.I)


@dataclass(frozen=True)
class ValidatedReading:
    """The part of an LLM's reading that survived validation."""

    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None
    brand: str | None = None  # lower-cased, as the merchant's brands were given
    # Wanted concepts: colours, concerns, skin types, a category, "-free" attributes.
    concepts: tuple[Concept, ...] = ()
    # Concepts the shopper does not want (echoed; "-free" ones are also in `concepts`).
    exclude: tuple[Concept, ...] = ()
    # What was refused, as "field:value", for logs and tests.
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class MergedIntent:
    """Rules plus what the LLM filled in, with where each field came from."""

    price_min: float | None
    price_max: float | None
    in_stock: bool | None
    brand: str | None = None
    # LLM concepts of kinds the rules found nothing of: to add to the query's terms.
    added: tuple[Concept, ...] = ()
    exclude: tuple[Concept, ...] = ()
    # Field or concept kind -> where its value came from.
    source: dict[str, Origin] = field(default_factory=dict)


# -- amounts written in the query -------------------------------------------------------------


def mentioned_amounts(text: str) -> set[float]:
    """Every amount of money the text could be stating, in won.

    Generous on purpose (a bare "2" in "2~5만원" also counts as 20,000): this only decides
    whether an LLM's budget was written by the shopper, and a made-up one rarely lands on a
    number that is in the text.
    """
    text = unicodedata.normalize("NFKC", text)
    units = {_UNIT[u] for u in re.findall(r"[만천]", text)}
    amounts: set[float] = set()
    for m in _NUMBER.finditer(text):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            amounts.add(value * _UNIT[m.group(2)])
        else:
            amounts.add(value)
            amounts.update(value * unit for unit in units)  # the range's unit: "2~5만원"
    for m in _COMPOUND.finditer(text):  # "3만5천원"
        amounts.add(int(m.group(1)) * 10_000 + int(m.group(2)) * 1_000)
    for m in _KO_WORDS.finditer(text):
        if (won := sino_korean(m.group(1))) is not None:
            amounts.add(float(won))
    return amounts


def sino_korean(word: str) -> int | None:
    """"오만" -> 50000, "십오만" -> 150000, "삼천" -> 3000, "만" -> 10000; None if not a number."""
    total = group = digit = 0
    for ch in word:
        if ch in _KO_DIGITS:
            digit = _KO_DIGITS[ch]
        elif ch in _KO_SMALL_UNITS:
            group += (digit or 1) * _KO_SMALL_UNITS[ch]
            digit = 0
        elif ch == "만":
            total += ((group + digit) or 1) * 10_000
            group = digit = 0
        else:
            return None
    value = total + group + digit
    return value or None


# -- validation ---------------------------------------------------------------------------------


def validate_reading(reading: LLMReading, *, text: str, analyzer: LexicalAnalyzer,
                     brands: Collection[str]) -> ValidatedReading:
    """Keep what the query and the shop can vouch for; `brands` are the merchant's, lower-cased."""
    vocab = analyzer.vocabulary
    dropped: list[str] = []
    price_min, price_max = _budget(reading, text, dropped)
    in_stock = _in_stock(reading, text, dropped)
    brand = _brand(reading.brand, brands, dropped)
    concepts: list[Concept] = []
    if vocab is not None:
        for name, kind in CONCEPT_FIELDS.items():
            value = getattr(reading, name)
            for word in (value if isinstance(value, list) else [value] if value else []):
                found = concept_for(word, {kind}, analyzer, vocab)
                _keep(concepts, _if_written(found, word, text), dropped, f"{name}:{word}")
    free, excluded = _exclusions(reading.exclude, text, analyzer, vocab, dropped)
    wanted = [c for c in concepts + free if c not in excluded]
    return ValidatedReading(price_min=price_min, price_max=price_max, in_stock=in_stock,
                            brand=brand, concepts=tuple(dict.fromkeys(wanted)),
                            exclude=tuple(dict.fromkeys(excluded)), dropped=tuple(dropped))


def concept_for(word: str, kinds: Collection[str], analyzer: LexicalAnalyzer,
                vocab: Vocabulary) -> Concept | None:
    """The vocabulary concept of one of `kinds` that `word` names, in either language."""
    name = "_".join(word.strip().lower().replace("-", " ").split())
    concept = vocab.concepts.get(name)
    if concept is not None and concept.kind in kinds:
        return concept
    return next((c for c in vocab.concepts_in(analyzer.terms(word)) if c.kind in kinds), None)


def written(concept: Concept, word: str, text: str) -> bool:
    """The shopper wrote `concept`: one of its surface forms (either language) or the LLM's
    own `word` occurs in `text`. Latin forms as whole words (plural allowed: "pimples"),
    Hangul ones as substrings with spaces ignored, since Korean attaches particles and
    suffixes ("까만색", "수분크림을")."""
    hay = unicodedata.normalize("NFKC", text).lower()
    compact = "".join(hay.split())
    for form in (word, *concept.en, *concept.ko):
        form = " ".join(unicodedata.normalize("NFKC", form).lower().split())
        if not form:
            continue
        if _HANGUL.search(form):
            if form.replace(" ", "") in compact:
                return True
        elif re.search(r"(?<![a-z0-9])" + re.escape(form) + r"(?:e?s)?(?![a-z0-9])", hay):
            return True
    return False


def _if_written(concept: Concept | None, word: str, text: str) -> Concept | None:
    return concept if concept is not None and written(concept, word, text) else None


def _keep(into: list[Concept], found: Concept | None, dropped: list[str], label: str) -> None:
    if found is None:
        dropped.append(label)
    elif found not in into:
        into.append(found)


def _budget(reading: LLMReading, text: str, dropped: list[str]) -> tuple[float | None, float | None]:
    """Budgets that are positive, ordered, and written in the query; else none at all."""
    if reading.price_min is None and reading.price_max is None:
        return None, None
    amounts = mentioned_amounts(text)
    kept: list[float | None] = []
    for name, value in (("price_min", reading.price_min), ("price_max", reading.price_max)):
        ok = value is not None and value >= MIN_PRICE and float(value) in amounts
        if value is not None and not ok:
            dropped.append(f"{name}:{value:g}")
        kept.append(float(value) if ok and value is not None else None)
    low, high = kept
    if low is not None and high is not None and low > high:
        dropped += [f"price_min:{low:g}", f"price_max:{high:g}"]
        return None, None
    return low, high


def _in_stock(reading: LLMReading, text: str, dropped: list[str]) -> bool | None:
    """Only "in stock" (a filter), and only when the query talks about stock at all."""
    if reading.in_stock is None:
        return None
    if reading.in_stock is True and _STOCK_CUE.search(text):
        return True
    dropped.append(f"in_stock:{str(reading.in_stock).lower()}")
    return None


def _brand(value: str | None, brands: Collection[str], dropped: list[str]) -> str | None:
    if not value or not value.strip():
        return None
    key = value.strip().lower()
    if key in brands:
        return key
    dropped.append(f"brand:{value}")
    return None


def _exclusions(words: Sequence[str], text: str, analyzer: LexicalAnalyzer,
                vocab: Vocabulary | None, dropped: list[str]) -> tuple[list[Concept], list[Concept]]:
    """Negations: ("fragrance" ->) the wanted `fragrance_free` attribute where the vocabulary
    has one, else the excluded concept itself. Only when the query negates something."""
    if not words:
        return [], []
    if vocab is None or not _NEGATION_CUE.search(text):
        dropped += [f"exclude:{w}" for w in words]
        return [], []
    free: list[Concept] = []
    excluded: list[Concept] = []
    any_kind = {c.kind for c in vocab.concepts.values()}
    for word in words:
        attribute = _free_attribute(word, analyzer, vocab)
        if attribute is not None:
            _keep(free, _if_written(attribute, word, text), dropped, f"exclude:{word}")
        else:
            found = concept_for(word, any_kind, analyzer, vocab)
            _keep(excluded, _if_written(found, word, text), dropped, f"exclude:{word}")
    return free, excluded


def _free_attribute(word: str, analyzer: LexicalAnalyzer, vocab: Vocabulary) -> Concept | None:
    base = "_".join(word.strip().lower().replace("-", " ").split())
    named = vocab.concepts.get(f"{base}_free") or vocab.concepts.get(base)
    if named is not None and named.kind == "attribute" and named.name.endswith("_free"):
        return named
    for phrase in (f"{word} free", f"{word} 없는"):
        for concept in vocab.concepts_in(analyzer.terms(phrase)):
            if concept.kind == "attribute" and concept.name.endswith("_free"):
                return concept
    return None


# -- merging with the rules ---------------------------------------------------------------------


def fill_gaps(rules: QueryIntent, rule_concepts: Iterable[Concept],
              llm: ValidatedReading | None) -> MergedIntent:
    """The rules' reading, with the LLM's validated values where the rules found nothing.

    A budget is one field: if the rules read either bound, the LLM's bounds are not mixed
    in (a rules minimum and an LLM maximum could contradict each other). Concepts are
    filled per kind: a colour from the LLM only when the rules read no colour.
    """
    rule_kinds = {c.kind for c in rule_concepts}
    source: dict[str, Origin] = {kind: "rules" for kind in rule_kinds}
    price_min, price_max, in_stock = rules.price_min, rules.price_max, rules.in_stock
    for name, value in (("price_min", price_min), ("price_max", price_max),
                        ("in_stock", in_stock)):
        if value is not None:
            source[name] = "rules"
    if llm is None:
        return MergedIntent(price_min, price_max, in_stock, source=source)
    if price_min is None and price_max is None:
        price_min, price_max = llm.price_min, llm.price_max
        source.update({n: "llm" for n, v in (("price_min", price_min), ("price_max", price_max))
                       if v is not None})
    if in_stock is None and llm.in_stock is not None:
        in_stock = llm.in_stock
        source["in_stock"] = "llm"
    added = tuple(c for c in llm.concepts if c.kind not in rule_kinds)
    source.update({c.kind: "llm" for c in added})
    if llm.brand:
        source["brand"] = "llm"
    if llm.exclude:
        source["exclude"] = "llm"
    return MergedIntent(price_min, price_max, in_stock, brand=llm.brand, added=added,
                        exclude=llm.exclude, source=source)


def query_words(concepts: Iterable[Concept], analyzer: LexicalAnalyzer, language: str) -> list[str]:
    """A surface form per concept that the analyser reads back as that concept.

    Added to the query text, it gives the lexical query the concept's token (and the word),
    exactly as if the shopper had written it, so LLM-found concepts rank like rule-found
    ones: as query terms, never as filters.
    """
    vocab = analyzer.vocabulary
    words: list[str] = []
    for concept in concepts:
        forms = (*concept.ko, *concept.en) if language == "ko" else (*concept.en, *concept.ko)
        for form in forms:
            if vocab is not None and concept in vocab.concepts_in(analyzer.terms(form)):
                words.append(form)
                break
    return words
