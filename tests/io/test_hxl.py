"""Public HXL tables built from items frames (SYNTHETIC records)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely import Point, box

from minewatch.domain.records import Kind
from minewatch.io import hxl
from minewatch.io.hxl import HxlColumn, public_columns, public_table, write_hxl_csv


def _accidents() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["ACC-000001", "ACC-000002"],
            "accident_date": ["2024-05-01", "2024-06-01"],
            "device_category": ["ap_mine", None],
            "during_demining": [False, True],
            "location_code": ["LOC-000003", None],
            "date_of_information": ["2024-05-01", "2024-06-01"],
        },
        geometry=[Point(30.5, 50.4), Point(31.0, 51.0)],
        crs=4326,
    )


LOCATIONS = pd.DataFrame(
    {
        "code": ["LOC-000001", "LOC-000002", "LOC-000003"],
        "name": ["Synthetic Oblast", "Synthetic Raion", "Synthetic Village"],
        "level": ["adm1", "adm2", "settlement"],
        "parent_code": [None, "LOC-000001", "LOC-000002"],
        "pcode": ["XX01", "XX0101", None],
    }
)

VICTIMS = pd.DataFrame(
    {
        "accident_code": ["ACC-000001"] * 4,
        "outcome": ["killed", "injured", "injured", "killed"],
        "sex": ["female", "male", "female", "unknown"],
        "age": [9, 40, None, 70],
    }
)


def test_accidents_carry_victim_counts_and_admin_areas() -> None:
    table = public_table(Kind.ACCIDENT, _accidents(), locations=LOCATIONS, victims=VICTIMS)
    first = table.iloc[0]
    assert (first["killed"], first["killed_f"], first["killed_m"], first["killed_children"]) == (
        2,
        1,
        0,
        1,
    )
    assert (first["injured"], first["injured_f"], first["injured_children"]) == (2, 1, 0)
    assert (first["adm1_name"], first["adm1_pcode"], first["adm2_pcode"]) == (
        "Synthetic Oblast",
        "XX01",
        "XX0101",
    )
    assert (first["lat"], first["lon"]) == (50.4, 30.5)
    assert table.iloc[1]["killed"] == 0 and table.iloc[1]["during_demining"] == 1


def test_area_is_geodesic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    square = box(30.50, 50.40, 30.51, 50.41)
    items = gpd.GeoDataFrame(
        {
            "code": ["HA-000001"],
            "status": ["open"],
            "hazard_types": [["ap_mines", "uxo_axo"]],
            "beneficiaries": [{"girls": 2}],
        },
        geometry=[square],
        crs=4326,
    )
    table = public_table(Kind.HAZARDOUS_AREA, items)
    geodesic = abs(Geod(ellps="WGS84").geometry_area_perimeter(square)[0])
    assert table.iloc[0]["area_m2"] == pytest.approx(geodesic, rel=1e-6)
    assert table.iloc[0]["hazard_types"] == "ap_mines uxo_axo"
    assert table.iloc[0]["affected_girls"] == 2 and table.iloc[0]["affected_men"] == 0
    path = write_hxl_csv(table, Kind.HAZARDOUS_AREA, tmp_path / "ha.csv")
    header, tags, _row = path.read_text(encoding="utf-8").splitlines()
    assert tags.split(",")[:2] == ["#x_hazard+code", "#x_hazard+name"]
    assert (
        len(header.split(",")) == len(tags.split(",")) == len(public_columns(Kind.HAZARDOUS_AREA))
    )


def test_a_personal_field_can_never_become_a_public_column(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from minewatch.services import publish
    from minewatch.store import open_store

    leaky = {**hxl.PUBLIC_COLUMNS, Kind.VICTIM: (HxlColumn("name", "#x_name", "oops"),)}
    monkeypatch.setattr(hxl, "PUBLIC_COLUMNS", leaky)
    monkeypatch.setattr(publish, "public_columns", hxl.public_columns)
    with (
        open_store(str(tmp_path / "s.gpkg"), create=True) as store,
        pytest.raises(ValueError, match="personal"),
    ):
        publish.public_tables(store, [Kind.VICTIM])
    assert not list(tmp_path.glob("*.csv"))


def test_every_published_table_has_only_tagged_public_columns() -> None:
    for kind, columns in hxl.PUBLIC_COLUMNS.items():
        tags = [c.tag for c in public_columns(kind)]
        assert all(t.startswith("#") and " " not in t for t in tags), kind
        assert len({c.name for c in columns}) == len(columns), kind


def test_task_orders_accreditations_and_assistance_are_published_without_people(
    tmp_path: Path,
) -> None:
    """Issue 18's records in the open data: task orders and accreditations row by row, their
    lists space-separated; victim assistance only as national counts of survivors per year,
    kind and stage — the SYNTHETIC demo's survivors' names, follow-up notes, record codes and
    victim codes appear nowhere in the package."""
    import sqlite3

    from minewatch.domain.access import local_admin
    from minewatch.domain.records import Victim, VictimAssistance
    from minewatch.services.demo import load_demo
    from minewatch.services.publish import publish_package
    from minewatch.services.records import Workflow
    from minewatch.store import ItemQuery, open_store

    store = open_store(str(tmp_path / "demo.gpkg"), create=True)
    workflow = Workflow(store, local_admin())
    load_demo(workflow, areas=5)
    assisted = [
        r for r in store.iter_items(ItemQuery(Kind.VICTIM_ASSISTANCE))
        if isinstance(r, VictimAssistance)
    ]  # fmt: skip
    note = workflow.create_draft(
        Kind.VICTIM_ASSISTANCE,
        {"follow_up_notes": "SECRET synthetic note"},
        None,
        date_of_information=date(2024, 12, 1),
        item_ref=assisted[0].code,
    )
    workflow.submit(note.code or "")
    workflow.approve(note.code or "")
    noted = workflow.get_item(Kind.VICTIM_ASSISTANCE, assisted[0].code or "")
    assert getattr(noted, "follow_up_notes", None) == "SECRET synthetic note"  # in the store
    out = tmp_path / "open-data"
    published = publish_package(store, out)
    tasks = _rows(out / "task_order.hxl.csv")
    assert [t["code"] for t in tasks] == ["TSK-000001", "TSK-000002"]
    assert tasks[0]["hazardous_area_codes"] == "HA-000002 HA-000003"
    assert tasks[0]["priority_rank"] and float(tasks[0]["area_m2"]) > 0
    [accreditation] = _rows(out / "accreditation.hxl.csv")
    assert accreditation["methods"].split() == [
        "manual", "mechanical", "non_technical_survey", "technical_survey", "eod",
    ]  # fmt: skip
    coverage = _rows(out / "victim_assistance.hxl.csv")
    assert published.rows[Kind.VICTIM_ASSISTANCE] == len(coverage) > 0
    assert set(coverage[0]) == {c.name for c in public_columns(Kind.VICTIM_ASSISTANCE)}
    received = sum(
        int(r["people"])
        for r in coverage
        if r["assistance_type"] == "any" and r["stage"] == "received"
    )
    assert 0 < received <= len(assisted)

    victims = [v for v in store.iter_items(ItemQuery(Kind.VICTIM)) if isinstance(v, Victim)]
    secrets = ["SECRET synthetic note", *(r.code or "" for r in assisted)]
    secrets += [v.code or "" for v in victims if v.code in {r.victim_code for r in assisted}]
    for path in out.rglob("*"):
        blob = path.read_bytes()
        assert not [s for s in secrets if s.encode() in blob], path.name
    with sqlite3.connect(out / "minewatch_public.gpkg") as db:
        layers = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")}
    assert {"task_order", "accreditation", "victim_assistance"} <= layers


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    header, _tags, *data = lines
    return [dict(zip(header, row, strict=True)) for row in data]
