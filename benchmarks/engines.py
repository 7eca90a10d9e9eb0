"""The two embedded vector engines side by side on the same points and the same queries.

    python benchmarks/ingest.py --products 100000 --keep /tmp/aisle-bench-100k
    python benchmarks/engines.py --data-dir /tmp/aisle-bench-100k \
        --out benchmarks/results/engines-100k.json

Reads every point (vectors and payload) of a data dir built with the edge engine, copies
them into qdrant-client's local mode in memory (the same Python engine as its on-disk local
mode, without the SQLite persistence that makes loading 100k points take most of an hour),
and runs the same `HybridRetriever` queries against both: the engine call alone, with the
query vectors computed once beforehand, so the numbers compare engines, not the encoder.

Modes: dense (sentence-model prefetch only, English queries), hybrid (what the API runs),
hybrid+filters (hybrid with the benchmark's shopper filter sets). Each engine gets the same
seeded query order; a mode stops after `--max-seconds` of measured queries.
"""

# ruff: noqa: E402  (sys.path is fixed before the imports; see search.py)
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if p and Path(p).resolve() != _HERE] + [str(_HERE)]

import argparse
import json
import time
from typing import Any

from _common import load_average, machine_info, percentiles, table, write_json
from ingest import META_FILE, make_settings
from qdrant_client import QdrantClient
from search import workload
from sqlmodel import col, select
from synthetic import DEFAULT_SEED

from backend.db import session_scope
from backend.models import Product
from backend.runtime import Runtime
from backend.search.schemas import Filters
from backend.search.service import to_search_filters
from recommender.index import Hit, Prefetch, ProductIndex, SearchFilters
from recommender.lexical import detect_language
from recommender.qdrant_index import QdrantIndex
from recommender.query import parse_query
from recommender.retrieval import HybridRetriever

MODES = ("dense", "hybrid", "hybrid+filters")
COPY_BATCH = 512


def engine_requests(rt: Runtime, merchant_id: str, mode: str, n: int,
                    seed: int) -> list[tuple[str, tuple[Any, ...]]]:
    """The exact fused queries the API would send for `n` benchmark queries of `mode`,
    captured at `fused_query` (shadowed on the instance) without running them."""
    index = rt.index
    calls: list[tuple[str, list[Prefetch], SearchFilters, dict[str, Any]]] = []

    def capture(merchant_id: str, prefetches: Any, filters: SearchFilters, *, limit: int,
                prefetch_limit: int, with_vectors: Any) -> list[Hit]:
        calls.append((merchant_id, list(prefetches), filters,
                      {"limit": limit, "prefetch_limit": prefetch_limit,
                       "with_vectors": list(with_vectors)}))
        return []

    retriever = HybridRetriever(index, rt.encoders, prefetch_limit=rt.settings.prefetch_limit,
                                group_variants=rt.settings.group_variants,
                                sparse=mode != "dense")
    out = []
    index.fused_query = capture  # type: ignore[method-assign]
    try:
        for query, raw_filters in workload(mode, n, seed):
            intent = parse_query(query)
            filters = to_search_filters(Filters(**raw_filters), price_min=intent.price_min,
                                        price_max=intent.price_max, in_stock=intent.in_stock)
            before = len(calls)
            retriever.retrieve(merchant_id, intent.search_text or query, intent.language,
                               filters, limit=10)
            if len(calls) > before:
                out.append((query, calls[-1]))
    finally:
        del index.fused_query  # back to the engine's method
    return out


def copy_points(rt: Runtime, target: QdrantIndex, dims: dict[str, int]) -> tuple[int, float]:
    """Every point of the edge shard into `target`, by the product ids in the database."""
    from recommender.index import IndexPoint
    from recommender.lexical import SparseVec

    target.ensure_collection(dims)
    with session_scope(rt.engine) as session:
        ids = list(session.exec(select(Product.id).order_by(col(Product.id))).all())
    source = rt.index
    assert hasattr(source, "shard"), "build the data dir with the edge engine"
    started = time.perf_counter()
    copied = 0
    for start in range(0, len(ids), COPY_BATCH):
        records = source.shard.retrieve(ids[start : start + COPY_BATCH], with_payload=True,
                                        with_vector=True)
        points = []
        for r in records:
            dense = {k: list(v) for k, v in r.vector.items() if isinstance(v, list)}
            sparse = {k: SparseVec(list(v.indices), list(v.values))
                      for k, v in r.vector.items() if not isinstance(v, list)}
            payload = dict(r.payload or {})
            payload["in_stock"] = bool(payload.get("in_stock"))  # edge stores 0/1
            points.append(IndexPoint(str(r.id), payload, dense, sparse))
        target.upsert(points)
        copied += len(points)
    return copied, time.perf_counter() - started


def measure(index: ProductIndex, requests: list[tuple[str, tuple[Any, ...]]], warmup: int,
            max_seconds: float) -> dict[str, Any]:
    for _, (merchant_id, prefetches, filters, kw) in requests[:warmup]:
        index.query(merchant_id, prefetches, filters, limit=10,
                    prefetch_limit=kw["prefetch_limit"], with_vectors=kw["with_vectors"],
                    group_variants=True)
    latencies: list[float] = []
    by_lang: dict[str, list[float]] = {}
    results: list[int] = []
    started = time.perf_counter()
    for query, (merchant_id, prefetches, filters, kw) in requests[warmup:]:
        t0 = time.perf_counter()
        hits = index.query(merchant_id, prefetches, filters, limit=10,
                           prefetch_limit=kw["prefetch_limit"], with_vectors=kw["with_vectors"],
                           group_variants=True)
        elapsed = time.perf_counter() - t0
        latencies.append(elapsed)
        by_lang.setdefault(detect_language(query), []).append(elapsed)
        results.append(len(hits))
        if time.perf_counter() - started > max_seconds:
            break
    return {"all": percentiles(latencies, time.perf_counter() - started),
            **{lang: percentiles(v) for lang, v in sorted(by_lang.items())},
            "mean_results": round(sum(results) / max(len(results), 1), 2)}


def overlap(a: ProductIndex, b: ProductIndex,
            requests: list[tuple[str, tuple[Any, ...]]], k: int = 10) -> float:
    """Mean share of engine A's top-k that engine B also returns: same ranking, not just fast."""
    shares = []
    for _, (merchant_id, prefetches, filters, kw) in requests[:30]:
        args = (merchant_id, prefetches, filters)
        opts = {"limit": k, "prefetch_limit": kw["prefetch_limit"], "group_variants": True}
        ids_a = {h.id for h in a.query(*args, **opts)}
        ids_b = {h.id for h in b.query(*args, **opts)}
        if ids_a:
            shares.append(len(ids_a & ids_b) / len(ids_a))
    return round(sum(shares) / max(len(shares), 1), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="a data dir built by `ingest.py --engine edge --keep DIR`")
    parser.add_argument("--queries", type=int, default=200, help="measured queries per mode")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, default=30.0)
    parser.add_argument("--skip-local", action="store_true", help="measure the edge engine only")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    meta = json.loads((args.data_dir / META_FILE).read_text())
    if meta.get("engine") != "edge":
        parser.error("the data dir must be built with --engine edge")
    machine = machine_info()
    rt = Runtime.create(make_settings(args.data_dir, None, "edge"))
    rt.encoders.preload()
    merchant_id = meta["merchant_id"]
    load_before = load_average()
    requests = {mode: engine_requests(rt, merchant_id, mode, args.warmup + args.queries, args.seed)
                for mode in MODES}
    results: dict[str, dict[str, Any]] = {"edge": {}, "qdrant-local": {}}
    setup: dict[str, Any] = {"points": rt.index.count(merchant_id)}
    try:
        for mode in MODES:
            results["edge"][mode] = measure(rt.index, requests[mode], args.warmup, args.max_seconds)
            print(f"  edge          {mode:<15} p50 {results['edge'][mode]['all']['p50_ms']:8.2f} ms",
                  file=sys.stderr)
        if not args.skip_local:
            local = QdrantIndex(QdrantClient(":memory:"), "copy", local=True)
            copied, seconds = copy_points(rt, local, rt.encoders.vector_dims())
            setup.update({"local_copy_points": copied, "local_copy_s": round(seconds, 1)})
            for mode in MODES:
                results["qdrant-local"][mode] = measure(local, requests[mode], args.warmup,
                                                        args.max_seconds)
                print(f"  qdrant-local  {mode:<15} p50 "
                      f"{results['qdrant-local'][mode]['all']['p50_ms']:8.2f} ms", file=sys.stderr)
            setup["top10_overlap_hybrid_filters"] = overlap(rt.index, local,
                                                            requests["hybrid+filters"])
            setup["top10_overlap_hybrid"] = overlap(rt.index, local, requests["hybrid"])
            local.close()
    finally:
        rt.close()
    result = {"benchmark": "engines", "parameters": {
        "products": meta["products"], "queries_per_mode": args.queries, "warmup": args.warmup,
        "max_seconds_per_mode": args.max_seconds, "seed": args.seed, "limit": 10,
        "prefetch_limit": rt.settings.prefetch_limit, "group_variants": True,
        "measured": "ProductIndex.query only (query vectors computed beforehand)"},
        "setup": setup, "load_average": {"before": load_before, "after": load_average()},
        "results": results, "machine": machine}
    rows = [[engine, mode, r["all"]["n"], r["all"]["p50_ms"], r["all"]["p95_ms"], r["all"]["p99_ms"],
             r["all"]["qps"], r["mean_results"]]
            for engine, modes in results.items() for mode, r in modes.items()]
    print(f"\nEngine call alone over {setup['points']:,} products (one client)\n")
    print(table(["engine", "mode", "n", "p50 ms", "p95 ms", "p99 ms", "QPS", "results"], rows))
    print(f"\nsetup: {setup}")
    if args.out:
        write_json(args.out, result)


if __name__ == "__main__":
    main()
