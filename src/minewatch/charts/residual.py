"""Decay curves of a strike's residual hazard, with their credible intervals.

Two panels over days since emplacement: the expected number of live mines (with the credible
band of the expected count and, from a Monte Carlo run, the predictive band of the count
itself) and the probability that at least one mine is live (with its credible band and, when
given, the programme's threshold). PNG through matplotlib (Agg) and a self-contained HTML page
through plotly with plotly.js embedded, so it opens offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from minewatch.analysis.residual.results import DecayCurve
from minewatch.charts.localise import number_ticks, plotly_layout, start_chart
from minewatch.errors import InvalidInput
from minewatch.vocabulary import normalise_locale, translate
from minewatch.vocabulary.formats import format_number

matplotlib.use("Agg")
import matplotlib.pyplot as plt

LIVE_COLOUR = "#b2182b"
ANY_COLOUR = "#2166ac"


def _words(curve: DecayCurve, locale: str | None, threshold: float | None) -> dict[str, str]:
    """Every word of the chart in ``locale``."""
    from babel.numbers import format_percent

    code = normalise_locale(locale)
    pct = format_percent(curve.level, locale=code)

    def t(message: str, **values: Any) -> str:
        return translate(message, code, **values)

    return {
        "title": t(
            "Residual hazard of {count} remotely delivered mines ({method})",
            count=format_number(curve.mines, code, 0),
            method=curve.method,
        ),
        "credible_count": t("{percent} credible interval of the expected count", percent=pct),
        "predictive": t("{percent} predictive interval of the count", percent=pct),
        "credible": t("{percent} credible interval", percent=pct),
        "expected": t("expected live mines"),
        "live": t("live mines"),
        "any": t("P(at least one live mine)"),
        "probability": t("probability"),
        "days": t("days since emplacement"),
        "threshold": t("threshold {value}", value=format_number(threshold, code, 4)),
    }


def decay_png(
    curve: DecayCurve,
    path: Path,
    *,
    threshold: float | None = None,
    title: str | None = None,
    locale: str | None = None,
) -> Path:
    """Write the two-panel decay chart as a PNG, in ``locale``."""
    code = start_chart(locale)
    words = _words(curve, code, threshold)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    top.fill_between(
        curve.times,
        curve.expected_live_lower,
        curve.expected_live_upper,
        color=LIVE_COLOUR,
        alpha=0.2,
        label=words["credible_count"],
    )
    if curve.live_count_lower is not None and curve.live_count_upper is not None:
        top.plot(
            curve.times,
            curve.live_count_upper,
            ":",
            color=LIVE_COLOUR,
            lw=1,
            label=words["predictive"],
        )
        top.plot(curve.times, curve.live_count_lower, ":", color=LIVE_COLOUR, lw=1)
    top.plot(curve.times, curve.expected_live, color=LIVE_COLOUR, lw=2, label=words["expected"])
    top.set_yscale("symlog", linthresh=1.0)
    top.set_ylabel(words["live"])
    top.legend(loc="upper right", fontsize=8)
    bottom.fill_between(
        curve.times,
        curve.prob_any_live_lower,
        curve.prob_any_live_upper,
        color=ANY_COLOUR,
        alpha=0.2,
        label=words["credible"],
    )
    bottom.plot(curve.times, curve.prob_any_live, color=ANY_COLOUR, lw=2, label=words["any"])
    if threshold is not None:
        bottom.axhline(threshold, color="black", ls="--", lw=1, label=words["threshold"])
    bottom.set_ylim(-0.02, 1.02)
    bottom.set_ylabel(words["probability"])
    bottom.set_xlabel(words["days"])
    number_ticks(bottom, code, "xy")
    bottom.legend(loc="upper right", fontsize=8)
    fig.suptitle(title or words["title"])
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _band(
    fig: go.Figure,
    x: list[float],
    lo: list[float],
    hi: list[float],
    colour: str,
    name: str,
    row: int,
) -> None:
    fig.add_trace(
        go.Scatter(
            x=x + x[::-1],
            y=hi + lo[::-1],
            fill="toself",
            fillcolor=colour,
            opacity=0.2,
            line={"width": 0},
            name=name,
            hoverinfo="skip",
        ),
        row=row,
        col=1,
    )


def decay_html(
    curve: DecayCurve,
    path: Path,
    *,
    threshold: float | None = None,
    title: str | None = None,
    locale: str | None = None,
) -> Path:
    """Write the two-panel decay chart as a self-contained interactive HTML page."""
    words = _words(curve, locale, threshold)
    x = curve.times.tolist()
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=(words["live"], words["any"]),
    )
    _band(
        fig,
        x,
        curve.expected_live_lower.tolist(),
        curve.expected_live_upper.tolist(),
        LIVE_COLOUR,
        words["credible_count"],
        1,
    )
    if curve.live_count_lower is not None and curve.live_count_upper is not None:
        for bound in (curve.live_count_lower, curve.live_count_upper):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=bound.tolist(),
                    mode="lines",
                    line={"dash": "dot", "color": LIVE_COLOUR, "width": 1},
                    name=words["predictive"],
                ),
                row=1,
                col=1,
            )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=curve.expected_live.tolist(),
            mode="lines",
            line={"color": LIVE_COLOUR, "width": 2},
            name=words["expected"],
        ),
        row=1,
        col=1,
    )
    _band(
        fig,
        x,
        curve.prob_any_live_lower.tolist(),
        curve.prob_any_live_upper.tolist(),
        ANY_COLOUR,
        words["credible"],
        2,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=curve.prob_any_live.tolist(),
            mode="lines",
            line={"color": ANY_COLOUR, "width": 2},
            name=words["any"],
        ),
        row=2,
        col=1,
    )
    if threshold is not None:
        fig.add_hline(
            y=threshold, line_dash="dash", row=2, col=1, annotation_text=words["threshold"]
        )
    fig.update_xaxes(title_text=words["days"], row=2, col=1)
    fig.update_yaxes(title_text=words["live"], row=1, col=1)
    fig.update_yaxes(title_text=words["probability"], range=[0, 1.02], row=2, col=1)
    fig.update_layout(
        title=title or words["title"], template="plotly_white", height=700, **plotly_layout(locale)
    )
    path = Path(path)
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path


def write_decay_chart(
    curve: DecayCurve,
    path: Path,
    *,
    threshold: float | None = None,
    title: str | None = None,
    locale: str | None = None,
) -> Path:
    """Write the chart as PNG or HTML, chosen by the file's suffix, in ``locale``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return decay_png(curve, path, threshold=threshold, title=title, locale=locale)
    if suffix in (".html", ".htm"):
        return decay_html(curve, path, threshold=threshold, title=title, locale=locale)
    raise InvalidInput(f"charts are written as .png or .html, not {suffix or 'no suffix'}")
