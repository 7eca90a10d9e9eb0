"""One chat turn, step by step: store the question, retrieve, explain, store the answer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from backend.chat.policy import notice_for
from backend.chat.responder import TurnContext
from backend.chat.schemas import MessageIn, MessagePublic, SessionPublic
from backend.db import session_scope
from backend.errors import NotFound
from backend.models import ChatMessage, ChatSession, utcnow
from backend.runtime import Runtime
from backend.search.schemas import SearchRequest, SearchResult
from backend.search.service import search
from recommender.lexical import detect_language


@dataclass
class PreparedTurn:
    session_id: str
    context: TurnContext
    timings_ms: dict[str, float] = field(default_factory=dict)


def create_session(session: Session, merchant_id: str) -> ChatSession:
    chat = ChatSession(merchant_id=merchant_id)
    session.add(chat)
    session.flush()
    return chat


def get_session(session: Session, merchant_id: str, session_id: str) -> ChatSession:
    chat = session.get(ChatSession, session_id)
    if chat is None or chat.merchant_id != merchant_id:
        raise NotFound(f"No chat session {session_id}. Start one with POST /v1/chat/sessions.")
    return chat


def prepare_turn(rt: Runtime, merchant_id: str, session_id: str, msg: MessageIn) -> PreparedTurn:
    """Everything before generation; its own unit of work, so the question is kept even if
    the shopper disconnects while the answer streams."""
    started = time.perf_counter()
    with session_scope(rt.engine) as session:
        chat = get_session(session, merchant_id, session_id)
        language = detect_language(msg.text)
        session.add(ChatMessage(session_id=chat.id, role="user", text=msg.text,
                                language=language, photo_id=msg.photo_id))
        # Chat never pushes what can't be bought: out-of-stock products are filtered in Qdrant.
        filters = msg.filters.model_copy(update={"in_stock": True})
        t0 = time.perf_counter()
        found = search(rt, session, merchant_id, SearchRequest(
            query=msg.text, filters=filters, limit=rt.settings.chat_candidates))
        retrieve_ms = (time.perf_counter() - t0) * 1000
    context = TurnContext(user_text=msg.text, language=language, candidates=found.results,
                          notice=notice_for(msg.text, language))
    return PreparedTurn(session_id, context, {
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
