"""The one area measure of minewatch: m² on the WGS84 ellipsoid of polygons drawn in
longitude/latitude, exactly additive.

Every area the system reports — a hazardous area's size, the land release balance, the
published HXL tables, the dashboards, the areas in validation findings — comes from
:func:`ellipsoidal_area`, so one piece of land has one figure wherever it appears.

Why not :class:`pyproj.Geod` for every piece? Geod takes each edge as a geodesic. Overlay
(GEOS, in the lon/lat plane, as every GIS draws and snaps WGS84 polygons) puts new vertices
*on the straight lon/lat segment*, which is not the geodesic: at 45° N a 1 km east-west edge
split in the middle changes the geodesic area by about 10 m², so the pieces of a hazardous
area would not add up to it. Accounting needs ``original = cancelled + reduced + cleared +
remaining`` to floating-point precision.

So the area here is the ellipsoidal area of exactly the region a GIS shows: the set of
points whose (λ, φ) lie inside the polygon with straight edges in the lon/lat plane. It is an
integral over that planar region of the ellipsoid's area element, turned by Green's theorem
into a sum over edges:

    A = ∬ M(φ) N(φ) cos φ dλ dφ = − ∮ F(φ) dλ,   F(φ) = a² q(φ) / 2,

with q Snyder's authalic function (*Map Projections — A Working Manual*, USGS PP 1395, 1987,
eq. 3-12), a the semi-major axis; ``F(φ)`` is the area between the equator and φ per radian of
longitude. Along a straight edge φ is linear in λ, and the edge integral is evaluated by
3-point Gauss–Legendre quadrature (error below 1e-9 m² for edges spanning up to 0.1° of
latitude, about 11 km; longer edges are cut into sub-intervals of at most that span, which
leaves the region unchanged). Because
the sum is over edges, a shared edge cancels between neighbours and a vertex inserted on an
edge changes nothing: the areas of the pieces of any partition add up to the area of the
whole, to rounding. For edges along meridians or at the equator this equals the geodesic
area; elsewhere it differs from :class:`pyproj.Geod`'s (and PostGIS ``geography``'s) by the
thin lens between a lon/lat line and the geodesic. For squares the lenses of opposite edges
nearly cancel (under 1e-8 relative up to 1 km, 4e-7 at 10 km); a single long east-west edge
at mid-latitudes does not cancel (about 3e-5 relative for a 500 m right triangle at 45°,
tested).
A polygon whose edges are *meant* as geodesics should be densified before it is stored.

>>> import shapely
>>> square = shapely.box(30.0, 0.0, 30.001, 0.001)
>>> round(float(ellipsoidal_area([square])[0]), 2)   # pyproj.Geod: 12309.07
12309.07
>>> halves = [shapely.box(30.0, 0.0, 30.0004, 0.001), shapely.box(30.0004, 0.0, 30.001, 0.001)]
>>> bool(abs(ellipsoidal_area(halves).sum() - ellipsoidal_area([square])[0]) < 1e-8)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

#: WGS84 semi-major axis (m) and flattening (EPSG:7030).
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
_E2 = WGS84_F * (2 - WGS84_F)
_E = float(np.sqrt(_E2))

# 3-point Gauss–Legendre nodes on [0, 1] and their weights (sum 1).
_GL_X, _GL_W = np.polynomial.legendre.leggauss(3)
_NODES = (_GL_X + 1) / 2
_WEIGHTS = _GL_W / 2
#: The largest latitude span (radians; 0.1°) one quadrature covers; longer edges are cut.
MAX_EDGE_LATITUDE = float(np.radians(0.1))


def _zone_area(lat_rad: NDArray[np.float64]) -> NDArray[np.float64]:
    """F(φ): ellipsoid area (m²) between the equator and φ, per radian of longitude."""
    s = np.sin(lat_rad)
    es = _E * s
    q = (1 - _E2) * (s / (1 - es * es) - np.log((1 - es) / (1 + es)) / (2 * _E))
    return np.asarray(WGS84_A**2 * q / 2)


def _polygon_parts(geometries: ArrayLike) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """The polygons inside each geometry (multi-parts and collections opened up)."""
    geoms = np.asarray(geometries, dtype=object)
    types = shapely.get_type_id(geoms)
    if np.all(types == shapely.GeometryType.POLYGON):  # the common case: nothing to open up
        keep = ~shapely.is_empty(geoms)
        return geoms[keep], np.flatnonzero(keep)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    polygon = (shapely.get_type_id(parts) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(
        parts
    )
    return parts[polygon], owner[polygon]


def _edge_integrals(lat0: NDArray[np.float64], lat1: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mean of F(φ) along each edge, φ running linearly from ``lat0`` to ``lat1``.

    Edges spanning more than :data:`MAX_EDGE_LATITUDE` are cut into equal sub-intervals,
    each integrated with the same 3-point rule, so the error bound holds for any edge.
    """
    pieces = np.maximum(np.ceil(np.abs(lat1 - lat0) / MAX_EDGE_LATITUDE), 1).astype(np.intp)
    if np.all(pieces == 1):  # the common case: hazard polygons have short edges
        nodes = lat0[:, None] + (lat1 - lat0)[:, None] * _NODES[None, :]
        return np.asarray(_zone_area(nodes) @ _WEIGHTS)
    edge = np.repeat(np.arange(len(lat0)), pieces)
    step = np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    fraction = (step[:, None] + _NODES[None, :]) / pieces[edge, None]
    nodes = lat0[edge, None] + (lat1 - lat0)[edge, None] * fraction
    means = (_zone_area(nodes) @ _WEIGHTS) / pieces[edge]
    return np.bincount(edge, weights=means, minlength=len(lat0)).astype(np.float64)


def ellipsoidal_area(geometries: Any) -> NDArray[np.float64]:
    """Area in m² on the WGS84 ellipsoid of each lon/lat geometry: 0 for empty geometries,
    lines and points, NaN for a missing one (None).

    ``geometries``: one shapely geometry, or any sequence or array of them (a list, a numpy
    object array, a GeoSeries' ``.values``), None standing for a missing one. Vectorised:
    one numpy pass over all vertices of all geometries. Holes are subtracted;
    ring orientation does not matter (each ring's area is taken unsigned).

    >>> import shapely
    >>> ring = shapely.box(0, 0, 1, 1).exterior.coords[::-1]   # clockwise
    >>> round(float(ellipsoidal_area([shapely.Polygon(ring)])[0]) / 1e6, 3)
    12308.464
    >>> ellipsoidal_area([None, shapely.Point(0, 0)]).tolist()
    [nan, 0.0]
    """
    geoms = np.asarray(geometries, dtype=object)
    if geoms.ndim == 0:
        geoms = geoms.reshape(1)
    missing = shapely.is_missing(geoms)
    polygons, owner = _polygon_parts(geoms)
    if len(polygons) == 0:
        return np.where(missing, np.nan, 0.0)
    coords, counts, ring_at, holes = _ring_coordinates(polygons)
    ring_id = np.repeat(np.arange(len(counts)), counts)
    # An edge joins each vertex to the next one of the same ring (rings are closed).
    start = np.flatnonzero(ring_id[:-1] == ring_id[1:])
    lon = np.radians(coords[:, 0])
    lat = np.radians(coords[:, 1])
    # Work relative to each ring's first vertex, which keeps the sums well conditioned.
    first = np.r_[0, np.cumsum(counts)[:-1]]
    ring_ref = _zone_area(lat[first])
    dlon = lon[start + 1] - lon[start]
    zone = _edge_integrals(lat[start], lat[start + 1]) - ring_ref[ring_id[start]]
    ring_area = np.empty(len(counts))
    ring_area[ring_at] = np.abs(
        np.bincount(ring_id[start], weights=-dlon * zone, minlength=len(counts))
    )
    # Each polygon's exterior first, then its holes (get_rings' order): holes subtract.
    ring_of = np.repeat(np.arange(len(polygons)), holes + 1)
    exterior = np.r_[True, ring_of[1:] != ring_of[:-1]]
    ring_area = np.where(exterior, ring_area, -ring_area)
    area = np.bincount(owner[ring_of], weights=ring_area, minlength=len(geoms))
    return np.where(missing, np.nan, area).astype(np.float64)


def _ring_coordinates(
    polygons: NDArray[np.object_],
) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """The vertices of every ring: coordinates, vertices per ring, where each ring falls in
    ``get_rings`` order, and the number of holes of each polygon.

    Why not ``get_rings`` for all: it copies every ring into a new geometry, a fifth of the
    time of measuring many small polygons; a polygon without holes (most) is its exterior,
    so its coordinates are read straight from it.
    """
    holes = shapely.get_num_interior_rings(polygons).astype(np.intp)
    if not holes.any():  # the common case, kept as cheap as a single call can be
        counts = shapely.get_num_coordinates(polygons).astype(np.intp)
        return shapely.get_coordinates(polygons), counts, np.arange(len(polygons)), holes
    first_ring = np.r_[0, np.cumsum(holes + 1)[:-1]]
    simple = np.flatnonzero(holes == 0)
    holed = np.flatnonzero(holes > 0)
    rings, which = shapely.get_rings(polygons[holed], return_index=True)
    rank = np.arange(len(rings)) - np.r_[0, np.cumsum(holes[holed] + 1)[:-1]][which]
    coords = np.concatenate(
        [shapely.get_coordinates(polygons[simple]), shapely.get_coordinates(rings)]
    )
    counts = np.concatenate(
        [shapely.get_num_coordinates(polygons[simple]), shapely.get_num_coordinates(rings)]
    )
    ring_at = np.concatenate([first_ring[simple], first_ring[holed][which] + rank])
    return coords, counts.astype(np.intp), ring_at.astype(np.intp), holes
