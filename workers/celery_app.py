"""The Celery application: configuration, routing and task registration.

Tasks ack late and are rejected when a worker dies, so a crash redelivers them; that is
safe because every task is idempotent. Models load once per worker process, on first use.
For GPU queues run `--pool solo` (or threads): forking after CUDA is initialised breaks it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery
from qdrant_client.http.exceptions import ResponseHandlingException

from backend.settings import Settings
from recommender.index import IndexUnavailable
from workers.jobs import JOBS, ROUTES

log = logging.getLogger(__name__)

RETRYABLE = (IndexUnavailable, ResponseHandlingException, ConnectionError, TimeoutError)


def make_celery(settings: Settings, *, register_tasks: bool = True) -> Celery:
    if not settings.broker_url:
        raise ValueError("AISLE_BROKER_URL is not set; there is no broker to connect to.")
    app = Celery("aisle", broker=settings.broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue="ingest",
        task_routes={f"aisle.{name}": {"queue": queue} for name, queue in ROUTES.items()},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    if register_tasks:
        _register(app, settings)
    return app


def _register(app: Celery, settings: Settings) -> None:
    holder: dict[str, Any] = {}
    lock = threading.Lock()

    def runtime() -> Any:
        # Built on first task in each worker process (after any fork), then reused.
        with lock:
            if "rt" not in holder:
                from backend.runtime import Runtime
                from workers.queue import CeleryTaskQueue

                rt = Runtime.create(settings, migrate_db=False)
                rt.tasks = CeleryTaskQueue(app)  # an import fans out into ingest tasks
                holder["rt"] = rt
            return holder["rt"]

    for name, job in JOBS.items():
        def body(_task: Any, _job: Any = job, **kwargs: Any) -> Any:
            return _job(runtime(), **kwargs)

        app.task(
            name=f"aisle.{name}", bind=True, autoretry_for=RETRYABLE, retry_backoff=True,
            retry_backoff_max=60, max_retries=6, acks_late=True,
        )(body)
