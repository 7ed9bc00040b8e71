"""Residual-hazard answers as plain values: a mine design from text specifications, live mines
over time (closed form or Monte Carlo) with the time P(any live) falls below a threshold, the
CCW Amended Protocol II Technical Annex 3(a) check, beliefs updated from field finds, and the
device catalogue.

The CLI (``minewatch residual``) parses its options into a :class:`DesignSpec` and these
calls, and prints what they return; the computing is in :mod:`minewatch.analysis.residual`.

>>> design, notes = design_from_spec(DesignSpec(sd_fail="0.1", sd_time="fixed:40h",
...                                             no_sda=True))
>>> answer = decay(100, design, parse_times("0,1,2d"), load_settings(None))
>>> answer.curve.method, [round(float(v), 1) for v in answer.curve.expected_live]
('closed form', [100.0, 100.0, 10.0])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from minewatch.analysis.residual.closed_form import closed_form_curve, time_until_below
from minewatch.analysis.residual.curves import DecayCurve, decay_curve
from minewatch.analysis.residual.design import (
    Correlation,
    Independent,
    Mechanism,
    MineDesign,
    Strike,
)
from minewatch.analysis.residual.law import Clause, annex_gap, check_annex_3a
from minewatch.analysis.residual.monte_carlo import simulate
from minewatch.analysis.residual.results import ThresholdTime
from minewatch.analysis.residual.spec import (
    CorrelationSpec,
    ResidualSettings,
    correlation_from_spec,
    load_design,
    load_settings,
    parse_belief,
    parse_days,
    parse_mechanism,
    parse_timing,
)
from minewatch.analysis.residual.update import FieldFinds, predict_strike, update_from_finds
from minewatch.errors import InvalidInput, Location
from minewatch.io.devices import device_catalogue
from minewatch.services.residual import design_for_device

__all__ = [
    "Decay",
    "DesignSpec",
    "MineDesign",
    "ResidualSettings",
    "check_design",
    "check_rate",
    "decay",
    "decay_curve_of",
    "design_from_spec",
    "device_rows",
    "load_settings",
    "parse_times",
    "settings_with",
    "update_answer",
]


@dataclass(frozen=True)
class DesignSpec:
    """A mine design as text: a TOML parameter file, a catalogue device, or beliefs and timings
    (``beta:2,38``, ``uniform:4h,40h``, …, the syntax of :mod:`minewatch.analysis.residual.spec`),
    with production lots correlating failures when ``lot_size`` is given.

    Examples
    --------
    >>> design, notes = design_from_spec(DesignSpec(device="PFM-1S", sd_fail="beta:2,38",
    ...                                             no_sda=True))
    >>> design.name, notes[0][:40]
    ('PFM-1S', 'self-destruct timing: uniform 1–40 h, as')
    """

    params: Path | None = None
    device: str | None = None
    sd_fail: str | None = None
    sd_time: str | None = None
    sda_fail: str | None = None
    sda_time: str | None = None
    no_sda: bool = False
    lot_size: int | None = None
    icc: float | None = None
    lot_defect: str | None = None


def design_from_spec(spec: DesignSpec) -> tuple[MineDesign, tuple[str, ...]]:
    """The design and the notes on what a catalogue device left to the user. Errors name the
    option (``--sd-fail``, …) at fault.

    Examples
    --------
    >>> design, _ = design_from_spec(DesignSpec(sd_fail="beta:2,38", sd_time="uniform:4h,40h",
    ...                                         sda_fail="0.01", sda_time="fixed:120d"))
    >>> design.self_destruct.timing, design.self_deactivation.timing
    (UniformTime(low=0.16666666666666666, high=1.6666666666666665), FixedTime(days=120.0))
    >>> design_from_spec(DesignSpec(sd_fail="0.1", sd_time="fixed:40h"))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: give --sda-fail and --sda-time, or --no-sda for a mine without
     self-deactivation
    """
    correlation = _correlation(spec)
    if spec.params is not None:
        design = load_design(spec.params)
        if correlation is not None:
            design = MineDesign(
                design.self_destruct, design.self_deactivation, correlation, design.name
            )
        return design, ()
    if spec.device is not None:
        return design_for_device(
            spec.device,
            sd_failure=_belief(spec.sd_fail, "--sd-fail"),
            sd_timing=_timing(spec.sd_time, "--sd-time"),
            sda_failure=_belief(spec.sda_fail, "--sda-fail"),
            sda_timing=_timing(spec.sda_time, "--sda-time"),
            no_self_deactivation=spec.no_sda,
            correlation=correlation,
        )
    sd = parse_mechanism(spec.sd_fail, spec.sd_time, "self_destruct")
    if sd.is_absent:
        raise InvalidInput("give --params, --device, or --sd-fail with --sd-time")
    sda = (
        Mechanism.absent()
        if spec.no_sda
        else parse_mechanism(spec.sda_fail, spec.sda_time, "self_deactivation")
    )
    if sda.is_absent and not spec.no_sda and spec.sda_fail is None:
        raise InvalidInput(
            "give --sda-fail and --sda-time, or --no-sda for a mine without self-deactivation"
        )
    return MineDesign(sd, sda, correlation or Independent()), ()


def _correlation(spec: DesignSpec) -> Correlation | None:
    if spec.lot_size is None:
        return None
    kind: Literal["lot_variation", "lot_defect"] = (
        "lot_defect" if spec.lot_defect else "lot_variation"
    )
    return correlation_from_spec(
        CorrelationSpec(
            kind=kind,
            mines_per_lot=spec.lot_size,
            icc_self_destruct=spec.icc or 0.0,
            icc_self_deactivation=spec.icc or 0.0,
            defect=spec.lot_defect,
        )
    )


def _belief(text: str | None, option: str) -> Any:
    return parse_belief(text, Location(field=option)) if text else None


def _timing(text: str | None, option: str) -> Any:
    return parse_timing(text, Location(field=option)) if text else None


def parse_times(spec: str) -> NDArray[np.floating[Any]]:
    """``0:180:1`` (start:stop:step, stop included) or ``1,30,120`` (each ``h``/``d``), in days.

    Examples
    --------
    >>> parse_times("0:2:0.5"), parse_times("12h,1,30d")
    (array([0. , 0.5, 1. , 1.5, 2. ]), array([ 0.5,  1. , 30. ]))
    >>> parse_times("5:1:1")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field --days: --days takes START:STOP:STEP with STEP > 0
    """
    where = Location(field="--days")
    if ":" in spec:
        parts = [parse_days(p, where) for p in spec.split(":")]
        if len(parts) != 3 or parts[2] <= 0 or parts[1] < parts[0]:
            raise InvalidInput("--days takes START:STOP:STEP with STEP > 0", where)
        count = math.floor((parts[1] - parts[0]) / parts[2] + 1e-9) + 1
        if count > 100_000:
            raise InvalidInput("--days asks for more than 100,000 times", where)
        return parts[0] + parts[2] * np.arange(count)
    return np.array([parse_days(p, where) for p in spec.split(",") if p.strip()])


def settings_with(
    config: Path | None,
    level: float | None = None,
    threshold: float | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> ResidualSettings:
    """The configuration's ``[residual]`` settings with any of these given values instead.

    Examples
    --------
    >>> settings = settings_with(None, level=0.9, seed=7)
    >>> settings.credible_level, settings.seed, settings.any_live_threshold
    (0.9, 7, 0.01)
    """
    updates = {
        k: v
        for k, v in {
            "credible_level": level,
            "any_live_threshold": threshold,
            "monte_carlo_draws": draws,
            "seed": seed,
        }.items()
        if v is not None
    }
    return ResidualSettings.model_validate(load_settings(config).model_dump() | updates)


@dataclass(frozen=True)
class Decay:
    """Live mines over time, and when P(any live) falls below the settings' threshold
    (``never`` says how to read an infinite time).

    Examples
    --------
    >>> design, _ = design_from_spec(DesignSpec(sd_fail="beta:2,38", sd_time="uniform:4h,40h",
    ...                                         sda_fail="0.01", sda_time="fixed:120d"))
    >>> answer = decay(200, design, parse_times("0,30,180"), load_settings(None))
    >>> answer.below.days, answer.never
    (inf, 'inf = never')
    """

    curve: DecayCurve
    below: ThresholdTime
    never: str


def decay(
    mines: int,
    design: MineDesign,
    times: NDArray[np.floating[Any]],
    settings: ResidualSettings,
    method: Literal["auto", "closed", "monte_carlo"] = "auto",
) -> Decay:
    """The decay of a strike of ``mines`` mines; ``auto`` uses the closed form for
    independent failures and Monte Carlo for correlated ones.

    Examples
    --------
    >>> design, _ = design_from_spec(DesignSpec(sd_fail="beta:2,38", sd_time="uniform:4h,40h",
    ...                                         sda_fail="0.01", sda_time="fixed:120d"))
    >>> answer = decay(200, design, parse_times("0,30,180"), load_settings(None))
    >>> answer.curve.method, [round(float(v), 2) for v in answer.curve.expected_live]
    ('closed form', [200.0, 10.0, 0.1])
    """
    strike = Strike(mines, design)
    independent = isinstance(design.correlation, Independent)
    if method == "monte_carlo" or (method == "auto" and not independent):
        sim = simulate(
            strike,
            times,
            draws=settings.monte_carlo_draws,
            seed=settings.seed,
            level=settings.credible_level,
        )
        if independent:  # the exact time needs no simulation
            below = time_until_below(strike, settings.any_live_threshold, settings.credible_level)
            return Decay(sim.curve, below, "inf = never")
        below = sim.time_until_below(settings.any_live_threshold)
        return Decay(sim.curve, below, "on the simulated times; inf = not within them")
    curve = closed_form_curve(strike, times, settings.credible_level)
    below = time_until_below(strike, settings.any_live_threshold, settings.credible_level)
    return Decay(curve, below, "inf = never")


def decay_curve_of(
    mines: int, design: MineDesign, times: NDArray[np.floating[Any]], settings: ResidualSettings
) -> DecayCurve:
    """The decay curve with its intervals, as a chart draws it.

    Examples
    --------
    >>> design, _ = design_from_spec(DesignSpec(sd_fail="beta:2,38", sd_time="uniform:4h,40h",
    ...                                         sda_fail="0.01", sda_time="fixed:120d"))
    >>> curve = decay_curve_of(200, design, parse_times("0,30"), load_settings(None))
    >>> [round(float(v), 3) for v in curve.prob_any_live]
    [1.0, 0.974]
    """
    return decay_curve(
        Strike(mines, design),
        times,
        settings.credible_level,
        draws=settings.monte_carlo_draws,
        seed=settings.seed,
    )


def check_rate(rate: float, clause: str) -> tuple[str, list[dict[str, Any]]]:
    """A failure rate against a clause's ceiling: the sentence, and the figures as a row.

    Examples
    --------
    >>> sentence, [row] = check_rate(0.05, "self_destruct")
    >>> print(sentence)
    no more than 10% of activated mines fail to self-destruct within 30 days: rate 0.05 vs ceiling
     0.1 (complies; margin +0.05, 0.5× the ceiling)
    >>> row["complies"], row["ceiling"]
    (True, 0.1)
    >>> check_rate(0.05, "3(a)(ii)")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: clause must be one of combined, self_destruct, got
     '3(a)(ii)'
    """
    gap = annex_gap(rate, cast(Clause, clause))  # annex_gap refuses an unknown clause
    row = {
        "clause": gap.clause,
        "rate": float(gap.rate),
        "ceiling": float(gap.ceiling),
        "complies": gap.complies,
        "margin": gap.margin,
        "ratio": gap.ratio,
    }
    return gap.describe(), [row]


def check_design(design: MineDesign) -> tuple[str, list[dict[str, Any]]]:
    """A design against Technical Annex 3(a): the report as text, and one row per clause.

    Examples
    --------
    >>> design, _ = design_from_spec(DesignSpec(sd_fail="beta:2,38", sd_time="uniform:4h,40h",
    ...                                         sda_fail="0.01", sda_time="fixed:120d"))
    >>> report, rows = check_design(design)
    >>> [(row["clause"], row["complies"]) for row in rows]
    [('self_destruct', True), ('combined', True)]
    """
    report = check_annex_3a(design)
    rows: list[dict[str, Any]] = [
        {
            "clause": c.rule.clause,
            "days": c.rule.days,
            "value": c.value,
            "exact": str(c.exact),
            "ceiling": float(c.rule.ceiling),
            "complies": c.compliant,
            "margin": c.gap.margin,
            "probability_compliant": c.probability_compliant,
        }
        for c in (report.self_destruct, report.combined)
    ]
    return report.describe(), rows


def update_answer(
    design: MineDesign,
    *,
    live: int,
    inert: int,
    self_destructed: int | None = None,
    delivered: int | None = None,
    days_after: float | None = None,
    predict: int | None = None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The failure beliefs before and after what clearance found (with ``delivered``, the
    mines not found count as self-destructed), and a prediction for another strike of
    ``predict`` mines; with the update's notes.

    Examples
    --------
    >>> design, _ = design_from_spec(DesignSpec(sd_fail="beta:2,38", sd_time="uniform:4h,40h",
    ...                                         sda_fail="0.01", sda_time="fixed:120d"))
    >>> row, notes = update_answer(design, live=3, inert=0, delivered=200, days_after=60)
    >>> row["self_destruct_prior"], row["self_destruct_posterior"]
    ('Beta(2, 38): mean 0.05, 95% in [0.006272, 0.1348]', 'Beta(5, 235): mean 0.02083, 95% in
     [0.006827, 0.0423]')
    """
    if delivered is not None:
        finds = FieldFinds.from_clearance(delivered, live, inert, days_after)
    else:
        finds = FieldFinds(live, self_destructed or 0, inert, days_after)
    result = update_from_finds(design, finds)
    post = result.design
    row: dict[str, Any] = {
        "self_destruct_prior": design.self_destruct.failure.describe(),
        "self_destruct_posterior": post.self_destruct.failure.describe(),
        "self_deactivation_prior": design.self_deactivation.failure.describe(),
        "self_deactivation_posterior": post.self_deactivation.failure.describe(),
    }
    if predict is not None:
        outlook = predict_strike(post, predict)
        lo, hi = outlook.live_interval()
        row |= {
            "predict_mines": predict,
            "predict_expected_live": outlook.expected_live,
            "predict_live_95": f"{lo}–{hi}",
            "predict_prob_any_live": outlook.prob_any_live,
        }
    return row, tuple(result.notes)


def device_rows() -> list[dict[str, Any]]:
    """The device catalogue: sourced values only, blanks are user inputs.

    Examples
    --------
    >>> [row for row in device_rows() if row["model"] == "PFM-1S"][0]["sd_time_hours"]
    '1–40'
    """
    return [
        {
            "model": e.model,
            "sd_time_hours": ""
            if e.sd_time_min_hours is None
            else f"{e.sd_time_min_hours:g}–{e.sd_time_max_hours:g}",
            "sd_failure": "" if e.sd_failure_probability is None else e.sd_failure_probability,
            "sda_time_days": "" if e.sda_time_days is None else e.sda_time_days,
            "source": e.source,
        }
        for e in device_catalogue()
    ]
