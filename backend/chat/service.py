"""One chat turn, step by step: store the question, retrieve, explain, store the answer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from backend.chat import memory
from backend.chat.policy import COSMETIC_NOTICE, notice_for
from backend.chat.responder import TurnContext
from backend.chat.schemas import MessageIn, MessagePublic, SessionPublic
from backend.db import get_owned, session_scope
from backend.errors import NotFound
from backend.models import ChatMessage, ChatSession, Product, utcnow
from backend.runtime import Runtime
from backend.search.schemas import SearchRequest, SearchResult
from backend.search.service import search
from recommender.lexical import detect_language


@dataclass
class PreparedTurn:
    session_id: str
    context: TurnContext
    understood: dict[str, Any] = field(default_factory=dict)  # the search run, for clients
    timings_ms: dict[str, float] = field(default_factory=dict)


def _merchant_brands(session: Session, merchant_id: str) -> tuple[str, ...]:
    """The merchant's brands: an answer naming one no candidate carries is off the facts."""
    rows = session.exec(select(Product.brand).where(Product.merchant_id == merchant_id,
                                                    col(Product.brand).is_not(None))
                        .distinct().limit(1000)).all()
    return tuple(b for b in rows if b)


def create_session(session: Session, merchant_id: str) -> ChatSession:
    chat = ChatSession(merchant_id=merchant_id)
    session.add(chat)
    session.flush()
    return chat


def get_session(session: Session, merchant_id: str, session_id: str) -> ChatSession:
    chat = get_owned(session, ChatSession, session_id, merchant_id)
    if chat is None:
        raise NotFound(f"No chat session {session_id}. Start one with POST /v1/chat/sessions.")
    return chat


def prepare_turn(rt: Runtime, merchant_id: str, session_id: str, msg: MessageIn) -> PreparedTurn:
    """Everything before generation; its own unit of work, so the question is kept even if
    the shopper disconnects while the answer streams."""
    started = time.perf_counter()
    s = rt.settings
    with session_scope(rt.engine) as session:
        chat = get_session(session, merchant_id, session_id)
        language = detect_language(msg.text)
        history = memory.load_turns(session, chat.id)  # before this message is added
        session.add(ChatMessage(session_id=chat.id, role="user", text=msg.text,
                                language=language, photo_id=msg.photo_id))
        # The product set and prices are fixed here, in code, before any model runs.
        refined = memory.resolve(msg.text, history)
        # Chat never pushes what can't be bought: out-of-stock products are filtered in Qdrant.
        filters = memory.merge_filters(refined.filters, msg.filters).model_copy(
            update={"in_stock": True})
        t0 = time.perf_counter()
        found = search(rt, session, merchant_id, SearchRequest(
            query=refined.query[:500], filters=filters, limit=s.chat_candidates,
            photo_id=msg.photo_id,  # the photo's analysis boosts and explains (issue 5)
            profile=msg.profile))
        retrieve_ms = (time.perf_counter() - t0) * 1000
        brands = _merchant_brands(session, merchant_id)
    shown = {c.title for c in found.results}
    context = TurnContext(
        user_text=msg.text, language=language, candidates=found.results,
        notice=notice_for(f"{msg.text} {refined.query}", language) or (
            COSMETIC_NOTICE["ko" if language == "ko" else "en"] if found.understood.photo
            and found.understood.photo.kind == "skin" else None),
        memory=memory.summarise(history, max_turns=s.chat_memory_turns,
                                max_chars=s.chat_memory_chars),
        other_titles=tuple({p["title"] for t in history for p in t.products
                            if p.get("title") and p["title"] not in shown}),
        other_brands=brands,
    )
    understood = {**refined.describe(), "filters": filters.model_dump(exclude_defaults=True)}
    return PreparedTurn(session_id, context, understood, {
        "retrieve": round(retrieve_ms, 2),
        "prepare": round((time.perf_counter() - started) * 1000, 2),
    })


def store_answer(rt: Runtime, turn: PreparedTurn, text: str, responder: str) -> ChatMessage:
    with session_scope(rt.engine) as session:
        message = ChatMessage(
            session_id=turn.session_id, role="assistant", text=text,
            language=turn.context.language, responder=responder,
            products=[_stored_product(p) for p in turn.context.candidates],
        )
        session.add(message)
        chat = session.get(ChatSession, turn.session_id)
        if chat is not None:
            chat.updated_at = utcnow()
            session.add(chat)
    return message


def _stored_product(item: SearchResult) -> dict[str, object]:
    return {
        "product_id": item.product_id, "sku": item.sku, "title": item.title,
        "price": item.price, "currency": item.currency,
        "reasons": [r.model_dump() for r in item.reasons],
    }


def session_history(session: Session, merchant_id: str, session_id: str) -> SessionPublic:
    chat = get_session(session, merchant_id, session_id)
    rows = session.exec(select(ChatMessage).where(ChatMessage.session_id == chat.id)
                        .order_by(col(ChatMessage.created_at))).all()
    return SessionPublic(session_id=chat.id, created_at=chat.created_at, messages=[
        MessagePublic(id=m.id, role=m.role, text=m.text, language=m.language,
                      products=m.products, responder=m.responder, created_at=m.created_at)
        for m in rows
    ])
