"""`ProductIndex` on qdrant-client: a Qdrant server (production) or its local mode.

Local mode is a pure-Python brute-force engine: fine for a demo catalog, about 1 s a query at
10k products (docs/benchmarks.md). A server builds HNSW, inverted sparse indexes and the
payload indexes created here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient, models

from recommender.index import (
    KEYWORD_FIELDS,
    PAYLOAD_VERSION,
    RRF_K,
    SPARSE_VECTORS,
    Condition,
    Hit,
    IndexPoint,
    IndexSchemaMismatch,
    IndexUnavailable,
    Match,
    Prefetch,
    ProductIndex,
    SearchFilters,
    filter_conditions,
    hit_from,
    prefetch_conditions,
    second_process_message,
)
from recommender.lexical import SparseVec

log = logging.getLogger(__name__)

_VERSION_KEY = "aisle_payload_version"


def qdrant_filter(conditions: Sequence[Condition]) -> models.Filter:
    must: list[models.Condition] = []
    for c in conditions:
        if isinstance(c, Match):
            match: models.MatchValue | models.MatchAny = (
                models.MatchValue(value=c.values[0]) if len(c.values) == 1
                else models.MatchAny(any=[str(v) for v in c.values])
            )
            must.append(models.FieldCondition(key=c.key, match=match))
        else:
            must.append(models.FieldCondition(key=c.key, range=models.Range(gte=c.gte, lte=c.lte)))
    return models.Filter(must=must)


class QdrantIndex(ProductIndex):
    def __init__(self, client: QdrantClient, collection: str, *, local: bool) -> None:
        self.client = client
        self.collection = collection
        self.local = local
        self.engine = "qdrant-local" if local else "qdrant-server"
        # Qdrant's local mode is not built for concurrent callers; a server handles its own.
        self._lock: threading.Lock | None = threading.Lock() if local else None
        self._attribute_indexes: set[str] = set()

    @classmethod
    def connect(cls, *, url: str, collection: str, api_key: str | None = None) -> QdrantIndex:
        return cls(QdrantClient(url=url, api_key=api_key, timeout=10), collection, local=False)

    @classmethod
    def open_local(cls, path: Path, collection: str) -> QdrantIndex:
        path.mkdir(parents=True, exist_ok=True)
        try:
            client = QdrantClient(path=str(path))
        except RuntimeError as exc:
            raise IndexUnavailable(second_process_message(path)) from exc
        return cls(client, collection, local=True)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        with self._lock:
            yield

    def close(self) -> None:
        with self._guard():
            self.client.close()

    # -- schema -------------------------------------------------------------------------

    def ensure_collection(self, dims: dict[str, int]) -> None:
        with self._guard():
            if self.client.collection_exists(self.collection):
                self._check_schema(dims)
            else:
                self.client.create_collection(
                    self.collection,
                    vectors_config={
                        name: models.VectorParams(size=size, distance=models.Distance.COSINE)
                        for name, size in dims.items()
                    },
                    sparse_vectors_config={
                        name: models.SparseVectorParams(modifier=models.Modifier.IDF)
                        for name in SPARSE_VECTORS
                    },
                    metadata={_VERSION_KEY: PAYLOAD_VERSION},
                )
                log.info("created Qdrant collection %s with vectors %s", self.collection, dims)
            if not self.local:  # local mode has no payload indexes (it scans)
                self._create_payload_indexes()

    def drop_collection(self) -> None:
        with self._guard():
            if self.client.collection_exists(self.collection):
                self.client.delete_collection(self.collection)

    def _check_schema(self, dims: dict[str, int]) -> None:
        info = self.client.get_collection(self.collection)
        vectors = info.config.params.vectors
        existing = (
            {name: p.size for name, p in vectors.items()} if isinstance(vectors, dict) else {}
        )
        sparse = sorted(info.config.params.sparse_vectors or {})
        # Collections made before the version was recorded carry the payload of version 1.
        version = (info.config.metadata or {}).get(_VERSION_KEY, 1)
        if existing != dims or sparse != sorted(SPARSE_VECTORS) or version != PAYLOAD_VERSION:
            raise IndexSchemaMismatch(
                f"Qdrant collection {self.collection!r} has vectors {existing} + {sparse} "
                f"(payload v{version}) but this version needs {dims} + {sorted(SPARSE_VECTORS)} "
                f"(payload v{PAYLOAD_VERSION}). Run `aisle reindex --recreate` to rebuild it "
                "from the database, or set AISLE_QDRANT_COLLECTION to a new name."
            )

    def _create_payload_indexes(self) -> None:
        c, name = self.client, self.collection
        c.create_payload_index(
            name, "merchant_id",
            field_schema=models.KeywordIndexParams(type=models.KeywordIndexType.KEYWORD,
                                                   is_tenant=True),
        )
        for key in KEYWORD_FIELDS:
            c.create_payload_index(name, key, field_schema=models.PayloadSchemaType.KEYWORD)
        c.create_payload_index(name, "price", field_schema=models.PayloadSchemaType.FLOAT)
        c.create_payload_index(name, "in_stock", field_schema=models.PayloadSchemaType.BOOL)

    def _ensure_attribute_indexes(self, points: Sequence[IndexPoint]) -> None:
        if self.local:
            return
        keys = {k for p in points for k in p.payload.get("attributes", {})}
        for key in sorted(keys - self._attribute_indexes):
            self.client.create_payload_index(
                self.collection, f"attributes.{key}", field_schema=models.PayloadSchemaType.KEYWORD
            )
            self._attribute_indexes.add(key)

    # -- writes -------------------------------------------------------------------------

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        if not points:
            return
        structs = [
            models.PointStruct(
                id=p.id,
                payload=p.payload,
                vector={
                    **p.dense,
                    **{name: models.SparseVector(indices=vec.indices, values=vec.values)
                       for name, vec in p.sparse.items()},
                },
            )
            for p in points
        ]
        with self._guard():
            self._ensure_attribute_indexes(points)
            self.client.upsert(self.collection, points=structs, wait=True)

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._guard():
            self.client.delete(
                self.collection, points_selector=models.PointIdsList(points=list(ids)), wait=True
            )

    def set_payload(self, values: dict[str, dict[str, Any]]) -> None:
        with self._guard():
            existing = {str(r.id) for r in self.client.retrieve(
                self.collection, ids=list(values), with_payload=False, with_vectors=False)}
            for point_id, fields in values.items():
                if point_id in existing:  # set_payload would fail on a missing id
                    self.client.set_payload(self.collection, payload=fields,
                                            points=[point_id], wait=True)

    # -- reads --------------------------------------------------------------------------

    def count(self, merchant_id: str | None = None) -> int:
        flt = qdrant_filter([Match("merchant_id", (merchant_id,))]) if merchant_id else None
        with self._guard():
            return self.client.count(self.collection, count_filter=flt, exact=True).count

    def retrieve(self, ids: Sequence[str], *, with_vectors: bool = False) -> list[Hit]:
        with self._guard():
            records = self.client.retrieve(self.collection, ids=list(ids), with_payload=True,
                                           with_vectors=with_vectors)
        return [hit_from(r.id, 0.0, r.payload, r.vector) for r in records]

    def fused_query(self, merchant_id: str, prefetches: Sequence[Prefetch],
                    filters: SearchFilters, *, limit: int, prefetch_limit: int,
                    with_vectors: Sequence[str]) -> list[Hit]:
        shared = filter_conditions(merchant_id, filters)
        pf = [
            models.Prefetch(
                query=(models.SparseVector(indices=p.vector.indices, values=p.vector.values)
                       if isinstance(p.vector, SparseVec) else p.vector),
                using=p.using, filter=qdrant_filter(shared + prefetch_conditions(p)),
                limit=prefetch_limit, score_threshold=p.score_threshold,
            )
            for p in prefetches
        ]
        query = models.RrfQuery(rrf=models.Rrf(k=RRF_K, weights=[p.weight for p in prefetches]))
        with self._guard():
            resp = self.client.query_points(
                self.collection, prefetch=pf, query=query, query_filter=qdrant_filter(shared),
                limit=limit, with_payload=True, with_vectors=list(with_vectors) or False,
            )
        return [hit_from(p.id, p.score, p.payload, p.vector) for p in resp.points]

    def healthy(self) -> tuple[bool, str]:
        try:
            with self._guard():
                exists = self.client.collection_exists(self.collection)
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            return False, f"unreachable: {exc}"
        return (True, "ok") if exists else (False, f"collection {self.collection} missing")
