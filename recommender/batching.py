"""Natural micro-batching of query embeddings for concurrent searches.

A sentence model encodes eight short queries in one forward pass for little more than the
cost of one, while eight threads each running their own pass fight over the same cores (and
torch's intra-op threads). So concurrent callers hand their text to one encoding thread,
which takes everything queued when it becomes free, encodes it as one batch and hands each
caller its row. A lone caller is encoded at once: nothing waits for a batch to fill, batches
form only from requests that arrived while the previous batch was running.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future

import numpy as np

EncodeFn = Callable[[Sequence[str]], np.ndarray]


class QueryBatcher:
    def __init__(self, encode: EncodeFn, *, max_batch: int = 32, name: str = "query-encoder") -> None:
        self._encode = encode
        self._max_batch = max_batch
        self._name = name
        self._pending: list[tuple[str, Future[np.ndarray]]] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        # Batch sizes seen, for the benchmarks and /metrics-style introspection.
        self.batches = 0
        self.encoded = 0

    def encode(self, text: str, timeout: float | None = 30.0) -> np.ndarray:
        """One query's vector, encoded together with whatever else is waiting."""
        future: Future[np.ndarray] = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("the query encoder is shut down")
            self._pending.append((text, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify()
        return future.result(timeout=timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if self._closed and not self._pending:
                    return
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
            try:
                vectors = self._encode([text for text, _ in batch])
            except Exception as exc:  # every waiting caller gets the error, the thread lives on
                for _, future in batch:
                    future.set_exception(exc)
                continue
            self.batches += 1
            self.encoded += len(batch)
            for (_, future), vector in zip(batch, vectors, strict=True):
                future.set_result(vector)


class QueryVectorCache:
    """The last `size` query vectors by normalised text (least recently used goes first).

    Shoppers repeat queries (popular searches, and the same words re-sent with other filters
    or the next page), and a repeated query needs no forward pass. Vectors are read-only
    numpy rows, shared safely between threads.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(text: str) -> str:
        return " ".join(text.lower().split())

    def get(self, text: str) -> np.ndarray | None:
        if self.size <= 0:
            return None
        key = self.key(text)
        with self._lock:
            vector = self._items.get(key)
            if vector is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        if self.size <= 0:
            return
        vector.setflags(write=False)
        key = self.key(text)
        with self._lock:
            self._items[key] = vector
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
