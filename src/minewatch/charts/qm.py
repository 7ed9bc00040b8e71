"""Operating-characteristic (OC) curves of sampling plans, as PNG and interactive HTML.

An OC curve shows how likely a lot is to be accepted at each quality. Seeing normal,
tightened and reduced plans on one chart shows a donor or an authority what a
post-clearance inspection scheme (IMAS 09.20) can and cannot catch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from minewatch.analysis.sampling import SamplingPlan, acceptance_probability

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def plan_label(plan: SamplingPlan) -> str:
    """E.g. ``normal: n=80, Ac=2, Re=3``."""
    return (
        f"{plan.severity.value}: n={plan.sample_size}, Ac={plan.acceptance_number}, "
        f"Re={plan.rejection_number}"
    )


def oc_curves(plans: Sequence[SamplingPlan], max_percent: float | None = None) -> pd.DataFrame:
    """P(accept) against percent nonconforming for each plan.

    The result has one row per point, with columns ``plan``, ``percent_nonconforming`` and
    ``p_accept``. The x range runs to ``max_percent``. By default that is where the strictest
    plan's acceptance falls below 1 %, capped at 100.
    """
    if not plans:
        return pd.DataFrame(columns=["plan", "percent_nonconforming", "p_accept"])
    top = max_percent or _default_range(plans)
    percents = np.linspace(0.0, top, 201)
    lot_sizes = {p.lot_size for p in plans}
    if len(lot_sizes) == 1 and (lot := lot_sizes.pop()) is not None:
        # A lot holds a whole number of nonconforming units: plot at those exact qualities.
        percents = np.unique(np.rint(percents / 100.0 * lot)) / lot * 100.0
    frames = [
        pd.DataFrame(
            {
                "plan": plan_label(plan),
                "percent_nonconforming": percents,
                "p_accept": acceptance_probability(plan, percents / 100.0),
            }
        )
        for plan in plans
    ]
    return pd.concat(frames, ignore_index=True)


def _default_range(plans: Sequence[SamplingPlan]) -> float:
    grid = np.linspace(0.0, 1.0, 1001)
    reach = [grid[np.argmax(acceptance_probability(p, grid) < 0.01)] for p in plans]
    return float(min(100.0, max(1.0, 100.0 * max(reach))))


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
