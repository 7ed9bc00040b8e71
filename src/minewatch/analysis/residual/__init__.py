"""Residual hazard of remotely delivered mines: how many are still live, days after a strike.

Definitions (used everywhere in this package, its CLI and its documentation)
----------------------------------------------------------------------------
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
Carlo :func:`~minewatch.analysis.residual.monte_carlo.simulate`, which samples the whole path of
live counts over a time grid exactly by binomial thinning.

Where things are
----------------
* :mod:`.design` — beliefs, timings, mechanisms, correlation models, :class:`MineDesign`,
  :class:`Strike`, :func:`hours`;
* :mod:`.closed_form` — the closed forms above, the closed-form curve, the time to a threshold;
* :mod:`.monte_carlo` — :func:`simulate` (binomial thinning) and its per-mine check;
* :mod:`.curves` — :func:`decay_curve`, whichever method fits the design;
* :mod:`.results` — :class:`DecayCurve` and :class:`ThresholdTime`, what the analyses return;
* :mod:`.portfolio` — many strikes at once;
* :mod:`.law` — compliance with Amended Protocol II, Technical Annex para. 3(a);
* :mod:`.spec` — designs and settings written as text (command-line specs, a TOML file);
* :mod:`.update` — learning failure probabilities from what clearance finds.

>>> from minewatch.analysis.residual.closed_form import expected_live
>>> from minewatch.analysis.residual.design import (
...     FixedTime, KnownProbability, Mechanism, MineDesign, Strike, hours)
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
