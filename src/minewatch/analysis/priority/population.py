"""People near each area from a population raster: the cells whose centre lies inside the
buffered area, summed (:func:`population_within`)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pyproj
import shapely
from numpy.typing import NDArray

from minewatch.analysis.priority.projection import Floats, Geoms, Mover, _mover, _project
from minewatch.domain.spatial import RasterWindow

#: Candidate raster cells tested at once in :func:`population_within` (bounds memory).
_CELL_CHUNK = 4_000_000


def population_within(
    areas_m: Geoms, radius_m: float, window: RasterWindow, metric_crs: pyproj.CRS
) -> Floats:
    """People within ``radius_m`` of each area: the sum of the cells of ``window`` whose
    centre lies strictly inside the buffered polygon (partial cells do not count).

    Candidate cells are those of each buffer's bounding box; their centres are tested with
    :func:`shapely.contains_xy` on the prepared buffers, all areas at once.

    >>> import numpy as np, pyproj
    >>> from affine import Affine
    >>> from shapely import Point
    >>> window = RasterWindow(np.ones((10, 10)), Affine(10, 0, -50, 0, -10, 50),
    ...                       pyproj.CRS("EPSG:3857"))
    >>> population_within(np.array([Point(0, 0)]), 15.0, window, pyproj.CRS("EPSG:3857"))
    array([4.])
    """
    n = len(areas_m)
    out = np.zeros(n)
    if n == 0 or window.values.size == 0:
        return out
    buffers = shapely.buffer(areas_m, radius_m, quad_segs=8)
    t = window.transform
    if t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0:
        # Only the edges' ends are needed, moved to the raster's CRS, not new polygons.
        return _scanline_sums(buffers, window, _mover(metric_crs, window.crs))
    buffers = _project(buffers, metric_crs, window.crs)
    shapely.prepare(buffers)  # a rotated or south-up raster: test every candidate centre
    rows0, rows1, cols0, cols1 = _cell_ranges(shapely.bounds(buffers), window)
    counts = (rows1 - rows0) * (cols1 - cols0)
    for chunk in _chunks_by_total(counts, _CELL_CHUNK):
        out[chunk] = _sum_cells(
            buffers[chunk], rows0[chunk], cols0[chunk], cols1[chunk] - cols0[chunk],
            counts[chunk], window,
        )  # fmt: skip
    return out


def _ring_edges(
    polygons: Geoms, move: Mover
) -> tuple[NDArray[np.int64], Floats, Floats, Floats, Floats]:
    """Every edge of every ring (exterior and holes) as (owner, x0, y0, x1, y1), its ends
    moved by ``move``."""
    parts, part_owner = shapely.get_parts(polygons, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    coords = move(coords)
    starts = np.flatnonzero(coord_ring[:-1] == coord_ring[1:])
    owner = part_owner[ring_part[coord_ring[starts]]]
    a, b = coords[starts], coords[starts + 1]
    return owner, a[:, 0], a[:, 1], b[:, 0], b[:, 1]


def _scanline_sums(buffers: Geoms, window: RasterWindow, move: Mover) -> Floats:
    """Sums of the cells whose centre is strictly inside each polygon (moved to the raster's
    CRS by ``move``), for a north-up raster.

    Each raster row's centre line is crossed with the polygons' edges (a crossing counts
    when the line is in [lower, upper) of the edge's y, so every closed ring crosses it an
    even number of times); sorted crossings pair into inside spans, and the cells whose
    centres fall strictly within a span are summed. The work grows with edges and rows, not
    with the cells of the bounding box; the order of summation is fixed per area, so the
    result does not depend on where the window starts.
    """
    t = window.transform
    height, width = window.values.shape
    owner, x0, y0, x1, y1 = _ring_edges(buffers, move)
    low, high = np.minimum(y0, y1), np.maximum(y0, y1)
    first = np.maximum(np.floor((high - t.f) / t.e - 0.5).astype(np.int64) + 1, 0)
    last = np.minimum(np.floor((low - t.f) / t.e - 0.5).astype(np.int64), height - 1)
    per_edge = np.maximum(last - first + 1, 0)
    edge = np.repeat(np.arange(len(owner)), per_edge)
    row = first[edge] + np.arange(len(edge)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    yc = t.f + t.e * (row + 0.5)
    x = x0[edge] + (yc - y0[edge]) * (x1[edge] - x0[edge]) / (y1[edge] - y0[edge])
    key = owner[edge] * np.int64(height) + row
    order = np.lexsort((x, key))
    key, x = key[order], x[order]
    span_key, left, right = key[0::2], x[0::2], x[1::2]
    col0 = np.maximum(np.floor((left - t.c) / t.a - 0.5).astype(np.int64) + 1, 0)
    col1 = np.minimum(np.ceil((right - t.c) / t.a - 0.5).astype(np.int64) - 1, width - 1)
    keep = col1 >= col0
    span_key, col0, col1 = span_key[keep], col0[keep], col1[keep]
    start = (span_key % height) * width + col0
    return np.bincount(
        span_key // height, weights=_run_sums(window.values, start, col1 - col0 + 1),
        minlength=len(buffers),
    ).astype(np.float64)  # fmt: skip


def _run_sums(values: NDArray[Any], start: NDArray[np.int64], length: NDArray[np.int64]) -> Floats:
    """Sums of the runs ``values.flat[start : start + length]`` (each length ≥ 1).

    A span of a raster row is contiguous in memory, so :func:`numpy.add.reduceat` sums it in
    place rather than gathering its cells one by one. reduceat also sums the gap from each
    run's end to the next run's start, so the runs are visited in order of ``start``: the
    gaps then add up to one pass over the window at most. Each run's own sum does not depend
    on the others or on where the window starts.
    """
    if len(start) == 0:
        return np.empty(0)
    flat = np.ravel(values).astype(np.float64, copy=False)
    last = len(flat) - 1
    order = np.argsort(start, kind="stable")
    start, length = start[order], length[order]
    # reduceat wants every index below the size, so a run ending on the window's last cell
    # stops one short and gets that cell added after (a run of that cell alone is returned
    # by reduceat as it is); padding the window instead would copy it.
    ends_last = start + length > last
    bounds = np.column_stack([start, np.minimum(start + length, last)]).ravel()
    ordered = np.add.reduceat(flat, bounds)[0::2]
    ordered[ends_last & (length > 1)] += flat[last]
    sums = np.empty(len(start))
    sums[order] = ordered
    return sums


def _cell_ranges(
    bounds: Floats, window: RasterWindow
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Row and column ranges [start, stop) of the cells each bounding box touches."""
    inverse = ~window.transform
    xs = bounds[:, [0, 2, 0, 2]]
    ys = bounds[:, [1, 1, 3, 3]]
    cols = inverse.a * xs + inverse.b * ys + inverse.c
    rows = inverse.d * xs + inverse.e * ys + inverse.f
    height, width = window.values.shape
    r0 = np.clip(np.floor(np.nan_to_num(rows.min(axis=1))), 0, height).astype(np.int64)
    r1 = np.clip(np.ceil(np.nan_to_num(rows.max(axis=1))), 0, height).astype(np.int64)
    c0 = np.clip(np.floor(np.nan_to_num(cols.min(axis=1))), 0, width).astype(np.int64)
    c1 = np.clip(np.ceil(np.nan_to_num(cols.max(axis=1))), 0, width).astype(np.int64)
    return r0, np.maximum(r1, r0), c0, np.maximum(c1, c0)


def _chunks_by_total(counts: NDArray[np.int64], limit: int) -> list[slice]:
    """Consecutive slices of ``counts`` whose totals stay near ``limit``."""
    ends = np.cumsum(counts)
    cuts = np.searchsorted(ends, np.arange(limit, int(ends[-1]) + limit, limit), side="right")
    bounds = np.unique(np.concatenate([[0], cuts, [len(counts)]]))
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]


def _sum_cells(
    buffers: Geoms,
    rows0: NDArray[np.int64],
    cols0: NDArray[np.int64],
    widths: NDArray[np.int64],
    counts: NDArray[np.int64],
    window: RasterWindow,
) -> Floats:
    total = int(counts.sum())
    if total == 0:
        return np.zeros(len(buffers))
    owner = np.repeat(np.arange(len(buffers)), counts)
    k = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    w = widths[owner]
    rows = rows0[owner] + k // w
    cols = cols0[owner] + k % w
    values = np.asarray(window.values[rows, cols], dtype=np.float64)
    keep = values > 0
    owner, rows, cols, values = owner[keep], rows[keep], cols[keep], values[keep]
    t = window.transform
    x = t.a * (cols + 0.5) + t.b * (rows + 0.5) + t.c
    y = t.d * (cols + 0.5) + t.e * (rows + 0.5) + t.f
    inside = shapely.contains_xy(buffers[owner], x, y)
    sums = np.bincount(owner[inside], weights=values[inside], minlength=len(buffers))
    return sums.astype(np.float64)
