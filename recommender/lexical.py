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
from typing import TYPE_CHECKING

from kiwipiepy import Kiwi

if TYPE_CHECKING:
    from recommender.vocabulary import Vocabulary

# Nouns, roots, adjective stems, foreign words, numbers, Chinese characters. Verb stems
# ("찾", "위하") are dropped: in shopping queries they are request phrasing, not product facts.
_KEEP_TAGS = {"NNG", "NNP", "XR", "VA", "SL", "SN", "SH"}
_EN_STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it its me my of on or our so that the "
    "their this to was we with you your any some".split()
)
# Adjective stems and nouns that phrase a request rather than describe a product ("좋은 거
# 있어?"). "없" stays: it carries negation ("향 없는" = fragrance-free) in the vocabulary.
_KO_STOPWORDS = frozenset("있 좋 같 많 괜찮 싶 이렇 그렇 어떻 저렇 거 것 추천 제품 상품".split())
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
    # "canvas", "atlas": -as words are rarely plurals of -a words in a product catalog.
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word


class LexicalAnalyzer:
    """Turns text into terms and sparse vectors; thread-safe, one Kiwi model per instance."""

    def __init__(self, *, vocabulary: bool = True) -> None:
        self._kiwi: Kiwi | None = None
        self._lock = threading.Lock()
        self._use_vocabulary = vocabulary
        self._vocabulary: Vocabulary | None = None
        self._vocab_lock = threading.Lock()

    @property
    def vocabulary(self) -> Vocabulary | None:
        if not self._use_vocabulary:
            return None
        with self._vocab_lock:
            if self._vocabulary is None:
                from recommender.vocabulary import Vocabulary

                self._vocabulary = Vocabulary.load(self)
            return self._vocabulary

    def terms_and_concepts(self, text: str) -> list[str]:
        """Terms followed by the concept tokens they express (`@black` for 블랙 or black)."""
        terms = self.terms(text)
        vocab = self.vocabulary
        if vocab is None:
            return terms
        return terms + [c.token for c in vocab.concepts_in(terms)]

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
            if tok.tag.split("-")[0] not in _KEEP_TAGS:  # VA-I: irregular adjectives (하얗)
                continue
            form = tok.form.lower()
            if tok.tag == "SL":
                if form in _EN_STOPWORDS or len(form) < 2:
                    continue
                form = _singular(form)
            elif tok.tag == "SN" and len(form) > 8:
                continue
            elif form in _KO_STOPWORDS:
                continue
            out.append(form)
        return out

    def document_vector(self, fields: Iterable[tuple[str, float]]) -> tuple[SparseVec, list[str]]:
        """BM25 term-frequency saturation over weighted fields (title counts more than body)."""
        tf: dict[str, float] = {}
        length = 0.0
        for text, weight in fields:
            for term in self.terms_and_concepts(text):
                tf[term] = tf.get(term, 0.0) + weight
                length += 1
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / AVG_DOC_TERMS)
        weights: dict[int, float] = {}
        for term, freq in tf.items():
            tid = term_id(term)
            weights[tid] = weights.get(tid, 0.0) + freq * (BM25_K1 + 1) / (freq + norm)
        return _to_vec(weights), sorted(tf)

    def query_vector(self, text: str) -> tuple[SparseVec, list[str]]:
        terms = list(dict.fromkeys(self.terms_and_concepts(text)))
        return _to_vec({term_id(t): 1.0 for t in terms}), terms


def char_ngrams(text: str) -> list[str]:
    """Typo-tolerant features: letter trigrams of each word; Hangul is first split into jamo.

    "머그겁" and "머그컵" share most jamo trigrams though no morpheme matches; "sneakrs" and
    "sneakers" share most letter trigrams.
    """
    grams: list[str] = []
    for word in re.findall(r"[0-9a-z\uac00-\ud7a3]+", unicodedata.normalize("NFKC", text).lower()):
        letters = unicodedata.normalize("NFD", word) if _HANGUL.search(word) else word
        if len(letters) < 3:
            continue
        padded = f"^{letters}$"
        grams.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def ngram_vector(text: str) -> SparseVec:
    """Binary n-gram presence; Qdrant's IDF makes rare n-grams count more than common ones."""
    return _to_vec({term_id("#" + g): 1.0 for g in set(char_ngrams(text))})


def _to_vec(weights: dict[int, float]) -> SparseVec:
    items = sorted(weights.items())
    return SparseVec(
        indices=[i for i, _ in items],
        values=[float(round(v, 6)) if math.isfinite(v) else 0.0 for _, v in items],
    )
