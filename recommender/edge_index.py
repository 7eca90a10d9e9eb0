"""`ProductIndex` on qdrant-edge: Qdrant's own engine (segments, HNSW, payload and sparse
indexes) embedded in this process, the embedded default.

qdrant-client's local mode scores every point in Python (about 1 s a query at 10k products);
this engine answers a filtered hybrid query over 100k products in milliseconds
(docs/benchmarks.md). What it changes for Aisle:

- One shard per collection under `<data dir>/qdrant/edge/<collection>`, beside a manifest
  (`aisle-index.json`) recording the vectors and payload version it was built for, because a
  shard cannot report the configuration it was created with.
- Boolean match conditions return nothing in qdrant-edge-py 0.9, so boolean payload fields
  are stored as 0/1 integers and turned back into booleans on the way out.
- New points land in plain (brute-force, payload-indexed) segments; `optimize()` builds HNSW
  graphs. It blocks queries while it runs (16 s at 100k here), so it runs where nobody is
  searching: after `aisle import`/`aisle reindex`, and `aisle index optimize`.
- Like local mode, one process at a time: the write-ahead log is locked.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import qdrant_edge as qe

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

MANIFEST = "aisle-index.json"
# Stored as 0/1: qdrant-edge-py 0.9 never matches a boolean value.
BOOL_FIELDS = ("in_stock",)
# HNSW: m=16 with ef_construct 64 built 100k 384-d vectors in 16 s on 2 cores; searches stay
# above 0.95 recall for limit 100 at these sizes. Below the threshold (in KB of vectors,
# about 6.5k 384-d points) a segment is scanned, which is as fast there.
HNSW_M, HNSW_EF_CONSTRUCT, FULL_SCAN_THRESHOLD_KB = 16, 64, 10_000


def edge_filter(conditions: Sequence[Condition]) -> qe.Filter:
    must: list[Any] = []
    for c in conditions:
        if isinstance(c, Match):
            values = [int(v) if isinstance(v, bool) else v for v in c.values]
            match = (qe.MatchValue(values[0]) if len(values) == 1
                     else qe.MatchAny([str(v) for v in values]))
            must.append(qe.FieldCondition(c.key, match=match))
        else:
            rng = qe.RangeFloat(gte=c.gte, lte=c.lte)
            must.append(qe.FieldCondition(c.key, range=rng))
    return qe.Filter(must=must)


class EdgeIndex(ProductIndex):
    engine = "edge"

    def __init__(self, path: Path, collection: str, shard: qe.EdgeShard | None) -> None:
        self.path = path
        self.collection = collection
        self._shard = shard
        # Writes, schema changes and close are serialised; queries run concurrently.
        self._write = threading.Lock()
        self._field_indexes: set[str] = set()
        if shard is not None:
            self._field_indexes = set(shard.info().payload_schema)

    @classmethod
    def open(cls, root: Path, collection: str) -> EdgeIndex:
        path = root / collection
        shard = None
        if (path / MANIFEST).exists():
            shard = _load(path)
        return cls(path, collection, shard)

    @property
    def shard(self) -> qe.EdgeShard:
        if self._shard is None:
            raise IndexUnavailable(
                f"The index {self.collection!r} at {self.path} is not created yet; the API and "
                "`aisle` commands create it on first use."
            )
        return self._shard

    def close(self) -> None:
        with self._write:
            if self._shard is not None:
                self._shard.close()
                self._shard = None

    # -- schema ---------------------------------------------------------------------------

    def ensure_collection(self, dims: dict[str, int]) -> None:
        wanted = _manifest(dims)
        with self._write:
            manifest = self.path / MANIFEST
            if manifest.exists():
                found = json.loads(manifest.read_text())
                if found != wanted:
                    raise IndexSchemaMismatch(
                        f"The index at {self.path} was built for {found} but this version needs "
                        f"{wanted}. Run `aisle reindex --recreate` to rebuild it from the "
                        "database, or set AISLE_QDRANT_COLLECTION to a new name."
                    )
                if self._shard is None:
                    self._shard = _load(self.path)
            else:
                if self.path.exists():  # a crash between create and manifest: nothing to keep
                    shutil.rmtree(self.path)
                self._shard = qe.EdgeShard.create(str(self.path), _config(dims))
                manifest.write_text(json.dumps(wanted, indent=2))
                log.info("created edge index %s with vectors %s", self.path, dims)
            self._create_field_indexes()

    def drop_collection(self) -> None:
        with self._write:
            if self._shard is not None:
                self._shard.close()
                self._shard = None
            shutil.rmtree(self.path, ignore_errors=True)
            self._field_indexes = set()

    def _create_field_indexes(self) -> None:
        wanted: dict[str, Any] = {
            "merchant_id": qe.KeywordIndexParams(is_tenant=True),
            **{key: qe.PayloadSchemaType.Keyword for key in KEYWORD_FIELDS},
            "price": qe.PayloadSchemaType.Float,
            **{key: qe.PayloadSchemaType.Integer for key in BOOL_FIELDS},
        }
        for key, schema in wanted.items():
            self._field_index(key, schema)

    def _field_index(self, key: str, schema: Any) -> None:
        if key not in self._field_indexes:
            self.shard.update(qe.UpdateOperation.create_field_index(key, schema))
            self._field_indexes.add(key)

    def optimize(self) -> bool:
        with self._write:
            changed = self.shard.optimize()
            self.shard.flush()
            return changed

    # -- writes ---------------------------------------------------------------------------

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        if not points:
            return
        structs = [
            qe.Point(p.id, {**p.dense, **{name: qe.SparseVector(vec.indices, vec.values)
                                          for name, vec in p.sparse.items()}},
                     _to_stored(p.payload))
            for p in points
        ]
        with self._write:
            for key in sorted({k for p in points for k in p.payload.get("attributes", {})}):
                self._field_index(f"attributes.{key}", qe.PayloadSchemaType.Keyword)
            self.shard.update(qe.UpdateOperation.upsert_points(structs))
            self.shard.flush()

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._write:
            self.shard.update(qe.UpdateOperation.delete_points(list(ids)))
            self.shard.flush()

    def set_payload(self, values: dict[str, dict[str, Any]]) -> None:
        with self._write:
            existing = {str(r.id) for r in self.shard.retrieve(list(values), with_payload=False,
                                                               with_vector=False)}
            for point_id, fields in values.items():
                if point_id in existing:
                    self.shard.update(qe.UpdateOperation.set_payload([point_id],
                                                                     _to_stored(fields)))
            self.shard.flush()

    # -- reads ----------------------------------------------------------------------------

    def count(self, merchant_id: str | None = None) -> int:
        flt = edge_filter([Match("merchant_id", (merchant_id,))]) if merchant_id else None
        return self.shard.count(qe.CountRequest(exact=True, filter=flt))

    def retrieve(self, ids: Sequence[str], *, with_vectors: bool = False) -> list[Hit]:
        records = self.shard.retrieve(list(ids), with_payload=True, with_vector=with_vectors)
        return [_hit(r.id, 0.0, r.payload, r.vector) for r in records]

    def fused_query(self, merchant_id: str, prefetches: Sequence[Prefetch],
                    filters: SearchFilters, *, limit: int, prefetch_limit: int,
                    with_vectors: Sequence[str]) -> list[Hit]:
        shared = filter_conditions(merchant_id, filters)
        tenant = edge_filter(shared[:1])
        pf = []
        for p in prefetches:
            sparse = isinstance(p.vector, SparseVec)
            vector: Any = qe.SparseVector(p.vector.indices, p.vector.values) if isinstance(
                p.vector, SparseVec) else p.vector
            pf.append(qe.Prefetch(
                limit=prefetch_limit, query=qe.Query.Nearest(vector, using=p.using),
                filter=edge_filter(shared + prefetch_conditions(p)),
                score_threshold=p.score_threshold,
                # A term's rarity is judged within the merchant's own catalog, not across
                # every tenant of the shared collection.
                params=qe.SearchParams(idf=qe.IdfParams(corpus=tenant)) if sparse else None,
            ))
        request = qe.QueryRequest(
            limit=limit, prefetches=pf,
            query=qe.Fusion.Rrf(k=RRF_K, weights=[p.weight for p in prefetches]),  # type: ignore[arg-type]
            filter=edge_filter(shared), with_payload=True,
            with_vector=list(with_vectors) or False,
        )
        return [_hit(p.id, p.score, p.payload, p.vector) for p in self.shard.query(request)]

    def healthy(self) -> tuple[bool, str]:
        if self._shard is None:
            return False, f"index {self.collection} missing"
        try:
            self._shard.info()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            return False, f"unavailable: {exc}"
        return True, "ok"


def _manifest(dims: dict[str, int]) -> dict[str, Any]:
    return {"dense": dict(sorted(dims.items())), "sparse": sorted(SPARSE_VECTORS),
            "payload_version": PAYLOAD_VERSION}


def _config(dims: dict[str, int]) -> qe.EdgeConfig:
    return qe.EdgeConfig(
        vectors={name: qe.EdgeVectorParams(size=size, distance=qe.Distance.Cosine)
                 for name, size in dims.items()},
        sparse_vectors={name: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)
                        for name in SPARSE_VECTORS},
        hnsw_config=qe.HnswIndexConfig(m=HNSW_M, ef_construct=HNSW_EF_CONSTRUCT,
                                       full_scan_threshold=FULL_SCAN_THRESHOLD_KB),
    )


def _load(path: Path) -> qe.EdgeShard:
    try:
        return qe.EdgeShard.load(str(path))
    except Exception as exc:  # the binding raises a bare Exception for a locked WAL
        if "WouldBlock" in str(exc) or "lock" in str(exc).lower():
            raise IndexUnavailable(second_process_message(path)) from exc
        raise IndexUnavailable(
            f"The embedded index at {path} could not be opened ({exc}). If it is damaged, move "
            "it aside and run `aisle reindex --recreate` to rebuild it from the database."
        ) from exc


def _to_stored(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: int(v) if k in BOOL_FIELDS and isinstance(v, bool) else v
            for k, v in payload.items()}


def _hit(point_id: object, score: float, payload: dict[str, Any] | None, vector: object) -> Hit:
    restored = {k: bool(v) if k in BOOL_FIELDS and isinstance(v, int) else v
                for k, v in (payload or {}).items()}
    return hit_from(point_id, score, restored, vector)
