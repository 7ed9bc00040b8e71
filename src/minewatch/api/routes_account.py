"""One's own account: the password rules, and changing one's own password.

A password change asks for the current password (see
:meth:`minewatch.services.accounts.Accounts.change_own_password`); wrong guesses count
against the same per-account, per-address budget as logins. The change ends every session
of the user, so a browser that asked gets a fresh session (new cookie, new CSRF token) and
stays signed in, while other browsers are signed out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from minewatch.api.auth import request_address, start_browser_session, too_many
from minewatch.api.deps import SESSION_COOKIE, Context, CurrentActor
from minewatch.api.errors import problems
from minewatch.api.language import request_locale
from minewatch.errors import InvalidInput
from minewatch.services.accounts import MAX_PASSWORD_LENGTH, password_rules
from minewatch.services.login import TooManyAttempts
from minewatch.vocabulary.problems import render

router = APIRouter(prefix="/api/account", tags=["account"])


class LanguageChoice(BaseModel):
    language: str | None = Field(default=None, max_length=35)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


@router.put(
    "/language",
    summary="Choose the language of your interface (null: follow the browser)",
    responses=problems(401, 422),
)
def choose_language(body: LanguageChoice, actor: CurrentActor, ctx: Context) -> dict[str, Any]:
    return {"language": ctx.accounts.set_own_language(actor, body.language)}


@router.get("/password-rules", summary="What a password must be")
def rules(request: Request) -> dict[str, Any]:
    """The rules in the request's language (``lang``, the account's, ``Accept-Language``)."""
    locale = request_locale(request)
    answer = password_rules()
    return {**answer, "rules": [render(rule, locale) for rule in answer["rules"]]}


@router.post(
    "/password",
    summary="Change your own password (give the current one)",
    responses=problems(401, 403, 429),
)
def change_password(
    body: PasswordChange, request: Request, response: Response, actor: CurrentActor, ctx: Context
) -> dict[str, Any]:
    try:
        ctx.throttle.check(
            actor.username,
            request_address(request),
            lambda: ctx.accounts.change_own_password(
                actor, body.current_password, body.new_password
            ),
            wrong=lambda exc: (
                isinstance(exc, InvalidInput) and exc.where.field == "current_password"
            ),
        )
    except TooManyAttempts as exc:
        raise too_many(exc) from None
    csrf = None
    if SESSION_COOKIE in request.cookies and "authorization" not in request.headers:
        csrf = start_browser_session(actor, response, ctx).csrf_token
    return {"changed": True, "csrf_token": csrf}
