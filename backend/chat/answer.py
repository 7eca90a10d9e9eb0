"""One answer: stream a responder's text, check it, keep it or fall back to the template.

Tokens reach the shopper as they are generated (time to first token matters more than the
rare replacement). The check runs on the final text; if it fails, the deterministic template
answer is kept instead and the `done` event says so (`replaced: true`), so clients swap what
they showed. The template is grounded by construction and is never checked against itself.
The cosmetic notice is added here, in code, after a generated answer passes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from backend.chat import grounding
from backend.chat.policy import medical_claims
from backend.chat.responder import Responder, TemplateResponder, TurnContext, word_chunks
from backend.errors import AisleError
from recommender.lexical import detect_language

log = logging.getLogger(__name__)

TEMPLATE = TemplateResponder()
# The model repeating the prompt's scaffolding instead of answering.
_PROMPT_ECHO = re.compile(r"<<<|>>>|\b(?:PRODUCTS|EARLIER|QUESTION)>>|id \| title \|")


@dataclass(frozen=True)
class FinalAnswer:
    text: str
    responder: str  # whose text was kept
    replaced: bool  # True when streamed tokens must be replaced by `text`
    fallback: str | None = None  # why generated text was not kept
    problems: list[tuple[str, str]] = field(default_factory=list)


def review(text: str, turn: TurnContext) -> list[tuple[str, str]]:
    """Problems with a generated answer: nothing said, the prompt echoed, no candidate named,
    ungrounded products or prices, medical claims, wrong language. Empty when it may be kept."""
    if not text.strip():
        return [("empty", "")]
    titles = tuple(c.title for c in turn.candidates)
    prose = text  # the answer's own words: catalog titles are facts, whatever they contain
    for title in sorted(titles, key=len, reverse=True):
        prose = prose.replace(title, " ")
    if echo := _PROMPT_ECHO.search(prose):
        return [("prompt_echo", echo.group(0))]
    problems = list(grounding.check(text, turn.candidates, other_titles=turn.other_titles,
                                    other_brands=turn.other_brands).problems)
    problems += [("policy", kind) for kind in medical_claims(text, allowed=titles)]
    if detect_language(prose) != turn.language:  # a Korean answer may name English titles
        problems.append(("language", detect_language(prose)))
    norm = grounding.normalise(text)
    names = [grounding.normalise(n) for c in turn.candidates for n in (c.title, c.sku, c.brand) if n]
    if not any(n in norm for n in names):
        problems.append(("no_product_named", ""))  # it was asked to explain these products
    return problems


class AnswerStream:
    """Async-iterate for text deltas; afterwards `final` holds the answer that was kept."""

    def __init__(self, turn: TurnContext, responder: Responder) -> None:
        self.turn = turn
        self.responder = responder
        self.final: FinalAnswer | None = None
        self.timings_ms: dict[str, float] = {}

    async def deltas(self) -> AsyncIterator[str]:
        started = time.perf_counter()
        if isinstance(self.responder, TemplateResponder) or not self.turn.candidates:
            # Nothing to explain means nothing to generate: the honest "no match" is fixed text.
            async for delta in TEMPLATE.stream(self.turn):
                self._first_token(started)
                yield delta
            self.final = FinalAnswer(TEMPLATE.render(self.turn), TEMPLATE.name, replaced=False)
        else:
            async for delta in self._generated(started):
                yield delta
        self.timings_ms["generate"] = _ms(started)

    async def _generated(self, started: float) -> AsyncIterator[str]:
        parts: list[str] = []
        try:
            async for delta in self.responder.stream(self.turn):
                self._first_token(started)
                parts.append(delta)
                yield delta
        except AisleError as exc:
            log.warning("LLM answer failed, using the template: %s", exc.detail)
            if parts:
                self.final = self._fallback("llm_error", [("llm_error", exc.detail)])
                return
            async for delta in TEMPLATE.stream(self.turn):  # nothing shown yet: stream it
                self._first_token(started)
                yield delta
            self.final = FinalAnswer(TEMPLATE.render(self.turn), TEMPLATE.name, replaced=False,
                                     fallback="llm_unavailable",
                                     problems=[("llm_unavailable", exc.detail)])
            return
        checked = time.perf_counter()
        text = "".join(parts)
        problems = review(text, self.turn)
        self.timings_ms["validate"] = _ms(checked)
        if problems:
            log.info("generated answer replaced by the template: %s", problems[:5])
            self.final = self._fallback(problems[0][0], problems)
            return
        if self.turn.notice:
            for piece in word_chunks("\n\n" + self.turn.notice):
                yield piece
            text += "\n\n" + self.turn.notice
        self.final = FinalAnswer(text, self.responder.name, replaced=False)

    def _fallback(self, reason: str, problems: list[tuple[str, str]]) -> FinalAnswer:
        return FinalAnswer(TEMPLATE.render(self.turn), TEMPLATE.name, replaced=True,
                           fallback=reason, problems=problems)

    def _first_token(self, started: float) -> None:
        self.timings_ms.setdefault("first_token", _ms(started))


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
