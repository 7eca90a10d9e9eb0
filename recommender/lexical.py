"""Sparse lexical vectors for Korean and English: morphemes in, BM25-shaped weights out.

Korean is agglutinative ("수분크림을" = 수분 + 크림 + 을), so whitespace tokens would
rarely match; kiwipiepy splits words into morphemes and we keep the content-bearing ones.
Latin words are lower-cased and singularised. Term ids are stable hashes, so documents and
queries agree without a shared vocabulary, and Qdrant's IDF modifier supplies the IDF.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from kiwipiepy import Kiwi

# Nouns, roots, adjective stems, foreign words, numbers, Chinese characters. Verb stems
# ("찾", "위하") are dropped: in shopping queries they are request phrasing, not product facts.
_KEEP_TAGS = {"NNG", "NNP", "XR", "VA", "SL", "SN", "SH"}
_EN_STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it its me my of on or our so that the "
    "their this to was we with you your any some".split()
)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN = re.compile(r"[a-z]")

BM25_K1 = 1.2
BM25_B = 0.75
AVG_DOC_TERMS = 40.0


@dataclass(frozen=True)
class SparseVec:
    indices: list[int]
    values: list[float]


def term_id(term: str) -> int:
    return zlib.crc32(term.encode("utf-8"))


def detect_language(text: str) -> str:
    """`ko` when Hangul makes up a fair share of the letters, else `en`."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text.lower()))
    if hangul == 0:
        return "en"
    return "ko" if hangul * 2 >= latin else "en"


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class LexicalAnalyzer:
    """Turns text into terms and sparse vectors; thread-safe, one Kiwi model per instance."""

    def __init__(self) -> None:
        self._kiwi: Kiwi | None = None
        self._lock = threading.Lock()

    def _kiwi_model(self) -> Kiwi:
        with self._lock:
            if self._kiwi is None:
                self._kiwi = Kiwi()
            return self._kiwi

    def terms(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text or "")
        if not text.strip():
            return []
        tokens = self._kiwi_model().tokenize(text)
        out: list[str] = []
        for tok in tokens:
            if tok.tag not in _KEEP_TAGS:
                continue
            form = tok.form.lower()
            if tok.tag == "SL":
                if form in _EN_STOPWORDS or len(form) < 2:
                    continue
                form = _singular(form)
            elif tok.tag == "SN" and len(form) > 8:
                continue
            out.append(form)
        return out

    def document_vector(self, fields: Iterable[tuple[str, float]]) -> tuple[SparseVec, list[str]]:
        """BM25 term-frequency saturation over weighted fields (title counts more than body)."""
        tf: dict[str, float] = {}
        length = 0.0
        for text, weight in fields:
            for term in self.terms(text):
                tf[term] = tf.get(term, 0.0) + weight
                length += 1
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / AVG_DOC_TERMS)
        weights: dict[int, float] = {}
        for term, freq in tf.items():
            tid = term_id(term)
            weights[tid] = weights.get(tid, 0.0) + freq * (BM25_K1 + 1) / (freq + norm)
        return _to_vec(weights), sorted(tf)

    def query_vector(self, text: str) -> tuple[SparseVec, list[str]]:
        terms = list(dict.fromkeys(self.terms(text)))
        return _to_vec({term_id(t): 1.0 for t in terms}), terms


def _to_vec(weights: dict[int, float]) -> SparseVec:
    items = sorted(weights.items())
    return SparseVec(
        indices=[i for i, _ in items],
        values=[float(round(v, 6)) if math.isfinite(v) else 0.0 for _, v in items],
    )
