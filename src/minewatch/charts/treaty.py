"""Treaty pictures: states parties over time, and a world map of status on a date.

Both come as a PNG (matplotlib, Agg) and as a self-contained interactive HTML page (plotly with
plotly.js embedded). The map is drawn from the shipped Natural Earth 1:110m boundaries
(public domain, ``minewatch/data/world``) as plain lon/lat polygons, so the HTML needs no map
tiles or topojson from the network; states too small for that scale are listed beside it.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from minewatch.charts.localise import number_ticks, plotly_layout, start_chart
from minewatch.domain.treaty import CountDefinition, Instrument, StatusKind
from minewatch.vocabulary import label, translate
from minewatch.vocabulary.formats import format_date

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch

#: Colours per status, ordered from most to least bound; "no status" for territories the
#: state list does not cover (e.g. Greenland, Western Sahara, Antarctica).
STATUS_COLOURS: dict[str, str] = {
    StatusKind.BOUND.value: "#1b7837",
    StatusKind.CONSENTED.value: "#7fbf7b",
    StatusKind.WITHDRAWAL_PENDING.value: "#f46d43",
    StatusKind.WITHDRAWN.value: "#a50026",
    StatusKind.SIGNED.value: "#fee08b",
    StatusKind.NOT_BOUND.value: "#d9d9d9",
    "no status (not in the state list)": "#ffffff",
}
NO_STATUS = "no status (not in the state list)"


def status_label(status: str, locale: str | None) -> str:
    """A status (or "no status") as the language says it."""
    if status == NO_STATUS:
        return translate("no status (not in the state list)", locale)
    return label("StatusKind", status, locale=locale)


def _row_status(row: object, locale: str | None) -> str:
    """A state's status label; one the data qualifies ("…, conditional") as written."""
    status, written = str(getattr(row, "status", "")), str(getattr(row, "label", ""))
    return status_label(status, locale) if written in (status, "") else written


# --- timeline ---


def _series_label(instrument: object, definition: object, locale: str | None = None) -> str:
    return (
        f"{label('Instrument', str(instrument), locale=locale)} "
        f"({label('CountDefinition', str(definition), locale=locale)})"
    )


def timeline_png(
    series: pd.DataFrame, path: str | Path, title: str = "", locale: str | None = None
) -> Path:
    """A step chart of the counts in ``series`` (see
    :func:`minewatch.services.treaty_tables.timeline_series`), in ``locale``."""
    code = start_chart(locale)
    fig, ax = plt.subplots(figsize=(10, 5), dpi=120)
    for (instrument, definition), group in series.groupby(["instrument", "definition"], sort=False):
        ax.step(
            group["date"],
            group["count"],
            where="post",
            label=_series_label(instrument, definition, code),
            linestyle="-" if definition == CountDefinition.IN_FORCE.value else "--",
        )
    ax.set_ylabel(translate("states parties", code))
    ax.set_title(title or translate("States parties over time", code))
    number_ticks(ax, code, "y", digits=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.text(
        0.01,
        0.01,
        translate("Source: UN Treaty Collection status pages; counts computed by minewatch.", code),
        fontsize=7,
        color="#555555",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    out = Path(path)
    fig.savefig(out, format="png")
    plt.close(fig)
    return out


def timeline_figure(series: pd.DataFrame, title: str = "", locale: str | None = None) -> go.Figure:
    """The same chart as an interactive plotly figure (for the web app to embed).

    Only the days on which a count changes are kept (plus the last), so the page stays small.
    """
    fig = go.Figure()
    for (instrument, definition), whole in series.groupby(["instrument", "definition"], sort=False):
        counts = whole["count"].to_numpy()
        keep = np.r_[True, counts[1:] != counts[:-1]]
        keep[-1] = True
        group = whole[keep]
        fig.add_trace(
            go.Scatter(
                x=group["date"],
                y=group["count"],
                mode="lines",
                line_shape="hv",
                name=_series_label(instrument, definition, locale),
                line={"dash": "solid" if definition == CountDefinition.IN_FORCE.value else "dash"},
            )
        )
    fig.update_layout(
        title=title or translate("States parties over time", locale),
        yaxis_title=translate("states parties", locale),
        hovermode="x unified",
        template="plotly_white",
        **plotly_layout(locale),
    )
    return fig


def write_html(fig: go.Figure, path: str | Path) -> Path:
    """A self-contained HTML page (plotly.js embedded, so it works offline)."""
    out = Path(path)
    fig.write_html(out, include_plotlyjs=True, full_html=True)
    return out


# --- map ---


def world() -> gpd.GeoDataFrame:
    """The shipped Natural Earth 1:110m countries (public domain)."""
    item = resources.files("minewatch.data") / "world" / "countries_110m.geojson"
    with resources.as_file(item) as path:
        return gpd.read_file(path)


def status_map_data(table: pd.DataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Countries joined to their status (``table``: one row per state with ``state``,
    ``iso3``, ``status`` and ``label``), and the states too small to be drawn."""
    countries = world().merge(table, on="iso3", how="left")
    countries["status"] = countries["status"].fillna(NO_STATUS)
    countries["label"] = countries["label"].fillna(NO_STATUS)
    countries["state"] = countries["state"].fillna(countries["name"])
    not_drawn = table[~table["iso3"].isin(set(countries["iso3"]))].sort_values(["status", "state"])
    return countries, not_drawn


def _title(
    instrument: Instrument,
    on: date,
    freshness: str = "",
    newline: str = "\n",
    locale: str | None = None,
) -> str:
    """The map's title; ``freshness`` (the data's "status as at" and any projection note,
    from the caller) on a second line."""
    title = translate(
        "{instrument}: status on {date}",
        locale,
        instrument=label("Instrument", instrument.value, locale=locale),
        date=format_date(on, locale, "long"),
    )
    return f"{title}{newline}{freshness}" if freshness else title


def _not_drawn_text(not_drawn: pd.DataFrame, per_line: int = 6, locale: str | None = None) -> str:
    lines = []
    for status, group in not_drawn.groupby("status", sort=False):
        names = list(group["state"])
        chunks = [", ".join(names[i : i + per_line]) for i in range(0, len(names), per_line)]
        lines.append(
            f"{status_label(str(status), locale)} ({len(names)}): " + ";\n    ".join(chunks)
        )
    if not lines:
        return ""
    return translate("Not drawn at this scale - {states}", locale, states="\n".join(lines))


def status_map_png(
    table: pd.DataFrame,
    instrument: Instrument,
    on: date,
    path: str | Path,
    freshness: str = "",
    locale: str | None = None,
) -> Path:
    """The status map of ``table`` (the states' status on ``on``, see
    :func:`status_map_data`) as a PNG, with the undrawn small states listed underneath."""
    code = start_chart(locale)
    countries, not_drawn = status_map_data(table)
    fig, ax = plt.subplots(figsize=(12, 7.5), dpi=110)
    colours = countries["status"].map(STATUS_COLOURS)
    countries.plot(ax=ax, color=colours, edgecolor="#777777", linewidth=0.3)
    ax.set_axis_off()
    ax.set_title(_title(instrument, on, freshness, locale=code), fontsize=10 if freshness else None)
    present = [
        s for s in STATUS_COLOURS if s in set(countries["status"]) | set(not_drawn["status"])
    ]
    ax.legend(
        handles=[
            Patch(facecolor=STATUS_COLOURS[s], edgecolor="#777777", label=status_label(s, code))
            for s in present
        ],
        loc="lower left",
        fontsize=8,
        frameon=False,
    )
    note = _not_drawn_text(not_drawn, per_line=8, locale=code)
    sources = translate(
        "Sources: UN Treaty Collection status pages; boundaries Natural Earth (public domain).",
        code,
    )
    fig.text(
        0.01,
        0.01,
        note + "\n" + sources,
        fontsize=6,
        va="bottom",
        wrap=True,
    )
    fig.tight_layout(rect=(0, 0.16, 1, 0.94 if freshness else 0.97))
    out = Path(path)
    fig.savefig(out, format="png")
    plt.close(fig)
    return out


def _outline(geometry: shapely.Geometry) -> tuple[list[float | None], list[float | None]]:
    """Exterior rings of a (multi)polygon as x/y lists separated by None (plotly's convention)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for part in shapely.get_parts(geometry):
        coords = shapely.get_coordinates(shapely.get_exterior_ring(part))
        xs += [*coords[:, 0].tolist(), None]
        ys += [*coords[:, 1].tolist(), None]
    return xs, ys


def status_map_figure(
    table: pd.DataFrame,
    instrument: Instrument,
    on: date,
    freshness: str = "",
    locale: str | None = None,
) -> go.Figure:
    """The status map of ``table`` as plotly polygons on lon/lat axes: no basemap to fetch,
    works offline."""
    countries, not_drawn = status_map_data(table)
    fig = go.Figure()
    for status in STATUS_COLOURS:
        group = countries[countries["status"] == status]
        if group.empty:
            continue
        first = True
        for row in group.itertuples():
            xs, ys = _outline(row.geometry)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    fill="toself",
                    fillcolor=STATUS_COLOURS[status],
                    mode="lines",
                    line={"color": "#777777", "width": 0.5},
                    hoveron="fills",
                    name=status_label(status, locale),
                    legendgroup=status,
                    showlegend=first,
                    text=f"{row.state}: {_row_status(row, locale)}",
                    hoverinfo="text",
                )
            )
            first = False
    note = _not_drawn_text(not_drawn, locale=locale).replace("\n", "<br>")
    sources = translate(
        "Sources: UN Treaty Collection status pages; boundaries Natural Earth (public domain).",
        locale,
    )
    fig.update_layout(
        **plotly_layout(locale),
        title=_title(instrument, on, freshness, "<br><sup>", locale)
        + ("</sup>" if freshness else ""),
        template="plotly_white",
        xaxis={"visible": False, "range": [-180, 180]},
        yaxis={"visible": False, "range": [-60, 85], "scaleanchor": "x"},
        margin={"l": 10, "r": 10, "t": 50, "b": 140},
        annotations=[
            {
                "text": note + "<br>" + sources,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.02,
                "showarrow": False,
                "align": "left",
                "yanchor": "top",
                "font": {"size": 9},
            }
        ],
    )
    return fig


def status_counts(countries: gpd.GeoDataFrame) -> dict[str, int]:
    """How many drawn countries fall in each status (used by tests and captions)."""
    values, counts = np.unique(countries["status"].to_numpy(dtype=str), return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))
