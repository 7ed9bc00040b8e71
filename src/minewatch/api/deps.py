"""What every request needs: the store, who is asking, and the workflow acting for them.

An actor is found from ``Authorization: Bearer <token>`` (scripts, QGIS) or the session
cookie (the browser); without either the caller is the public. Cookie-authenticated
requests that change something must carry the session's CSRF token in ``X-CSRF-Token`` and,
when the browser sends an ``Origin``, come from this server or a trusted origin.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from minewatch.api.errors import HttpProblem
from minewatch.api.settings import ApiSettings
from minewatch.domain.access import PUBLIC, Actor
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.context import AppContext, Configuration, Repository
from minewatch.services.login import LoginGuard

SESSION_COOKIE = "minewatch_session"
CSRF_COOKIE = "minewatch_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class ApiContext:
    """The long-lived objects of one running server: the application context that the CLI
    builds the same way (:func:`minewatch.services.context.open_context`), and the server's
    own settings and login throttle."""

    core: AppContext
    settings: ApiSettings
    throttle: LoginGuard

    @property
    def store(self) -> Repository:
        return self.core.store

    @property
    def accounts(self) -> Accounts:
        return self.core.accounts

    @property
    def configuration(self) -> Configuration:
        return self.core.configuration


async def context(request: Request) -> ApiContext:
    """The application's context. ``async`` although it awaits nothing: FastAPI runs a plain
    function dependency on its thread pool, and the hand-off there and back cost more than
    the OGC API's whole query (profiled under 50 clients, issue 20)."""
    ctx: ApiContext = request.app.state.ctx
    return ctx


Context = Annotated[ApiContext, Depends(context)]


def check_origin(request: Request, settings: ApiSettings) -> None:
    """403 unless a browser-sent ``Origin`` is this server's own or a trusted one."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin != own and origin not in settings.trusted_origins:
        raise HttpProblem(403, "requests from {origin} are not accepted", origin=origin)


def _bearer_actor(request: Request, ctx: ApiContext, header: str) -> Actor:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HttpProblem(401, "use Authorization: Bearer <token>", _challenge())
    actor = ctx.accounts.actor_for_token(token.strip())
    if actor is None:
        raise HttpProblem(401, "unknown, expired or revoked token", _challenge())
    return actor


def _challenge() -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="minewatch"'}


def current_actor(request: Request, ctx: Context) -> Actor:
    """Who is asking; raises 401 for a bad token and 403 for a cross-site write."""
    actor = PUBLIC
    header = request.headers.get("authorization")
    cookie = request.cookies.get(SESSION_COOKIE)
    if header:
        actor = _bearer_actor(request, ctx, header)
    elif cookie:
        session = ctx.accounts.session(cookie)
        if session is not None:
            if request.method not in SAFE_METHODS:
                check_origin(request, ctx.settings)
                sent = request.headers.get(CSRF_HEADER, "")
                if not secrets.compare_digest(sent.encode(), session.csrf_token.encode()):
                    raise HttpProblem(403, "missing or wrong {header} header", header=CSRF_HEADER)
            actor = session.actor
    request.state.actor = actor
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def workflow(ctx: Context, actor: CurrentActor) -> AuditedWorkflow:
    """The workflow for the caller, under the same national configuration as the CLI."""
    return ctx.core.workflow(actor)


Workflow = Annotated[AuditedWorkflow, Depends(workflow)]


def national_configuration(ctx: Context) -> Configuration:
    """The national configuration the server was started with (the shipped defaults when
    none was named): the same object the CLI builds from the same file."""
    return ctx.core.configuration


National = Annotated[Configuration, Depends(national_configuration)]
