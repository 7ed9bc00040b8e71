"""Treaty charts: the timeline and the offline status map."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from minewatch.charts.treaty import (
    NO_STATUS,
    status_counts,
    status_map_data,
    status_map_figure,
    status_map_png,
    timeline_figure,
    timeline_png,
    world,
    write_html,
)
from minewatch.domain.treaty import CountDefinition, Instrument
from minewatch.services.treaty import TreatyMonitor
from minewatch.services.treaty_tables import status_table, timeline_series


@pytest.fixture(scope="module")
def monitor() -> TreatyMonitor:
    return TreatyMonitor.load()


def test_world_boundaries_are_shipped_with_iso_codes() -> None:
    countries = world()
    assert len(countries) == 177
    assert {"FRA", "NOR", "USA", "UKR"} <= set(countries["iso3"])


def test_timeline_series_and_outputs(monitor: TreatyMonitor, tmp_path: Path) -> None:
    series = timeline_series(
        monitor, [Instrument.APMBC], [CountDefinition.IN_FORCE], end=date(2026, 3, 1)
    )
    last = series.iloc[-1]
    assert last["count"] == 161 and last["date"].date() == date(2026, 3, 1)
    assert series[series["date"] == "1999-03-01"]["count"].iloc[0] > 40
    png = timeline_png(series, tmp_path / "t.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    html = write_html(timeline_figure(series), tmp_path / "t.html").read_text()
    assert not re.search(r"<script[^>]+src=\"http", html)  # plotly.js is embedded: works offline


def test_status_map(monitor: TreatyMonitor, tmp_path: Path) -> None:
    table = status_table(monitor, Instrument.APMBC, date(2026, 3, 1))
    countries, not_drawn = status_map_data(table)
    counts = status_counts(countries)
    assert counts["withdrawn"] == 5  # Estonia, Finland, Latvia, Lithuania, Poland
    assert countries.loc[countries["iso3"] == "USA", "status"].item() == "not bound"
    assert countries.loc[countries["iso3"] == "GRL", "status"].item() == NO_STATUS
    assert {"Tonga", "Marshall Islands", "Malta"} <= set(not_drawn["state"])
    png = status_map_png(table, Instrument.APMBC, date(2026, 3, 1), tmp_path / "m.png")
    assert png.stat().st_size > 10_000
    ccw = status_table(monitor, Instrument.CCW_AP2, date(2026, 3, 1))
    figure = status_map_figure(ccw, Instrument.CCW_AP2, date(2026, 3, 1))
    # plain polygons on x/y axes: no geo subplot, so no basemap topojson is fetched
    assert {t.type for t in figure.data} == {"scatter"} and "geo" not in figure.to_plotly_json()[
        "layout"
    ]
    text = write_html(figure, tmp_path / "m.html").read_text()
    assert "Tonga" in text and "Natural Earth" in text
