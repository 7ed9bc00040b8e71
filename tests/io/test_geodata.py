"""Reading and writing geodata files. Every file here is synthetic: written by the test into
tmp_path, around 30°E 50°N, describing no real hazard."""

from __future__ import annotations

import json
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minewatch.domain.geometry import FindingSeverity, Rule
from minewatch.domain.records import HazardStatus
from minewatch.errors import InvalidInput
from minewatch.io.geodata import (
    FeatureBatch,
    ImportRule,
    RejectCollector,
    list_layers,
    load_mapping,
    read_batches,
    read_boundary,
    write_geodata,
)
from minewatch.io.geodata.write import shapefile_field_names
from minewatch.io.mapping import Mapping

HAZARD_MAPPING = {
    "kind": "hazardous_area",
    "id_column": "HAZ_ID",
    "fields": {
        "name": "NAME",
        "status": {"column": "STATUS", "values": {"Open": "open", "Done": "released"}},
        "classification": {"value": "CHA"},
    },
}
FIND_MAPPING = {
    "kind": "device_find",
    "id_column": "FIND_ID",
    "fields": {"category": "CAT", "depth_cm": "DEPTH"},
}


def read_all(path: Path, mapping: Mapping | dict, **kwargs: object) -> FeatureBatch:
    """Every batch of a file, checked, concatenated into one for easy assertions."""
    if isinstance(mapping, dict):
        mapping = load_mapping(mapping)
    batches = [b.checked() for b in read_batches(path, mapping, **kwargs)]  # type: ignore[arg-type]
    first = batches[0]
    return FeatureBatch(
        source=first.source,
        layer=first.layer,
        mapping=first.mapping,
        feature_numbers=np.concatenate([b.feature_numbers for b in batches]),
        fids=np.concatenate([b.fids for b in batches]),
        external_ids=np.concatenate([b.external_ids for b in batches]),
        values=pd.concat([b.values for b in batches], ignore_index=True),
        geometries=np.concatenate([b.geometries for b in batches]),
        findings=[f for b in batches for f in b.findings],
        rejected=np.concatenate([b.rejected for b in batches]),
    )


def hazard_frame(n: int = 3, crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    squares = [shapely.box(30 + i * 0.02, 50, 30.01 + i * 0.02, 50.01) for i in range(n)]
    frame = gpd.GeoDataFrame(
        {
            "HAZ_ID": [f"SYN-{i + 1}" for i in range(n)],
            "NAME": [f"synthetic field {i + 1}" for i in range(n)],
            "STATUS": ["Open", "Done", "Open"][:n] + ["Open"] * max(0, n - 3),
        },
        geometry=squares,
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


# -- GeoJSON with null and broken geometries -----------------------------------------------------

SQUARE_RING = [[30, 50], [30.01, 50], [30.01, 50.01], [30, 50.01], [30, 50]]


def feature(haz_id: str, geometry: object) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"HAZ_ID": haz_id, "NAME": "synthetic", "STATUS": "Open"},
        "geometry": geometry,
    }


@pytest.fixture
def broken_geojson(tmp_path: Path) -> Path:
    """Synthetic GeoJSON written as raw text, so it can hold what a library would refuse."""
    bowtie = [[30, 50], [30.01, 50.01], [30.01, 50], [30, 50.01], [30, 50]]
    features = [
        feature("SYN-1", {"type": "Polygon", "coordinates": [SQUARE_RING]}),
        feature("SYN-2", None),
        feature("SYN-3", {"type": "Polygon", "coordinates": [SQUARE_RING[:-1]]}),  # unclosed
        feature("SYN-4", {"type": "Polygon", "coordinates": [[[30, 50], [30.01], [30, 50]]]}),
        feature(
            "SYN-5", {"type": "Polygon", "coordinates": [[[30, 50], [30.01, 50.01], [30, 50]]]}
        ),
        feature("SYN-6", {"type": "Polygon", "coordinates": [bowtie]}),
    ]
    path = tmp_path / "synthetic_broken.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_every_feature_of_a_broken_geojson_is_accounted_for(broken_geojson: Path) -> None:
    batch = read_all(broken_geojson, HAZARD_MAPPING)
    assert batch.feature_numbers.tolist() == [1, 2, 3, 4, 5, 6]
    assert batch.external_ids.tolist() == [f"SYN-{i}" for i in range(1, 7)]
    outcome = {f.record: (str(f.rule), f.severity.value) for f in batch.findings}
    assert outcome == {
        2: ("null_geometry", "error"),
        3: ("unclosed_ring", "repaired"),
        4: ("unreadable_geometry", "error"),
        5: ("too_few_points", "error"),
        6: ("self_intersection", "repaired"),
    }
    assert batch.rejected.tolist() == [False, True, False, True, True, False]
    landed = batch.geometries[~batch.rejected]
    assert all(g.is_valid for g in landed)
    null = next(f for f in batch.findings if f.record == 2)
    assert "null in the file" in null.message
    broken = next(f for f in batch.findings if f.record == 4)
    assert "30.01" in broken.message  # quotes the geometry GDAL could not read
    where = batch.location(broken)
    assert (where.file, where.row, where.field) == (str(broken_geojson), 4, "geometry")


def test_values_are_mapped_and_validated(tmp_path: Path) -> None:
    frame = hazard_frame(3)
    frame.loc[2, "STATUS"] = "Nonsense"
    path = write_geodata(frame, tmp_path / "synthetic.geojson")
    batch = read_all(path, HAZARD_MAPPING)
    assert batch.values["status"].tolist() == ["open", "released", None]
    assert batch.values["classification"].tolist() == ["CHA"] * 3
    [problem] = batch.findings
    assert (problem.record, problem.rule, problem.field) == (3, ImportRule.FIELD_VALUE, "status")
    assert "Nonsense" in problem.message and "STATUS" in problem.message
    assert batch.rejected.tolist() == [False, False, True]


# -- zipped Shapefile in UTM ----------------------------------------------------------------------


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)
    return target


@pytest.fixture
def utm_shapefile_zip(tmp_path: Path) -> Path:
    """A synthetic zipped Shapefile in UTM zone 36N (EPSG:32636), made with ogr2ogr."""
    source = write_geodata(hazard_frame(3), tmp_path / "synthetic_source.geojson")
    folder = tmp_path / "shp"
    folder.mkdir()
    subprocess.run(
        ["ogr2ogr", "-t_srs", "EPSG:32636", str(folder / "areas.shp"), str(source)],
        check=True,
        capture_output=True,
    )
    return zip_folder(folder, tmp_path / "synthetic_utm.zip")


def test_zipped_utm_shapefile_comes_back_in_wgs84(utm_shapefile_zip: Path) -> None:
    batch = read_all(utm_shapefile_zip, HAZARD_MAPPING)
    assert not batch.rejected.any() and batch.findings == []
    expected = hazard_frame(3).geometry.to_numpy()
    for got, want in zip(batch.geometries, expected, strict=True):
        assert shapely.equals_exact(shapely.normalize(got), shapely.normalize(want), 1e-7)


def test_shapefile_in_a_folder_inside_the_zip(utm_shapefile_zip: Path, tmp_path: Path) -> None:
    nested = tmp_path / "synthetic_nested.zip"
    with zipfile.ZipFile(utm_shapefile_zip) as source, zipfile.ZipFile(nested, "w") as target:
        for name in source.namelist():
            target.writestr(f"survey_2024/{name}", source.read(name))
        target.writestr("__MACOSX/survey_2024/._areas.shp", b"")
    batch = read_all(nested, HAZARD_MAPPING)
    assert batch.external_ids.tolist() == ["SYN-1", "SYN-2", "SYN-3"]
    assert not batch.rejected.any()


def test_shapefile_without_crs_in_metres_is_an_error_unless_assumed(
    utm_shapefile_zip: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "noprj"
    with zipfile.ZipFile(utm_shapefile_zip) as archive:
        archive.extractall(folder)
    (folder / "areas.prj").unlink()
    bare = zip_folder(folder, tmp_path / "synthetic_noprj.zip")
    with pytest.raises(InvalidInput, match="declares no CRS"):
        read_all(bare, HAZARD_MAPPING)
    assumed = read_all(bare, {**HAZARD_MAPPING, "assumed_crs": "EPSG:32636"})
    assert not assumed.rejected.any()
    assert assumed.geometries[0].centroid.x == pytest.approx(30.005, abs=1e-6)


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_with_lon_lat_columns(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_finds.csv"
    path.write_text(
        "FIND_ID;CAT;DEPTH;LON;LAT\n"
        "F1;ap_mine;5;30,5;50,4\n"  # decimal commas, semicolon separator
        "F2;uxo;;abc;50.4\n"
        "F3;uxo;12.5;;\n"
        "F4;uxo;3;50.4;130.5\n"  # latitude and longitude swapped
        "F5;grenade;3;30.5;50.4\n"
        "F6;uxo;3;30°30'00\"E;N 50 24 00\n",  # degrees, minutes, seconds
        encoding="utf-8",
    )
    mapping = {**FIND_MAPPING, "geometry": {"x": "LON", "y": "LAT"}}
    batch = read_all(path, mapping)
    assert batch.geometries[0].equals(shapely.Point(30.5, 50.4))
    outcome = {(f.record, str(f.rule), f.field) for f in batch.findings}
    assert outcome == {
        (2, "unreadable_geometry", "LON"),
        (3, "null_geometry", "geometry"),
        (4, "swapped_coordinates", "geometry"),
        (5, "field_value", "category"),
    }
    assert batch.rejected.tolist() == [False, True, True, True, True, False]
    assert batch.values["depth_cm"].tolist()[:3] == [5.0, None, 12.5]
    assert batch.geometries[5].equals(shapely.Point(30.5, 50.4))


def test_csv_with_wkt_and_a_content_hash_id(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_areas.csv"
    square = "POLYGON ((30 50, 30.01 50, 30.01 50.01, 30 50.01, 30 50))"
    path.write_text(
        "NAME,STATUS,WKT\n"
        f'a,Open,"{square}"\n'
        'b,Open,"POLYGON ((30 50, 30.01"\n'
        "c,Open,\n"
        f'a,Open,"{square}"\n'  # the same feature again
        'd,Open,"POLYGON ((31 50, 31.01 50, 31.01 50.01, 31 50.01))"\n',  # unclosed
        encoding="utf-8",
    )
    mapping = {
        "kind": "hazardous_area",
        "geometry": {"wkt": "WKT"},
        "fields": {"name": "NAME", "status": "STATUS"},
    }
    batch = read_all(path, mapping)
    outcome = {(f.record, str(f.rule)) for f in batch.findings}
    assert outcome == {
        (2, "unreadable_geometry"),
        (3, "null_geometry"),
        (4, "duplicate_id"),
        (5, "unclosed_ring"),
    }
    duplicate = next(f for f in batch.findings if f.record == 4)
    assert "feature 1" in duplicate.message
    ids = batch.external_ids.tolist()
    assert ids[0] == ids[3] and ids[0].startswith("sha:") and len(set(ids)) == 4
    assert batch.rejected.tolist() == [False, True, True, True, False]
    assert read_all(path, mapping).external_ids.tolist() == ids  # stable across reads


def test_csv_needs_geometry_columns_for_spatial_records(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.csv"
    path.write_text("FIND_ID,CAT,DEPTH\nF1,uxo,1\n")
    with pytest.raises(InvalidInput, match=r"\[geometry\]"):
        read_all(path, FIND_MAPPING)


# -- GeoPackage with several layers ---------------------------------------------------------------


@pytest.fixture
def three_layer_gpkg(tmp_path: Path) -> Path:
    path = tmp_path / "synthetic_three.gpkg"
    write_geodata(hazard_frame(3), path, layer="areas")
    points = gpd.GeoDataFrame(
        {"FIND_ID": ["F1", "F2"], "CAT": ["AP_MINE", "uxo"], "DEPTH": [5, 7]},
        geometry=[shapely.Point(30.001, 50.001), shapely.Point(30.002, 50.002)],
        crs="EPSG:4326",
    )
    write_geodata(points, path, layer="finds")
    write_geodata(hazard_frame(1), path, layer="old_areas")
    return path


def test_geopackage_layers_are_listed_and_one_must_be_chosen(three_layer_gpkg: Path) -> None:
    layers = {info.name: info for info in list_layers(three_layer_gpkg)}
    assert set(layers) == {"areas", "finds", "old_areas"}
    assert layers["areas"].features == 3 and layers["finds"].geometry_type == "Point"
    with pytest.raises(InvalidInput, match="choose one"):
        read_all(three_layer_gpkg, HAZARD_MAPPING)
    with pytest.raises(InvalidInput, match="no layer 'nope'"):
        read_all(three_layer_gpkg, HAZARD_MAPPING, layer="nope")
    finds = read_all(three_layer_gpkg, {**FIND_MAPPING, "layer": "finds"})
    assert finds.values["category"].tolist() == ["ap_mine", "uxo"]
    assert finds.values["depth_cm"].tolist() == [5.0, 7.0]
    assert finds.fids.tolist() == [1, 2]


def test_points_where_areas_are_expected_are_rejected(three_layer_gpkg: Path) -> None:
    mapping = {**HAZARD_MAPPING, "id_column": "FIND_ID", "fields": {}}
    batch = read_all(three_layer_gpkg, mapping, layer="finds")
    assert {str(f.rule) for f in batch.findings} == {"wrong_geometry_type"}
    assert batch.rejected.all()


def test_attribute_only_layer_reads_for_kinds_without_geometry(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_orgs.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"ORG": ["O1", "O2"], "NAME": ["a", "b"]}), path)
    orgs = read_all(path, {"kind": "organisation", "id_column": "ORG", "fields": {"name": "NAME"}})
    assert orgs.findings == [] and orgs.values["name"].tolist() == ["a", "b"]
    areas = read_all(path, {"kind": "hazardous_area", "id_column": "ORG"})
    assert [str(f.rule) for f in areas.findings] == ["null_geometry"] * 2


# -- batches, ids ----------------------------------------------------------------------------------


def test_batches_number_features_continuously_and_catch_repeated_ids(tmp_path: Path) -> None:
    frame = hazard_frame(5)
    frame.loc[4, "HAZ_ID"] = "SYN-1"
    frame.loc[2, "HAZ_ID"] = None
    path = write_geodata(frame, tmp_path / "synthetic.gpkg")
    batches = list(read_batches(path, load_mapping(HAZARD_MAPPING), batch_size=2))
    assert [b.feature_numbers.tolist() for b in batches] == [[1, 2], [3, 4], [5]]
    findings = [f for b in batches for f in b.findings]
    assert [(f.record, str(f.rule)) for f in findings] == [(3, "missing_id"), (5, "duplicate_id")]
    assert "feature 1" in findings[1].message


def test_mapping_errors_are_reported_before_reading(tmp_path: Path) -> None:
    path = write_geodata(hazard_frame(1), tmp_path / "synthetic.geojson")
    with pytest.raises(InvalidInput, match="no field"):
        load_mapping({"kind": "hazardous_area", "fields": {"colour": "NAME"}})
    with pytest.raises(InvalidInput, match="constant value"):
        load_mapping({"kind": "hazardous_area", "fields": {"status": {"value": "lost"}}})
    with pytest.raises(InvalidInput, match=r"column.*MISSING"):
        read_all(path, {**HAZARD_MAPPING, "fields": {"name": "MISSING"}})


def test_mapping_from_toml_with_separator_and_default(tmp_path: Path) -> None:
    toml = tmp_path / "mapping.toml"
    toml.write_text(
        'kind = "hazardous_area"\n'
        'id_column = "HAZ_ID"\n'
        "[fields]\n"
        'status = { column = "STATUS", values = { Open = "open" }, default = "suspended" }\n'
        'hazard_types = { column = "TYPES", separator = ";", values = { AP = "ap_mines", '
        'UXO = "uxo_axo" } }\n'
    )
    frame = hazard_frame(2)
    frame["TYPES"] = ["AP; UXO", None]
    frame.loc[1, "STATUS"] = None
    path = write_geodata(frame, tmp_path / "synthetic.gpkg")
    batch = read_all(path, load_mapping(toml))
    assert batch.values["hazard_types"].tolist() == [["ap_mines", "uxo_axo"], []]
    assert batch.values["status"].tolist() == ["open", "suspended"]


# -- writing --------------------------------------------------------------------------------------


def records_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["HA-000001", "HA-000002"],
            "status": [HazardStatus.OPEN, HazardStatus.RELEASED],
            "organisation_code": ["ORG-1", "ORG-2"],
            "organisation_type": ["NGO", "commercial"],
            "hazard_types": [["ap_mines"], ["uxo_axo", "av_mines"]],
            "date_of_information": [date(2024, 5, 1), date(2023, 1, 1)],
        },
        geometry=[shapely.box(30, 50, 30.01, 50.01), shapely.box(30.02, 50, 30.03, 50.01)],
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".zip", ".csv"])
def test_export_round_trips(tmp_path: Path, suffix: str) -> None:
    path = write_geodata(records_frame(), tmp_path / f"synthetic_export{suffix}", layer="areas")
    org_column = "organisati" if suffix == ".zip" else "organisation_code"  # 10 characters
    mapping: dict[str, object] = {
        "kind": "hazardous_area",
        "id_column": "code",
        "fields": {"status": "status", "organisation_code": org_column},
    }
    if suffix == ".csv":
        mapping["geometry"] = {"wkt": "wkt"}
    batch = read_all(path, mapping)
    assert batch.external_ids.tolist() == ["HA-000001", "HA-000002"]
    assert batch.values["status"].tolist() == ["open", "released"]
    assert batch.values["organisation_code"].tolist() == ["ORG-1", "ORG-2"]
    assert batch.geometries[1].equals(shapely.box(30.02, 50, 30.03, 50.01))
    assert not batch.rejected.any()


def test_zipped_shapefile_shortens_field_names_and_lists_them(tmp_path: Path) -> None:
    path = write_geodata(records_frame(), tmp_path / "synthetic.zip", layer="areas")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        listing = archive.read("field_names.csv").decode()
    assert {"areas.shp", "areas.dbf", "areas.prj", "areas.cpg"} <= names
    assert "organisation_type,organisa_1" in listing
    info = pyogrio.read_info(f"/vsizip/{path}")
    assert "organisa_1" in info["fields"] and "date_of_i" not in info["fields"]
    assert shapefile_field_names(["a" * 12, "a" * 11, "a" * 10]) == {
        "a" * 12: "a" * 10,
        "a" * 11: "a" * 8 + "_1",
        "a" * 10: "a" * 8 + "_2",
    }


def test_export_writes_lists_as_json_and_dates_as_text(tmp_path: Path) -> None:
    path = write_geodata(records_frame(), tmp_path / "synthetic.geojson")
    properties = json.loads(path.read_text())["features"][1]["properties"]
    assert properties["hazard_types"] == ["uxo_axo", "av_mines"]  # GDAL writes JSON natively
    assert properties["date_of_information"] == "2023-01-01"
    assert properties["status"] == "released"
    csv_path = write_geodata(records_frame(), tmp_path / "synthetic.csv")
    assert '"[""uxo_axo"", ""av_mines""]"' in csv_path.read_text()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_exported_lists_import_again(tmp_path: Path, suffix: str) -> None:
    path = write_geodata(records_frame(), tmp_path / f"synthetic{suffix}")
    mapping: dict[str, object] = {
        "kind": "hazardous_area",
        "id_column": "code",
        "fields": {"hazard_types": "hazard_types"},
    }
    if suffix == ".csv":
        mapping["geometry"] = {"wkt": "wkt"}
    batch = read_all(path, mapping)
    assert batch.values["hazard_types"].tolist() == [["ap_mines"], ["uxo_axo", "av_mines"]]


def test_export_refuses_mixed_geometry_in_a_shapefile_and_unknown_formats(tmp_path: Path) -> None:
    mixed = records_frame()
    mixed.loc[1, "geometry"] = shapely.Point(30, 50)
    with pytest.raises(InvalidInput, match="one geometry type"):
        write_geodata(mixed, tmp_path / "synthetic.zip")
    with pytest.raises(InvalidInput, match="unknown export format"):
        write_geodata(mixed, tmp_path / "synthetic.kml")


def test_export_reprojects_to_wgs84(tmp_path: Path) -> None:
    path = write_geodata(hazard_frame(1, crs="EPSG:32636"), tmp_path / "synthetic.gpkg")
    frame = pyogrio.read_dataframe(path)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry[0].centroid.x == pytest.approx(30.005, abs=1e-6)


def test_national_boundary_from_a_file_feeds_the_checks(tmp_path: Path) -> None:
    boundary_frame = gpd.GeoDataFrame(
        {"name": ["synthetic country"]}, geometry=[shapely.box(29, 49, 31, 51)], crs=4326
    ).to_crs("EPSG:32636")
    boundary_path = write_geodata(boundary_frame, tmp_path / "synthetic_boundary.gpkg")
    boundary = read_boundary(boundary_path)
    assert boundary.contains(shapely.Point(30, 50))
    far = hazard_frame(1)
    far["geometry"] = [shapely.box(35, 50, 35.01, 50.01)]
    path = write_geodata(far, tmp_path / "synthetic_far.gpkg")
    [batch] = [
        b.checked(boundary=boundary) for b in read_batches(path, load_mapping(HAZARD_MAPPING))
    ]
    assert [f.rule for f in batch.findings] == [Rule.OUTSIDE_BOUNDARY]
    assert batch.findings[0].severity is FindingSeverity.ERROR


def test_missing_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not found"):
        next(read_batches(tmp_path / "nope.gpkg", load_mapping(HAZARD_MAPPING)))


# -- reject files ---------------------------------------------------------------------------------


def collect_rejects(path: Path, mapping: dict[str, object]) -> RejectCollector:
    rejects = RejectCollector(path)
    for batch in read_batches(path, load_mapping(mapping), batch_size=2):
        rejects.add(batch.checked())
    return rejects


def test_reject_file_keeps_source_columns_and_reasons(broken_geojson: Path, tmp_path: Path) -> None:
    rejects = collect_rejects(broken_geojson, HAZARD_MAPPING)
    out = rejects.write(tmp_path / "rejects.csv")
    table = pd.read_csv(out)
    assert table["reject_feature"].tolist() == [2, 4, 5]
    assert table["HAZ_ID"].tolist() == ["SYN-2", "SYN-4", "SYN-5"]
    assert "null_geometry" in table["reject_rules"][0]
    assert "too_few_points" in table["reject_rules"][2]
    assert table["wkt"][2].startswith("POLYGON")  # readable, but rejected by the rules


def test_reject_file_from_a_csv_source(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_finds.csv"
    path.write_text("FIND_ID,CAT,DEPTH,LON,LAT\nF1,uxo,1,30.5,50.4\nF2,bomb,1,30.5,50.4\n")
    rejects = collect_rejects(path, {**FIND_MAPPING, "geometry": {"x": "LON", "y": "LAT"}})
    table = pd.read_csv(rejects.write(tmp_path / "rejects.csv"))
    assert table[["reject_feature", "FIND_ID", "LON"]].to_dict("records") == [
        {"reject_feature": 2, "FIND_ID": "F2", "LON": 30.5}
    ]
    assert "category" in table["reject_reasons"][0]


# -- every feature accounted for, whatever the file holds ------------------------------------------

GEOMETRY_CHOICES = {
    "square": {"type": "Polygon", "coordinates": [SQUARE_RING]},
    "null": None,
    "unclosed": {"type": "Polygon", "coordinates": [SQUARE_RING[:-1]]},
    "bowtie": {
        "type": "Polygon",
        "coordinates": [[[30, 50], [30.01, 50.01], [30.01, 50], [30, 50.01], [30, 50]]],
    },
    "two_vertex": {"type": "Polygon", "coordinates": [[[30, 50], [30.01, 50.01], [30, 50]]]},
    "one_coordinate": {"type": "Polygon", "coordinates": [[[30, 50], [30.01], [30, 50]]]},
    "point": {"type": "Point", "coordinates": [30, 50]},
    "empty": {"type": "Polygon", "coordinates": []},
    "swapped": {"type": "Point", "coordinates": [50, 130]},
}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(sorted(GEOMETRY_CHOICES)), min_size=1, max_size=12))
def test_every_feature_lands_is_repaired_or_is_rejected_with_a_reason(
    tmp_path: Path, choices: list[str]
) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"HAZ_ID": f"SYN-{i}", "NAME": "synthetic", "STATUS": "Open"},
            "geometry": GEOMETRY_CHOICES[choice],
        }
        for i, choice in enumerate(choices)
    ]
    path = tmp_path / "synthetic_random.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    batch = read_all(path, HAZARD_MAPPING, batch_size=5)
    assert batch.feature_numbers.tolist() == list(range(1, len(choices) + 1))
    errors = {f.record for f in batch.findings if f.severity is FindingSeverity.ERROR}
    assert set(batch.feature_numbers[batch.rejected].tolist()) == errors
    for number, geometry, rejected in zip(
        batch.feature_numbers, batch.geometries, batch.rejected, strict=True
    ):
        choice = choices[number - 1]
        if choice in ("square", "unclosed", "bowtie"):
            assert not rejected and geometry.is_valid, choice
        else:
            assert rejected, choice


def test_rows_carry_their_own_findings(broken_geojson: Path) -> None:
    batch = next(read_batches(broken_geojson, load_mapping(HAZARD_MAPPING))).checked()
    accepted = list(batch.rows())
    assert [r.number for r in accepted] == [1, 3, 6]
    assert [f.rule for f in accepted[1].findings] == [Rule.UNCLOSED_RING]
    assert accepted[0].values == {"name": "synthetic", "status": "open", "classification": "CHA"}
    everything = list(batch.rows(rejected=True))
    assert [r.rejected for r in everything] == [False, True, False, True, True, False]
    assert everything[1].geometry is None and everything[1].findings
