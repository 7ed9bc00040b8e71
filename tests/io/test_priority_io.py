"""Reading prioritisation inputs by window and bounding box (SYNTHETIC files)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin
from shapely import Point

from minewatch.errors import InvalidInput
from minewatch.io.priority import (
    FileLayer,
    PriorityInputs,
    read_areas,
    read_layer,
    read_population_window,
)

WGS84 = pyproj.CRS.from_epsg(4326)


@pytest.fixture
def raster(tmp_path):
    path = tmp_path / "pop.tif"
    values = np.arange(100, dtype="float32").reshape(10, 10)
    values[0, 0] = -9999  # nodata
    values[0, 1] = np.nan
    values[0, 2] = -3  # negative counts as nothing
    with rasterio.open(
        path, "w", driver="GTiff", width=10, height=10, count=1, dtype="float32",
        crs="EPSG:4326", transform=from_origin(30.0, 50.0, 0.01, 0.01), nodata=-9999,
    ) as dst:  # fmt: skip
        dst.write(values, 1)
    return str(path)


def test_window_covers_the_bounds_with_a_cell_of_margin(raster) -> None:
    window = read_population_window(raster, (30.035, 49.955, 30.045, 49.965), WGS84)
    assert window.values.shape == (4, 4)
    assert window.transform.c == pytest.approx(30.02) and window.transform.f == pytest.approx(49.98)
    assert window.values[0, 0] == 22.0  # row 2, column 2


def test_window_zeroes_nodata_nan_and_negatives_and_misses_cleanly(raster) -> None:
    corner = read_population_window(raster, (29.0, 49.95, 30.005, 50.5), WGS84)
    assert corner.values[0, :3].tolist() == [0.0, 0.0, 0.0]
    assert read_population_window(raster, (10.0, 10.0, 11.0, 11.0), WGS84).values.size == 0


def test_layers_are_read_by_bounding_box(tmp_path) -> None:
    path = tmp_path / "ctx.gpkg"
    frame = gpd.GeoDataFrame(geometry=[Point(30, 50), Point(35, 50)], crs=4326)
    frame.to_file(path, layer="schools", engine="pyogrio")
    assert len(read_layer(FileLayer.parse(f"{path}:schools"), (29.9, 49.9, 30.1, 50.1))) == 1
    assert len(read_layer(frame, (34.9, 49.9, 35.1, 50.1))) == 1
    with pytest.raises(InvalidInput, match="unknown context layer"):
        PriorityInputs(layers={"pubs": FileLayer(str(path))}).check()
    with pytest.raises(InvalidInput, match="file not found"):
        PriorityInputs(layers={"roads": FileLayer(str(tmp_path / "no.gpkg"))}).check()


def test_areas_need_codes_and_geometries(tmp_path) -> None:
    path = tmp_path / "areas.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(30, 50).buffer(0.01)], crs=4326).to_file(
        path, engine="pyogrio"
    )
    with pytest.raises(InvalidInput, match="code"):
        read_areas(str(path))


def test_geopackage_layers_are_read_through_their_r_tree_like_a_bounding_box(tmp_path) -> None:
    rng = np.random.default_rng(4)
    starts = rng.uniform(0, 1, (2000, 2)) + np.array([30.0, 50.0])
    lines = shapely.linestrings(np.stack([starts, starts + rng.normal(0, 0.01, (2000, 2))], 1))
    frame = gpd.GeoDataFrame(
        {"victims": np.arange(2000), "note": "SYNTHETIC"}, geometry=lines, crs=4326
    )
    path = tmp_path / "ctx.gpkg"
    frame.to_file(path, layer="roads", engine="pyogrio")
    frame.to_file(tmp_path / "ctx.fgb", engine="pyogrio")  # FlatGeobuf: no R-tree table
    bbox = (30.2, 50.3, 30.6, 50.5)
    expected = frame.iloc[np.sort(frame.sindex.query(shapely.box(*bbox)))]
    got = read_layer(FileLayer(str(path), "roads"), bbox, ("victims",))
    assert list(got.columns) == ["victims", "geometry"]
    # The same features, in file order (the R-tree's boxes are rounded outwards to 32-bit
    # floats, so a feature within a few metres of the box may come too; none here).
    assert got["victims"].tolist() == expected["victims"].tolist()
    assert shapely.equals_exact(got.geometry.values, expected.geometry.values, 0).all()
    plain = read_layer(FileLayer(str(tmp_path / "ctx.fgb")), bbox, ())
    assert list(plain.columns) == ["geometry"] and len(plain) == len(expected)
    assert (
        read_layer(frame, bbox, ("victims", "nope"))["victims"].tolist() == got["victims"].tolist()
    )
