"""What finding nothing proves: accept-on-zero sample sizes and zero-find bounds.

A release decision often rests on a search that found nothing. Examples are a
post-clearance sample of search units, or a technical survey of part of an area. IMAS
07.11 asks for "justifiable confidence" that no explosive ordnance remains. These
functions put a number on that confidence under stated assumptions:

* :func:`accept_on_zero_sample_size`: how many of N search units to inspect so that
  finding nothing gives Y % confidence that at least X % of the units are clean
  (hypergeometric, exact);
* :func:`zero_find_poisson`, :func:`zero_find_binomial`: the upper confidence bound on the
  items that may be left after searching a fraction f with probability of detection p and
  finding nothing;
* :func:`zero_find_gamma_posterior`, :func:`beta_posterior_contaminated_fraction`: the
  Bayesian answers under a prior the programme states.

**Items left.** The search found nothing, so every item that was there is still there.
Each one is either in the unsearched part (probability 1 − f) or in the searched part
but missed (probability f·(1 − p)). An item is found with probability q = f·p. The
bounds below are on those items left, and each result also splits them between the two
places.

Formulas and worked examples: ``docs/quality-statistics.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from scipy import stats

from minewatch.errors import InvalidInput, Location

# Float slack when comparing a computed probability with 1 − Y, so a value equal to the
# target in exact arithmetic is not rejected by rounding.
_REL_SLACK = 1e-12


def _check_probability(name: str, value: float, *, open_low: bool, open_high: bool) -> None:
    low_ok = value > 0 if open_low else value >= 0
    high_ok = value < 1 if open_high else value <= 1
    if not (math.isfinite(value) and low_ok and high_ok):
        bounds = f"{'(' if open_low else '['}0, 1{')' if open_high else ']'}"
        raise InvalidInput(
            "{name} must be in {bounds}, got {value}",
            Location(field=name),
            name=name,
            bounds=bounds,
            value=value,
        )


# --- accept on zero (hypergeometric) --------------------------------------------------------


@dataclass(frozen=True)
class AcceptOnZeroPlan:
    """The smallest clean sample that supports "at least X % clean" with confidence Y.

    ``dirty_limit`` is D*, the smallest number of contaminated units that would break the
    claim. ``miss_probability`` is the chance that a sample of ``sample_size`` misses all D*
    of them, and ``achieved_confidence`` = 1 − ``miss_probability`` ≥ ``confidence``.
    """

    units: int
    clean_fraction: float
    confidence: float
    dirty_limit: int
    sample_size: int
    miss_probability: float

    @property
    def achieved_confidence(self) -> float:
        return 1.0 - self.miss_probability


def dirty_limit(units: int, clean_fraction: float) -> int:
    """D*: the fewest contaminated units that would make fewer than X·N units clean.

    "At least X % of N units are clean" means D ≤ N − ⌈X·N⌉ = ⌊N·(1 − X)⌋. The claim is
    broken from D* = ⌊N·(1 − X)⌋ + 1 on. The arithmetic is exact on the decimal X
    (``0.99`` is 99/100, not its binary float).

    >>> dirty_limit(400, 0.99), dirty_limit(401, 0.99), dirty_limit(100, 1.0)
    (5, 5, 1)
    """
    x = Fraction(str(clean_fraction))
    return math.floor(units * (1 - x)) + 1


def miss_probability(units: int, dirty: int, sample_size: int) -> float:
    """P(no contaminated unit in a random sample of n from N units with D contaminated).

    Hypergeometric: C(N − D, n) / C(N, n).

    >>> round(miss_probability(10, 2, 3), 6)   # C(8,3)/C(10,3) = 56/120
    0.466667
    """
    return float(stats.hypergeom.pmf(0, units, dirty, sample_size))


def accept_on_zero_sample_size(
    units: int, clean_fraction: float, confidence: float
) -> AcceptOnZeroPlan:
    """Smallest n of N units whose all-clean result gives confidence Y of ≥ X % clean.

    With D* = ⌊N·(1 − X)⌋ + 1 (see :func:`dirty_limit`), n is the smallest sample size
    with P(0 found | D*) = C(N − D*, n) / C(N, n) ≤ 1 − Y. The miss probability falls
    as D grows, so any lot that breaks the claim is caught with at least probability Y.
    The search is a bisection, because P falls as n grows.

    Parameters
    ----------
    units
        N, the number of search units in the lot (e.g. 1 m² boxes of a released area).
    clean_fraction
        X in [0, 1], e.g. 0.99.
    confidence
        Y in (0, 1), e.g. 0.95.

    Examples
    --------
    >>> plan = accept_on_zero_sample_size(400, 0.99, 0.95)
    >>> plan.dirty_limit, plan.sample_size, round(plan.achieved_confidence, 4)
    (5, 180, 0.9507)
    """
    if units < 1:
        raise InvalidInput(
            "units must be at least 1, got {units}", Location(field="units"), units=units
        )
    _check_probability("clean_fraction", clean_fraction, open_low=False, open_high=False)
    _check_probability("confidence", confidence, open_low=True, open_high=True)
    d_star = dirty_limit(units, clean_fraction)
    if d_star > units:  # X = 0: the claim holds whatever the lot holds
        return AcceptOnZeroPlan(units, clean_fraction, confidence, d_star, 0, 0.0)
    target = (1.0 - confidence) * (1.0 + _REL_SLACK)
    low, high = 0, units - d_star + 1  # at n = N − D* + 1 a miss is impossible
    while low < high:
        mid = (low + high) // 2
        if miss_probability(units, d_star, mid) <= target:
            high = mid
        else:
            low = mid + 1
    return AcceptOnZeroPlan(
        units, clean_fraction, confidence, d_star, low, miss_probability(units, d_star, low)
    )


def accept_on_zero_sample_size_unbounded(clean_fraction: float, confidence: float) -> int:
    """The accept-on-zero sample size when the lot is very large (binomial limit).

    Each inspected unit is contaminated with probability 1 − X, so a clean sample of n has
    probability Xⁿ. The smallest n with Xⁿ ≤ 1 − Y is n = ⌈ln(1 − Y)/ln X⌉. This is the
    widely quoted "299 for 99 % clean at 95 % confidence". The finite-lot answer of
    :func:`accept_on_zero_sample_size` is never larger, and tends to it as N grows.

    >>> accept_on_zero_sample_size_unbounded(0.99, 0.95)
    299
    """
    _check_probability("clean_fraction", clean_fraction, open_low=True, open_high=True)
    _check_probability("confidence", confidence, open_low=True, open_high=True)
    n = math.ceil(math.log1p(-confidence) / math.log(clean_fraction))
    target = (1.0 - confidence) * (1.0 + _REL_SLACK)
    while n > 0 and clean_fraction ** (n - 1) <= target:  # repair float rounding at the edge
        n -= 1
    return n


def clean_sample_confidence(units: int, sample_size: int, clean_fraction: float) -> float:
    """Confidence that at least X % of N units are clean after n were inspected clean.

    The inverse of :func:`accept_on_zero_sample_size`: 1 − C(N − D*, n) / C(N, n).

    >>> round(clean_sample_confidence(400, 180, 0.99), 4)
    0.9507
    """
    if not 0 <= sample_size <= units:
        raise InvalidInput(
            "sample size must be between 0 and {units}, got {sample_size}",
            Location(field="sample_size"),
            units=units,
            sample_size=sample_size,
        )
    d_star = dirty_limit(units, clean_fraction)
    if d_star > units:
        return 1.0
    return 1.0 - miss_probability(units, d_star, sample_size)


# --- zero-find bounds ------------------------------------------------------------------------


@dataclass(frozen=True)
class ZeroFindBound:
    """An upper bound on the items left after a search that found nothing.

    ``items_upper`` bounds the items left (Poisson: their expected number; binomial: their
    count; Bayesian: the posterior credible bound). ``unsearched_upper`` and
    ``missed_in_searched_upper`` split it between the unsearched part and the searched
    part, in proportion (1 − f) : f·(1 − p).
    """

    model: str
    searched_fraction: float
    detection_probability: float
    confidence: float
    items_upper: float
    detail: dict[str, float]

    @property
    def detection_per_item(self) -> float:
        """q = f·p, the chance that the search finds a given item."""
        return self.searched_fraction * self.detection_probability

    @property
    def unsearched_upper(self) -> float:
        return self.items_upper * self._share_unsearched()

    @property
    def missed_in_searched_upper(self) -> float:
        return self.items_upper - self.unsearched_upper

    def _share_unsearched(self) -> float:
        left = 1.0 - self.detection_per_item
        return (1.0 - self.searched_fraction) / left if left > 0 else 0.0


def _check_search(fraction: float, pod: float, confidence: float) -> float:
    _check_probability("searched_fraction", fraction, open_low=False, open_high=False)
    _check_probability("detection_probability", pod, open_low=False, open_high=False)
    _check_probability("confidence", confidence, open_low=True, open_high=True)
    q = fraction * pod
    if q == 0:
        raise InvalidInput(
            "a search with f·p = 0 cannot detect anything, so finding nothing bounds nothing",
            Location(field="searched_fraction"),
        )
    return q


def zero_find_poisson(
    searched_fraction: float, detection_probability: float, confidence: float
) -> ZeroFindBound:
    """Poisson bound on the expected number of items left after finding nothing.

    Items occur as a Poisson process with mean λ over the area. The number found is then
    Poisson(λ·q) with q = f·p, and the number left is Poisson(λ·(1 − q)), independent of it.
    P(0 found) = e^(−λq) ≤ 1 − Y exactly when λ ≥ λ_u = −ln(1 − Y)/q. So λ_u is the
    Y-confidence upper bound on the expected number of items in the area before the search,
    and λ_u·(1 − q) the bound on the expected number left.

    >>> b = zero_find_poisson(0.1, 0.9, 0.95)
    >>> round(b.detail["lambda_upper"], 3), round(b.items_upper, 3)
    (33.286, 30.29)
    """
    q = _check_search(searched_fraction, detection_probability, confidence)
    lambda_upper = -math.log1p(-confidence) / q
    return ZeroFindBound(
        "poisson",
        searched_fraction,
        detection_probability,
        confidence,
        items_upper=lambda_upper * (1.0 - q),
        detail={"lambda_upper": lambda_upper},
    )


#: Counts up to which float powers (1 − q)^N still tell N from N + 1 (2^52).
_EXACT_COUNTS = float(2**52)


def _repair_edge(n_upper: int, q: float, floor_target: float) -> int:
    """The largest N with (1 − q)^N ≥ target, from the estimate ⌊ln(1 − Y)/ln(1 − q)⌋,
    which float rounding can leave one or two off. Bounded, so that a q too small to change
    1 − q in floating point cannot make it loop for ever."""
    for _ in range(4):
        if (1.0 - q) ** (n_upper + 1) >= floor_target:
            n_upper += 1
        elif n_upper > 0 and (1.0 - q) ** n_upper < floor_target:
            n_upper -= 1
        else:
            break
    return n_upper


def zero_find_binomial(
    searched_fraction: float, detection_probability: float, confidence: float
) -> ZeroFindBound:
    """Binomial bound on the number of items left after finding nothing.

    A fixed, unknown number N of items, each found independently with probability q = f·p.
    Then P(0 found | N) = (1 − q)^N. The Y-confidence upper bound is the largest N that this
    result does not rule out: N_u = max{N : (1 − q)^N ≥ 1 − Y} = ⌊ln(1 − Y)/ln(1 − q)⌋.
    Nothing was found, so all N items are left. With q = 1 the bound is 0.

    >>> zero_find_binomial(0.1, 0.9, 0.95).items_upper
    31.0
    """
    q = _check_search(searched_fraction, detection_probability, confidence)
    if q >= 1.0:
        n_upper = 0
    else:
        exact = math.log1p(-confidence) / math.log1p(-q)
        if not math.isfinite(exact):
            raise InvalidInput(
                "f·p = {q:g} is too small for a binomial bound in floating point",
                Location(field="searched_fraction"),
                q=q,
            )
        n_upper = math.floor(exact)
        if exact < _EXACT_COUNTS:  # beyond, (1 − q)^N cannot tell N from N + 1
            n_upper = _repair_edge(n_upper, q, (1.0 - confidence) * (1.0 - _REL_SLACK))
    return ZeroFindBound(
        "binomial",
        searched_fraction,
        detection_probability,
        confidence,
        items_upper=float(n_upper),
        detail={"miss_probability_at_bound": (1.0 - q) ** n_upper},
    )


def zero_find_gamma_posterior(
    searched_fraction: float,
    detection_probability: float,
    confidence: float,
    prior_shape: float,
    prior_rate: float,
) -> ZeroFindBound:
    """Bayesian zero-find: Gamma prior on the Poisson mean, updated by finding nothing.

    Prior λ ~ Gamma(shape a, rate b), with prior mean a/b items in the area. The likelihood of
    finding nothing is e^(−λq), so the posterior is λ ~ Gamma(a, b + q). The items left are
    Poisson(λ·(1 − q)) given λ, so marginally negative binomial with r = a and success
    probability π = (b + q)/(b + 1).

    * posterior mean of λ: a/(b + q); credible upper bound: the Y-quantile of Gamma(a, b + q);
    * posterior mean of items left: a·(1 − q)/(b + q);
    * ``items_upper``: the Y-quantile of NegBin(a, π), a credible bound on the *count* left;
    * ``probability_none_left``: π^a.

    >>> b = zero_find_gamma_posterior(0.1, 0.9, 0.95, prior_shape=1.0, prior_rate=0.5)
    >>> round(b.detail["posterior_mean_left"], 4), b.items_upper
    (1.5424, 5.0)
    """
    q = _check_search(searched_fraction, detection_probability, confidence)
    for name, value in (("prior_shape", prior_shape), ("prior_rate", prior_rate)):
        if not (math.isfinite(value) and value > 0):
            raise InvalidInput(
                "{name} must be positive, got {value}",
                Location(field=name),
                name=name,
                value=value,
            )
    rate = prior_rate + q
    success = rate / (prior_rate + 1.0)
    left = stats.nbinom(prior_shape, success)
    return ZeroFindBound(
        "gamma-poisson",
        searched_fraction,
        detection_probability,
        confidence,
        items_upper=float(left.ppf(confidence)),
        detail={
            "prior_shape": prior_shape,
            "prior_rate": prior_rate,
            "posterior_shape": prior_shape,
            "posterior_rate": rate,
            "posterior_mean_lambda": prior_shape / rate,
            "lambda_upper": float(stats.gamma.ppf(confidence, prior_shape, scale=1.0 / rate)),
            "posterior_mean_left": prior_shape * (1.0 - q) / rate,
            "probability_none_left": success**prior_shape,
        },
    )


@dataclass(frozen=True)
class BetaPosterior:
    """Posterior of the contaminated fraction θ of search units: Beta(α', β')."""

    alpha: float
    beta: float
    confidence: float

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def upper(self) -> float:
        """The Y credible upper bound on θ."""
        return float(stats.beta.ppf(self.confidence, self.alpha, self.beta))


def beta_posterior_contaminated_fraction(
    inspected: int,
    found: int,
    confidence: float,
    prior_alpha: float = 1.0,
    prior_beta: float = 1.0,
) -> BetaPosterior:
    """Bayesian bound on the fraction of contaminated units after inspecting n of them.

    With prior θ ~ Beta(α, β) and x contaminated among n inspected units (binomial model: a
    lot much larger than the sample, or sampling with replacement), the posterior is
    Beta(α + x, β + n − x). The default prior Beta(1, 1) is uniform. A programme should
    state its own.

    >>> post = beta_posterior_contaminated_fraction(180, 0, 0.95)
    >>> round(post.mean, 5), round(post.upper, 5)
    (0.00549, 0.01641)
    """
    if inspected < 0 or not 0 <= found <= inspected:
        raise InvalidInput(
            "need 0 ≤ found ≤ inspected, got found={found}, inspected={inspected}",
            Location(field="found"),
            found=found,
            inspected=inspected,
        )
    _check_probability("confidence", confidence, open_low=True, open_high=True)
    for name, value in (("prior_alpha", prior_alpha), ("prior_beta", prior_beta)):
        if not (math.isfinite(value) and value > 0):
            raise InvalidInput(
                "{name} must be positive, got {value}",
                Location(field=name),
                name=name,
                value=value,
            )
    return BetaPosterior(prior_alpha + found, prior_beta + inspected - found, confidence)
