"""The FastAPI application factory. Heavy clients are built once, in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import Counter

from backend.catalog.endpoints import router as catalog_router
from backend.catalog.recovery import requeue_unfinished
from backend.chat.endpoints import router as chat_router
from backend.chat.llm import LLMResponder, responder_for
from backend.chat.metrics import ChatMetrics
from backend.chat.responder import Responder
from backend.errors import install_handlers
from backend.feedback.endpoints import router as feedback_router
from backend.health import install_metrics
from backend.health import router as health_router
from backend.photos.endpoints import router as photos_router
from backend.photos.lifecycle import on_startup as photos_on_startup
from backend.runtime import Runtime
from backend.search.endpoints import router as search_router
from backend.search.metrics import SearchMetrics
from backend.search.understanding import query_llm_for
from backend.settings import Settings
from backend.suggestions.endpoints import router as suggestions_router

log = logging.getLogger(__name__)


def attach_task_queue(rt: Runtime) -> None:
    if rt.settings.broker_url:
        from workers.celery_app import make_celery
        from workers.queue import CeleryTaskQueue

        rt.tasks = CeleryTaskQueue(make_celery(rt.settings, register_tasks=False))
    else:
        from workers.queue import InlineTaskQueue

        rt.tasks = InlineTaskQueue(rt)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None,
               responder: Responder | None = None, preload: bool = False) -> FastAPI:
    """Build the app. Tests pass a runtime (shared models); `aisle serve` preloads models."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or Runtime.create(settings or Settings())
        if rt.tasks is None:
            attach_task_queue(rt)
            if not rt.settings.broker_url:
                requeue_unfinished(rt)  # the previous process's in-memory queue is gone
            photos_on_startup(rt)  # purge expired photos; re-queue lost in-process analyses
        app.state.runtime = rt
        owned = None if responder else responder_for(rt.settings)
        app.state.responder = responder or owned
        # Reads search queries into JSON when an LLM is configured (None: rules only).
        app.state.query_llm = query_llm_for(
            rt.settings, on_outcome=app.state.search_metrics.query_llm_outcome)
        caps = rt.capabilities()
        log.info("Aisle ready: %s", {k: v for k, v in caps.items() if k != "image_vectors_note"})
        if caps["image_vectors_note"]:
            log.warning("%s", caps["image_vectors_note"])
        if preload:
            rt.encoders.preload()
            _ = rt.index
        try:
            yield
        finally:
            if isinstance(owned, LLMResponder):
                await owned.aclose()
            if app.state.query_llm is not None:
                app.state.query_llm.close()
            if runtime is None:
                rt.close()

    app = FastAPI(title="Aisle", version="0.1.0", lifespan=lifespan,
                  description="Multimodal retail recommendations with grounded chat.")
    install_handlers(app)
    install_metrics(app)
    app.state.chat_metrics = ChatMetrics(app.state.metrics)
    app.state.search_metrics = SearchMetrics(app.state.metrics)
    app.state.feedback_total = Counter(
        "aisle_feedback_total", "Shopper actions on recommended products (conversion)",
        ["kind", "source"], registry=app.state.metrics)
    for router in (health_router, catalog_router, search_router, chat_router, photos_router,
                   suggestions_router, feedback_router):
        app.include_router(router)
    return app
