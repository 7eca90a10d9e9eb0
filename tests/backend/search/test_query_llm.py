"""Search with an LLM reading the query: a real llama.cpp server (SmolLM2-135M) and real sockets.

SmolLM2-135M is tiny and mostly writes poor readings, so these tests check the contract, not
the model: whatever it says, search answers with results and an `understood` that only holds
what the query, the vocabulary or the merchant vouch for; a server that never answers costs
at most the timeout; no LLM configured means no call. Where a test needs a known reply, the
real server is made to produce it with a JSON schema of constants (the model runs, only its
sampling is constrained). Nothing is mocked.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from backend.app import create_app
from backend.db import session_scope
from backend.runtime import Runtime
from backend.search import service
from backend.search.schemas import Filters, SearchRequest, SearchResponse
from backend.search.understanding import query_llm_for
from recommender.encoders import Encoders
from recommender.intent_llm import LLMReading, QueryLLM, QueryLLMConfig
from recommender.intent_validation import mentioned_amounts, validate_reading
from tests.conftest import Shop, add_products, make_settings, make_shop

PRODUCTS = [
    {"sku": "SK-1", "title": "Dewlab Oil-Free Moisturizer", "price": 18000, "stock": 5,
     "brand": "Dewlab", "category": "skincare/cream", "tags": ["oily-skin", "moisturizer"]},
    {"sku": "SK-2", "title": "Clearday Gel Moisturizer for Oily Skin", "price": 24000, "stock": 3,
     "brand": "Clearday", "category": "skincare/cream", "tags": ["oily-skin", "moisturizer"]},
    {"sku": "SK-3", "title": "Hanbit Water Cream", "price": 45000, "stock": 0,
     "brand": "Hanbit", "category": "skincare/cream", "tags": ["moisturizer"]},
    {"sku": "BG-1", "title": "Leather Crossbody Bag - Black", "price": 49000, "stock": 2,
     "brand": "Plainweek", "category": "fashion/bag", "attributes": {"color": "black"}},
    {"sku": "BG-2", "title": "Canvas Tote Bag - Ivory", "price": 29000, "stock": 4,
     "brand": "Plainweek", "category": "fashion/bag", "attributes": {"color": "ivory"}},
]
# Long enough for a 135M model on a busy 2-core machine to finish its JSON: these tests are
# about what happens to a reply, not about the model's speed (the timeout test is below).
LLM_WAIT_S = 60.0
SILENT_TIMEOUT_S = 0.5


def forced(reply: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema whose only instance is `reply`: the real server must write exactly it."""
    return {"type": "object", "properties": {k: {"const": v} for k, v in reply.items()},
            "required": list(reply), "additionalProperties": False}


def reply(**values: Any) -> dict[str, Any]:
    empty = {"price_min": None, "price_max": None, "in_stock": None, "category": None,
             "brand": None, "colors": [], "skin_types": [], "concerns": [], "exclude": []}
    return {**empty, **values}


class SilentServer:
    """A real TCP server that accepts connections and never answers (a hung LLM server)."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self.connections = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/v1"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            self._held.append(conn)  # held open, never read from or written to
            self.connections += 1

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self._held:
            conn.close()
        self._sock.close()


@contextmanager
def shop_app(tmp_path: Path, encoders: Encoders,
             **settings: object) -> Iterator[tuple[TestClient, Runtime, Shop]]:
    rt = Runtime.create(make_settings(tmp_path, **settings), encoders=encoders)
    try:
        with TestClient(create_app(runtime=rt)) as client:  # the lifespan builds the reader
            shop = make_shop(rt, "shop-query-llm")
            add_products(client, rt, shop, PRODUCTS)
            yield client, rt, shop
    finally:
        rt.close()


def search(client: TestClient, shop: Shop, query: str, **body: object) -> dict[str, Any]:
    resp = client.post("/v1/search", headers=shop.client, json={"query": query, **body})
    assert resp.status_code == 200, resp.text
    return resp.json()


def llm_outcomes(client: TestClient) -> dict[str, float]:
    text = client.get("/metrics").text
    return {m[1]: float(m[2]) for m in
            re.finditer(r'aisle_query_llm_total\{outcome="(\w+)"\} ([\d.]+)', text)}


# -- (a) a reply from the real server is parsed, then validated --------------------------------


def test_a_real_servers_reply_is_parsed_and_its_inventions_dropped(llm_url: str,
                                                                    encoders: Encoders) -> None:
    made_up = reply(price_max=99000, in_stock=True, category="bag", brand="Gucci",
                    colors=["black", "purple-ish"], skin_types=["oily"])
    llm = QueryLLM(QueryLLMConfig(base_url=llm_url, timeout_s=LLM_WAIT_S), schema=forced(made_up))
    text = "가방 까만색 5만원 이하"
    try:
        reading = llm.read(text)
    finally:
        llm.close()
    assert reading == LLMReading.model_validate(made_up)
    valid = validate_reading(reading, text=text, analyzer=encoders.lexical,
                             brands={"plainweek"})
    assert (valid.price_max, valid.in_stock, valid.brand) == (None, None, None)
    assert [c.name for c in valid.concepts] == ["black", "bag"]
    assert set(valid.dropped) == {"price_max:99000", "in_stock:true", "brand:Gucci",
                                  "colors:purple-ish", "skin_types:oily"}


# -- (b) search through the real model: 200, results, `understood` -----------------------------


def test_search_with_the_real_model_answers_whatever_it_reads(
        tmp_path: Path, encoders: Encoders, llm_url: str) -> None:
    with shop_app(tmp_path, encoders, llm_base_url=llm_url,
                  query_llm_timeout_s=LLM_WAIT_S) as (client, _, shop):
        for query in ("지성 피부 수분크림 3만원 이하", "black leather bag", "가방 추천해줘"):
            body = search(client, shop, query)
            understood = body["understood"]
            assert body["results"] and understood["terms"], query
            assert set(understood["source"].values()) <= {"rules", "llm"}
            # Whatever the model said, a budget is one the shopper wrote, a brand a real one.
            for bound in ("price_min", "price_max"):
                if understood[bound] is not None:
                    assert understood[bound] in mentioned_amounts(query)
            assert understood["brand"] in (None, "Dewlab", "Clearday", "Hanbit", "Plainweek")
        outcomes = llm_outcomes(client)
        assert sum(outcomes.values()) == 3, outcomes  # one reading per search, counted
        body = search(client, shop, "지성 피부 수분크림 3만원 이하")
        assert body["understood"]["price_max"] == 30000
        assert body["understood"]["source"]["price_max"] == "rules"
        assert all(r["price"] <= 30000 for r in body["results"])


def test_the_llm_fills_what_the_rules_missed_and_client_filters_still_win(
        tmp_path: Path, encoders: Encoders, llm_url: str) -> None:
    # "삼만원"/"오만원" have no digits for the rules, "듀랩" is how a Korean shopper writes
    # Dewlab, and the tokenizer keeps "까만색" whole, so the rules read no colour in it.
    brand_budget = QueryLLM(QueryLLMConfig(base_url=llm_url, timeout_s=LLM_WAIT_S),
                            schema=forced(reply(price_max=30000, brand="Dewlab")))
    colour_budget = QueryLLM(QueryLLMConfig(base_url=llm_url, timeout_s=LLM_WAIT_S),
                             schema=forced(reply(price_max=50000, colors=["black"],
                                                 category="toner")))
    try:
        with shop_app(tmp_path, encoders) as (_, rt, shop), session_scope(rt.engine) as session:
            def run(query: str, llm: QueryLLM, **filters: Any) -> SearchResponse:
                return service.search(rt, session, shop.merchant_id, SearchRequest(
                    query=query, filters=Filters(**filters)), query_llm=llm)

            dewlab = run("듀랩 수분크림 삼만원 이하", brand_budget)
            sent = run("듀랩 수분크림 삼만원 이하", brand_budget, price_max=20000)
            black = run("가방 까만색 오만원 이하", colour_budget)
    finally:
        brand_budget.close()
        colour_budget.close()
    understood = dewlab.understood
    assert understood.llm and (understood.price_max, understood.brand) == (30000, "Dewlab")
    assert understood.source == {"price_max": "llm", "brand": "llm", "category": "rules"}
    assert dewlab.results[0].brand == "Dewlab"
    assert all(r.price <= 30000 for r in dewlab.results)
    # The client's filter wins over the LLM's budget.
    assert sent.understood.price_max == 20000 and sent.understood.source["price_max"] == "filters"
    assert sent.results and all(r.price <= 20000 for r in sent.results)
    understood = black.understood
    assert understood.concepts["color"] == ["블랙"] and understood.price_max == 50000
    # "toner" is a real category but not written in the query (and the rules read "가방").
    assert understood.source == {"price_max": "llm", "color": "llm", "category": "rules"}
    assert black.results[0].sku == "BG-1"
    assert all(r.price <= 50000 for r in black.results)


# -- (c) a server that never answers costs at most the timeout ---------------------------------


def test_a_server_that_never_answers_falls_back_to_the_rules_within_the_timeout(
        tmp_path: Path, encoders: Encoders) -> None:
    with SilentServer() as silent:
        llm = query_llm_for(make_settings(tmp_path, llm_base_url=silent.url,
                                          query_llm_timeout_s=SILENT_TIMEOUT_S))
        assert llm is not None
        try:
            started = time.monotonic()
            assert llm.read("수분크림 2만원 이하") is None
            assert time.monotonic() - started < SILENT_TIMEOUT_S + 0.5
        finally:
            llm.close()
        assert silent.connections >= 1  # it really asked, and nobody answered
        with shop_app(tmp_path, encoders, llm_base_url=silent.url,
                      query_llm_timeout_s=SILENT_TIMEOUT_S) as (client, _, shop):
            body = search(client, shop, "수분크림 2만원 이하")
            understood = body["understood"]
            assert understood["llm"] is False and understood["price_max"] == 20000
            assert understood["source"]["price_max"] == "rules"
            assert body["results"] and all(r["price"] <= 20000 for r in body["results"])
            assert llm_outcomes(client) == {"timeout": 1.0}


# -- (d) no LLM configured: no reader, no call ---------------------------------------------------


def test_without_an_llm_there_is_no_reader_and_no_call(tmp_path: Path,
                                                       encoders: Encoders) -> None:
    assert query_llm_for(make_settings(tmp_path)) is None
    with SilentServer() as server:
        # The chat LLM is configured, the query reading is switched off.
        with shop_app(tmp_path, encoders, llm_base_url=server.url,
                      query_llm_enabled=False) as (client, _, shop):
            assert client.app.state.query_llm is None  # type: ignore[attr-defined]
            body = search(client, shop, "수분크림 2만원 이하 재고 있는")
            understood = body["understood"]
            assert understood["llm"] is False and understood["exclude"] == []
            assert understood["source"] == {"price_max": "rules", "in_stock": "rules",
                                            "category": "rules"}
            assert llm_outcomes(client) == {}
        assert server.connections == 0
