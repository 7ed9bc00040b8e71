"""The geometry core of land release accounting: clip each product to its hazardous area,
take from it what products of the same area released earlier, measure.

Why by hand: no library call does "first release wins" over a stack of overlapping
polygons. GEOS's ``coverage_clean`` with ``merge_strategy="min_index"`` comes closest, but it
snaps vertices and leaves the parts outside the area to be clipped; a loop of differences
with a running union (the competent vectorised baseline) costs three overlays per product.
Here the GEOS work is spent only where an answer needs it (issue 20): a product lying wholly
inside its area (a prepared containment test) is its own clip; a product that touches no
earlier product of its area (an STR-tree query on bounding boxes, then an intersection test
on those pairs) released all of its clip; only the others are cut, by the union of the
earlier products they touch. The land remaining is each area less the union of its
products, computed apart from the pieces, so that the balance (original = released +
remaining) checks the overlays (:func:`unclosed_areas`). Until issue 20 each area was noded
with all its products' outlines and polygonised into faces; that built about three times
the geometry and took more CPU than the baseline.

Hazardous areas are independent of each other (an area is accounted only with the products
that name it), so the areas are cut into chunks, contiguous in the input order, and the
chunks run in a process pool (``workers``). Every per-area step gives the same result
whatever else is in its chunk, so the answer is the same with one worker or many (a test
checks it bit for bit). Workers are forked on Linux, which starts them at once with
everything imported; a process that runs other threads (the API server) is never forked,
because a lock held by another thread at that moment stays locked in the child for ever,
so there the workers are spawned, fresh interpreters that import what they need (and, as
with any spawned process, re-import an unguarded ``__main__`` script).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from minewatch.domain.area import ellipsoidal_area
from minewatch.errors import InvalidInput, Location

#: Matched products per chunk: the pool starts when there are at least two chunks. Large
#: enough that starting the pool and moving geometries (WKB) stays a small share of the work.
PRODUCTS_PER_CHUNK = 20_000


@dataclass(frozen=True)
class Overlay:
    """What the overlay produced, per product and per hazardous area (areas in m²)."""

    original: NDArray[np.float64]  # each area's whole polygon
    measured: NDArray[np.float64]  # each product's whole polygon
    inside: NDArray[np.float64]  # each product's part inside its area
    credited: NDArray[np.float64]  # each product's piece: land it released first
    pieces: NDArray[np.object_]  # each product's piece (None where it released nothing)
    remaining: NDArray[np.object_]  # each area's remaining land (None where none)
    remaining_area: NDArray[np.float64]
    #: Areas overlaid again on coordinates snapped to :data:`SNAP_GRID_DEGREES`, because
    #: their first overlay did not close (reported as a data-quality issue).
    snapped: NDArray[np.bool_]


def overlay(
    area_geoms: NDArray[np.object_],
    product_geoms: NDArray[np.object_],
    area_index: NDArray[np.intp],
    position: NDArray[np.intp],
    *,
    workers: int | None = None,
) -> Overlay:
    """The land released by each product and left in each area, first release winning.

    ``area_index`` is each product's hazardous area (−1: not among ``area_geoms``),
    ``position`` each product's place in the precedence order, ``workers`` how many
    processes share the work (default: ``os.cpu_count()``). Geometries must be valid.

    >>> import numpy as np, shapely
    >>> areas = np.array([shapely.box(30, 0, 30.001, 0.001)])
    >>> products = np.array([shapely.box(30, 0, 30.0005, 0.001), shapely.box(30, 0, 30.001, 0.0005)])
    >>> done = overlay(areas, products, np.array([0, 0]), np.array([0, 1]), workers=1)
    >>> [round(float(x)) for x in (*done.credited, *done.remaining_area)]
    [6155, 3077, 3077]
    """
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers < 1:
        raise InvalidInput("workers must be 1 or more", Location(field="workers"))
    chunks = _chunks(area_index, len(area_geoms))
    if workers == 1 or len(chunks) < 2:
        done = _overlay(area_geoms, product_geoms, area_index, position)
    else:
        done = _overlay_in_pool(area_geoms, product_geoms, area_index, position, chunks, workers)
    _redo_unclosed_on_grid(done, area_geoms, product_geoms, area_index, position)
    return done


#: Coordinates are snapped to this grid (degrees, about 0.1 µm) for an area whose overlay
#: did not close: far below any survey's precision, and it makes GEOS's noding exact.
SNAP_GRID_DEGREES = 1e-12


def unclosed_areas(done: Overlay, area_index: NDArray[np.intp]) -> NDArray[np.intp]:
    """Areas whose released and remaining land do not add up to the original area.

    The area measure is exactly additive, so this only happens when GEOS's floating-point
    noding silently drops or moves an edge: seen with products whose vertices lie 1e-300°
    off an area's edge, where a face outside the area came back classified inside.
    """
    matched = area_index >= 0
    released = np.bincount(
        area_index[matched], weights=done.credited[matched], minlength=len(done.original)
    )
    residue = np.abs(done.original - released - done.remaining_area)
    return np.flatnonzero(residue > 1e-9 * done.original + 1e-6)


def _redo_unclosed_on_grid(
    done: Overlay,
    area_geoms: NDArray[np.object_],
    product_geoms: NDArray[np.object_],
    area_index: NDArray[np.intp],
    position: NDArray[np.intp],
) -> None:
    """Overlay again, on coordinates snapped to :data:`SNAP_GRID_DEGREES`, each area that
    did not close (:func:`unclosed_areas`), with its products; the original area is then
    measured on the snapped polygon too, so the balance closes. A few areas at most."""
    broken = unclosed_areas(done, area_index)
    if not len(broken):
        return
    local = np.full(len(area_geoms), -1, dtype=np.intp)
    local[broken] = np.arange(len(broken))
    products = np.flatnonzero(np.isin(area_index, broken))
    redo = _overlay(
        shapely.set_precision(area_geoms[broken], SNAP_GRID_DEGREES),
        shapely.set_precision(product_geoms[products], SNAP_GRID_DEGREES),
        local[area_index[products]],
        position[products],
    )
    for name in ("original", "remaining_area", "remaining"):
        getattr(done, name)[broken] = getattr(redo, name)
    done.snapped[broken] = True
    for name in ("measured", "inside", "credited", "pieces"):
        getattr(done, name)[products] = getattr(redo, name)


# --------------------------------------------------------------------------- chunks and pool


@dataclass(frozen=True)
class _Chunk:
    """Areas ``start:stop`` and the products that name one of them."""

    start: int
    stop: int
    products: NDArray[np.intp]


def _chunks(area_index: NDArray[np.intp], n_areas: int) -> list[_Chunk]:
    """Contiguous runs of areas with about :data:`PRODUCTS_PER_CHUNK` products each; every
    area falls in exactly one chunk, with all of its products."""
    matched = np.flatnonzero(area_index >= 0)
    order = matched[np.argsort(area_index[matched], kind="stable")]
    hosts = area_index[order]
    n_chunks = -(-len(order) // PRODUCTS_PER_CHUNK)
    cuts = hosts[(np.arange(1, n_chunks) * len(order)) // max(n_chunks, 1)]
    bounds = np.unique(np.r_[0, cuts, n_areas]).astype(np.intp)
    first = np.searchsorted(hosts, bounds)
    return [
        _Chunk(int(bounds[i]), int(bounds[i + 1]), order[first[i] : first[i + 1]])
        for i in range(len(bounds) - 1)
    ]


def _overlay_in_pool(
    area_geoms: NDArray[np.object_],
    product_geoms: NDArray[np.object_],
    area_index: NDArray[np.intp],
    position: NDArray[np.intp],
    chunks: list[_Chunk],
    workers: int,
) -> Overlay:
    """Chunks through a process pool. Each worker gets the whole input once, when it starts
    (a forked worker inherits it without copying; a spawned one gets WKB, which shapely
    reads and writes in bulk five times faster than pickling geometries one by one), then
    only chunk bounds; results come back with their geometries as WKB."""
    n_areas, n_products = len(area_geoms), len(product_geoms)
    out = Overlay(
        original=np.zeros(n_areas),
        measured=np.zeros(n_products),
        inside=np.zeros(n_products),
        credited=np.zeros(n_products),
        pieces=np.full(n_products, None, dtype=object),
        remaining=np.full(n_areas, None, dtype=object),
        remaining_area=np.zeros(n_areas),
        snapped=np.zeros(n_areas, dtype=bool),
    )
    out.measured[area_index < 0] = ellipsoidal_area(product_geoms[area_index < 0])
    context = _start_method()
    encode = context.get_start_method() != "fork"
    areas, products = (
        (shapely.to_wkb(area_geoms), shapely.to_wkb(product_geoms))
        if encode
        else (area_geoms, product_geoms)
    )
    with ProcessPoolExecutor(
        min(workers, len(chunks)),
        mp_context=context,
        initializer=_take_input,
        initargs=(encode, areas, products, area_index, position),
    ) as pool:
        futures = [pool.submit(_overlay_chunk, chunk) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            _scatter(out, chunk, future.result())
    return out


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork on Linux when this process runs no other thread, else spawn (module docstring)."""
    fork = sys.platform == "linux" and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


#: In a worker process: the whole input (area and product geometries, area_index, position).
_INPUT: tuple[NDArray[np.object_], NDArray[np.object_], NDArray[np.intp], NDArray[np.intp]]


def _take_input(
    encoded: bool,
    area_geoms: NDArray[Any],
    product_geoms: NDArray[Any],
    area_index: NDArray[np.intp],
    position: NDArray[np.intp],
) -> None:
    """The pool's initializer: keep the input for :func:`_overlay_chunk`."""
    global _INPUT
    if encoded:
        area_geoms, product_geoms = shapely.from_wkb(area_geoms), shapely.from_wkb(product_geoms)
    _INPUT = (area_geoms, product_geoms, area_index, position)


def _overlay_chunk(chunk: _Chunk) -> dict[str, NDArray[Any]]:
    """One chunk, in a worker process: figures, and geometries as WKB."""
    area_geoms, product_geoms, area_index, position = _INPUT
    done = _overlay(
        area_geoms[chunk.start : chunk.stop],
        product_geoms[chunk.products],
        area_index[chunk.products] - chunk.start,
        position[chunk.products],
    )
    return {
        name: shapely.to_wkb(value) if value.dtype == object else value
        for name, value in vars(done).items()
    }


def _scatter(out: Overlay, chunk: _Chunk, result: dict[str, NDArray[Any]]) -> None:
    """Copy one chunk's result into the whole-input arrays."""
    areas = slice(chunk.start, chunk.stop)
    for name in ("original", "remaining_area"):
        getattr(out, name)[areas] = result[name]
    out.remaining[areas] = shapely.from_wkb(result["remaining"])
    for name in ("measured", "inside", "credited"):
        getattr(out, name)[chunk.products] = result[name]
    out.pieces[chunk.products] = shapely.from_wkb(result["pieces"])


# --------------------------------------------------------------------------- one process


def _overlay(
    area_geoms: NDArray[np.object_],
    product_geoms: NDArray[np.object_],
    area_index: NDArray[np.intp],
    position: NDArray[np.intp],
) -> Overlay:
    n_products, n_areas = len(product_geoms), len(area_geoms)
    original = ellipsoidal_area(area_geoms)
    measured = ellipsoidal_area(product_geoms)
    matched = np.flatnonzero(area_index >= 0)
    host = area_index[matched]
    clipped, whole = _clipped(area_geoms, product_geoms[matched], host)
    inside = np.zeros(n_products)
    inside[matched] = measured[matched]
    inside[matched[~whole]] = ellipsoidal_area(clipped[~whole])

    # First release wins: a product's piece is its clipped polygon less the products of its
    # area earlier in the order that touch it; most touch none, and keep their polygon.
    pieces = np.full(n_products, None, dtype=object)
    pieces[matched] = clipped
    credited = inside.copy()
    later, earlier = _earlier_overlaps(product_geoms, matched, host, position)
    ids, earlier_union = _reduce_groups(product_geoms[earlier], later, shapely.union_all)
    pieces[ids] = _robust(shapely.difference, pieces[ids], earlier_union)
    credited[ids] = ellipsoidal_area(pieces[ids])
    pieces[credited <= 0] = None

    # What no product released: each area less the union of its products.
    remaining = np.array(area_geoms, dtype=object)
    remaining_area = original.copy()
    cut, released = _reduce_groups(product_geoms[matched], host, shapely.union_all)
    remaining[cut] = _robust(shapely.difference, area_geoms[cut], released)
    remaining_area[cut] = ellipsoidal_area(remaining[cut])
    remaining[remaining_area <= 0] = None
    return Overlay(
        original=original,
        measured=measured,
        inside=inside,
        credited=credited,
        pieces=pieces,
        remaining=remaining,
        remaining_area=remaining_area,
        snapped=np.zeros(n_areas, dtype=bool),
    )


def _clipped(
    area_geoms: NDArray[np.object_], product_geoms: NDArray[np.object_], host: NDArray[np.intp]
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Each product clipped to its area, and whether it lay wholly inside (then it is its own
    clip: a prepared containment test is much cheaper than an overlay, and most products
    lie inside their area)."""
    shapely.prepare(area_geoms)
    try:
        whole = shapely.contains_properly(area_geoms[host], product_geoms)
    finally:
        shapely.destroy_prepared(area_geoms)
    clipped = np.array(product_geoms, dtype=object)
    clipped[~whole] = _robust(shapely.intersection, product_geoms[~whole], area_geoms[host[~whole]])
    return clipped, whole


def _earlier_overlaps(
    product_geoms: NDArray[np.object_],
    matched: NDArray[np.intp],
    host: NDArray[np.intp],
    position: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Pairs (later, earlier) of products of one area, earlier in the precedence order, whose
    polygons intersect: only these need an overlay to find what the later one released."""
    geoms = product_geoms[matched]
    b, a = shapely.STRtree(geoms).query(geoms)  # bounding boxes overlap
    pair = (host[a] == host[b]) & (position[matched[a]] < position[matched[b]])
    a, b = a[pair], b[pair]
    touch = shapely.intersects(geoms[b], geoms[a])
    later, earlier = matched[b[touch]], matched[a[touch]]
    # in precedence order, so that a union never depends on the tree's (the chunk's) order
    order = np.lexsort((position[earlier], later))
    return later[order], earlier[order]


def _robust(
    operation: Callable[..., Any], a: NDArray[np.object_], b: NDArray[np.object_]
) -> NDArray[np.object_]:
    """A vectorised GEOS overlay; pairs on which floating-point overlay fails (rare, on real,
    messy polygons) are redone one by one, and failing again on a 1e-12° grid (about 0.1 µm)."""
    try:
        return np.asarray(operation(a, b), dtype=object)
    except shapely.errors.GEOSException:
        out = np.empty(len(a), dtype=object)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            try:
                out[i] = operation(x, y)
            except shapely.errors.GEOSException:
                out[i] = operation(x, y, grid_size=SNAP_GRID_DEGREES)
        return out


# --------------------------------------------------------------------------- grouped reduce


def _group_slices(group: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """For ``group`` sorted ascending: the start of each run and each element's rank in it."""
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1].astype(np.intp)
    sizes = np.diff(np.r_[starts, len(group)])
    rank = np.arange(len(group)) - np.repeat(starts, sizes)
    return starts, rank


def _reduce_groups(
    geoms: NDArray[np.object_],
    group: NDArray[np.intp],
    reducer: Callable[..., Any],
) -> tuple[NDArray[np.intp], NDArray[np.object_]]:
    """``reducer`` (a shapely ``*_all`` function) over each group of ``geoms``, vectorised.

    Groups are padded into 2-D arrays and reduced along axis 1; groups are bucketed by size
    (powers of two) so that one large group does not pad every other one.
    Returns the group ids (ascending) and one reduced geometry each.
    """
    if len(group) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=object)
    order = np.argsort(group, kind="stable")
    group, geoms = group[order], geoms[order]
    starts, rank = _group_slices(group)
    ids = group[starts]
    sizes = np.diff(np.r_[starts, len(group)])
    row = np.repeat(np.arange(len(ids)), sizes)
    out = np.empty(len(ids), dtype=object)
    single = sizes == 1
    out[single] = geoms[starts[single]]
    bucket = np.ceil(np.log2(np.maximum(sizes, 1))).astype(int)
    for b in np.unique(bucket[~single]):
        rows = np.flatnonzero((bucket == b) & ~single)
        local = np.full(len(ids), -1)
        local[rows] = np.arange(len(rows))
        member = local[row] >= 0
        matrix = np.full((len(rows), 2 ** int(b)), None, dtype=object)
        matrix[local[row[member]], rank[member]] = geoms[member]
        out[rows] = _reduce_rows(matrix, reducer)
    return ids, out


def _reduce_rows(matrix: NDArray[np.object_], reducer: Callable[..., Any]) -> NDArray[np.object_]:
    """``reducer`` along axis 1; rows on which GEOS fails are retried one by one, falling
    back to a union snapped to a 1e-12° grid (about 0.1 µm) for the rare robustness failure
    of floating-point overlay on real, messy polygons."""
    try:
        if reducer is shapely.union_all and matrix.shape[1] == 2:  # pairs: a bucket is full
            # GEOS's binary union is about a quarter cheaper than its n-ary one on two
            return np.asarray(shapely.union(matrix[:, 0], matrix[:, 1]), dtype=object)
        return np.asarray(reducer(matrix, axis=1), dtype=object)
    except shapely.errors.GEOSException:
        out = np.empty(len(matrix), dtype=object)
        for i, row in enumerate(matrix):
            try:
                out[i] = reducer(row)
            except shapely.errors.GEOSException:
                out[i] = shapely.union_all(row, grid_size=1e-12)
        return out
