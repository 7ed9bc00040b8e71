"""Maps of a prioritisation: ranked areas and the H3 grid, as PNG (matplotlib, no display
needed) and as self-contained interactive HTML (plotly with its JavaScript inlined, so the
file opens offline, e.g. in a field office without internet).

No basemap tiles are drawn (they would need the network); coordinates are lon/lat with the
aspect corrected for latitude.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from minewatch.analysis.priority import SensitivityResult
from minewatch.charts.localise import plotly_layout, start_chart
from minewatch.vocabulary import label, translate
from minewatch.vocabulary.formats import format_number

_BAND_COLOURS = {"low": "#fdd49e", "medium": "#fc8d59", "high": "#b30000"}


def _aspect(frame: gpd.GeoDataFrame) -> float:
    y0, y1 = frame.total_bounds[[1, 3]] if len(frame) else (0.0, 0.0)
    return 1.0 / max(math.cos(math.radians((y0 + y1) / 2.0)), 0.01)


#: The forms a map is drawn in: a PNG picture or a self-contained interactive HTML page.
MapForm = Literal["png", "html"]


def ranking_map(scored: gpd.GeoDataFrame, form: MapForm, locale: str | None = None) -> bytes:
    """The map of scores as the bytes of a PNG or offline HTML file (for a download)."""
    if form == "png":
        return _png_bytes(_ranking_figure(scored, locale=locale))
    return _html_bytes(_ranking_plotly(scored, locale=locale))


def grid_map(
    grid: gpd.GeoDataFrame, form: MapForm, column: str = "max_score", locale: str | None = None
) -> bytes:
    """The H3 grid's map of ``column`` as the bytes of a PNG or offline HTML file."""
    if form == "png":
        return _png_bytes(_grid_figure(grid, column, locale=locale))
    return _html_bytes(_grid_plotly(grid, column, locale=locale))


def _png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _html_bytes(figure: go.Figure) -> bytes:
    html: str = figure.to_html(include_plotlyjs=True, full_html=True)
    return html.encode("utf-8")


def _save_png(figure: Figure, path: str | Path) -> Path:
    figure.savefig(path, bbox_inches="tight")
    return Path(path)


def ranking_map_png(
    scored: gpd.GeoDataFrame,
    path: str | Path,
    *,
    top_n: int = 20,
    title: str = "",
    locale: str | None = None,
) -> Path:
    """Every area as a dot coloured by score; the ``top_n`` highest priorities labelled."""
    return _save_png(_ranking_figure(scored, top_n, title, locale), path)


def _ranking_figure(
    scored: gpd.GeoDataFrame, top_n: int = 20, title: str = "", locale: str | None = None
) -> Figure:
    code = start_chart(locale)
    points = scored.geometry.representative_point()
    figure = Figure(figsize=(9, 8), dpi=120)
    ax = figure.add_subplot()
    order = np.argsort(scored["score"].to_numpy())  # high scores drawn last, on top
    dots = ax.scatter(
        points.x.to_numpy()[order],
        points.y.to_numpy()[order],
        c=scored["score"].to_numpy()[order],
        cmap="inferno_r",
        s=8,
        linewidths=0,
    )
    figure.colorbar(dots, ax=ax, label=translate("priority score (0-100)", code), shrink=0.7)
    top = scored.nsmallest(top_n, "rank")
    top_points = top.geometry.representative_point()
    for (x, y), rank in zip(zip(top_points.x, top_points.y, strict=True), top["rank"], strict=True):
        ax.annotate(str(int(rank)), (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_aspect(_aspect(scored))
    ax.set_xlabel(translate("longitude", code))
    ax.set_ylabel(translate("latitude", code))
    ax.set_title(
        title
        or translate(
            "Clearance priority ({count} hazardous areas)",
            code,
            count=format_number(len(scored), code, 0),
        )
    )
    return figure


def grid_map_png(
    grid: gpd.GeoDataFrame,
    path: str | Path,
    *,
    column: str = "max_score",
    title: str = "",
    locale: str | None = None,
) -> Path:
    """The H3 grid, each cell filled by ``column``."""
    return _save_png(_grid_figure(grid, column, title, locale), path)


def _grid_figure(
    grid: gpd.GeoDataFrame, column: str, title: str = "", locale: str | None = None
) -> Figure:
    code = start_chart(locale)
    figure = Figure(figsize=(9, 8), dpi=120)
    ax = figure.add_subplot()
    rings = [np.asarray(poly.exterior.coords) for poly in grid.geometry]
    cells = PolyCollection(rings, array=grid[column].to_numpy(), cmap="YlOrRd", linewidths=0.1)
    ax.add_collection(cells)
    ax.autoscale_view()
    figure.colorbar(cells, ax=ax, label=column, shrink=0.7)
    ax.set_aspect(_aspect(grid))
    ax.set_xlabel(translate("longitude", code))
    ax.set_ylabel(translate("latitude", code))
    ax.set_title(
        title
        or translate(
            "H3 grid: {column} ({count} cells)",
            code,
            column=column,
            count=format_number(len(grid), code, 0),
        )
    )
    return figure


def sensitivity_png(
    result: SensitivityResult, path: str | Path, *, top_n: int = 30, locale: str | None = None
) -> Path:
    """Rank ranges of the base top ``top_n`` under one-at-a-time weight changes."""
    code = start_chart(locale)
    areas = result.areas.head(top_n)
    figure = Figure(figsize=(8, max(3.0, 0.25 * len(areas) + 1)), dpi=120)
    ax = figure.add_subplot()
    y = np.arange(len(areas))
    ax.hlines(y, areas["best_rank"], areas["worst_rank"], color="#888888")
    ax.plot(areas["base_rank"], y, "o", color="#b30000", label=translate("base rank", code))
    ax.set_yticks(y, areas["code"].astype(str).tolist(), fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(translate("rank (best to worst seen as weights move)", code))
    ax.legend(loc="lower right")
    return _save_png(figure, path)


def _write_html(figure: go.Figure, path: str | Path) -> Path:
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)
    return Path(path)


def ranking_map_html(
    scored: gpd.GeoDataFrame, path: str | Path, *, title: str = "", locale: str | None = None
) -> Path:
    """Interactive map of areas by score, with code, rank, score and band on hover."""
    return _write_html(_ranking_plotly(scored, title, locale), path)


def _ranking_plotly(
    scored: gpd.GeoDataFrame, title: str = "", locale: str | None = None
) -> go.Figure:
    points = scored.geometry.representative_point()
    band = scored["lis_band"] if "lis_band" in scored else pd.Series([""] * len(scored))
    hover = [
        "<br>".join(
            (
                str(code),
                translate("rank {rank}", locale, rank=rank),
                translate("score {score}", locale, score=format_number(score, locale, 1)),
                translate("LIS band {band}", locale, band=_band_label(str(b), locale)),
            )
        )
        for code, rank, score, b in zip(
            scored["code"], scored["rank"], scored["score"], band, strict=True
        )
    ]
    figure = go.Figure(
        go.Scattergl(
            x=points.x,
            y=points.y,
            mode="markers",
            text=hover,
            hoverinfo="text",
            marker={
                "color": scored["score"],
                "colorscale": "Inferno",
                "reversescale": True,
                "size": 5,
                "colorbar": {"title": translate("score", locale)},
            },
        )
    )
    _layout(figure, scored, title or translate("Clearance priority", locale), locale)
    return figure


def _band_label(band: str, locale: str | None) -> str:
    return label("LisBand", band, locale=locale) if band in ("low", "medium", "high") else band


def grid_map_html(
    grid: gpd.GeoDataFrame,
    path: str | Path,
    *,
    column: str = "max_score",
    title: str = "",
    locale: str | None = None,
) -> Path:
    """Interactive H3 grid: cells in five quantile classes of ``column`` (filled shapes
    drawn as plain traces, which need no map tiles or topojson from the network)."""
    return _write_html(_grid_plotly(grid, column, title, locale), path)


def _grid_plotly(
    grid: gpd.GeoDataFrame, column: str, title: str = "", locale: str | None = None
) -> go.Figure:
    values = grid[column].to_numpy(dtype=np.float64)
    edges = np.unique(np.nanquantile(values, np.linspace(0, 1, 6))) if len(values) else [0.0]
    classes = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, max(len(edges) - 2, 0))
    palette = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
    figure = go.Figure()
    for k in np.unique(classes):
        members = grid.geometry.values[classes == k]
        xs, ys = _rings_with_gaps(members)
        low, high = edges[k], edges[min(k + 1, len(edges) - 1)]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                mode="lines",
                line={"width": 0.3, "color": "#555"},
                fillcolor=palette[int(k) % len(palette)],
                name=f"{format_number(low, locale, 3)} – {format_number(high, locale, 3)}",
                hoverinfo="name",
            )
        )
    _layout(figure, grid, title or translate("H3 grid: {column}", locale, column=column), locale)
    return figure


def _rings_with_gaps(polygons: np.ndarray) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in polygons:
        coords = np.asarray(polygon.exterior.coords)
        xs.extend([*coords[:, 0].tolist(), None])
        ys.extend([*coords[:, 1].tolist(), None])
    return xs, ys


def _layout(
    figure: go.Figure, frame: gpd.GeoDataFrame, title: str, locale: str | None = None
) -> None:
    figure.update_layout(
        title=title,
        template="plotly_white",
        height=750,
        xaxis={"title": translate("longitude", locale)},
        yaxis={
            "title": translate("latitude", locale),
            "scaleanchor": "x",
            "scaleratio": _aspect(frame),
        },
        **plotly_layout(locale),
    )
