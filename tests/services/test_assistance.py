"""Victim assistance coverage (issue 18) on a synthetic programme worked out by hand, both
stores: survivors per year, kind of assistance and stage by sex, age and disability (what
is not recorded stays unknown), household members as indirect beneficiaries, staff only,
and no personal data in the table. All data here are synthetic."""

from __future__ import annotations

from datetime import date

import pytest
from shapely import Point

from minewatch.domain.access import PUBLIC, local_admin
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import NotFound
from minewatch.services.accounts import Accounts
from minewatch.services.assistance import coverage_csv, coverage_table
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.records import Draft
from minewatch.store import SqlRepository


def _service(kind: str, status: str, **days: str) -> dict[str, str]:
    return {"assistance_type": kind, "status": status, "provider": "Synthetic provider", **days}


@pytest.fixture
def wf(store: SqlRepository, synthetic_organisations: tuple[str, ...]) -> AuditedWorkflow:
    wf = AuditedWorkflow(store, local_admin("va"), Accounts(store))
    victims = [
        # VIC-1: a girl of 9 with a disability; VIC-2: a man of 40 without; VIC-3: nothing recorded
        {
            "accident_code": "ACC-000001",
            "sex": "female",
            "age": 9,
            "disability": True,
            "outcome": "injured",
            "name": "Synthetic Name One",
        },
        {
            "accident_code": "ACC-000001",
            "sex": "male",
            "age": 40,
            "disability": False,
            "outcome": "injured",
        },
        {"accident_code": "ACC-000001", "outcome": "injured"},
    ]
    wf.create_drafts(
        [Draft(Kind.ACCIDENT, {"accident_date": "2023-05-01"}, date(2023, 5, 2), Point(30, 50))]
        + [Draft(Kind.VICTIM, v, date(2023, 5, 2)) for v in victims],
        state=ReportState.APPROVED,
    )
    records = [
        ("VIC-000001", [
            _service("medical", "received", identified_date="2023-05-01",
                     referred_date="2023-05-01", received_date="2023-05-01"),
            _service("rehabilitation", "received", identified_date="2023-06-01",
                     referred_date="2023-07-01", received_date="2024-02-01"),
        ], {"women": 1, "men": 1, "boys": 2, "women_with_disability": 0, "men_with_disability": 0,
            "boys_with_disability": 1}),
        ("VIC-000002", [
            _service("medical", "received", identified_date="2023-05-01",
                     referred_date="2023-05-01", received_date="2023-05-02"),
            _service("socio_economic_inclusion", "referred", identified_date="2024-01-10",
                     referred_date="2024-03-01"),
        ], {"women": 1, "girls": 3}),
        ("VIC-000003", [
            _service("psychological_support", "declined", identified_date="2024-04-01"),
            _service("rehabilitation", "not_available", identified_date="2024-04-01"),
        ], {}),
    ]  # fmt: skip
    wf.create_drafts(
        [
            Draft(
                Kind.VICTIM_ASSISTANCE,
                {
                    "victim_code": victim,
                    "services": services,
                    "household": household,
                    "follow_up_status": "active",
                    "follow_up_notes": "Synthetic private note",
                },
                date(2024, 5, 1),
            )
            for victim, services, household in records
        ],
        state=ReportState.APPROVED,
    )
    return wf


def test_coverage_by_hand(wf: AuditedWorkflow) -> None:
    table = coverage_table(wf)
    rows = {(r["year"], r["assistance_type"], r["stage"]): r for r in table["rows"]}
    cols = ("people", "female", "male", "sex_unknown", "children", "adults", "age_unknown",
            "with_disability", "without_disability", "disability_not_recorded")  # fmt: skip
    row = lambda *k: tuple(rows[k][c] for c in cols)  # noqa: E731
    # 2023: medical needed, referred and received by VIC-1 (girl, disabled) and VIC-2 (man, not)
    assert row(2023, "medical", "received") == (2, 1, 1, 0, 1, 1, 0, 1, 1, 0)
    # rehabilitation: VIC-1's need (June 2023) and referral (July 2023), received Feb 2024
    assert row(2023, "rehabilitation", "needed") == (1, 1, 0, 0, 1, 0, 0, 1, 0, 0)
    assert row(2023, "rehabilitation", "referred")[0] == 1
    assert (2023, "rehabilitation", "received") not in rows
    assert row(2024, "rehabilitation", "received") == (1, 1, 0, 0, 1, 0, 0, 1, 0, 0)
    # 2024 needs: VIC-2's socio-economic, VIC-3's declined psychological and unavailable
    # rehabilitation (VIC-3: sex, age and disability unknown, never female, adult or without)
    assert row(2024, "rehabilitation", "needed") == (1, 0, 0, 1, 0, 0, 1, 0, 0, 1)
    assert row(2024, "any", "needed") == (2, 0, 1, 1, 0, 1, 1, 0, 1, 1)
    assert row(2024, "any", "referred") == (1, 0, 1, 0, 0, 1, 0, 0, 1, 0)  # VIC-2 only
    assert row(2024, "any", "received") == (1, 1, 0, 0, 1, 0, 0, 1, 0, 0)  # VIC-1 only
    assert (2024, "psychological_support", "received") not in rows  # declined
    # indirect: households of survivors who received assistance in the year
    household = {(h["year"], h["reach"]): h for h in table["household"]}
    h2023 = household[2023, "indirect"]  # VIC-1's and VIC-2's households
    assert (h2023["records"], h2023["total"], h2023["girls"], h2023["boys"]) == (2, 8, 3, 2)
    assert (h2023["with_disability"], h2023["disability_not_recorded"]) == (1, 4)
    h2024 = household[2024, "indirect"]  # VIC-1's (rehabilitation received in 2024)
    assert (h2024["records"], h2024["total"], h2024["disability_not_recorded"]) == (1, 4, 0)
    assert [r["year"] for r in coverage_table(wf, [2024])["rows"]] == [2024] * len(
        [k for k in rows if k[0] == 2024]
    )
    text = coverage_csv(table)
    assert "Synthetic" not in text and "2023,medical,received,2,1,1,0,1,1,0,1,1,0" in text


def test_coverage_is_for_staff(wf: AuditedWorkflow, store: SqlRepository) -> None:
    with pytest.raises(NotFound):
        coverage_table(AuditedWorkflow(store, PUBLIC, Accounts(store)))
    [record] = wf.list_items(ItemQuery(Kind.VICTIM_ASSISTANCE, codes=["VA-000001"]))
    assert record.follow_up_notes == "Synthetic private note"  # type: ignore[attr-defined]
