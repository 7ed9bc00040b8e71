"""Results kept between requests: computed once per key, least recently used dropped."""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
from shapely import box

from minewatch.services.recent import RecentResults, digest_frame, forget_recent_results


def test_a_key_is_computed_once_for_callers_that_ask_together() -> None:
    cache = RecentResults[str](size=1)
    calls: list[int] = []

    def slow():
        calls.append(1)
        time.sleep(0.1)
        return "frame"

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda _: cache.get_or_compute(b"k", slow), range(4)))
    assert got == ["frame"] * 4 and calls == [1]
    cache.get_or_compute(b"other", lambda: "second")
    assert cache.get_or_compute(b"k", lambda: "recomputed") == "recomputed"  # size 1: evicted


def test_forgetting_drops_every_kept_result() -> None:
    recent = RecentResults[str](size=2)
    recent.get_or_compute(b"k", lambda: "first")
    forget_recent_results()
    assert recent.get_or_compute(b"k", lambda: "afresh") == "afresh"


def _digest(frame: gpd.GeoDataFrame) -> bytes:
    digest = hashlib.blake2b()
    digest_frame(digest, frame)
    return digest.digest()


def test_the_digest_follows_every_value_and_polygon() -> None:
    frame = gpd.GeoDataFrame(
        {"code": ["HA-1"], "blockages": [[{"type": "road"}]], "residual_risk": [1.0]},
        geometry=[box(0, 0, 1, 1)],
        crs=4326,
    )
    same = _digest(frame.copy())
    assert _digest(frame) == same
    for column, value in (
        ("blockages", [[{"type": "water"}]]),
        ("residual_risk", [2.0]),
        ("geometry", [box(0, 0, 1, 2)]),
    ):
        assert _digest(frame.assign(**{column: value})) != same, column
