"""ISO 2859-1 single sampling plans and their switching rules.

IMAS 09.20 (post-clearance inspection of land) lets a national authority or a
programme check released land by *sampling*: the land cleared by one organisation
in one period is a **lot** of search units (e.g. 1 m² cells or lanes), a random
sample of them is searched again, and the lot is accepted or not from the number of
nonconforming units found. IMAS 09.20 points to the acceptance-sampling schemes of
ISO 2859-1 (identical in its tables 2-A and 2-B to ANSI/ASQ Z1.4 and MIL-STD-105E).
This module gives those plans exactly as printed, following the arrows. It also runs
the switching rules between normal, tightened and reduced inspection.

The tables are shipped as data (``minewatch/data/sampling/*.csv``, with their
sources and cross-checks in the README there); nothing here is a hard-coded table.

>>> plan = single_sampling_plan(1200, "II", 1.0)
>>> (plan.code_letter, plan.sample_size, plan.acceptance_number, plan.rejection_number)
('J', 80, 2, 3)
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib import resources

import numpy as np
from scipy import stats

from minewatch.domain.text import Message
from minewatch.errors import Conflict, InvalidInput, Location

_DATA = "minewatch.data.sampling"


class InspectionLevel(StrEnum):
    """ISO 2859-1 inspection levels: special S-1…S-4 (small samples), general I, II, III.

    Level II is the default of the standard; I gives less discrimination, III more.
    """

    S1 = "S-1"
    S2 = "S-2"
    S3 = "S-3"
    S4 = "S-4"
    I = "I"  # noqa: E741 - the standard's own name
    II = "II"
    III = "III"


class InspectionSeverity(StrEnum):
    """Normal, tightened or reduced inspection (ISO 2859-1 clause 9)."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


class SamplingStandard(StrEnum):
    """Which edition's tables to use. They differ only in reduced inspection.

    ``iso2859-1`` is ISO 2859-1:1999, where reduced plans have Re = Ac + 1.
    ``mil-std-105e`` is MIL-STD-105E (= ANSI/ASQ Z1.4-2003), whose reduced plans have a gap
    between Ac and Re. A count in that gap accepts the lot but reinstates normal inspection.
    """

    ISO_2859_1 = "iso2859-1"
    MIL_STD_105E = "mil-std-105e"


#: The preferred AQL values (percent nonconforming, or nonconformities per 100 units),
#: in the column order of Tables 2-A to 2-C.
AQL_VALUES: tuple[float, ...] = (
    0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40, 0.65,
    1.0, 1.5, 2.5, 4.0, 6.5, 10.0, 15.0, 25.0, 40.0, 65.0,
    100.0, 150.0, 250.0, 400.0, 650.0, 1000.0,
)  # fmt: skip

#: The column headers of the printed tables, in the same order.
AQL_LABELS: tuple[str, ...] = (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
    "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
    "100", "150", "250", "400", "650", "1000",
)  # fmt: skip

_TABLE_FILES: dict[tuple[SamplingStandard, InspectionSeverity], str] = {
    (SamplingStandard.ISO_2859_1, InspectionSeverity.NORMAL): "table_2a_normal.csv",
    (SamplingStandard.ISO_2859_1, InspectionSeverity.TIGHTENED): "table_2b_tightened.csv",
    (SamplingStandard.ISO_2859_1, InspectionSeverity.REDUCED): "table_2c_reduced_iso.csv",
    (SamplingStandard.MIL_STD_105E, InspectionSeverity.NORMAL): "table_2a_normal.csv",
    (SamplingStandard.MIL_STD_105E, InspectionSeverity.TIGHTENED): "table_2b_tightened.csv",
    (SamplingStandard.MIL_STD_105E, InspectionSeverity.REDUCED): "table_2c_reduced_mil.csv",
}


@dataclass(frozen=True)
class _Row:
    code_letter: str
    sample_size: int
    cells: tuple[str, ...]  # one per AQL_VALUES: "Ac Re", "down", "up", "" or "unknown"


@dataclass(frozen=True)
class _CodeLetterRow:
    lot_min: int
    lot_max: int | None
    letters: dict[InspectionLevel, str]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _code_letter_table() -> tuple[_CodeLetterRow, ...]:
    rows = []
    for r in _read_csv("code_letters.csv"):
        rows.append(
            _CodeLetterRow(
                lot_min=int(r["lot_size_min"]),
                lot_max=int(r["lot_size_max"]) if r["lot_size_max"] else None,
                letters={level: r[level.value] for level in InspectionLevel},
            )
        )
    return tuple(rows)


@cache
def _master_table(standard: SamplingStandard, severity: InspectionSeverity) -> tuple[_Row, ...]:
    return tuple(
        _Row(r["code_letter"], int(r["sample_size"]), tuple(r[h] for h in AQL_LABELS))
        for r in _read_csv(_TABLE_FILES[standard, severity])
    )


def _aql_label(aql: float) -> str:
    """The column header the tables use for an AQL (``0.010``, ``1.0``, ``10``)."""
    return AQL_LABELS[AQL_VALUES.index(aql)] if aql in AQL_VALUES else f"{aql:g}"


def aql_index(aql: float) -> int:
    """Column of a preferred AQL value; anything else is refused with the allowed list.

    >>> aql_index(1.0), aql_index(0.065)
    (10, 4)
    """
    for i, preferred in enumerate(AQL_VALUES):
        if math.isclose(aql, preferred, rel_tol=1e-9):
            return i
    allowed = ", ".join(_aql_label(a) for a in AQL_VALUES)
    raise InvalidInput(
        "AQL {aql} is not a preferred AQL of ISO 2859-1; use one of {allowed}",
        Location(field="aql"),
        aql=aql,
        allowed=allowed,
    )


def code_letter(lot_size: int, level: InspectionLevel | str = InspectionLevel.II) -> str:
    """The sample-size code letter for a lot size and inspection level (ISO 2859-1 Table 1).

    >>> code_letter(1200, "II"), code_letter(1201, "II"), code_letter(10, "S-1")
    ('J', 'K', 'A')
    """
    level = _level(level)
    if lot_size < 2:
        raise InvalidInput(
            "lot size must be at least 2, got {lot_size}",
            Location(field="lot_size"),
            lot_size=lot_size,
        )
    for row in _code_letter_table():
        if lot_size >= row.lot_min and (row.lot_max is None or lot_size <= row.lot_max):
            return row.letters[level]
    raise AssertionError("Table 1 covers every lot size from 2 up")  # pragma: no cover


def _level(level: InspectionLevel | str) -> InspectionLevel:
    try:
        return InspectionLevel(level)
    except ValueError:
        allowed = ", ".join(v.value for v in InspectionLevel)
        raise InvalidInput(
            "unknown inspection level {level!r}; use one of {allowed}",
            Location(field="level"),
            level=level,
            allowed=allowed,
        ) from None


@dataclass(frozen=True)
class SamplingPlan:
    """One single sampling plan, after following the table's arrows.

    ``code_letter`` is the letter from Table 1; ``plan_code_letter`` the row the arrows led
    to, whose sample size applies. When the sample size reaches the lot size the whole lot
    is inspected (``full_inspection``) with the same Ac/Re.
    """

    lot_size: int | None
    aql: float
    severity: InspectionSeverity
    standard: SamplingStandard
    code_letter: str
    plan_code_letter: str
    table_sample_size: int
    acceptance_number: int
    rejection_number: int

    @property
    def full_inspection(self) -> bool:
        return self.lot_size is not None and self.table_sample_size >= self.lot_size

    @property
    def sample_size(self) -> int:
        """Units to inspect: the table's sample size, or the whole lot if that is smaller."""
        if self.lot_size is not None and self.full_inspection:
            return self.lot_size
        return self.table_sample_size

    def accepts(self, nonconforming: int) -> bool:
        """Whether a sample with this many nonconforming units (or nonconformities) accepts.

        A count below Re accepts. With Re = Ac + 1 (every ISO 2859-1:1999 plan) that is
        simply d ≤ Ac. In the gap of a MIL-STD-105E reduced plan (Ac < d < Re) the lot is
        accepted but normal inspection must be reinstated (see :class:`SwitchingScheme`).
        """
        if nonconforming < 0:
            raise InvalidInput("a count of nonconforming units cannot be negative")
        return nonconforming < self.rejection_number


def plan_for_code_letter(
    letter: str,
    aql: float,
    severity: InspectionSeverity | str = InspectionSeverity.NORMAL,
    standard: SamplingStandard | str = SamplingStandard.ISO_2859_1,
) -> SamplingPlan:
    """The plan of Table 2-A/2-B/2-C for a code letter and AQL, arrows followed.

    An arrow sends you to the first plan below (↓) or above (↑) it. That plan's own
    sample size then replaces the one of the starting row.

    >>> p = plan_for_code_letter("A", 10)   # normal: ↓ to code letter C
    >>> (p.plan_code_letter, p.sample_size, p.acceptance_number, p.rejection_number)
    ('C', 5, 1, 2)
    """
    severity, standard = InspectionSeverity(severity), SamplingStandard(standard)
    column = aql_index(aql)
    rows = _master_table(standard, severity)
    index = next((i for i, r in enumerate(rows) if r.code_letter == letter), None)
    if index is None:
        raise InvalidInput(
            "unknown code letter {letter!r}", Location(field="code_letter"), letter=letter
        )
    start = index
    cell = rows[index].cells[column]
    while cell in ("up", "down"):
        index += -1 if cell == "up" else 1
        cell = rows[index].cells[column]
    if cell in ("", "unknown"):
        raise InvalidInput(
            f"{standard.value} {severity.value} inspection has no plan for code letter "
            f"{letter} at AQL {_aql_label(aql)} in the shipped tables"
            + (" (not transcribed; see data/sampling/README.md)" if cell == "unknown" else ""),
            Location(field="aql"),
        )
    ac, re_ = (int(v) for v in cell.split())
    return SamplingPlan(
        lot_size=None,
        aql=AQL_VALUES[column],
        severity=severity,
        standard=standard,
        code_letter=rows[start].code_letter,
        plan_code_letter=rows[index].code_letter,
        table_sample_size=rows[index].sample_size,
        acceptance_number=ac,
        rejection_number=re_,
    )


def single_sampling_plan(
    lot_size: int,
    level: InspectionLevel | str,
    aql: float,
    severity: InspectionSeverity | str = InspectionSeverity.NORMAL,
    standard: SamplingStandard | str = SamplingStandard.ISO_2859_1,
) -> SamplingPlan:
    """The single sampling plan for a lot: Table 1, then Table 2-A/2-B/2-C.

    Parameters
    ----------
    lot_size
        Number of units in the lot (e.g. search units of land released by one organisation in
        one period, as IMAS 09.20 samples them).
    level
        Inspection level: ``"S-1"`` … ``"S-4"``, ``"I"``, ``"II"`` (usual) or ``"III"``.
    aql
        Acceptance quality limit, a preferred value in percent (0.010 … 1000; above 10 only for
        nonconformities per 100 units).
    severity
        ``"normal"``, ``"tightened"`` or ``"reduced"``, as the switching rules decide.
    standard
        ``"iso2859-1"`` (default) or ``"mil-std-105e"`` (= ANSI/ASQ Z1.4); they differ in
        reduced inspection only.

    Examples
    --------
    >>> p = single_sampling_plan(1200, "II", 1.0, "tightened")
    >>> (p.sample_size, p.acceptance_number, p.rejection_number)
    (80, 1, 2)
    >>> single_sampling_plan(10, "II", 0.10).full_inspection   # ↓ to n = 125 > 10 units
    True
    """
    letter = code_letter(lot_size, level)
    return replace(plan_for_code_letter(letter, aql, severity, standard), lot_size=lot_size)


def acceptance_probability(
    plan: SamplingPlan,
    quality: float | Sequence[float] | np.ndarray,
    *,
    per_hundred_units: bool = False,
) -> np.ndarray:
    """The operating characteristic: probability that a lot of a given quality is accepted.

    ``quality`` is the fraction nonconforming (0.01 = 1 %), or with ``per_hundred_units``
    the nonconformities per 100 units in percent, as the AQL columns above 10 use.

    * lot size known, fraction nonconforming: hypergeometric, with D = round(quality·N)
      nonconforming units in the lot: P(accept) = P(d < Re | N, D, n);
    * lot size unknown (a continuing process): binomial, P(d < Re | n, quality);
    * nonconformities per 100 units: Poisson with mean n·quality/100.

    Read it to answer a consumer's question, such as "how likely is a lot with 5 %
    nonconforming units to pass?".

    >>> process = plan_for_code_letter("J", 1.0)                 # n 80, Ac 2, binomial
    >>> [round(float(p), 3) for p in acceptance_probability(process, [0.01, 0.05])]
    [0.953, 0.231]
    >>> lot = single_sampling_plan(1200, "II", 1.0)              # hypergeometric, N 1200
    >>> [round(float(p), 3) for p in acceptance_probability(lot, [0.01, 0.05])]
    [0.959, 0.221]
    """
    q = np.atleast_1d(np.asarray(quality, dtype=float))
    if per_hundred_units:
        if (q < 0).any():
            raise InvalidInput("nonconformities per 100 units cannot be negative")
        return np.asarray(stats.poisson.cdf(plan.acceptance_number, plan.sample_size * q / 100))
    if ((q < 0) | (q > 1)).any():
        raise InvalidInput("the fraction nonconforming must be between 0 and 1")
    if plan.lot_size is None:
        return np.asarray(stats.binom.cdf(plan.acceptance_number, plan.sample_size, q))
    dirty = np.rint(q * plan.lot_size).astype(int)
    return np.asarray(
        stats.hypergeom.cdf(plan.acceptance_number, plan.lot_size, dirty, plan.sample_size)
    )


# --- switching rules (ISO 2859-1:1999 clause 9) -------------------------------------------


@dataclass(frozen=True)
class LotResult:
    """What inspecting one lot gave, and the context the switching rules ask about."""

    nonconforming: int
    production_steady: bool = True
    reduced_approved: bool = True  # the responsible authority agrees to reduced inspection


@dataclass(frozen=True)
class SwitchingState:
    """Where a sequence of lots stands in the switching scheme.

    ``recent_normal`` holds the acceptances of the last (up to five) lots under normal
    inspection, ``consecutive_accepted`` the run of accepted lots under tightened inspection,
    ``tightened_not_accepted`` the lots not accepted since tightened inspection began, and
    ``switching_score`` the score of clause 9.3.3.2.
    """

    severity: InspectionSeverity = InspectionSeverity.NORMAL
    recent_normal: tuple[bool, ...] = ()
    consecutive_accepted: int = 0
    tightened_not_accepted: int = 0
    switching_score: int = 0
    discontinued: bool = False


@dataclass(frozen=True)
class LotDecision:
    """The decision on one lot and the state for the next lot."""

    plan: SamplingPlan
    nonconforming: int
    accepted: bool
    state_before: SwitchingState
    state_after: SwitchingState
    reason: str


#: Thresholds of the switching rules, as ISO 2859-1:1999 clause 9.3 states them.
NOT_ACCEPTED_OF_FIVE_TO_TIGHTEN = 2
ACCEPTED_IN_A_ROW_TO_RELAX = 5
NOT_ACCEPTED_TO_DISCONTINUE = 5
SWITCHING_SCORE_FOR_REDUCED = 30


@dataclass(frozen=True)
class SwitchingScheme:
    """The switching rules for one product stream at a fixed code letter and AQL.

    Rules (ISO 2859-1:1999, 9.3):

    * normal → tightened: 2 of 5 or fewer consecutive lots not accepted;
    * tightened → normal: 5 consecutive lots accepted;
    * normal → reduced: switching score ≥ 30, production steady, authority approves.
      The score starts at 0. If the normal plan has Ac ≥ 2, add 3 when the lot would also have
      been accepted at the next tighter AQL, otherwise reset to 0. If Ac is 0 or 1, add 2
      when the lot is accepted, otherwise reset to 0;
    * reduced → normal: a lot not accepted, production irregular, or (MIL-STD-105E tables
      only) a count between Ac and Re, which accepts the lot but ends reduced inspection;
    * discontinue: 5 lots not accepted under tightened inspection. The state stays
      discontinued until :meth:`resume` is called (the supplier has improved), which restarts
      tightened inspection.

    With ``standard="mil-std-105e"`` the plans come from the MIL-STD-105E tables but the
    switching rules are still those of ISO 2859-1:1999. MIL-STD-105E's own rule for normal →
    reduced (10 lots and the limit numbers of its Table VIII) is not implemented.

    >>> scheme = SwitchingScheme(code_letter="J", aql=1.0)
    >>> decisions = scheme.run([LotResult(3), LotResult(0), LotResult(4)])
    >>> [d.state_after.severity.value for d in decisions]
    ['normal', 'normal', 'tightened']
    """

    code_letter: str
    aql: float
    standard: SamplingStandard = SamplingStandard.ISO_2859_1
    lot_size: int | None = None

    def plan(self, state: SwitchingState) -> SamplingPlan:
        """The plan to use for the next lot in ``state``."""
        if state.discontinued:
            raise Conflict("acceptance inspection is discontinued: call resume() first")
        plan = plan_for_code_letter(self.code_letter, self.aql, state.severity, self.standard)
        return replace(plan, lot_size=self.lot_size)

    def step(self, state: SwitchingState, result: LotResult) -> LotDecision:
        """Inspect one lot: decide it and move the switching state on."""
        plan = self.plan(state)
        d = result.nonconforming
        accepted = plan.accepts(d)
        if state.severity is InspectionSeverity.NORMAL:
            after, reason = self._after_normal(state, plan, result, accepted)
        elif state.severity is InspectionSeverity.TIGHTENED:
            after, reason = self._after_tightened(state, accepted)
        else:
            after, reason = self._after_reduced(state, plan, result, accepted)
        return LotDecision(plan, d, accepted, state, after, reason)

    def run(
        self, results: Iterable[LotResult], state: SwitchingState | None = None
    ) -> list[LotDecision]:
        """Decide a sequence of lots in order, from ``state`` (normal inspection by default)."""
        decisions = []
        current = state or SwitchingState()
        for result in results:
            decision = self.step(current, result)
            decisions.append(decision)
            current = decision.state_after
        return decisions

    @staticmethod
    def resume() -> SwitchingState:
        """The state after the authority lets a discontinued supplier restart: tightened."""
        return SwitchingState(severity=InspectionSeverity.TIGHTENED)

    def _after_normal(
        self, state: SwitchingState, plan: SamplingPlan, result: LotResult, accepted: bool
    ) -> tuple[SwitchingState, Message]:
        recent = (*state.recent_normal, accepted)[-5:]
        if recent.count(False) >= NOT_ACCEPTED_OF_FIVE_TO_TIGHTEN:
            return (
                SwitchingState(severity=InspectionSeverity.TIGHTENED),
                Message(
                    "2 of the last 5 or fewer lots not accepted: switch to tightened inspection"
                ),
            )
        score = self._next_score(state.switching_score, plan, result.nonconforming, accepted)
        if (
            score >= SWITCHING_SCORE_FOR_REDUCED
            and result.production_steady
            and (result.reduced_approved)
        ):
            return (
                SwitchingState(severity=InspectionSeverity.REDUCED),
                Message(
                    "switching score {score} ≥ {needed}, production steady, approved: "
                    "switch to reduced inspection",
                    score=score,
                    needed=SWITCHING_SCORE_FOR_REDUCED,
                ),
            )
        return (
            replace(state, recent_normal=recent, switching_score=score),
            Message("stay on normal inspection (switching score {score})", score=score),
        )

    def _next_score(self, score: int, plan: SamplingPlan, d: int, accepted: bool) -> int:
        if plan.acceptance_number >= 2:
            tighter = self._one_step_tighter(plan)
            return score + 3 if tighter is not None and d <= tighter else 0
        return score + 2 if accepted else 0

    def _one_step_tighter(self, plan: SamplingPlan) -> int | None:
        column = aql_index(plan.aql)
        if column == 0:
            return None
        tighter = plan_for_code_letter(
            self.code_letter, AQL_VALUES[column - 1], InspectionSeverity.NORMAL, self.standard
        )
        return tighter.acceptance_number

    @staticmethod
    def _after_tightened(state: SwitchingState, accepted: bool) -> tuple[SwitchingState, Message]:
        not_accepted = state.tightened_not_accepted + (0 if accepted else 1)
        if not_accepted >= NOT_ACCEPTED_TO_DISCONTINUE:
            return (
                replace(state, tightened_not_accepted=not_accepted, discontinued=True),
                Message(
                    "{count} lots not accepted on tightened inspection: discontinue",
                    count=not_accepted,
                ),
            )
        run = state.consecutive_accepted + 1 if accepted else 0
        if run >= ACCEPTED_IN_A_ROW_TO_RELAX:
            return (
                SwitchingState(severity=InspectionSeverity.NORMAL),
                Message("5 consecutive lots accepted on tightened inspection: back to normal"),
            )
        return (
            replace(state, consecutive_accepted=run, tightened_not_accepted=not_accepted),
            Message("stay on tightened inspection ({count} accepted in a row)", count=run),
        )

    @staticmethod
    def _after_reduced(
        state: SwitchingState, plan: SamplingPlan, result: LotResult, accepted: bool
    ) -> tuple[SwitchingState, Message]:
        normal = SwitchingState(severity=InspectionSeverity.NORMAL)
        if not accepted:
            return normal, Message("lot not accepted on reduced inspection: back to normal")
        if result.nonconforming > plan.acceptance_number:
            return normal, Message("count between Ac and Re: lot accepted, back to normal")
        if not result.production_steady:
            return normal, Message("production irregular: back to normal inspection")
        return state, Message("stay on reduced inspection")


def acceptance_numbers(plans: Sequence[SamplingPlan]) -> list[tuple[int, int, int]]:
    """(n, Ac, Re) of several plans, e.g. for a report table.

    >>> acceptance_numbers([plan_for_code_letter("K", 0.65)])
    [(125, 2, 3)]
    """
    return [(p.sample_size, p.acceptance_number, p.rejection_number) for p in plans]
