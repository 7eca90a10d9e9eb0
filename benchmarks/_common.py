"""Helpers shared by the benchmark scripts: machine facts, timers, tables, JSON output."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "benchmarks" / "results"


def _cpuinfo_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _git() -> dict[str, Any]:
    def run(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              check=False).stdout.strip()

    diff = subprocess.run(["git", "diff", "HEAD", "--", "backend", "recommender", "vision"], cwd=REPO,
                          capture_output=True, check=False).stdout
    return {"commit": run("rev-parse", "HEAD") or None,
            "dirty": bool(run("status", "--porcelain", "--untracked-files=no")),
            # Uncommitted library changes, so a reused index can be matched to its code.
            "library_diff_sha256": hashlib.sha256(diff).hexdigest()[:16] if diff else None}


def machine_info() -> dict[str, Any]:
    """What a reader needs to compare these numbers with theirs."""
    import torch

    return {
        "cpu_model": _cpuinfo_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gib": _mem_total_gib(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "cuda_available": torch.cuda.is_available(),
        "packages": {name: _version(name) for name in (
            "qdrant-client", "sentence-transformers", "transformers", "kiwipiepy", "fastapi",
            "uvicorn", "sqlalchemy", "numpy")},
        "git": _git(),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def set_torch_threads(n: int | None) -> None:
    """Pin torch's intra-op threads (default: torch's choice, one per core)."""
    if n:
        import torch

        torch.set_num_threads(n)


def load_average() -> list[float] | None:
    """1/5/15-minute load: other processes on a small shared machine skew wall times."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


class Stopwatch:
    """Accumulates wall time per label; nested calls under one label count once (outermost).

    `cpu` holds this process's CPU time (all threads) per label: when CPU time over wall
    time drops well below the number of cores, something else was competing for them.
    """

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._depth: dict[str, int] = defaultdict(int)

    @contextmanager
    def time(self, label: str) -> Iterator[None]:
        self._depth[label] += 1
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self._depth[label] -= 1
            if self._depth[label] == 0:
                self.totals[label] += time.perf_counter() - started
                self.cpu[label] += time.process_time() - cpu_started
                self.calls[label] += 1

    def wrap(self, obj: object, method: str, label: str) -> bool:
        """Time every call of `obj.method` (an instance attribute shadows the bound method).

        `obj` may be a module (a module-level function looked up at call time). Returns
        False, timing nothing, when `obj` has no such attribute (the code moved on).
        """
        original: Callable[..., Any] | None = getattr(obj, method, None)
        if original is None:
            return False

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.time(label):
                return original(*args, **kwargs)

        setattr(obj, method, timed)
        return True

    def reset(self) -> None:
        self.totals.clear()
        self.cpu.clear()
        self.calls.clear()


def percentiles(samples_s: Sequence[float], wall_s: float | None = None) -> dict[str, float]:
    """Latency summary in milliseconds (nearest-rank percentiles) plus single-client QPS.

    QPS is requests over the loop's wall time when given (one client, one request at a time).
    """
    if not samples_s:
        return {"n": 0}
    ms = sorted(s * 1000 for s in samples_s)

    def pct(p: float) -> float:
        rank = max(1, min(len(ms), round(p / 100 * len(ms) + 0.5)))
        return round(ms[rank - 1], 2)

    return {
        "n": len(ms), "mean_ms": round(statistics.fmean(ms), 2), "p50_ms": pct(50),
        "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": round(ms[-1], 2),
        "qps": round(len(ms) / (wall_s if wall_s else sum(ms) / 1000), 2),
    }


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table (readable in a terminal, pasteable into docs)."""
    cells = [[str(h) for h in headers], *[[_fmt(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"\nwrote {path}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer:
    """An ASGI app served by uvicorn in a thread of this process, on a free 127.0.0.1 port.

    In-process so the benchmark and the server share one Runtime (the embedded vector store
    allows a single process), while requests still cross real HTTP.
    """

    def __init__(self, app: Any) -> None:
        import threading

        import uvicorn

        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> AppServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
