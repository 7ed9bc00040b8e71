"""Administration: users (roles, organisations, the personal-data grant) and the audit log.
Administrators only, except that anyone signed in may change their own password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from minewatch.api.deps import Context, CurrentActor
from minewatch.api.errors import problems
from minewatch.api.params import Day
from minewatch.domain.access import Role
from minewatch.services.accounts import MAX_PASSWORD_LENGTH, UserRow, audit_entries_plain

#: Every route here needs a signed-in caller, most an administrator.
router = APIRouter(prefix="/api", tags=["administration"], responses=problems(401, 403))


class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    role: Role
    organisation_code: str | None = None
    personal_data: bool = False


class UserChange(BaseModel):
    role: Role | None = None
    organisation_code: str | None = None
    personal_data: bool | None = None
    active: bool | None = None
    password: str | None = Field(None, min_length=1, max_length=MAX_PASSWORD_LENGTH)


def user_json(user: UserRow) -> dict[str, Any]:
    return {
        "username": user.username,
        "role": user.role,
        "organisation_code": user.organisation_code,
        "personal_data": user.personal_data,
        "active": user.active,
        "created_at": user.created_at.isoformat(),
    }


@router.get("/users", summary="Every user")
def list_users(actor: CurrentActor, ctx: Context) -> list[dict[str, Any]]:
    return [user_json(u) for u in ctx.accounts.list_users(actor)]


@router.post("/users", status_code=201, summary="Create a user", responses=problems(409))
def create_user(body: NewUser, actor: CurrentActor, ctx: Context) -> dict[str, Any]:
    user = ctx.accounts.create_user(
        actor, body.username, body.password, body.role, body.organisation_code, body.personal_data
    )
    return user_json(user)


@router.patch(
    "/users/{username}",
    summary="Change a user (or your own password)",
    responses=problems(404),
)
def change_user(
    username: str, body: UserChange, actor: CurrentActor, ctx: Context
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    return user_json(ctx.accounts.update_user(actor, username, **changes))


@router.get("/audit", summary="The audit log, newest first")
def audit(
    actor: CurrentActor,
    ctx: Context,
    user: Annotated[str | None, Query(max_length=64, description="who acted")] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    target: Annotated[
        str | None, Query(max_length=300, description="exactly, e.g. user:amina")
    ] = None,
    about: Annotated[
        str | None,
        Query(max_length=100, description="target or detail mentions this (a kind or a code)"),
    ] = None,
    since: Annotated[Day | None, Query(description="from this day (UTC)")] = None,
    until: Annotated[Day | None, Query(description="to this day (UTC), included")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> list[dict[str, Any]]:
    entries = ctx.accounts.audit_log(
        actor,
        actor=user,
        action=action,
        target=target,
        about=about,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return audit_entries_plain(entries)


@router.get("/audit/actions", summary="The actions the audit log holds")
def audit_actions(actor: CurrentActor, ctx: Context) -> list[str]:
    return ctx.accounts.audit_actions(actor)
