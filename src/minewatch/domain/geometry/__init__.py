"""Geometry rules for mine action records: what is wrong with a geometry, and how it was fixed.

IMSMA never checked geometries; GICHD shipped separate SQL scripts to find broken polygons,
duplicates and overlaps after the fact. Here every check runs on arrays of shapely 2
geometries (WGS84 longitude/latitude) and returns :class:`Finding` objects, each naming the
record (its code or its feature number in a file) and the :class:`Rule` it breaks. A repair
(``shapely.make_valid``) is never silent: it comes back as a finding of severity
``repaired`` carrying a :class:`Repair` note with the areas before and after.

The checks, cheapest first:

* per geometry (:func:`check_geometries`): null or empty, wrong type, non-finite or
  impossible coordinates, latitude and longitude swapped, invalid polygons (self-
  intersection, rings with fewer than three distinct vertices, other GEOS reasons),
  consecutive vertices further apart than ``max_vertex_gap_m``, outside the national
  boundary;
* between geometries (:func:`find_duplicates_and_overlaps`): identical or near-identical
  geometries and overlapping areas, found through an STRtree.

:func:`validate_geometries` runs both. Areas are in m² on the WGS84 ellipsoid
(:func:`minewatch.domain.area.ellipsoidal_area`, the one area measure of the system).

>>> import shapely
>>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
>>> check = check_geometries([bowtie], ["HA-000001"])
>>> [(f.record, f.rule.value, f.severity.value) for f in check.findings]
[('HA-000001', 'self_intersection', 'repaired')]
>>> check.geometries[0].geom_type
'MultiPolygon'
"""

from minewatch.domain.geometry.arrays import (
    MIN_METRES_PER_DEGREE,
    WGS84,
    GeometryArray,
    as_geometry_array,
    geodesic_distance,
    swap_xy,
)
from minewatch.domain.geometry.check import Expected, GeometryCheck, check_geometries
from minewatch.domain.geometry.duplicates import find_duplicates_and_overlaps
from minewatch.domain.geometry.findings import Finding, FindingSeverity, RecordRef, Repair, Rule
from minewatch.domain.geometry.rules import DEFAULT_RULES, GeometryRules
from minewatch.domain.geometry.validate import validate_geometries

__all__ = [
    "DEFAULT_RULES",
    "MIN_METRES_PER_DEGREE",
    "WGS84",
    "Expected",
    "Finding",
    "FindingSeverity",
    "GeometryArray",
    "GeometryCheck",
    "GeometryRules",
    "RecordRef",
    "Repair",
    "Rule",
    "as_geometry_array",
    "check_geometries",
    "find_duplicates_and_overlaps",
    "geodesic_distance",
    "swap_xy",
    "validate_geometries",
]
