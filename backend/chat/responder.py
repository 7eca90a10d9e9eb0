"""Responders turn chosen candidates into prose. The backend picks products; they only explain.

`TemplateResponder` is deterministic and grounded by construction: every product name, price
and reason it says is copied from the candidates. An LLM responder implements the same
interface and is checked against the same candidates before its answer is kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from backend.search.schemas import SearchResult
from recommender.reasons import format_price


@dataclass(frozen=True)
class TurnContext:
    user_text: str
    language: str
    candidates: list[SearchResult]
    notice: str | None
    # Bounded summary of earlier turns (backend/chat/memory.py), quoted into an LLM prompt.
    memory: str = ""
    # Products shown in earlier turns and the merchant's brands: an answer naming one of
    # these that is not a candidate is not grounded in this turn.
    other_titles: tuple[str, ...] = ()
    other_brands: tuple[str, ...] = ()


class Responder(Protocol):
    name: str

    def stream(self, turn: TurnContext) -> AsyncIterator[str]:
        """Yield text deltas of the answer."""
        ...

    async def health(self) -> tuple[bool, str]:
        """Whether this responder can answer now, and what /readyz should say about it."""
        ...


class TemplateResponder:
    name = "template"

    def render(self, turn: TurnContext) -> str:
        ko = turn.language == "ko"
        if not turn.candidates:
            text = ("조건에 맞는 상품을 찾지 못했어요. 다른 표현이나 조건으로 다시 물어봐 주세요."
                    if ko else "I couldn't find products that match. Try other words or fewer "
                    "conditions.")
        else:
            lines = [f"추천 상품 {len(turn.candidates)}개를 골랐어요." if ko
                     else f"Here are {len(turn.candidates)} products that fit your request."]
            for i, item in enumerate(turn.candidates, start=1):
                price = format_price(item.price, item.currency, turn.language)
                why = "; ".join(r.text for r in item.reasons if r.kind != "in_stock") or (
                    "관련 상품" if ko else "related product")
                lines.append(f"{i}. {item.title} ({price}) — {why}")
            text = "\n".join(lines)
        if turn.notice:
            text += "\n\n" + turn.notice
        return text

    async def health(self) -> tuple[bool, str]:
        return True, "template responder (no LLM configured: AISLE_LLM_BASE_URL)"

    async def stream(self, turn: TurnContext) -> AsyncIterator[str]:
        text = self.render(turn)
        # Word-sized deltas, like an LLM stream, so clients exercise one code path.
        for piece in word_chunks(text):
            yield piece
            await asyncio.sleep(0)


def word_chunks(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in text:
        word += ch
        if ch in " \n":
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return out
