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

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def oc_png(curves: pd.DataFrame, path: str | Path, title: str = "") -> Path:
    """The curves as a PNG (matplotlib, Agg)."""
    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    for label, group in curves.groupby("plan", sort=False):
        ax.plot(group["percent_nonconforming"], group["p_accept"], label=str(label))
    ax.set_xlabel("lot quality: % nonconforming units")
    ax.set_ylabel("probability the lot is accepted")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(title or "Operating characteristic")
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def oc_figure(curves: pd.DataFrame, title: str = "") -> go.Figure:
    """The curves as an interactive plotly figure."""
    fig = go.Figure()
    for label, group in curves.groupby("plan", sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["percent_nonconforming"],
                y=group["p_accept"],
                mode="lines",
                name=str(label),
                hovertemplate="%{x:.2f} % nonconforming: P(accept) %{y:.3f}<extra></extra>",
            )
        )
    fig.update_layout(
        title=title or "Operating characteristic",
        xaxis_title="lot quality: % nonconforming units",
        yaxis_title="probability the lot is accepted",
        yaxis_range=[0, 1.02],
    )
    return fig


def write_html(fig: go.Figure, path: str | Path) -> Path:
    """A self-contained HTML page (plotly.js embedded, works offline)."""
    out = Path(path)
    fig.write_html(out, include_plotlyjs=True, full_html=True)
    return out
