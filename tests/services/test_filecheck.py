"""Checking a file before import. The files are synthetic, written into tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from minewatch.errors import InvalidInput
from minewatch.io.geodata import write_geodata
from minewatch.services.filecheck import check_file, load_rules

MAPPING = {"kind": "hazardous_area", "id_column": "HAZ_ID"}


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """Five synthetic areas: fine, a bowtie, a duplicate of the first, one overlapping the
    first, and one with no geometry."""
    square = shapely.box(30, 50, 30.01, 50.01)
    bowtie = shapely.from_wkt("POLYGON ((31 50, 31.01 50.01, 31.01 50, 31 50.01, 31 50))")
    frame = gpd.GeoDataFrame(
        {"HAZ_ID": ["A", "B", "C", "D", "E"]},
        geometry=[square, bowtie, square, shapely.box(30.005, 50, 30.015, 50.01), None],
        crs="EPSG:4326",
    )
    return write_geodata(frame, tmp_path / "synthetic_survey.gpkg")


def test_every_feature_is_counted_once(survey: Path, tmp_path: Path) -> None:
    report = check_file(survey, MAPPING, rejects_to=tmp_path / "rejects.csv", batch_size=2)
    assert (report.features, report.landed, report.repaired, report.rejected) == (5, 3, 1, 1)
    assert report.landed + report.repaired + report.rejected == report.features
    assert report.by_rule[("duplicate", "warning")] == 1
    assert report.by_rule[("overlap", "warning")] == 2  # D overlaps A and C
    rejects = pd.read_csv(tmp_path / "rejects.csv")
    assert rejects["HAZ_ID"].tolist() == ["E"]
    table = report.frame()
    duplicate = table[table["rule"] == "duplicate"].iloc[0]
    assert (duplicate["feature"], duplicate["related"]) == (1, 3)
    assert "feature 3" in duplicate["message"]


def test_boundary_from_a_file_and_rules_from_toml(survey: Path, tmp_path: Path) -> None:
    boundary = gpd.GeoDataFrame(geometry=[shapely.box(29.5, 49.5, 30.5, 50.5)], crs=4326)
    boundary_path = write_geodata(boundary, tmp_path / "synthetic_boundary.geojson")
    rules_path = tmp_path / "national.toml"
    rules_path.write_text('[geometry]\noutside_boundary_severity = "warning"\n')
    report = check_file(
        survey, MAPPING, boundary=boundary_path, rules=load_rules(rules_path), pairwise=False
    )
    outside = report.frame().query("rule == 'outside_boundary'")
    assert outside["feature"].tolist() == [2]
    assert report.rejected == 1  # only the missing geometry


def test_bad_rules_file_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(json.dumps({"x": 1}).replace(":", "=").strip("{}"))
    with pytest.raises(InvalidInput):
        load_rules(path)
    path.write_text("[geometry]\nmax_vertex_gap_m = -5\n")
    with pytest.raises(InvalidInput, match="max_vertex_gap_m"):
        load_rules(path)
