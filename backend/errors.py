"""Domain errors raised below the HTTP edge, rendered once as RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"


class AisleError(Exception):
    """Base for errors a client can act on; `detail` says what to do."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(AisleError):
    status = 404
    title = "Not found"


class Conflict(AisleError):
    status = 409
    title = "Conflict"


class InvalidInput(AisleError):
    status = 422
    title = "Invalid input"


class Unauthorized(AisleError):
    status = 401
    title = "Unauthorized"


class Forbidden(AisleError):
    status = 403
    title = "Forbidden"


class PayloadTooLarge(AisleError):
    status = 413
    title = "Payload too large"


class UnsupportedMediaType(AisleError):
    status = 415
    title = "Unsupported media type"


class Unavailable(AisleError):
    status = 503
    title = "Service unavailable"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(AisleError)
    async def _aisle(_req: Request, exc: AisleError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, **exc.extra)

    from recommender.index import IndexSchemaMismatch, IndexUnavailable

    @app.exception_handler(IndexUnavailable)
    @app.exception_handler(IndexSchemaMismatch)
    async def _index(_req: Request, exc: Exception) -> JSONResponse:
        return problem(503, "Search index unavailable", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:5])
        return problem(422, "Invalid request", detail or "The request is invalid.", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No such endpoint. The API lives under /v1; see /docs."
        return problem(exc.status_code, _title(exc.status_code), detail)


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
