"""The set of models one process uses for indexing and querying, loaded once on demand."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from recommender.lexical import LexicalAnalyzer

if TYPE_CHECKING:
    from recommender.semantic import SemanticEncoder
    from vision.clip import ClipEncoder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EncoderConfig:
    semantic_enabled: bool = True
    semantic_model_path: Path | None = None
    semantic_languages: frozenset[str] = frozenset({"en"})
    semantic_query_cache_size: int = 0
    clip_model: str | None = None
    clip_weights: Path | None = None
    clip_config: Path | None = None
    device: str = "auto"

    @property
    def clip_enabled(self) -> bool:
        return bool(self.clip_model and self.clip_weights)


@dataclass
class Encoders:
    """Lazily loads each model the first time it is needed, under a lock, once."""

    config: EncoderConfig
    lexical: LexicalAnalyzer = field(default_factory=LexicalAnalyzer)
    _semantic: SemanticEncoder | None = None
    _clip: ClipEncoder | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def semantic(self) -> SemanticEncoder | None:
        if not self.config.semantic_enabled:
            return None
        with self._lock:
            if self._semantic is None:
                from recommender.semantic import SemanticEncoder

                self._semantic = SemanticEncoder.load(
                    self.config.semantic_model_path,
                    device=self.config.device,
                    languages=self.config.semantic_languages,
                    query_cache_size=self.config.semantic_query_cache_size,
                )
            return self._semantic

    @property
    def clip(self) -> ClipEncoder | None:
        if not self.config.clip_enabled:
            return None
        with self._lock:
            if self._clip is None:
                from vision.clip import ClipEncoder

                assert self.config.clip_model and self.config.clip_weights
                self._clip = ClipEncoder.load(
                    self.config.clip_model, self.config.clip_weights,
                    config=self.config.clip_config, device=self.config.device,
                )
            return self._clip

    def vector_dims(self) -> dict[str, int]:
        """Dense vector names and sizes the collection needs for this model set."""
        dims: dict[str, int] = {}
        if self.semantic is not None:
            dims["semantic"] = self.semantic.dim
        if self.clip is not None:
            dims["image"] = self.clip.dim
            dims["text"] = self.clip.dim
        return dims

    def preload(self) -> None:
        self.lexical.terms("워밍업 warm up")
        _ = self.semantic, self.clip
