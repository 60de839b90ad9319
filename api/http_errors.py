"""Every error as JSON with the field path at fault; never a traceback.

422 for a request that does not fit (each problem with its field), 404 for
what does not exist, 401/403 for who may not, 409 for a step out of order,
413 for a body over the size cap.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.sourcefiles import InputError, dotted
from engine.worker_pool import CaseError

log = logging.getLogger("justenough.api")


class FieldProblem(BaseModel):
    field: str
    reason: str


class ErrorBody(BaseModel):
    status: int
    title: str
    problems: list[FieldProblem] = []


class ApiError(Exception):
    def __init__(self, status: int, title: str, problems: Sequence[FieldProblem] = ()) -> None:
        super().__init__(title)
        self.body = ErrorBody(status=status, title=title, problems=list(problems))


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} was not found")


def bad_field(field: str, reason: str) -> ApiError:
    return ApiError(422, "the request does not fit", [FieldProblem(field=field, reason=reason)])


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (401, "No token, or a token nobody holds"),
        (403, "The token's role may not do this"),
        (404, "Not found"),
        (409, "A step out of order: an earlier step must be made or determined first"),
        (413, "The request body is larger than the server accepts"),
        (422, "The request does not fit: each problem with its field"),
    )
}


def respond(body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(), status_code=body.status, headers=headers)


def _location(loc: Sequence[Any]) -> str:
    """The field in the body (`intake.person.lives_in`), or `query.X` / `path.X`."""
    parts = tuple(
        p for p in loc if not (isinstance(p, str) and ("[" in p or p == "function-after"))
    )
    return dotted(parts[1:] if parts[:1] == ("body",) else parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.body.status == 401 else None
        return respond(error.body, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            FieldProblem(field=_location(item["loc"]), reason=str(item["msg"]))
            for item in error.errors()
        ]
        return respond(ErrorBody(status=422, title="the request does not fit", problems=problems))

    @app.exception_handler(InputError)
    async def _input(_request: Request, error: InputError) -> JSONResponse:
        problems = [FieldProblem(field=p.field, reason=p.reason) for p in error.problems]
        return respond(ErrorBody(status=422, title="the request does not fit", problems=problems))

    @app.exception_handler(CaseError)
    async def _engine(_request: Request, error: CaseError) -> JSONResponse:
        # The case is at fault, not the server: the rules engine failed on this input.
        title = f"the rules engine could not decide this case: {error}"
        return respond(ErrorBody(status=422, title=title))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return respond(ErrorBody(status=error.status_code, title=str(error.detail)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(ErrorBody(status=500, title="the server failed; the error is logged"))


class BodyLimit:
    """Refuse a body over `limit` bytes, by Content-Length or as it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise ApiError(413, f"the request body is over {self.limit} bytes")
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = ErrorBody(status=413, title=f"the request body is over {self.limit} bytes")
        await respond(body)(scope, receive, send)
