"""The records commands end to end on the synthetic demo store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app

_register_commands()
runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    out = run("demo", str(path))
    assert "SYNTHETIC" in out
    return str(path)


def test_list_filters_and_formats(demo_store: str) -> None:
    rows = json.loads(
        run(
            "list",
            "hazardous_area",
            "-s",
            demo_store,
            "--where",
            "classification=CHA",
            "--format",
            "json",
            "--limit",
            "500",
        )
    )
    assert rows and all(r["classification"] == "CHA" for r in rows)
    csv_out = run("list", "device_find", "-s", demo_store, "--format", "csv", "--limit", "3")
    assert csv_out.splitlines()[0].startswith("id,code,")
    assert len(csv_out.strip().splitlines()) == 4


def test_personal_data_is_hidden_unless_asked(demo_store: str) -> None:
    listing = run("list", "victim", "-s", demo_store, "--format", "json")
    assert "Synthetic Person" not in listing
    shown = json.loads(run("show", "victim", "VIC-000001", "-s", demo_store))
    assert shown[0]["name"] is None
    revealed = json.loads(run("show", "victim", "VIC-000001", "-s", demo_store, "--personal"))
    assert revealed[0]["name"] == "Synthetic Person 1"


def test_late_report_approval_and_history(demo_store: str) -> None:
    queue = json.loads(
        run("reports", "list", "-s", demo_store, "--state", "submitted", "--format", "json")
    )
    late = next(r for r in queue if r["item"] == "HA-000002")
    run("reports", "approve", late["code"], "-s", demo_store)
    history = json.loads(
        run("history", "hazardous_area", "HA-000002", "-s", demo_store, "--format", "json")
    )
    assert [h["date_of_information"] for h in history] == sorted(
        h["date_of_information"] for h in history
    )
    assert history[0]["date_of_information"] == "2020-06-01"
    current = json.loads(run("show", "hazardous_area", "HA-000002", "-s", demo_store))[0]
    assert current["status"] == "open"  # the 2020 "suspended" is older information
    pasted = "HA\u200f-000002"  # a right-to-left mark pasted with the code names it too
    assert json.loads(run("show", "hazardous_area", pasted, "-s", demo_store))[0] == current
    marked = run("history", "hazardous_area", pasted, "-s", demo_store, "--format", "json")
    assert json.loads(marked) == history
    old = json.loads(
        run("show", "hazardous_area", "HA-000002", "-s", demo_store, "--as-of", "2020-12-31")
    )[0]
    assert old["status"] == "suspended"


def test_export_import_round_trip(demo_store: str, tmp_path: Path) -> None:
    out = tmp_path / "open.gpkg"
    run("export", "hazardous_area", str(out), "-s", demo_store, "--where", "status=open")
    target = tmp_path / "copy.gpkg"
    run("init", str(target))
    # The areas name their organisations and places, which must exist in the target first:
    # they travel as CSV exports (an organisation has no geometry, an empty wkt column)
    # imported back with their own dates.
    orgs = tmp_path / "organisations.csv"
    run("export", "organisation", str(orgs), "-s", demo_store)
    landed = run(
        "import",
        str(orgs),
        "--kind",
        "organisation",
        "--id-column",
        "code",
        "--state",
        "approved",
        "-s",
        str(target),
    )
    assert "2 landed" in landed and "0 rejected" in landed
    copied = json.loads(run("list", "organisation", "-s", str(target), "--format", "json"))
    assert [(o["code"], o["date_of_information"]) for o in copied] == [
        ("ORG-000001", "2020-01-01"),
        ("ORG-000002", "2020-01-01"),
    ]
    places = tmp_path / "locations.csv"
    run("export", "location", str(places), "-s", demo_store)
    landed = run("import", str(places), "--kind", "location", "--id-column", "code",
                 "--state", "approved", "-s", str(target))  # fmt: skip
    assert "2 landed" in landed and "0 rejected" in landed
    first = run(
        "import", str(out), "--kind", "hazardous_area", "--id-column", "code", "-s", str(target)
    )
    assert "40 landed" in first
    again = run(
        "import", str(out), "--kind", "hazardous_area", "--id-column", "code", "-s", str(target)
    )
    assert "0 landed" in again
    stats = run("stats", "-s", str(target), "--format", "json")
    assert '"hazardous_area"' in stats


def test_organisations_without_any_geometry_column_import(tmp_path: Path) -> None:
    """A spreadsheet of organisations has no wkt column at all; that is not an error."""
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("name,acronym,organisation_type\nSynthetic Demining,SD,NGO\n")
    target = tmp_path / "orgs.gpkg"
    run("init", str(target))
    out = run(
        "import", str(orgs), "--kind", "organisation", "--state", "approved", "-s", str(target)
    )
    assert "1 landed" in out
    # a kind with a geometry still needs one, and says which columns it looked for
    areas = tmp_path / "areas.csv"
    areas.write_text("name,status\nHill 4,open\n")
    result = runner.invoke(
        app, ["import", str(areas), "--kind", "hazardous_area", "-s", str(target)]
    )
    assert result.exit_code != 0 and "wkt" in str(result.exception).lower()


def test_validate_reports_findings(demo_store: str) -> None:
    findings = json.loads(run("validate", "-s", demo_store, "--format", "json"))
    assert all({"kind", "record", "rule", "severity"} <= set(f) for f in findings)


def test_user_errors_are_clean_messages(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for args in (
        ["list", "hazardous_area", "-s", str(tmp_path / "missing.gpkg")],
        ["list", "hazardous_area", "-s", str(tmp_path / "missing.gpkg"), "--bbox", "1,2"],
        [
            "import",
            str(tmp_path / "nothing.geojson"),
            "--kind",
            "hazardous_area",
            "-s",
            str(tmp_path / "x.gpkg"),
        ],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "minewatch", *args], capture_output=True, text=True, env=env
        )
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr and proc.stderr.startswith("error:"), proc.stderr


def test_usage_errors_are_clean_too() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-m", "minewatch", "nosuch"], capture_output=True, text=True, env=env
    )
    assert (
        proc.returncode == 2 and "Traceback" not in proc.stderr and "No such command" in proc.stderr
    )


def test_national_boundary_from_configuration(tmp_path: Path) -> None:
    """Positions outside the configured national boundary are refused, naming the rule."""
    import geopandas as gpd
    import shapely

    from minewatch.io.geodata import write_geodata

    boundary = write_geodata(
        gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs=4326),
        tmp_path / "country.gpkg",
        layer="country",
    )
    config = tmp_path / "national.toml"
    config.write_text(f'[geometry]\nnational_boundary = "{boundary.name}"\n')
    finds = write_geodata(
        gpd.GeoDataFrame(
            {"find_id": ["in", "out"], "category": ["uxo", "uxo"]},
            geometry=[shapely.Point(0.5, 0.5), shapely.Point(5, 5)],
            crs=4326,
        ),
        tmp_path / "finds.gpkg",
        layer="finds",
    )
    store = tmp_path / "s.gpkg"
    run("init", str(store))
    env = {**os.environ, "PYTHONPATH": str(SRC), "MINEWATCH_CONFIG": str(config)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "minewatch",
            "import",
            str(finds),
            "--kind",
            "device_find",
            "--id-column",
            "find_id",
            "-s",
            str(store),
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 landed" in proc.stdout and "1 rejected" in proc.stdout
    assert "boundary" in (proc.stdout + proc.stderr)


def test_casualty_table_reads_in_words_and_csv_keeps_codes(demo_store: str) -> None:
    table = run("casualties", "table", "-s", demo_store, "--year", "2021")
    assert "All recorded casualties" in table and "Child (under 18)" in table
    assert "mine_erw" not in table and "age_group" not in table
    csv_out = run("casualties", "table", "-s", demo_store, "--year", "2021", "-f", "csv")
    assert "2021,total,mine_erw," in csv_out and "2021,age_group,child," in csv_out


def test_assistance_coverage_reads_in_words_and_csv_keeps_codes(demo_store: str) -> None:
    table = run("assistance", "coverage", "-s", demo_store)
    assert "Medical care" in table and "Any assistance" in table and "Received" in table
    assert "With disability" in table
    assert "psychological_support" not in table and "with_disability" not in table
    csv_out = run("assistance", "coverage", "-s", demo_store, "-f", "csv")
    assert ",medical,received," in csv_out and ",any,needed," in csv_out
