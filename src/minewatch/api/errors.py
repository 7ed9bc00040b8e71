"""The one place that turns minewatch errors into HTTP responses.

``InvalidInput`` → 422 with its location, ``NotFound`` → 404, ``Conflict`` → 409,
``PermissionDenied`` → 403 (401 when nobody is signed in, so a client knows to
authenticate); ``StaleVersion`` in a request with ``If-Match`` → 412. :class:`HttpProblem`
carries the few statuses that only HTTP knows (412 unreadable ``If-Match``, 428 missing
``If-Match``, 429 too many logins, 400 bad OGC parameters).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from minewatch.domain.access import PUBLIC
from minewatch.errors import (
    Conflict,
    InvalidInput,
    MinewatchError,
    NotFound,
    PermissionDenied,
    StaleVersion,
)


class HttpProblem(Exception):
    """An error whose status only makes sense in HTTP."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


STATUS: dict[type[MinewatchError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    PermissionDenied: 403,
}


def _body(status: int, message: str, **extra: Any) -> dict[str, Any]:
    # "code" and "description" are the fields OGC API clients look for in an exception.
    return {"detail": message, "code": str(status), "description": message, **extra}


def _minewatch_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MinewatchError)
    status = next((s for t, s in STATUS.items() if isinstance(exc, t)), 400)
    if isinstance(exc, StaleVersion) and "if-match" in request.headers:
        # A conditional write whose version lost, however late the loss was found (RFC 9110
        # §13.1.1): the client must reload, not resolve a conflict.
        status = 412
    headers: dict[str, str] = {}
    actor = getattr(request.state, "actor", None)
    if status == 403 and (actor is None or actor == PUBLIC):
        status, headers = 401, {"WWW-Authenticate": 'Bearer realm="minewatch"'}
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInput):
        w = exc.where
        extra["location"] = {"file": w.file, "row": w.row, "field": w.field}
        message = exc.message
    else:
        message = str(exc)
    return JSONResponse(_body(status, message, **extra), status_code=status, headers=headers)


def _http_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HttpProblem)
    return JSONResponse(_body(exc.status, exc.message), status_code=exc.status, headers=exc.headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(MinewatchError, _minewatch_error)
    app.add_exception_handler(HttpProblem, _http_problem)
