"""The land release report as files: CSV tables, one JSON document, PNG charts (matplotlib,
Agg) and one self-contained interactive HTML page (plotly with plotly.js embedded, so it
opens offline).

Every number written comes from the tables of
:func:`minewatch.analysis.release_report.release_report_tables` (the services build them),
themselves sums of the accounting's pieces, so the report's totals equal the accounting's; the
JSON carries those totals beside the tables so a reader can check.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from minewatch.analysis.landrelease import RELEASE_CATEGORIES, LandReleaseAccounting
from minewatch.analysis.release_report import report_document, with_total
from minewatch.charts.localise import number_ticks, plotly_layout, start_chart
from minewatch.vocabulary import translate

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from minewatch.domain.cells import safe_frame

#: One colour per way of releasing land (colour-blind safe, Okabe–Ito).
CATEGORY_COLOURS: dict[str, str] = {
    "cancelled": "#E69F00",
    "reduced": "#56B4E9",
    "cleared": "#009E73",
    "remaining": "#999999",
}
TITLES: dict[str, str] = {
    "by_year": "Land released by year",
    "by_organisation": "Land released by organisation",
    "by_region": "Land released by region",
    "by_method": "Land released by activity and method",
    "balance_by_region": "Land release balance by region",
    "monthly": "Release progress by month",
}
BAR_TABLES = ("by_year", "by_organisation", "by_region", "by_method")
#: Each way of releasing land as the legends name it (English; translated by the catalogues).
CATEGORY_NAMES: dict[str, str] = {
    "cancelled": "Cancelled (non-technical survey)",
    "reduced": "Reduced (technical survey)",
    "cleared": "Cleared",
    "remaining": "Remaining",
}


def _label(index: pd.Index) -> list[str]:
    if isinstance(index, pd.MultiIndex):
        return [" / ".join(map(str, key)) for key in index]
    return [str(key) for key in index]


def _bar_png(table: pd.DataFrame, title: str, path: Path, locale: str | None = None) -> None:
    code = start_chart(locale)
    labels = _label(table.index)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.5 * len(labels) + 3), 4.5))
    bottom = np.zeros(len(labels))
    for category in RELEASE_CATEGORIES:
        values = table[f"{category}_m2"].to_numpy() / 1e4
        name = translate(CATEGORY_NAMES[category], code)
        ax.bar(labels, values, bottom=bottom, label=name, color=CATEGORY_COLOURS[category])
        bottom += values
    ax.set_ylabel(translate("hectares", code))
    number_ticks(ax, code, "y")
    ax.set_title(translate(title, code))
    ax.legend()
    ax.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _monthly_png(series: pd.DataFrame, path: Path, locale: str | None = None) -> None:
    code = start_chart(locale)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    months = pd.PeriodIndex(series.index, freq="M").to_timestamp().to_numpy()
    released = translate("released (cumulative)", code)
    ax.plot(months, series["cumulative_m2"] / 1e4, label=released, color="#009E73")
    remaining = translate(CATEGORY_NAMES["remaining"], code)
    ax.plot(months, series["remaining_m2"] / 1e4, label=remaining, color="#999999")
    ax.set_ylabel(translate("hectares", code))
    number_ticks(ax, code, "y")
    ax.set_title(translate(TITLES["monthly"], code))
    ax.legend()
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _html(tables: dict[str, pd.DataFrame], path: Path, locale: str | None = None) -> None:
    names = [*BAR_TABLES, "monthly"]
    fig = make_subplots(
        rows=len(names), cols=1, subplot_titles=[translate(TITLES[n], locale) for n in names]
    )
    for row, name in enumerate(names, start=1):
        table = tables[name]
        if name == "monthly":
            for column, label in (
                ("cumulative_m2", translate("released (cumulative)", locale)),
                ("remaining_m2", translate(CATEGORY_NAMES["remaining"], locale)),
            ):
                fig.add_trace(
                    go.Scatter(
                        x=list(table.index), y=table[column] / 1e4, name=label, mode="lines"
                    ),
                    row=row,
                    col=1,
                )
            continue
        for category in RELEASE_CATEGORIES:
            fig.add_trace(
                go.Bar(
                    x=_label(table.index),
                    y=table[f"{category}_m2"] / 1e4,
                    name=translate(CATEGORY_NAMES[category], locale),
                    marker_color=CATEGORY_COLOURS[category],
                    legendgroup=category,
                    showlegend=row == 1,
                ),
                row=row,
                col=1,
            )
        fig.update_yaxes(title_text=translate("hectares", locale), row=row, col=1)
    fig.update_layout(
        barmode="stack",
        height=380 * len(names),
        title=translate("Land release report", locale),
        **plotly_layout(locale),
    )
    fig.write_html(path, include_plotlyjs=True, full_html=True)


def write_release_report(
    accounting: LandReleaseAccounting,
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    *,
    formats: tuple[str, ...] = ("csv", "json", "png", "html"),
    locale: str | None = None,
) -> list[Path]:
    """Write the land release report (the accounting and its report ``tables``) into
    ``out_dir``; returns the files written. Charts are in ``locale``; the CSV and JSON keep
    the codes and column names other programs read.

    ``csv``: one file per table, each with a ``total`` row; ``json``:
    ``land-release.json``; ``png``: one chart per release table and the monthly series;
    ``html``: ``land-release.html`` with every chart, interactive and offline.

    >>> import geopandas as gpd, shapely
    >>> from minewatch.analysis.landrelease import account_land_release
    >>> from minewatch.analysis.release_report import release_report_tables
    >>> areas = gpd.GeoDataFrame({"code": ["HA-1"]},
    ...                          geometry=[shapely.box(30, 0, 30.001, 0.001)], crs=4326)
    >>> products = gpd.GeoDataFrame({
    ...     "code": ["RP-1"], "product_type": ["cleared"], "hazardous_area_code": ["HA-1"],
    ...     "release_date": ["2024-03-05"]},
    ...     geometry=[shapely.box(30, 0, 30.0005, 0.001)], crs=4326)
    >>> acc = account_land_release(areas, products, area_tolerance_fraction=0.05)
    >>> files = write_release_report(acc, release_report_tables(acc), tmp / "report",
    ...                              formats=("csv", "json"))
    >>> [f.name for f in files]
    ['land-release-by-year.csv', 'land-release-by-organisation.csv', ..., 'land-release.json']
    >>> print((tmp / "report" / "land-release-by-year.csv").read_text())
    year,cancelled_m2,reduced_m2,cleared_m2,released_m2
    2024,0.0,0.0,6154.536...,6154.536...
    total,0.0,0.0,6154.536...,6154.536...
    <BLANKLINE>
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if "csv" in formats:
        for name, table in tables.items():
            path = out_dir / f"land-release-{name.replace('_', '-')}.csv"
            safe_frame(with_total(table)).to_csv(path, index=False)
            written.append(path)
        path = out_dir / "land-release-issues.csv"
        safe_frame(accounting.issues).to_csv(path, index=False)
        written.append(path)
    if "json" in formats:
        path = out_dir / "land-release.json"
        path.write_text(json.dumps(report_document(accounting, tables), indent=2, default=str))
        written.append(path)
    if "png" in formats:
        for name in BAR_TABLES:
            path = out_dir / f"land-release-{name.replace('_', '-')}.png"
            _bar_png(tables[name], TITLES[name], path, locale)
            written.append(path)
        path = out_dir / "land-release-monthly.png"
        _monthly_png(tables["monthly"], path, locale)
        written.append(path)
    if "html" in formats:
        path = out_dir / "land-release.html"
        _html(tables, path, locale)
        written.append(path)
    return written
