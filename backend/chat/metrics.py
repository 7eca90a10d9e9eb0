"""Chat metrics on the app's own registry: which responder's text was kept, why generated
text was replaced, and how long each step of a turn took (DOMAIN.md: time every step)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32)


class ChatMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.answers = Counter("aisle_chat_answers_total",
                               "Chat answers, by the responder whose text was kept",
                               ["responder"], registry=registry)
        self.fallbacks = Counter("aisle_chat_fallbacks_total",
                                 "Generated answers replaced by the template answer, by reason",
                                 ["reason"], registry=registry)
        self.steps = Histogram("aisle_chat_step_seconds", "Time per step of a chat turn",
                               ["step"], registry=registry, buckets=_BUCKETS)

    def kept(self, responder: str, fallback: str | None) -> None:
        self.answers.labels(responder).inc()
        if fallback:
            self.fallbacks.labels(fallback).inc()

    def observe(self, timings_ms: dict[str, float]) -> None:
        for step, ms in timings_ms.items():
            self.steps.labels(step).observe(ms / 1000)
