"""Accreditation (issue 18): an activity by an organisation without a valid accreditation
for its method is flagged when it is submitted (a finding on the review screen) and in
quality management's list; a valid one is not; suspended, expired and not-yet-valid
accreditations do not count. Both stores. All data here are synthetic."""

from __future__ import annotations

from datetime import date

import pytest

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.accounts import Accounts
from minewatch.services.accreditation import accreditation_table, unaccredited_work
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.records import Draft
from minewatch.services.review_view import review_document
from minewatch.store import SqlRepository

OPERATOR, OTHER, AUTHORITY = "ORG-000002", "ORG-000003", "ORG-000001"


@pytest.fixture
def wf(store: SqlRepository, synthetic_organisations: tuple[str, ...]) -> AuditedWorkflow:
    return AuditedWorkflow(store, local_admin("qa"), Accounts(store))


def _accredit(wf: AuditedWorkflow, org: str, methods: list[str], **more: object) -> str:
    values = {
        "organisation_code": org,
        "methods": methods,
        "valid_from": "2024-01-01",
        "valid_until": "2024-12-31",
        "certificate_reference": "SYN/ACR/1",
        "issuing_authority_code": AUTHORITY,
        **more,
    }
    [report] = wf.create_drafts(
        [Draft(Kind.ACCREDITATION, values, date(2024, 1, 1))], state=ReportState.APPROVED
    )
    return report.item_code or ""


def _activity(
    wf: AuditedWorkflow, org: str, activity_type: str, method: str | None, day: str
) -> str:
    changes = {"activity_type": activity_type, "organisation_code": org, "start_date": day}
    if method:
        changes["method"] = method
    draft = wf.create_draft(
        Kind.LAND_RELEASE_ACTIVITY,
        changes,
        date_of_information=date.fromisoformat(day),
        organisation_code=org,
    )
    return wf.submit(draft.code or "").code or ""


def _findings(wf: AuditedWorkflow, report: str) -> list[str]:
    return [n.message for n in review_document(wf, report).notes if n.rule == "accreditation"]


def test_an_activity_without_accreditation_for_its_method_is_flagged(wf: AuditedWorkflow) -> None:
    _accredit(wf, OPERATOR, ["manual", "technical_survey"])
    covered = _activity(wf, OPERATOR, "technical_survey", "manual", "2024-05-01")
    mechanical = _activity(wf, OPERATOR, "clearance", "mechanical", "2024-05-01")
    unaccredited = _activity(wf, OTHER, "clearance", "manual", "2024-05-01")
    expired = _activity(wf, OPERATOR, "clearance", "manual", "2025-01-02")
    assert _findings(wf, covered) == []
    assert _findings(wf, mechanical) == [
        "ORG-000002 holds no accreditation valid on 2024-05-01 for mechanical"
    ]
    assert _findings(wf, unaccredited) == [
        "ORG-000003 holds no accreditation valid on 2024-05-01 for manual"
    ]
    assert _findings(wf, expired) == [
        "ORG-000002 holds no accreditation valid on 2025-01-02 for manual "
        "(ACR-000001: expired 2024-12-31)"
    ]
    # the review screen reads them as warnings of the accreditation rule
    [note] = [n for n in review_document(wf, mechanical).notes if n.rule == "accreditation"]
    assert note.severity == "warning"
    # approved, the same work is listed for quality management; the covered one is not
    for report in (covered, mechanical, unaccredited, expired):
        wf.approve(report)
    flagged = {(r["code"], r["organisation_code"], r["date"]) for r in unaccredited_work(wf)}
    assert flagged == {
        ("LRA-000002", OPERATOR, "2024-05-01"),
        ("LRA-000003", OTHER, "2024-05-01"),
        ("LRA-000004", OPERATOR, "2025-01-02"),
    }
    assert [r["code"] for r in unaccredited_work(wf, [2025])] == ["LRA-000004"]


def test_submission_judges_by_the_accreditations_of_that_day(wf: AuditedWorkflow) -> None:
    draft = wf.create_draft(
        Kind.LAND_RELEASE_ACTIVITY,
        {
            "activity_type": "eod_spot_task",
            "organisation_code": OPERATOR,
            "start_date": "2024-03-01",
        },
        date_of_information=date(2024, 3, 1),
    )
    assert [n for n in draft.notes if "[accreditation]" in n]  # flagged as entered
    _accredit(wf, OPERATOR, ["eod"])  # the certificate arrives before it is submitted
    submitted = wf.submit(draft.code or "")
    assert not [n for n in submitted.notes if "[accreditation]" in n]


def test_suspended_and_not_yet_valid_accreditations_do_not_count(wf: AuditedWorkflow) -> None:
    _accredit(wf, OPERATOR, ["non_technical_survey"], status="suspended")
    _accredit(wf, OTHER, ["non_technical_survey"], valid_from="2024-06-01")
    one = _activity(wf, OPERATOR, "non_technical_survey", "desk", "2024-05-01")
    two = _activity(wf, OTHER, "non_technical_survey", None, "2024-05-01")
    assert _findings(wf, one) == [
        "ORG-000002 holds no accreditation valid on 2024-05-01 for non-technical survey "
        "(ACR-000001: suspended)"
    ]
    assert _findings(wf, two) == [
        "ORG-000003 holds no accreditation valid on 2024-05-01 for non-technical survey "
        "(ACR-000002: valid from 2024-06-01)"
    ]


def test_products_are_judged_by_their_activity_or_their_type(wf: AuditedWorkflow) -> None:
    _accredit(wf, OPERATOR, ["manual"])
    lra = _activity(wf, OPERATOR, "clearance", "manual", "2024-04-01")
    wf.approve(lra)
    cleared, cancelled = wf.create_drafts(
        [
            Draft(
                Kind.RELEASE_PRODUCT,
                {
                    "product_type": "cleared",
                    "activity_code": "LRA-000001",
                    "release_date": "2024-04-20",
                },
                date(2024, 4, 20),
            ),
            Draft(
                Kind.RELEASE_PRODUCT,
                {
                    "product_type": "cancelled",
                    "organisation_code": OPERATOR,
                    "release_date": "2024-04-20",
                },
                date(2024, 4, 20),
            ),
        ]
    )
    assert not [n for n in cleared.notes if "[accreditation]" in n]  # its activity's org and method
    assert cancelled.notes == (
        "warning [accreditation]: ORG-000002 holds no accreditation valid on 2024-04-20 for "
        "non-technical survey",
    )


def test_the_accreditation_table(wf: AuditedWorkflow) -> None:
    _accredit(wf, OPERATOR, ["manual", "eod"], asset_types=["manual_team", "eod_team"])
    [row] = accreditation_table(wf, OPERATOR, on=date(2024, 12, 31))
    assert row["methods"] == ["manual", "eod"] and row["asset_types"] == ["manual_team", "eod_team"]
    assert row["in_force"] is True
    assert accreditation_table(wf, OPERATOR, on=date(2025, 1, 1))[0]["in_force"] is False
    assert accreditation_table(wf, OTHER) == []


def test_an_accreditation_names_organisations_that_exist(wf: AuditedWorkflow) -> None:
    from minewatch.errors import InvalidInput

    with pytest.raises(InvalidInput, match="ORG-000404"):
        _accredit(wf, "ORG-000404", ["manual"])
    with pytest.raises(InvalidInput, match="valid_until"):
        _accredit(wf, OPERATOR, ["manual"], valid_from="2024-05-01", valid_until="2024-04-01")
