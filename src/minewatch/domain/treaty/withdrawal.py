"""When a withdrawal (APMBC Art. 20(3)) or denunciation (CCW Art. 9(2)) takes effect, given
the sourced facts on armed conflict: the monitor never infers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from minewatch.domain.treaty.articles import Article, Instrument, article
from minewatch.domain.treaty.dates import add_months


@dataclass(frozen=True)
class ArmedConflictFact:
    """A sourced, dated finding on whether a state was engaged in an armed conflict.

    ``engaged`` True with ``until`` None means the conflict is ongoing as far as the source
    knows. ``engaged`` False records a sourced finding that the state was not engaged during
    the period. The monitor never infers either.

    Examples
    --------
    >>> fact = ArmedConflictFact("Synthetica", True, date(2025, 1, 1), None, "synthetic")
    >>> fact.covers(date(2024, 12, 31)), fact.covers(date(2030, 1, 1))   # ongoing
    (False, True)
    """

    state: str
    engaged: bool
    since: date
    until: date | None
    source: str
    description: str = ""

    def covers(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


class ConditionAssessment(StrEnum):
    """What the sourced inputs say about the armed-conflict condition on the expiry date.

    Examples
    --------
    >>> withdrawal_effect(Instrument.APMBC, date(2025, 6, 27)).condition
    <ConditionAssessment.NOT_ASSESSED: 'not assessed: no sourced armed-conflict input'>
    """

    NOT_ENGAGED = "not engaged (sourced)"
    ENGAGED = "engaged in armed conflict (sourced)"
    NOT_ASSESSED = "not assessed: no sourced armed-conflict input"
    CONFIRMED = "took effect, as the depositary states"


@dataclass(frozen=True)
class WithdrawalEffect:
    """When a notified withdrawal (APMBC Art. 20(3)) or denunciation (CCW Art. 9(2)) takes effect.

    ``expiry`` is the end of the waiting period (receipt + 6 months, or + 1 year for the CCW);
    ``effective`` the date it takes effect, which is ``expiry`` unless a sourced input says the
    state was engaged in armed conflict then, in which case it is the sourced end of that
    conflict, or None (pending) while the conflict has no end on record.

    Examples
    --------
    >>> effect = withdrawal_effect(Instrument.CCW_AP2, date(2025, 6, 27))
    >>> effect.expiry, effect.effective, effect.article.ref
    (datetime.date(2026, 6, 27), datetime.date(2026, 6, 27), 'CCW 9(2)')
    """

    received: date
    expiry: date
    effective: date | None
    condition: ConditionAssessment
    article: Article


def withdrawal_effect(
    instrument: Instrument, received: date, conflicts: Sequence[ArmedConflictFact] = ()
) -> WithdrawalEffect:
    """Apply the withdrawal rule of ``instrument`` to a notification received on ``received``.

    >>> withdrawal_effect(Instrument.APMBC, date(2025, 6, 27)).effective
    datetime.date(2025, 12, 27)
    >>> fact = ArmedConflictFact("X", True, date(2025, 1, 1), None, "synthetic")
    >>> withdrawal_effect(Instrument.APMBC, date(2025, 6, 27), [fact]).effective is None
    True
    """
    if instrument is Instrument.APMBC:
        expiry, art = add_months(received, 6), article(instrument, "20(3)")
    else:
        expiry, art = add_months(received, 12), article(instrument, "CCW 9(2)")
    covering = [c for c in conflicts if c.covers(expiry)]
    engaged = [c for c in covering if c.engaged]
    if engaged:
        ends = [c.until for c in engaged]
        effective = None if any(e is None for e in ends) else max(e for e in ends if e)
        return WithdrawalEffect(received, expiry, effective, ConditionAssessment.ENGAGED, art)
    if covering:
        return WithdrawalEffect(received, expiry, expiry, ConditionAssessment.NOT_ENGAGED, art)
    return WithdrawalEffect(received, expiry, expiry, ConditionAssessment.NOT_ASSESSED, art)
