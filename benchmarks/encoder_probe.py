"""Why indexing costs what it does: all-MiniLM-L6-v2 over Korean vs English product text.

The sentence model's uncased WordPiece vocabulary has almost no Hangul syllables, so Korean
text falls apart into jamo pieces and a Korean product costs far more tokens (and attention
is quadratic in them). This measures tokens per product and the model's cost per product by
language, at max_seq_length 256 (the model's own config) and 128 (the length it was trained
with, and what recommender/semantic.py now caps it at).

    python benchmarks/encoder_probe.py --out benchmarks/results/encoder-probe.json

CPU seconds per item are reported beside wall time: on a shared machine wall time swings
with other load, CPU time much less.
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
import statistics
import time
from typing import Any

from _common import load_average, machine_info, set_torch_threads, table, write_json
from synthetic import DEFAULT_SEED, products

from recommender.documents import ProductDocument, semantic_text
from recommender.lexical import detect_language
from recommender.semantic import SemanticEncoder


def texts_by_language(n: int, seed: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"ko": [], "en": []}
    for row in products(n, seed):
        doc = ProductDocument(product_id="p", merchant_id="m", sku=row["sku"], title=row["title"],
                              description=row["description"], brand=row["brand"],
                              category=row["category"], tags=tuple(row["tags"]))
        out[detect_language(row["title"] + " " + row["description"])].append(semantic_text(doc))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--items", type=int, default=64, help="texts per language per measurement")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--torch-threads", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    set_torch_threads(args.torch_threads)
    machine = machine_info()

    enc = SemanticEncoder.load(device="cpu")
    model: Any = enc._model  # the SentenceTransformer
    shipped = int(model.max_seq_length)
    groups = {k: v[: args.items] for k, v in texts_by_language(args.items * 3, args.seed).items()}
    enc.encode(["warm-up"])
    load_before = load_average()
    rows: list[dict[str, Any]] = []
    for max_len in sorted({256, shipped, 128}, reverse=True):
        model.max_seq_length = max_len
        for lang, texts in groups.items():
            ids = model.tokenizer(texts, truncation=True, max_length=max_len)["input_ids"]
            walls, cpus = [], []
            for _ in range(args.repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                enc.encode(texts)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            rows.append({
                "language": lang, "max_seq_length": max_len, "items": len(texts),
                "tokens_mean": round(statistics.fmean(len(i) for i in ids), 1),
                "truncated_share": round(sum(len(i) >= max_len for i in ids) / len(ids), 3),
                "items_per_s_median": round(len(texts) / statistics.median(walls), 1),
                "cpu_ms_per_item_median": round(statistics.median(cpus) / len(texts) * 1000, 1),
            })
    model.max_seq_length = shipped
    print(f"\nall-MiniLM-L6-v2 on synthetic product text ({args.items} per language, "
          f"median of {args.repeats})\n")
    print(table(["language", "max_seq_length", "tokens/item", "truncated", "items/s", "CPU ms/item"],
                [[r["language"], r["max_seq_length"], r["tokens_mean"], f"{r['truncated_share']:.0%}",
                  r["items_per_s_median"], r["cpu_ms_per_item_median"]] for r in rows]))
    sample = groups["ko"][0][:40]
    print(f"\ne.g. {sample!r} ->\n  {model.tokenizer.tokenize(sample)[:24]}")
    print(f"load average before/after {load_before} / {load_average()}")
    if args.out:
        write_json(args.out, {"benchmark": "encoder_probe",
                              "parameters": {"items": args.items, "repeats": args.repeats,
                                             "seed": args.seed, "shipped_max_seq_length": shipped},
                              "load_average": {"before": load_before, "after": load_average()},
                              "results": rows, "machine": machine})


if __name__ == "__main__":
    main()
