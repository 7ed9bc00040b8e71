"""Risk education beneficiaries by the sector's standard (direct and indirect, by sex, age
and disability), on a synthetic programme worked out by hand; the grid's validation at
every door. All data here are synthetic."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from shapely import Point

from minewatch.domain.access import PUBLIC, local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.domain.schema import FieldError, coerce_fields
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.beneficiaries import beneficiary_csv, beneficiary_table
from minewatch.services.records import Draft, Workflow
from minewatch.store import SqlRepository

SESSIONS = [
    # 2023: disability recorded for every group with people
    (
        date(2023, 3, 1),
        {
            "girls": 10,
            "boys": 8,
            "women": 5,
            "girls_with_disability": 1,
            "boys_with_disability": 0,
            "women_with_disability": 2,
        },
        {"women": 30, "men": 20},
    ),
    # 2023: disability not recorded for the men (12 people of unknown disability)
    (date(2023, 7, 1), {"women": 4, "men": 12, "women_with_disability": 1}, {}),
    # 2024: nobody counted indirectly
    (date(2024, 2, 2), {"girls": 3}, {}),
]


@pytest.fixture
def programme(store: SqlRepository) -> SqlRepository:
    drafts = [
        Draft(
            Kind.RISK_EDUCATION_SESSION,
            {
                "session_date": day.isoformat(),
                "beneficiaries": direct,
                "indirect_beneficiaries": indirect,
            },
            day,
            Point(30 + i / 100, 0.5),
        )
        for i, (day, direct, indirect) in enumerate(SESSIONS)
    ]
    Workflow(store, local_admin("tester")).create_drafts(drafts, state=ReportState.APPROVED)
    return store


def test_the_table_matches_the_definitions_applied_by_hand(programme: SqlRepository) -> None:
    table = beneficiary_table(AuditedWorkflow(programme, PUBLIC, Accounts(programme)))
    rows = {(r["year"], r["reach"]): r for r in table["rows"]}
    assert sorted(rows, key=str) == [(2023, "direct"), (2023, "indirect"), (2024, "direct")]
    direct = rows[2023, "direct"]
    assert (direct["records"], direct["girls"], direct["boys"], direct["women"], direct["men"]) == (
        2, 10, 8, 9, 12
    )  # fmt: skip
    assert direct["total"] == 39
    assert direct["girls_with_disability"] == 1 and direct["women_with_disability"] == 3
    assert direct["with_disability"] == 4
    assert direct["disability_not_recorded"] == 12  # the men of the second session
    indirect = rows[2023, "indirect"]
    assert (indirect["records"], indirect["total"], indirect["disability_not_recorded"]) == (
        1,
        50,
        50,
    )
    assert rows[2024, "direct"]["disability_not_recorded"] == 3


def test_year_filter_and_csv(programme: SqlRepository) -> None:
    table = beneficiary_table(AuditedWorkflow(programme, PUBLIC, Accounts(programme)), [2024])
    lines = beneficiary_csv(table).splitlines()
    assert lines[0].startswith("year,reach,records,girls,boys,women,men,total,")
    assert lines[1:] == ["2024,direct,1,3,0,0,0,3,0,0,0,0,0,3"]


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"girls": -1}, "girls: -1 is below"),
        ({"boys": 2, "boys_with_disability": 3}, "boys_with_disability: 3 is more than the 2 boys"),
        ({"men_with_disability": -2}, "men_with_disability: -2 is below"),
    ],
)
def test_the_grid_refuses_negatives_and_more_disabled_than_counted(
    grid: dict[str, int], message: str
) -> None:
    for field in ("beneficiaries", "indirect_beneficiaries"):
        with pytest.raises(FieldError, match=message) as caught:
            coerce_fields(Kind.RISK_EDUCATION_SESSION, {field: grid})
        assert caught.value.field == field


def test_the_published_table_adds_disability_and_indirect_reach(programme: SqlRepository) -> None:
    from minewatch.services.publish import public_tables

    table = public_tables(programme, [Kind.RISK_EDUCATION_SESSION])[Kind.RISK_EDUCATION_SESSION]
    table = table.sort_values("session_date").reset_index(drop=True)
    assert list(table["reached"]) == [23, 16, 3]
    assert table.loc[0, "reached_with_disability"] == 3
    assert pd.isna(table.loc[1, "reached_with_disability"])  # the men's was not recorded
    assert list(table["reached_indirect"]) == [50, 0, 0]
    assert table.loc[0, "indirect_women"] == 30
