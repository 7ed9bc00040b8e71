"""Land release accounting: hand-computed cases and the balance invariant (hypothesis).

All polygons here are synthetic. Expected areas of the hand cases come from pyproj.Geod,
independently of the code under test (near the equator lon/lat edges and geodesics agree).
"""

from __future__ import annotations

import itertools
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from minewatch.analysis.landrelease import (
    FIGURES,
    PERIOD_FIGURES,
    Issue,
    LandReleaseAccounting,
    account_land_release,
    balance,
    monthly_series,
    period_balance,
    released_by,
)
from minewatch.domain.area import ellipsoidal_area
from minewatch.errors import InvalidInput

GEOD = Geod(ellps="WGS84")
REL = 1e-8


def geod_area(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0])


def areas_frame(*rows: tuple[str, shapely.Geometry], **extra: list) -> gpd.GeoDataFrame:
    codes, geoms = zip(*rows, strict=True)
    return gpd.GeoDataFrame({"code": list(codes), **extra}, geometry=list(geoms), crs=4326)


def products_frame(rows: list[dict]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(
        frame.drop(columns="geometry"), geometry=list(frame["geometry"]), crs=4326
    )


def account(areas: gpd.GeoDataFrame, products: gpd.GeoDataFrame, tol: float = 0.05):
    return account_land_release(areas, products, area_tolerance_fraction=tol)


def issues_of(acc: LandReleaseAccounting, code: str) -> set[str]:
    return set(acc.issues.loc[acc.issues["code"] == code, "issue"])


# A 0.001° square on the equator (~111 m a side) and its quarters.
HA = shapely.box(30.0, 0.0, 30.001, 0.001)
LEFT = shapely.box(30.0, 0.0, 30.0005, 0.001)
BOTTOM_RIGHT = shapely.box(30.0005, 0.0, 30.001, 0.0005)
TOP_RIGHT = shapely.box(30.0005, 0.0005, 30.001, 0.001)


def test_hand_case_overlap_counts_once_first_release_wins() -> None:
    areas = areas_frame(("HA-1", HA))
    products = products_frame(
        [
            # cancelled first: the left half
            dict(
                code="RP-1",
                product_type="cancelled",
                hazardous_area_code="HA-1",
                release_date="2023-02-01",
                geometry=LEFT,
            ),
            # cleared later over the bottom half: only its right quarter is new
            dict(
                code="RP-2",
                product_type="cleared",
                hazardous_area_code="HA-1",
                release_date="2023-05-01",
                geometry=shapely.box(30.0, 0.0, 30.001, 0.0005),
            ),
        ]
    )
    acc = account(areas, products)
    row = acc.areas.iloc[0]
    assert row["original_m2"] == pytest.approx(geod_area(HA), rel=REL)
    assert row["cancelled_m2"] == pytest.approx(geod_area(LEFT), rel=REL)
    assert row["cleared_m2"] == pytest.approx(geod_area(BOTTOM_RIGHT), rel=REL)
    assert row["reduced_m2"] == 0
    assert row["remaining_m2"] == pytest.approx(geod_area(TOP_RIGHT), rel=REL)
    ledger = acc.products.set_index("code")
    assert ledger.loc["RP-2", "already_released_m2"] == pytest.approx(
        geod_area(shapely.box(30.0, 0.0, 30.0005, 0.0005)), rel=REL
    )
    assert Issue.ALREADY_RELEASED.value in issues_of(acc, "RP-2")
    remaining = acc.pieces[acc.pieces["category"] == "remaining"].geometry.iloc[0]
    assert shapely.equals(shapely.normalize(remaining), shapely.normalize(TOP_RIGHT)) or (
        shapely.symmetric_difference(remaining, TOP_RIGHT).area < 1e-18
    )


def test_same_day_overlap_goes_to_the_stronger_evidence() -> None:
    areas = areas_frame(("HA-1", HA))
    products = products_frame(
        [
            dict(
                code="RP-A",
                product_type="cancelled",
                hazardous_area_code="HA-1",
                release_date="2023-02-01",
                geometry=LEFT,
            ),
            dict(
                code="RP-B",
                product_type="cleared",
                hazardous_area_code="HA-1",
                release_date="2023-02-01",
                geometry=HA,
            ),
        ]
    )
    row = account(areas, products).areas.iloc[0]
    assert row["cleared_m2"] == pytest.approx(geod_area(HA), rel=REL)
    assert row["cancelled_m2"] == 0
    assert row["remaining_m2"] == 0


def test_part_outside_the_area_is_clipped_and_flagged() -> None:
    overhang = shapely.box(30.0005, 0.0, 30.0015, 0.0005)  # half of it east of the area
    areas = areas_frame(("HA-1", HA))
    products = products_frame(
        [
            dict(
                code="RP-1",
                product_type="reduced",
                hazardous_area_code="HA-1",
                release_date="2024-01-01",
                geometry=overhang,
            )
        ]
    )
    acc = account(areas, products)
    assert acc.areas.iloc[0]["reduced_m2"] == pytest.approx(geod_area(BOTTOM_RIGHT), rel=REL)
    line = acc.products.iloc[0]
    assert line["outside_m2"] == pytest.approx(
        geod_area(shapely.box(30.001, 0.0, 30.0015, 0.0005)), rel=1e-7
    )
    assert Issue.CLIPPED_OUTSIDE_AREA.value in issues_of(acc, "RP-1")
    piece = acc.pieces[acc.pieces["category"] == "reduced"].geometry.iloc[0]
    assert shapely.covers(HA.buffer(1e-12), piece)


def test_typed_in_area_is_checked_against_the_polygon_with_the_tolerance() -> None:
    true_area = geod_area(LEFT)
    areas = areas_frame(("HA-1", HA), reported_area_m2=[geod_area(HA) * 1.5])
    products = products_frame(
        [
            dict(
                code="RP-OK",
                product_type="cleared",
                hazardous_area_code="HA-1",
                release_date="2024-01-01",
                reported_area_m2=true_area * 1.04,
                geometry=LEFT,
            ),
            dict(
                code="RP-BAD",
                product_type="cleared",
                hazardous_area_code="HA-1",
                release_date="2024-01-02",
                reported_area_m2=geod_area(TOP_RIGHT) * 0.9,
                geometry=TOP_RIGHT,
            ),
        ]
    )
    acc = account(areas, products, tol=0.05)
    assert Issue.REPORTED_AREA_MISMATCH.value not in issues_of(acc, "RP-OK")
    assert Issue.REPORTED_AREA_MISMATCH.value in issues_of(acc, "RP-BAD")
    assert Issue.REPORTED_AREA_MISMATCH.value in issues_of(acc, "HA-1")
    loose = account(areas, products, tol=0.6)
    assert loose.issues.empty or Issue.REPORTED_AREA_MISMATCH.value not in set(
        loose.issues["issue"]
    )


def test_unknown_area_undated_and_invalid_products() -> None:
    bowtie = shapely.Polygon([(30.0, 0.0), (30.001, 0.001), (30.001, 0.0), (30.0, 0.001)])
    areas = areas_frame(("HA-1", HA))
    products = products_frame(
        [
            dict(
                code="RP-X",
                product_type="cleared",
                hazardous_area_code="HA-404",
                release_date="2024-01-01",
                geometry=HA,
            ),
            dict(
                code="RP-U",
                product_type="reduced",
                hazardous_area_code="HA-1",
                release_date=None,
                geometry=TOP_RIGHT,
            ),
            dict(
                code="RP-V",
                product_type="cancelled",
                hazardous_area_code="HA-1",
                release_date="2024-06-01",
                geometry=bowtie,
            ),
        ]
    )
    acc = account(areas, products)
    assert Issue.UNKNOWN_HAZARDOUS_AREA.value in issues_of(acc, "RP-X")
    assert Issue.MISSING_RELEASE_DATE.value in issues_of(acc, "RP-U")
    assert Issue.REPAIRED_GEOMETRY.value in issues_of(acc, "RP-V")
    row = acc.areas.iloc[0]
    # the bow-tie's two triangles (half the square); the undated top-right quarter comes
    # after every dated product, so it only gets what the bow-tie left of it
    assert row["cancelled_m2"] == pytest.approx(geod_area(HA) / 2, rel=1e-6)
    assert row["reduced_m2"] == pytest.approx(geod_area(HA) / 8, rel=1e-6)
    assert row["original_m2"] == pytest.approx(
        row["cancelled_m2"] + row["reduced_m2"] + row["cleared_m2"] + row["remaining_m2"],
        rel=1e-9,  # pieces cut by separate overlays: they add up to float residue
    )
    series = monthly_series(acc)
    assert series["remaining_m2"].iloc[-1] == pytest.approx(row["remaining_m2"], abs=1e-6)


def test_hole_in_the_area_is_outside_and_crs_is_converted() -> None:
    holed = HA.difference(shapely.box(30.0004, 0.0004, 30.0006, 0.0006))
    areas = areas_frame(("HA-1", holed)).to_crs(32636)  # UTM 36N
    products = products_frame(
        [
            dict(
                code="RP-1",
                product_type="cleared",
                hazardous_area_code="HA-1",
                release_date="2024-01-01",
                geometry=HA,
            )
        ]
    ).to_crs(32636)
    acc = account(areas, products)
    row = acc.areas.iloc[0]
    assert row["cleared_m2"] == pytest.approx(geod_area(holed), rel=1e-6)
    assert row["remaining_m2"] == 0
    assert acc.products.iloc[0]["outside_m2"] == pytest.approx(
        geod_area(shapely.box(30.0004, 0.0004, 30.0006, 0.0006)), rel=1e-5
    )
    assert acc.pieces.crs.to_epsg() == 4326


def test_bad_input_is_refused_with_its_location() -> None:
    areas = areas_frame(("HA-1", HA), ("HA-1", LEFT))
    products = products_frame(
        [dict(code="RP-1", product_type="cleared", hazardous_area_code="HA-1", geometry=HA)]
    )
    with pytest.raises(InvalidInput, match="more than once"):
        account(areas, products)
    bad_type = products_frame(
        [dict(code="RP-1", product_type="demolished", hazardous_area_code="HA-1", geometry=HA)]
    )
    with pytest.raises(InvalidInput) as info:
        account(areas_frame(("HA-1", HA)), bad_type)
    assert info.value.where.field == "product_type" and info.value.where.row == 1
    with pytest.raises(InvalidInput, match="hazardous_area_code"):
        account(areas_frame(("HA-1", HA)), bad_type.drop(columns="hazardous_area_code"))


# --------------------------------------------------------------------------- properties

CELL = 0.0002  # degrees: products are drawn on a fine grid so that overlaps are common


@st.composite
def release_data(draw: st.DrawFn) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Synthetic: 1–4 areas (boxes or triangles, some overlapping each other) and up to
    12 products (boxes, triangles, rotated quads) that overlap, overhang and repeat."""
    lat0 = draw(st.sampled_from([0.0, 35.0, -48.0, 62.0]))
    n_areas = draw(st.integers(1, 4))
    area_geoms = []
    for _ in range(n_areas):
        x, y = draw(st.integers(0, 6)), draw(st.integers(0, 6))
        w, h = draw(st.integers(2, 6)), draw(st.integers(2, 6))
        box = shapely.box(
            30 + x * CELL, lat0 + y * CELL, 30 + (x + w) * CELL, lat0 + (y + h) * CELL
        )
        if draw(st.booleans()):
            (x0, y0, x1, y1) = box.bounds
            box = shapely.Polygon([(x0, y0), (x1, y0), (x0 + (x1 - x0) / 3, y1)])
        area_geoms.append(box)
    areas = gpd.GeoDataFrame(
        {
            "code": [f"HA-{i}" for i in range(n_areas)],
            "location_code": [draw(st.sampled_from(["L1", "L2", None])) for _ in range(n_areas)],
            "organisation_code": [draw(st.sampled_from(["O1", "O2"])) for _ in range(n_areas)],
        },
        geometry=area_geoms,
        crs=4326,
    )
    rows = []
    for j in range(draw(st.integers(0, 12))):
        host = draw(st.integers(0, n_areas - 1))
        x0, y0, x1, y1 = area_geoms[host].bounds
        px = x0 + draw(st.floats(-0.3, 0.9)) * (x1 - x0)
        py = y0 + draw(st.floats(-0.3, 0.9)) * (y1 - y0)
        size = draw(st.floats(0.1, 0.8)) * (x1 - x0)
        shape = draw(st.sampled_from(["box", "triangle", "quad"]))
        if shape == "box":
            geom = shapely.box(px, py, px + size, py + size * draw(st.floats(0.3, 1.5)))
        elif shape == "triangle":
            geom = shapely.Polygon([(px, py), (px + size, py), (px, py + size)])
        else:
            skew = draw(st.floats(0.1, 0.5)) * size
            geom = shapely.Polygon(
                [
                    (px, py + skew),
                    (px + size - skew, py),
                    (px + size, py + size),
                    (px + skew, py + size),
                ]
            )
        month = draw(st.one_of(st.none(), st.integers(0, 23)))
        rows.append(
            dict(
                code=f"RP-{j:02d}",
                product_type=draw(st.sampled_from(["cancelled", "reduced", "cleared"])),
                hazardous_area_code=f"HA-{host}",
                organisation_code=draw(st.sampled_from(["O1", "O3", None])),
                method=draw(st.sampled_from(["manual", "mechanical", None])),
                release_date=None
                if month is None
                else date(2022 + month // 12, month % 12 + 1, 15),
                geometry=geom,
            )
        )
    columns = [
        "code",
        "product_type",
        "hazardous_area_code",
        "organisation_code",
        "method",
        "release_date",
        "geometry",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    products = gpd.GeoDataFrame(
        frame.drop(columns="geometry"), geometry=list(frame["geometry"]), crs=4326
    )
    return areas, products


def assert_balanced(table: pd.DataFrame, total: str, parts: list[str]) -> None:
    scale = max(1.0, float(table[total].abs().max()))
    gap = (table[total] - table[parts].sum(axis=1)).abs().max()
    assert gap <= 1e-9 * scale, f"{total} != sum of {parts}: off by {gap} m²"


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(release_data())
def test_invariant_for_every_area_and_aggregate(data) -> None:
    areas, products = data
    acc = account(areas, products)
    parts = list(FIGURES[1:])
    assert_balanced(acc.areas, "original_m2", parts)
    # the figures are the pieces, and the original is measured independently of them
    assert np.allclose(acc.areas["original_m2"], ellipsoidal_area(areas.geometry.array), rtol=1e-12)
    for by in (None, "location_code", "organisation_code"):
        assert_balanced(balance(acc, by), "original_m2", parts)
    start, end = date(2022, 7, 1), date(2023, 3, 31)
    assert_balanced(
        period_balance(acc, start, end, "location_code"), "original_m2", list(PERIOD_FIGURES[1:])
    )
    totals = acc.totals()
    assert released_by(acc, "organisation_code")["released_m2"].sum() == pytest.approx(
        totals["released_m2"], abs=1e-6
    )
    assert released_by(acc, ["year", "method"])["released_m2"].sum() == pytest.approx(
        totals["released_m2"], abs=1e-6
    )
    series = monthly_series(acc)
    if len(series):
        assert series["remaining_m2"].iloc[-1] == pytest.approx(totals["remaining_m2"], abs=1e-6)
    # every product's ledger closes, and nothing is credited that is not inside
    ledger = acc.products
    assert np.allclose(
        ledger["measured_m2"],
        ledger[["credited_m2", "already_released_m2", "outside_m2", "unmatched_m2"]].sum(axis=1),
        rtol=1e-9,
        atol=1e-6,
    )


@SETTINGS
@given(release_data())
def test_pieces_partition_each_area(data) -> None:
    areas, products = data
    acc = account(areas, products)
    for code, group in acc.pieces.groupby("hazardous_area_code"):
        geoms = group.geometry.to_numpy()
        host = areas.set_index("code").geometry[code]
        union = shapely.union_all(geoms)
        assert ellipsoidal_area([shapely.symmetric_difference(union, host)])[0] < 1e-3
        overlap = ellipsoidal_area(geoms).sum() - ellipsoidal_area([union])[0]
        assert abs(overlap) < 1e-3  # disjoint: the parts add up to their union
        assert group["area_m2"].to_numpy() == pytest.approx(ellipsoidal_area(geoms), abs=1e-6)


@SETTINGS
@given(release_data(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter_and_history_is_stable(data, rnd) -> None:
    areas, products = data
    acc = account(areas, products)
    shuffled = products.iloc[rnd.sample(range(len(products)), len(products))]
    again = account(areas, shuffled)
    assert np.allclose(acc.areas[list(FIGURES)], again.areas[list(FIGURES)], atol=1e-6)
    # releasing more land later never changes what was released up to a date
    cutoff = pd.Timestamp("2022-12-31")
    dates = pd.to_datetime(products["release_date"])
    early = account(areas, products[dates <= cutoff])
    period = period_balance(acc, None, cutoff.date(), "location_code")
    past = balance(early, "location_code")
    for category in ("cancelled_m2", "reduced_m2", "cleared_m2"):
        assert np.allclose(period[category], past[category], atol=1e-6)


def test_overlapping_hazardous_areas_are_flagged_not_merged() -> None:
    areas = areas_frame(
        ("HA-1", HA),
        ("HA-2", shapely.box(30.0005, 0.0, 30.0015, 0.001)),
        ("HA-3", shapely.box(30.0015, 0.0, 30.002, 0.001)),
    )  # HA-3 only touches
    products = products_frame(
        [
            dict(
                code="RP-1",
                product_type="cleared",
                hazardous_area_code="HA-2",
                release_date="2024-01-01",
                geometry=HA,
            )
        ]
    )
    acc = account(areas, products)
    flagged = acc.issues[acc.issues["issue"] == Issue.OVERLAPPING_AREAS.value]
    assert sorted(flagged["code"]) == ["HA-1", "HA-2"]
    rows = acc.areas.set_index("hazardous_area_code")
    assert rows.loc["HA-1", "released_m2"] == 0  # RP-1 names HA-2 only
    assert rows.loc["HA-2", "cleared_m2"] == pytest.approx(geod_area(RIGHT_HALF), rel=REL)


RIGHT_HALF = shapely.box(30.0005, 0.0, 30.001, 0.001)


# --------------------------------------------------------------------------- process pool


def assert_same_accounting(one: LandReleaseAccounting, other: LandReleaseAccounting) -> None:
    """Bit for bit: every table, and every piece's polygon vertex for vertex."""
    for name in ("areas", "products", "pieces", "issues"):
        mine, theirs = getattr(one, name), getattr(other, name)
        pd.testing.assert_frame_equal(
            pd.DataFrame(mine.drop(columns="geometry", errors="ignore")),
            pd.DataFrame(theirs.drop(columns="geometry", errors="ignore")),
            check_exact=True,
        )
    assert shapely.equals_identical(one.pieces.geometry.array, other.pieces.geometry.array).all()


@pytest.fixture(scope="module")
def synthetic_programme() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The benchmark's synthetic overlapping stars and boxes, a few products with no area."""
    from benchmarks.bench_landrelease import synthetic_release_data

    areas, products = synthetic_release_data(120, 400, seed=11)
    products.loc[products.index[::37], "hazardous_area_code"] = "HA-404"
    return areas, products


@pytest.mark.parametrize("other_thread", [False, True], ids=["forked", "spawned"])
def test_chunks_in_a_process_pool_give_the_same_answer(
    synthetic_programme, monkeypatch: pytest.MonkeyPatch, other_thread: bool
) -> None:
    import threading

    from minewatch.analysis import release_overlay

    areas, products = synthetic_programme
    alone = account(areas, products)  # 400 products: one chunk, in this process
    monkeypatch.setattr(release_overlay, "PRODUCTS_PER_CHUNK", 45)
    assert len(release_overlay._chunks(np.arange(120).repeat(3), 120)) == 8
    # A process running another thread (a server) spawns its workers instead of forking.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    if other_thread:
        thread.start()
    try:
        assert release_overlay._start_method().get_start_method() == (
            "spawn" if other_thread else "fork"
        )
        pooled = account_land_release(areas, products, area_tolerance_fraction=0.05, workers=2)
    finally:
        stop.set()
    assert_same_accounting(alone, pooled)
    assert pooled.totals()["released_m2"] > 0 and (pooled.products["unmatched_m2"] > 0).any()


def test_chunks_keep_each_area_with_all_its_products(monkeypatch: pytest.MonkeyPatch) -> None:
    from minewatch.analysis import release_overlay

    area_index = np.array([3, -1, 0, 3, 5, 5, 5, 1, -1, 0, 2])
    chunks = release_overlay._chunks(area_index, 7)
    assert [(c.start, c.stop) for c in chunks] == [(0, 7)]  # less than a chunk's worth
    monkeypatch.setattr(release_overlay, "PRODUCTS_PER_CHUNK", 2)
    chunks = release_overlay._chunks(area_index, 7)
    assert len(chunks) > 2 and chunks[0].start == 0 and chunks[-1].stop == 7
    assert all(a.stop == b.start for a, b in itertools.pairwise(chunks))
    placed = np.concatenate([c.products for c in chunks])
    assert sorted(placed) == sorted(np.flatnonzero(area_index >= 0))  # each once, none lost
    for chunk in chunks:
        hosts = area_index[chunk.products]
        assert ((hosts >= chunk.start) & (hosts < chunk.stop)).all()


def test_workers_must_be_one_or_more() -> None:
    products = products_frame(
        [dict(code="RP-1", product_type="cleared", hazardous_area_code="HA-1", geometry=LEFT)]
    )
    with pytest.raises(InvalidInput, match="workers"):
        account_land_release(
            areas_frame(("HA-1", HA)), products, area_tolerance_fraction=0.05, workers=0
        )


def test_an_overlay_that_geos_nodes_wrongly_is_redone_on_a_fine_grid() -> None:
    """Found by hypothesis: a product whose vertices lie 1e-316° off the area's edge made
    GEOS's noding drop an edge silently, and a face outside the area was credited inside
    (the balance was 15 m² off). With today's GEOS the first overlay closes; the answer must
    stay that of the same products without the offset. An area that does not close is
    overlaid again on a 1e-12° grid (tested by simulation below)."""
    area = shapely.from_wkt("POLYGON ((30 0, 30.0004 0, 30.000133333333334 0.0004, 30 0))")
    below = shapely.from_wkt("POLYGON ((30 -0.0001, 30.0002 -0.0001, 30 0.0001, 30 -0.0001))")
    eps = 8.9002957e-317
    beside = shapely.box(29.9999, eps, 30.0001, 0.0002)
    areas = gpd.GeoDataFrame({"code": ["HA-1"]}, geometry=[area], crs=4326)
    products = gpd.GeoDataFrame(
        {
            "code": ["RP-1", "RP-2"],
            "product_type": ["cleared", "reduced"],
            "hazardous_area_code": ["HA-1", "HA-1"],
            "release_date": ["2023-01-01", "2023-02-01"],
        },
        geometry=[below, beside],
        crs=4326,
    )
    row = account(areas, products).areas.iloc[0]
    assert abs(row["closure_m2"]) < 1e-6
    assert row["original_m2"] == pytest.approx(ellipsoidal_area([area])[0], rel=1e-9)
    exact = shapely.box(29.9999, 0.0, 30.0001, 0.0002)  # the same without the 1e-316 offset
    again = account(areas, products.set_geometry([below, exact], crs=4326)).areas.iloc[0]
    for figure in FIGURES:
        assert row[figure] == pytest.approx(again[figure], abs=1e-5)


def test_an_area_whose_parts_do_not_add_up_is_redone_on_the_grid_and_flagged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The GEOS failure above no longer reproduces with this GEOS, so it is simulated: the
    first overlay credits 15 m² too many to one product, as that failure did."""
    from minewatch.analysis import release_overlay

    real = release_overlay._overlay
    calls = []

    def failing_once(*args):
        done = real(*args)
        if not calls:
            done.credited[0] += 15.0
        calls.append(len(args[0]))
        return done

    monkeypatch.setattr(release_overlay, "_overlay", failing_once)
    areas = areas_frame(("HA-1", HA), ("HA-2", shapely.box(31, 50, 31.001, 50.001)))
    products = products_frame([
        dict(code="RP-1", product_type="cleared", hazardous_area_code="HA-1", geometry=LEFT),
        dict(code="RP-2", product_type="reduced", hazardous_area_code="HA-2",
             geometry=shapely.box(31, 50, 31.0005, 50.001)),
    ])  # fmt: skip
    done = account_land_release(areas, products, area_tolerance_fraction=0.05, workers=1)
    assert calls == [2, 1]  # the whole overlay, then HA-1 alone on the grid
    assert done.areas["closure_m2"].abs().max() < 1e-6
    flagged = done.issues[done.issues["issue"] == Issue.SNAPPED_TO_GRID]
    assert flagged[["record_kind", "code"]].to_numpy().tolist() == [["hazardous_area", "HA-1"]]
    assert "0.1 µm" in flagged["detail"].iloc[0]
