"""Operating-characteristic (OC) curves of sampling plans, as PNG and interactive HTML.

An OC curve shows how likely a lot is to be accepted at each quality. Seeing normal,
tightened and reduced plans on one chart shows a donor or an authority what a
post-clearance inspection scheme (IMAS 09.20) can and cannot catch. The curves themselves
come from :func:`minewatch.services.qm.oc_curves`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import plotly.graph_objects as go

from minewatch.charts.localise import number_ticks, plotly_layout, start_chart
from minewatch.vocabulary import translate

matplotlib.use("Agg")
import matplotlib.pyplot as plt

X_TITLE = "lot quality: % nonconforming units"
Y_TITLE = "probability the lot is accepted"


def oc_png(
    curves: pd.DataFrame, path: str | Path, title: str = "", locale: str | None = None
) -> Path:
    """The curves as a PNG (matplotlib, Agg), in ``locale``."""
    code = start_chart(locale)
    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    for label, group in curves.groupby("plan", sort=False):
        ax.plot(group["percent_nonconforming"], group["p_accept"], label=str(label))
    ax.set_xlabel(translate(X_TITLE, code))
    ax.set_ylabel(translate(Y_TITLE, code))
    ax.set_ylim(0, 1.02)
    number_ticks(ax, code, "xy")
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(title or translate("Operating characteristic", code))
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def oc_figure(curves: pd.DataFrame, title: str = "", locale: str | None = None) -> go.Figure:
    """The curves as an interactive plotly figure, in ``locale``."""
    fig = go.Figure()
    hover = translate("{x} % nonconforming: P(accept) {y}", locale, x="%{x:.2f}", y="%{y:.3f}")
    for label, group in curves.groupby("plan", sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["percent_nonconforming"],
                y=group["p_accept"],
                mode="lines",
                name=str(label),
                hovertemplate=hover + "<extra></extra>",
            )
        )
    fig.update_layout(
        title=title or translate("Operating characteristic", locale),
        xaxis_title=translate(X_TITLE, locale),
        yaxis_title=translate(Y_TITLE, locale),
        yaxis_range=[0, 1.02],
        **plotly_layout(locale),
    )
    return fig


def write_html(fig: go.Figure, path: str | Path) -> Path:
    """A self-contained HTML page (plotly.js embedded, works offline)."""
    out = Path(path)
    fig.write_html(out, include_plotlyjs=True, full_html=True)
    return out
