"""Where tasks go: a Celery broker when one is configured, else an in-process executor."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from workers.jobs import JOBS, ROUTES

if TYPE_CHECKING:
    from celery import Celery

    from backend.runtime import Runtime

log = logging.getLogger(__name__)


class TaskQueue(Protocol):
    def submit(self, name: str, **kwargs: Any) -> None: ...

    def close(self) -> None: ...


class InlineTaskQueue:
    """Runs tasks on one background thread of this process, in submission order.

    One thread, because the embedded Qdrant and the models are shared with the API and
    ingestion is CPU-bound anyway; the request path never waits for it.
    """

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aisle-task")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, name: str, **kwargs: Any) -> None:
        job = JOBS[name]
        future = self._pool.submit(self._run, name, job, kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _run(self, name: str, job: Any, kwargs: dict[str, Any]) -> Any:
        try:
            return job(self._runtime, **kwargs)
        except Exception:
            log.exception("task %s failed", name)
            raise

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait(self, timeout: float | None = None) -> None:
        """Block until every submitted task (and those they submitted) has finished."""
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return
            for future in pending:
                future.exception(timeout=timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


class CeleryTaskQueue:
    """Sends tasks by name to the broker; the API process never imports task code paths."""

    def __init__(self, app: Celery) -> None:
        self._app = app

    def submit(self, name: str, **kwargs: Any) -> None:
        self._app.send_task(f"aisle.{name}", kwargs=kwargs, queue=ROUTES[name])

    def close(self) -> None:
        self._app.close()
