"""Residual hazard of remotely delivered mines: how many are still live, days after a strike.

Definitions (used everywhere in this module, its CLI and its documentation)
---------------------------------------------------------------------------
* **Time** is measured in **days since emplacement**: ``t = 0`` is the moment the mines land
  and activate. Convert hours with :func:`hours`. Times are floats; every function accepts
  one time or an array of them.
* **Mines** are the *activated* mines of one strike (the population CCW Amended Protocol II,
  Technical Annex para. 3(a), speaks of). Mines that never armed (duds) are outside this model.
* Each mine has two safety mechanisms, each described by a :class:`Mechanism`:

  - **self-destruct (SD)**: the mine destroys itself at a time ``T_sd``;
  - **self-deactivation (SDA)**: the mine becomes inert (e.g. its battery dies) at ``T_sda``.

  A mechanism **fails** when it never acts at all: with the *failure probability* ``p`` it
  never acts (its time is infinite); otherwise it acts at a time drawn from its *timing*
  distribution (:class:`FixedTime`, :class:`UniformTime`, ...). A mechanism that works but has
  not yet reached its time has not failed: it is *pending*.
* A mine is **live** at time ``t`` when neither mechanism has acted by ``t``:
  ``T_sd > t`` and ``T_sda > t`` (strict: a mine whose SD acts exactly at ``t`` is not live
  at ``t``). With ``G(t) = P(T > t | the mechanism works)`` (the timing survival function), the
  probability that one mechanism has not acted by ``t`` is ``S(t) = G(t) + (1 - G(t)) p`` and,
  given the failure probabilities, a mine is live with probability
  ``q(t) = S_sd(t) · S_sda(t)``.
* **Independence assumption** (:class:`Independent`, the default): given the two failure
  probabilities, mines fail independently of each other, and the SD and SDA of one mine fail
  independently of each other. Production lots break this: :class:`LotVariation` draws each
  lot's failure probabilities around the design's, and :class:`LotDefect` lets a whole lot fail.
* **Uncertainty**: a failure probability is a :class:`BetaBelief` (what we know about it) or a
  :class:`KnownProbability`. Because the design's true rate is one unknown shared by every mine,
  outputs carry credible intervals over it (the *epistemic* uncertainty), besides the chance of
  which mines fail (the *aleatory* part, in the predictive probabilities).

Closed forms (independence)
---------------------------
* expected live mines: ``E[L(t)] = n · E[S_sd(t)] · E[S_sda(t)]``, with
  ``E[S(t)] = G(t) + (1 - G(t)) · a / (a + b)`` (also the mean under lot models);
* known ``p``: ``L(t) ~ Binomial(n, q(t))``, ``P(L(t) = 0) = (1 - q(t))^n``;
* one uncertain ``p ~ Beta(a, b)`` (the other mechanism's ``S = c`` known at ``t``): with
  ``K ~ BetaBinomial(n, a, b)`` mines whose mechanism failed,
  ``P(L = 0) = Σ_k P(K = k) (1 - c)^k (1 - G c)^(n - k)``; when ``c = 1, G = 0`` this is the
  Beta-binomial ``P(K = 0) = B(a, b + n) / B(a, b)``;
* both uncertain: the same sum averaged over the second ``p`` with 128-node Gauss–Jacobi
  quadrature (exact for strikes up to 255 mines, within 1e-12 in tests beyond).

Everything else (lot models, predictive intervals of the count) comes from the vectorised Monte
Carlo :func:`simulate`, which samples the whole path of live counts over a time grid exactly by
binomial thinning.

>>> design = MineDesign(
...     self_destruct=Mechanism(KnownProbability(0.1), FixedTime(hours(40))),
...     self_deactivation=Mechanism(KnownProbability(0.01), FixedTime(120)),
... )
>>> strike = Strike(mines=1000, design=design)
>>> float(expected_live(strike, 30))       # 10% of 1000 failed to self-destruct
100.0
>>> round(float(expected_live(strike, 120)), 6)   # ... and 1% of those failed to deactivate
1.0
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, Protocol, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

from minewatch.errors import InvalidInput, Location

FloatArray: TypeAlias = NDArray[np.float64]

HOURS_PER_DAY = 24.0
#: Gauss–Jacobi nodes for averaging over an uncertain failure probability.
QUADRATURE_NODES = 128
#: Midpoint nodes for the distribution of the live fraction when both probabilities are
#: uncertain (the credible intervals); 4096 gives level errors below 2.5e-4.
CDF_NODES = 4096


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
                raise InvalidInput(f"Beta parameter {name} must be > 0, got {value}")

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
            raise InvalidInput(f"a probability must lie in [0, 1], got {self.p}")

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
            raise InvalidInput(f"a fixed time must be ≥ 0 days, got {self.days}")

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
            raise InvalidInput(f"a uniform time needs 0 ≤ low < high, got {self.low}..{self.high}")

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
                raise InvalidInput(f"an intra-lot correlation must lie in [0, 1), got {value}")

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
            raise InvalidInput(f"the number of mines must be a whole number ≥ 0, got {self.mines}")


# ---------------------------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------------------------


def _defect_mean(design: MineDesign) -> float:
    return design.correlation.defect.mean if isinstance(design.correlation, LotDefect) else 0.0


def mean_live_fraction(design: MineDesign, t: ArrayLike) -> FloatArray | float:
    """The expected fraction of activated mines live at ``t`` days, averaged over the beliefs:
    ``E[S_sd(t)] · E[S_sda(t)]`` under independence and lot variation; with lot defects of
    probability ``π`` disabling mechanism(s), the defective fraction's survival replaces the
    disabled factor(s): e.g. for both, ``π + (1 - π) E[S_sd] E[S_sda]``.

    >>> d = MineDesign(Mechanism(KnownProbability(0.1), FixedTime(1)),
    ...                Mechanism(KnownProbability(0.5), FixedTime(2)))
    >>> mean_live_fraction(d, [0.5, 1.5, 2.5]).tolist()
    [1.0, 0.1, 0.05]
    """
    times = _times(t)
    sd = design.self_destruct.not_acted(times, design.self_destruct.failure.mean)
    sda = design.self_deactivation.not_acted(times, design.self_deactivation.failure.mean)
    _, live = lot_defect_survival(design.correlation, sd, sda)
    return _shape_like(t, np.asarray(live, dtype=float))


def lot_defect_survival(correlation: Correlation, s_sd: Any, s_sda: Any) -> tuple[Any, Any]:
    """``(mean S_sd, mean live fraction)`` once lot defects are mixed in (unchanged for other
    models): a defective lot's disabled mechanism never acts (``S = 1``). Works on floats,
    arrays and exact fractions alike, so the treaty check and the curves share one formula."""
    if not isinstance(correlation, LotDefect):
        return s_sd, s_sd * s_sda
    mean = correlation.defect.mean
    pi: Any = Fraction(repr(mean)) if isinstance(s_sd, Fraction) else mean  # exact stays exact
    if correlation.disables == "both":
        return pi + (1 - pi) * s_sd, pi + (1 - pi) * s_sd * s_sda
    if correlation.disables == "self_destruct":
        s_sd = pi + (1 - pi) * s_sd
        return s_sd, s_sd * s_sda
    return s_sd, s_sd * (pi + (1 - pi) * s_sda)


def expected_live(strike: Strike, t: ArrayLike) -> FloatArray | float:
    """Expected number of live mines ``t`` days after emplacement (exact for every correlation
    model: lots change the spread, not the mean).

    >>> d = MineDesign(Mechanism(BetaBelief(1, 9), FixedTime(1)), Mechanism.absent())
    >>> float(expected_live(Strike(200, d), 3))    # 200 × E[p] = 200 × 0.1
    20.0
    """
    return _shape_like(t, strike.mines * np.atleast_1d(mean_live_fraction(strike.design, t)))


def _log_count_pmf(n: int, belief: Belief) -> FloatArray:
    """log P(K = k), k = 0..n, for the number of mines (of n) whose mechanism failed."""
    k = np.arange(n + 1)
    if isinstance(belief, KnownProbability):
        with np.errstate(divide="ignore"):
            return np.asarray(stats.binom.logpmf(k, n, belief.p), dtype=float)
    return np.asarray(stats.betabinom.logpmf(k, n, belief.a, belief.b), dtype=float)


def _log_none_live_given(
    n: int, log_pmf_failed: FloatArray, pending: FloatArray, other: FloatArray
) -> FloatArray:
    """log P(no live mine) when K mines (log pmf given) have a failed first mechanism, each
    working first mechanism is still pending with probability ``pending`` and the other
    mechanism has not acted with probability ``other`` (arrays broadcast over leading axes)."""
    k = np.arange(n + 1, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        dead_failed = np.log1p(-np.minimum(other, 1.0))[..., None]
        dead_working = np.log1p(-np.minimum(pending * other, 1.0))[..., None]
        failed_part = np.where(k == 0, 0.0, k * dead_failed)  # 0 · log 0 counts as 0
        working_part = np.where(k == n, 0.0, (n - k) * dead_working)
        terms = log_pmf_failed + failed_part + working_part
    return np.asarray(special.logsumexp(terms, axis=-1), dtype=float)


def _require_independent(design: MineDesign, what: str) -> None:
    if not isinstance(design.correlation, Independent):
        raise InvalidInput(
            f"{what} has a closed form only under independence; "
            f"use simulate() for {design.correlation.describe()}"
        )


def prob_no_live(strike: Strike, t: ArrayLike) -> FloatArray | float:
    """Posterior-predictive probability that *no* mine of the strike is live at ``t`` days,
    ``E[(1 - q(t))^n]`` over the beliefs (independence only; see the module notes).

    >>> d = MineDesign(Mechanism(BetaBelief(2, 98), FixedTime(1)), Mechanism.absent())
    >>> round(float(prob_no_live(Strike(50, d), 5)), 10)  # Beta-binomial B(2, 148)/B(2, 98)
    0.4399600943
    """
    design = strike.design
    _require_independent(design, "P(no live mine)")
    times = _times(t)
    n = int(strike.mines)
    sd, sda = design.self_destruct, design.self_deactivation
    if n == 0:
        return _shape_like(t, np.ones_like(times))
    g_sd, g_sda = sd.timing.survival(times), sda.timing.survival(times)
    if sd.failure.is_known and sda.failure.is_known:
        q = sd.not_acted(times, sd.failure.mean) * sda.not_acted(times, sda.failure.mean)
        with np.errstate(divide="ignore"):
            out = np.exp(n * np.log1p(-np.minimum(q, 1.0)))
        return _shape_like(t, out)
    # Sum exactly over the mechanism with an uncertain p; average over the other's p.
    first, second = (sd, sda) if not sd.failure.is_known else (sda, sd)
    g_first = g_sd if first is sd else g_sda
    log_pmf = _log_count_pmf(n, first.failure)
    if second.failure.is_known:
        other = second.not_acted(times, second.failure.mean)
        out = np.exp(_log_none_live_given(n, log_pmf, g_first, other))
        return _shape_like(t, out)
    assert isinstance(second.failure, BetaBelief)
    nodes, weights = _beta_quadrature(second.failure)
    out = np.empty_like(times)
    step = max(1, 4_000_000 // (nodes.size * (n + 1)))  # bound memory: chunks of times
    for start in range(0, times.size, step):
        part = slice(start, start + step)
        other = second.not_acted(times[part, None], nodes[None, :])  # (times, nodes)
        per_node = np.exp(_log_none_live_given(n, log_pmf, g_first[part, None], other))
        out[part] = per_node @ weights
    return _shape_like(t, out)


def prob_any_live(strike: Strike, t: ArrayLike) -> FloatArray | float:
    """Posterior-predictive probability that at least one mine is live at ``t`` days."""
    return _shape_like(t, 1.0 - np.atleast_1d(prob_no_live(strike, t)))


def _beta_quadrature(belief: BetaBelief) -> tuple[FloatArray, FloatArray]:
    """Gauss–Jacobi nodes and weights for averaging a function of p over Beta(a, b)."""
    x, w = special.roots_jacobi(QUADRATURE_NODES, belief.b - 1.0, belief.a - 1.0)
    return (x + 1.0) / 2.0, w / w.sum()


# -- the distribution of the live fraction q(t) over the beliefs (credible intervals) ---------


def live_fraction_cdf(design: MineDesign, t: float, x: ArrayLike) -> FloatArray:
    """``P(q(t) ≤ x)`` over the beliefs, where ``q(t) = S_sd(t) S_sda(t)`` is the probability that
    one mine is live at ``t`` given the failure probabilities (the design's live fraction).

    Exact when at most one probability is uncertain; otherwise averaged over 4096 quantile
    midpoints of the SDA belief.
    """
    xs = np.asarray(x, dtype=float)
    sd, sda = design.self_destruct, design.self_deactivation
    g_sd = float(sd.timing.survival(np.array([t]))[0])
    g_sda = float(sda.timing.survival(np.array([t]))[0])
    if sda.failure.is_known or g_sda == 1.0:
        other = np.array([g_sda + (1 - g_sda) * sda.failure.mean])
        return _cdf_linear(sd.failure, g_sd, other, xs).mean(axis=-1)
    if sd.failure.is_known or g_sd == 1.0:
        other = np.array([g_sd + (1 - g_sd) * sd.failure.mean])
        return _cdf_linear(sda.failure, g_sda, other, xs).mean(axis=-1)
    other = g_sda + (1 - g_sda) * _midpoint_quantiles(sda.failure)
    return _cdf_linear(sd.failure, g_sd, other, xs).mean(axis=-1)


@functools.lru_cache(maxsize=64)
def _midpoint_quantiles(belief: BetaBelief) -> FloatArray:
    u = (np.arange(CDF_NODES) + 0.5) / CDF_NODES
    return belief.ppf(u)


def _cdf_linear(belief: Belief, g: float, factor: FloatArray, x: FloatArray) -> FloatArray:
    """P(factor · (g + (1 - g) p) ≤ x) for p ~ belief, for each factor (last axis)."""
    x = x[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(factor > 0, x / factor, np.inf)  # the S value at which q = x
    if g >= 1.0:
        return (s >= 1.0).astype(float)
    p = (s - g) / (1.0 - g)
    out = np.where(p >= 1.0, 1.0, belief.cdf(np.clip(p, 0.0, 1.0)))
    return np.where(p < 0.0, 0.0, out)


def live_fraction_quantiles(design: MineDesign, t: ArrayLike, probs: ArrayLike) -> FloatArray:
    """Quantiles of the live fraction ``q(t)`` (rows: times, columns: ``probs``).

    Exact (through the Beta quantile function) when at most one failure probability is
    uncertain at ``t``; otherwise the root of :func:`live_fraction_cdf` (Brent, to 1e-13).
    """
    times = _times(t)
    ps = np.atleast_1d(np.asarray(probs, dtype=float))
    sd, sda = design.self_destruct, design.self_deactivation
    g_sd, g_sda = sd.timing.survival(times), sda.timing.survival(times)
    s_sd_mean = sd.not_acted(times, sd.failure.mean)
    s_sda_mean = sda.not_acted(times, sda.failure.mean)
    out = np.empty((times.size, ps.size))
    for i, ti in enumerate(times):
        sd_fixed = sd.failure.is_known or g_sd[i] == 1.0
        sda_fixed = sda.failure.is_known or g_sda[i] == 1.0
        if sda_fixed:  # q = c · S_sd(p_sd), increasing in p_sd: map its quantiles
            out[i] = s_sda_mean[i] * (g_sd[i] + (1 - g_sd[i]) * sd.failure.ppf(ps))
        elif sd_fixed:
            out[i] = s_sd_mean[i] * (g_sda[i] + (1 - g_sda[i]) * sda.failure.ppf(ps))
        else:
            out[i] = [_root_of_cdf(design, float(ti), float(p)) for p in ps]
    return out


def _root_of_cdf(design: MineDesign, t: float, prob: float) -> float:
    def gap(x: float) -> float:
        return float(live_fraction_cdf(design, t, np.array([x]))[0]) - prob

    if gap(0.0) >= 0:
        return 0.0
    if gap(1.0) <= 0:
        return 1.0
    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-15, rtol=1e-13))


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecayCurve:
    """Live mines over time for one strike, with credible intervals.

    * ``expected_live``: posterior-predictive mean number of live mines;
      ``expected_live_lower``/``upper``: the central ``level`` credible interval of the expected
      number given the unknown failure probabilities (``n · q(t)``).
    * ``prob_any_live``: posterior-predictive P(at least one live mine);
      ``prob_any_live_lower``/``upper``: its credible interval over the unknown probabilities
      (and, in lot models, over this strike's lots).
    * ``live_count_lower``/``upper``: the predictive interval of the count itself (Monte Carlo
      only, else None).
    """

    times: FloatArray
    mines: int
    level: float
    expected_live: FloatArray
    expected_live_lower: FloatArray
    expected_live_upper: FloatArray
    prob_any_live: FloatArray
    prob_any_live_lower: FloatArray
    prob_any_live_upper: FloatArray
    method: str
    draws: int | None = None
    live_count_lower: FloatArray | None = None
    live_count_upper: FloatArray | None = None
    expected_live_se: FloatArray | None = None
    prob_any_live_se: FloatArray | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per time, the columns named as the fields (``days`` for the times)."""
        cols: dict[str, FloatArray] = {"days": self.times}
        for name in (
            "expected_live",
            "expected_live_lower",
            "expected_live_upper",
            "prob_any_live",
            "prob_any_live_lower",
            "prob_any_live_upper",
            "live_count_lower",
            "live_count_upper",
        ):
            value = getattr(self, name)
            if value is not None:
                cols[name] = value
        return pd.DataFrame(cols)


def _interval_probs(level: float) -> tuple[float, float]:
    if not (0 < level < 1):
        raise InvalidInput(f"the credible level must lie in (0, 1), got {level}")
    return (1 - level) / 2, (1 + level) / 2


def closed_form_curve(strike: Strike, times: ArrayLike, level: float = 0.95) -> DecayCurve:
    """The decay curve from the closed forms (independence only)."""
    _require_independent(strike.design, "the closed-form decay curve")
    ts = _times(times, "times")
    lo, hi = _interval_probs(level)
    q = live_fraction_quantiles(strike.design, ts, [lo, hi])
    n = strike.mines
    with np.errstate(divide="ignore"):
        any_lo = -np.expm1(n * np.log1p(-np.minimum(q[:, 0], 1.0)))
        any_hi = -np.expm1(n * np.log1p(-np.minimum(q[:, 1], 1.0)))
    return DecayCurve(
        times=ts,
        mines=n,
        level=level,
        expected_live=np.atleast_1d(expected_live(strike, ts)),
        expected_live_lower=n * q[:, 0],
        expected_live_upper=n * q[:, 1],
        prob_any_live=np.atleast_1d(prob_any_live(strike, ts)),
        prob_any_live_lower=any_lo,
        prob_any_live_upper=any_hi,
        method="closed form",
    )


def decay_curve(
    strike: Strike,
    times: ArrayLike,
    level: float = 0.95,
    *,
    method: Literal["auto", "closed", "monte_carlo"] = "auto",
    draws: int = 20_000,
    seed: int | None = 0,
) -> DecayCurve:
    """Live mines over ``times`` (days since emplacement): closed forms under independence
    (``auto``), Monte Carlo otherwise or when asked.

    >>> d = MineDesign(Mechanism(BetaBelief(1, 99), FixedTime(2)),
    ...                Mechanism(KnownProbability(0.1), FixedTime(100)))
    >>> c = decay_curve(Strike(500, d), [1, 10, 200])
    >>> c.expected_live.round(3).tolist()
    [500.0, 5.0, 0.5]
    """
    if method == "closed" or (
        method == "auto" and isinstance(strike.design.correlation, Independent)
    ):
        return closed_form_curve(strike, times, level)
    return simulate(strike, times, draws=draws, seed=seed, level=level).curve


# ---------------------------------------------------------------------------------------------
# Monte Carlo
# ---------------------------------------------------------------------------------------------


def _lot_sizes(n: int, correlation: Correlation) -> NDArray[np.int64]:
    if isinstance(correlation, Independent) or n == 0:
        return np.array([n], dtype=np.int64)
    m = correlation.mines_per_lot
    sizes = np.full(n // m, m, dtype=np.int64)
    return np.append(sizes, n % m) if n % m else sizes


def _lot_probabilities(
    design_p: FloatArray, icc: float, n_lots: int, rng: np.random.Generator
) -> FloatArray:
    """Each lot's failure probability, Beta-distributed around the design's (draws, lots)."""
    p = np.broadcast_to(design_p[:, None], (design_p.size, n_lots))
    if icc == 0.0:
        return np.array(p)
    concentration = (1.0 - icc) / icc
    inner = (p > 0) & (p < 1)
    a = np.where(inner, p * concentration, 1.0)
    b = np.where(inner, (1 - p) * concentration, 1.0)
    return np.where(inner, rng.beta(a, b), p)


def _draw_lot_parameters(
    design: MineDesign, draws: int, n_lots: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Design-level and per-lot failure probabilities: (p_sd, p_sda) of shape (draws,) and
    their per-lot versions of shape (draws, lots)."""
    p_sd = design.self_destruct.failure.sample(rng, draws)
    p_sda = design.self_deactivation.failure.sample(rng, draws)
    corr = design.correlation
    if isinstance(corr, LotVariation):
        lot_sd = _lot_probabilities(p_sd, corr.icc_self_destruct, n_lots, rng)
        lot_sda = _lot_probabilities(p_sda, corr.icc_self_deactivation, n_lots, rng)
    else:
        lot_sd = np.repeat(p_sd[:, None], n_lots, axis=1)
        lot_sda = np.repeat(p_sda[:, None], n_lots, axis=1)
    if isinstance(corr, LotDefect):
        defect_rate = corr.defect.sample(rng, draws)
        defective = rng.random((draws, n_lots)) < defect_rate[:, None]
        if corr.disables in ("self_destruct", "both"):
            lot_sd = np.where(defective, 1.0, lot_sd)
        if corr.disables in ("self_deactivation", "both"):
            lot_sda = np.where(defective, 1.0, lot_sda)
    return p_sd, p_sda, lot_sd, lot_sda


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo draws for one strike: ``live[d, j]`` live mines in draw d at ``times[j]``;
    ``expected_given[d, j]`` the expected count and ``prob_any_given[d, j]`` P(≥ 1 live) given
    draw d's failure probabilities (design and lots)."""

    times: FloatArray
    live: NDArray[np.int64]
    expected_given: FloatArray
    prob_any_given: FloatArray
    curve: DecayCurve

    def time_until_below(self, threshold: float) -> ThresholdTime:
        """The first simulated time at which P(at least one live mine) < ``threshold``, on the
        simulated grid (so as fine as the grid): the predictive estimate, and the credible
        interval of the same time given each draw's probabilities. ``inf`` means not within the
        grid; use the closed form (:func:`time_until_below`) for exact times under
        independence."""
        if not (0 < threshold < 1):
            raise InvalidInput(f"the threshold must lie in (0, 1), got {threshold}")
        order = np.argsort(self.times, kind="stable")
        grid = np.append(self.times[order], np.inf)

        def first(below: NDArray[np.bool_]) -> NDArray[np.float64]:
            hit = np.where(below.any(axis=-1), below.argmax(axis=-1), len(order))
            return np.asarray(grid[hit], dtype=float)

        point = float(first(self.curve.prob_any_live[order] < threshold))
        per_draw = first(self.prob_any_given[:, order] < threshold)
        lo, hi = _interval_probs(self.curve.level)
        lower, upper = np.quantile(per_draw, [lo, hi], method="inverted_cdf")
        return ThresholdTime(threshold, point, float(lower), float(upper), self.curve.level)


def simulate(
    strike: Strike,
    times: ArrayLike,
    *,
    draws: int = 20_000,
    seed: int | None = 0,
    level: float = 0.95,
    chunk: int = 5_000,
) -> Simulation:
    """Monte Carlo of the live count over ``times`` (days, any order), for every correlation
    model.

    Each draw takes the design's failure probabilities from their beliefs, then each lot's (lot
    models), and follows the live count of each lot through the sorted times by binomial
    thinning: ``L(t_j) ~ Binomial(L(t_{j-1}), q(t_j) / q(t_{j-1}))``. Given the probabilities the
    mines' lifetimes are independent with survival ``q``, so this samples the joint path
    exactly, at a cost per draw that does not grow with the number of mines.
    """
    if draws < 2:
        raise InvalidInput("draws must be ≥ 2")
    ts = _times(times, "times")
    order = np.argsort(ts, kind="stable")
    sorted_t = ts[order]
    rng = np.random.default_rng(seed)
    sizes = _lot_sizes(int(strike.mines), strike.design.correlation)
    parts = [
        _simulate_chunk(strike.design, sorted_t, sizes, min(chunk, draws - start), rng)
        for start in range(0, draws, chunk)
    ]
    live = np.concatenate([p[0] for p in parts])
    expected_given = np.concatenate([p[1] for p in parts])
    prob_any_given = np.concatenate([p[2] for p in parts])
    inverse = np.argsort(order)
    live, expected_given, prob_any_given = (
        live[:, inverse],
        expected_given[:, inverse],
        prob_any_given[:, inverse],
    )
    curve = _curve_from_draws(ts, int(strike.mines), live, expected_given, prob_any_given, level)
    return Simulation(ts, live, expected_given, prob_any_given, curve)


def _simulate_chunk(
    design: MineDesign,
    sorted_t: FloatArray,
    sizes: NDArray[np.int64],
    draws: int,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    _, _, lot_sd, lot_sda = _draw_lot_parameters(design, draws, sizes.size, rng)
    sd, sda = design.self_destruct, design.self_deactivation
    g_sd, g_sda = sd.timing.survival(sorted_t), sda.timing.survival(sorted_t)
    # q[d, lot, j]: a mine of this lot is live at t_j
    q = (g_sd + (1 - g_sd) * lot_sd[..., None]) * (g_sda + (1 - g_sda) * lot_sda[..., None])
    prev = np.concatenate([np.ones((*q.shape[:-1], 1)), q[..., :-1]], axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.clip(np.where(prev > 0, q / prev, 0.0), 0.0, 1.0)
    live = np.empty((draws, sizes.size, sorted_t.size), dtype=np.int64)
    current = np.broadcast_to(sizes, (draws, sizes.size))
    for j in range(sorted_t.size):
        current = rng.binomial(current, ratio[..., j])
        live[..., j] = current
    with np.errstate(divide="ignore"):
        log_none = (sizes[None, :, None] * np.log1p(-np.minimum(q, 1.0))).sum(axis=1)
    expected = (sizes[None, :, None] * q).sum(axis=1)
    return live.sum(axis=1), expected, -np.expm1(log_none)


def _curve_from_draws(
    ts: FloatArray,
    n: int,
    live: NDArray[np.int64],
    expected_given: FloatArray,
    prob_any_given: FloatArray,
    level: float,
) -> DecayCurve:
    lo, hi = _interval_probs(level)
    draws = live.shape[0]
    any_live = (live > 0).mean(axis=0)
    e_lo, e_hi = np.quantile(expected_given, [lo, hi], axis=0)
    p_lo, p_hi = np.quantile(prob_any_given, [lo, hi], axis=0)
    c_lo, c_hi = np.quantile(live, [lo, hi], axis=0, method="inverted_cdf")
    return DecayCurve(
        times=ts,
        mines=n,
        level=level,
        expected_live=live.mean(axis=0),
        expected_live_lower=e_lo,
        expected_live_upper=e_hi,
        prob_any_live=any_live,
        prob_any_live_lower=p_lo,
        prob_any_live_upper=p_hi,
        method="monte carlo",
        draws=draws,
        live_count_lower=c_lo.astype(float),
        live_count_upper=c_hi.astype(float),
        expected_live_se=live.std(axis=0, ddof=1) / np.sqrt(draws),
        prob_any_live_se=np.sqrt(any_live * (1 - any_live) / draws),
    )


def simulate_mines(
    strike: Strike, times: ArrayLike, *, draws: int, seed: int | None = 0, chunk: int = 256
) -> NDArray[np.int64]:
    """Live counts (draws × times) by sampling every mine's two mechanisms: the literal model,
    slower than :func:`simulate` (cost grows with the number of mines) and kept as its check.
    Lot models are honoured the same way (each mine takes its lot's probabilities)."""
    ts = _times(times, "times")
    rng = np.random.default_rng(seed)
    n = int(strike.mines)
    design = strike.design
    sizes = _lot_sizes(n, design.correlation)
    lot_of_mine = np.repeat(np.arange(sizes.size), sizes)
    out = []
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        _, _, lot_sd, lot_sda = _draw_lot_parameters(design, size, sizes.size, rng)
        if sizes.size == 1:  # one lot: broadcast its column instead of copying it per mine
            p_sd, p_sda = lot_sd[:, :1], lot_sda[:, :1]
        else:
            p_sd, p_sda = lot_sd[:, lot_of_mine], lot_sda[:, lot_of_mine]
        shape = (size, n)
        life = np.minimum(
            _mechanism_times(design.self_destruct, p_sd, shape, rng),
            _mechanism_times(design.self_deactivation, p_sda, shape, rng),
        )
        # one contiguous comparison per time is several times faster than a 3-D broadcast
        out.append(np.stack([np.count_nonzero(life > tj, axis=1) for tj in ts], axis=1))
    return np.concatenate(out)


def _mechanism_times(
    mechanism: Mechanism, p: FloatArray, shape: tuple[int, int], rng: np.random.Generator
) -> FloatArray:
    # float32 uniforms suffice for a yes/no draw against p and halve the generator's work
    failed = rng.random(shape, dtype=np.float32) < p
    return np.where(failed, np.inf, mechanism.timing.sample(rng, shape))


# ---------------------------------------------------------------------------------------------
# Time until P(at least one live mine) falls below a threshold
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdTime:
    """Days after emplacement until P(at least one live mine) < ``threshold``.

    ``days`` uses the posterior-predictive probability; ``lower``/``upper`` are the central
    ``level`` credible interval of the time at which that probability, *given* the failure
    probabilities, drops below the threshold. ``inf`` means never (the probability that both
    mechanisms of some mine failed is itself above the threshold).
    """

    threshold: float
    days: float
    lower: float
    upper: float
    level: float


def _first_below(
    f: Callable[[FloatArray], FloatArray], target: float, breakpoints: tuple[float, ...]
) -> float:
    """The smallest t ≥ 0 with f(t) < target, for f non-increasing (right-continuous)."""
    if float(f(np.array([0.0]))[0]) < target:
        return 0.0
    hi = 1.0
    while float(f(np.array([hi]))[0]) >= target:
        hi *= 2.0
        if hi > 1e7:
            return math.inf
    lo = 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if float(f(np.array([mid]))[0]) < target:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    for b in sorted(breakpoints):  # snap to a timer's exact instant when that is the answer
        if lo <= b <= hi and float(f(np.array([b]))[0]) < target:
            return float(b)
    return hi


def time_until_below(strike: Strike, threshold: float, level: float = 0.95) -> ThresholdTime:
    """Days until P(at least one live mine) falls below ``threshold`` (independence only).

    >>> d = MineDesign(Mechanism(KnownProbability(0.0), FixedTime(3)), Mechanism.absent())
    >>> time_until_below(Strike(100, d), 0.01).days     # every mine self-destructs on day 3
    3.0
    """
    if not (0 < threshold < 1):
        raise InvalidInput(f"the threshold must lie in (0, 1), got {threshold}")
    _require_independent(strike.design, "the time to a threshold")
    design = strike.design
    sd, sda = design.self_destruct, design.self_deactivation
    breaks = sd.timing.breakpoints + sda.timing.breakpoints

    def never(f: Callable[[FloatArray], FloatArray]) -> bool:
        return float(f(np.array([_far(design)]))[0]) >= threshold

    def point_f(t: FloatArray) -> FloatArray:
        return np.atleast_1d(prob_any_live(strike, t))

    point = math.inf if never(point_f) else _first_below(point_f, threshold, breaks)
    lo_p, hi_p = _interval_probs(level)
    n = int(strike.mines)
    # P(any live | p) < threshold  ⇔  q(t; p) < q*, with q* = 1 - (1 - threshold)^(1/n)
    q_star = -math.expm1(math.log1p(-threshold) / n) if n else 1.0

    def bound(prob: float) -> float:
        # The prob-quantile of the threshold time T*: P(T* ≤ t) = P(q(t) < q*), increasing in t.
        def not_yet(t: FloatArray) -> FloatArray:
            return np.array([-_cdf_strict(design, float(t[0]), q_star)])

        target = -prob + 1e-12  # not_yet(t) < target  ⇔  P(T* ≤ t) ≥ prob
        if float(not_yet(np.array([_far(design)]))[0]) >= target:
            return math.inf
        return _first_below(not_yet, target, breaks)

    return ThresholdTime(threshold, point, bound(lo_p), bound(hi_p), level)


def _cdf_strict(design: MineDesign, t: float, x: float) -> float:
    """P(q(t) < x): the left limit of the CDF, so that a fixed timer counts at its instant."""
    return float(live_fraction_cdf(design, t, np.array([np.nextafter(x, 0.0)]))[0])


def _far(design: MineDesign) -> float:
    """A time by which every working mechanism has (for practical purposes) acted."""
    ends = []
    for mech in (design.self_destruct, design.self_deactivation):
        timing = mech.timing
        if isinstance(timing, LognormalTime):
            ends.append(timing.median * math.exp(10 * timing.sigma))
        elif isinstance(timing, WeibullTime):
            ends.append(timing.scale * 60.0 ** (1 / timing.shape))
        else:
            ends.append(timing.end)
    return max(ends) + 1.0


# ---------------------------------------------------------------------------------------------
# Many strikes at once
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioSummary:
    """Monte Carlo summaries for many strikes, each at its own assessment time.

    Per strike, over the draws of the unknown failure probabilities ``θ``: ``expected_live``
    (mean of ``n q(θ)``) with its credible interval ``expected_live_lower``/``upper``, and
    ``prob_any_live`` (mean of ``1 - (1 - q(θ))^n``) with ``prob_any_live_lower``/``upper``.
    The aleatory part is integrated exactly given each draw (Rao–Blackwellisation), which both
    removes its sampling noise and avoids drawing counts. ``expected_total`` holds, per draw,
    the expected live mines summed over all strikes (coherent because the strikes of one design
    share each draw's probabilities).

    With ``sample_counts``, live counts are drawn too: ``live_lower``/``upper`` is then the
    predictive interval of each strike's count and ``total_live`` the draws of the total.
    """

    expected_live: FloatArray
    expected_live_lower: FloatArray
    expected_live_upper: FloatArray
    prob_any_live: FloatArray
    prob_any_live_lower: FloatArray
    prob_any_live_upper: FloatArray
    expected_total: FloatArray
    draws: int
    level: float
    live_lower: FloatArray | None = None
    live_upper: FloatArray | None = None
    total_live: NDArray[np.int64] | None = None


def simulate_portfolio(
    mines: ArrayLike,
    days: ArrayLike,
    designs: list[MineDesign],
    design_of_strike: ArrayLike | None = None,
    *,
    draws: int = 10_000,
    seed: int | None = 0,
    level: float = 0.95,
    sample_counts: bool = False,
    chunk_elements: int = 2_000_000,
) -> PortfolioSummary:
    """Many strikes (independence model): ``mines[i]`` activated mines of
    ``designs[design_of_strike[i]]`` assessed ``days[i]`` after their emplacement.

    Memory stays bounded: strikes are processed in chunks of ``chunk_elements`` strike-draws.
    Within one draw every strike of a design takes the same failure probabilities, because the
    design's true rate is one unknown shared by all of them.
    """
    n = np.asarray(mines, dtype=np.int64)
    t = _times(days, "days")
    which = (
        np.zeros(n.size, dtype=np.int64)
        if design_of_strike is None
        else np.asarray(design_of_strike, dtype=np.int64)
    )
    if not (n.shape == t.shape == which.shape) or (n < 0).any():
        raise InvalidInput("mines, days and designs must give one value ≥ 0 per strike")
    if which.size and (which.min() < 0 or which.max() >= len(designs)):
        raise InvalidInput("design_of_strike refers to a design that is not in the list")
    for d in designs:
        _require_independent(d, "simulate_portfolio")
    probs = _interval_probs(level)
    rng = np.random.default_rng(seed)
    p_sd = np.stack([d.self_destruct.failure.sample(rng, draws) for d in designs])
    p_sda = np.stack([d.self_deactivation.failure.sample(rng, draws) for d in designs])
    names = ["mean", "e_lo", "e_hi", "any", "a_lo", "a_hi"]
    if sample_counts:
        names += ["c_lo", "c_hi"]
    out = {k: np.empty(n.size) for k in names}
    expected_total = np.zeros(draws)
    total = np.zeros(draws, dtype=np.int64) if sample_counts else None
    step = max(1, chunk_elements // draws)
    for start in range(0, n.size, step):
        part = slice(start, start + step)
        q = _portfolio_live_fraction(designs, t[part], which[part], p_sd, p_sda)
        size = n[part].astype(float)
        expected_total += size @ q
        with np.errstate(divide="ignore"):
            any_live = -np.expm1(size[:, None] * np.log1p(-np.minimum(q, 1.0)))
        out["mean"][part] = size * q.mean(axis=1)
        out["any"][part] = any_live.mean(axis=1)
        # n q and 1 - (1 - q)^n are increasing in q: one quantile of q serves both intervals
        q_lo, q_hi = np.quantile(q, probs, axis=1)
        out["e_lo"][part], out["e_hi"][part] = size * q_lo, size * q_hi
        with np.errstate(divide="ignore"):
            out["a_lo"][part] = -np.expm1(size * np.log1p(-np.minimum(q_lo, 1.0)))
            out["a_hi"][part] = -np.expm1(size * np.log1p(-np.minimum(q_hi, 1.0)))
        if total is not None:
            live = rng.binomial(n[part, None], q)
            total += live.sum(axis=0)
            out["c_lo"][part], out["c_hi"][part] = np.quantile(
                live, probs, axis=1, method="inverted_cdf"
            )
    return PortfolioSummary(
        out["mean"],
        out["e_lo"],
        out["e_hi"],
        out["any"],
        out["a_lo"],
        out["a_hi"],
        expected_total,
        draws,
        level,
        out.get("c_lo"),
        out.get("c_hi"),
        total,
    )


def _portfolio_live_fraction(
    designs: list[MineDesign],
    t: FloatArray,
    which: NDArray[np.int64],
    p_sd: FloatArray,
    p_sda: FloatArray,
) -> FloatArray:
    """q (strikes × draws) for one chunk of strikes."""
    g_sd = np.empty(t.size)
    g_sda = np.empty(t.size)
    for k, d in enumerate(designs):
        mask = which == k
        if mask.any():
            g_sd[mask] = d.self_destruct.timing.survival(t[mask])
            g_sda[mask] = d.self_deactivation.timing.survival(t[mask])
    # one design: broadcast its row of draws rather than copying it for every strike
    rows = slice(0, 1) if len(designs) == 1 else which
    s_sd = g_sd[:, None] + (1 - g_sd[:, None]) * p_sd[rows]
    s_sd *= g_sda[:, None] + (1 - g_sda[:, None]) * p_sda[rows]
    return np.asarray(s_sd)
