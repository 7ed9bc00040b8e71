"""A remotely delivered mine design and a strike of it: the beliefs about each mechanism's
failure probability, when a working mechanism acts, the correlation between mines, and the
time unit (days since emplacement; :func:`hours` converts). The terms are defined in
:mod:`minewatch.analysis.residual`.

>>> d = MineDesign(Mechanism(KnownProbability(0.1), FixedTime(hours(40))), Mechanism.absent())
>>> Strike(mines=1000, design=d).mines
1000
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from minewatch.errors import InvalidInput, Location

FloatArray: TypeAlias = NDArray[np.float64]

HOURS_PER_DAY = 24.0


def hours(value: ArrayLike) -> FloatArray | float:
    """``value`` hours expressed in days, the time unit of this module.

    >>> hours(36)
    1.5
    """
    out = np.asarray(value, dtype=float) / HOURS_PER_DAY
    return float(out) if out.ndim == 0 else out


def _times(t: ArrayLike, name: str = "t") -> FloatArray:
    arr = np.atleast_1d(np.asarray(t, dtype=float))
    if np.isnan(arr).any() or (arr < 0).any():
        raise InvalidInput("times must be days since emplacement, ≥ 0", Location(field=name))
    return arr


def _shape_like(t: ArrayLike, values: FloatArray) -> FloatArray | float:
    return float(values[0]) if np.ndim(t) == 0 else values


# ---------------------------------------------------------------------------------------------
# Beliefs about a failure probability
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BetaBelief:
    """A failure probability known only as a Beta(a, b) distribution.

    ``a`` counts failures and ``b`` successes, in the usual pseudo-count reading: Beta(1, 1)
    is "no idea", Beta(2, 98) is "about 2% from roughly 100 trials".

    >>> BetaBelief(2, 98).mean
    0.02
    """

    a: float
    b: float

    def __post_init__(self) -> None:
        for name, value in (("a", self.a), ("b", self.b)):
            if not (math.isfinite(value) and value > 0):
                raise InvalidInput(
                    "Beta parameter {name} must be > 0, got {value}", name=name, value=value
                )

    is_known = False

    @property
    def mean(self) -> float:
        return self.a / (self.a + self.b)

    def cdf(self, x: ArrayLike) -> FloatArray:
        return np.asarray(special.betainc(self.a, self.b, np.clip(x, 0.0, 1.0)), dtype=float)

    def ppf(self, q: ArrayLike) -> FloatArray:
        return np.asarray(stats.beta.ppf(q, self.a, self.b), dtype=float)

    def interval(self, level: float) -> tuple[float, float]:
        """The central credible interval holding ``level`` of the belief."""
        lo, hi = self.ppf([(1 - level) / 2, (1 + level) / 2])
        return float(lo), float(hi)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray:
        return rng.beta(self.a, self.b, size)

    def updated(self, failures: int, successes: int) -> BetaBelief:
        """The conjugate posterior after observing ``failures`` and ``successes``."""
        return BetaBelief(self.a + failures, self.b + successes)

    def describe(self) -> str:
        lo, hi = self.interval(0.95)
        return f"Beta({self.a:g}, {self.b:g}): mean {self.mean:.4g}, 95% in [{lo:.4g}, {hi:.4g}]"


@dataclass(frozen=True)
class KnownProbability:
    """A failure probability taken as exactly known (a design claim, or a what-if)."""

    p: float

    def __post_init__(self) -> None:
        if not (0.0 <= self.p <= 1.0):
            raise InvalidInput("a probability must lie in [0, 1], got {value}", value=self.p)

    is_known = True

    @property
    def mean(self) -> float:
        return self.p

    def cdf(self, x: ArrayLike) -> FloatArray:
        return (np.asarray(x, dtype=float) >= self.p).astype(float)

    def ppf(self, q: ArrayLike) -> FloatArray:
        return np.full(np.shape(q), self.p, dtype=float)

    def interval(self, level: float) -> tuple[float, float]:
        return self.p, self.p

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray:
        return np.full(size, self.p, dtype=float)

    def updated(self, failures: int, successes: int) -> KnownProbability:
        """A known probability does not learn: it is returned unchanged."""
        return self

    def describe(self) -> str:
        return f"known {self.p:.6g}"


Belief: TypeAlias = BetaBelief | KnownProbability


def beta_from_mean(mean: float, trials: float) -> BetaBelief:
    """A Beta belief with this mean, worth ``trials`` observations (``a + b = trials``).

    >>> beta_from_mean(0.05, 200)
    BetaBelief(a=10.0, b=190.0)
    """
    if not (0 < mean < 1) or trials <= 0:
        raise InvalidInput("a Beta belief needs 0 < mean < 1 and trials > 0")
    return BetaBelief(mean * trials, (1 - mean) * trials)


# ---------------------------------------------------------------------------------------------
# When a working mechanism acts (days since emplacement)
# ---------------------------------------------------------------------------------------------


class TimeDistribution(Protocol):
    """When a *working* mechanism acts, in days since emplacement."""

    def survival(self, t: FloatArray) -> FloatArray:
        """``G(t) = P(T > t)``: the mechanism, though working, has not acted by ``t``."""
        ...

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray: ...

    @property
    def end(self) -> float:
        """The time by which it has surely acted (``inf`` for unbounded distributions)."""
        ...

    @property
    def breakpoints(self) -> tuple[float, ...]:
        """Times where ``G`` jumps or has a kink (for exact threshold times)."""
        ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class FixedTime:
    """Acts exactly ``days`` after emplacement (a set timer)."""

    days: float

    def __post_init__(self) -> None:
        if not (self.days >= 0 and math.isfinite(self.days)):
            raise InvalidInput("a fixed time must be ≥ 0 days, got {value}", value=self.days)

    def survival(self, t: FloatArray) -> FloatArray:
        return (np.asarray(t, dtype=float) < self.days).astype(float)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray:
        return np.full(size, self.days, dtype=float)

    @property
    def end(self) -> float:
        return self.days

    @property
    def breakpoints(self) -> tuple[float, ...]:
        return (self.days,)

    def describe(self) -> str:
        return f"at {self.days:g} d"


@dataclass(frozen=True)
class UniformTime:
    """Acts at a time spread evenly between ``low`` and ``high`` days (a stated range)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (0 <= self.low < self.high < math.inf):
            raise InvalidInput(
                "a uniform time needs 0 ≤ low < high, got {low}..{high}",
                low=self.low,
                high=self.high,
            )

    def survival(self, t: FloatArray) -> FloatArray:
        t = np.asarray(t, dtype=float)
        return np.clip((self.high - t) / (self.high - self.low), 0.0, 1.0)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray:
        # float32 draws: a continuous time needs no more than 7 digits, and they are cheaper
        u = rng.random(size, dtype=np.float32)
        return np.asarray(self.low + (self.high - self.low) * u)

    @property
    def end(self) -> float:
        return self.high

    @property
    def breakpoints(self) -> tuple[float, ...]:
        return (self.low, self.high)

    def describe(self) -> str:
        return f"uniform {self.low:g}–{self.high:g} d"


@dataclass(frozen=True)
class LognormalTime:
    """Acts at a lognormal time: half the working mechanisms by ``median`` days, with log-scale
    spread ``sigma``."""

    median: float
    sigma: float

    def __post_init__(self) -> None:
        if not (self.median > 0 and self.sigma > 0):
            raise InvalidInput("a lognormal time needs median > 0 and sigma > 0")

    def survival(self, t: FloatArray) -> FloatArray:
        return np.asarray(
            stats.lognorm.sf(np.asarray(t, dtype=float), self.sigma, scale=self.median),
            dtype=float,
        )

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray:
        z = rng.standard_normal(size, dtype=np.float32)  # see UniformTime.sample
        return np.asarray(self.median * np.exp(self.sigma * z))

    @property
    def end(self) -> float:
        return math.inf

    @property
    def breakpoints(self) -> tuple[float, ...]:
        return ()

    def describe(self) -> str:
        return f"lognormal median {self.median:g} d, sigma {self.sigma:g}"


@dataclass(frozen=True)
class WeibullTime:
    """Acts at a Weibull time with ``shape`` and ``scale`` (days): battery life is often
    described this way."""

    shape: float
    scale: float

    def __post_init__(self) -> None:
        if not (self.shape > 0 and self.scale > 0):
            raise InvalidInput("a Weibull time needs shape > 0 and scale > 0")

    def survival(self, t: FloatArray) -> FloatArray:
        t = np.maximum(np.asarray(t, dtype=float), 0.0)
        return np.asarray(np.exp(-((t / self.scale) ** self.shape)), dtype=float)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> FloatArray:
        return self.scale * rng.weibull(self.shape, size)

    @property
    def end(self) -> float:
        return math.inf

    @property
    def breakpoints(self) -> tuple[float, ...]:
        return ()

    def describe(self) -> str:
        return f"Weibull shape {self.shape:g}, scale {self.scale:g} d"


Timing: TypeAlias = FixedTime | UniformTime | LognormalTime | WeibullTime


@dataclass(frozen=True)
class Mechanism:
    """One safety mechanism: the probability it never acts, and when it acts if it works.

    >>> sd = Mechanism(KnownProbability(0.1), FixedTime(2))
    >>> sd.not_acted(np.array([1.0, 2.0]), 0.1).tolist()   # pending, then only failures left
    [1.0, 0.1]
    """

    failure: Belief
    timing: Timing

    @classmethod
    def absent(cls) -> Mechanism:
        """No such mechanism (e.g. a mine without self-deactivation): it never acts."""
        return cls(KnownProbability(1.0), FixedTime(0.0))

    @property
    def is_absent(self) -> bool:
        return isinstance(self.failure, KnownProbability) and self.failure.p == 1.0

    def not_acted(self, t: FloatArray, p: ArrayLike) -> FloatArray:
        """``S(t) = G(t) + (1 - G(t)) p``: P(not acted by t) given failure probability ``p``
        (broadcast: ``t`` and ``p`` may be arrays of compatible shapes)."""
        g = self.timing.survival(t)
        return np.asarray(g + (1.0 - g) * np.asarray(p, dtype=float), dtype=float)

    def describe(self) -> str:
        if self.is_absent:
            return "none"
        return f"fails with p {self.failure.describe()}; if working, acts {self.timing.describe()}"


# ---------------------------------------------------------------------------------------------
# Correlation between mines
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Independent:
    """Given the design's failure probabilities, every mine and both mechanisms of a mine fail
    independently."""

    def describe(self) -> str:
        return "independent failures given the design's failure probabilities"


@dataclass(frozen=True)
class LotVariation:
    """Mines come in production lots of ``mines_per_lot``; each lot's failure probability is
    drawn from a Beta around the design's (mean equal to it) with intra-lot correlation ``icc``
    (0 = independent mines, 1 = a lot fails all together or not at all), for SD and SDA."""

    mines_per_lot: int
    icc_self_destruct: float = 0.0
    icc_self_deactivation: float = 0.0

    def __post_init__(self) -> None:
        if self.mines_per_lot < 1:
            raise InvalidInput("mines_per_lot must be ≥ 1")
        for value in (self.icc_self_destruct, self.icc_self_deactivation):
            if not (0.0 <= value < 1.0):
                raise InvalidInput(
                    "an intra-lot correlation must lie in [0, 1), got {value}", value=value
                )

    def describe(self) -> str:
        return (
            f"lots of {self.mines_per_lot} mines; intra-lot correlation "
            f"SD {self.icc_self_destruct:g}, SDA {self.icc_self_deactivation:g}"
        )


DefectTarget = Literal["self_destruct", "self_deactivation", "both"]


@dataclass(frozen=True)
class LotDefect:
    """Mines come in lots of ``mines_per_lot``; a lot is defective with probability ``defect``
    (a belief), and then the named mechanism(s) fail in *every* mine of that lot (a bad batch of
    fuzes or batteries). Non-defective lots behave as the design says."""

    mines_per_lot: int
    defect: Belief
    disables: DefectTarget = "both"

    def __post_init__(self) -> None:
        if self.mines_per_lot < 1:
            raise InvalidInput("mines_per_lot must be ≥ 1")
        if self.disables not in ("self_destruct", "self_deactivation", "both"):
            raise InvalidInput("disables must be self_destruct, self_deactivation or both")

    def describe(self) -> str:
        return (
            f"lots of {self.mines_per_lot} mines; a lot is defective with "
            f"{self.defect.describe()}, disabling {self.disables.replace('_', '-')}"
        )


Correlation: TypeAlias = Independent | LotVariation | LotDefect


@dataclass(frozen=True)
class MineDesign:
    """A mine type's safety mechanisms and how their failures are correlated."""

    self_destruct: Mechanism
    self_deactivation: Mechanism
    correlation: Correlation = field(default_factory=Independent)
    name: str | None = None

    def describe(self) -> str:
        return (
            f"{self.name or 'mine design'}: self-destruct {self.self_destruct.describe()}; "
            f"self-deactivation {self.self_deactivation.describe()}; "
            f"{self.correlation.describe()}"
        )


@dataclass(frozen=True)
class Strike:
    """One strike: ``mines`` activated mines of one design, emplaced at t = 0."""

    mines: int
    design: MineDesign

    def __post_init__(self) -> None:
        if isinstance(self.mines, bool) or int(self.mines) != self.mines or self.mines < 0:
            raise InvalidInput(
                "the number of mines must be a whole number ≥ 0, got {value}", value=self.mines
            )
