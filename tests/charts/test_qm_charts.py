"""OC-curve charts: data, PNG and offline HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.analysis.sampling import single_sampling_plan
from minewatch.cli import _register_commands, app
from minewatch.services import qm as qm_service


def test_oc_curves_start_at_one_and_fall() -> None:
    plans = [single_sampling_plan(1200, "II", 1.0, s) for s in ("normal", "tightened")]
    curves = qm_service.oc_curves(plans)
    assert set(curves["plan"]) == {"normal: n=80, Ac=2, Re=3", "tightened: n=80, Ac=1, Re=2"}
    for _, group in curves.groupby("plan"):
        p = group["p_accept"].to_numpy()
        assert p[0] == pytest.approx(1.0)
        assert (p[1:] <= p[:-1] + 1e-12).all()
        assert p[-1] < 0.02


def test_png_and_html_are_written(tmp_path: Path) -> None:
    _register_commands()
    png, html = tmp_path / "oc.png", tmp_path / "oc.html"
    result = CliRunner().invoke(
        app,
        ["qm", "oc-curve", "--lot-size", "1200", "--aql", "1.0", "--png", str(png),
         "--html", str(html)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = html.read_text()
    assert "reduced: n=32, Ac=1, Re=2" in page
    assert "cdn.plot.ly" not in page.split("<body>")[0]  # plotly.js embedded, works offline
