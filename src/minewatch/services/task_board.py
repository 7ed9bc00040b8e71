"""What the tasking board and a task's file show (issue 18): every task order by status
(:func:`task_board`), and one task with its areas' release accounting, the activities and
products that fulfil it, the reports that brought them and the history of its status
(:func:`task_file`). Changing tasks is :mod:`minewatch.services.tasking`.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> board = task_board(AuditedWorkflow(store, local_admin(), Accounts(store)), today=date(2025, 1, 1))
>>> [c["status"] for c in board["columns"]]
['issued', 'accepted', 'in_progress', 'suspended', 'completed', 'cancelled']
"""

from __future__ import annotations

from datetime import date
from typing import Any

from minewatch.domain.queries import ItemQuery, ReportQuery
from minewatch.domain.records import (
    Kind,
    LandReleaseActivity,
    Organisation,
    ReleaseProduct,
    TaskOrder,
    TaskStatus,
)
from minewatch.domain.reports import ReportState
from minewatch.domain.schema.plain import to_plain
from minewatch.domain.tasking import OPEN, TRANSITIONS
from minewatch.errors import NotFound
from minewatch.services import disclosure
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.tasking import release_of, task_activities


def _names(wf: AuditedWorkflow, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    items = wf.list_items(ItemQuery(Kind.ORGANISATION, codes=sorted(codes)))
    return {o.code or "": o.acronym or o.name for o in items if isinstance(o, Organisation)}


def _summary(task: TaskOrder, names: dict[str, str], today: date) -> dict[str, Any]:
    return {
        "code": task.code,
        "name": task.name,
        "organisation_code": task.organisation_code,
        "organisation": names.get(task.organisation_code or ""),
        "hazardous_area_codes": list(task.hazardous_area_codes),
        "activity_type": to_plain(task.activity_type),
        "method": to_plain(task.method),
        "priority_rank": task.priority_rank,
        "priority_score": task.priority_score,
        "issue_date": to_plain(task.issue_date),
        "start_date": to_plain(task.start_date),
        "due_date": to_plain(task.due_date),
        "status": task.status.value,
        "status_date": to_plain(task.status_date),
        "status_reason": task.status_reason,
        "overdue": bool(task.status in OPEN and task.due_date and task.due_date < today),
        "next": sorted(s.value for s in TRANSITIONS[task.status]),
    }


def task_board(
    wf: AuditedWorkflow,
    *,
    organisation_code: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Every task order (of one organisation, or all) in a column per status, in the
    workflow's order; in a column, by priority rank (unranked last), then due date. Each
    task says whether it is overdue (open and past its due date) and which statuses may
    follow.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> from minewatch.services.tasking import issue_task
    >>> store = demo_store(tmp)
    >>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
    >>> _ = issue_task(wf, ["HA-000002"], "ORG-000002", issue_date=date(2025, 1, 10),
    ...                due_date=date(2025, 3, 1))
    >>> board = task_board(wf, today=date(2025, 4, 1))
    >>> [(t["code"], t["organisation"], t["overdue"]) for t in board["columns"][0]["tasks"]]
    [('TSK-000002', 'DDN', False), ('TSK-000003', 'DDN', True)]

    (the demo's task is ranked by the prioritisation, the new one not: it comes first)
    >>> [t["code"] for t in board["columns"][2]["tasks"]], board["columns"][2]["tasks"][0]["next"]
    (['TSK-000001'], ['cancelled', 'completed', 'suspended'])
    """
    disclosure.check_kind_visible(wf.actor, Kind.TASK_ORDER)
    day = today or date.today()
    where: dict[str, object] = {"organisation_code": organisation_code} if organisation_code else {}
    tasks = [
        t
        for t in wf.store.iter_items(ItemQuery(Kind.TASK_ORDER, where=where))
        if isinstance(t, TaskOrder)
    ]
    names = _names(wf, {t.organisation_code for t in tasks if t.organisation_code})
    tasks.sort(
        key=lambda t: (
            t.priority_rank is None,
            t.priority_rank or 0,
            t.due_date or date.max,
            t.code or "",
        )
    )
    columns = [
        {"status": s.value, "tasks": [_summary(t, names, day) for t in tasks if t.status is s]}
        for s in TaskStatus
    ]
    return {"columns": columns, "total": len(tasks), "today": day.isoformat()}


def task_file(wf: AuditedWorkflow, code: str, *, today: date | None = None) -> dict[str, Any]:
    """One task order: its summary, its areas' land release accounting now, the approved
    activities that name it and their products, the reports that brought them (the
    completion reports), and its status history (each report on the task: date, status,
    reason, who reported it and who approved it, its state).

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> file = task_file(AuditedWorkflow(store, local_admin(), Accounts(store)), "TSK-000001")
    >>> [(h["date"], h["status"]) for h in file["history"]]
    [('2025-02-01', 'issued'), ('2025-02-05', 'accepted'), ('2025-03-01', 'in_progress')]
    >>> [(a["hazardous_area_code"], a["progress"]) for a in file["areas"]]
    [('HA-000002', 'not_released'), ('HA-000003', 'not_released')]
    """
    disclosure.check_kind_visible(wf.actor, Kind.TASK_ORDER)
    task = wf.get_item(Kind.TASK_ORDER, code)
    if not isinstance(task, TaskOrder):  # pragma: no cover - the store returns the kind
        raise NotFound("no task order {code}", code=code)
    names = _names(wf, {c for c in (task.organisation_code, task.authority_code) if c})
    activities = task_activities(wf, task.code or "")
    activity_codes = [a.code or "" for a in activities]
    products = (
        [
            p
            for p in wf.list_items(
                ItemQuery(Kind.RELEASE_PRODUCT, where={"activity_code": activity_codes})
            )
            if isinstance(p, ReleaseProduct)
        ]
        if activity_codes
        else []
    )
    reports = []
    for item in (*activities, *products):
        for r in wf.list_reports(ReportQuery(item_id=item.id, limit=50)):
            reports.append({"code": r.code, "kind": r.kind.value, "item_code": r.item_code,
                            "state": r.state.value, "date_of_information": to_plain(r.date_of_information)})  # fmt: skip
    history = []
    for r in sorted(
        wf.list_reports(ReportQuery(item_id=task.id, limit=200)),
        key=lambda r: (r.date_of_information, r.created_at),
    ):
        if "status" not in r.changes or r.state is ReportState.REJECTED:
            continue
        history.append(
            {
                "report": r.code,
                "date": to_plain(r.date_of_information),
                "status": r.changes["status"],
                "reason": r.changes.get("status_reason"),
                "by": r.created_by,
                "approved_by": r.decided_by if r.state is ReportState.APPROVED else None,
                "state": r.state.value,
            }
        )
    return {
        **_summary(task, names, today or date.today()),
        "authority_code": task.authority_code,
        "authority": names.get(task.authority_code or ""),
        "priority_scenario": task.priority_scenario,
        "description": task.description,
        "released_m2": task.released_m2,
        "remaining_m2": task.remaining_m2,
        "areas": release_of(wf, task.hazardous_area_codes),
        "activities": [_activity(a) for a in activities],
        "products": [_product(p) for p in products],
        "reports": reports,
        "history": history,
    }


def _activity(a: LandReleaseActivity) -> dict[str, Any]:
    return {
        "code": a.code,
        "activity_type": to_plain(a.activity_type),
        "method": to_plain(a.method),
        "hazardous_area_code": a.hazardous_area_code,
        "organisation_code": a.organisation_code,
        "start_date": to_plain(a.start_date),
        "end_date": to_plain(a.end_date),
    }


def _product(p: ReleaseProduct) -> dict[str, Any]:
    return {
        "code": p.code,
        "product_type": to_plain(p.product_type),
        "activity_code": p.activity_code,
        "hazardous_area_code": p.hazardous_area_code,
        "release_date": to_plain(p.release_date),
    }
