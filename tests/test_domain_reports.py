from datetime import date

import pytest

from minewatch.domain.records import Kind
from minewatch.domain.reports import Report, ReportState, fold_changes
from minewatch.errors import Conflict


def approved(doi: date, **changes: object) -> Report:
    return Report(
        kind=Kind.HAZARDOUS_AREA,
        changes=changes,
        date_of_information=doi,
        state=ReportState.APPROVED,
    )


def test_late_old_report_does_not_overwrite_newer_information() -> None:
    newer = approved(date(2024, 5, 1), status="open", name="North field")
    older = approved(date(2023, 1, 1), status="released", description="old survey")
    state = fold_changes([newer, older])
    assert state["status"] == "open"
    assert state["description"] == "old survey"  # fields the newer report did not set survive
    assert state["date_of_information"] == date(2024, 5, 1)


def test_state_as_of_a_date_uses_only_reports_up_to_it() -> None:
    reports = [
        approved(date(2023, 1, 1), status="open"),
        approved(date(2024, 1, 1), status="released"),
    ]
    assert fold_changes(reports, as_of=date(2023, 6, 30))["status"] == "open"


def test_workflow_forbids_skipping_and_editing_approved() -> None:
    draft = Report(kind=Kind.HAZARDOUS_AREA, date_of_information=date(2024, 1, 1))
    with pytest.raises(Conflict):
        draft.transition(ReportState.APPROVED, by="a")
    submitted = draft.transition(ReportState.SUBMITTED, by="w")
    with pytest.raises(Conflict, match="reason"):
        submitted.transition(ReportState.REJECTED, by="r", reason=" ")
    done = submitted.transition(ReportState.APPROVED, by="r")
    with pytest.raises(Conflict):
        done.edited({}, None, expected_version=done.version)
    with pytest.raises(Conflict):
        done.transition(ReportState.DRAFT, by="r")


def test_stale_draft_edit_is_a_conflict() -> None:
    draft = Report(kind=Kind.HAZARDOUS_AREA, date_of_information=date(2024, 1, 1))
    edited = draft.edited({"name": "a"}, None, expected_version=1)
    with pytest.raises(Conflict, match="version"):
        edited.edited({"name": "b"}, None, expected_version=1)
