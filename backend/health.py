"""Liveness, readiness and metrics: what an orchestrator and an operator need to see."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from backend.deps import RuntimeDep
from backend.runtime import Runtime

router = APIRouter(tags=["ops"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


def _check_db(rt: Runtime) -> tuple[bool, str]:
    try:
        with rt.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return False, f"unreachable: {type(exc).__name__}"


def _check_broker(rt: Runtime) -> tuple[bool, str]:
    if not rt.settings.broker_url:
        return True, "in-process executor (no broker configured)"
    from kombu import Connection

    try:
        with Connection(rt.settings.broker_url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"unreachable: {type(exc).__name__}"


def _check_index(rt: Runtime) -> tuple[bool, str]:
    try:
        return rt.index.healthy()
    except Exception as exc:  # noqa: BLE001
        return False, str(exc)


@router.get("/readyz")
async def readyz(rt: RuntimeDep, request: Request) -> JSONResponse:
    """Ready to serve: database, vector index and broker reachable; states what's disabled."""
    checks: dict[str, Any] = {}
    for name, check in (("database", _check_db), ("qdrant", _check_index),
                        ("broker", _check_broker)):
        ok, detail = await run_in_threadpool(check, rt)
        checks[name] = {"ok": ok, "detail": detail}
    # The LLM responder probes its server (GET /v1/models, short timeout); the template
    # responder is always ready.
    ok, detail = await request.app.state.responder.health()
    checks["llm"] = {"ok": ok, "detail": detail}
    ready = all(c["ok"] for c in checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks,
            "capabilities": rt.capabilities()}
    return JSONResponse(body, status_code=200 if ready else 503)


def install_metrics(app: FastAPI) -> None:
    registry = CollectorRegistry()
    latency = Histogram("aisle_http_request_seconds", "HTTP request latency",
                        ["method", "route", "status"], registry=registry,
                        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
    app.state.metrics = registry

    @app.middleware("http")
    async def _timing(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        latency.labels(request.method, path, str(response.status_code)).observe(
            time.perf_counter() - started)
        return response

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
