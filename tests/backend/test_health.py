"""Ops endpoints say plainly what works and what is switched off."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_checks_and_missing_clip(client: TestClient) -> None:
    body = client.get("/readyz").json()
    assert body["status"] == "ready"
    assert {"database", "qdrant", "broker", "llm"} <= set(body["checks"])
    caps = body["capabilities"]
    assert caps["image_vectors"] is False and "AISLE_CLIP_WEIGHTS" in caps["image_vectors_note"]
    assert caps["database"] == "sqlite" and caps["vectors"] == "edge"


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    resp = client.get("/v2/nothing")
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/problem+json")


def test_metrics_exposes_request_latency(client: TestClient) -> None:
    client.get("/healthz")
    assert "aisle_http_request_seconds" in client.get("/metrics").text
