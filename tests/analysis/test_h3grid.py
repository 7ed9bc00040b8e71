"""The H3 grid view on SYNTHETIC polygons."""

from __future__ import annotations

import geopandas as gpd
import h3
import numpy as np
import pytest
from shapely import box

from minewatch.analysis.h3grid import area_cells, h3_grid


def test_large_polygon_gets_the_cells_whose_centres_it_contains() -> None:
    polygon = box(30.0, 50.0, 30.5, 50.3)
    _, cells = area_cells(np.array([polygon], dtype=object), 7)
    shape = h3.LatLngPoly([(lat, lng) for lng, lat in polygon.exterior.coords[:-1]])
    assert set(cells) == set(h3.h3shape_to_cells(shape, 7))


def test_totals_are_preserved_and_small_areas_land_in_one_cell() -> None:
    scored = gpd.GeoDataFrame(
        {
            "code": ["big", "small"],
            "score": [80.0, 20.0],
            "area_m2": [7.5e8, 1e4],
            "residual_risk": [10.0, np.nan],
            "population": [5000.0, 30.0],
        },
        geometry=[box(30.0, 50.0, 30.4, 50.25), box(31.0, 50.0, 31.001, 50.001)],
        crs=4326,
    )
    grid = h3_grid(scored, resolution=7)
    assert grid["area_m2"].sum() == pytest.approx(7.5e8 + 1e4)
    assert grid["population"].sum() == pytest.approx(5030.0)
    assert grid["residual_risk"].sum() == pytest.approx(10.0)
    small = grid[grid["max_score"] == 20.0]
    assert len(small) == 1 and small["cell"].iloc[0] == h3.latlng_to_cell(50.0005, 31.0005, 7)
    assert grid.geometry.is_valid.all() and len(grid) > 50
