"""Residual-hazard parameters written as text: command-line specs and a TOML parameter file.

Specs (durations take ``h`` for hours or ``d`` for days; a bare number is days):

=================================  ==========================================================
``beta:2,38``                      failure probability ~ Beta(a=2, b=38)
``mean:0.05,n:200``                Beta with mean 0.05 worth 200 trials (a=10, b=190)
``0.05`` or ``known:0.05``         failure probability known to be 0.05
``fixed:40h``                      acts exactly 40 hours after emplacement
``uniform:4h,40h``                 acts uniformly between 4 and 40 hours
``lognormal:10d,0.5``              lognormal time, median 10 days, log-sd 0.5
``weibull:3,100d``                 Weibull time, shape 3, scale 100 days
=================================  ==========================================================

A parameter file (TOML) describes one design and, optionally, the programme's settings::

    name = "example design"
    [self_destruct]
    failure = "beta:2,38"
    timing = "uniform:4h,40h"
    [self_deactivation]          # omit the table for a mine without self-deactivation
    failure = "beta:1,99"
    timing = "weibull:3,100d"
    [correlation]                # omit for independence
    kind = "lot_defect"          # independent | lot_variation | lot_defect
    mines_per_lot = 64
    defect = "beta:1,199"
    disables = "both"

>>> parse_belief("mean:0.05,n:200")
BetaBelief(a=10.0, b=190.0)
>>> parse_timing("uniform:4h,40h")
UniformTime(low=0.16666666666666666, high=1.6666666666666665)
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from minewatch.analysis.residual.design import (
    HOURS_PER_DAY,
    Belief,
    BetaBelief,
    Correlation,
    FixedTime,
    Independent,
    KnownProbability,
    LognormalTime,
    LotDefect,
    LotVariation,
    Mechanism,
    MineDesign,
    Timing,
    UniformTime,
    WeibullTime,
    beta_from_mean,
)
from minewatch.errors import InvalidInput, Location


def parse_days(text: str, where: Location | None = None) -> float:
    """A duration in days from ``40h``, ``30d`` or ``30`` (days).

    >>> parse_days("36h"), parse_days("2d"), parse_days("0.5")
    (1.5, 2.0, 0.5)
    """
    raw = text.strip().lower()
    scale = 1.0
    if raw.endswith("h"):
        raw, scale = raw[:-1], 1.0 / HOURS_PER_DAY
    elif raw.endswith("d"):
        raw = raw[:-1]
    try:
        value = float(raw) * scale
    except ValueError:
        raise InvalidInput("not a duration (like 40h or 30d): {text!r}", where, text=text) from None
    if value < 0:
        raise InvalidInput("a duration must be ≥ 0: {text!r}", where, text=text)
    return value


def _split(spec: str) -> tuple[str, list[str]]:
    kind, _, rest = spec.strip().partition(":")
    return kind.strip().lower(), [p.strip() for p in rest.split(",")] if rest else []


def _number(text: str, where: Location | None) -> float:
    try:
        return float(text.split(":")[-1])
    except ValueError:
        raise InvalidInput("not a number: {text!r}", where, text=text) from None


def parse_belief(spec: str, where: Location | None = None) -> Belief:
    """A failure-probability belief from its spec (see the module table)."""
    kind, args = _split(spec)
    if not args:
        return KnownProbability(_number(kind, where))
    if kind == "known" and len(args) == 1:
        return KnownProbability(_number(args[0], where))
    if kind == "beta" and len(args) == 2:
        return BetaBelief(_number(args[0], where), _number(args[1], where))
    if kind == "mean" and len(args) == 2:
        return beta_from_mean(_number(kind + ":" + args[0], where), _number(args[1], where))
    raise InvalidInput(
        "not a failure-probability spec: {spec!r} (use beta:A,B, mean:M,n:N or a number)",
        where,
        spec=spec,
    )


def parse_timing(spec: str, where: Location | None = None) -> Timing:
    """A timing distribution from its spec (see the module table)."""
    kind, args = _split(spec)
    if kind == "fixed" and len(args) == 1:
        return FixedTime(parse_days(args[0], where))
    if kind == "uniform" and len(args) == 2:
        return UniformTime(parse_days(args[0], where), parse_days(args[1], where))
    if kind == "lognormal" and len(args) == 2:
        return LognormalTime(parse_days(args[0], where), _number(args[1], where))
    if kind == "weibull" and len(args) == 2:
        return WeibullTime(_number(args[0], where), parse_days(args[1], where))
    raise InvalidInput(
        "not a timing spec: {spec!r} (use fixed:T, uniform:T1,T2, lognormal:MEDIAN,SIGMA or "
        "weibull:SHAPE,SCALE)",
        where,
        spec=spec,
    )


def parse_mechanism(failure: str | None, timing: str | None, name: str) -> Mechanism:
    """A mechanism from its two specs; both omitted (or failure ``none``) means absent."""
    if (failure is None and timing is None) or (failure or "").strip().lower() == "none":
        return Mechanism.absent()
    if failure is None or timing is None:
        raise InvalidInput(
            "the {name} needs both a failure probability and a timing",
            Location(field=name),
            name=name,
        )
    where = Location(field=name)
    return Mechanism(parse_belief(failure, where), parse_timing(timing, where))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MechanismSpec(_Strict):
    failure: str = Field(description="failure-probability spec, e.g. beta:2,38")
    timing: str = Field(description="timing spec, e.g. uniform:4h,40h")


class CorrelationSpec(_Strict):
    kind: Literal["independent", "lot_variation", "lot_defect"] = "independent"
    mines_per_lot: int | None = Field(default=None, ge=1)
    icc_self_destruct: float = Field(default=0.0, ge=0, lt=1)
    icc_self_deactivation: float = Field(default=0.0, ge=0, lt=1)
    defect: str | None = Field(default=None, description="belief that a lot is defective")
    disables: Literal["self_destruct", "self_deactivation", "both"] = "both"


class DesignSpec(_Strict):
    """A mine design in a parameter file (see the module docstring)."""

    name: str | None = None
    self_destruct: MechanismSpec
    self_deactivation: MechanismSpec | None = None
    correlation: CorrelationSpec = CorrelationSpec()


def correlation_from_spec(spec: CorrelationSpec) -> Correlation:
    """The correlation model a spec describes."""
    if spec.kind == "independent":
        return Independent()
    if spec.mines_per_lot is None:
        raise InvalidInput(
            "{kind} needs mines_per_lot", Location(field="correlation"), kind=spec.kind
        )
    if spec.kind == "lot_variation":
        return LotVariation(spec.mines_per_lot, spec.icc_self_destruct, spec.icc_self_deactivation)
    if spec.defect is None:
        raise InvalidInput("lot_defect needs defect (e.g. beta:1,199)", Location(field="defect"))
    return LotDefect(spec.mines_per_lot, parse_belief(spec.defect), spec.disables)


def design_from_spec(spec: DesignSpec) -> MineDesign:
    sda = spec.self_deactivation
    return MineDesign(
        parse_mechanism(spec.self_destruct.failure, spec.self_destruct.timing, "self_destruct"),
        parse_mechanism(sda.failure, sda.timing, "self_deactivation")
        if sda
        else Mechanism.absent(),
        correlation_from_spec(spec.correlation),
        spec.name,
    )


def design_from_mapping(data: dict[str, Any], source: str = "parameters") -> MineDesign:
    """A design from parsed TOML/JSON; InvalidInput names the first bad field."""
    try:
        spec = DesignSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(first["msg"], Location(file=source, field=field)) from None
    return design_from_spec(spec)


def load_design(path: Path) -> MineDesign:
    """A design from a TOML parameter file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput("no such file: {path}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            "not valid TOML: {error}", Location(file=str(path)), error=str(exc)
        ) from None
    return design_from_mapping(data, str(path))


class ResidualSettings(_Strict):
    """A programme's choices for residual-hazard figures (national configuration, table
    ``[residual]``); every default is documented here and in docs/residual-hazard.md."""

    credible_level: float = Field(
        default=0.95, gt=0, lt=1, description="central credible level of every interval"
    )
    any_live_threshold: float = Field(
        default=0.01,
        gt=0,
        lt=1,
        description="an area counts as clear of live mines once P(at least one live) < this",
    )
    monte_carlo_draws: int = Field(default=20_000, ge=100, description="draws per simulation")
    seed: int | None = Field(default=0, description="random seed (None: fresh each run)")
    curve_days: float = Field(default=180.0, gt=0, description="length of default curves, days")


def load_settings(path: Path | None) -> ResidualSettings:
    """The ``[residual]`` table of a national-configuration TOML (defaults if None or absent)."""
    if path is None:
        return ResidualSettings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8")).get("residual", {})
        return ResidualSettings.model_validate(data)
    except FileNotFoundError:
        raise InvalidInput("no such file: {path}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            "not valid TOML: {error}", Location(file=str(path)), error=str(exc)
        ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput(
            first["msg"], Location(file=str(path), field=".".join(map(str, first["loc"])))
        ) from None
