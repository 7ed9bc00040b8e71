"""Release statements and their HTML/PDF certificates (synthetic records)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from minewatch.analysis.release_statement import (
    ReleaseFigures,
    ResidualSearch,
    build_release_statement,
)
from minewatch.analysis.zero_find import zero_find_gamma_posterior, zero_find_poisson
from minewatch.charts import release_certificate
from minewatch.config import load_config
from minewatch.domain.records import (
    ActivityType,
    DeviceFind,
    Evidence,
    EvidenceSource,
    EvidenceType,
    HazardousArea,
    LandReleaseActivity,
    NonConformity,
    OrdnanceCategory,
    ProductType,
    QualityManagementVisit,
    ReleaseProduct,
    Severity,
)
from minewatch.errors import InvalidInput

CFG = load_config().classification
AREA = HazardousArea(
    code="HA-0001",
    name="North field <script>alert(1)</script>",  # synthetic; also checks escaping
    evidence=(Evidence(type=EvidenceType.EO_SEEN, source=EvidenceSource.SEEN),),
)
FIGURES = ReleaseFigures(10_000, 2_000, 3_000, 5_000, 0)
SEARCH = ResidualSearch("post-clearance sample, nothing found", 0.45, 0.9)


def statement(**kwargs):
    defaults = dict(
        activities=[
            LandReleaseActivity(code="LRA-1", activity_type=ActivityType.CLEARANCE,
                                hazardous_area_code="HA-0001", start_date=date(2026, 4, 1))
        ],
        products=[
            ReleaseProduct(code="RP-1", product_type=ProductType.CLEARED,
                           hazardous_area_code="HA-0001", reported_area_m2=5000)
        ],
        finds=[
            DeviceFind(code="DF-1", category=OrdnanceCategory.AP_MINE, quantity=3,
                       hazardous_area_code="HA-0001"),
            DeviceFind(code="DF-2", category=OrdnanceCategory.UXO, hazardous_area_code="HA-0001"),
        ],
        visits=[
            QualityManagementVisit(code="QM-1", non_conformities=(
                NonConformity(severity=Severity.MINOR, description="marking"),
                NonConformity(severity=Severity.MAJOR, description="lane width"),
            ))
        ],
        residual_search=SEARCH,
        classification_config=CFG,
        issued_on=date(2026, 11, 24),
    )  # fmt: skip
    return build_release_statement(AREA, FIGURES, **(defaults | kwargs))


def test_statement_gathers_the_records_and_the_residual_figure() -> None:
    s = statement()
    assert s.finds_by_category == {"ap_mine": 3, "uxo": 1}
    assert s.non_conformities_by_severity == {"major": 1, "minor": 1}
    assert s.classification.hazard_class.value == "CHA"
    assert s.residual.items_upper == pytest.approx(zero_find_poisson(0.45, 0.9, 0.95).items_upper)
    assert "10,000 m² released" in s.summary and "4 item(s) found" in s.summary
    assert f"≤ {s.residual.items_upper:.2f}" in s.summary


def test_bayesian_residual_figure_when_a_prior_is_stated() -> None:
    search = ResidualSearch("QC sample", 0.45, 0.9, prior_shape=1.0, prior_rate=0.5)
    s = statement(residual_search=search)
    expected = zero_find_gamma_posterior(0.45, 0.9, 0.95, 1.0, 0.5).items_upper
    assert s.residual.model == "gamma-poisson" and s.residual.items_upper == expected


def test_no_residual_figure_without_a_named_search() -> None:
    s = statement(residual_search=None)
    assert s.residual is None and "No residual-risk figure" in s.summary


def test_figures_must_add_up() -> None:
    with pytest.raises(InvalidInput, match="do not add up"):
        ReleaseFigures(10_000, 2_000, 3_000, 5_000, 1)


def test_records_of_another_area_are_refused() -> None:
    other = ReleaseProduct(code="RP-9", hazardous_area_code="HA-0002")
    with pytest.raises(InvalidInput, match="RP-9 belongs to HA-0002"):
        statement(products=[other])


def test_html_certificate_is_escaped_and_complete(tmp_path: Path) -> None:
    page = release_certificate.write_html(statement(), tmp_path / "c.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    for text in ("Release statement: HA-0001", "10,000", "LRA-1", "RP-1", "ap_mine", "QM-1",
                 "Residual risk", "post-clearance sample"):  # fmt: skip
        assert text in page


@pytest.mark.parametrize("unicode_font", [True, False])
def test_pdf_certificate(tmp_path: Path, monkeypatch, unicode_font: bool) -> None:
    if not unicode_font:
        monkeypatch.setattr(release_certificate, "_DEJAVU", tmp_path / "missing.ttf")
    out = release_certificate.write_pdf(statement(), tmp_path / "c.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
