"""Geometry rules. Every geometry here is synthetic, made up for the test (around 30°E 50°N)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pyproj import Geod

import minewatch.domain.geometry as geometry
from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry import (
    FindingSeverity,
    GeometryRules,
    Rule,
    check_geometries,
    find_duplicates_and_overlaps,
    swap_xy,
    validate_geometries,
)

GEOD = Geod(ellps="WGS84")
BOWTIE = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
TWO_VERTEX_RING = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30 50))")
SQUARE = shapely.box(30.0, 50.0, 30.01, 50.01)
#: a synthetic national boundary (not any real country's)
BOUNDARY = shapely.box(22.0, 44.0, 40.0, 52.5)


def rules_of(findings: list[geometry.Finding]) -> list[tuple[object, str, str]]:
    return [(f.record, str(f.rule), f.severity.value) for f in findings]


# -- invalid polygons ---------------------------------------------------------------------------


def test_bowtie_is_repaired_with_a_note_naming_record_and_rule() -> None:
    check = check_geometries([BOWTIE], ["HA-000001"])
    [finding] = check.findings
    assert (finding.record, finding.rule, finding.severity) == (
        "HA-000001",
        Rule.SELF_INTERSECTION,
        FindingSeverity.REPAIRED,
    )
    assert finding.location == pytest.approx((30.005, 50.005))
    assert finding.repair is not None
    assert finding.repair.type_before == "Polygon"
    assert finding.repair.type_after == "MultiPolygon"
    assert finding.repair.area_after_m2 == pytest.approx(ellipsoidal_area([check.geometries[0]])[0])
    assert finding.repair.area_after_m2 > 300_000
    assert "area" in finding.message and "Polygon → MultiPolygon" in finding.message
    assert not check.rejected[0]
    assert check.geometries[0].is_valid


def test_repair_that_changes_type_keeps_polygonal_parts_and_says_so() -> None:
    spike = shapely.from_wkt(
        "POLYGON ((30 50, 30.01 50, 30.01 50.01, 30 50.01, 30 50, 29.99 49.99, 30 50))"
    )
    check = check_geometries([spike], ["HA-000002"])
    [finding] = check.findings
    assert finding.severity is FindingSeverity.REPAIRED
    assert finding.repair is not None
    assert finding.repair.made_type == "GeometryCollection"
    assert finding.repair.dropped == "LineString"
    assert "kept only its polygonal parts" in finding.message
    assert check.geometries[0].geom_type == "Polygon"


def test_ring_with_two_distinct_vertices_is_rejected() -> None:
    check = check_geometries([TWO_VERTEX_RING], ["HA-000003"])
    assert rules_of(check.findings) == [("HA-000003", "too_few_points", "error")]
    assert check.rejected.tolist() == [True]
    assert check.geometries[0] is None


def test_collapsed_hole_is_removed_and_the_repair_noted() -> None:
    holed = shapely.from_wkt(
        "POLYGON ((30 50, 30.01 50, 30.01 50.01, 30 50.01, 30 50), "
        "(30.002 50.002, 30.004 50.004, 30.002 50.002))"
    )
    check = check_geometries([holed])
    [finding] = check.findings
    assert (finding.rule, finding.severity) == (Rule.TOO_FEW_POINTS, FindingSeverity.REPAIRED)
    assert finding.repair is not None and finding.repair.dropped == "LineString"
    assert check.geometries[0].equals(SQUARE)


def test_invalid_polygon_is_rejected_when_repair_is_off() -> None:
    check = check_geometries([BOWTIE], rules=GeometryRules(repair_invalid=False))
    assert rules_of(check.findings) == [(1, "self_intersection", "error")]
    assert "repair is off" in check.findings[0].message


def test_hole_outside_shell_is_an_invalid_polygon() -> None:
    holed = shapely.from_wkt(
        "POLYGON ((30 50, 30.01 50, 30.01 50.01, 30 50.01, 30 50), "
        "(30.02 50.02, 30.03 50.02, 30.03 50.03, 30.02 50.02))"
    )
    [finding] = check_geometries([holed]).findings
    assert finding.rule is Rule.INVALID_POLYGON
    assert "Hole lies outside shell" in finding.message


def test_null_empty_and_wrong_type_are_errors() -> None:
    check = check_geometries(
        [None, shapely.Polygon(), shapely.Point(30, 50), SQUARE],
        ["A", "B", "C", "D"],
        expected="polygon",
    )
    assert rules_of(check.findings) == [
        ("A", "null_geometry", "error"),
        ("B", "empty_geometry", "error"),
        ("C", "wrong_geometry_type", "error"),
    ]
    assert check.rejected.tolist() == [True, True, True, False]
    assert check.geometries[3] is SQUARE


def test_collection_of_polygons_keeps_its_polygons_with_a_note() -> None:
    collection = shapely.GeometryCollection([SQUARE, shapely.LineString([(30, 50), (31, 51)])])
    points_only = shapely.GeometryCollection([shapely.Point(30, 50)])
    check = check_geometries([collection, points_only], expected="polygon")
    assert rules_of(check.findings) == [
        (1, "wrong_geometry_type", "repaired"),
        (2, "wrong_geometry_type", "error"),
    ]
    assert check.geometries[0].equals(SQUARE)
    assert "dropped LineString" in check.findings[0].message


def test_valid_geometries_pass_untouched() -> None:
    check = check_geometries([SQUARE, shapely.Point(30, 50)])
    assert check.findings == []
    assert not check.rejected.any()


# -- coordinates ----------------------------------------------------------------------------------


def test_impossible_latitude_that_fits_as_longitude_is_a_swap() -> None:
    check = check_geometries([shapely.Point(50.4, 130.5)], ["DF-000001"])
    [finding] = check.findings
    assert finding.rule is Rule.SWAPPED_COORDINATES
    assert finding.location == (130.5, 50.4)
    assert check.rejected.tolist() == [True]


def test_coordinates_out_of_range_or_not_numbers_are_invalid() -> None:
    check = check_geometries([shapely.Point(712_000.0, 5_540_000.0), shapely.Point(np.nan, 50)])
    assert [f.rule for f in check.findings] == [Rule.INVALID_COORDINATE] * 2
    assert "CRS" in check.findings[0].message


def test_swap_detected_through_the_national_boundary() -> None:
    swapped = shapely.Point(50.4, 30.5)  # a position at 30.5°E 50.4°N with the axes swapped
    check = check_geometries([swapped], ["DF-000002"], boundary=BOUNDARY)
    [finding] = check.findings
    assert finding.rule is Rule.SWAPPED_COORDINATES
    assert finding.location == pytest.approx((30.5, 50.4))


def test_swapped_area_detected_through_the_boundary() -> None:
    [area] = swap_xy([SQUARE])
    [finding] = check_geometries([area], boundary=BOUNDARY).findings
    assert finding.rule is Rule.SWAPPED_COORDINATES


# -- boundary -------------------------------------------------------------------------------------


def test_outside_boundary_uses_the_configured_severity() -> None:
    far = shapely.Point(10.0, 10.0)
    [error] = check_geometries([far], boundary=BOUNDARY).findings
    assert (error.rule, error.severity) == (Rule.OUTSIDE_BOUNDARY, FindingSeverity.ERROR)
    lenient = GeometryRules(outside_boundary_severity="warning")
    check = check_geometries([far], boundary=BOUNDARY, rules=lenient)
    assert check.findings[0].severity is FindingSeverity.WARNING
    assert not check.rejected[0]


def test_area_partly_outside_boundary_is_a_warning_with_the_area_outside() -> None:
    straddling = shapely.box(39.99, 50.0, 40.01, 50.01)  # half of it east of 40°E
    [finding] = check_geometries([straddling], boundary=BOUNDARY).findings
    assert (finding.rule, finding.severity) == (Rule.OUTSIDE_BOUNDARY, FindingSeverity.WARNING)
    half = ellipsoidal_area([straddling])[0] / 2
    assert finding.measure == pytest.approx(half, rel=1e-3)


def test_boundary_tolerance_accepts_positions_just_outside() -> None:
    just_outside = shapely.Point(40.0005, 50.0)  # about 36 m east of the boundary
    assert check_geometries([just_outside], boundary=BOUNDARY).findings
    tolerant = GeometryRules(boundary_tolerance_m=100)
    assert check_geometries([just_outside], boundary=BOUNDARY, rules=tolerant).findings == []


# -- vertex gaps ----------------------------------------------------------------------------------


def polygon_with_gap(metres: float) -> shapely.Polygon:
    """A thin synthetic polygon whose eastern edge runs ``metres`` north from 30°E 50°N."""
    lon, lat, _ = GEOD.fwd(30.0, 50.0, 0.0, metres)
    return shapely.Polygon([(30.0, 50.0), (30.001, 50.0), (30.001, lat), (lon, lat), (30, 50)])


def test_consecutive_vertices_6_km_apart_are_reported() -> None:
    [finding] = check_geometries([polygon_with_gap(6_000)], ["HA-000009"]).findings
    assert (finding.record, finding.rule, finding.severity) == (
        "HA-000009",
        Rule.VERTEX_GAP,
        FindingSeverity.WARNING,
    )
    assert finding.measure == pytest.approx(6_000, rel=1e-3)
    assert "2 pair(s)" in finding.message  # the edges up the east and down the west side


def test_vertex_gap_threshold_is_configurable() -> None:
    assert check_geometries([polygon_with_gap(4_000)]).findings == []
    strict = GeometryRules(max_vertex_gap_m=1_000, vertex_gap_severity="error")
    check = check_geometries([polygon_with_gap(4_000)], rules=strict)
    assert check.rejected.tolist() == [True]


def test_rules_are_validated() -> None:
    with pytest.raises(ValidationError):
        GeometryRules(max_vertex_gap_m=-1)
    with pytest.raises(ValidationError):
        GeometryRules(unknown=1)  # type: ignore[call-arg]


# -- duplicates and overlaps ----------------------------------------------------------------------


def test_identical_near_identical_and_overlapping_areas() -> None:
    nudged = shapely.affinity.translate(SQUARE, 1e-7, 0)
    half_over = shapely.box(30.005, 50.0, 30.015, 50.01)
    neighbour = shapely.box(30.01, 50.0, 30.02, 50.01)  # shares SQUARE's eastern edge
    findings = find_duplicates_and_overlaps(
        [SQUARE, SQUARE, nudged, half_over, neighbour], ["A", "B", "C", "D", "E"]
    )
    by_pair = {(f.record, f.related): f for f in findings}
    assert by_pair["A", "B"].rule is Rule.DUPLICATE
    assert "identical" in by_pair["A", "B"].message
    assert by_pair["A", "C"].rule is Rule.DUPLICATE
    assert "near-duplicate" in by_pair["A", "C"].message
    overlap = by_pair["A", "D"]
    assert overlap.rule is Rule.OVERLAP
    assert overlap.measure == pytest.approx(ellipsoidal_area([SQUARE])[0] / 2, rel=1e-3)
    assert ("A", "E") not in by_pair  # touching is not overlapping
    assert all(f.record != f.related for f in findings)
    assert len(by_pair) == len(findings)  # each pair once


def test_duplicate_points_by_geodesic_distance() -> None:
    lon, lat, _ = GEOD.fwd(30.0, 50.0, 90.0, 0.5)
    far_lon, far_lat, _ = GEOD.fwd(30.0, 50.0, 90.0, 10.0)
    points = [shapely.Point(30, 50), shapely.Point(30, 50), shapely.Point(lon, lat)]
    points.append(shapely.Point(far_lon, far_lat))
    findings = find_duplicates_and_overlaps(points, ["P1", "P2", "P3", "P4"])
    pairs = {(f.record, f.related) for f in findings}
    assert pairs == {("P1", "P2"), ("P1", "P3"), ("P2", "P3")}
    assert all(f.rule is Rule.DUPLICATE for f in findings)


@pytest.mark.parametrize("azimuth", [0.0, 45.0, 90.0])
@pytest.mark.parametrize("lat", [0.0, 60.0, -80.0])
def test_point_duplicates_found_up_to_the_threshold_in_every_direction(
    lat: float, azimuth: float
) -> None:
    lon2, lat2, _ = GEOD.fwd(30.0, lat, azimuth, 0.99)
    found = find_duplicates_and_overlaps([shapely.Point(30, lat), shapely.Point(lon2, lat2)])
    assert [f.measure for f in found] == [pytest.approx(0.99)]


def test_new_areas_compared_against_stored_ones() -> None:
    stored = [SQUARE, shapely.box(31, 50, 31.01, 50.01)]
    new = [shapely.box(30.005, 50.0, 30.015, 50.01), shapely.box(32, 50, 32.01, 50.01)]
    findings = find_duplicates_and_overlaps(
        new, ["new-1", "new-2"], against=stored, against_refs=["HA-1", "HA-2"]
    )
    assert [(f.record, f.related, f.rule) for f in findings] == [("new-1", "HA-1", Rule.OVERLAP)]


def test_validate_geometries_runs_both_kinds_of_check() -> None:
    findings = validate_geometries([BOWTIE, BOWTIE, TWO_VERTEX_RING], ["A", "B", "C"])
    assert rules_of(findings) == [
        ("A", "self_intersection", "repaired"),
        ("B", "self_intersection", "repaired"),
        ("C", "too_few_points", "error"),
        ("A", "duplicate", "warning"),
    ]
    assert str(findings[2]).startswith("C: [too_few_points] error:")


coordinates = st.tuples(st.floats(30, 30.05), st.floats(50, 50.05))


@settings(max_examples=60, deadline=None)
@given(st.lists(coordinates, min_size=3, max_size=8))
def test_every_accepted_polygon_is_valid_and_polygonal(points: list[tuple[float, float]]) -> None:
    """Whatever ring comes in, what check_geometries lets through is a valid (multi)polygon,
    and every changed geometry has a repair finding."""
    polygon = shapely.Polygon(points)
    check = check_geometries([polygon], expected="polygon")
    result = check.geometries[0]
    if check.rejected[0]:
        assert result is None
        assert any(f.severity is FindingSeverity.ERROR for f in check.findings)
        return
    assert result.is_valid and result.geom_type in ("Polygon", "MultiPolygon")
    if not result.equals(polygon):
        assert FindingSeverity.REPAIRED in [f.severity for f in check.findings]
