"""Tasking (issue 18): the national authority issues a task order to an organisation for
one or more hazardous areas (:func:`issue_task`), with the priority the prioritisation
ranks them at (:func:`priority_of`); the task's status moves through its workflow
(:func:`change_status`: issued, accepted, in progress, suspended, completed, cancelled),
each move a report on the task, so who moved it and when is its history. The activities
that do the work name the task (``task_order_code``); completing the task closes the loop
into land release: the areas' release accounting is recorded on the task (released and
remaining m²) and each area the accounting finds fully released gets the register status
``released``. The board and a task's file are :mod:`minewatch.services.task_board`.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
>>> task = issue_task(wf, ["HA-000002"], "ORG-000002", issue_date=date(2025, 2, 1),
...                   activity_type="clearance", method="manual", due_date=date(2025, 9, 30))
>>> task.code, task.status.value, task.geometry.geom_type   # the demo has issued two
('TSK-000003', 'issued', 'MultiPolygon')
>>> change_status(wf, "TSK-000003", "accepted", date(2025, 2, 3)).status.value
'accepted'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import shapely

from minewatch.domain import access
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import (
    HazardousArea,
    HazardStatus,
    Kind,
    LandReleaseActivity,
    TaskOrder,
    TaskStatus,
)
from minewatch.domain.reports import ReportState
from minewatch.domain.schema import clean_code
from minewatch.domain.tasking import NEEDS_REASON, transition_refusal
from minewatch.domain.text import Term
from minewatch.errors import InvalidInput, Location, NotFound, PermissionDenied
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.landrelease.balances import area_balances
from minewatch.services.landrelease.inputs import ReleaseFilter
from minewatch.services.records import Draft
from minewatch.services.records.transitions import RULE_MOVE

if TYPE_CHECKING:
    from minewatch.priority_config import PriorityConfig
    from minewatch.store.base import Repository

#: Statuses only the authority (a reviewer or administrator) may give.
AUTHORITY_ONLY = frozenset({TaskStatus.COMPLETED, TaskStatus.CANCELLED})

#: The stable codes of the rules a task's status refusals name (``MinewatchError.rule``;
#: the API answers them as ``rule``), whatever the wording or the reader's language.
RULE_UNKNOWN_STATUS = "task_status_unknown"
RULE_REASON = "task_status_reason"
RULE_AUTHORITY_ONLY = "task_status_authority_only"
RULE_OTHER_ORGANISATION = "task_other_organisation"
RULE_COMPLETION_WITHOUT_WORK = "task_completion_without_work"
RULE_ISSUER = "task_issuer"


@dataclass(frozen=True)
class Priority:
    """Where a task's areas stand in the prioritisation: the best rank among them, the
    highest score, and the scenario ranked by.

    >>> Priority(rank=3, score=4.2, scenario="balanced").rank
    3
    """

    rank: int | None
    score: float | None
    scenario: str


def priority_of(
    wf: AuditedWorkflow,
    area_codes: Sequence[str],
    config: PriorityConfig,
    *,
    scenario: str | None = None,
    as_of: date | None = None,
) -> Priority:
    """The prioritisation's rank and score for these areas (their best rank and highest
    score, since the task is as urgent as its most urgent area), under ``scenario`` of
    ``config`` (default: its default scenario) on ``as_of``. Areas not ranked (closed or
    released) give no rank.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> from minewatch.services.priority import configured
    >>> store = demo_store(tmp)
    >>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
    >>> p = priority_of(wf, ["HA-000001", "HA-000003"], configured(), as_of=date(2025, 1, 1))
    >>> p.rank, round(p.score or 0, 2), p.scenario
    (1, 15.79, 'balanced')
    """
    return ranked_priority(wf.store, area_codes, config, scenario=scenario, as_of=as_of)


def ranked_priority(
    store: Repository,
    area_codes: Sequence[str],
    config: PriorityConfig,
    *,
    scenario: str | None = None,
    as_of: date | None = None,
) -> Priority:
    """:func:`priority_of` on a store read directly (the synthetic demo loads through a plain
    workflow, before any account exists).

    >>> from minewatch.services.priority import configured
    >>> ranked_priority(demo_store(tmp), ["HA-000404"], configured()).rank is None
    True
    """
    from minewatch.services import priority as service

    request = service.PriorityRequest(
        config=config,
        inputs=service.with_context(service.PriorityInputs(), config),
        scenario=scenario,
        as_of=as_of or date.today(),
    )
    ranked = service.rank_store(store, request)
    mine = ranked[ranked["code"].isin(list(area_codes))]
    if mine.empty:
        return Priority(None, None, request.scenario_name)
    return Priority(int(mine["rank"].min()), float(mine["score"].max()), request.scenario_name)


def _areas(wf: AuditedWorkflow, codes: Sequence[str]) -> list[HazardousArea]:
    wanted = [c for c in dict.fromkeys(clean_code(c) for c in codes if c) if c]
    if not wanted:
        raise InvalidInput(
            "a task needs at least one hazardous area", Location(field="hazardous_area_codes")
        )
    found = {
        a.code: a
        for a in wf.list_items(ItemQuery(Kind.HAZARDOUS_AREA, codes=wanted))
        if isinstance(a, HazardousArea)
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(
            "no hazardous area has the code {codes}",
            Location(field="hazardous_area_codes"),
            codes=", ".join(missing),
        )
    return [found[c] for c in wanted]


def _state(wf: AuditedWorkflow) -> ReportState:
    """Reports by the authority (reviewers, administrators) land approved; an
    organisation's data worker's wait for review."""
    return (
        ReportState.APPROVED if wf.actor.at_least(access.Role.REVIEWER) else ReportState.SUBMITTED
    )


def check_may_issue(wf: AuditedWorkflow) -> None:
    """PermissionDenied unless the actor may issue task orders (a reviewer or an
    administrator: the national authority).

    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> check_may_issue(AuditedWorkflow(store, PUBLIC, Accounts(store)))
    Traceback (most recent call last):
    ...
    minewatch.errors.PermissionDenied: public may not issue task orders: the national authority does
    """
    if not wf.actor.at_least(access.Role.REVIEWER):
        raise PermissionDenied(
            "{user} may not issue task orders: the national authority does",
            user=wf.actor.username,
        ).because(RULE_ISSUER)


def issue_task(
    wf: AuditedWorkflow,
    area_codes: Sequence[str],
    organisation_code: str,
    *,
    issue_date: date,
    activity_type: str | None = None,
    method: str | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    name: str | None = None,
    description: str | None = None,
    priority: Priority | None = None,
    authority_code: str | None = None,
) -> TaskOrder:
    """Issue a task order to ``organisation_code`` for these hazardous areas (the task's
    outline is theirs together). Only the authority issues tasks (a reviewer or an
    administrator); the order is approved as it is issued.

    Examples
    --------
    >>> from minewatch.domain.access import Actor, Role
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> worker = AuditedWorkflow(store, Actor("w", Role.DATA_WORKER, "ORG-000002"), Accounts(store))
    >>> issue_task(worker, ["HA-000002"], "ORG-000002", issue_date=date(2025, 1, 1))
    Traceback (most recent call last):
    ...
    minewatch.errors.PermissionDenied: w may not issue task orders: the national authority does
    """
    check_may_issue(wf)
    areas = _areas(wf, area_codes)
    outline = shapely.union_all([a.geometry for a in areas if a.geometry is not None])
    geometry = None if outline.is_empty else outline
    changes: dict[str, Any] = {
        "name": name,
        "organisation_code": organisation_code,
        "authority_code": authority_code,
        "hazardous_area_codes": [a.code for a in areas],
        "activity_type": activity_type,
        "method": method,
        "issue_date": issue_date.isoformat(),
        "start_date": start_date.isoformat() if start_date else None,
        "due_date": due_date.isoformat() if due_date else None,
        "status": TaskStatus.ISSUED.value,
        "status_date": issue_date.isoformat(),
        "description": description,
    }
    if priority is not None:
        changes |= {
            "priority_rank": priority.rank,
            "priority_score": priority.score,
            "priority_scenario": priority.scenario,
        }
    draft = Draft(
        Kind.TASK_ORDER,
        {k: v for k, v in changes.items() if v is not None},
        issue_date,
        geometry,
        organisation_code=authority_code or wf.actor.organisation_code,
    )
    [report] = wf.create_drafts([draft], state=ReportState.APPROVED)
    return cast(TaskOrder, wf.get_item(Kind.TASK_ORDER, report.item_code or ""))


def task_activities(wf: AuditedWorkflow, task_code: str) -> list[LandReleaseActivity]:
    """The approved activities that name the task, by code.

    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> task_activities(AuditedWorkflow(store, local_admin(), Accounts(store)), "TSK-000404")
    []
    """
    query = ItemQuery(Kind.LAND_RELEASE_ACTIVITY, where={"task_order_code": task_code})
    return [a for a in wf.list_items(query) if isinstance(a, LandReleaseActivity)]


def release_of(wf: AuditedWorkflow, area_codes: Sequence[str]) -> list[dict[str, Any]]:
    """The land release accounting of these areas now: per area its original, released
    and remaining m² and its progress (released, partly released, not released).

    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> [(r["hazardous_area_code"], r["progress"]) for r in release_of(
    ...     AuditedWorkflow(store, local_admin(), Accounts(store)), ["HA-000001", "HA-000002"])]
    [('HA-000001', 'released'), ('HA-000002', 'not_released')]
    """
    if not area_codes:
        return []
    page = area_balances(
        wf.store, ReleaseFilter(hazardous_areas=list(area_codes)), limit=len(area_codes)
    )
    return page.rows


def change_status(
    wf: AuditedWorkflow,
    task_code: str,
    status: str | TaskStatus,
    on: date,
    reason: str | None = None,
) -> TaskOrder:
    """Move a task to ``status`` on ``on`` (a report on the task: who and when is its
    history). The move must be one :mod:`minewatch.domain.tasking` allows; suspending and
    cancelling need a reason; completing and cancelling are the authority's (a reviewer or
    administrator), the other moves are also the tasked organisation's, whose reports wait
    for review. Completing needs at least one approved activity naming the task; it records
    the areas' release accounting on the task (released and remaining m²) and gives each
    area the accounting finds fully released the register status ``released``.

    Returns the task as it stands after the move (unchanged while a move waits for review).

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
    >>> _ = issue_task(wf, ["HA-000005"], "ORG-000002", issue_date=date(2025, 2, 1))
    >>> change_status(wf, "TSK-000003", "completed", date(2025, 2, 2))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field status: a task that is issued cannot become completed; it
     can become accepted or cancelled
    >>> change_status(wf, "TSK-000003", "cancelled", date(2025, 2, 2))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field status_reason: say why the task is cancelled
    """
    task = wf.get_item(Kind.TASK_ORDER, task_code)
    if not isinstance(task, TaskOrder):  # pragma: no cover - the store returns the kind
        raise NotFound("no task order {code}", code=task_code)
    try:
        new = TaskStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in TaskStatus)
        raise InvalidInput(
            "status must be one of {choices}, not {value}",
            Location(field="status"),
            choices=choices,
            value=repr(status),
        ).because(RULE_UNKNOWN_STATUS) from None
    if (refusal := transition_refusal(task.status, new)) is not None:
        raise refusal.invalid(Location(field="status")).because(RULE_MOVE)
    if new in NEEDS_REASON and not (reason and reason.strip()):
        raise InvalidInput(
            "say why the task is {status}", Location(field="status_reason"), status=Term.of(new)
        ).because(RULE_REASON)
    if new in AUTHORITY_ONLY and not wf.actor.at_least(access.Role.REVIEWER):
        raise PermissionDenied(
            "{user} may not mark a task {status}: the authority does",
            user=wf.actor.username,
            status=Term.of(new),
        ).because(RULE_AUTHORITY_ONLY)
    if (
        not wf.actor.at_least(access.Role.REVIEWER)
        and wf.actor.organisation_code != task.organisation_code
    ):
        raise PermissionDenied(
            "{user} may not move another organisation's task", user=wf.actor.username
        ).because(RULE_OTHER_ORGANISATION)
    changes: dict[str, Any] = {"status": new.value, "status_date": on.isoformat()}
    if reason and reason.strip():
        changes["status_reason"] = reason.strip()
    released: list[dict[str, Any]] = []
    if new is TaskStatus.COMPLETED:
        if not task_activities(wf, task.code or ""):
            raise InvalidInput(
                "no approved activity names {code}: report the work (its activities and "
                "products, naming the task) before completing it",
                Location(field="status"),
                code=task.code,
            ).because(RULE_COMPLETION_WITHOUT_WORK)
        released = release_of(wf, task.hazardous_area_codes)
        changes["released_m2"] = round(sum(float(r["released_m2"]) for r in released), 1)
        changes["remaining_m2"] = round(sum(float(r["remaining_m2"]) for r in released), 1)
    drafts = [
        Draft(
            Kind.TASK_ORDER,
            changes,
            on,
            None,
            item_ref=task.code,
            organisation_code=task.organisation_code,
        )
    ]
    drafts += _released_areas(wf, released, on)
    with wf.all_or_nothing():
        wf.create_drafts(drafts, state=_state(wf))
    return cast(TaskOrder, wf.get_item(Kind.TASK_ORDER, task.code or ""))


def _released_areas(wf: AuditedWorkflow, balances: list[dict[str, Any]], on: date) -> list[Draft]:
    """Reports giving the register status ``released`` to the areas the accounting finds
    fully released (and not already so)."""
    codes = [r["hazardous_area_code"] for r in balances if r["progress"] == "released"]
    if not codes:
        return []
    areas = wf.list_items(ItemQuery(Kind.HAZARDOUS_AREA, codes=codes))
    return [
        Draft(
            Kind.HAZARDOUS_AREA,
            {"status": HazardStatus.RELEASED.value},
            max(on, a.date_of_information or on),
            None,
            item_ref=a.code,
            organisation_code=getattr(a, "organisation_code", None),
            source="task order completed: the land release accounting finds it fully released",
        )
        for a in areas
        if isinstance(a, HazardousArea) and a.status is not HazardStatus.RELEASED
    ]
