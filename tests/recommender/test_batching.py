"""Query micro-batching: concurrent callers share forward passes and each gets its own row."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np
import pytest

from recommender.batching import QueryBatcher, QueryVectorCache
from recommender.encoders import Encoders


class SlowEncoder:
    """Stands for a model whose forward pass takes 20 ms whatever the batch size."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        time.sleep(0.02)
        if "boom" in texts:
            raise ValueError("bad input")
        return np.array([[float(len(t)), float(i)] for i, t in enumerate(texts)], np.float32)


def test_concurrent_callers_are_batched_and_get_their_own_rows() -> None:
    enc = SlowEncoder()
    batcher = QueryBatcher(enc)
    texts = [f"q{'x' * i}" for i in range(16)]
    out: dict[str, np.ndarray] = {}

    def call(text: str) -> None:
        out[text] = batcher.encode(text)

    threads = [threading.Thread(target=call, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {t: float(v[0]) for t, v in out.items()} == {t: float(len(t)) for t in texts}
    assert sum(enc.calls) == 16 and len(enc.calls) < 16  # some passes served several callers
    batcher.close()


def test_a_lone_query_does_not_wait_for_a_batch() -> None:
    batcher = QueryBatcher(SlowEncoder())
    started = time.perf_counter()
    batcher.encode("hello")
    assert time.perf_counter() - started < 0.5
    batcher.close()


def test_an_error_reaches_every_caller_of_that_batch_and_the_encoder_lives_on() -> None:
    batcher = QueryBatcher(SlowEncoder())
    with pytest.raises(ValueError, match="bad input"):
        batcher.encode("boom")
    assert batcher.encode("fine")[0] == 4.0
    batcher.close()
    with pytest.raises(RuntimeError, match="shut down"):
        batcher.encode("late")


def test_batched_query_vectors_match_one_at_a_time(encoders: Encoders) -> None:
    """With the real sentence model: a query's vector does not depend on its batch-mates."""
    sem = encoders.semantic
    assert sem is not None
    queries = ["oil-free moisturizer for oily skin", "red lipstick", "warm wool coat for winter",
               "linen shirt", "gentle cleanser for sensitive skin", "black tee"]
    alone = {q: sem.encode([q])[0] for q in queries}
    out: dict[str, np.ndarray] = {}
    threads = [threading.Thread(target=lambda q=q: out.__setitem__(q, sem.encode_query(q)))
               for q in queries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for q in queries:
        np.testing.assert_allclose(out[q], alone[q], atol=1e-5)


def test_cache_keeps_the_most_recent_and_normalises_the_text() -> None:
    cache = QueryVectorCache(2)
    for i, text in enumerate(["a", "b", "c"]):
        cache.put(text, np.full(2, float(i), np.float32))
    assert cache.get("a") is None  # evicted: least recently used
    assert cache.get("  B ") is not None and float(cache.get("c")[0]) == 2.0  # type: ignore[index]
    assert (cache.hits, cache.misses) == (2, 1)
    assert QueryVectorCache(0).get("a") is None  # size 0: off


def test_repeated_query_is_served_from_the_cache(encoders: Encoders) -> None:
    sem = encoders.semantic
    assert sem is not None and sem.query_cache.size > 0  # on by default
    first = sem.encode_query("a cache test query about linen shirts")
    hits = sem.query_cache.hits
    again = sem.encode_query("A cache test   query about linen shirts")
    assert sem.query_cache.hits == hits + 1 and again is first
    with pytest.raises(ValueError):
        again[0] = 1.0  # shared between requests: read-only
