"""Search metrics on the app's own registry: how the LLM's readings of queries went."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

from recommender.intent_llm import Outcome


class SearchMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.query_llm = Counter(
            "aisle_query_llm_total",
            "LLM readings of search queries, by outcome (ok, or timeout, unavailable, invalid: "
            "the search used the rules alone)", ["outcome"], registry=registry)

    def query_llm_outcome(self, outcome: Outcome) -> None:
        self.query_llm.labels(outcome).inc()
