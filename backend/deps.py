"""FastAPI dependencies: the runtime, a unit-of-work session, and the caller's merchant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from backend.db import session_scope
from backend.errors import Forbidden, Unauthorized
from backend.merchants.service import authenticate
from backend.models import KeyKind, Merchant
from backend.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(rt: RuntimeDep) -> Iterator[Session]:
    """The request's unit of work: services flush, this commits (or rolls back on error).

    Tasks queued with `enqueue_after_commit` are sent only once the commit succeeded, so a
    worker never looks for a row that isn't there yet, and a rolled-back request sends none.
    """
    with session_scope(rt.engine) as session:
        session.info[_OUTBOX] = []
        yield session
    if rt.tasks is not None:
        for name, kwargs in session.info.pop(_OUTBOX, []):
            rt.tasks.submit(name, **kwargs)


_OUTBOX = "aisle_outbox"


def enqueue_after_commit(session: Session, name: str, **kwargs: object) -> None:
    session.info.setdefault(_OUTBOX, []).append((name, kwargs))


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True)
class Caller:
    merchant: Merchant
    kind: KeyKind


def get_caller(request: Request, session: SessionDep) -> Caller:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("Missing API key. Send `Authorization: Bearer <key>`.")
    merchant, kind = authenticate(session, key.strip())
    return Caller(merchant, kind)


def get_admin(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    if caller.kind != KeyKind.admin:
        raise Forbidden("This endpoint needs the merchant's admin key, not a client key.")
    return caller


ClientDep = Annotated[Caller, Depends(get_caller)]
AdminDep = Annotated[Caller, Depends(get_admin)]
