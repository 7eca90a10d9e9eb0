"""Query understanding by an LLM: a shopper's words in, one strict JSON object out, or nothing.

The rules (`recommender/query.py`, the vocabulary) read what they can; an LLM on an
OpenAI-compatible server (llama.cpp locally, vLLM in production) reads the same query into a
fixed JSON shape, for what the rules miss ("오만원 이하", "no perfume"). It sits in front of
every search, so it is bounded hard: one attempt, a deadline the caller never waits past, and
a reply that is late, not JSON or off the schema counts as no reply. What the values *mean*
is checked separately (`recommender/intent_validation.py`): nothing here is trusted yet.

Engine-free: no database and no vector store, so it is usable from any process.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Literal

import openai
from openai import OpenAI
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)

ResponseFormat = Literal["json_object", "json_schema"]
# Outcomes, as counted by the caller's metrics: an answer that parsed, or why there was none.
Outcome = Literal["ok", "timeout", "unavailable", "invalid"]

_TEXT = {"type": ["string", "null"], "maxLength": 40}
_WORDS = {"type": "array", "items": {"type": "string", "maxLength": 30}, "maxItems": 4}
_FIELDS: dict[str, dict[str, Any]] = {
    "price_min": {"type": ["integer", "null"]},
    "price_max": {"type": ["integer", "null"]},
    "in_stock": {"type": ["boolean", "null"]},
    "category": _TEXT,
    "brand": _TEXT,
    "colors": _WORDS,
    "skin_types": _WORDS,
    "concerns": _WORDS,
    "exclude": _WORDS,
}
# Every field is required so a grammar-constrained server (llama.cpp) writes the whole object
# in this order and stops; short caps keep a rambling small model from using the whole budget.
READING_SCHEMA: dict[str, Any] = {
    "type": "object", "properties": _FIELDS, "required": list(_FIELDS),
    "additionalProperties": False,
}

# Few-shot, one Korean and one English. Small models copy examples into unrelated queries
# (SmolLM2-135M does): what they copy is validated like anything else they say.
SYSTEM_PROMPT = (
    "Read a shopper's search query (Korean or English) into JSON. Prices are in won: "
    "3만원 = 30000, 5천원 = 5000, 100k = 100000. in_stock is true only if they ask for items "
    "in stock. exclude lists what they do not want. Use null or [] for anything the query "
    "does not say; never guess."
)
FEW_SHOT: tuple[tuple[str, dict[str, Any]], ...] = (
    ("지성 피부용 수분크림 3만원 이하", {
        "price_min": None, "price_max": 30000, "in_stock": None, "category": "moisturizer",
        "brand": None, "colors": [], "skin_types": ["oily"], "concerns": [], "exclude": []}),
    ("fragrance-free calming toner in stock", {
        "price_min": None, "price_max": None, "in_stock": True, "category": "toner",
        "brand": None, "colors": [], "skin_types": [], "concerns": ["redness"],
        "exclude": ["fragrance"]}),
)


class LLMReading(BaseModel):
    """The JSON shape the LLM must answer with; anything else is no answer.

    Missing fields default (a server that only guarantees "some JSON", like vLLM's plain
    `json_object` mode, may leave nulls out); unknown fields and wrong types are refused.
    """

    model_config = ConfigDict(extra="forbid")

    price_min: float | None = None
    price_max: float | None = None
    in_stock: bool | None = None
    category: str | None = Field(default=None, max_length=80)
    brand: str | None = Field(default=None, max_length=80)
    colors: list[str] = Field(default_factory=list, max_length=8)
    skin_types: list[str] = Field(default_factory=list, max_length=8)
    concerns: list[str] = Field(default_factory=list, max_length=8)
    exclude: list[str] = Field(default_factory=list, max_length=8)


def parse_reading(content: str) -> LLMReading | None:
    """The reply as an `LLMReading`, or None when it is not one JSON object of that shape."""
    try:
        return LLMReading.model_validate_json(content.strip())
    except ValidationError:
        return None


def build_messages(text: str) -> list[ChatCompletionMessageParam]:
    messages: list[ChatCompletionMessageParam] = [{"role": "system", "content": SYSTEM_PROMPT}]
    for query, answer in FEW_SHOT:
        messages.append({"role": "user", "content": query})
        messages.append({"role": "assistant",
                         "content": json.dumps(answer, ensure_ascii=False, separators=(",", ":"))})
    messages.append({"role": "user", "content": text})
    return messages


def response_format(style: ResponseFormat, schema: dict[str, Any]) -> dict[str, Any]:
    """How to ask the server for schema-shaped JSON.

    `json_object` + `schema` is what llama-cpp-python's server accepts (it turns the schema
    into a grammar; its request model has no `json_schema` type) and llama.cpp's own server
    too; vLLM reads it as "any JSON object". `json_schema` is OpenAI's form, which vLLM and
    llama.cpp's server enforce. Either way the reply is validated again here.
    """
    if style == "json_schema":
        return {"type": "json_schema",
                "json_schema": {"name": "query_reading", "schema": schema, "strict": True}}
    return {"type": "json_object", "schema": schema}


@dataclass(frozen=True)
class QueryLLMConfig:
    base_url: str
    model: str | None = None
    api_key: str | None = None
    # The longest a search waits for the reading; then it goes on with the rules alone.
    timeout_s: float = 1.5
    max_tokens: int = 160
    response_format: ResponseFormat = "json_object"


class QueryLLM:
    """Reads queries into `LLMReading`s through an OpenAI-compatible chat endpoint.

    The request runs on a small pool of its own so that the caller's wait is a true deadline:
    HTTP timeouts bound each socket read, not the whole exchange. A request given up on is
    told to stop (the stream is closed at its next chunk, so llama.cpp and vLLM stop
    generating for nobody); there are no retries, a second attempt would only be later.
    """

    def __init__(self, config: QueryLLMConfig, *, schema: dict[str, Any] | None = None,
                 on_outcome: Callable[[Outcome], None] | None = None, workers: int = 4) -> None:
        # `schema` replaces the reading schema: tests use it to make a real server produce a
        # known reply (the model still runs; only its sampling is constrained).
        self.config = config
        self._schema = schema or READING_SCHEMA
        self._on_outcome = on_outcome
        self._client = OpenAI(
            base_url=config.base_url, api_key=config.api_key or "not-needed", max_retries=0,
            timeout=openai.Timeout(config.timeout_s, connect=config.timeout_s),
        )
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="query-llm")
        self._model = config.model
        # Separate locks: a worker may hold the model lock through a slow `GET /models`,
        # and a caller past its deadline must still be able to record the failure.
        self._model_lock = threading.Lock()
        self._lock = threading.Lock()
        self._warned: set[str] = set()

    def read(self, text: str) -> LLMReading | None:
        """The LLM's reading of `text`, or None (late, unreachable, or not the schema)."""
        started = time.monotonic()
        cancelled = threading.Event()
        future = self._pool.submit(self._complete, text, cancelled)
        try:
            content = future.result(timeout=self.config.timeout_s)
        except (FutureTimeout, openai.APITimeoutError):
            cancelled.set()
            self._failed("timeout", f"no answer in {self.config.timeout_s:g}s")
            return None
        except Exception as exc:  # unreachable, an HTTP error, no model: search goes on anyway
            self._failed("unavailable", f"{type(exc).__name__}: {exc}"[:200])
            return None
        reading = parse_reading(content)
        if reading is None:
            self._failed("invalid", f"reply is not the JSON schema: {content[:120]!r}")
            return None
        self._succeeded(time.monotonic() - started)
        return reading

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    # -- the request, on the pool ----------------------------------------------------------

    def _complete(self, text: str, cancelled: threading.Event) -> str:
        if cancelled.is_set():  # queued behind slow requests until the caller gave up
            return ""
        parts: list[str] = []
        stream = self._client.chat.completions.create(
            model=self._model_name(), messages=build_messages(text),
            stream=True, temperature=0, max_tokens=self.config.max_tokens,
            # Sent as raw JSON: the typed parameter has no `schema` key for llama.cpp's form.
            extra_body={"response_format": response_format(self.config.response_format,
                                                           self._schema)},
        )
        with stream:  # closing the response tells the server to stop generating
            for chunk in stream:
                if cancelled.is_set():
                    break
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    parts.append(delta)
        return "".join(parts)

    def _model_name(self) -> str:
        """The configured model, or the first the server lists (llama.cpp serves one)."""
        with self._model_lock:
            if self._model is None:
                page = self._client.models.list()
                if not page.data:
                    raise LookupError("the LLM server lists no models")
                self._model = page.data[0].id
            return self._model

    # -- outcomes ----------------------------------------------------------------------------

    def _failed(self, outcome: Outcome, detail: str) -> None:
        """Count every failure; warn once per kind until the next success (no log flood when
        the server is down and every search fails the same way)."""
        if self._on_outcome is not None:
            self._on_outcome(outcome)
        with self._lock:
            first = outcome not in self._warned
            self._warned.add(outcome)
        level = logging.WARNING if first else logging.DEBUG
        log.log(level, "Query LLM at %s: %s (%s); searching with the rules alone",
                self.config.base_url, outcome, detail)

    def _succeeded(self, seconds: float) -> None:
        if self._on_outcome is not None:
            self._on_outcome("ok")
        with self._lock:
            recovered, self._warned = bool(self._warned), set()
        if recovered:
            log.info("Query LLM at %s answers again (%.2fs)", self.config.base_url, seconds)
