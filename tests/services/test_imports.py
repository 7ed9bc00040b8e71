"""File imports through the service, on both backends: every feature accounted for."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.io.mapping import load_mapping
from minewatch.services.imports import ImportRefused, import_file
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, ReportQuery, SqlRepository

MAPPING = {
    "kind": "hazardous_area",
    "id_column": "HAZ_ID",
    "fields": {"status": {"column": "STATUS", "values": {"Active": "open"}}, "name": "NAME"},
}


def polygon(x: float) -> dict[str, object]:
    return {
        "type": "Polygon",
        "coordinates": [[[x, 50], [x + 0.01, 50], [x + 0.01, 50.01], [x, 50.01], [x, 50]]],
    }


def write_geojson(path: Path, features: list[dict[str, object]]) -> Path:
    """A SYNTHETIC GeoJSON file written as raw JSON, so broken geometries stay broken."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def feature(fid: str, geometry: object, status: str = "Active") -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"HAZ_ID": fid, "STATUS": status, "NAME": f"synthetic {fid}"},
        "geometry": geometry,
    }


BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[30, 50], [30.01, 50.01], [30.01, 50], [30, 50.01], [30, 50]]],
}


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "messy.geojson",
        [
            feature("A", polygon(30.0)),
            feature("B", None),  # null geometry
            feature("C", polygon(30.1), "lost"),  # value not in the list
            feature("D", BOWTIE),  # self-intersection: repaired with a note
            feature("E", {"type": "Point", "coordinates": [30.2, 50.0]}),  # wrong type
            feature("F", polygon(30.3)),
        ],
    )


def test_all_or_nothing_lists_every_rejected_feature(
    workflow: Workflow, store: SqlRepository, messy: Path
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_file(workflow, messy, load_mapping(MAPPING))
    report = refused.value.report
    assert report.read == 6 and report.accounted == 6
    assert sorted(r.where.row for r in report.rejected) == [2, 3, 5]  # type: ignore[type-var]
    by_row = {r.where.row: r for r in report.rejected}
    assert by_row[3].where.field == "status" and "lost" in by_row[3].reason
    assert by_row[2].where.file == str(messy)
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 0
    assert store.list_reports(ReportQuery()) == []


def test_keep_going_lands_the_good_and_writes_rejects(
    workflow: Workflow, store: SqlRepository, messy: Path, tmp_path: Path
) -> None:
    report = import_file(
        workflow,
        messy,
        load_mapping(MAPPING),
        keep_going=True,
        reject_file=tmp_path / "rejects.csv",
    )
    assert report.landed == 3 and len(report.rejected) == 3 and report.accounted == report.read
    assert any("make_valid" in note for _, note in report.notes)
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 3
    rejects = pd.read_csv(report.reject_file)  # type: ignore[arg-type]
    assert sorted(rejects["HAZ_ID"]) == ["B", "C", "E"]
    repaired = store.query_items(ItemQuery(Kind.HAZARDOUS_AREA, where={"external_id": "D"}))[0]
    assert repaired.geometry is not None and repaired.geometry.is_valid  # type: ignore[attr-defined]
    history = store.reports_for_items(Kind.HAZARDOUS_AREA, [repaired.id])[repaired.id]
    assert any("make_valid" in n for n in history[0].notes)


def test_reimport_is_idempotent(workflow: Workflow, store: SqlRepository, tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "ok.geojson", [feature("A", polygon(30.0)), feature("B", polygon(30.1))]
    )
    first = import_file(workflow, path, load_mapping(MAPPING))
    again = import_file(workflow, path, load_mapping(MAPPING))
    assert first.landed == 2 and again.landed == 0 and len(again.skipped) == 2
    assert {s.item_code for s in again.skipped} == set(first.item_codes)
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 2


def test_submitted_import_waits_for_approval(
    workflow: Workflow, store: SqlRepository, tmp_path: Path
) -> None:
    path = write_geojson(tmp_path / "ok.geojson", [feature("A", polygon(30.0))])
    report = import_file(workflow, path, load_mapping(MAPPING), state=ReportState.SUBMITTED)
    assert report.landed == 1
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 0
    (queued,) = store.list_reports(ReportQuery(state=ReportState.SUBMITTED))
    assert queued.source == "import ok.geojson feature 1" and queued.external_id == "A"


def test_bulk_items_equal_their_folded_reports(
    workflow: Workflow, store: SqlRepository, tmp_path: Path
) -> None:
    """The fast path writes items directly; they must equal the fold of their reports."""
    from minewatch.services.records import fold_item

    path = write_geojson(
        tmp_path / "ok.geojson", [feature("A", polygon(30.0)), feature("B", polygon(30.1))]
    )
    import_file(workflow, path, load_mapping(MAPPING))
    for item in store.query_items(ItemQuery(Kind.HAZARDOUS_AREA)):
        reports = store.reports_for_items(Kind.HAZARDOUS_AREA, [item.id])[item.id]
        folded = fold_item(Kind.HAZARDOUS_AREA, item.id, reports)
        assert folded is not None
        assert folded.geometry.equals(item.geometry)  # type: ignore[attr-defined]
        assert {**folded.__dict__, "geometry": None} == {**item.__dict__, "geometry": None}


def test_mapped_dates_and_codes_update_existing_items(
    workflow: Workflow, store: SqlRepository, tmp_path: Path
) -> None:
    """A file may carry each row's Date of Information, and the code of an item it updates:
    an older row entered later does not overwrite newer information."""
    first = write_geojson(tmp_path / "first.geojson", [feature("A", polygon(30.0))])
    created = import_file(
        workflow, first, load_mapping(MAPPING), date_of_information=date(2019, 1, 1)
    )
    code = created.item_codes[0]
    rows = [
        {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "HAZ_ID": "A-2025",
                "CODE": code,
                "STATUS": "released",
                "DOI": "2025-06-01",
            },
        },
        {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "HAZ_ID": "A-2020",
                "CODE": code,
                "STATUS": "suspended",
                "DOI": "2020-01-01",
            },
        },
    ]
    updates = write_geojson(tmp_path / "updates.geojson", rows)
    mapping = load_mapping(
        {
            "kind": "hazardous_area",
            "id_column": "HAZ_ID",
            "allow_missing_geometry": True,
            "fields": {"status": "STATUS", "code": "CODE", "date_of_information": "DOI"},
        }
    )
    report = import_file(workflow, updates, mapping)
    assert report.landed == 2 and not report.rejected
    item = store.get_item(Kind.HAZARDOUS_AREA, code)
    assert item.status.value == "released"  # type: ignore[attr-defined]
    assert item.version == 3 and item.geometry is not None  # type: ignore[attr-defined]
    unknown = write_geojson(
        tmp_path / "unknown.geojson",
        [
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "HAZ_ID": "Z",
                    "CODE": "HA-999999",
                    "STATUS": "open",
                    "DOI": "2025-01-01",
                },
            }
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        import_file(workflow, unknown, mapping)
    assert refused.value.report.rejected[0].where.field == "code"


@pytest.mark.parametrize("keep_going", [False, True])
def test_dry_run_checks_everything_and_writes_nothing(
    workflow: Workflow, store: SqlRepository, messy: Path, keep_going: bool
) -> None:
    report = import_file(
        workflow,
        messy,
        load_mapping(MAPPING),
        state=ReportState.DRAFT,
        keep_going=keep_going,
        dry_run=True,
    )
    assert report.dry_run and not report.committed and report.accounted == 6
    assert sorted(r.where.row for r in report.rejected) == [2, 3, 5]  # type: ignore[type-var]
    assert report.landed == 3  # what the import would land
    assert store.list_reports(ReportQuery()) == []
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 0
    plain = report.as_dict()
    assert {r["row"]: r["field"] for r in plain["rejected"]}[3] == "status"
    # The real import afterwards gets the same codes a dry run showed: nothing was consumed.
    real = import_file(workflow, messy, load_mapping(MAPPING), keep_going=True)
    assert real.item_codes == report.item_codes


def test_columns_named_like_fields_map_without_a_mapping_file(tmp_path: Path) -> None:
    from minewatch.services.imports import mapping_by_field_names

    path = write_geojson(
        tmp_path / "named.geojson",
        [{"type": "Feature", "properties": {"name": "x", "other": 1}, "geometry": polygon(30)}],
    )
    mapping = mapping_by_field_names(path, Kind.HAZARDOUS_AREA)
    assert mapping.kind is Kind.HAZARDOUS_AREA and set(mapping.fields) == {"name"}
