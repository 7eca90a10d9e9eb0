"""Search latency benchmark: one client, in-process and over HTTP, three retrieval modes.

    python benchmarks/ingest.py --products 10000 --keep /tmp/aisle-bench-10k
    python benchmarks/search.py --data-dir /tmp/aisle-bench-10k --out benchmarks/results/search-10k.json

Without `--data-dir` it first builds a fresh index of `--products` synthetic products (that
embeds every product again: minutes at 10k on a small CPU).

Modes, each over the same shuffled mix of Korean and English queries:
  lexical         the sparse retrievers alone: Kiwi morphemes (+ character n-grams where the
                  code has that retriever), i.e. a HybridRetriever with no sentence model
  hybrid          what the API runs: lexical + all-MiniLM-L6-v2 for English queries
                  (Korean queries stay lexical-only: the sentence model reads English only)
  hybrid+filters  hybrid with a shopper filter set (category prefix, price, stock, brand)

In-process calls backend.search.service.search with a fresh DB session per query, as the
API's request scope does. HTTP serves backend.app.create_app(runtime=rt) with uvicorn in a
thread of this process (Qdrant local mode is single-process) and POSTs /v1/search on
127.0.0.1 with keep-alive. Warm-up queries are excluded from the figures.
"""

# ruff: noqa: E402  (sys.path is fixed before the imports; see below)
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this directory comes first on sys.path, where a sibling such as
# script named like a package (say `vision.py`) would shadow it (the editable install's finder
# runs after every sys.path entry). Put the repository root first, keep this directory
# (for `_common` and friends) last.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if p and Path(p).resolve() != _HERE] + [str(_HERE)]

import argparse
import cProfile
import json
import pstats
import random
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from _common import (
    AppServer,
    Stopwatch,
    load_average,
    machine_info,
    percentiles,
    set_torch_threads,
    table,
    write_json,
)
from ingest import META_FILE, make_settings
from ingest import run as build_index
from synthetic import DEFAULT_SEED, FILTER_SETS, QUERIES

from backend.app import create_app
from backend.db import session_scope
from backend.runtime import Runtime
from backend.search.schemas import Filters, SearchRequest
from backend.search.service import search
from recommender import retrieval
from recommender.encoders import EncoderConfig, Encoders
from recommender.lexical import detect_language
from recommender.retrieval import HybridRetriever

MODES = ("lexical", "hybrid", "hybrid+filters")
PARTS = ("lexical_query", "ngram_query", "semantic_encode", "qdrant_query")

Workload = list[tuple[str, dict[str, Any]]]


def workload(mode: str, n: int, seed: int) -> Workload:
    """`n` (query, filters) pairs: every query in turn, in a seeded order, cycled."""
    rng = random.Random(f"{seed}-{mode}")
    order = list(QUERIES)
    out: Workload = []
    while len(out) < n:
        rng.shuffle(order)
        out.extend((q, {}) for q in order)
    out = out[:n]
    if mode == "hybrid+filters":
        out = [(q, FILTER_SETS[i % len(FILTER_SETS)]) for i, (q, _) in enumerate(out)]
    return out


def use_mode(rt: Runtime, mode: str) -> None:
    """Make `rt.retriever()` (called per search) lexical-only or the normal hybrid one."""
    if "retriever" in vars(rt):
        del rt.retriever  # back to Runtime.retriever
    if mode == "lexical":
        lexical_only = Encoders(EncoderConfig(semantic_enabled=False), lexical=rt.encoders.lexical)
        rt.retriever = lambda: HybridRetriever(  # type: ignore[method-assign]
            rt.index, lexical_only, prefetch_limit=rt.settings.prefetch_limit)


def _summary(latencies: list[tuple[str, float]], wall_s: float, watch: Stopwatch,
             results: list[int]) -> dict[str, Any]:
    n = len(latencies)
    by_lang: dict[str, list[float]] = defaultdict(list)
    for lang, s in latencies:
        by_lang[lang].append(s)
    parts = {k: round(watch.totals[k] / n * 1000, 2) for k in PARTS}
    mean_ms = sum(s for _, s in latencies) / n * 1000
    parts["rest"] = round(mean_ms - sum(parts.values()), 2)
    return {
        "all": percentiles([s for _, s in latencies], wall_s),
        **{lang: percentiles(v) for lang, v in sorted(by_lang.items())},
        "parts_mean_ms": parts,
        "semantic_calls": watch.calls["semantic_encode"],
        "mean_results": round(sum(results) / n, 2),
        "zero_result_queries": sum(1 for r in results if r == 0),
    }


def measure(name: str, call: Callable[[str, dict[str, Any]], int], work: Workload, warmup: int,
            watch: Stopwatch, max_seconds: float) -> dict[str, Any]:
    for query, filters in work[:warmup]:
        call(query, filters)
    watch.reset()
    latencies: list[tuple[str, float]] = []
    results: list[int] = []
    started = time.perf_counter()
    for query, filters in work[warmup:]:
        t0 = time.perf_counter()
        results.append(call(query, filters))
        latencies.append((detect_language(query), time.perf_counter() - t0))
        if time.perf_counter() - started > max_seconds:
            print(f"  {name}: stopped after {len(latencies)} queries (--max-seconds)", file=sys.stderr)
            break
    summary = _summary(latencies, time.perf_counter() - started, watch, results)
    a = summary["all"]
    print(f"  {name:<28} p50 {a['p50_ms']:7.1f} ms  p95 {a['p95_ms']:7.1f} ms  "
          f"{a['qps']:6.1f} q/s  (n={a['n']})", file=sys.stderr)
    return summary


def in_process_call(rt: Runtime, merchant_id: str, limit: int) -> Callable[[str, dict[str, Any]], int]:
    def call(query: str, filters: dict[str, Any]) -> int:
        with session_scope(rt.engine) as session:
            req = SearchRequest(query=query, filters=Filters(**filters), limit=limit)
            return len(search(rt, session, merchant_id, req).results)

    return call


def http_call(client: httpx.Client, limit: int) -> Callable[[str, dict[str, Any]], int]:
    def call(query: str, filters: dict[str, Any]) -> int:
        resp = client.post("/v1/search", json={"query": query, "filters": filters, "limit": limit})
        resp.raise_for_status()
        return len(resp.json()["results"])

    return call


def _by_package(stats: pstats.Stats) -> dict[str, float]:
    """Own (tottime) seconds per top-level package: where the interpreter actually spent it."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "site-packages/" in filename:
            key = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif "/work/" in filename or filename.startswith(("backend", "recommender")):
            key = "aisle (backend, recommender)"
        elif filename == "~":
            key = "builtins: " + func.split(" of ")[0].strip("<>{}").removeprefix("built-in method ")
            key = key if tt > 0.001 else "builtins: other"
        else:
            key = "stdlib"
        totals[key] += tt
    return dict(sorted(((k, round(v, 4)) for k, v in totals.items() if v >= 0.0005),
                       key=lambda kv: -kv[1]))


def profile(call: Callable[[str, dict[str, Any]], int], query: str, repeat: int) -> dict[str, Any]:
    call(query, {})
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(repeat):
        call(query, {})
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]  # type: ignore[attr-defined]
    return {
        "query": query, "repeat": repeat, "profiled_ms_per_query": round(total / repeat * 1000, 2),
        "by_package_ms_per_query": {k: round(v / repeat * 1000, 2)
                                    for k, v in _by_package(stats).items()},
        "top_tottime": [
            {"function": f"{Path(fn).name}:{line}({func})", "ms_per_query": round(tt / repeat * 1000, 2),
             "calls_per_query": round(nc / repeat, 1)}
            for (fn, line, func), (_cc, nc, tt, _ct, _callers) in rows
        ],
    }


def retriever_costs(rt: Runtime, call: Callable[[str, dict[str, Any]], int], query: str,
                    repeat: int) -> dict[str, Any]:
    """Qdrant time of each retriever alone: capture one real fused query, re-run its parts."""
    index = rt.index
    captured: list[tuple[Any, ...]] = []
    original = index.query

    def capture(merchant_id: str, prefetches: Any, filters: Any, **kw: Any) -> Any:
        captured.append((merchant_id, list(prefetches), filters, kw))
        return original(merchant_id, prefetches, filters, **kw)

    index.query = capture  # type: ignore[method-assign]
    try:
        call(query, {})
    finally:
        index.query = original  # type: ignore[method-assign]
    merchant_id, prefetches, filters, kw = captured[0]

    def median_ms(pfs: list[Any]) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            original(merchant_id, pfs, filters, **kw)
            times.append(time.perf_counter() - started)
        return round(sorted(times)[len(times) // 2] * 1000, 1)

    costs = {str(getattr(p, "using", i)): median_ms([p]) for i, p in enumerate(prefetches)}
    costs["all fused"] = median_ms(prefetches)
    return {"query": query, "repeat": repeat, "median_ms": costs}


def run(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    meta = json.loads((data_dir / META_FILE).read_text())
    merchant_id, client_key = meta["merchant_id"], meta["client_key"]
    setup: dict[str, float] = {}
    started = time.perf_counter()
    rt = Runtime.create(make_settings(data_dir, meta.get("qdrant_url")))
    rt.encoders.preload()
    setup["model_load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    points = rt.index.count(merchant_id)  # local mode reads every point into memory on open
    setup["qdrant_open_s"] = time.perf_counter() - started

    watch = Stopwatch()
    sem = rt.encoders.semantic
    assert sem is not None
    watch.wrap(sem, "encode", "semantic_encode")
    watch.wrap(rt.encoders.lexical, "query_vector", "lexical_query")
    watch.wrap(rt.index, "query", "qdrant_query")
    watch.wrap(retrieval, "ngram_vector", "ngram_query")  # char n-gram retriever, where present

    n = args.warmup + args.queries
    load_before = load_average()
    results: dict[str, dict[str, Any]] = {"in_process": {}, "http": {}}
    prof: dict[str, Any] = {}
    # FastAPI runs the sync search endpoint on a worker thread, so in-process calls run on
    # one too; `--in-process-thread main` runs them on the main thread instead (see docs).
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bench")

    def on_thread(fn: Callable[..., Any], *fn_args: Any) -> Any:
        return fn(*fn_args) if args.in_process_thread == "main" else worker.submit(fn, *fn_args).result()

    try:
        print(f"in-process (backend.search.service.search, {args.in_process_thread} thread):",
              file=sys.stderr)
        local = in_process_call(rt, merchant_id, args.limit)
        for mode in MODES:
            use_mode(rt, mode)
            results["in_process"][mode] = on_thread(measure, mode, local, workload(mode, n, args.seed),
                                                    args.warmup, watch, args.max_seconds)
        if args.profile:
            for mode, query in (("hybrid", "oil-free moisturizer for oily skin"),
                                ("lexical", "지성 피부 수분크림")):
                use_mode(rt, mode)
                prof[mode] = on_thread(profile, local, query, args.profile)
            use_mode(rt, "hybrid")
            prof["retriever_costs"] = on_thread(retriever_costs, rt, local,
                                                "oil-free moisturizer for oily skin", 3)
        if not args.skip_http:
            print("HTTP (POST /v1/search on 127.0.0.1, uvicorn in-process):", file=sys.stderr)
            with AppServer(create_app(runtime=rt)) as server, httpx.Client(
                base_url=f"http://127.0.0.1:{server.port}", timeout=60,
                headers={"Authorization": f"Bearer {client_key}"},
            ) as client:
                remote = http_call(client, args.limit)
                for mode in MODES:
                    use_mode(rt, mode)
                    results["http"][mode] = measure(mode, remote, workload(mode, n, args.seed),
                                                    args.warmup, watch, args.max_seconds)
    finally:
        worker.shutdown()
        use_mode(rt, "hybrid")
        rt.close()
    return {
        "benchmark": "search",
        "parameters": {"products": meta["products"], "points_in_index": points,
                       "queries_per_mode": args.queries, "warmup": args.warmup, "limit": args.limit,
                       "max_seconds_per_mode": args.max_seconds, "seed": args.seed,
                       "distinct_queries": len(QUERIES), "filter_sets": len(FILTER_SETS),
                       "prefetch_limit": rt.settings.prefetch_limit, "clients": 1,
                       "semantic_languages": sorted(rt.settings.semantic_languages),
                       "in_process_thread": args.in_process_thread,
                       "torch_threads": args.torch_threads or "default",
                       "database": "sqlite",
                       "vectors": "qdrant-server" if meta.get("qdrant_url") else "qdrant-local"},
        "setup": {k: round(v, 3) for k, v in setup.items()},
        "load_average": {"before": load_before, "after": load_average()},
        "results": results,
        "profile": prof,
    }


def report(result: dict[str, Any]) -> None:
    p = result["parameters"]
    print(f"\nSearch over {p['points_in_index']:,} products, 1 client, limit {p['limit']} "
          f"(SQLite + {p['vectors']}, CPU)\n")
    rows = []
    for transport, modes in result["results"].items():
        for mode, r in modes.items():
            for lang in ("all", "en", "ko"):
                if lang in r:
                    s = r[lang]
                    rows.append([transport, mode, lang, s["n"], s["p50_ms"], s["p95_ms"], s["p99_ms"],
                                 s.get("qps", ""), r["mean_results"] if lang == "all" else ""])
    print(table(["transport", "mode", "queries", "n", "p50 ms", "p95 ms", "p99 ms", "QPS", "results"],
                rows))
    print("\nMean time per query by part (in-process; 'rest' = DB fetch, query parsing, reasons,"
          " session)\n")
    parts_rows = []
    for transport, modes in result["results"].items():
        for mode, r in modes.items():
            parts = r["parts_mean_ms"]
            parts_rows.append([transport, mode, r["all"]["mean_ms"], *(parts[k] for k in (*PARTS, "rest"))])
    print(table(["transport", "mode", "mean ms", *PARTS, "rest"], parts_rows))
    costs = result["profile"].get("retriever_costs")
    if costs:
        print(f"\nQdrant time per retriever alone, query {costs['query']!r} (median of {costs['repeat']}): "
              + ", ".join(f"{k} {v} ms" for k, v in costs["median_ms"].items()))
    for mode, prof in result["profile"].items():
        if mode == "retriever_costs":
            continue
        print(f"\ncProfile, {mode} query {prof['query']!r}: {prof['profiled_ms_per_query']} ms/query "
              "under the profiler; own time by package (ms/query):")
        for pkg, ms in list(prof["by_package_ms_per_query"].items())[:8]:
            print(f"  {ms:8.2f}  {pkg}")
    print(f"\nsetup: {result['setup']}; load average before/after "
          f"{result['load_average']['before']} / {result['load_average']['after']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000, help="index size when building afresh")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="reuse a data dir built by `ingest.py --keep DIR`")
    parser.add_argument("--queries", type=int, default=300, help="measured queries per mode")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured queries first, per mode")
    parser.add_argument("--limit", type=int, default=10, help="results per search")
    parser.add_argument("--max-seconds", type=float, default=30.0,
                        help="stop a mode's measured loop after this long (keeps the run to minutes)")
    parser.add_argument("--profile", type=int, default=5, metavar="N",
                        help="cProfile N repeats of one query per mode (0: skip)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--in-process-thread", choices=("worker", "main"), default="worker",
                        help="run in-process searches on a worker thread (as FastAPI does) or main")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None, help="write results as JSON here")
    parser.add_argument("--qdrant-url", default=None,
                        help="when building afresh: use this Qdrant server instead of local mode")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch intra-op threads (default: torch's own choice)")
    args = parser.parse_args()
    set_torch_threads(args.torch_threads)

    if args.data_dir:
        if not (args.data_dir / META_FILE).exists():
            parser.error(f"{args.data_dir} has no {META_FILE}: build it with ingest.py --keep")
        data_dir, temporary = args.data_dir, False
    else:
        data_dir, temporary = Path(tempfile.mkdtemp(prefix="aisle-bench-")), True
        print(f"building an index of {args.products:,} products in {data_dir} first...", file=sys.stderr)
        index_run = build_index(args.products, args.seed, data_dir, None, args.qdrant_url)
        (data_dir / META_FILE).write_text(json.dumps(
            {"products": args.products, "seed": args.seed, "qdrant_url": args.qdrant_url,
             "built_with": machine_info()["git"], **index_run["_keys"]}))
    machine = machine_info()
    built = json.loads((data_dir / META_FILE).read_text()).get("built_with")
    try:
        result = run(args, data_dir)
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    result["machine"] = machine
    result["index_built_with"] = built
    report(result)
    if built and not temporary and built.get("commit") != machine["git"]["commit"]:
        print(f"\nwarning: the index was built at commit {built.get('commit')}, this run is at "
              f"{machine['git']['commit']}; rebuild it if the results look wrong", file=sys.stderr)
    empty = [f"{t}/{m}" for t, modes in result["results"].items() for m, r in modes.items()
             if r["mean_results"] == 0]
    if empty:
        print(f"\nwarning: no results at all in {empty}: is the index stale for this code? "
              "Rebuild it with ingest.py --keep.", file=sys.stderr)
    if args.out:
        write_json(args.out, result)


if __name__ == "__main__":
    main()
