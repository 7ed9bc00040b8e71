"""Signing in and out, who am I, and personal API tokens.

A browser signs in with ``POST /api/auth/login`` and gets an HttpOnly, SameSite=Strict
session cookie plus a CSRF token (in the response and a readable cookie) to send back in
``X-CSRF-Token`` with every change. Scripts and QGIS use ``Authorization: Bearer <token>``
with a token from ``POST /api/auth/tokens`` or ``minewatch user token``.

Password checks are limited per account and per client address, counted in the store before
the password is checked (429 with ``Retry-After``; see :mod:`minewatch.services.login`);
until an administrator exists, logins are refused with the command that creates one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from minewatch.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    ApiContext,
    Context,
    CurrentActor,
    check_origin,
)
from minewatch.api.errors import HttpProblem, problems
from minewatch.domain.access import Actor, Role
from minewatch.errors import PermissionDenied
from minewatch.services.accounts import MAX_PASSWORD_LENGTH, Session
from minewatch.services.login import TooManyAttempts

router = APIRouter(prefix="/api/auth", tags=["authentication"])

NO_ADMIN = (
    "no administrator exists yet, so nobody can sign in: create one on the server with "
    "`minewatch user create-admin USERNAME -s STORE`"
)


class Credentials(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class TokenRequest(BaseModel):
    label: str | None = Field(None, max_length=200, description="what the token is for")
    valid_days: int | None = Field(365, ge=1, le=3650, description="null: never expires")


def actor_json(actor: Actor) -> dict[str, Any]:
    return {
        "username": actor.username,
        "role": actor.role.value,
        "organisation_code": actor.organisation_code,
        "personal_data": actor.personal_data,
        "signed_in": actor.role is not Role.PUBLIC,
    }


def request_address(request: Request) -> str:
    """The client's address for the login throttle: the TCP peer, or, from a proxy named in
    the settings' ``trusted_proxies``, the address it forwarded (see :mod:`minewatch.api.app`)."""
    return request.client.host if request.client else "unknown"


def too_many(exc: TooManyAttempts) -> HttpProblem:
    return HttpProblem(429, str(exc), {"Retry-After": str(exc.retry_after)})


@router.post(
    "/login",
    summary="Sign in; sets the session cookie",
    responses=problems(401, 403, 429, 503),
)
def login(body: Credentials, request: Request, response: Response, ctx: Context) -> dict[str, Any]:
    check_origin(request, ctx.settings)
    if not ctx.accounts.has_admin():
        raise HttpProblem(503, NO_ADMIN)
    try:
        actor = ctx.throttle.check(
            body.username,
            request_address(request),
            lambda: ctx.accounts.authenticate(body.username, body.password),
        )
    except TooManyAttempts as exc:
        raise too_many(exc) from None
    except PermissionDenied as exc:
        raise HttpProblem(401, str(exc)) from None
    session = start_browser_session(actor, response, ctx)
    return {"user": actor_json(actor), "csrf_token": session.csrf_token}


def start_browser_session(actor: Actor, response: Response, ctx: ApiContext) -> Session:
    """A new session for ``actor``, set in ``response`` as the HttpOnly session cookie and
    the readable CSRF cookie the pages send back."""
    ttl = timedelta(hours=ctx.settings.session_hours)
    session = ctx.accounts.start_session(actor, ttl)
    secure, age = ctx.settings.secure_cookies, int(ttl.total_seconds())
    response.set_cookie(
        SESSION_COOKIE, session.token, max_age=age, httponly=True, secure=secure, samesite="strict"
    )
    response.set_cookie(
        CSRF_COOKIE,
        session.csrf_token,
        max_age=age,
        httponly=False,
        secure=secure,
        samesite="strict",
    )
    return session


@router.post("/logout", summary="Sign out; ends the session", responses=problems(401, 403))
def logout(
    request: Request, response: Response, ctx: Context, actor: CurrentActor
) -> dict[str, Any]:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        ctx.accounts.end_session(token)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return {"signed_out": True}


@router.get("/me", summary="Who the server thinks you are", responses=problems(401))
def me(actor: CurrentActor, ctx: Context) -> dict[str, Any]:
    return {
        **actor_json(actor),
        "language": ctx.accounts.language_of(actor),
        "logins_open": ctx.accounts.has_admin(),
    }


@router.post(
    "/tokens",
    status_code=201,
    summary="A new API token (shown only once)",
    responses=problems(401, 403),
)
def new_token(body: TokenRequest, actor: CurrentActor, ctx: Context) -> dict[str, Any]:
    token_id, secret = ctx.accounts.issue_token(actor, body.label, body.valid_days)
    return {"id": token_id, "token": secret, "label": body.label}


@router.get("/tokens", summary="Your API tokens (never their secrets)", responses=problems(401))
def tokens(actor: CurrentActor, ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "label": t.label,
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        }
        for t in ctx.accounts.list_tokens(actor)
    ]


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="Revoke one of your tokens",
    responses=problems(401, 403, 404),
)
def revoke(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], actor: CurrentActor, ctx: Context
) -> Response:
    ctx.accounts.revoke_token(actor, token_id)
    return Response(status_code=204)
