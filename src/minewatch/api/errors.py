"""The one place that turns errors into HTTP responses, and documents them.

``InvalidInput`` → 422 with its location, ``NotFound`` → 404, ``Conflict`` → 409,
``PermissionDenied`` → 403 (401 when nobody is signed in, so a client knows to
authenticate); ``StaleVersion`` in a request with ``If-Match`` → 412. :class:`HttpProblem`
carries the few statuses that only HTTP knows (412 unreadable ``If-Match``, 428 missing
``If-Match``, 429 too many logins, 400 bad OGC parameters). A request FastAPI cannot read
(a missing field, a number that is not one) is 422, except under ``/ogc``, where OGC API
Features requires 400 for every invalid parameter.

Every error answer is a :class:`Problem`; routes declare which ones they give with
:func:`problems`, so the OpenAPI document lists them:

>>> sorted(problems(404, 409))
[404, 409]
>>> problems(404)[404]["description"]
'Not Found'
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY

from minewatch.api.body_limit import too_large
from minewatch.api.language import request_locale
from minewatch.domain.access import PUBLIC
from minewatch.errors import (
    Conflict,
    InvalidInput,
    MinewatchError,
    NotFound,
    PermissionDenied,
    ServerUnavailable,
    StaleVersion,
)
from minewatch.vocabulary.problems import error_message, message_text, unreadable_text

#: Where OGC API Features is served; a parameter it cannot read is 400 there, not 422.
OGC_PREFIX = "/ogc"


class ValidationIssue(BaseModel):
    """One thing FastAPI could not read in a request (pydantic's error, as FastAPI sends it)."""

    model_config = ConfigDict(extra="allow")
    loc: list[str | int] = Field(description='where, e.g. ["query", "limit"]')
    msg: str
    type: str


class ProblemLocation(BaseModel):
    """Where in the input a problem is: any of file (as sent), row (1-based) and field."""

    file: str | None = None
    row: int | str | None = None
    field: str | None = None


class Problem(BaseModel):
    """Every error answer. ``code`` and ``description`` are the fields of an OGC API
    exception; ``detail`` is FastAPI's (a message, or the list of what it could not read)."""

    detail: str | list[ValidationIssue]
    code: str = Field(description="the HTTP status, as text", examples=["404"])
    description: str = Field(description="what went wrong, for a person to read")
    location: ProblemLocation | None = Field(
        None, description="for invalid input: the file, row and field at fault"
    )
    rule: str | None = Field(
        None,
        description="the stable code of the rule refused, where one is named; unlike the "
        "message it does not change with the wording or the language",
        examples=["task_status_move"],
    )


PROBLEM_REF = "#/components/schemas/Problem"
FASTAPI_422 = "#/components/schemas/HTTPValidationError"


def problems(*statuses: int) -> dict[int | str, Any]:
    """``responses=`` for a route or router: these error statuses, each with a Problem."""
    return {
        status: {"model": Problem, "description": HTTPStatus(status).phrase} for status in statuses
    }


class HttpProblem(Exception):
    """An error whose status only makes sense in HTTP; like a MinewatchError, its message
    may be a template with its ``params`` apart, shown in the request's language."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        /,
        **params: Any,
    ) -> None:
        self.template = message
        self.params = params
        self.message = message.format(**params) if params else message
        super().__init__(self.message)
        self.status = status
        self.headers = headers or {}


STATUS: dict[type[MinewatchError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    PermissionDenied: 403,
    ServerUnavailable: 502,
}


def _body(status: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"detail": message, "code": str(status), "description": message, **extra}


def _answer(
    request: Request, body: dict[str, Any], status: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A Problem in the request's language: it says which, and that it depends on the
    language asked for."""
    headers = dict(headers or {})
    headers["Content-Language"] = request_locale(request)
    headers["Vary"] = "Accept-Language"
    return JSONResponse(body, status_code=status, headers=headers)


def problem(status: int, message: str, **extra: Any) -> JSONResponse:
    """A Problem answer with more fields, for a route that returns it rather than raises
    (an import that rejected rows answers 422 with its report)."""
    return JSONResponse(_body(status, message, **extra), status_code=status)


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
    if exc.rule is not None:
        extra["rule"] = exc.rule
    message = error_message(exc, request_locale(request))
    return _answer(request, _body(status, message, **extra), status, headers)


def _http_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HttpProblem)
    message = message_text(exc.template, exc.params, request_locale(request))
    return _answer(request, _body(exc.status, message), exc.status, exc.headers)


def _http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (no such path, method not allowed, body too large) as Problems."""
    assert isinstance(exc, HTTPException)
    if exc.status_code in (204, 304) or exc.status_code < 200:
        return Response(status_code=exc.status_code, headers=exc.headers)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    locale = request_locale(request)
    if exc.status_code == 413:  # a body over the limit, found while it streamed in
        message = too_large(request.scope.get(MAX_BODY_SIZE_SCOPE_KEY), locale)
    else:  # Starlette's own words ("Not Found", "Method Not Allowed") when catalogued
        message = message_text(message, {}, locale)
    body = _body(exc.status_code, message)
    return _answer(request, body, exc.status_code, exc.headers)


def _is_ogc(request: Request) -> bool:
    route = request.scope.get("route")
    return str(getattr(route, "path", "")).startswith(OGC_PREFIX)


def _unreadable_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = jsonable_encoder(exc.errors())
    first = issues[0] if issues else {"loc": [], "msg": "the request could not be read"}
    where = " ".join(str(part) for part in first["loc"])
    said = unreadable_text(str(first.get("type", "")), str(first["msg"]), request_locale(request))
    message = f"{where}: {said}" if where else said
    status = 400 if _is_ogc(request) else 422
    return _answer(request, _body(status, message) | {"detail": issues}, status)


def _document_unreadable_requests(app: FastAPI) -> None:
    """Document what FastAPI's own checks answer: an unreadable request is a Problem (FastAPI
    would write its HTTPValidationError), 400 under ``/ogc`` (:func:`_unreadable_request`);
    a body that cannot be parsed at all is 400, one over the size limit 413 (body_limit)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem.pop("$defs", {}))
            schemas.setdefault("Problem", problem)
            content = {"application/json": {"schema": {"$ref": PROBLEM_REF}}}
            unreadable = {"description": "the request could not be read", "content": content}
            unparsable = {"description": "the body could not be parsed", "content": content}
            too_big = {"description": "the body is over this server's limit", "content": content}
            for path, operations in document["paths"].items():
                for operation in operations.values():
                    responses = operation["responses"]
                    if FASTAPI_422 in str(responses.get("422")):
                        del responses["422"]
                        status = "400" if path.startswith(OGC_PREFIX) else "422"
                        responses.setdefault(status, unreadable)
                    if "requestBody" in operation:  # bytes FastAPI cannot parse; too many
                        responses.setdefault("400", unparsable)
                        responses.setdefault("413", too_big)
            if FASTAPI_422 not in str(document["paths"]):
                schemas.pop("HTTPValidationError", None)
                schemas.pop("ValidationError", None)
        return generate()

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    app.add_exception_handler(MinewatchError, _minewatch_error)
    app.add_exception_handler(HttpProblem, _http_problem)
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _unreadable_request)
    _document_unreadable_requests(app)
