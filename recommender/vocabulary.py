"""A shared KO<->EN vocabulary: surface forms in either language map to one concept token.

Concept tokens (`@moisturizer`, `@black`) are added to both the document and the query side
of the lexical vector, so "블랙 가죽 가방" meets "Leather Crossbody Bag - Black" without a
translation model. Surface forms are analysed with the same LexicalAnalyzer as the text, so
"수분크림" (수분 + 크림) and "검은" (검) match exactly what tokenisation produces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from recommender.lexical import LexicalAnalyzer

VOCABULARY_FILE = Path(__file__).parent / "vocabulary.json"
CONCEPT_PREFIX = "@"


@dataclass(frozen=True)
class Concept:
    name: str
    kind: str
    en: tuple[str, ...]
    ko: tuple[str, ...]

    @property
    def token(self) -> str:
        return CONCEPT_PREFIX + self.name

    def label(self, language: str) -> str:
        forms = self.ko if language == "ko" else self.en
        return forms[0] if forms else self.name


@lru_cache(maxsize=1)
def concept_labels() -> dict[str, dict[str, str]]:
    """`@black` -> {"ko": "블랙", "en": "black"}: how a matched concept is named to a shopper."""
    raw = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return {
        CONCEPT_PREFIX + name: {"ko": (entry.get("ko") or [name])[0],
                                "en": (entry.get("en") or [name])[0]}
        for name, entry in raw.items() if not name.startswith("_")
    }


class Vocabulary:
    """Finds concepts in analysed terms; longest term sequences win over their parts."""

    def __init__(self, concepts: list[Concept], analyzer: LexicalAnalyzer) -> None:
        self.concepts = {c.name: c for c in concepts}
        self._patterns: dict[tuple[str, ...], set[str]] = {}
        for concept in concepts:
            for form in (*concept.en, *concept.ko):
                # Out of context a word can be mis-tagged ("진정" alone reads as an adverb);
                # then the raw form is what the analyser yields for it inside a sentence.
                terms = tuple(analyzer.terms(form)) or (form.lower(),)
                if terms:
                    self._patterns.setdefault(terms, set()).add(concept.name)
        self._longest = max((len(p) for p in self._patterns), default=0)

    @classmethod
    def load(cls, analyzer: LexicalAnalyzer, path: Path = VOCABULARY_FILE) -> Vocabulary:
        raw = json.loads(path.read_text(encoding="utf-8"))
        concepts = [
            Concept(name, entry["kind"], tuple(entry.get("en", [])), tuple(entry.get("ko", [])))
            for name, entry in raw.items() if not name.startswith("_")
        ]
        return cls(concepts, analyzer)

    def concepts_in(self, terms: list[str]) -> list[Concept]:
        """Concepts whose surface form occurs as a contiguous run of `terms`, in order."""
        found: dict[str, None] = {}
        for size in range(self._longest, 0, -1):
            for start in range(len(terms) - size + 1):
                for name in sorted(self._patterns.get(tuple(terms[start : start + size]), ())):
                    found.setdefault(name)
        return [self.concepts[name] for name in found]

    def concept(self, token: str) -> Concept | None:
        return self.concepts.get(token.removeprefix(CONCEPT_PREFIX))
