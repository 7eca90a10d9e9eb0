"""An LLM responder for OpenAI-compatible servers (vLLM in production, llama.cpp locally).

It streams tokens of an answer about candidates the backend already chose; it never picks
products. Failures are bounded: connect and per-chunk read timeouts, and retries only while
nothing has reached the shopper (a retry after the first token would repeat text). When the
shopper disconnects, Starlette cancels the SSE generator; the `async with` around the
upstream stream then closes the HTTP response, so the server stops generating for nobody.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx2
import openai
from openai import AsyncOpenAI

from backend.chat.prompt import build_messages
from backend.chat.responder import Responder, TemplateResponder, TurnContext
from backend.errors import Unavailable
from backend.settings import Settings

log = logging.getLogger(__name__)

# Failures worth another attempt (timeouts are connection errors); a 4xx (bad model name,
# bad key) will not heal by retrying. The client wraps transport errors mid-stream too.
_RETRYABLE = (openai.APIConnectionError, openai.InternalServerError, openai.RateLimitError)


class LLMUnavailable(Unavailable):
    """The LLM server did not answer; the turn falls back to the template answer."""


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str | None = None
    api_key: str | None = None
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 20.0
    retries: int = 1
    max_tokens: int = 300
    temperature: float = 0.2
    probe_timeout_s: float = 2.0

    @classmethod
    def from_settings(cls, s: Settings) -> LLMConfig:
        if not s.llm_base_url:
            raise ValueError("AISLE_LLM_BASE_URL is not set")
        return cls(base_url=s.llm_base_url, model=s.llm_model, api_key=s.llm_api_key,
                   connect_timeout_s=s.llm_connect_timeout_s, read_timeout_s=s.llm_read_timeout_s,
                   retries=s.llm_retries, max_tokens=s.llm_max_tokens,
                   temperature=s.llm_temperature, probe_timeout_s=s.llm_probe_timeout_s)


class LLMResponder:
    """Streams a chat completion for a turn's prompt (backend/chat/prompt.py)."""

    name = "llm"

    def __init__(self, config: LLMConfig, *, http_client: httpx2.AsyncClient | None = None,
                 extra_body: dict[str, Any] | None = None) -> None:
        # `extra_body` passes server-specific sampling options (e.g. vLLM guided decoding,
        # llama.cpp grammars) through unchanged.
        self.config = config
        self._extra_body = extra_body
        # Retries are ours (only before the first token), so the client's own are off.
        self._client = AsyncOpenAI(
            base_url=config.base_url, api_key=config.api_key or "not-needed", max_retries=0,
            timeout=openai.Timeout(config.read_timeout_s, connect=config.connect_timeout_s),
            http_client=http_client,
        )
        self._model = config.model

    async def model(self) -> str:
        """The configured model, or the first one the server lists (llama.cpp serves one)."""
        if self._model is None:
            try:
                page = await self._client.models.list()
            except openai.APIError as exc:
                raise LLMUnavailable(f"LLM server at {self.config.base_url} is unreachable: "
                                     f"{type(exc).__name__}") from exc
            if not page.data:
                raise LLMUnavailable(f"LLM server at {self.config.base_url} lists no models.")
            self._model = page.data[0].id
        return self._model

    async def health(self) -> tuple[bool, str]:
        """GET /v1/models with a short timeout: reachable, and serving the configured model."""
        probe = self._client.with_options(timeout=self.config.probe_timeout_s, max_retries=0)
        try:
            page = await probe.models.list()
        except openai.APIError as exc:
            return False, f"LLM server at {self.config.base_url} unreachable: {type(exc).__name__}"
        served = [m.id for m in page.data]
        if self.config.model and self.config.model not in served:
            return False, (f"LLM server at {self.config.base_url} does not serve "
                           f"{self.config.model!r} (it serves {served}); fix AISLE_LLM_MODEL")
        return True, f"llm responder: {self.config.model or (served[0] if served else '?')} at " \
                     f"{self.config.base_url}"

    async def stream(self, turn: TurnContext) -> AsyncIterator[str]:
        messages: Any = build_messages(turn)
        model = await self.model()
        for attempt in range(self.config.retries + 1):
            last = attempt == self.config.retries
            sent = False
            try:
                upstream = await self._client.chat.completions.create(
                    model=model, messages=messages, stream=True,
                    max_tokens=self.config.max_tokens, temperature=self.config.temperature,
                    extra_body=self._extra_body,
                )
                async with upstream:  # closes the HTTP response on any exit, cancellation too
                    async for chunk in upstream:
                        delta = chunk.choices[0].delta.content if chunk.choices else None
                        if delta:
                            sent = True
                            yield delta
                return
            except _RETRYABLE as exc:
                if sent or last:
                    raise LLMUnavailable(_failure(self.config.base_url, exc, sent)) from exc
                log.warning("LLM attempt %d failed before the first token (%s); retrying",
                            attempt + 1, type(exc).__name__)
                await asyncio.sleep(0.2 * (attempt + 1))
            except openai.APIError as exc:
                raise LLMUnavailable(_failure(self.config.base_url, exc, sent)) from exc

    async def aclose(self) -> None:
        await self._client.close()


def _failure(url: str, exc: BaseException, sent: bool) -> str:
    when = "mid-answer" if sent else "before answering"
    return f"LLM server at {url} failed {when}: {type(exc).__name__}"


def responder_for(settings: Settings) -> Responder:
    """The LLM responder when a server is configured, else the template (the default)."""
    if settings.llm_base_url:
        return LLMResponder(LLMConfig.from_settings(settings))
    return TemplateResponder()
