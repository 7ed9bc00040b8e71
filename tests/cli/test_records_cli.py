"""The records commands end to end on the synthetic demo store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
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
    old = json.loads(
        run("show", "hazardous_area", "HA-000002", "-s", demo_store, "--as-of", "2020-12-31")
    )[0]
    assert old["status"] == "suspended"


def _copy_organisations(source_url: str, target_url: str) -> None:
    from minewatch.domain.access import local_admin
    from minewatch.domain.queries import ItemQuery
    from minewatch.domain.records import Kind
    from minewatch.services.records import Workflow
    from minewatch.store import open_store

    source, target = open_store(source_url), open_store(target_url)
    wf = Workflow(target, local_admin())
    for org in sorted(source.query_items(ItemQuery(kind=Kind.ORGANISATION)), key=lambda o: o.code):
        fields = {"name": org.name, "acronym": org.acronym}
        draft = wf.create_draft(
            Kind.ORGANISATION, fields, None, date_of_information=date(2020, 1, 1)
        )
        assert wf.approve(wf.submit(draft.code or "").code or "").item_code == org.code
    source.close()
    target.close()


def test_export_import_round_trip(demo_store: str, tmp_path: Path) -> None:
    out = tmp_path / "open.gpkg"
    run("export", "hazardous_area", str(out), "-s", demo_store, "--where", "status=open")
    target = tmp_path / "copy.gpkg"
    run("init", str(target))
    # The areas name their organisations, which must exist in the target first (created here
    # through the workflow: a CSV export of organisations has no geometry and import refuses it).
    _copy_organisations(demo_store, str(target))
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
