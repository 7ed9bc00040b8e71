"""Technical Annex para. 3(a) thresholds, including the exact boundaries. Designs are synthetic."""

from __future__ import annotations

from fractions import Fraction

import pytest
from scipy import stats

from minewatch.analysis.residual.design import (
    BetaBelief,
    FixedTime,
    KnownProbability,
    LotDefect,
    Mechanism,
    MineDesign,
    UniformTime,
    hours,
)
from minewatch.analysis.residual.law import ANNEX_3A_TEXT, annex_gap, check_annex_3a
from minewatch.errors import InvalidInput


def known(p_sd: float, p_sda: float | None, sd_days: float = hours(40), sda_days: float = 100):
    sda = (
        Mechanism.absent()
        if p_sda is None
        else Mechanism(KnownProbability(p_sda), FixedTime(sda_days))
    )
    return MineDesign(Mechanism(KnownProbability(p_sd), FixedTime(sd_days)), sda)


def test_the_quoted_text_is_the_treaty_text() -> None:
    assert (
        "no more than 10% of activated mines will fail to self-destruct within 30 days"
        in ANNEX_3A_TEXT
    )
    assert (
        "no more than one in one thousand activated mines will function as a mine 120 days"
        in ANNEX_3A_TEXT
    )


@pytest.mark.parametrize(
    ("rate", "complies"),
    [(0.1, True), (0.09999999, True), (0.10000001, False), (0.1000000000001, False), (0.0, True)],
)
def test_self_destruct_ceiling_boundary(rate: float, complies: bool) -> None:
    assert annex_gap(rate).complies is complies
    assert check_annex_3a(known(rate, 0.0)).self_destruct.compliant is complies


def test_exactly_one_in_a_thousand_complies_and_just_over_does_not() -> None:
    at = check_annex_3a(known(0.1, 0.01))  # 0.1 × 0.01 is 0.0010000000000000002 in floats
    assert at.combined.exact == Fraction(1, 1000) and at.combined.compliant and at.compliant
    over = check_annex_3a(known(0.1, 0.0100001))
    assert not over.combined.compliant and over.self_destruct.compliant and not over.compliant
    assert annex_gap(0.001, "combined").complies and not annex_gap(0.0010001, "combined").complies


def test_late_or_slow_self_destruct_counts_as_failing_within_30_days() -> None:
    late = check_annex_3a(known(0.0, 0.0, sd_days=31))
    assert late.self_destruct.exact == 1 and not late.self_destruct.compliant
    assert late.combined.compliant  # the SDA at day 100 still deactivates everything
    spread = MineDesign(Mechanism(KnownProbability(0.0), UniformTime(0, 60)), Mechanism.absent())
    assert check_annex_3a(spread).self_destruct.exact == Fraction(1, 2)
    edge = MineDesign(Mechanism(KnownProbability(0.0), UniformTime(20, 40)), Mechanism.absent())
    assert check_annex_3a(edge).self_destruct.exact == Fraction(1, 2)


def test_no_self_deactivation_fails_the_combined_clause_unless_self_destruct_is_perfect() -> None:
    assert not check_annex_3a(known(0.05, None)).combined.compliant
    assert check_annex_3a(known(0.0, None)).compliant
    # SDA timed after day 120 does not help at day 120
    assert not check_annex_3a(known(0.05, 0.0, sda_days=121)).combined.compliant


def test_gap_figures() -> None:
    gap = annex_gap(0.05)
    assert gap.margin == pytest.approx(0.05) and gap.ratio == pytest.approx(0.5)
    worse = annex_gap(0.004, "combined")
    assert worse.margin == pytest.approx(-0.003) and worse.ratio == pytest.approx(4.0)
    assert "EXCEEDS" in worse.describe()
    with pytest.raises(InvalidInput):
        annex_gap(1.5)
    with pytest.raises(InvalidInput):
        annex_gap(0.1, "bogus")  # type: ignore[arg-type]


def test_largest_allowed_self_deactivation_failure() -> None:
    assert check_annex_3a(known(0.05, 0.001)).max_self_deactivation_failure == pytest.approx(0.02)
    assert check_annex_3a(known(0.0, 0.5)).max_self_deactivation_failure == 1.0


def test_probability_of_compliance_under_a_beta_belief() -> None:
    design = MineDesign(
        Mechanism(BetaBelief(3, 47), FixedTime(2)), Mechanism(KnownProbability(0.01), FixedTime(90))
    )
    report = check_annex_3a(design)
    assert report.self_destruct.exact == Fraction(3, 50)
    assert report.self_destruct.probability_compliant == pytest.approx(stats.beta.cdf(0.1, 3, 47))
    # combined: p_sd · 0.01 ≤ 0.001  ⇔  p_sd ≤ 0.1
    assert report.combined.probability_compliant == pytest.approx(stats.beta.cdf(0.1, 3, 47))
    assert "COMPLIANT" in report.describe()


def test_lot_defects_count_in_the_mean_rates() -> None:
    design = MineDesign(
        Mechanism(KnownProbability(0.05), FixedTime(1)),
        Mechanism(KnownProbability(0.0), FixedTime(100)),
        LotDefect(100, KnownProbability(0.002), "both"),
    )
    report = check_annex_3a(design)
    assert report.combined.exact == Fraction(2, 1000) and not report.combined.compliant
    assert report.combined.probability_compliant is None
