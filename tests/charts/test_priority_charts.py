"""Maps and charts of a prioritisation are written and work offline (SYNTHETIC areas)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely import box

from minewatch.analysis.h3grid import h3_grid
from minewatch.analysis.priority import sensitivity
from minewatch.charts import priority as charts
from minewatch.priority_config import PriorityConfig, load_priority_config


def _scored() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["HA-1", "HA-2", "HA-3"],
            "score": [80.0, 40.0, 10.0],
            "rank": [1, 2, 3],
            "lis_band": ["high", "medium", "low"],
            "population": [10.0, 1.0, 3.0],
            "accidents": [0.0, 2.0, 1.0],
            "area_m2": [1e6, 2e5, 1e5],
        },
        geometry=[box(30, 50, 30.2, 50.1), box(30.5, 50, 30.51, 50.01), box(31, 50, 31.01, 50.01)],
        crs=4326,
    )


def test_png_and_offline_html_maps(tmp_path) -> None:
    scored = _scored()
    grid = h3_grid(scored, 7)
    assert charts.ranking_map_png(scored, tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    assert charts.grid_map_png(grid, tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    for path in (
        charts.ranking_map_html(scored, tmp_path / "r.html"),
        charts.grid_map_html(grid, tmp_path / "g.html"),
    ):
        html = path.read_text(encoding="utf-8")
        assert "cdn.plot.ly" not in html.split("<body>")[0]
        assert "Plotly.newPlot" in html or "Plotly.react" in html


def test_sensitivity_chart(tmp_path) -> None:
    base = load_priority_config().model_dump()
    base["scenarios"] = {"t": {"weights": {"population": 1, "accidents": 1}}}
    base["default_scenario"] = "t"
    frame = pd.DataFrame(_scored().drop(columns="geometry"))
    frame["blockage_types"] = frame["hazard_types"] = ""
    result = sensitivity(frame, PriorityConfig.model_validate(base))
    assert charts.sensitivity_png(result, tmp_path / "s.png").stat().st_size > 1000


def test_maps_for_a_download_are_the_files_in_memory(tmp_path) -> None:
    scored = _scored()
    grid = h3_grid(scored, 7)
    assert charts.ranking_map(scored, "png")[:4] == b"\x89PNG"
    assert charts.grid_map(grid, "png", "n_areas")[:4] == b"\x89PNG"
    page = charts.grid_map(grid, "html", "n_areas").decode("utf-8")
    written = charts.grid_map_html(grid, tmp_path / "g.html", column="n_areas")
    # The same page as the file the CLI writes (plotly names each figure's div afresh).
    assert len(page) == len(written.read_text(encoding="utf-8"))
    assert "Plotly.newPlot" in page or "Plotly.react" in page
