"""Catalog ingest benchmark: import (parse, validate, DB upsert) and indexing (embed, upsert).

Runs the embedded default deployment in a fresh data dir (SQLite, the embedded vector engine,
in-process tasks), exactly as `aisle import FILE` does it, with each phase timed apart:

    python benchmarks/ingest.py --products 10000 --out benchmarks/results/ingest-10k.json
    python benchmarks/ingest.py --products 10000 --keep /tmp/aisle-bench-10k   # for search.py
    python benchmarks/ingest.py --products 10000 --engine qdrant-local   # the old embedded engine

Model loading (Kiwi, all-MiniLM-L6-v2, the first encode) and opening Qdrant are timed apart
and excluded from the throughput figures.
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
import json
import shutil
import tempfile
import time
from typing import Any

from _common import Stopwatch, load_average, machine_info, set_torch_threads, table, write_json
from sqlalchemy import func
from sqlmodel import select
from synthetic import DEFAULT_SEED, write_jsonl

from backend.catalog import importer
from backend.catalog.ingest import ingest_products
from backend.db import session_scope
from backend.merchants.service import create_merchant
from backend.models import ImportJob, IndexState, Product
from backend.runtime import Runtime
from backend.settings import Settings
from recommender import indexing
from recommender.index import ENGINES

MERCHANT = "bench"
META_FILE = "bench.json"


def make_settings(data_dir: Path, qdrant_url: str | None = None,
                  engine: str = "edge", query_cache: int = 0) -> Settings:
    """Embedded defaults (unless a Qdrant server URL is given); the environment and any `.env`
    are ignored on purpose. The query-vector cache is off unless asked for: the benchmark
    cycles a few dozen queries, which a cache would turn into lookups."""
    return Settings(_env_file=None, data_dir=data_dir, database_url=None, qdrant_url=qdrant_url,
                    index_engine=engine, broker_url=None, clip_model=None, clip_weights=None,
                    semantic_enabled=True, device="cpu", semantic_query_cache_size=query_cache)


def vectors_label(qdrant_url: str | None, engine: str) -> str:
    return "qdrant-server" if qdrant_url else engine


def _job_counts(rt: Runtime, job_id: str) -> dict[str, int]:
    with session_scope(rt.engine) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        return {"total_rows": job.total_rows, "created": job.created, "updated": job.updated,
                "unchanged": job.unchanged, "failed": job.failed}


def _import(rt: Runtime, merchant_id: str, path: Path) -> tuple[list[str], dict[str, int]]:
    """What `aisle import` does before indexing: copy the file, then run the import job."""
    with session_scope(rt.engine) as session:
        job = importer.create_job(session, rt, merchant_id, filename=path.name, source=path)
    changed = importer.run_import(rt, job.id, enqueue=False)
    return changed, _job_counts(rt, job.id)


def run(products: int, seed: int, data_dir: Path, batch_size: int | None,
        qdrant_url: str | None = None, engine: str = "edge") -> dict[str, Any]:
    settings = make_settings(data_dir, qdrant_url, engine)
    if batch_size:
        settings.index_batch_size = batch_size
    timings: dict[str, float] = {}

    started = time.perf_counter()
    catalog = write_jsonl(data_dir / f"catalog-{products}.jsonl", products, seed)
    timings["generate_catalog_s"] = time.perf_counter() - started

    started = time.perf_counter()
    rt = Runtime.create(settings)
    timings["create_runtime_and_migrate_s"] = time.perf_counter() - started
    try:
        started = time.perf_counter()
        rt.encoders.preload()  # Kiwi and all-MiniLM-L6-v2
        sem = rt.encoders.semantic
        assert sem is not None
        sem.encode(["warm-up", "첫 호출"])  # first call pays one-off lazy initialisation
        rt.encoders.lexical.document_vector([("warm-up 워밍업", 1.0)])
        timings["model_load_s"] = time.perf_counter() - started
        started = time.perf_counter()
        _ = rt.index
        timings["qdrant_open_s"] = time.perf_counter() - started

        with session_scope(rt.engine) as session:
            merchant, admin_key, client_key = create_merchant(session, MERCHANT)
            merchant_id = merchant.id

        phases = Stopwatch()
        load_before = load_average()
        # (a) import: parse + validate + content hash + DB upsert, in 200-row commits.
        with phases.time("import"):
            changed, first_counts = _import(rt, merchant_id, catalog)

        # (b) indexing: what `aisle import` does next, batch by batch, with its parts timed.
        watch = Stopwatch()
        watch.wrap(sem, "encode", "semantic_encode")
        watch.wrap(rt.encoders.lexical, "document_vector", "lexical_kiwi")
        watch.wrap(rt.encoders.lexical, "terms", "lexical_kiwi")
        watch.wrap(rt.index, "upsert", "qdrant_upsert")
        watch.wrap(indexing, "ngram_vector", "ngram_vectors")  # char n-gram sparse vectors, if any
        size = settings.index_batch_size
        batch_s: list[float] = []
        upsert_s: list[float] = []
        started = time.perf_counter()
        with phases.time("index"):
            for start in range(0, len(changed), size):
                t0, u0 = time.perf_counter(), watch.totals["qdrant_upsert"]
                ingest_products(rt, changed[start : start + size])
                batch_s.append(time.perf_counter() - t0)
                upsert_s.append(watch.totals["qdrant_upsert"] - u0)
                done = min(start + size, len(changed))
                if len(batch_s) % 20 == 0 or done == len(changed):
                    print(f"  indexed {done:>7,}/{len(changed):,}  "
                          f"{done / (time.perf_counter() - started):6.1f} items/s", file=sys.stderr)
        # (b') HNSW graphs for what was written (`aisle import` does this at the end; a Qdrant
        # server does it in the background, local mode has none).
        with phases.time("optimize"):
            optimized = rt.index.optimize()
        index_s = phases.totals["index"]
        parts = dict(watch.totals)
        parts["db_and_other"] = index_s - sum(parts.values())
        parts_cpu = dict(watch.cpu)
        parts_cpu["db_and_other"] = phases.cpu["index"] - sum(parts_cpu.values())

        # (c) re-import of the same file: every row unchanged, nothing to index.
        with phases.time("reimport"):
            rechanged, second_counts = _import(rt, merchant_id, catalog)
        load_after = load_average()
        import_s, reimport_s = phases.totals["import"], phases.totals["reimport"]

        indexed_points = rt.index.count(merchant_id)
        with session_scope(rt.engine) as session:
            states = {s.value: session.exec(select(func.count()).select_from(Product).where(
                Product.index_state == s)).one() for s in IndexState}
    finally:
        rt.close()

    def rate(n: int, s: float) -> float:
        return round(n / s, 1) if s else 0.0

    n_changed = len(changed)
    return {
        "benchmark": "ingest",
        "parameters": {"products": products, "seed": seed, "index_batch_size": settings.index_batch_size,
                       "import_chunk_rows": importer.CHUNK_ROWS,
                       "semantic_model": "/".join(sem.path.parts[-2:]),
                       "semantic_languages": sorted(settings.semantic_languages),
                       "clip": False, "database": "sqlite",
                       "vectors": vectors_label(qdrant_url, engine),
                       "catalog_bytes": catalog.stat().st_size},
        "setup": {k: round(v, 3) for k, v in timings.items()},
        "load_average": {"before": load_before, "after": load_after},
        "results": {
            "import": {"seconds": round(import_s, 3), "items_per_s": rate(products, import_s),
                       "cpu_s": round(phases.cpu["import"], 3), "counts": first_counts,
                       "changed": n_changed},
            "index": {"seconds": round(index_s, 3), "items_per_s": rate(n_changed, index_s),
                      "cpu_s": round(phases.cpu["index"], 3), "batches": len(batch_s),
                      "parts_s": {k: round(v, 3) for k, v in parts.items()},
                      "parts_cpu_s": {k: round(v, 3) for k, v in parts_cpu.items()},
                      "parts_share": {k: round(v / index_s, 3) for k, v in parts.items()},
                      "batch_s_first10_mean": round(sum(batch_s[:10]) / max(len(batch_s[:10]), 1), 4),
                      "batch_s_last10_mean": round(sum(batch_s[-10:]) / max(len(batch_s[-10:]), 1), 4),
                      "upsert_s_first10_mean": round(sum(upsert_s[:10]) / max(len(upsert_s[:10]), 1), 4),
                      "upsert_s_last10_mean": round(sum(upsert_s[-10:]) / max(len(upsert_s[-10:]), 1),
                                                    4)},
            "optimize": {"seconds": round(phases.totals["optimize"], 3),
                         "cpu_s": round(phases.cpu["optimize"], 3), "changed": optimized},
            "total": {"seconds": round(import_s + index_s, 3),
                      "items_per_s": rate(products, import_s + index_s)},
            "reimport": {"seconds": round(reimport_s, 3), "items_per_s": rate(products, reimport_s),
                         "cpu_s": round(phases.cpu["reimport"], 3), "counts": second_counts,
                         "changed": len(rechanged)},
            "check": {"points_in_index": indexed_points, "index_states": states},
        },
        "_keys": {"merchant_id": merchant_id, "admin_key": admin_key, "client_key": client_key},
    }


def report(result: dict[str, Any]) -> None:
    r, setup = result["results"], result["setup"]
    n = result["parameters"]["products"]
    print(f"\nIngest of {n:,} synthetic products (SQLite + {result['parameters']['vectors']}, CPU)\n")
    print(table(["phase", "wall s", "CPU s", "items/s", "notes"], [
        ["import (parse+validate+DB upsert)", r["import"]["seconds"], r["import"]["cpu_s"],
         r["import"]["items_per_s"], f"{r['import']['counts']['created']:,} created"],
        ["index (embed+Kiwi+index upsert)", r["index"]["seconds"], r["index"]["cpu_s"],
         r["index"]["items_per_s"],
         f"{r['index']['batches']} batches of {result['parameters']['index_batch_size']}"],
        ["optimize (HNSW build)", r["optimize"]["seconds"], r["optimize"]["cpu_s"], "", ""],
        ["total (import+index)", r["total"]["seconds"], "", r["total"]["items_per_s"], ""],
        ["re-import, same file", r["reimport"]["seconds"], r["reimport"]["cpu_s"],
         r["reimport"]["items_per_s"],
         f"{r['reimport']['counts']['unchanged']:,} unchanged, {r['reimport']['changed']} to index"],
    ]))
    print("\nIndexing time by part\n")
    parts, share, cpu = r["index"]["parts_s"], r["index"]["parts_share"], r["index"]["parts_cpu_s"]
    print(table(["part", "wall s", "CPU s", "share of wall"],
                [[k, v, cpu[k], f"{share[k]:.0%}"]
                 for k, v in sorted(parts.items(), key=lambda kv: -kv[1])]))
    print("\nSetup (excluded from throughput)\n")
    print(table(["step", "seconds"], [[k.removesuffix("_s"), v] for k, v in setup.items()]))
    print(f"\ncheck: {r['check']['points_in_index']:,} points in Qdrant, "
          f"DB index states {r['check']['index_states']}; load average before/after "
          f"{result['load_average']['before']} / {result['load_average']['after']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="index batch size (default: settings.index_batch_size)")
    parser.add_argument("--out", type=Path, default=None, help="write results as JSON here")
    parser.add_argument("--qdrant-url", default=None,
                        help="index into this Qdrant server instead (the production path)")
    parser.add_argument("--engine", choices=ENGINES, default="edge",
                        help="embedded vector engine (ignored with --qdrant-url)")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch intra-op threads (default: torch's own choice)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="build the data dir here and keep it (for search.py --data-dir)")
    args = parser.parse_args()
    set_torch_threads(args.torch_threads)

    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: directory exists and is not empty")
        data_dir = args.keep
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="aisle-bench-"))
    machine = machine_info()
    try:
        result = run(args.products, args.seed, data_dir, args.batch_size, args.qdrant_url,
                     args.engine)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    keys = result.pop("_keys")
    if args.keep:
        meta = {"products": args.products, "seed": args.seed, "qdrant_url": args.qdrant_url,
                "engine": args.engine, "built_with": machine["git"], **keys}
        (data_dir / META_FILE).write_text(json.dumps(meta, indent=2))
        print(f"kept data dir {data_dir} (merchant and keys in {data_dir / META_FILE})")
    result["machine"] = machine
    report(result)
    if args.out:
        write_json(args.out, result)


if __name__ == "__main__":
    main()
