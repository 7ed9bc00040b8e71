"""The report workflow through the service, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from shapely import Point, Polygon, box

from minewatch.domain.access import Actor, Role
from minewatch.domain.records import HazardousArea, HazardStatus, Kind, Victim
from minewatch.domain.reports import ReportState
from minewatch.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from minewatch.services.records import Draft, Workflow
from minewatch.store import ItemQuery, ReportQuery, SqlRepository

SQUARE = box(30.0, 50.0, 30.01, 50.01)


def approve_new(wf: Workflow, reviewer: Workflow, **changes: object) -> str:
    draft = wf.create_draft(
        Kind.HAZARDOUS_AREA, changes, SQUARE, date_of_information=date(2024, 1, 1)
    )
    wf.submit(draft.code or "")
    reviewer.approve(draft.code or "")
    return draft.item_code or ""


def test_draft_submit_approve_materialises_the_item(store: SqlRepository) -> None:
    worker = Workflow(store, Actor("amina", Role.DATA_WORKER, "ORG-1"))
    reviewer = Workflow(store, Actor("rev", Role.REVIEWER))
    draft = worker.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "open", "hazard_types": ["ap_mines"]},
        SQUARE,
        date_of_information=date(2024, 3, 1),
    )
    assert (
        draft.state is ReportState.DRAFT
        and draft.code == "RPT-000001"
        and draft.item_code == "HA-000001"
    )
    with pytest.raises(NotFound):
        store.get_item(Kind.HAZARDOUS_AREA, "HA-000001")  # nothing changes before approval
    with pytest.raises(PermissionDenied):
        worker.approve(draft.code or "")
    worker.submit(draft.code or "")
    reviewer.approve(draft.code or "")
    item = store.get_item(Kind.HAZARDOUS_AREA, "HA-000001")
    assert (
        isinstance(item, HazardousArea) and item.status is HazardStatus.OPEN and item.version == 1
    )
    assert item.organisation_code is None or item.organisation_code == "ORG-1"


def test_reviewer_cannot_approve_own_report_and_rejection_needs_reason(
    store: SqlRepository,
) -> None:
    reviewer = Workflow(store, Actor("rev", Role.REVIEWER))
    draft = reviewer.create_draft(
        Kind.HAZARDOUS_AREA, {}, SQUARE, date_of_information=date(2024, 1, 1)
    )
    reviewer.submit(draft.code or "")
    with pytest.raises(PermissionDenied, match="own"):
        reviewer.approve(draft.code or "")
    other = Workflow(store, Actor("rev2", Role.REVIEWER))
    with pytest.raises(Conflict, match="reason"):
        other.reject(draft.code or "", "")
    rejected = other.reject(draft.code or "", "polygon does not match the sketch map")
    assert rejected.state is ReportState.REJECTED and rejected.decision_reason
    assert reviewer.reopen(draft.code or "").state is ReportState.DRAFT


def test_old_report_entered_late_does_not_overwrite_and_history_as_of(workflow: Workflow) -> None:
    code = approve_new(workflow, workflow, status="open", name="North field")
    later = workflow.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "released"},
        None,
        date_of_information=date(2025, 6, 1),
        item_ref=code,
    )
    workflow.submit(later.code or "")
    workflow.approve(later.code or "")
    late_old = workflow.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "suspended", "description": "2024 survey"},
        None,
        date_of_information=date(2024, 6, 1),
        item_ref=code,
    )
    workflow.submit(late_old.code or "")
    workflow.approve(late_old.code or "")
    item = workflow.get_item(Kind.HAZARDOUS_AREA, code)
    assert item.status is HazardStatus.RELEASED  # type: ignore[attr-defined]
    assert item.description == "2024 survey"  # type: ignore[attr-defined]
    assert item.version == 3
    history = workflow.history(Kind.HAZARDOUS_AREA, code)
    assert [h.report.date_of_information for h in history] == [
        date(2024, 1, 1),
        date(2024, 6, 1),
        date(2025, 6, 1),
    ]
    assert [h.state.status for h in history] == [
        HazardStatus.OPEN,
        HazardStatus.SUSPENDED,
        HazardStatus.RELEASED,
    ]  # type: ignore[attr-defined]
    as_of = workflow.state_as_of(Kind.HAZARDOUS_AREA, code, as_of=date(2024, 12, 31))
    assert as_of.status is HazardStatus.SUSPENDED  # type: ignore[attr-defined]
    before_late_entry = workflow.state_as_of(
        Kind.HAZARDOUS_AREA, code, as_of=date(2024, 12, 31), known_at=history[0].report.decided_at
    )
    assert before_late_entry.status is HazardStatus.OPEN  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        workflow.state_as_of(Kind.HAZARDOUS_AREA, code, as_of=date(2023, 1, 1))


def test_bad_values_and_geometry_name_the_field(workflow: Workflow) -> None:
    with pytest.raises(InvalidInput, match="field status") as err:
        workflow.create_draft(
            Kind.HAZARDOUS_AREA,
            {"status": "sort of open"},
            SQUARE,
            date_of_information=date(2024, 1, 1),
        )
    assert "open, suspended, closed, released" in str(err.value)
    with pytest.raises(InvalidInput, match="field geometry"):
        workflow.create_draft(
            Kind.HAZARDOUS_AREA, {}, Point(30, 50), date_of_information=date(2024, 1, 1)
        )
    with pytest.raises(InvalidInput, match="no field"):
        workflow.create_draft(
            Kind.DEVICE_FIND, {"colour": "red"}, Point(30, 50), date_of_information=date(2024, 1, 1)
        )


def test_invalid_polygon_is_repaired_with_a_note(workflow: Workflow) -> None:
    bowtie = Polygon([(30, 50), (30.01, 50.01), (30.01, 50), (30, 50.01), (30, 50)])
    draft = workflow.create_draft(
        Kind.HAZARDOUS_AREA, {}, bowtie, date_of_information=date(2024, 1, 1)
    )
    assert draft.geometry is not None and draft.geometry.is_valid
    assert any("make_valid" in n and "Self-intersection" in n for n in draft.notes)


def test_stale_edit_conflicts(workflow: Workflow) -> None:
    draft = workflow.create_draft(
        Kind.HAZARDOUS_AREA, {}, SQUARE, date_of_information=date(2024, 1, 1)
    )
    workflow.edit_draft(draft.code or "", {"name": "A"}, SQUARE, expected_version=1)
    with pytest.raises(Conflict, match="version"):
        workflow.edit_draft(draft.code or "", {"name": "B"}, SQUARE, expected_version=1)


def test_bulk_approved_import_is_all_or_nothing(workflow: Workflow, store: SqlRepository) -> None:
    good = Draft(
        Kind.DEVICE_FIND, {"category": "ap_mine"}, date(2024, 1, 1), Point(30, 50), external_id="a"
    )
    bad = Draft(
        Kind.DEVICE_FIND, {"category": "banana"}, date(2024, 1, 1), Point(30, 50), external_id="b"
    )
    with pytest.raises(InvalidInput, match="row 2"):
        workflow.create_drafts([good, bad], state=ReportState.APPROVED)
    assert store.count_items(ItemQuery(Kind.DEVICE_FIND)) == 0
    assert store.list_reports(ReportQuery()) == []
    workflow.create_drafts([good], state=ReportState.APPROVED)
    assert store.count_items(ItemQuery(Kind.DEVICE_FIND)) == 1
    assert set(store.find_reports_by_external_id(Kind.DEVICE_FIND, ["a", "b"])) == {"a"}


def test_data_worker_sees_only_own_organisation_reports(store: SqlRepository) -> None:
    a = Workflow(store, Actor("a", Role.DATA_WORKER, "ORG-A"))
    b = Workflow(store, Actor("b", Role.DATA_WORKER, "ORG-B"))
    draft = a.create_draft(
        Kind.VICTIM,
        {"name": "synthetic person", "sex": "female"},
        None,
        date_of_information=date(2024, 1, 1),
    )
    with pytest.raises(NotFound):
        b.get_report(draft.code or "")
    with pytest.raises(PermissionDenied):
        b.create_draft(
            Kind.VICTIM, {}, None, date_of_information=date(2024, 1, 1), organisation_code="ORG-A"
        )
    assert [r.code for r in b.list_reports(ReportQuery())] == []
    assert [r.code for r in a.list_reports(ReportQuery())] == [draft.code]


def test_known_at_uses_decision_time(workflow: Workflow) -> None:
    code = approve_new(workflow, workflow, status="open")
    with pytest.raises(NotFound):
        workflow.state_as_of(Kind.HAZARDOUS_AREA, code, known_at=datetime(2000, 1, 1, tzinfo=UTC))
    assert isinstance(workflow.get_item(Kind.HAZARDOUS_AREA, code), HazardousArea)
    assert Victim  # personal fields are exercised in the redaction tests


def test_heights_are_dropped_with_a_note(workflow: Workflow, store: SqlRepository) -> None:
    """Typed PostGIS columns are 2-D; a GPS height must not make the report fail."""
    from shapely import Polygon

    cube_face = Polygon(
        [(30, 50, 101.0), (30.01, 50, 99.0), (30.01, 50.01, 98.0), (30, 50.01, 100.0)]
    )
    draft = workflow.create_draft(
        Kind.HAZARDOUS_AREA, {}, cube_face, date_of_information=date(2024, 1, 1)
    )
    assert draft.geometry is not None and not draft.geometry.has_z
    assert any("z_dropped" in n for n in draft.notes)
    workflow.submit(draft.code or "")
    workflow.approve(draft.code or "")
    assert not store.get_item(Kind.HAZARDOUS_AREA, draft.item_code or "").geometry.has_z  # type: ignore[attr-defined]
