"""Search latency and throughput: in-process and over HTTP, 1 and N concurrent clients.

    python benchmarks/ingest.py --products 10000 --keep /tmp/aisle-bench-10k
    python benchmarks/search.py --data-dir /tmp/aisle-bench-10k --out benchmarks/results/search-10k.json

Without `--data-dir` it first builds a fresh index of `--products` synthetic products (that
embeds every product again: minutes at 10k on a small CPU). The data dir remembers the vector
engine it was built with (`ingest.py --engine`).

Modes, each over a seeded shuffled mix of the benchmark queries:
  dense           the sentence-model retriever alone (English queries only: it reads English)
  lexical         the sparse retrievers alone: Kiwi morphemes + character n-grams
  hybrid          what the API runs: lexical + n-grams + all-MiniLM-L6-v2 for English queries
                  (Korean queries stay sparse: the sentence model reads English only)
  hybrid+filters  hybrid with a shopper filter set (category prefix, price, stock, brand)

In-process calls backend.search.service.search with a fresh DB session per query, as the
API's request scope does, from 1 thread and then from `--clients` threads at once.

HTTP starts the real server (`aisle serve`, one process: the embedded engine is
single-process) on 127.0.0.1 and drives `POST /v1/search` from this process with an asyncio
client holding 1, then `--clients`, requests in flight (keep-alive). The in-process runtime
is closed first, so the server owns the store. Warm-up queries are excluded everywhere.
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
import asyncio
import cProfile
import json
import os
import pstats
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
from _common import (
    Stopwatch,
    free_port,
    load_average,
    machine_info,
    percentiles,
    set_torch_threads,
    table,
    write_json,
)
from ingest import META_FILE, make_settings
from ingest import run as build_index
from synthetic import DEFAULT_SEED, FILTER_SETS, QUERIES, QUERIES_EN

from backend.db import session_scope
from backend.runtime import Runtime
from backend.search.schemas import Filters, SearchRequest
from backend.search.service import search
from recommender import retrieval
from recommender.encoders import EncoderConfig, Encoders
from recommender.index import ENGINES
from recommender.lexical import detect_language
from recommender.retrieval import HybridRetriever

MODES = ("dense", "lexical", "hybrid", "hybrid+filters")
HTTP_MODES = ("hybrid", "hybrid+filters")
PARTS = ("lexical_query", "ngram_query", "semantic_encode", "qdrant_query")

Workload = list[tuple[str, dict[str, Any]]]


def workload(mode: str, n: int, seed: int) -> Workload:
    """`n` (query, filters) pairs: every query in turn, in a seeded order, cycled."""
    rng = random.Random(f"{seed}-{mode}")
    order = list(QUERIES_EN if mode == "dense" else QUERIES)
    out: Workload = []
    while len(out) < n:
        rng.shuffle(order)
        out.extend((q, {}) for q in order)
    out = out[:n]
    if mode == "hybrid+filters":
        out = [(q, FILTER_SETS[i % len(FILTER_SETS)]) for i, (q, _) in enumerate(out)]
    return out


def use_mode(rt: Runtime, mode: str) -> None:
    """Make `rt.retriever()` (called per search) dense-only, lexical-only or the normal one."""
    if "retriever" in vars(rt):
        del rt.retriever  # back to Runtime.retriever
    if mode == "dense":
        rt.retriever = lambda: HybridRetriever(  # type: ignore[method-assign]
            rt.index, rt.encoders, prefetch_limit=rt.settings.prefetch_limit,
            group_variants=rt.settings.group_variants, sparse=False)
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


def measure_concurrent(name: str, call: Callable[[str, dict[str, Any]], int], work: Workload,
                       clients: int, max_seconds: float) -> dict[str, Any]:
    """`clients` threads each take the next query as soon as their last one returns."""
    queue = iter(work)
    lock = threading.Lock()
    latencies: list[tuple[str, float]] = []
    results: list[int] = []
    started = time.perf_counter()

    def client() -> None:
        while time.perf_counter() - started < max_seconds:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            t0 = time.perf_counter()
            found = call(*item)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append((detect_language(item[0]), elapsed))
                results.append(found)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _concurrent_summary(name, clients, latencies, results, time.perf_counter() - started)


def _concurrent_summary(name: str, clients: int, latencies: list[tuple[str, float]],
                        results: list[int], wall_s: float) -> dict[str, Any]:
    by_lang: dict[str, list[float]] = defaultdict(list)
    for lang, sec in latencies:
        by_lang[lang].append(sec)
    summary = {
        "clients": clients,
        "all": percentiles([sec for _, sec in latencies], wall_s),
        **{lang: percentiles(v) for lang, v in sorted(by_lang.items())},
        "mean_results": round(sum(results) / max(len(results), 1), 2),
        "zero_result_queries": sum(1 for r in results if r == 0),
    }
    a = summary["all"]
    print(f"  {name:<16} {clients} clients  p50 {a['p50_ms']:7.1f} ms  p95 {a['p95_ms']:7.1f} ms  "
          f"p99 {a['p99_ms']:7.1f} ms  {a['qps']:6.1f} req/s  (n={a['n']})", file=sys.stderr)
    return summary


async def _http_load(base_url: str, key: str, work: Workload, clients: int, limit: int,
                     max_seconds: float) -> tuple[list[tuple[str, float]], list[int], float]:
    queue = iter(work)
    latencies: list[tuple[str, float]] = []
    results: list[int] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits,
                                 headers={"Authorization": f"Bearer {key}"}) as client:
        started = time.perf_counter()

        async def one_client() -> None:
            while time.perf_counter() - started < max_seconds:
                item = next(queue, None)
                if item is None:
                    return
                query, filters = item
                t0 = time.perf_counter()
                resp = await client.post("/v1/search", json={"query": query, "filters": filters,
                                                             "limit": limit})
                resp.raise_for_status()
                latencies.append((detect_language(query), time.perf_counter() - t0))
                results.append(len(resp.json()["results"]))

        await asyncio.gather(*(one_client() for _ in range(clients)))
        return latencies, results, time.perf_counter() - started


def http_measure(name: str, base_url: str, key: str, work: Workload, warmup: int, clients: int,
                 limit: int, max_seconds: float) -> dict[str, Any]:
    asyncio.run(_http_load(base_url, key, work[:warmup], 1, limit, max_seconds))
    latencies, results, wall = asyncio.run(
        _http_load(base_url, key, work[warmup:], clients, limit, max_seconds))
    return _concurrent_summary(name, clients, latencies, results, wall)


@contextmanager
def served(data_dir: Path, meta: dict[str, Any], torch_threads: int | None,
           query_cache: int) -> Iterator[str]:
    """`aisle serve` on a free 127.0.0.1 port over the benchmark's data dir; yields its URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISLE_")}
    env.update({"AISLE_DATA_DIR": str(data_dir.resolve()), "AISLE_DEVICE": "cpu",
                "AISLE_INDEX_ENGINE": meta.get("engine") or "qdrant-local",
                "AISLE_SEMANTIC_QUERY_CACHE_SIZE": str(query_cache)})
    if meta.get("qdrant_url"):
        env["AISLE_QDRANT_URL"] = meta["qdrant_url"]
    if torch_threads:
        env["AISLE_TORCH_THREADS"] = str(torch_threads)
    aisle = Path(sys.executable).with_name("aisle")
    log = (data_dir / "serve.log").open("w")
    proc = subprocess.Popen([str(aisle), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=data_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"aisle serve exited; see {data_dir / 'serve.log'}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"aisle serve not ready after 120 s; see {data_dir / 'serve.log'}")
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def run(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    meta = json.loads((data_dir / META_FILE).read_text())
    merchant_id, client_key = meta["merchant_id"], meta["client_key"]
    engine = meta.get("engine") or "qdrant-local"  # data dirs from before --engine existed
    setup: dict[str, float] = {}
    started = time.perf_counter()
    rt = Runtime.create(make_settings(data_dir, meta.get("qdrant_url"), engine, args.query_cache))
    rt.encoders.preload()
    setup["model_load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    points = rt.index.count(merchant_id)  # local mode reads every point into memory on open
    setup["index_open_s"] = time.perf_counter() - started

    watch = Stopwatch()
    sem = rt.encoders.semantic
    assert sem is not None
    watch.wrap(sem, "encode", "semantic_encode")
    watch.wrap(rt.encoders.lexical, "query_vector", "lexical_query")
    watch.wrap(rt.index, "query", "qdrant_query")
    watch.wrap(retrieval, "ngram_vector", "ngram_query")  # char n-gram retriever, where present

    n = args.warmup + args.queries
    load_before = load_average()
    results: dict[str, dict[str, Any]] = {"in_process": {}, "in_process_concurrent": {},
                                          "http": {}, "http_concurrent": {}}
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
        for mode in () if args.skip_in_process else MODES:
            use_mode(rt, mode)
            results["in_process"][mode] = on_thread(measure, mode, local, workload(mode, n, args.seed),
                                                    args.warmup, watch, args.max_seconds)
        if args.clients > 1 and not args.skip_in_process:
            for mode in MODES:
                use_mode(rt, mode)
                work = workload(mode, n + args.queries * (args.clients - 1), args.seed)
                results["in_process_concurrent"][mode] = measure_concurrent(
                    mode, local, work[args.warmup:], args.clients, args.max_seconds)
        if args.profile and not args.skip_in_process:
            for mode, query in (("hybrid", "oil-free moisturizer for oily skin"),
                                ("lexical", "지성 피부 수분크림")):
                use_mode(rt, mode)
                prof[mode] = on_thread(profile, local, query, args.profile)
            use_mode(rt, "hybrid")
            prof["retriever_costs"] = on_thread(retriever_costs, rt, local,
                                                "oil-free moisturizer for oily skin", 3)
    finally:
        worker.shutdown()
        use_mode(rt, "hybrid")
        rt.close()
    if not args.skip_http:
        print("HTTP (POST /v1/search on 127.0.0.1, `aisle serve` in its own process):",
              file=sys.stderr)
        with served(data_dir, meta, args.torch_threads, args.query_cache) as url:
            for mode in HTTP_MODES:
                work = workload(mode, n, args.seed)
                results["http"][mode] = http_measure(mode, url, client_key, work, args.warmup, 1,
                                                     args.limit, args.max_seconds)
            if args.clients > 1:
                for mode in HTTP_MODES:
                    work = workload(mode, n + args.queries * (args.clients - 1), args.seed)
                    results["http_concurrent"][mode] = http_measure(
                        mode, url, client_key, work, args.warmup, args.clients, args.limit,
                        args.max_seconds)
    return {
        "benchmark": "search",
        "parameters": {"products": meta["products"], "points_in_index": points,
                       "queries_per_mode": args.queries, "warmup": args.warmup, "limit": args.limit,
                       "max_seconds_per_mode": args.max_seconds, "seed": args.seed,
                       "distinct_queries": len(QUERIES), "filter_sets": len(FILTER_SETS),
                       "prefetch_limit": rt.settings.prefetch_limit, "clients": args.clients,
                       "semantic_languages": sorted(rt.settings.semantic_languages),
                       "in_process_thread": args.in_process_thread,
                       "torch_threads": args.torch_threads or "default",
                       "query_vector_cache": args.query_cache,
                       "database": "sqlite",
                       "vectors": "qdrant-server" if meta.get("qdrant_url") else engine},
        "setup": {k: round(v, 3) for k, v in setup.items()},
        "load_average": {"before": load_before, "after": load_average()},
        "results": results,
        "profile": prof,
    }


def report(result: dict[str, Any]) -> None:
    p = result["parameters"]
    print(f"\nSearch over {p['points_in_index']:,} products, limit {p['limit']} "
          f"(SQLite + {p['vectors']}, CPU)\n")
    rows = []
    for transport, modes in result["results"].items():
        for mode, r in modes.items():
            for lang in ("all", "en", "ko"):
                if lang in r:
                    s = r[lang]
                    rows.append([transport, r.get("clients", 1), mode, lang, s["n"], s["p50_ms"],
                                 s["p95_ms"], s["p99_ms"], s.get("qps", ""),
                                 r["mean_results"] if lang == "all" else ""])
    print(table(["transport", "clients", "mode", "queries", "n", "p50 ms", "p95 ms", "p99 ms",
                 "req/s", "results"], rows))
    print("\nMean time per query by part (in-process; 'rest' = DB fetch, query parsing, reasons,"
          " session)\n")
    parts_rows = []
    for transport, modes in result["results"].items():
        for mode, r in modes.items():
            if "parts_mean_ms" not in r:
                continue  # concurrent and HTTP rounds are not split into parts
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
    parser.add_argument("--skip-in-process", action="store_true")
    parser.add_argument("--query-cache", type=int, default=0, metavar="N",
                        help="query-vector cache size (default 0: every query is encoded)")
    parser.add_argument("--clients", type=int, default=8,
                        help="concurrent clients for the second round (1: skip it)")
    parser.add_argument("--in-process-thread", choices=("worker", "main"), default="worker",
                        help="run in-process searches on a worker thread (as FastAPI does) or main")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None, help="write results as JSON here")
    parser.add_argument("--qdrant-url", default=None,
                        help="when building afresh: use this Qdrant server instead")
    parser.add_argument("--engine", choices=ENGINES, default="edge",
                        help="when building afresh: the embedded vector engine")
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
        index_run = build_index(args.products, args.seed, data_dir, None, args.qdrant_url,
                                args.engine)
        (data_dir / META_FILE).write_text(json.dumps(
            {"products": args.products, "seed": args.seed, "qdrant_url": args.qdrant_url,
             "engine": args.engine,
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
