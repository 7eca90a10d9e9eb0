"""Boosts: prefer products with a payload value, without filtering anything out.

A boost is an extra lexical prefetch restricted by a payload condition (say
`attributes.concerns: redness`). Products that fit get one more RRF contribution, so they
rise; the rest still come back. The photo's analysis and the shopper's profile both use it,
and it runs inside the same fused engine query as the text retrievers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from recommender.index import LEXICAL, Prefetch
from recommender.lexical import LexicalAnalyzer


@dataclass(frozen=True)
class Boost:
    """Prefer products whose payload `key` has any of `values`; `words` rank within them."""

    key: str
    values: tuple[str, ...]
    words: str


def boost_prefetches(boosts: Iterable[Boost], lexical: LexicalAnalyzer,
                     weight: float) -> list[Prefetch]:
    out = []
    for boost in boosts:
        sparse, _ = lexical.query_vector(boost.words)
        if sparse.indices:
            out.append(Prefetch(LEXICAL, sparse, weight, conditions=((boost.key, boost.values),)))
    return out
