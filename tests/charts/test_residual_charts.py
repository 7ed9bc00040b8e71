"""Decay charts are written as PNG and offline HTML (synthetic design)."""

from __future__ import annotations

from pathlib import Path

import pytest

from minewatch.analysis.residual.curves import decay_curve
from minewatch.analysis.residual.design import BetaBelief, FixedTime, Mechanism, MineDesign, Strike
from minewatch.analysis.residual.monte_carlo import simulate
from minewatch.charts.residual import write_decay_chart
from minewatch.errors import InvalidInput

DESIGN = MineDesign(
    Mechanism(BetaBelief(2, 38), FixedTime(1)), Mechanism(BetaBelief(1, 99), FixedTime(120))
)


def test_png_and_html(tmp_path: Path) -> None:
    curve = decay_curve(Strike(100, DESIGN), [0, 1, 60, 130])
    png = write_decay_chart(curve, tmp_path / "a.png", threshold=0.01)
    assert png.read_bytes()[:4] == b"\x89PNG"
    mc = simulate(Strike(100, DESIGN), [0, 1, 60, 130], draws=300).curve
    html = write_decay_chart(mc, tmp_path / "a.html").read_text()
    assert "predictive interval" in html and len(html) > 1_000_000  # plotly.js embedded
    assert 'src="https://cdn.plot.ly' not in html
    with pytest.raises(InvalidInput):
        write_decay_chart(curve, tmp_path / "a.svg")
