"""The heavy, long-lived objects of one process (API or worker), built once and passed down.

Encoders and the Qdrant index open lazily: `aisle merchants create` should not load
models, and an API process must be able to start while a worker still holds local storage.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from backend.db import make_engine, migrate
from backend.settings import Settings
from recommender.encoders import EncoderConfig, Encoders
from recommender.index import ProductIndex, open_index
from recommender.retrieval import HybridRetriever

if TYPE_CHECKING:
    from backend.photos.vision_models import VisionModels
    from workers.queue import TaskQueue

log = logging.getLogger(__name__)


def encoder_config(settings: Settings) -> EncoderConfig:
    return EncoderConfig(
        semantic_enabled=settings.semantic_enabled,
        semantic_model_path=settings.semantic_model_path,
        semantic_languages=settings.semantic_languages,
        semantic_query_cache_size=settings.semantic_query_cache_size,
        clip_model=settings.clip_model,
        clip_weights=settings.clip_weights,
        clip_config=settings.clip_config,
        device=settings.device,
    )


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    encoders: Encoders
    tasks: TaskQueue | None = None
    _index: ProductIndex | None = None
    _vision: VisionModels | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, settings: Settings, *, encoders: Encoders | None = None,
               migrate_db: bool | None = None) -> Runtime:
        settings.ensure_dirs()
        settings = settings.with_trained_clip()
        if settings.torch_threads:
            from vision.torch_runtime import set_cpu_threads

            set_cpu_threads(settings.torch_threads)
        url = settings.resolved_database_url
        if settings.auto_migrate if migrate_db is None else migrate_db:
            migrate(url)
        return cls(settings=settings, engine=make_engine(url),
                   encoders=encoders or Encoders(encoder_config(settings)))

    @property
    def index(self) -> ProductIndex:
        with self._lock:
            if self._index is None:
                index = self._open_index()
                try:
                    index.ensure_collection(self.encoders.vector_dims())
                except Exception:
                    index.close()  # don't keep a local store locked behind an error
                    raise
                self._index = index
            return self._index

    def _open_index(self) -> ProductIndex:
        s = self.settings
        return open_index(engine=s.index_engine, url=s.qdrant_url, path=s.qdrant_path,
                          collection=s.qdrant_collection, api_key=s.qdrant_api_key)

    def recreate_index(self) -> ProductIndex:
        """Drop and recreate the collection for the current models (data comes from the DB)."""
        with self._lock:
            index = self._index or self._open_index()
            index.drop_collection()
            index.ensure_collection(self.encoders.vector_dims())
            self._index = index
            return index

    @property
    def vision(self) -> VisionModels:
        """Photo-analysis models of this process (CLIP from `encoders`, probe heads)."""
        with self._lock:
            if self._vision is None:
                from backend.photos.vision_models import VisionModels

                self._vision = VisionModels(self.settings, self.encoders)
            return self._vision

    def release_index(self) -> None:
        """Close the Qdrant client (local mode: frees the store for another client)."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    @property
    def index_opened(self) -> bool:
        return self._index is not None

    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index, self.encoders,
                               prefetch_limit=self.settings.prefetch_limit,
                               group_variants=self.settings.group_variants,
                               popularity_weight=self.settings.popularity_weight)

    def capabilities(self) -> dict[str, object]:
        """What this deployment can do, stated plainly for /readyz and the startup log."""
        s = self.settings
        return {
            "semantic_text": s.semantic_enabled,
            "image_vectors": s.clip_enabled,
            "image_vectors_note": None if s.clip_enabled else (
                "No CLIP weights configured (AISLE_CLIP_MODEL, AISLE_CLIP_WEIGHTS): products "
                "are indexed without image vectors and photo search is unavailable."
            ),
            "tasks": "celery" if s.broker_url else "in-process",
            "database": "postgresql" if not s.resolved_database_url.startswith("sqlite")
            else "sqlite",
            "vectors": "qdrant-server" if s.qdrant_url else s.index_engine,
        }

    def close(self) -> None:
        if self.tasks is not None:
            self.tasks.close()
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
        self.engine.dispose()
