"""The review document (services.review_view): what a reviewer sees of one report, on both
stores. All data here are synthetic."""

from __future__ import annotations

from datetime import date

import pytest
import shapely
from shapely import box

from minewatch.domain.access import Actor, Role, local_admin
from minewatch.domain.records import Kind
from minewatch.errors import NotFound
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.disclosure import withheld_fields
from minewatch.services.review_view import review_document
from minewatch.store import SqlRepository

BOWTIE = shapely.from_wkt(
    "POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))"
)  # crosses itself: area 0 as drawn


def _wf(store: SqlRepository, actor: Actor) -> AuditedWorkflow:
    return AuditedWorkflow(store, actor, Accounts(store))


def _approved(wf: AuditedWorkflow, kind: Kind, changes: dict, geometry=None, **kw) -> str:
    draft = wf.create_draft(kind, changes, geometry, **kw)
    return wf.approve(wf.submit(draft.code or "").code or "").item_code or ""


@pytest.fixture
def admin(store: SqlRepository) -> AuditedWorkflow:
    return _wf(store, local_admin("amina"))


def test_a_late_report_shows_what_newer_information_overrides(admin: AuditedWorkflow) -> None:
    item = _approved(
        admin,
        Kind.HAZARDOUS_AREA,
        {"status": "open", "name": "Hill 4"},
        box(30, 50, 30.01, 50.01),
        date_of_information=date(2024, 5, 1),
    )
    late = admin.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "suspended", "description": "archive"},
        date_of_information=date(2020, 6, 1),
        item_ref=item,
    )
    doc = review_document(admin, admin.submit(late.code or "").code or "")
    by = {f.field: f for f in doc.fields}
    assert by["status"].in_report and by["status"].superseded
    assert (by["status"].reported, by["status"].current, by["status"].after) == (
        "suspended",
        "open",
        "open",
    )
    assert by["status"].change == "unchanged"
    assert (by["description"].change, by["description"].after) == ("added", "archive")
    assert by["name"].change == "unchanged" and not by["name"].in_report
    assert doc.newer_information == date(2024, 5, 1)
    assert doc.proposed is None and doc.current is not None  # no new outline: current stays


def test_a_redrawn_area_carries_its_repair_and_its_overlaps(admin: AuditedWorkflow) -> None:
    item = _approved(
        admin,
        Kind.HAZARDOUS_AREA,
        {"status": "open"},
        box(30, 50, 30.01, 50.01),
        date_of_information=date(2024, 1, 1),
    )
    neighbour = _approved(
        admin,
        Kind.HAZARDOUS_AREA,
        {"status": "open"},
        box(30.005, 50.0, 30.02, 50.01),
        date_of_information=date(2024, 1, 1),
    )
    redraw = admin.create_draft(
        Kind.HAZARDOUS_AREA,
        {"classification": "CHA"},
        BOWTIE,
        date_of_information=date(2024, 9, 1),
        item_ref=item,
    )
    doc = review_document(admin, admin.submit(redraw.code or "").code or "")
    [repair] = [n for n in doc.notes if n.severity == "repaired"]
    assert repair.rule == "self_intersection"
    assert repair.area_before_m2 == 0 and repair.area_after_m2 is not None
    assert repair.area_change_m2 == pytest.approx(repair.area_after_m2)
    assert repair.area_after_m2 > 300_000
    assert doc.proposed is not None and doc.proposed.geom_type == "MultiPolygon"
    assert doc.current is not None and doc.current.equals(box(30, 50, 30.01, 50.01))
    assert [o.related for o in doc.overlaps] == [neighbour]  # never its own item
    assert {o.rule for o in doc.overlaps} <= {"overlap", "duplicate"}
    classification = next(f for f in doc.fields if f.field == "classification")
    assert (classification.change, classification.current, classification.after) == (
        "changed",
        "SHA",
        "CHA",
    )


def test_names_tables_history_and_who_may_decide(store: SqlRepository) -> None:
    admin = _wf(store, local_admin("amina"))
    org = _approved(
        admin, Kind.ORGANISATION, {"name": "Synthetic NGO"}, date_of_information=date(2024, 1, 1)
    )
    item = _approved(
        admin,
        Kind.HAZARDOUS_AREA,
        {"organisation_code": org},
        box(30, 50, 30.01, 50.01),
        date_of_information=date(2024, 1, 1),
    )
    rejected = admin.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "closed"},
        date_of_information=date(2024, 2, 1),
        item_ref=item,
    )
    admin.reject(admin.submit(rejected.code or "").code or "", "no evidence")
    update = admin.create_draft(
        Kind.HAZARDOUS_AREA,
        {
            "evidence": [{"type": "eo_seen", "source": "told", "note": "shepherd"}],
            "beneficiaries": {"girls": 3, "boys": 0, "women": 2, "men": 0},
        },
        date_of_information=date(2024, 3, 1),
        item_ref=item,
    )
    code = admin.submit(update.code or "").code or ""
    doc = review_document(admin, code)
    assert doc.names == {org: "Synthetic NGO"}
    by = {f.field: f for f in doc.fields}
    assert by["evidence"].shape == "table" and by["evidence"].change == "added"
    assert [(c.field, c.enum) for c in by["evidence"].columns] == [
        ("type", "EvidenceType"),
        ("source", "EvidenceSource"),
        ("note", None),
    ]
    assert by["beneficiaries"].shape == "people" and by["beneficiaries"].change == "added"
    assert (by["evidence"].nested, by["beneficiaries"].nested) == ("evidence", "sex_age")
    assert by["hazard_types"].shape == "list" and by["hazard_types"].enum == "HazardType"
    assert by["extra"].shape == "mapping"
    assert [(r.code, r.state.value) for r in doc.history] == [
        ("RPT-000002", "approved"),
        ("RPT-000003", "rejected"),
        (code, "submitted"),
    ]
    assert doc.may_decide  # an administrator may decide even their own
    reviewer = _wf(store, Actor("rev", Role.REVIEWER))
    assert review_document(reviewer, code).may_decide
    worker = _wf(store, Actor("w", Role.DATA_WORKER, "ORG-2"))
    with pytest.raises(NotFound):  # another organisation's worker sees none of it
        review_document(worker, code)


def test_personal_fields_are_withheld_without_the_grant(store: SqlRepository) -> None:
    medic = _wf(store, Actor("medic", Role.DATA_WORKER, "ORG-1", personal_data=True))
    accident = _approved(
        _wf(store, local_admin("amina")),
        Kind.ACCIDENT,
        {"accident_date": "2024-08-01"},
        shapely.Point(30, 50),
        date_of_information=date(2024, 8, 2),
    )
    draft = medic.create_draft(
        Kind.VICTIM,
        {"accident_code": accident, "sex": "female", "name": "Synthetic Person"},
        date_of_information=date(2024, 8, 2),
    )
    code = medic.submit(draft.code or "").code or ""
    reviewer = _wf(store, Actor("rev", Role.REVIEWER))
    doc = review_document(reviewer, code)
    withheld = {f.field for f in doc.fields if f.change == "withheld"}
    assert withheld == set(withheld_fields(reviewer.actor, Kind.VICTIM))
    assert {"name", "contact", "medical_details"} <= withheld
    assert all(f.reported is f.after is None for f in doc.fields if f.field in withheld)
    assert not any(f.superseded for f in doc.fields if f.field in withheld)
    assert accident not in doc.names  # accidents have no name; victims are never looked up
    assert not reviewer.accounts.store.list_audit(action="read_personal_data", actor="rev")
    granted = review_document(_wf(store, local_admin("amina")), code)
    name = next(f for f in granted.fields if f.field == "name")
    assert (name.change, name.after) == ("added", "Synthetic Person")
