"""Distance from each area to the nearest feature of a layer (:func:`nearest_distance`)."""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

from minewatch.analysis.priority.projection import Floats, Geoms


def nearest_distance(areas_m: Geoms, features_m: Geoms, cap_m: float) -> Floats:
    """Distance in metres from each area to the nearest feature, NaN beyond ``cap_m``.

    The values are GEOS's exact polygon-to-feature distances, as a nearest search would
    give, found in three vectorised steps (about three times faster than
    :meth:`shapely.STRtree.query_nearest` on point layers, where it spends its time
    weighing candidates area by area):

    1. areas that touch a feature are at 0 (an ``intersects`` query; on a road network
       most areas are settled here);
    2. for the others, the centre ``c`` of the area's bounding box, whose half-diagonal is
       ``R``, bounds the answer: the feature nearest to ``c`` at ``d_c`` is at most
       ``d_c + R`` from the area, and none is nearer than ``d_c - R`` (so an area with
       ``d_c - R`` beyond the cap is NaN at once);
    3. every feature within ``d_c + R`` of the area has its envelope within that distance
       of the area's box: an envelope query finds all of them, and the smallest exact
       distance among them is the answer.

    >>> import numpy as np
    >>> from shapely import Point, box
    >>> nearest_distance(np.array([box(0, 0, 10, 10)]), np.array([Point(13, 14)]), 100.0)
    array([5.])
    """
    out = np.full(len(areas_m), np.nan)
    if len(areas_m) == 0 or len(features_m) == 0:
        return out
    tree = shapely.STRtree(features_m)
    touching = np.zeros(len(areas_m), dtype=bool)
    touching[tree.query(areas_m, predicate="intersects")[0]] = True
    out[touching] = 0.0
    box = shapely.bounds(areas_m)
    rest = np.flatnonzero(~touching & np.isfinite(box).all(axis=1))  # empty areas stay NaN
    box = box[rest]
    centre_x, centre_y = (box[:, 0] + box[:, 2]) / 2.0, (box[:, 1] + box[:, 3]) / 2.0
    half_diagonal = np.hypot(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]) / 2.0
    from_centre = _nearest_from_points(tree, features_m, centre_x, centre_y)
    # Slack for rounding: a bound a micrometre too wide only adds candidates.
    reach = (from_centre + half_diagonal) * (1.0 + 1e-9) + 1e-6
    wanted = np.isfinite(reach) & (from_centre - half_diagonal <= cap_m * (1.0 + 1e-9) + 1e-6)
    rest, box, reach = rest[wanted], box[wanted], reach[wanted]
    search = shapely.box(box[:, 0] - reach, box[:, 1] - reach, box[:, 2] + reach, box[:, 3] + reach)
    area_of, feature = tree.query(search)
    distance = shapely.distance(areas_m[rest[area_of]], features_m[feature])
    nearest = np.full(len(rest), np.inf)
    np.fmin.at(nearest, area_of, distance)  # fmin: an empty feature's NaN is no answer
    out[rest] = np.where(nearest <= cap_m, nearest, np.nan)
    return out


def _nearest_from_points(tree: shapely.STRtree, features_m: Geoms, x: Floats, y: Floats) -> Floats:
    """Distance from each point (x, y) to the nearest feature (inf when there is none).

    A layer of points takes a k-d tree over their coordinates, several times faster than
    GEOS's search; other layers take the STRtree's nearest search from the points, which is
    cheaper from a point than from a polygon.
    """
    if len(x) == 0:
        return np.empty(0)
    if (shapely.get_type_id(features_m) == 0).all():
        coords = shapely.get_coordinates(features_m)
        if len(coords) == 0:
            return np.full(len(x), np.inf)
        return np.asarray(cKDTree(coords).query(np.column_stack([x, y]))[0], dtype=np.float64)
    out = np.full(len(x), np.inf)
    pairs, distance = tree.query_nearest(shapely.points(x, y), return_distance=True)
    np.fmin.at(out, pairs[0], distance)
    return out
