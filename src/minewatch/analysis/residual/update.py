"""Learning a device's failure probabilities from what clearance finds in a struck area.

Field data: during clearance of an area struck with a known device, each mine found is

* **live** — intact and still able to function: its self-destruct (SD) failed *and* its
  self-deactivation (SDA) failed;
* **self-destructed** — its SD acted (fragments, a crater, the remains of the case): it says
  the SD worked and nothing about its SDA, which never got its turn;
* **inert** — intact but self-deactivated (e.g. a dead battery): its SD failed and its SDA
  worked.

Which counts update which parameter (conjugate Beta updates; Beta(a, b) with ``a`` counting
failures and ``b`` successes):

* ``p_sd  ~ Beta(a_sd  + live + inert, b_sd  + self_destructed)``
* ``p_sda ~ Beta(a_sda + live,         b_sda + inert)``

The likelihood factorises this way, and the two posteriors stay independent, only if the
clearance happened after every *working* mechanism had acted (otherwise a live mine may just be
pending). :func:`update_from_finds` therefore checks the clearance time against the timings when
it is given: if the SD timing has run out but the SDA's has not, only ``p_sd`` is updated; if
not even the SD timing has run out, the counts cannot be used and it says so.

Caveats a user should weigh: self-destructed mines leave less to count than intact ones, so an
undercount of them *overstates* the SD failure probability (the conservative direction); and
with :meth:`FieldFinds.from_clearance` every uncounted mine is taken as self-destructed, which
needs a complete clearance of the whole footprint.

>>> from minewatch.analysis.residual.design import (BetaBelief, FixedTime, Mechanism, MineDesign)
>>> prior = MineDesign(Mechanism(BetaBelief(1, 1), FixedTime(2)),
...                    Mechanism(BetaBelief(1, 1), FixedTime(100)))
>>> post = update_from_finds(prior, FieldFinds(live=2, self_destructed=90, inert=8))
>>> post.design.self_destruct.failure, post.design.self_deactivation.failure
(BetaBelief(a=11, b=91), BetaBelief(a=3, b=9))
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy import stats

from minewatch.analysis.residual.design import (
    Belief,
    FloatArray,
    KnownProbability,
    Mechanism,
    MineDesign,
)
from minewatch.errors import InvalidInput, Location

#: A mechanism counts as "run out" at the clearance when fewer than this fraction of working
#: mechanisms are still pending.
PENDING_TOLERANCE = 1e-3


@dataclass(frozen=True)
class FieldFinds:
    """Mines found in a struck area, by condition; ``days_after_emplacement`` is when the
    clearance took place (None: assumed after every mechanism's timing ran out)."""

    live: int = 0
    self_destructed: int = 0
    inert: int = 0
    days_after_emplacement: float | None = None

    def __post_init__(self) -> None:
        for name in ("live", "self_destructed", "inert"):
            value = getattr(self, name)
            if isinstance(value, bool) or int(value) != value or value < 0:
                raise InvalidInput(
                    "a count of mines must be a whole number ≥ 0, got {value}",
                    Location(field=name),
                    value=value,
                )

    @classmethod
    def from_clearance(
        cls, mines_delivered: int, live: int, inert: int, days_after_emplacement: float | None
    ) -> FieldFinds:
        """Finds of a complete clearance of a strike of ``mines_delivered`` activated mines,
        counting every mine not found intact as self-destructed."""
        destroyed = mines_delivered - live - inert
        if destroyed < 0:
            raise InvalidInput(
                "{live} live + {inert} inert mines exceed the {delivered} delivered",
                Location(field="mines_delivered"),
                live=live,
                inert=inert,
                delivered=mines_delivered,
            )
        return cls(live, destroyed, inert, days_after_emplacement)

    @property
    def total(self) -> int:
        return self.live + self.self_destructed + self.inert


@dataclass(frozen=True)
class UpdateResult:
    """The posterior design, the counts each belief took, and notes on what was assumed."""

    prior: MineDesign
    design: MineDesign
    self_destruct_counts: tuple[int, int] | None  # (failures, successes) added, or None
    self_deactivation_counts: tuple[int, int] | None
    notes: tuple[str, ...]


def _pending(mechanism: Mechanism, days: float) -> float:
    return float(mechanism.timing.survival(np.array([days]))[0])


def update_from_finds(prior: MineDesign, finds: FieldFinds) -> UpdateResult:
    """The design's failure beliefs updated with ``finds`` (see the module notes for which
    count updates which parameter). Known probabilities are left as they are."""
    sd, sda = prior.self_destruct, prior.self_deactivation
    notes: list[str] = []
    update_sda = True
    if finds.days_after_emplacement is None:
        notes.append("clearance time not given: assumed after every working mechanism had acted")
    else:
        days = finds.days_after_emplacement
        if _pending(sd, days) > PENDING_TOLERANCE:
            raise InvalidInput(
                "at {days:g} days {pending:.3g} of working self-destructs have not yet acted, so a "
                "live mine may simply be pending: field counts from before the self-destruct "
                "timing ran out cannot update the failure probabilities",
                Location(field="days_after_emplacement"),
                days=days,
                pending=_pending(sd, days),
            )
        if not sda.is_absent and _pending(sda, days) > PENDING_TOLERANCE:
            update_sda = False
            notes.append(
                f"at {days:g} days the self-deactivation timing had not run out: only the "
                "self-destruct failure probability was updated"
            )
    if sda.is_absent and finds.inert:
        raise InvalidInput(
            "inert (self-deactivated) mines were counted but the design has no self-deactivation",
            Location(field="inert"),
        )
    sd_counts = (finds.live + finds.inert, finds.self_destructed)
    sda_counts = (finds.live, finds.inert) if update_sda else None
    new_sd = dataclasses.replace(sd, failure=sd.failure.updated(*sd_counts))
    new_sda = sda
    if sda_counts is not None:
        new_sda = dataclasses.replace(sda, failure=sda.failure.updated(*sda_counts))
    for name, belief in (("self-destruct", sd.failure), ("self-deactivation", sda.failure)):
        if isinstance(belief, KnownProbability):
            notes.append(f"the {name} failure probability is fixed as known: not updated")
    posterior = dataclasses.replace(prior, self_destruct=new_sd, self_deactivation=new_sda)
    return UpdateResult(
        prior,
        posterior,
        sd_counts if not sd.failure.is_known else None,
        sda_counts if not sda.failure.is_known else None,
        tuple(notes),
    )


# ---------------------------------------------------------------------------------------------
# Posterior predictive for another strike with the same device
# ---------------------------------------------------------------------------------------------


def count_pmf(n: int, belief: Belief) -> FloatArray:
    """P(K = k), k = 0..n, for K of n mines whose mechanism fails: Beta-binomial(n, a, b) for a
    Beta belief, binomial for a known probability.

    >>> from minewatch.analysis.residual.design import BetaBelief
    >>> count_pmf(2, BetaBelief(1, 1)).round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    k = np.arange(n + 1)
    if isinstance(belief, KnownProbability):
        return np.asarray(stats.binom.pmf(k, n, belief.p), dtype=float)
    return np.asarray(stats.betabinom.pmf(k, n, belief.a, belief.b), dtype=float)


def _pmf_grid(j: np.ndarray, n: np.ndarray, belief: Belief) -> FloatArray:
    """P(J = j) for J of n failing (broadcast; 0 where j > n)."""
    if isinstance(belief, KnownProbability):
        out = stats.binom.pmf(j, n, belief.p)
    else:
        out = stats.betabinom.pmf(j, n, belief.a, belief.b)
    return np.nan_to_num(np.asarray(out, dtype=float))


@dataclass(frozen=True)
class StrikeOutlook:
    """What another strike of ``mines`` activated mines will leave, once every working
    mechanism has acted (independence assumed): the predictive distribution of the mines that
    stay live (both mechanisms failed), and the expected numbers by outcome."""

    mines: int
    live_pmf: FloatArray
    expected_live: float
    expected_inert: float
    expected_self_destructed: float

    @property
    def prob_any_live(self) -> float:
        return float(1.0 - self.live_pmf[0])

    def live_interval(self, level: float = 0.95) -> tuple[int, int]:
        """The central predictive interval of the number of live mines."""
        cdf = np.cumsum(self.live_pmf)
        lo = int(np.searchsorted(cdf, (1 - level) / 2 - 1e-12))
        hi = int(np.searchsorted(cdf, (1 + level) / 2 - 1e-12))
        return lo, min(hi, self.mines)


def predict_strike(design: MineDesign, mines: int) -> StrikeOutlook:
    """The posterior predictive for a new strike with the same device.

    The number ``K`` of mines whose self-destruct fails is Beta-binomial(n, a_sd, b_sd); of
    those, the number ``J`` whose self-deactivation also fails is Beta-binomial(K, a_sda,
    b_sda); so ``P(J = j) = Σ_k P(K = k) P(J = j | K = k)``, and ``P(J = 0)`` is the chance that
    nothing stays live.

    >>> from minewatch.analysis.residual.design import BetaBelief, FixedTime, Mechanism
    >>> d = MineDesign(Mechanism(BetaBelief(2, 98), FixedTime(2)), Mechanism.absent())
    >>> round(predict_strike(d, 50).prob_any_live, 10)   # 1 - B(2, 148) / B(2, 98)
    0.5600399057
    """
    if mines < 0:
        raise InvalidInput("the number of mines must be ≥ 0")
    sd, sda = design.self_destruct.failure, design.self_deactivation.failure
    k_pmf = count_pmf(mines, sd)
    k = np.arange(mines + 1)
    live_pmf = np.zeros(mines + 1)
    for start in range(0, mines + 1, 1024):  # rows of P(J = j | K = k), in bounded blocks
        rows = k[start : start + 1024, None]
        block = _pmf_grid(k[None, :], rows, sda)
        live_pmf += k_pmf[start : start + 1024] @ block
    mean_k = mines * sd.mean
    return StrikeOutlook(
        mines=mines,
        live_pmf=live_pmf,
        expected_live=mean_k * sda.mean,
        expected_inert=mean_k * (1 - sda.mean),
        expected_self_destructed=mines - mean_k,
    )
