"""Decay curves of a strike's residual hazard, with their credible intervals.

Two panels over days since emplacement: the expected number of live mines (with the credible
band of the expected count and, from a Monte Carlo run, the predictive band of the count
itself) and the probability that at least one mine is live (with its credible band and, when
given, the programme's threshold). PNG through matplotlib (Agg) and a self-contained HTML page
through plotly with plotly.js embedded, so it opens offline.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from minewatch.analysis.residual.results import DecayCurve
from minewatch.errors import InvalidInput

matplotlib.use("Agg")
import matplotlib.pyplot as plt

LIVE_COLOUR = "#b2182b"
ANY_COLOUR = "#2166ac"


def _title(curve: DecayCurve, title: str | None) -> str:
    return title or f"Residual hazard of {curve.mines} remotely delivered mines ({curve.method})"


def decay_png(
    curve: DecayCurve, path: Path, *, threshold: float | None = None, title: str | None = None
) -> Path:
    """Write the two-panel decay chart as a PNG."""
    pct = f"{curve.level:.0%}"
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    top.fill_between(
        curve.times,
        curve.expected_live_lower,
        curve.expected_live_upper,
        color=LIVE_COLOUR,
        alpha=0.2,
        label=f"{pct} credible interval of the expected count",
    )
    if curve.live_count_lower is not None and curve.live_count_upper is not None:
        top.plot(
            curve.times,
            curve.live_count_upper,
            ":",
            color=LIVE_COLOUR,
            lw=1,
            label=f"{pct} predictive interval of the count",
        )
        top.plot(curve.times, curve.live_count_lower, ":", color=LIVE_COLOUR, lw=1)
    top.plot(curve.times, curve.expected_live, color=LIVE_COLOUR, lw=2, label="expected live mines")
    top.set_yscale("symlog", linthresh=1.0)
    top.set_ylabel("live mines")
    top.legend(loc="upper right", fontsize=8)
    bottom.fill_between(
        curve.times,
        curve.prob_any_live_lower,
        curve.prob_any_live_upper,
        color=ANY_COLOUR,
        alpha=0.2,
        label=f"{pct} credible interval",
    )
    bottom.plot(
        curve.times, curve.prob_any_live, color=ANY_COLOUR, lw=2, label="P(at least one live mine)"
    )
    if threshold is not None:
        bottom.axhline(threshold, color="black", ls="--", lw=1, label=f"threshold {threshold:g}")
    bottom.set_ylim(-0.02, 1.02)
    bottom.set_ylabel("probability")
    bottom.set_xlabel("days since emplacement")
    bottom.legend(loc="upper right", fontsize=8)
    fig.suptitle(_title(curve, title))
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
    curve: DecayCurve, path: Path, *, threshold: float | None = None, title: str | None = None
) -> Path:
    """Write the two-panel decay chart as a self-contained interactive HTML page."""
    pct = f"{curve.level:.0%}"
    x = curve.times.tolist()
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=("Live mines", "P(at least one live mine)"),
    )
    _band(
        fig,
        x,
        curve.expected_live_lower.tolist(),
        curve.expected_live_upper.tolist(),
        LIVE_COLOUR,
        f"{pct} credible interval of the expected count",
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
                    name=f"{pct} predictive interval of the count",
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
            name="expected live mines",
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
        f"{pct} credible interval",
        2,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=curve.prob_any_live.tolist(),
            mode="lines",
            line={"color": ANY_COLOUR, "width": 2},
            name="P(at least one live mine)",
        ),
        row=2,
        col=1,
    )
    if threshold is not None:
        fig.add_hline(
            y=threshold, line_dash="dash", row=2, col=1, annotation_text=f"threshold {threshold:g}"
        )
    fig.update_xaxes(title_text="days since emplacement", row=2, col=1)
    fig.update_yaxes(title_text="live mines", row=1, col=1)
    fig.update_yaxes(title_text="probability", range=[0, 1.02], row=2, col=1)
    fig.update_layout(title=_title(curve, title), template="plotly_white", height=700)
    path = Path(path)
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path


def write_decay_chart(
    curve: DecayCurve, path: Path, *, threshold: float | None = None, title: str | None = None
) -> Path:
    """Write the chart as PNG or HTML, chosen by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return decay_png(curve, path, threshold=threshold, title=title)
    if suffix in (".html", ".htm"):
        return decay_html(curve, path, threshold=threshold, title=title)
    raise InvalidInput(f"charts are written as .png or .html, not {suffix or 'no suffix'}")
