"""Compliance of a mine design with CCW Amended Protocol II, Technical Annex para. 3(a).

The text (Amended Protocol II, Technical Annex, para. 3(a)), as quoted in the project's
reference notes (Dutch treaty database BWBV0004938):

    "All remotely-delivered anti-personnel mines shall be designed and constructed so that no
    more than 10% of activated mines will fail to self-destruct within 30 days after
    emplacement, and each mine shall have a back-up self-deactivation feature designed and
    constructed so that, in combination with the self-destruction mechanism, no more than one in
    one thousand activated mines will function as a mine 120 days after emplacement."

How this module reads it, in the terms of :mod:`minewatch.analysis.residual`:

* **Clause 1 (self-destruction)**: the fraction of activated mines whose self-destruct has not
  acted by day 30, ``S_sd(30) = G_sd(30) + (1 - G_sd(30)) p_sd``, must be **≤ 1/10**. This counts
  both mechanisms that never act and those timed to act after day 30; self-deactivation does not
  count here, because the clause is about self-destruction alone.
* **Clause 2 (in combination)**: the fraction still live ("function as a mine") at day 120,
  ``S_sd(120) · S_sda(120)``, must be **≤ 1/1000** (for lot-defect models, the mean fraction
  with the defective lots included).
* "No more than" means a value exactly at the ceiling complies. The arithmetic is exact: every
  input is read as the decimal it prints as (``0.1`` is 1/10) and combined as fractions, so
  ``p_sd = 0.1, p_sda = 0.01`` gives exactly 1/1000 and complies, while 0.1000001 does not.
* With uncertain failure probabilities the check is made on their means (the design's expected
  rates) and, besides, reports the probability under the belief that the true rate complies.

>>> from minewatch.analysis.residual.design import (FixedTime, KnownProbability, Mechanism,
...     MineDesign, hours)
>>> design = MineDesign(Mechanism(KnownProbability(0.1), FixedTime(hours(40))),
...                     Mechanism(KnownProbability(0.01), FixedTime(100)))
>>> report = check_annex_3a(design)
>>> report.compliant, str(report.self_destruct.exact), str(report.combined.exact)
(True, '1/10', '1/1000')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np

from minewatch.analysis.residual.closed_form import live_fraction_cdf, lot_defect_survival
from minewatch.analysis.residual.design import Belief, Independent, LotDefect, Mechanism, MineDesign
from minewatch.errors import InvalidInput

ANNEX_3A_TEXT = (
    "All remotely-delivered anti-personnel mines shall be designed and constructed so that no "
    "more than 10% of activated mines will fail to self-destruct within 30 days after "
    "emplacement, and each mine shall have a back-up self-deactivation feature designed and "
    "constructed so that, in combination with the self-destruction mechanism, no more than one "
    "in one thousand activated mines will function as a mine 120 days after emplacement."
)
ANNEX_3A_SOURCE = (
    "CCW Amended Protocol II (1996), Technical Annex para. 3(a); text from the Dutch treaty "
    "database BWBV0004938 as quoted in minewatch's reference notes (treaties_and_policy.md §4.1)"
)

Clause = Literal["self_destruct", "combined"]


@dataclass(frozen=True)
class ClauseRule:
    """One quantitative limit of para. 3(a): at ``days`` after emplacement the fraction of
    activated mines still not self-destructed (or still live) must not exceed ``ceiling``."""

    clause: Clause
    days: int
    ceiling: Fraction
    wording: str


SELF_DESTRUCT_RULE = ClauseRule(
    "self_destruct",
    30,
    Fraction(1, 10),
    "no more than 10% of activated mines fail to self-destruct within 30 days",
)
COMBINED_RULE = ClauseRule(
    "combined",
    120,
    Fraction(1, 1000),
    "no more than 1 in 1,000 activated mines function as a mine 120 days after emplacement",
)
RULES: dict[Clause, ClauseRule] = {r.clause: r for r in (SELF_DESTRUCT_RULE, COMBINED_RULE)}


def exact(value: float | Fraction) -> Fraction:
    """``value`` as the decimal it prints as (0.1 → 1/10), so boundary cases are exact.

    >>> exact(0.1) * exact(0.01) == Fraction(1, 1000)
    True
    """
    if isinstance(value, Fraction):
        return value
    if not math.isfinite(value):
        raise InvalidInput("not a finite number: {value}", value=value)
    return Fraction(repr(float(value)))


@dataclass(frozen=True)
class Gap:
    """How far a failure rate is from a clause's legal ceiling.

    ``margin = ceiling - rate`` (positive: room to spare; negative: over the limit), ``ratio =
    rate / ceiling`` (1 at the limit), ``complies = rate ≤ ceiling`` (exactly).
    """

    clause: Clause
    rate: Fraction
    ceiling: Fraction
    complies: bool

    @property
    def margin(self) -> float:
        return float(self.ceiling - self.rate)

    @property
    def ratio(self) -> float:
        return float(self.rate / self.ceiling)

    def describe(self) -> str:
        rule = RULES[self.clause]
        verdict = "complies" if self.complies else "EXCEEDS the ceiling"
        return (
            f"{rule.wording}: rate {float(self.rate):.6g} vs ceiling {float(self.ceiling):.6g} "
            f"({verdict}; margin {self.margin:+.6g}, {self.ratio:.4g}× the ceiling)"
        )


def annex_gap(rate: float | Fraction, clause: Clause = "self_destruct") -> Gap:
    """The gap between a given failure rate and the ceiling of one clause of para. 3(a).

    ``rate`` is the fraction of activated mines that failed to self-destruct within 30 days
    (``self_destruct``) or that still function as a mine at 120 days (``combined``).

    >>> annex_gap(0.1).complies, annex_gap(0.1000001).complies
    (True, False)
    >>> round(annex_gap(0.004, "combined").ratio, 6)
    4.0
    """
    if clause not in RULES:
        raise InvalidInput(
            "clause must be one of {allowed}, got {clause!r}",
            allowed=", ".join(sorted(RULES)),
            clause=clause,
        )
    value = exact(rate)
    if not (0 <= value <= 1):
        raise InvalidInput("a failure rate must lie in [0, 1], got {rate}", rate=rate)
    ceiling = RULES[clause].ceiling
    return Gap(clause, value, ceiling, value <= ceiling)


@dataclass(frozen=True)
class ClauseCheck:
    """The check of one clause for one design.

    ``exact`` is the design's expected fraction (at the means of its beliefs) as a fraction;
    ``gap`` compares it with the ceiling; ``probability_compliant`` is P(true fraction ≤ ceiling)
    under the beliefs (None for lot-defect models, which have no closed form for it).
    """

    rule: ClauseRule
    exact: Fraction
    gap: Gap
    probability_compliant: float | None

    @property
    def value(self) -> float:
        return float(self.exact)

    @property
    def compliant(self) -> bool:
        return self.gap.complies


@dataclass(frozen=True)
class ComplianceReport:
    """Both clauses of para. 3(a) for one design, and the largest self-deactivation failure
    probability the combined clause would allow given the design's self-destruct."""

    self_destruct: ClauseCheck
    combined: ClauseCheck
    max_self_deactivation_failure: float | None
    text: str = ANNEX_3A_TEXT
    source: str = ANNEX_3A_SOURCE

    @property
    def compliant(self) -> bool:
        return self.self_destruct.compliant and self.combined.compliant

    def describe(self) -> str:
        lines = [f'Technical Annex para. 3(a): "{self.text}"']
        for check in (self.self_destruct, self.combined):
            line = f"- {check.gap.describe()}"
            if check.probability_compliant is not None:
                line += f"; P(compliant | beliefs) = {check.probability_compliant:.4g}"
            lines.append(line)
        if self.max_self_deactivation_failure is not None:
            lines.append(
                "- with this self-destruct, the combined clause allows a self-deactivation "
                f"failure probability up to {self.max_self_deactivation_failure:.6g} "
                "(if the self-deactivation timing has run out by day 120)"
            )
        lines.append(f"=> {'COMPLIANT' if self.compliant else 'NOT COMPLIANT'}")
        return "\n".join(lines)


def _not_acted_exact(mechanism_p: Belief, survival: float) -> Fraction:
    g = exact(survival)
    return g + (1 - g) * exact(mechanism_p.mean)


def _fraction_at(design: MineDesign, days: int, clause: Clause) -> tuple[Fraction, Fraction]:
    """(S_sd, combined live fraction) at ``days``, exactly, at the beliefs' means."""
    t = np.array([float(days)])
    sd, sda = design.self_destruct, design.self_deactivation
    s_sd = _not_acted_exact(sd.failure, float(sd.timing.survival(t)[0]))
    s_sda = _not_acted_exact(sda.failure, float(sda.timing.survival(t)[0]))
    s_sd_mixed, live = lot_defect_survival(design.correlation, s_sd, s_sda)
    return Fraction(s_sd_mixed), Fraction(live)


def _probability_compliant(design: MineDesign, rule: ClauseRule) -> float | None:
    if isinstance(design.correlation, LotDefect):
        return None
    t = float(rule.days)
    if rule.clause == "self_destruct":  # only the self-destruct matters: drop the SDA
        design = MineDesign(design.self_destruct, Mechanism.absent(), Independent())
    # Lot variation leaves the design-level rates, which the clauses are about, unchanged.
    return float(live_fraction_cdf(design, t, np.array([float(rule.ceiling)]))[0])


def check_annex_3a(design: MineDesign) -> ComplianceReport:
    """Check a design against both clauses of Technical Annex para. 3(a) (see module notes)."""
    s_sd_30, _ = _fraction_at(design, SELF_DESTRUCT_RULE.days, "self_destruct")
    s_sd_120, live_120 = _fraction_at(design, COMBINED_RULE.days, "combined")
    checks = []
    for rule, value in ((SELF_DESTRUCT_RULE, s_sd_30), (COMBINED_RULE, live_120)):
        checks.append(
            ClauseCheck(
                rule, value, annex_gap(value, rule.clause), _probability_compliant(design, rule)
            )
        )
    allowed = None
    if not isinstance(design.correlation, LotDefect):
        allowed = (
            1.0 if s_sd_120 == 0 else float(min(Fraction(1), COMBINED_RULE.ceiling / s_sd_120))
        )
    return ComplianceReport(checks[0], checks[1], allowed)
