"""Photo analysis throughput on CPU: images/s for the tiny CLIP and a ViT-B-32-shaped model.

    python benchmarks/vision_throughput.py                       # both models, batch sizes 1, 8, 32
    python benchmarks/vision_throughput.py --models tiny --batches 1 8

Both models get randomly initialised weights, saved to a temp file and loaded the way the
worker loads real weights (`ClipEncoder.load`). **The weights are untrained: only speed is
meaningful here**, never the scores. Speed does not depend on the weight values.

Two paths per model and batch size:

- `direct`: the analyzer functions (`VisionAnalyzer.embed`, then `.item` / `.skin`) on
  decoded images, i.e. the model work of one batch.
- `task`: end to end through the embedded deployment. Photos are uploaded (`POST /v1/photos`:
  decode, EXIF, re-encode, store) and analyses requested (`POST /v1/photos/{id}/analysis`)
  while the in-process queue is held, as in a burst that arrives while the worker is busy;
  then the queue runs `analyze_photo` (claim up to `AISLE_VISION_BATCH_SIZE` jobs, read and
  decode the photos, CLIP, store the results). Images/s is counted over upload + analysis.

Runs are bounded (`--seconds` per row); the machine may be shared, so the load average is
recorded before and after each row.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import RESULTS_DIR, load_average, machine_info, set_torch_threads, table, write_json
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlmodel import select

from backend.app import create_app
from backend.db import session_scope
from backend.merchants.service import create_merchant
from backend.models import Analysis, JobStatus
from backend.runtime import Runtime
from backend.settings import Settings
from vision.analysis import VisionAnalyzer
from vision.clip import ClipEncoder, register_model_configs
from vision.torch_runtime import torch
from workers.queue import InlineTaskQueue

MODELS = {"tiny": "aisle-tiny-clip", "vit-b-32": "ViT-B-32"}
CATEGORIES = ["fashion/bag", "fashion/tops", "fashion/shoes", "skincare/cream", "skincare/serum",
              "kitchen/mug", "home/lamp", "electronics/headphones"]


def photo(rng: random.Random, size: int = 640) -> Image.Image:
    """A product-photo-like JPEG source: a few coloured shapes on a light backdrop."""
    img = Image.new("RGB", (size, size), (240, 238, 232))
    d = ImageDraw.Draw(img)
    for _ in range(4):
        x, y = rng.randint(0, size // 2), rng.randint(0, size // 2)
        w, h = rng.randint(size // 6, size // 2), rng.randint(size // 6, size // 2)
        fill = tuple(rng.randint(0, 255) for _ in range(3))
        (d.ellipse if rng.random() < 0.5 else d.rectangle)((x, y, x + w, y + h), fill=fill)
    return img


def jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def save_random_weights(model: str, directory: Path) -> Path:
    """Seeded random init of the model's shape, saved like a real checkpoint (untrained!)."""
    import open_clip

    register_model_configs()
    torch.manual_seed(0)
    path = directory / f"{model}-random.pt"
    torch.save(open_clip.create_model(model).state_dict(), path)
    return path


def bench_direct(clip: ClipEncoder, images: list[Image.Image], batch: int,
                 seconds: float) -> dict[str, Any]:
    """Analyzer functions only: embed, then item (category/colours/condition) and skin heads."""
    analyzer = VisionAnalyzer(clip)
    analyzer.item(analyzer.embed(images[:batch], batch), images[:batch], CATEGORIES)  # warm-up
    analyzer.skin(analyzer.embed(images[:batch], batch))
    embed_s = item_s = skin_s = 0.0
    n = rounds = 0
    started = time.perf_counter()
    while rounds < 2 or (time.perf_counter() - started < seconds and rounds < 50):
        start = (rounds * batch) % max(len(images) - batch + 1, 1)
        chunk = images[start : start + batch]
        t0 = time.perf_counter()
        emb = analyzer.embed(chunk, batch_size=batch)
        t1 = time.perf_counter()
        analyzer.item(emb, chunk, CATEGORIES)
        t2 = time.perf_counter()
        analyzer.skin(emb)
        t3 = time.perf_counter()
        embed_s, item_s, skin_s = embed_s + t1 - t0, item_s + t2 - t1, skin_s + t3 - t2
        n, rounds = n + len(chunk), rounds + 1
    return {"images": n, "batches": rounds, "embed_s": round(embed_s, 3),
            "item_head_s": round(item_s, 3), "skin_head_s": round(skin_s, 3),
            "embed_images_per_s": round(n / embed_s, 2),
            "item_images_per_s": round(n / (embed_s + item_s), 2),
            "skin_images_per_s": round(n / (embed_s + skin_s), 2)}


class HeldQueue:
    """The real in-process queue, with dispatch held until `release` (a burst of requests)."""

    def __init__(self, inner: InlineTaskQueue) -> None:
        self.inner = inner
        self.held: list[tuple[str, dict[str, Any]]] = []
        self.holding = True

    def submit(self, name: str, **kwargs: Any) -> None:
        if self.holding:
            self.held.append((name, kwargs))
        else:
            self.inner.submit(name, **kwargs)

    def release(self) -> None:
        self.holding = False
        for name, kwargs in self.held:
            self.inner.submit(name, **kwargs)
        self.held.clear()

    def close(self) -> None:
        self.inner.close()


def bench_task(model: str, weights: Path, data_dir: Path, batch: int, n: int,
               rng: random.Random) -> dict[str, Any]:
    """Upload -> analysis job -> done through the app and the in-process `analyze_photo` task."""
    settings = Settings(_env_file=None, data_dir=data_dir, env="test", database_url=None,
                        qdrant_url=None, broker_url=None, clip_model=model, clip_weights=weights,
                        semantic_enabled=False, device="cpu", vision_batch_size=batch)
    rt = Runtime.create(settings)
    queue = HeldQueue(InlineTaskQueue(rt))
    rt.tasks = queue
    try:
        with session_scope(rt.engine) as session:
            _, _, client_key = create_merchant(session, f"bench-{batch}")
        headers = {"Authorization": f"Bearer {client_key}"}
        bodies = [jpeg(photo(rng)) for _ in range(n)]
        _ = rt.vision.analyzer()  # model load is setup, not throughput
        with TestClient(create_app(runtime=rt)) as client:
            started = time.perf_counter()
            for body in bodies:
                created = client.post("/v1/photos", headers=headers,
                                      files={"file": ("p.jpg", body, "image/jpeg")})
                assert created.status_code == 201, created.text
                job = client.post(f"/v1/photos/{created.json()['photo_id']}/analysis",
                                  headers=headers, json={"kind": "item"})
                assert job.status_code == 202, job.text
            uploaded = time.perf_counter()
            queue.release()
            queue.inner.wait(timeout=600)
            done = time.perf_counter()
        with session_scope(rt.engine) as session:
            statuses = [a.status for a in session.exec(select(Analysis)).all()]
        assert statuses.count(JobStatus.succeeded) == n, statuses
    finally:
        rt.close()
    upload_s, analyse_s = uploaded - started, done - uploaded
    return {"images": n, "upload_and_request_s": round(upload_s, 3),
            "analysis_s": round(analyse_s, 3),
            "analysis_images_per_s": round(n / analyse_s, 2),
            "end_to_end_images_per_s": round(n / (upload_s + analyse_s), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS), default=["tiny", "vit-b-32"])
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=8.0, help="time per direct row")
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "vision-cpu.json")
    args = parser.parse_args()
    set_torch_threads(args.threads)
    rng = random.Random(0)
    images = [photo(rng) for _ in range(64)]
    load_before = load_average()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="aisle-bench-vision-") as tmp:
        for key in args.models:
            model = MODELS[key]
            t0 = time.perf_counter()
            weights = save_random_weights(model, Path(tmp))
            clip = ClipEncoder.load(model, weights, device="cpu")
            setup_s = round(time.perf_counter() - t0, 2)
            print(f"{model}: random weights saved and loaded in {setup_s}s", file=sys.stderr)
            for batch in args.batches:
                load = load_average()
                direct = bench_direct(clip, images, batch, args.seconds)
                print(f"  direct batch {batch}: {direct['item_images_per_s']} img/s (item)",
                      file=sys.stderr)
                n = min(max(8, 2 * batch), 32)  # 8 single jobs, 2 batches of 8, 1 of 32
                task = bench_task(model, weights, Path(tmp) / f"{key}-{batch}", batch, n, rng)
                print(f"  task   batch {batch}: {task['end_to_end_images_per_s']} img/s",
                      file=sys.stderr)
                rows.append({"model": model, "weights": "random (untrained): speed only",
                             "batch": batch, "setup_s": setup_s, "load_before": load,
                             "load_after": load_average(), "direct": direct, "task": task})
            del clip
    load_after = load_average()
    headers = ["model", "batch", "embed img/s", "item img/s", "skin img/s",
               "task: analysis img/s", "task: upload→done img/s", "load 1m"]
    body = [[r["model"], r["batch"], r["direct"]["embed_images_per_s"],
             r["direct"]["item_images_per_s"], r["direct"]["skin_images_per_s"],
             r["task"]["analysis_images_per_s"], r["task"]["end_to_end_images_per_s"],
             f"{r['load_before'][0]:.1f}→{r['load_after'][0]:.1f}" if r["load_before"]
             and r["load_after"] else "?"] for r in rows]
    print("\nPhoto analysis throughput on CPU (random weights: speed only)\n")
    print(table(headers, body))
    write_json(args.out, {
        "benchmark": "vision", "device": "cpu",
        "note": "Weights are randomly initialised (untrained); only throughput is meaningful.",
        "parameters": {"models": [MODELS[m] for m in args.models], "batches": args.batches,
                       "seconds_per_direct_row": args.seconds, "image_px": 640,
                       "categories": len(CATEGORIES), "task_kind": "item"},
        "machine": machine_info(),
        "load_average": {"before": load_before, "after": load_after},
        "results": rows,
    })


if __name__ == "__main__":
    main()
