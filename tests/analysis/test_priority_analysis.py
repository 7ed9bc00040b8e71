"""Prioritisation indicators and scoring, checked against values computed by hand.

All data here is SYNTHETIC: tiny rasters and a few points placed at known distances.
"""

from __future__ import annotations

import itertools
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import Point, box

from minewatch.analysis.priority import (
    PartitionContext,
    RasterWindow,
    accidents_within,
    agricultural_share,
    blockage_summary,
    compute_indicators,
    explain,
    lis_score,
    metric_crs_for,
    nearest_distance,
    normalise,
    population_within,
    rank_order,
    score,
    sensitivity,
)
from minewatch.errors import InvalidInput, NotFound
from minewatch.priority_config import PriorityConfig, load_priority_config

METRIC = pyproj.CRS("EPSG:3857")
GEOD = pyproj.Geod(ellps="WGS84")


def _config(**scenario_weights: float) -> PriorityConfig:
    base = load_priority_config().model_dump()
    base["scenarios"] = {"test": {"weights": scenario_weights}}
    base["default_scenario"] = "test"
    return PriorityConfig.model_validate(base)


# -- population ------------------------------------------------------------------------------


def _grid_window(values: np.ndarray) -> RasterWindow:
    """10 m cells, top-left corner at (0, 40): cell (row r, col c) has its centre at
    (10c + 5, 35 - 10r)."""
    return RasterWindow(values.astype(float), Affine(10, 0, 0, 0, -10, 40), METRIC)


def test_population_counts_cells_whose_centre_is_inside_the_buffer() -> None:
    values = np.arange(1, 17).reshape(4, 4)
    window = _grid_window(values)
    # A point at (20, 20) is 7.07 m from the four centres (15|25, 15|25).
    area = np.array([Point(20, 20)])
    assert population_within(area, 8.0, window, METRIC).tolist() == [6 + 7 + 10 + 11]
    # At 7 m the buffer covers most of those four cells but none of their centres: nothing.
    assert population_within(area, 7.0, window, METRIC).tolist() == [0.0]


def test_population_of_a_polygon_buffer_and_of_an_area_outside_the_raster() -> None:
    window = _grid_window(np.ones((4, 4)))
    strip = np.array([box(0, 21, 40, 29), box(500, 500, 510, 510)])
    # The strip touches the centre row y=25 only; a 1 m buffer keeps rows 15 and 35 out.
    assert population_within(strip, 1.0, window, METRIC).tolist() == [4.0, 0.0]


def test_south_up_raster_gives_the_same_sum_as_north_up() -> None:
    rng = np.random.default_rng(7)
    values = rng.random((30, 40))
    north = RasterWindow(values, Affine(10, 0, 0, 0, -10, 300), METRIC)
    south = RasterWindow(values[::-1], Affine(10, 0, 0, 0, 10, 0), METRIC)
    areas = shapely.buffer(shapely.points(rng.uniform(0, 400, (25, 2))), 15.0)
    np.testing.assert_allclose(
        population_within(areas, 30.0, north, METRIC),
        population_within(areas, 30.0, south, METRIC),
    )


def test_population_in_wgs84_raster_near_kyiv() -> None:
    # 0.001° cells; the area is a 2 m square on the centre of cell (row 3, col 4), so a 10 m
    # radius reaches no other centre (cells are ~70 m by ~111 m here).
    values = np.zeros((10, 10))
    values[3, 4] = 42.0
    values[3, 5] = 1000.0
    transform = Affine(0.001, 0, 30.5, 0, -0.001, 50.41)
    window = RasterWindow(values, transform, pyproj.CRS.from_epsg(4326))
    lon, lat = 30.5 + 4.5 * 0.001, 50.41 - 3.5 * 0.001
    areas = gpd.GeoDataFrame(geometry=[Point(lon, lat).buffer(0.00001)], crs=4326)
    crs = metric_crs_for(tuple(areas.total_bounds))
    from minewatch.analysis.priority.projection import to_metric

    assert population_within(to_metric(areas, crs), 10.0, window, crs).tolist() == [42.0]
    # 80 m east reaches the next centre (~71 m away) as well.
    assert population_within(to_metric(areas, crs), 80.0, window, crs).tolist() == [1042.0]


def _areas_like_hazards(rng: np.random.Generator, n: int, extent: float) -> np.ndarray:
    """Real-shaped areas: octagons of 50-400 m (as the synthetic country draws them), a few
    with a hole and a few in two parts."""
    centres = rng.uniform(0, extent, (n, 2))
    areas = shapely.buffer(shapely.points(centres), rng.uniform(50, 400, n), quad_segs=2)
    holed = shapely.difference(
        areas[: n // 5], shapely.buffer(shapely.points(centres[: n // 5]), 30)
    )
    twins = areas[n // 5 : n // 3]
    pairs = shapely.union(twins, _shifted(twins, 2 * extent / n, extent / n))
    return np.concatenate([holed, pairs, areas[n // 3 :]])


def _shifted(geoms: np.ndarray, dx: float, dy: float) -> np.ndarray:
    return shapely.transform(geoms, lambda coords: coords + np.array([dx, dy]))


def _by_every_cell_centre(buffers: np.ndarray, window: RasterWindow) -> np.ndarray:
    """The definition, cell by cell: the sum of the cells whose centre is strictly inside."""
    rows, cols = np.indices(window.values.shape)
    t = window.transform  # north-up
    x, y = t.c + t.a * (cols.ravel() + 0.5), t.f + t.e * (rows.ravel() + 0.5)
    return np.array([window.values.ravel()[shapely.contains_xy(b, x, y)].sum() for b in buffers])


def test_scanline_sums_equal_testing_every_cell_centre() -> None:
    rng = np.random.default_rng(11)
    areas = _areas_like_hazards(rng, 60, 4000.0)
    window = RasterWindow(rng.exponential(5.0, (50, 45)), Affine(90, 0, -100, 0, -90, 4300), METRIC)
    got = population_within(areas, 250.0, window, METRIC)
    expected = _by_every_cell_centre(shapely.buffer(areas, 250.0, quad_segs=8), window)
    assert (expected > 0).all()
    np.testing.assert_allclose(got, expected, rtol=1e-12)


# -- distances, land, accidents, blockages --------------------------------------------------


def test_nearest_distance_is_geodesic_within_a_metre_and_nan_beyond_the_cap() -> None:
    area = box(30.500, 50.400, 30.501, 50.401)
    school = Point(30.520, 50.4005)
    frame = gpd.GeoDataFrame(geometry=[area], crs=4326)
    crs = metric_crs_for(tuple(frame.total_bounds))
    from minewatch.analysis.priority.projection import to_metric

    areas_m = to_metric(frame, crs)
    school_m = to_metric(gpd.GeoDataFrame(geometry=[school], crs=4326), crs)
    _, _, expected = GEOD.inv(30.501, 50.4005, 30.520, 50.4005)
    got = nearest_distance(areas_m, school_m, 10_000.0)
    assert got[0] == pytest.approx(expected, abs=1.0)
    assert np.isnan(nearest_distance(areas_m, school_m, 1_000.0)[0])


def test_nearest_distance_equals_shapely_distance_to_every_feature() -> None:
    rng = np.random.default_rng(5)
    areas = _areas_like_hazards(rng, 80, 20_000.0)
    starts = rng.uniform(0, 20_000, (300, 2))
    roads = shapely.linestrings(np.stack([starts, starts + rng.normal(0, 800, (300, 2))], 1))
    wells = shapely.points(rng.uniform(0, 20_000, (25, 2)))
    for features in (roads, wells):
        every = shapely.distance(areas[:, None], features[None, :]).min(axis=1)
        expected = np.where(every <= 1500.0, every, np.nan)
        got = nearest_distance(areas, features, 1500.0)
        np.testing.assert_array_equal(got, expected)  # GEOS's own distances, bit for bit
    touching = nearest_distance(areas, roads, 1500.0) == 0.0
    assert 0 < touching.sum() < len(areas)  # both ways through the function were taken


_LAYER_KINDS = ("points", "multipoints", "lines", "polygons", "with empties")


def _layer(kind: str, xy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if kind == "lines":
        return shapely.linestrings(np.stack([xy, xy + rng.normal(0, 700, xy.shape)], 1))
    if kind == "polygons":
        return shapely.buffer(shapely.points(xy), rng.uniform(10, 400, len(xy)))
    if kind == "multipoints":
        return np.array(
            [shapely.multipoints([p, p + np.array([60.0, -90.0])]) for p in xy], dtype=object
        )
    layer = shapely.points(xy).astype(object)
    if kind == "with empties":
        layer[::3] = shapely.from_wkt("POINT EMPTY")
        layer[1::7] = None
    return layer


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(_LAYER_KINDS),
    n_features=st.integers(0, 40),
    cap=st.sampled_from([50.0, 700.0, 3_000.0, 1e9]),
)
def test_nearest_distance_is_the_smallest_exact_distance_for_any_layer(
    seed: int, kind: str, n_features: int, cap: float
) -> None:
    # The search narrows the candidates by bounds; whatever it skips, the answer must be
    # the minimum of GEOS's distances to every feature (empty or missing ones ignored).
    rng = np.random.default_rng(seed)
    areas = _areas_like_hazards(rng, 30, 8_000.0).astype(object)
    areas[0] = shapely.from_wkt("POLYGON EMPTY")
    features = _layer(kind, rng.uniform(-3_000, 11_000, (n_features, 2)), rng)
    got = nearest_distance(areas, features, cap)
    every = shapely.distance(areas[:, None], features[None, :])
    nearest = np.fmin.reduce(every, axis=1, initial=np.inf)
    expected = np.where(nearest <= cap, nearest, np.nan)
    np.testing.assert_array_equal(got, expected)
    assert np.isnan(got[0])


def test_projection_equals_shapely_transform_for_every_kind_of_layer() -> None:
    from minewatch.analysis.priority.projection import _project
    from minewatch.domain.spatial import transformer_for

    wgs84 = pyproj.CRS.from_epsg(4326)
    crs = metric_crs_for((30.0, 50.0, 31.0, 51.0))
    rng = np.random.default_rng(3)
    moved = _shifted(_areas_like_hazards(rng, 30, 1.0), 30.0, 50.0)
    layers = [
        moved,  # polygons, with holes
        shapely.points(rng.uniform(30, 31, (10, 2)) + np.array([0.0, 20.0])),
        np.array([Point(30.1, 50.1), moved[0], None, shapely.Point()], dtype=object),  # mixed
        np.array([Point(30.1, 50.1, 7.0), moved[1]], dtype=object),  # one 3D: z dropped
    ]
    transformer = transformer_for(wgs84, crs)
    for layer, in_place in itertools.product(layers, (False, True)):
        expected = shapely.transform(
            layer, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1]))
        )
        given = shapely.from_wkb(shapely.to_wkb(layer))  # a copy the in-place path may move
        got = _project(given, wgs84, crs, in_place=in_place)
        assert [g is None for g in got] == [g is None for g in expected]
        present = ~shapely.is_missing(expected)
        assert shapely.equals_exact(got[present], expected[present], tolerance=0.0).all()
        assert not shapely.has_z(got).any()
        assert (shapely.get_type_id(got) == shapely.get_type_id(expected)).all()
        # Only the in-place path moves the geometries it was given (and only when 2D).
        moved_given = not shapely.equals_exact(given[present], layer[present], 0.0).all()
        assert moved_given == (in_place and not shapely.has_z(layer).any())


def test_agricultural_share_does_not_depend_on_the_other_land_polygons_read() -> None:
    # Batches and partitions read different sets of land polygons around the same area; the
    # R-tree then visits an area's overlaps in another order, which must not change the sum.
    rng = np.random.default_rng(8)
    areas = _areas_like_hazards(rng, 40, 3000.0)
    corners = rng.uniform(0, 3000, (400, 2))
    land = shapely.box(*corners.T, *(corners + rng.uniform(20, 150, (400, 2))).T)
    far = shapely.box(*(corners + 5000).T, *(corners + 5100).T)
    more = np.concatenate([far[:137], land[rng.permutation(len(land))], far[137:]])
    share = agricultural_share(areas, land)
    assert ((share > 0) & (share < 1)).mean() > 0.8
    np.testing.assert_array_equal(share, agricultural_share(areas, more))


def test_agricultural_share_of_a_half_covered_area() -> None:
    area = box(30.500, 50.400, 30.502, 50.402)
    farm = box(30.501, 50.390, 30.600, 50.410)
    crs = metric_crs_for((30.5, 50.4, 30.502, 50.402))
    from minewatch.analysis.priority.projection import to_metric

    share = agricultural_share(
        to_metric(gpd.GeoDataFrame(geometry=[area], crs=4326), crs),
        to_metric(gpd.GeoDataFrame(geometry=[farm, farm], crs=4326), crs),
    )
    # The same farm twice would double-count: the share is capped at 1.
    assert share[0] == pytest.approx(1.0)
    single = agricultural_share(
        to_metric(gpd.GeoDataFrame(geometry=[area], crs=4326), crs),
        to_metric(gpd.GeoDataFrame(geometry=[farm], crs=4326), crs),
    )
    assert single[0] == pytest.approx(0.5, abs=1e-3)


def test_accidents_within_radius_and_period() -> None:
    area = np.array([box(0, 0, 100, 100)])
    accidents = np.array([Point(600, 50), Point(3000, 50), Point(50, 50), Point(-400, 0)])
    dates = pd.Series([date(2024, 6, 1), date(2024, 6, 1), date(2018, 1, 1), date(2026, 1, 1)])
    victims = np.array([3.0, 5.0, 7.0, 11.0])
    period = (date(2020, 1, 1), date(2025, 1, 1))
    # Only the first is both within 2 km and within the period; the third is too old and
    # the fourth after the as-of date.
    assert accidents_within(area, accidents, dates, victims, 2000.0, period) == ([1.0], [3.0])


def test_blockages_count_distinct_kinds() -> None:
    count, kinds = blockage_summary(
        pd.Series(
            [
                '[{"type": "water", "note": "well"}, {"type": "road"}, {"type": "water"}]',
                [],
                None,
                [{"type": "school", "note": None}],
            ]
        )
    )
    assert count.tolist() == [2.0, 0.0, 0.0, 1.0]
    assert kinds.tolist() == ["road;water", "", "", "school"]


def test_blockages_skip_missing_items_and_types_and_read_bare_names() -> None:
    column = pd.Series(
        [
            [None, {"note": "no type"}, {"type": None}, {"type": float("nan")}, "road"],
            '["water", null, {"type": "road"}]',
            float("nan"),
            "",
            [{"type": "school"}, pd.NA, {"type": "school"}],
        ],
        index=[10, 11, 12, 13, 14],  # positions, not labels, come back
    )
    count, kinds = blockage_summary(column)
    assert count.tolist() == [1.0, 2.0, 0.0, 0.0, 1.0]
    assert kinds.tolist() == ["road", "road;water", "", "", "school"]
    assert kinds.index.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("blockages", '[{"type": "road"}', "blockages holds text that is not JSON"),
        ("blockages", '{"type": "road"}', "blockages should be a list"),
        ("hazard_types", '"AP mines"', "hazard_types should be a list"),
        ("beneficiaries", "{girls: 2}", "beneficiaries holds text that is not JSON"),
    ],
)
def test_record_fields_that_are_not_json_lists_name_the_field(field, value, message) -> None:
    areas = gpd.GeoDataFrame(
        {"code": ["HA-1", "HA-2"], field: ["[]" if field != "beneficiaries" else None, value]},
        geometry=[box(0, 0, 0.001, 0.001), box(0.01, 0, 0.011, 0.001)],
        crs=4326,
    )
    with pytest.raises(InvalidInput, match=message) as raised:
        compute_indicators(
            areas, PartitionContext(), load_priority_config(), date(2025, 1, 1),
            metric_crs=metric_crs_for((0, 0, 0.011, 0.001)),
        )  # fmt: skip
    assert raised.value.where.field == field
    assert str(raised.value).startswith(f"field {field}: area HA-2: ")


def test_record_fields_parse_repeated_texts_once_and_give_each_area_its_own_value() -> None:
    texts = ['[{"type": "road"}]', '[{"type": "water"}, {"type": "road"}]'] * 3 + [None]
    count, kinds = blockage_summary(pd.Series(texts))
    assert count.tolist() == [1.0, 2.0] * 3 + [0.0]
    assert kinds.tolist() == ["road", "road;water"] * 3 + [""]


def test_compute_indicators_on_a_small_district() -> None:
    areas = gpd.GeoDataFrame(
        {
            "code": ["HA-1", "HA-2"],
            "blockages": [[{"type": "road"}], []],
            "residual_risk": [2.5, None],
            "beneficiaries": [{"girls": 1, "boys": 2, "women": 3, "men": 4}, None],
            "hazard_types": [["ap_mines"], ["uxo_axo"]],
        },
        geometry=[box(30.5, 50.4, 30.501, 50.401), box(30.6, 50.4, 30.601, 50.401)],
        crs=4326,
    )
    roads = gpd.GeoDataFrame(geometry=[shapely.LineString([(30.5, 50.3), (30.5, 50.5)])], crs=4326)
    context = PartitionContext(layers={"roads": roads})
    crs = metric_crs_for(tuple(areas.total_bounds))
    out = compute_indicators(
        areas, context, load_priority_config(), date(2025, 1, 1), metric_crs=crs
    )
    assert out["road_distance_m"].iloc[0] == 0.0
    _, _, expected = GEOD.inv(30.5, 50.4005, 30.6, 50.4005)  # ~7.1 km, within the 10 km cap
    assert out["road_distance_m"].iloc[1] == pytest.approx(expected, rel=1e-3)
    assert out["blockages"].tolist() == [1.0, 0.0]
    assert out["beneficiaries"].iloc[0] == 10.0 and np.isnan(out["beneficiaries"].iloc[1])
    assert out["residual_risk"].iloc[0] == 2.5
    assert out["hazard_types"].tolist() == ["ap_mines", "uxo_axo"]
    assert np.isnan(out["population"]).all()  # no raster given: unknown, not zero


# -- scoring ---------------------------------------------------------------------------------


def _indicators(**columns: list[float]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"code": [f"HA-{i}" for i in range(1, n + 1)], **columns})
    for name in ("blockage_types", "hazard_types"):
        frame[name] = ""
    return frame


def test_weighted_sum_by_hand() -> None:
    frame = _indicators(population=[0, 50, 100], accidents=[2, 0, 1])
    scored = score(frame, _config(population=1, accidents=1)).set_index("code")
    # min-max: population 0, .5, 1; accidents 1, 0, .5; equal weights: mean × 100.
    assert scored.loc[["HA-1", "HA-2", "HA-3"], "score"].tolist() == [50.0, 25.0, 75.0]
    assert scored.loc[["HA-1", "HA-2", "HA-3"], "rank"].tolist() == [2, 3, 1]
    assert scored.loc["HA-3", "contribution_accidents"] == pytest.approx(25.0)


def test_rank_normalisation_and_distance_proximity() -> None:
    base = load_priority_config().model_dump()
    base.update(normalisation="rank", default_scenario="d")
    base["scenarios"] = {"d": {"weights": {"road_distance_m": 1}}}
    config = PriorityConfig.model_validate(base)
    frame = _indicators(road_distance_m=[100.0, 9000.0, np.nan, 20.0])
    scored = score(frame, config).set_index("code")
    # proximity = 1 - d/10 km: .99, .1, 0 (none within the cap), .998 → ranks
    assert scored.loc[["HA-4", "HA-1", "HA-2", "HA-3"], "rank"].tolist() == [1, 2, 3, 4]
    assert scored.loc["HA-4", "score"] == 100.0 and scored.loc["HA-3", "score"] == 0.0


def test_missing_values_score_lowest_or_median() -> None:
    values = np.array([[1.0], [3.0], [np.nan], [2.0]])
    assert normalise(values, "minmax", "lowest")[2, 0] == 0.0
    assert normalise(values, "minmax", "median")[2, 0] == 0.5


def test_ties_are_broken_by_code() -> None:
    codes = np.array(["HA-9", "HA-1", "HA-5"], dtype=object)
    assert rank_order(np.array([1.0, 1.0, 1.0]), codes).tolist() == [3, 1, 2]


def test_lis_points_and_bands_by_hand() -> None:
    frame = _indicators(victims=[0.0, 1.0, 4.0])
    frame["hazard_types"] = ["uxo_axo", "ap_mines;uxo_axo", "ap_mines"]
    frame["blockage_types"] = ["", "road;water;school", "agriculture"]
    points, bands = lis_score(frame, load_priority_config().lis)
    # shipped points: ap 2, uxo 1, each blockage 1, 2 per victim; medium from 6, high from 11
    assert points.tolist() == [1.0, 2 + 3 + 2.0, 2 + 1 + 8.0]
    assert bands.tolist() == ["low", "medium", "high"]


def test_explanation_adds_up_to_the_score() -> None:
    frame = _indicators(population=[0, 50, 100], accidents=[2, 0, 1], victims=[1, 0, 0])
    config = _config(population=2, accidents=1, victims=1)
    scored = score(frame, config)
    reasons = explain(scored, "HA-3", config)
    assert reasons["contribution"].sum() == pytest.approx(scored.iloc[0]["score"])
    assert reasons["indicator"].iloc[0] == "population"
    assert reasons["weight_share"].sum() == pytest.approx(1.0)
    with pytest.raises(NotFound):
        explain(scored, "HA-404", config)


# -- stability and sensitivity ------------------------------------------------------------------

_values = st.lists(st.floats(0, 1000, allow_nan=False), min_size=3, max_size=25)


@settings(max_examples=25, deadline=None)
@given(_values, st.randoms(use_true_random=False), st.floats(0.1, 50))
def test_ranking_ignores_row_order_and_weight_scale(values, random, factor) -> None:
    n = len(values)
    frame = _indicators(population=values, accidents=[v % 7 for v in values[::-1]][:n])
    config = _config(population=2, accidents=1)
    scaled = _config(population=2 * factor, accidents=factor)
    base = score(frame, config).set_index("code")["rank"]
    shuffled = frame.sample(frac=1.0, random_state=random.randint(0, 10_000))
    assert score(shuffled, config).set_index("code")["rank"].sort_index().equals(base.sort_index())
    assert score(frame, scaled).set_index("code")["rank"].sort_index().equals(base.sort_index())
    total = score(frame, config)
    parts = total.filter(like="contribution_").sum(axis=1)
    np.testing.assert_allclose(parts, total["score"], atol=1e-6)


def test_sensitivity_of_a_single_indicator_is_nil() -> None:
    frame = _indicators(population=[5.0, 1.0, 3.0, 2.0])
    result = sensitivity(frame, _config(population=1))
    assert len(result.perturbations) == 4  # one indicator × four steps
    assert (result.perturbations["kendall_tau"] == 1.0).all()
    assert (result.areas["rank_range"] == 0).all()


def test_sensitivity_shows_ranks_moving_when_indicators_disagree() -> None:
    frame = _indicators(population=[10.0, 0.0, 6.0], accidents=[0.0, 10.0, 4.0])
    result = sensitivity(frame, _config(population=1, accidents=1))
    assert result.perturbations["kendall_tau"].min() < 1.0
    assert result.areas["rank_range"].max() >= 1
    assert set(result.perturbations["indicator"]) == {"population", "accidents"}


# -- configuration ------------------------------------------------------------------------------


def test_shipped_configuration_loads_and_rejects_bad_files(tmp_path) -> None:
    config = load_priority_config()
    assert set(config.scenarios) >= {"balanced", "livelihoods", "casualties"}
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'default_scenario = "x"\n[scenarios.x.weights]\npopulation = -1\n', encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match="negative"):
        load_priority_config(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('default_scenario = "x"\n[scenarios.x.weights]\nmood = 1\n')
    with pytest.raises(InvalidInput, match="unknown indicators"):
        load_priority_config(unknown)
    with pytest.raises(InvalidInput, match="no scenario"):
        config.scenario("nonexistent")


def test_national_configuration_section_overrides_the_shipped_defaults() -> None:
    from minewatch.priority_config import priority_config_from_national

    assert priority_config_from_national({}) == load_priority_config()
    national = priority_config_from_national(
        {
            "indicators": {"population_radius_m": 500},
            "default_scenario": "ours",
            "scenarios": {"ours": {"weights": {"victims": 1}}},
        }
    )
    assert national.indicators.population_radius_m == 500
    assert national.indicators.distance_cap_m == 10_000  # untouched default kept
    assert list(national.scenarios) == ["ours"]
    with pytest.raises(InvalidInput, match="default_scenario"):
        priority_config_from_national({"scenarios": {"ours": {"weights": {"victims": 1}}}})
