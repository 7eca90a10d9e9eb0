"""The product index: what every vector engine must do, in Aisle's terms.

Retrieval, indexing and the API speak to `ProductIndex`; the engines behind it are
`recommender.qdrant_index.QdrantIndex` (a Qdrant server, or qdrant-client's local mode) and
`recommender.edge_index.EdgeIndex` (the embedded qdrant-edge engine). One collection serves
every merchant: `merchant_id` is a tenant-indexed payload field, as Qdrant recommends for many
small tenants, and every query carries it. Filters are described here once, engine-neutrally
(`filter_conditions`), and each engine translates them into its own conditions, so filtering
always runs inside the engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from recommender.lexical import SparseVec

LEXICAL = "lexical"
VARIANT_GROUP = "variant_group"
VARIANTS_SHOWN = 3
NGRAM = "ngram"
SPARSE_VECTORS = (LEXICAL, NGRAM)
KEYWORD_FIELDS = ("brand", "category", "tags")
# Bump when the payload written by `recommender.documents.payload` changes meaning, so an
# index built by an older version is reported (and rebuilt) instead of silently mis-filtering.
PAYLOAD_VERSION = 1
# The RRF constant: 1 / (k + rank). Qdrant's default; the dev-set weights were tuned with it.
RRF_K = 2

Engine = Literal["edge", "qdrant-local"]
ENGINES: tuple[str, ...] = get_args(Engine)


class IndexUnavailable(RuntimeError):
    """The vector store cannot be reached or opened; the message says what to do."""


class IndexSchemaMismatch(RuntimeError):
    """The collection exists with other vectors than the configured models produce."""


@dataclass(frozen=True)
class IndexPoint:
    id: str
    payload: dict[str, Any]
    dense: dict[str, list[float]]
    sparse: dict[str, SparseVec]


@dataclass(frozen=True)
class SearchFilters:
    category: str | None = None
    brand: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None
    tags: tuple[str, ...] = ()
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Prefetch:
    """One retriever in the fused query: a vector name, its query and its RRF weight."""

    using: str
    vector: list[float] | SparseVec
    weight: float = 1.0
    # Dense retrievers always return their top-k, relevant or not; a floor keeps unrelated
    # products out of the fused list (applied inside the engine).
    score_threshold: float | None = None
    # Extra conditions for this retriever only (key -> any of values), on top of the shared
    # filter: a prefetch restricted to e.g. `attributes.concerns: redness` is a boost by RRF.
    conditions: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    payload: dict[str, Any]
    vectors: dict[str, np.ndarray]
    # Other colours/sizes of the same product that also matched, best first.
    variants: tuple[Hit, ...] = ()


@dataclass(frozen=True)
class Match:
    """The payload field holds (or, for a list, contains) any of `values`."""

    key: str
    values: tuple[str | bool, ...]


@dataclass(frozen=True)
class Range:
    key: str
    gte: float | None = None
    lte: float | None = None


Condition = Match | Range


def filter_conditions(merchant_id: str, f: SearchFilters) -> list[Condition]:
    """Every shopper filter as conditions the engine evaluates; the tenant comes first, always."""
    conds: list[Condition] = [Match("merchant_id", (merchant_id,))]
    if f.category:
        prefix = "/".join(p for p in f.category.strip().lower().strip("/").split("/") if p)
        conds.append(Match("category", (prefix,)))
    if f.brand:
        conds.append(Match("brand", (f.brand.lower(),)))
    if f.price_min is not None or f.price_max is not None:
        conds.append(Range("price", gte=f.price_min, lte=f.price_max))
    if f.in_stock is not None:
        conds.append(Match("in_stock", (f.in_stock,)))
    conds += [Match("tags", (tag.lower(),)) for tag in f.tags]
    for key, values in f.attributes.items():
        if values:
            conds.append(Match(f"attributes.{key.lower()}", tuple(v.lower() for v in values)))
    return conds


def prefetch_conditions(p: Prefetch) -> list[Condition]:
    return [Match(key, tuple(v.lower() for v in values)) for key, values in p.conditions]


class ProductIndex(ABC):
    """Owns one engine's collection of products; the only code that speaks to a vector store."""

    engine: str

    # -- lifecycle and schema -------------------------------------------------------------

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def ensure_collection(self, dims: dict[str, int]) -> None:
        """Create the collection for these dense vectors (+ the sparse ones) or check it.

        An existing collection with other vectors raises `IndexSchemaMismatch`; it is never
        dropped here, because the index may be shared with processes running other settings.
        """

    @abstractmethod
    def drop_collection(self) -> None:
        """Only for `aisle reindex --recreate`: the DB holds everything needed to rebuild."""

    def optimize(self) -> bool:
        """Build search structures (HNSW graphs) for what was written; False if nothing to do.

        Engines that index in the background (a Qdrant server) need no call.
        """
        return False

    # -- writes -----------------------------------------------------------------------------

    @abstractmethod
    def upsert(self, points: Sequence[IndexPoint]) -> None: ...

    @abstractmethod
    def delete(self, ids: Sequence[str]) -> None: ...

    @abstractmethod
    def set_payload(self, values: dict[str, dict[str, Any]]) -> None:
        """Merge payload fields into existing points (id -> fields); unknown ids are skipped.

        For signals that change often (popularity) without re-embedding the product.
        """

    # -- reads ------------------------------------------------------------------------------

    @abstractmethod
    def count(self, merchant_id: str | None = None) -> int: ...

    @abstractmethod
    def retrieve(self, ids: Sequence[str], *, with_vectors: bool = False) -> list[Hit]:
        """Points by id (score 0), for inspection and tests; unknown ids are left out."""

    @abstractmethod
    def healthy(self) -> tuple[bool, str]: ...

    @abstractmethod
    def fused_query(self, merchant_id: str, prefetches: Sequence[Prefetch],
                    filters: SearchFilters, *, limit: int, prefetch_limit: int,
                    with_vectors: Sequence[str]) -> list[Hit]:
        """One engine call: each retriever filtered in the engine, fused by weighted RRF."""

    def query(self, merchant_id: str, prefetches: Sequence[Prefetch], filters: SearchFilters,
              *, limit: int, prefetch_limit: int, with_vectors: Sequence[str] = (),
              group_variants: bool = False,
              rerank: Callable[[list[Hit]], list[Hit]] | None = None) -> list[Hit]:
        """The fused query, optionally re-ranked and with variants collapsed.

        With `group_variants`, five colours of one tee take one slot (the best-matching
        colour) and list the others. `rerank` reorders the fused candidates (popularity).
        Both read a deeper fused list: grouping rather than Qdrant's `query_points_groups`,
        which measured 2.7x slower in local mode. They only arrange what the engine
        returned; every filter has already run inside it.
        """
        if not prefetches:
            return []
        deeper = group_variants or rerank is not None
        depth = min(limit * 4, prefetch_limit * len(prefetches)) if deeper else limit
        hits = self.fused_query(merchant_id, prefetches, filters, limit=max(depth, limit),
                                prefetch_limit=prefetch_limit, with_vectors=with_vectors)
        if rerank is not None:
            hits = rerank(hits)
        return group_variants_of(hits, limit) if group_variants else hits[:limit]


def open_index(*, engine: str, url: str | None, path: Path, collection: str,
               api_key: str | None = None) -> ProductIndex:
    """The configured engine: a Qdrant server when `url` is set, else the embedded `engine`."""
    if url:
        from recommender.qdrant_index import QdrantIndex

        return QdrantIndex.connect(url=url, api_key=api_key, collection=collection)
    if engine == "edge":
        from recommender.edge_index import EdgeIndex

        return EdgeIndex.open(path / "edge", collection)
    if engine == "qdrant-local":
        from recommender.qdrant_index import QdrantIndex

        return QdrantIndex.open_local(path, collection)
    raise ValueError(f"Unknown index engine {engine!r}: use one of {', '.join(ENGINES)}.")


def hit_from(point_id: object, score: float, payload: dict[str, Any] | None,
             vector: object) -> Hit:
    """A scored point or record of either engine as a `Hit`; dense vectors become arrays
    (sparse ones are not needed past the engine)."""
    vectors: dict[str, np.ndarray] = {}
    if isinstance(vector, dict):
        for name, vec in vector.items():
            if isinstance(vec, list):
                vectors[name] = np.asarray(vec, dtype=np.float32)
    return Hit(id=str(point_id), score=float(score), payload=payload or {}, vectors=vectors)


def group_variants_of(hits: Sequence[Hit], limit: int) -> list[Hit]:
    """Keep the best hit of each `variant_group` in rank order; later ones become its variants."""
    leaders: dict[str, int] = {}
    grouped: list[tuple[Hit, list[Hit]]] = []
    for hit in hits:
        key = hit.payload.get(VARIANT_GROUP) or hit.id  # older points: each its own group
        if key in leaders:
            variants = grouped[leaders[key]][1]
            if len(variants) < VARIANTS_SHOWN:
                variants.append(hit)
            continue
        if len(grouped) < limit:
            leaders[key] = len(grouped)
            grouped.append((hit, []))
    return [replace(leader, variants=tuple(variants)) for leader, variants in grouped]


def second_process_message(path: Path) -> str:
    return (
        f"The embedded vector store at {path} is in use by another process (embedded engines "
        "are single-process). Stop the other `aisle` process, import through the running "
        "server's API, or run a Qdrant server and set AISLE_QDRANT_URL."
    )
