"""Task orders over HTTP: the tasking board (every task by status), one task's file (its
areas' release accounting, the activities and products that fulfil it, its status history),
issuing a task (the authority) and moving its status. Their outlines are also the OGC API
Features collection ``task_orders`` (``/collections/task_orders/items?status=issued`` for
one status), which the map shows as open tasks."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from minewatch.api.deps import National, Workflow
from minewatch.api.errors import problems
from minewatch.domain.records import ActivityMethod, ActivityType, TaskStatus
from minewatch.services import task_board, tasking

router = APIRouter(prefix="/api/tasks", tags=["tasking"])

#: A day the programme's records may hold (the prioritisation ranks from 1900).
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2200, 12, 31))]

CHANGES = problems(400, 401, 403, 404, 422)


class TaskIn(BaseModel):
    """A new task order: the areas, the organisation tasked, what to do and by when; with
    ``ranked`` its priority is the areas' rank and score in the prioritisation (the
    server's configuration, ``scenario`` or its default, on the day issued)."""

    model_config = ConfigDict(extra="forbid")

    hazardous_area_codes: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=1, max_length=500
    )
    organisation_code: str = Field(max_length=64)
    issue_date: date
    activity_type: ActivityType | None = None
    method: ActivityMethod | None = None
    start_date: Day | None = None
    due_date: Day | None = None
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    authority_code: str | None = Field(None, max_length=64)
    ranked: bool = True
    scenario: str | None = Field(None, max_length=100)


class StatusIn(BaseModel):
    """A move of a task's status on a day, with the reason where one is needed."""

    model_config = ConfigDict(extra="forbid")

    status: TaskStatus
    date: Day
    reason: str | None = Field(None, max_length=2000)


@router.get("", summary="The tasking board: task orders by status")
def board(
    wf: Workflow,
    organisation: Annotated[
        str | None, Query(description="Only this organisation's tasks.", max_length=64)
    ] = None,
) -> dict[str, Any]:
    """A column per status in the workflow's order (issued, accepted, in progress,
    suspended, completed, cancelled), each task with its areas, priority, dates, whether it
    is overdue and the statuses that may follow."""
    return task_board.task_board(wf, organisation_code=organisation)


@router.get("/{code}", summary="One task order's file", responses=problems(404))
def task_file(wf: Workflow, code: str) -> dict[str, Any]:
    """The task, its areas' land release accounting now, the activities and products that
    fulfil it and the reports that brought them, and its status history (who, when)."""
    return task_board.task_file(wf, code)


@router.post("", summary="Issue a task order (the authority)", status_code=201, responses=CHANGES)
def issue(wf: Workflow, national: National, body: TaskIn) -> dict[str, Any]:
    tasking.check_may_issue(wf)  # before the ranking, which takes time
    priority = (
        tasking.priority_of(
            wf,
            body.hazardous_area_codes,
            national.priority,
            scenario=body.scenario,
            as_of=body.issue_date,
        )
        if body.ranked
        else None
    )
    made = tasking.issue_task(
        wf,
        body.hazardous_area_codes,
        body.organisation_code,
        issue_date=body.issue_date,
        activity_type=body.activity_type.value if body.activity_type else None,
        method=body.method.value if body.method else None,
        start_date=body.start_date,
        due_date=body.due_date,
        name=body.name,
        description=body.description,
        priority=priority,
        authority_code=body.authority_code,
    )
    return task_board.task_file(wf, made.code or "")


@router.post("/{code}/status", summary="Move a task's status", responses=CHANGES)
def move(wf: Workflow, code: str, body: StatusIn) -> dict[str, Any]:
    """Completing and cancelling are the authority's; the tasked organisation's own moves
    wait for review (the answer then still shows the status before the move)."""
    tasking.change_status(wf, code, body.status, body.date, body.reason)
    return task_board.task_file(wf, code)
