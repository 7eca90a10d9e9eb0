"""Conversation memory from the stored turns: follow-ups refine the last search, and a long
session is summarised to a bounded context for the answer.

Follow-ups are read by rules, deterministically ("더 싼 거 있어?" means cheaper than the
cheapest product just shown; "in black?" means the last search in black). How a follow-up was
understood is not stored: it is replayed from the stored messages, so the DB keeps only what
the shopper said and what was shown, and the replay is bounded by `WINDOW` turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from backend.models import ChatMessage
from backend.search.schemas import Filters
from recommender.query import parse_query

# How many earlier turns a follow-up chain is replayed over.
WINDOW = 8

_CHEAPER = re.compile(r"더\s*(?:싼|싸|저렴)|싼\s*(?:거|걸|것|건|제품|상품)|"
                      r"저렴한\s*(?:거|걸|것|건|제품|상품)|"
                      r"cheaper|less expensive|lower[- ]priced?|more affordable|budget option", re.I)
_PRICIER = re.compile(r"더\s*비싼|pricier|more expensive|higher[- ]end", re.I)
_COLOURS: dict[str, tuple[str, ...]] = {
    "black": ("black", "검정", "검은", "블랙"), "white": ("white", "흰", "하얀", "화이트"),
    "red": ("red", "빨간", "빨강", "레드"), "blue": ("blue", "파란", "파랑", "블루"),
    "navy": ("navy", "네이비", "남색"), "green": ("green", "초록", "녹색", "그린"),
    "beige": ("beige", "베이지"), "brown": ("brown", "갈색", "브라운"),
    "grey": ("grey", "gray", "회색", "그레이"), "pink": ("pink", "분홍", "핑크"),
    "yellow": ("yellow", "노란", "노랑", "옐로"), "ivory": ("ivory", "아이보리"),
    "camel": ("camel", "카멜"), "silver": ("silver", "은색", "실버"), "gold": ("gold", "금색", "골드"),
}
_COLOUR_WORD = re.compile("|".join(sorted((w for ws in _COLOURS.values() for w in ws),
                                          key=len, reverse=True)), re.I)
# Words that carry no product meaning in a follow-up ("in black?", "더 싼 거 있어?").
_FILLER = re.compile(
    r"\b(?:in|any|anything|something|one|ones|do|you|have|got|show|me|the|a|an|with|is|are|"
    r"there|what|about|how|please|other|another|more|colou?r|option|options|version|it|that|"
    r"those|this|these|instead|also|maybe|or|and|some|still|same|but|for)\b|"
    r"있어요?|있나요|있을까요?|있니|없어요?|보여\s*줘|보여\s*주세요|추천\s*해\s*줘|추천해\s*주세요|추천|"
    r"해\s*줘|주세요|으로는|로는|으로|로|색상|색깔|색|컬러|제품|상품|은요|는요|거|걸|것|건|좀|더|혹시|그럼|"
    r"은|는|이|가|요|[?!.,~\s]", re.I)


@dataclass(frozen=True)
class PastTurn:
    """One earlier exchange: what the shopper said and the products shown in reply."""

    user_text: str
    products: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Refined:
    """What to search for this turn once the conversation is taken into account."""

    query: str
    filters: Filters
    follow_up: tuple[str, ...] = ()  # "cheaper", "pricier", "colour" when read from context

    def describe(self) -> dict[str, Any]:
        return {"query": self.query, "follow_up": list(self.follow_up),
                "filters": self.filters.model_dump(exclude_defaults=True)}


def load_turns(session: Session, session_id: str, *, limit: int = WINDOW) -> list[PastTurn]:
    """The last `limit` exchanges of the session, oldest first."""
    rows = session.exec(select(ChatMessage).where(ChatMessage.session_id == session_id)
                        .order_by(col(ChatMessage.created_at).desc(), col(ChatMessage.id))
                        .limit(limit * 2 + 2)).all()
    turns: list[PastTurn] = []
    for message in reversed(rows):
        if message.role == "user":
            turns.append(PastTurn(message.text))
        elif message.role == "assistant" and turns:
            turns[-1] = PastTurn(turns[-1].user_text, list(message.products))
    return turns[-limit:]


def resolve(text: str, history: list[PastTurn]) -> Refined:
    """Replay the follow-up chain over `history`, then read `text` against it."""
    state: Refined | None = None
    shown: list[dict[str, Any]] = []
    for turn in history:
        state = refine(turn.user_text, state, shown)
        shown = turn.products
    return refine(text, state, shown)


def refine(text: str, previous: Refined | None, shown: list[dict[str, Any]]) -> Refined:
    """Read one message: a new request, or a follow-up to `previous` (whose products were `shown`)."""
    pricier = bool(_PRICIER.search(text))  # first: "더 비싼 거" also contains "싼 거"
    cheaper = bool(_CHEAPER.search(_PRICIER.sub(" ", text)))
    colours = [name for name, words in _COLOURS.items()
               if any(re.search(re.escape(w), text, re.I) for w in words)]
    intent = parse_query(text)
    rest = _FILLER.sub(" ", _CHEAPER.sub(" ", _PRICIER.sub(" ", _COLOUR_WORD.sub(" ", intent.search_text))))
    bare = not rest.strip()
    if previous is None or not (cheaper or pricier or colours):
        return Refined(text, Filters())
    if bare:
        query, filters = _carried(previous)
    else:  # "cheaper moisturizer?": a new request, priced against what was just shown
        query, filters = " ".join(_CHEAPER.sub(" ", _PRICIER.sub(" ", text)).split()), Filters()
    update: dict[str, Any] = {}
    follow_up: list[str] = []
    prices = [float(p["price"]) for p in shown if p.get("price") is not None]
    step = 1.0 if all(p.get("currency") in ("KRW", "JPY") for p in shown) else 0.01
    # "Cheaper" replaces the earlier budget: below the cheapest shown, no lower bound.
    if cheaper and prices:
        update.update(price_max=min(prices) - step, price_min=None)
        follow_up.append("cheaper")
    elif pricier and prices:
        update.update(price_min=max(prices) + step, price_max=None)
        follow_up.append("pricier")
    if colours and bare:
        update["attributes"] = {**filters.attributes, "color": colours}
        follow_up.append("colour")
    if intent.price_max is not None:
        update["price_max"] = intent.price_max
    if intent.price_min is not None:
        update["price_min"] = intent.price_min
    if not follow_up:
        return Refined(text, Filters())
    return Refined(query, filters.model_copy(update=update), tuple(follow_up))


def _carried(previous: Refined) -> tuple[str, Filters]:
    """The previous search, its budget phrase ("1만원 이상") moved into the filters so a
    follow-up can change it."""
    intent = parse_query(previous.query)
    f = previous.filters
    return intent.search_text or previous.query, f.model_copy(update={
        "price_min": f.price_min if f.price_min is not None else intent.price_min,
        "price_max": f.price_max if f.price_max is not None else intent.price_max,
    })


def merge_filters(context: Filters, explicit: Filters) -> Filters:
    """The client's explicit filters win over those read from the conversation."""
    update = {k: v for k, v in explicit.model_dump(exclude_defaults=True).items()}
    if "attributes" in update:
        update["attributes"] = {**context.attributes, **update["attributes"]}
    return context.model_copy(update=update)


def summarise(history: list[PastTurn], *, max_turns: int, max_chars: int) -> str:
    """A bounded, deterministic context of earlier turns: the last `max_turns` in full (what
    was asked, what was shown at which price), older ones counted; at most `max_chars`."""
    if not history or max_turns == 0 or max_chars == 0:
        return ""
    recent, older = history[-max_turns:], history[:-max_turns]
    lines = [f"({len(older)} earlier questions, e.g. {older[-1].user_text[:80]!r})"] if older else []
    for turn in recent:
        # Titles only: an earlier price is not a fact of this turn and must not be repeated.
        shown = "; ".join(str(p.get("title", "")) for p in turn.products[:5]) or "nothing matched"
        lines.append(f"Shopper: {turn.user_text[:200]}\nShown: {shown}")
    text = "\n".join(lines)
    while len(text) > max_chars and len(lines) > 1:
        lines.pop(0)
        text = "\n".join(lines)
    return text[-max_chars:]
