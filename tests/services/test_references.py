"""Records and users must name organisations that exist (synthetic organisations): refused
with the field named through a draft, a batch import and the accounts; an organisation
still in review counts for records, a rejected one does not."""

from __future__ import annotations

from datetime import date

import pytest
from shapely import box

from minewatch.domain.access import Role, local_admin
from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput
from minewatch.services.accounts import Accounts
from minewatch.services.records import Draft, Workflow
from minewatch.store import SqlRepository

DOI = date(2024, 5, 1)
AREA = box(30, 50, 30.01, 50.01)


def test_a_draft_naming_an_unknown_organisation_is_refused(workflow: Workflow) -> None:
    with pytest.raises(InvalidInput) as refused:
        workflow.create_draft(Kind.HAZARDOUS_AREA, {"organisation_code": "ORG-404"}, AREA,
                              date_of_information=DOI)  # fmt: skip
    assert refused.value.where.field == "organisation_code"
    assert "ORG-404" in str(refused.value)
    ok = workflow.create_draft(Kind.HAZARDOUS_AREA, {"organisation_code": "ORG-000001"}, AREA,
                               date_of_information=DOI)  # fmt: skip
    assert ok.changes["organisation_code"] == "ORG-000001"


def test_an_organisation_in_review_counts_and_a_rejected_one_does_not(
    workflow: Workflow,
) -> None:
    org = workflow.create_draft(Kind.ORGANISATION, {"name": "Synthetic New NGO"},
                                date_of_information=DOI)  # fmt: skip
    session = workflow.create_draft(
        Kind.RISK_EDUCATION_SESSION, {"organisation_code": org.item_code}, None,
        date_of_information=DOI,
    )  # fmt: skip
    assert session.changes["organisation_code"] == org.item_code
    workflow.submit(org.code or "")
    workflow.reject(org.code or "", "duplicate of an existing operator")
    with pytest.raises(InvalidInput, match=str(org.item_code)):
        workflow.create_draft(Kind.RISK_EDUCATION_SESSION, {"organisation_code": org.item_code},
                              None, date_of_information=DOI)  # fmt: skip


def test_the_same_call_may_create_the_organisation_first(workflow: Workflow) -> None:
    """create_drafts writes each kind in the order it first appears: an organisation listed
    before the records naming it is known to them (its code is the store's next)."""
    next_code = "ORG-000008"  # the synthetic organisations took 1-7
    made = workflow.create_drafts([
        Draft(Kind.ORGANISATION, {"name": "Synthetic Batch NGO"}, DOI),
        Draft(Kind.RISK_EDUCATION_SESSION, {"organisation_code": next_code}, DOI),
    ])  # fmt: skip
    assert made[0].item_code == next_code
    assert made[1].changes["organisation_code"] == next_code


def test_a_batch_names_each_bad_row(workflow: Workflow) -> None:
    drafts = [
        Draft(Kind.RISK_EDUCATION_SESSION, {"organisation_code": code}, DOI)
        for code in ("ORG-000002", "ORG-777", "ORG-000003")
    ]
    with pytest.raises(InvalidInput) as refused:
        workflow.create_drafts(drafts)
    assert (refused.value.where.row, refused.value.where.field) == (2, "organisation_code")


def test_an_administrator_cannot_assign_a_user_to_an_unknown_organisation(
    store: SqlRepository, synthetic_organisations: tuple[str, ...]
) -> None:
    accounts = Accounts(store)
    admin = local_admin()
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user(admin, "amina", "a long passphrase", Role.DATA_WORKER, "ORG-9")
    assert refused.value.where.field == "organisation_code"
    accounts.create_user(admin, "amina", "a long passphrase", Role.DATA_WORKER, "ORG-000001")
    with pytest.raises(InvalidInput, match="ORG-10"):
        accounts.update_user(admin, "amina", organisation_code="ORG-10")
    assert (
        accounts.update_user(admin, "amina", organisation_code="ORG-000002").organisation_code
        == "ORG-000002"
    )
    # an organisation still in review is not enough for an account: rights hang on it
    wf = Workflow(store, admin)
    pending = wf.create_draft(
        Kind.ORGANISATION, {"name": "Synthetic Pending"}, date_of_information=DOI
    )
    with pytest.raises(InvalidInput):
        accounts.update_user(admin, "amina", organisation_code=pending.item_code)


#: Invisible Unicode format characters a code picks up when pasted from a document, a
#: right-to-left page or a spreadsheet: RLM, RLO, zero-width space and joiner, BOM.
MARKS = ("\u200f", "\u202e", "\u200b", "\u200d", "\ufeff")


@pytest.mark.parametrize("mark", MARKS)
def test_a_code_with_an_invisible_mark_names_the_item(workflow: Workflow, mark: str) -> None:
    pasted = f"ORG{mark}-000001 "
    draft = workflow.create_draft(Kind.HAZARDOUS_AREA, {"organisation_code": pasted}, AREA,
                                  date_of_information=DOI)  # fmt: skip
    assert draft.changes["organisation_code"] == "ORG-000001"
    assert workflow.get_item(Kind.ORGANISATION, pasted).code == "ORG-000001"
    # found (an unknown code raises NotFound), with the same history as the plain code
    plain = workflow.history(Kind.ORGANISATION, "ORG-000001")
    assert workflow.history(Kind.ORGANISATION, f"{mark}ORG-000001") == plain


def test_a_code_not_found_shows_its_marks_escaped(workflow: Workflow) -> None:
    """Where a code reaches a message with its marks (a lookup below the services), the
    message shows them as escapes: a right-to-left override would otherwise reorder it."""
    from minewatch.domain.text import Message
    from minewatch.errors import NotFound
    from minewatch.vocabulary import render

    with pytest.raises(NotFound) as missing:
        workflow.store.get_item(Kind.ORGANISATION, "ORG\u202e-404")
    said = render(Message.of(missing.value), "fr")
    assert "\\u202e" in said and "\u202e" not in said and "ORG" in said
    with pytest.raises(NotFound) as still_missing:  # the service cleans it, then says which
        workflow.get_item(Kind.ORGANISATION, "ORG\u202e-404")
    assert "'ORG-404'" in str(still_missing.value)
