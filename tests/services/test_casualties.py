"""Casualty figures by the Landmine Monitor's definitions, on a synthetic programme whose
table was worked out by hand from the definitions (docs/casualties.md): unknown stays
unknown, the categories, age groups and device types, and the mine/ERW total leaving out
command-detonated IEDs. All data here are synthetic."""

from __future__ import annotations

from datetime import date

import pytest
from shapely import Point

from minewatch.domain.access import PUBLIC, local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import NotFound
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.casualties import casualty_csv, casualty_table
from minewatch.services.dashboard import casualties
from minewatch.services.records import Draft, Workflow
from minewatch.store import SqlRepository

#: (accident date or None, device_type, device_category)
ACCIDENTS = [
    (date(2023, 4, 2), None, "ap_mine"),  # ACC-000001: type read from the category
    (date(2023, 9, 9), "command_detonated_ied", "ied"),  # ACC-000002: outside mine/ERW
    (date(2024, 1, 5), None, "ied"),  # ACC-000003: an IED's trigger unknown: unknown
    (None, "other_erw", "uxo"),  # ACC-000004: no date: year unknown
]

#: (accident, victim fields); fields left out are not recorded.
VICTIMS = [
    ("ACC-000001", {"victim_type": "civilian", "sex": "female", "age": 9, "outcome": "killed"}),
    (
        "ACC-000001",
        {"victim_type": "civilian", "sex": "male", "outcome": "injured", "disability": True},
    ),
    ("ACC-000001", {}),  # nothing known but that the person was a casualty
    ("ACC-000002", {"victim_type": "military", "sex": "male", "age": 30, "outcome": "killed"}),
    (
        "ACC-000002",
        {
            "victim_type": "non_state_armed_group",
            "sex": "male",
            "age": 17,
            "outcome": "injured",
            "disability": False,
        },
    ),
    ("ACC-000003", {"victim_type": "deminer", "sex": "male", "age": 41, "outcome": "injured"}),
    ("ACC-000004", {"victim_type": "civilian", "sex": "female", "age": 12}),
]


@pytest.fixture
def programme(store: SqlRepository) -> SqlRepository:
    wf = Workflow(store, local_admin("tester"))
    accidents = [
        Draft(
            Kind.ACCIDENT,
            {
                "accident_date": day.isoformat() if day else None,
                "device_type": dtype,
                "device_category": category,
            },
            date(2024, 6, 1),
            Point(30 + i / 100, 0.5),
        )
        for i, (day, dtype, category) in enumerate(ACCIDENTS)
    ]
    wf.create_drafts(accidents, state=ReportState.APPROVED)
    victims = [
        Draft(
            Kind.VICTIM,
            {"accident_code": code, **fields, "name": "Synthetic Person"},
            date(2024, 6, 2),
        )
        for code, fields in VICTIMS
    ]
    wf.create_drafts(victims, state=ReportState.APPROVED)
    return store


def _staff(store: SqlRepository) -> AuditedWorkflow:
    return AuditedWorkflow(store, local_admin("reader"), Accounts(store))


def _cells(table: dict, year: int | None) -> dict[tuple[str, str], tuple[int, int, int]]:
    return {
        (r["dimension"], r["value"]): (r["killed"], r["injured"], r["unknown"])
        for r in table["rows"]
        if r["year"] == year and r["total"]
    }


def test_the_table_matches_the_definitions_applied_by_hand(programme: SqlRepository) -> None:
    table = casualty_table(_staff(programme))
    assert table["years"] == [2023, 2024, None]
    assert _cells(table, 2023) == {
        ("total", "recorded"): (2, 2, 1),
        ("total", "mine_erw"): (1, 1, 1),  # the command-detonated IED's two are left out
        ("category", "civilian"): (1, 1, 0),
        ("category", "security_forces"): (1, 0, 0),  # "military" counts as security forces
        ("category", "non_state_armed_group"): (0, 1, 0),
        ("category", "unknown"): (0, 0, 1),  # never civilian
        ("sex", "female"): (1, 0, 0),
        ("sex", "male"): (1, 2, 0),
        ("sex", "unknown"): (0, 0, 1),
        ("age_group", "child"): (1, 1, 0),  # 9 and 17
        ("age_group", "adult"): (1, 0, 0),
        ("age_group", "unknown"): (0, 1, 1),  # no age: never adult
        ("device_type", "ap_mine"): (1, 1, 1),
        ("device_type", "command_detonated_ied"): (1, 1, 0),
        ("disability", "yes"): (0, 1, 0),
        ("disability", "no"): (0, 1, 0),
        ("disability", "unknown"): (2, 0, 1),
    }
    assert _cells(table, 2024)[("device_type", "unknown")] == (0, 1, 0)
    assert _cells(table, 2024)[("category", "deminer")] == (0, 1, 0)
    # An accident without a date gives its casualties no year, and an unrecorded outcome is
    # unknown, never injured.
    assert _cells(table, None)[("total", "recorded")] == (0, 0, 1)
    assert _cells(table, None)[("device_type", "other_erw")] == (0, 0, 1)


def test_every_breakdown_adds_up_to_its_year_total(programme: SqlRepository) -> None:
    table = casualty_table(_staff(programme))
    for year in table["years"]:
        rows = [r for r in table["rows"] if r["year"] == year]
        [total] = [r for r in rows if r["value"] == "recorded"]
        for dimension in ("category", "sex", "age_group", "device_type", "disability"):
            part = [r for r in rows if r["dimension"] == dimension]
            for outcome in ("killed", "injured", "unknown", "total"):
                assert sum(r[outcome] for r in part) == total[outcome], (year, dimension)


def test_shares_are_over_the_known_only(programme: SqlRepository) -> None:
    [shares] = [s for s in casualty_table(_staff(programme))["shares"] if s["year"] == 2023]
    # 4 of 5 casualties have a known category, 2 of them civilians; of the 2 civilians one
    # has a known age (9: a child); 4 of 5 have a known sex, one female.
    assert shares == {"year": 2023, "civilian": 0.5, "child_of_civilians": 1.0, "female": 0.25}


def test_years_filter_and_csv(programme: SqlRepository) -> None:
    table = casualty_table(_staff(programme), [2024])
    assert table["years"] == [2024]
    text = casualty_csv(table)
    lines = text.splitlines()
    assert lines[0] == "year,dimension,value,killed,injured,unknown,total"
    assert "2024,total,recorded,0,1,0,1" in lines
    assert "Synthetic Person" not in text


def test_dashboard_imputes_nothing(programme: SqlRepository) -> None:
    figures = casualties(_staff(programme))
    assert figures["total"] == len(VICTIMS)
    unknown = [r for r in figures["rows"] if r["category"] == "unknown"]
    assert unknown == [
        {
            "year": 2023,
            "sex": "unknown",
            "age_band": "unknown",
            "category": "unknown",
            "outcome": "unknown",
            "count": 1,
        }
    ]


def test_the_public_gets_nothing(programme: SqlRepository) -> None:
    with pytest.raises(NotFound, match="no collection victim"):
        casualty_table(AuditedWorkflow(programme, PUBLIC, Accounts(programme)))


def test_the_published_accident_table_keeps_unknown_outcomes_apart(
    programme: SqlRepository,
) -> None:
    from minewatch.services.publish import public_tables

    table = public_tables(programme, [Kind.ACCIDENT])[Kind.ACCIDENT].set_index("code")
    first = table.loc["ACC-000001"]
    assert (first["killed"], first["injured"], first["outcome_unknown"]) == (1, 1, 1)
    assert first["device_type"] == "ap_mine"  # read from the category
    assert table.loc["ACC-000003", "device_type"] == "unknown"  # an IED: trigger not known
    assert table.loc["ACC-000004", "outcome_unknown"] == 1
    assert table.loc["ACC-000004", "injured"] == 0
