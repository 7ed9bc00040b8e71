"""Migration runs on a SYNTHETIC File Geodatabase and spreadsheets: every row landed,
skipped or rejected with a reason; dates, sources, extra and links kept; re-runs idempotent;
dry runs and refusals write nothing; the report agrees with the store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from api_support import run_cli
from shapely import box

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.io.migration.mapping import load_migration_mapping
from minewatch.services.migration import (
    MigrationRefused,
    migrate,
    plan_migration,
    store_counts,
    write_report,
)
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, ReportQuery, open_store


@pytest.fixture
def workflow(tmp_path: Path) -> Workflow:
    return Workflow(open_store(str(tmp_path / "store.gpkg"), create=True), local_admin("amina"))


@pytest.fixture
def planned(filegdb: Path, tmp_path: Path) -> Path:
    out = tmp_path / "mapping.toml"
    plan_migration(filegdb, out)
    return out


def test_filegdb_lands_with_dates_sources_extra_and_links(
    filegdb: Path, planned: Path, workflow: Workflow
) -> None:
    outcome = migrate(workflow, filegdb, planned)
    counts = {t.table: (t.read, t.landed, len(t.rejected)) for t in outcome.tables}
    assert counts == {
        "Accidents": (2, 2, 0),
        "Accidents__ATTACH": (1, 0, 0),
        "Hazards": (3, 3, 0),
        "Victims": (3, 3, 0),
    }
    assert outcome.attachments == ["Accidents__ATTACH"]
    store = workflow.store
    hill = next(
        a for a in workflow.list_items(ItemQuery(Kind.HAZARDOUS_AREA)) if a.name == "Hill 4 field"
    )
    assert hill.status.value == "open" and [h.value for h in hill.hazard_types] == ["ap_mines"]
    assert hill.date_of_information == date(2019, 3, 14)  # the source's own Date of Information
    assert hill.extra == {"marking": "Official Signs"}  # no target: kept, not lost
    assert hill.external_id == "Hazards:HAZ-001"
    report = store.find_reports_by_external_id(Kind.HAZARDOUS_AREA, ["Hazards:HAZ-001"])[
        "Hazards:HAZ-001"
    ]
    assert report.state is ReportState.APPROVED and report.created_by == "amina"
    assert report.decided_by == "amina"
    assert report.source == "migrate archive.gdb/Hazards row 1 hazard_localid=HAZ-001"
    assert report.changes["extra"] == {"marking": "Official Signs"}  # in the item's history
    victims = workflow.list_items(ItemQuery(Kind.VICTIM))
    accidents = {a.code: a for a in workflow.list_items(ItemQuery(Kind.ACCIDENT))}
    assert sorted(v.accident_code for v in victims) == ["ACC-000001", "ACC-000001", "ACC-000002"]
    for victim in victims:  # a victim without a date of its own takes its accident's
        assert victim.date_of_information == accidents[victim.accident_code].accident_date
    assert accidents["ACC-000002"].during_demining is True


def test_rerun_skips_what_landed_and_dry_run_writes_nothing(
    filegdb: Path, planned: Path, workflow: Workflow
) -> None:
    dry = migrate(workflow, filegdb, planned, dry_run=True)
    assert sum(t.landed for t in dry.tables) == 8 and not dry.committed
    assert workflow.store.list_reports(ReportQuery(limit=5)) == []
    migrate(workflow, filegdb, planned)
    again = migrate(workflow, filegdb, planned)
    assert sum(t.landed for t in again.tables) == 0
    assert sum(len(t.skipped) for t in again.tables) == 8
    assert workflow.store.count_items(ItemQuery(Kind.VICTIM)) == 3


def test_a_rejected_row_refuses_the_whole_migration_unless_keep_going(
    tmp_path: Path, workflow: Workflow
) -> None:
    pd.DataFrame(
        {
            "HazID": ["H1", "H2", "H2"],
            "Status": ["Open", "mined?", "Closed"],
            "x": [30, 30.1, 30.2],
            "y": [-1, -1, -1],
        }
    ).to_csv(tmp_path / "hazards.csv", index=False)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[tables.hazards]\nkind = "accident"\nkey = "HazID"\n'
        '[tables.hazards.geometry]\nx = "x"\ny = "y"\n'
        '[tables.hazards.fields.description]\ncolumn = "Status"\n'
    )
    area_mapping = tmp_path / "a.toml"
    area_mapping.write_text(
        '[tables.hazards]\nkind = "hazardous_area"\nkey = "HazID"\n'
        '[tables.hazards.fields.status]\ncolumn = "Status"\n'
    )
    with pytest.raises(MigrationRefused) as refused:
        migrate(workflow, tmp_path / "hazards.csv", area_mapping)
    reasons = [str(r) for r in refused.value.outcome.rejected]
    assert reasons == [
        "hazards.csv/hazards, row 2, field status: column Status: 'mined?' is not one of: open, "
        "suspended, closed, released",
        "hazards.csv/hazards, row 3, field HazID: key 'H2' repeats row 2",
    ]
    assert workflow.store.list_reports(ReportQuery(limit=5)) == []  # never half-written
    kept = migrate(workflow, tmp_path / "hazards.csv", mapping, keep_going=True)
    assert kept.tables[0].landed == 2 and len(kept.tables[0].rejected) == 1


def test_places_without_coordinates_found_in_a_gazetteer(
    tmp_path: Path, workflow: Workflow
) -> None:
    gpd.GeoDataFrame(
        {"ADM2_PCODE": ["XX0101", "XX0102", "XX0103"], "ADM2_EN": ["Kandahar", "Bravo", "Bravo"]},
        geometry=[box(30, -1, 30.1, -0.9), box(30.1, -1, 30.2, -0.9), box(30.2, -1, 30.3, -0.9)],
        crs=4326,
    ).to_file(tmp_path / "adm2.gpkg")  # synthetic boundaries
    pd.DataFrame(
        {
            "AccID": ["A1", "A2", "A3", "A4"],
            "pcode": ["xx0101", None, None, None],
            "village": [None, "Kandahr", "Bravo", "Zulu"],
            "Accident date": ["2018-01-01"] * 4,
        }
    ).to_csv(tmp_path / "accidents.csv", index=False)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[tables.accidents]\nkind = "accident"\nkey = "AccID"\n'
        '[tables.accidents.place]\npcode = "pcode"\nname = "village"\n'
        '[tables.accidents.fields.accident_date]\ncolumn = "Accident date"\n'
    )
    outcome = migrate(
        workflow, tmp_path / "accidents.csv", mapping, gazetteer=tmp_path / "adm2.gpkg"
    ).tables[0]
    assert outcome.landed == 4
    assert dict(outcome.places) == {"pcode": 1, "name by spelling": 1}
    assert dict(outcome.unmatched_places) == {"Bravo": 1, "Zulu": 1}  # Bravo is two places
    items = {i.external_id: i for i in workflow.list_items(ItemQuery(Kind.ACCIDENT))}
    first = items["accidents:A1"]
    assert first.geometry is not None and box(30, -1, 30.1, -0.9).contains(first.geometry)
    assert first.extra is not None and first.extra["place_match"] == "pcode"
    assert items["accidents:A2"].extra["place_pcode"] == "XX0101"  # type: ignore[index]
    assert items["accidents:A4"].geometry is None


def test_report_counts_match_the_store_and_the_cli_writes_html(
    filegdb: Path, planned: Path, tmp_path: Path
) -> None:
    store = tmp_path / "cli.gpkg"
    report = tmp_path / "migration"
    code, said = run_cli(
        "migrate",
        "run",
        str(filegdb),
        "-m",
        str(planned),
        "-s",
        str(store),
        "--report",
        str(report),
    )
    assert code == 0, said
    data = json.loads(report.with_suffix(".json").read_text())
    landed = {t["table"]: t["landed"] for t in data["tables"] if t["kind"]}
    assert landed == {"Accidents": 2, "Hazards": 3, "Victims": 3}
    repository = open_store(str(store))
    assert store_counts(repository, data) == landed
    repository.close()
    page = report.with_suffix(".html").read_text()
    assert "<svg" in page and "HA-000001" in page and "Accidents__ATTACH" in page
    code, said = run_cli("migrate", "report", str(report.with_suffix(".json")), "-s", str(store))
    assert code == 0 and "store holds" in said


def test_cli_refusal_names_the_row_and_writes_the_report(tmp_path: Path) -> None:
    pd.DataFrame({"HazID": ["H1"], "Status": ["mined?"]}).to_csv(
        tmp_path / "hazards.csv", index=False
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[tables.hazards]\nkind = "hazardous_area"\nkey = "HazID"\n'
        '[tables.hazards.fields.status]\ncolumn = "Status"\n'
    )
    code, said = run_cli(
        "migrate",
        "run",
        str(tmp_path / "hazards.csv"),
        "-m",
        str(mapping),
        "-s",
        str(tmp_path / "s.gpkg"),
        "--report",
        str(tmp_path / "r"),
    )
    assert code == 2 and "row 1, field status" in said and "nothing migrated" in said
    assert json.loads((tmp_path / "r.json").read_text())["tables"][0]["rejected"][0]["row"] == 1


def test_outcome_json_is_written(
    tmp_path: Path, filegdb: Path, planned: Path, workflow: Workflow
) -> None:
    outcome = migrate(workflow, filegdb, planned)
    data = write_report(outcome, tmp_path / "r.json")
    hazards = next(t for t in data["tables"] if t["table"] == "Hazards")
    assert {
        "field": "status",
        "column": "haz_status",
        "from": "1",
        "to": "open",
        "rows": 1,
    } in hazards["transformed"]
    assert hazards["accounted"] == hazards["read"] == 3
    assert load_migration_mapping(planned).tables["Hazards"].kind is Kind.HAZARDOUS_AREA
