"""Chat API: sessions and turns, as SSE (`products`, `token`, `done`) or one JSON body."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request, status
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from backend.chat import service
from backend.chat.answer import AnswerStream, FinalAnswer
from backend.chat.metrics import ChatMetrics
from backend.chat.responder import Responder
from backend.chat.schemas import MessageIn, SessionCreated, SessionPublic, TurnResult
from backend.chat.sse import event
from backend.deps import ClientDep, RuntimeDep, SessionDep
from backend.errors import AisleError

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/chat", tags=["chat"])


def _responder(request: Request) -> Responder:
    return request.app.state.responder  # type: ignore[no-any-return]


def _metrics(request: Request) -> ChatMetrics:
    return request.app.state.chat_metrics  # type: ignore[no-any-return]


@router.post("/sessions", status_code=status.HTTP_201_CREATED)
def create_session(caller: ClientDep, session: SessionDep) -> SessionCreated:
    """Start a chat session for a shopper."""
    return SessionCreated(session_id=service.create_session(session, caller.merchant.id).id)


@router.get("/sessions/{session_id}")
def get_session(session_id: str, caller: ClientDep, session: SessionDep) -> SessionPublic:
    """The session's messages, each assistant turn with its products and reasons."""
    return service.session_history(session, caller.merchant.id, session_id)


@router.post(
    "/sessions/{session_id}/messages",
    responses={200: {"content": {"text/event-stream": {}, "application/json": {}}}},
    response_model=None,
)
async def post_message(session_id: str, body: MessageIn, caller: ClientDep, rt: RuntimeDep,
                       request: Request) -> StreamingResponse | TurnResult:
    """Ask; products and reasons come first, then the answer streams (SSE) or returns as JSON."""
    turn = await run_in_threadpool(service.prepare_turn, rt, caller.merchant.id, session_id, body)
    answer = AnswerStream(turn.context, _responder(request))
    metrics = _metrics(request)
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/event-stream" not in accept:
        async for _ in answer.deltas():
            pass
        final = _final(answer)
        message = await run_in_threadpool(service.store_answer, rt, turn, final.text, final.responder)
        metrics.kept(final.responder, final.fallback)
        metrics.observe({**turn.timings_ms, **answer.timings_ms})
        return TurnResult(message_id=message.id, text=final.text, language=turn.context.language,
                          products=turn.context.candidates, notice=turn.context.notice,
                          responder=final.responder, fallback=final.fallback,
                          understood=turn.understood)
    return StreamingResponse(_stream(rt, turn, answer, metrics), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _stream(rt: RuntimeDep, turn: service.PreparedTurn, answer: AnswerStream,
                  metrics: ChatMetrics) -> AsyncIterator[str]:
    # Products go out before any generation starts: the shopper sees them at retrieval speed.
    yield event("products", {
        "products": [p.model_dump() for p in turn.context.candidates],
        "language": turn.context.language, "notice": turn.context.notice,
        "understood": turn.understood,
    })
    parts: list[str] = []
    try:
        async for delta in answer.deltas():
            parts.append(delta)
            yield event("token", {"text": delta})
        final = _final(answer)
        message = await run_in_threadpool(service.store_answer, rt, turn, final.text, final.responder)
    except (AisleError, OSError) as exc:  # the 200 is sent: report in-band, then finish
        log.warning("chat turn failed mid-stream: %s", exc)
        yield event("error", {"detail": str(exc)})
        yield event("done", {"message_id": None, "text": "".join(parts), "complete": False})
        return
    timings = {**turn.timings_ms, **answer.timings_ms}
    metrics.kept(final.responder, final.fallback)
    metrics.observe(timings)
    yield done_event(message.id, final, timings)


def done_event(message_id: str, final: FinalAnswer, timings_ms: dict[str, float]) -> str:
    """The validated message. `replaced: true` means the streamed tokens were not kept:
    clients show `text` instead (`responder` says whose text it is, `fallback` why)."""
    return event("done", {"message_id": message_id, "text": final.text,
                          "responder": final.responder, "replaced": final.replaced,
                          "fallback": final.fallback, "complete": True,
                          "timings_ms": timings_ms})


def _final(answer: AnswerStream) -> FinalAnswer:
    if answer.final is None:  # deltas() always sets it when it runs to the end
        raise RuntimeError("answer stream ended without a final answer")
    return answer.final
