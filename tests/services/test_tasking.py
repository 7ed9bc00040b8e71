"""Tasking (issue 18): a task followed from its order to the release of its land, on both
stores; the status workflow's refusals; the board. All data here are synthetic."""

from __future__ import annotations

from datetime import date

import pytest
from shapely import box

from minewatch.domain.access import Actor, Role, local_admin
from minewatch.domain.queries import ReportQuery
from minewatch.domain.records import HazardousArea, Kind, TaskOrder
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput, PermissionDenied
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.priority import configured
from minewatch.services.records import Draft
from minewatch.services.task_board import task_board, task_file
from minewatch.services.tasking import change_status, issue_task, priority_of, release_of
from minewatch.store import SqlRepository

AUTHORITY, OPERATOR = "ORG-000001", "ORG-000002"
FIELD = box(30.0, 50.0, 30.004, 50.003)  # ~8.6 ha
OTHER = box(30.01, 50.0, 30.012, 50.002)


@pytest.fixture
def authority(store: SqlRepository, synthetic_organisations: tuple[str, ...]) -> AuditedWorkflow:
    wf = AuditedWorkflow(store, local_admin("nmac"), Accounts(store))
    wf.create_drafts(
        [
            Draft(
                Kind.HAZARDOUS_AREA,
                {"name": "Synthetic field", "classification": "CHA", "organisation_code": OPERATOR},
                date(2024, 1, 5),
                FIELD,
            ),
            Draft(
                Kind.HAZARDOUS_AREA,
                {"name": "Synthetic pasture", "organisation_code": OPERATOR},
                date(2024, 1, 5),
                OTHER,
            ),
            Draft(
                Kind.ACCREDITATION,
                {
                    "organisation_code": OPERATOR,
                    "methods": ["manual"],
                    "valid_from": "2024-01-01",
                    "certificate_reference": "SYN/1",
                },
                date(2024, 1, 1),
            ),
        ],
        state=ReportState.APPROVED,
    )
    return wf


def _operator(store: SqlRepository) -> AuditedWorkflow:
    accounts = Accounts(store)
    return AuditedWorkflow(store, Actor("ops", Role.DATA_WORKER, OPERATOR), accounts)


def test_a_task_followed_from_order_to_release(
    store: SqlRepository, authority: AuditedWorkflow
) -> None:
    reviewer = AuditedWorkflow(store, Actor("qa", Role.REVIEWER), Accounts(store))
    priority = priority_of(authority, ["HA-000001"], configured(), as_of=date(2024, 2, 1))
    assert priority.rank in (1, 2) and priority.scenario == configured().default_scenario
    task = issue_task(
        authority,
        ["HA-000001"],
        OPERATOR,
        issue_date=date(2024, 2, 1),
        activity_type="clearance",
        method="manual",
        due_date=date(2024, 6, 30),
        name="Clear the synthetic field",
        priority=priority,
        authority_code=AUTHORITY,
    )
    assert (task.code, task.status.value, task.priority_rank) == (
        "TSK-000001",
        "issued",
        priority.rank,
    )
    assert task.geometry is not None and task.geometry.equals(FIELD)

    # the operator accepts and starts: its reports wait for the authority's review
    operator = _operator(store)
    assert (
        change_status(operator, "TSK-000001", "accepted", date(2024, 2, 3)).status.value == "issued"
    )
    [pending] = operator.list_reports(_task_reports())
    reviewer.approve(pending.code or "")
    assert authority.get_item(Kind.TASK_ORDER, "TSK-000001").status.value == "accepted"  # type: ignore[attr-defined]
    change_status(authority, "TSK-000001", "in_progress", date(2024, 3, 1))

    # completing before any work is reported is refused
    with pytest.raises(InvalidInput, match="no approved activity names TSK-000001"):
        change_status(authority, "TSK-000001", "completed", date(2024, 4, 1))
    with pytest.raises(PermissionDenied):
        change_status(operator, "TSK-000001", "completed", date(2024, 4, 1))

    # the completion report: an activity naming the task and the land it cleared
    authority.create_drafts(
        [
            Draft(
                Kind.LAND_RELEASE_ACTIVITY,
                {
                    "activity_type": "clearance",
                    "method": "manual",
                    "hazardous_area_code": "HA-000001",
                    "organisation_code": OPERATOR,
                    "task_order_code": "TSK-000001",
                    "start_date": "2024-03-01",
                    "end_date": "2024-04-20",
                },
                date(2024, 4, 20),
            ),
            Draft(
                Kind.RELEASE_PRODUCT,
                {
                    "product_type": "cleared",
                    "activity_code": "LRA-000001",
                    "hazardous_area_code": "HA-000001",
                    "organisation_code": OPERATOR,
                    "release_date": "2024-04-20",
                },
                date(2024, 4, 20),
                FIELD,
            ),
        ],
        state=ReportState.APPROVED,
    )
    [before] = release_of(authority, ["HA-000001"])
    assert before["progress"] == "released"
    done = change_status(authority, "TSK-000001", "completed", date(2024, 4, 25))
    assert done.status.value == "completed" and done.remaining_m2 == 0
    assert done.released_m2 == pytest.approx(before["original_m2"], abs=0.1)
    area = authority.get_item(Kind.HAZARDOUS_AREA, "HA-000001")
    assert isinstance(area, HazardousArea) and area.status.value == "released"
    untouched = authority.get_item(Kind.HAZARDOUS_AREA, "HA-000002")
    assert isinstance(untouched, HazardousArea) and untouched.status.value == "open"

    file = task_file(authority, "TSK-000001", today=date(2024, 5, 1))
    assert [(h["status"], h["by"], h["approved_by"]) for h in file["history"]] == [
        ("issued", "nmac", "nmac"),
        ("accepted", "ops", "qa"),
        ("in_progress", "nmac", "nmac"),
        ("completed", "nmac", "nmac"),
    ]
    assert [a["code"] for a in file["activities"]] == ["LRA-000001"]
    assert [p["code"] for p in file["products"]] == ["RP-000001"]
    assert {r["item_code"] for r in file["reports"]} == {"LRA-000001", "RP-000001"}
    assert file["areas"][0]["progress"] == "released" and file["next"] == []
    # nothing follows completion
    with pytest.raises(InvalidInput, match="it is closed"):
        change_status(authority, "TSK-000001", "in_progress", date(2024, 5, 1))


def _task_reports() -> ReportQuery:
    return ReportQuery(kind=Kind.TASK_ORDER, state=ReportState.SUBMITTED)


def test_the_workflow_refuses_moves_it_does_not_allow(
    store: SqlRepository, authority: AuditedWorkflow
) -> None:
    issue_task(
        authority, ["HA-000002"], OPERATOR, issue_date=date(2024, 2, 1), due_date=date(2024, 3, 1)
    )
    with pytest.raises(InvalidInput, match="a task that is issued cannot become in progress"):
        change_status(authority, "TSK-000001", "in_progress", date(2024, 2, 2))
    with pytest.raises(InvalidInput, match="say why the task is cancelled"):
        change_status(authority, "TSK-000001", "cancelled", date(2024, 2, 2))
    with pytest.raises(InvalidInput, match="no hazardous area has the code HA-000404"):
        issue_task(authority, ["HA-000404"], OPERATOR, issue_date=date(2024, 2, 1))
    # a move waiting for review is checked again when it is approved
    operator = _operator(store)
    change_status(operator, "TSK-000001", "accepted", date(2024, 2, 3))
    change_status(
        authority, "TSK-000001", "cancelled", date(2024, 2, 4), "the land was handed back"
    )
    [waiting] = operator.list_reports(_task_reports())
    reviewer = AuditedWorkflow(store, Actor("qa", Role.REVIEWER), Accounts(store))
    with pytest.raises(InvalidInput, match="a task that is cancelled cannot become accepted"):
        reviewer.approve(waiting.code or "")
    # and an update report through the ordinary workflow is held to the same rule
    with pytest.raises(InvalidInput, match="cancelled cannot become issued"):
        authority.create_draft(Kind.TASK_ORDER, {"status": "issued"}, item_ref="TSK-000001",
                               date_of_information=date(2024, 2, 5))  # fmt: skip
    board = task_board(authority, today=date(2024, 4, 1))
    cancelled = next(c for c in board["columns"] if c["status"] == "cancelled")
    [row] = cancelled["tasks"]
    assert (row["status_reason"], row["overdue"]) == ("the land was handed back", False)
    assert isinstance(authority.get_item(Kind.TASK_ORDER, "TSK-000001"), TaskOrder)


def test_work_must_fit_the_task_it_names(store: SqlRepository, authority: AuditedWorkflow) -> None:
    """An activity naming a task order must be on one of the task's areas, and the task must
    not have been cancelled; a batch (an import) refuses the row, naming the field."""
    issue_task(authority, ["HA-000001"], OPERATOR, issue_date=date(2024, 2, 1))
    issue_task(authority, ["HA-000002"], OPERATOR, issue_date=date(2024, 2, 1))
    change_status(authority, "TSK-000002", "cancelled", date(2024, 2, 2), "handed back")

    def activity(area: str, task: str) -> Draft:
        fields = {"activity_type": "clearance", "method": "manual", "hazardous_area_code": area,
                  "organisation_code": OPERATOR, "task_order_code": task}  # fmt: skip
        return Draft(Kind.LAND_RELEASE_ACTIVITY, fields, date(2024, 3, 1))

    with pytest.raises(InvalidInput, match="TSK-000001 is for HA-000001, not HA-000002") as exc:
        authority.create_drafts([activity("HA-000002", "TSK-000001")])
    assert exc.value.where.field == "hazardous_area_code"
    with pytest.raises(InvalidInput, match="task order TSK-000002 was cancelled"):
        authority.create_drafts([activity("HA-000002", "TSK-000002")])
    assert not authority.list_reports(ReportQuery(kind=Kind.LAND_RELEASE_ACTIVITY))
    [ok] = authority.create_drafts([activity("HA-000001", "TSK-000001")])
    assert ok.item_code == "LRA-000001"
