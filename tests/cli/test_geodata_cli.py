"""The ``minewatch geodata`` commands, driven through Typer's test runner on synthetic files."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.io.geodata import write_geodata

_register_commands()
runner = CliRunner()


def synthetic_file(tmp_path: Path) -> Path:
    frame = gpd.GeoDataFrame(
        {"HAZ_ID": ["A", "B"], "STATUS": ["Open", "Nope"]},
        geometry=[shapely.box(30, 50, 30.01, 50.01), shapely.box(30.02, 50, 30.03, 50.01)],
        crs="EPSG:4326",
    )
    return write_geodata(frame, tmp_path / "synthetic.gpkg", layer="areas")


def test_layers_lists_the_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["geodata", "layers", str(synthetic_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "areas" in result.output and "EPSG:4326" in result.output


def test_check_reports_and_writes_findings_and_rejects(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'kind = "hazardous_area"\nid_column = "HAZ_ID"\n'
        '[fields]\nstatus = { column = "STATUS", values = { Open = "open" } }\n'
    )
    path = synthetic_file(tmp_path)
    findings, rejects = tmp_path / "findings.csv", tmp_path / "rejects.csv"
    result = runner.invoke(
        app,
        [
            "geodata",
            "check",
            str(path),
            "-m",
            str(mapping),
            "--findings",
            str(findings),
            "--rejects",
            str(rejects),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 features: 1 landed, 0 repaired, 1 rejected" in result.output
    table = pd.read_csv(findings)
    assert table[["feature", "field", "rule"]].values.tolist() == [[2, "status", "field_value"]]
    assert pd.read_csv(rejects)["HAZ_ID"].tolist() == ["B"]


def test_every_command_help_has_an_example() -> None:
    for command in ("layers", "check"):
        result = runner.invoke(app, ["geodata", command, "--help"])
        assert result.exit_code == 0
        assert "Example: minewatch geodata" in result.output


def test_bad_mapping_is_a_clean_error(tmp_path: Path) -> None:
    import pytest

    from minewatch.cli import main

    mapping = tmp_path / "mapping.toml"
    mapping.write_text('kind = "nonsense"\n')
    with pytest.raises(SystemExit) as stop:
        main(["geodata", "check", str(synthetic_file(tmp_path)), "-m", str(mapping)])
    assert stop.value.code == 2
