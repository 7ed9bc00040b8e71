"""Entry into force: of an instrument itself (the 40th APMBC instrument, the 20th CCW AP II
consent) and of each participant (APMBC Art. 17, CCW Art. 5), with the provision that gives it.
A succession's date of effect is a sourced fact, never computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from minewatch.domain.treaty.articles import Article, Instrument, article
from minewatch.domain.treaty.dates import add_months, first_day_of_sixth_month_after


class ConsentType(StrEnum):
    """How a participant expressed consent to be bound, as the depositary marks it.

    Examples
    --------
    >>> ConsentType("accession") is ConsentType.ACCESSION
    True
    """

    RATIFICATION = "ratification"
    ACCEPTANCE = "acceptance"  # A
    APPROVAL = "approval"  # AA
    ACCESSION = "accession"  # a
    SUCCESSION = "succession"  # d
    CONSENT = "consent to be bound"  # P (CCW protocols)


#: Consent types that count towards an entry-into-force threshold (a succession continues an
#: existing participation and is not an "instrument of ratification, acceptance, approval or
#: accession").
THRESHOLD_TYPES = frozenset(
    {
        ConsentType.RATIFICATION,
        ConsentType.ACCEPTANCE,
        ConsentType.APPROVAL,
        ConsentType.ACCESSION,
        ConsentType.CONSENT,
    }
)

#: How many instruments bring each instrument into force (APMBC Art. 17(1); CCW Art. 5(3)).
THRESHOLDS: dict[Instrument, int] = {Instrument.APMBC: 40, Instrument.CCW_AP2: 20}


@dataclass(frozen=True)
class EntryIntoForce:
    """When an instrument itself entered into force, and the deposit that triggered it.

    Examples
    --------
    >>> deposits = [(date(1998, 1, 1) + timedelta(days=i), ConsentType.RATIFICATION)
    ...             for i in range(40)]   # 40 synthetic deposits, the last on 9 February 1998
    >>> eif = instrument_entry_into_force(Instrument.APMBC, deposits)
    >>> eif.threshold_deposit, eif.date, eif.article.ref
    (datetime.date(1998, 2, 9), datetime.date(1998, 8, 1), '17(1)')
    """

    instrument: Instrument
    threshold_deposit: date  # the date of the 40th (APMBC) or 20th (CCW AP II) instrument
    date: date
    article: Article


def instrument_entry_into_force(
    instrument: Instrument, deposits: Iterable[tuple[date, ConsentType]]
) -> EntryIntoForce:
    """The instrument's own entry into force, from every deposit ever made (withdrawn ones too).

    APMBC Art. 17(1): first day of the sixth month after the month of the 40th instrument.
    CCW Art. 5(3): six months after the date of the 20th consent.

    >>> dates = [(date(1998, 1, 1 + i % 28), ConsentType.RATIFICATION) for i in range(40)]
    >>> instrument_entry_into_force(Instrument.APMBC, dates).date
    datetime.date(1998, 7, 1)
    """
    counted = sorted(d for d, kind in deposits if kind in THRESHOLD_TYPES)
    needed = THRESHOLDS[instrument]
    if len(counted) < needed:
        raise ValueError(f"{instrument}: only {len(counted)} instruments, {needed} needed")
    threshold = counted[needed - 1]
    if instrument is Instrument.APMBC:
        return EntryIntoForce(
            instrument,
            threshold,
            first_day_of_sixth_month_after(threshold),
            article(instrument, "17(1)"),
        )
    return EntryIntoForce(
        instrument, threshold, add_months(threshold, 6), article(instrument, "CCW 5(3)")
    )


def threshold_from_entry_into_force(instrument: Instrument, entry_into_force: date) -> date:
    """The last deposit date that still takes the instrument's own entry into force.

    Used when the depositary's stated entry into force is the fact to follow. For CCW AP II the
    depositary states 3 December 1998, six months after 3 June 1998, although the current
    participants list has 20 consents by 20 April 1998 (the page does not say why); following
    the statement, consents up to 3 June 1998 take 3 December 1998.

    >>> threshold_from_entry_into_force(Instrument.CCW_AP2, date(1998, 12, 3))
    datetime.date(1998, 6, 3)
    >>> threshold_from_entry_into_force(Instrument.APMBC, date(1999, 3, 1))
    datetime.date(1998, 9, 30)
    """
    if instrument is Instrument.APMBC:
        return add_months(entry_into_force, -5) - timedelta(days=1)
    return add_months(entry_into_force, -6)


def apmbc_state_entry_into_force(deposit: date, threshold: date) -> date:
    """APMBC entry into force for a state that deposited on ``deposit``.

    Instruments deposited on or before the date of the 40th (``threshold``) take the
    Convention's own date (Art. 17(1)); later ones the first day of the sixth month after the
    month of deposit (Art. 17(2)). Both are "month + 6, day 1", which is why deposits made after
    the 40th but in the same month (Benin, 25 Sep 1998) also got 1 March 1999.

    >>> apmbc_state_entry_into_force(date(1997, 12, 3), date(1998, 9, 16))
    datetime.date(1999, 3, 1)
    >>> apmbc_state_entry_into_force(date(2017, 12, 13), date(1998, 9, 16))
    datetime.date(2018, 6, 1)
    """
    return first_day_of_sixth_month_after(max(deposit, threshold))


def ccw_state_entry_into_force(consent: date, threshold: date) -> date:
    """CCW AP II entry into force for a state that notified consent on ``consent``.

    Consents notified on or before the date of the 20th take the Protocol's own date, six
    months after the 20th (CCW Art. 5(3)); later ones six months after their own date, same
    day of the month (CCW Art. 5(4)), even when that falls after the Protocol's own date but
    the consent came before it (France, 23 Jul 1998: 23 Jan 1999, not 3 Dec 1998).

    >>> ccw_state_entry_into_force(date(1999, 5, 24), date(1998, 6, 3))
    datetime.date(1999, 11, 24)
    >>> ccw_state_entry_into_force(date(1997, 3, 27), date(1998, 6, 3))
    datetime.date(1998, 12, 3)
    """
    return add_months(max(consent, threshold), 6)


def state_entry_into_force(
    instrument: Instrument,
    consent: date,
    consent_type: ConsentType,
    threshold: date,
    effect_fact: date | None = None,
) -> date | None:
    """Entry into force for one participant, or None where no rule applies and no fact is known.

    Successions are not governed by Art. 17 / CCW Art. 5: their date of effect is a sourced
    fact (``effect_fact``), or unknown.

    Examples
    --------
    >>> threshold = date(1998, 9, 16)   # the APMBC's 40th deposit
    >>> state_entry_into_force(Instrument.APMBC, date(2017, 12, 13), ConsentType.ACCESSION, threshold)
    datetime.date(2018, 6, 1)
    >>> print(state_entry_into_force(Instrument.APMBC, date(2011, 7, 9), ConsentType.SUCCESSION,
    ...                              threshold))   # no rule applies, no fact given
    None
    >>> state_entry_into_force(Instrument.APMBC, date(2011, 7, 9), ConsentType.SUCCESSION, threshold,
    ...                        effect_fact=date(2011, 7, 9))
    datetime.date(2011, 7, 9)
    """
    if effect_fact is not None:
        return effect_fact
    if consent_type is ConsentType.SUCCESSION:
        return None
    if instrument is Instrument.APMBC:
        return apmbc_state_entry_into_force(consent, threshold)
    return ccw_state_entry_into_force(consent, threshold)


def entry_into_force_provision(
    instrument: Instrument, consent: date, consent_type: ConsentType, threshold: date
) -> Article | None:
    """The quoted provision that gives a participant's entry into force (None for a
    succession, whose date of effect is a sourced fact).

    >>> entry_into_force_provision(
    ...     Instrument.APMBC, date(2017, 12, 13), ConsentType.ACCESSION, date(1998, 9, 16)
    ... ).ref
    '17(2)'
    """
    if consent_type is ConsentType.SUCCESSION:
        return None
    own = consent <= threshold
    if instrument is Instrument.APMBC:
        return article(instrument, "17(1)" if own else "17(2)")
    return article(instrument, "CCW 5(3)" if own else "CCW 5(4)")


#: How exports name each entry-into-force rule (the instrument's own date, or the state's).
_EIF_BASIS = {
    "17(1)": "Art. 17: the Convention's own entry into force",
    "17(2)": "Art. 17(2)",
    "CCW 5(3)": "CCW Art. 5(3): the Protocol's own entry into force",
    "CCW 5(4)": "CCW Art. 5(4)",
}


def entry_into_force_article(
    instrument: Instrument, consent: date, consent_type: ConsentType, threshold: date
) -> str:
    """Which rule gives a participant's entry into force (for exports and explanations).

    Examples
    --------
    >>> threshold = date(1998, 9, 16)
    >>> entry_into_force_article(Instrument.APMBC, date(1997, 12, 3), ConsentType.RATIFICATION,
    ...                          threshold)
    "Art. 17: the Convention's own entry into force"
    >>> entry_into_force_article(Instrument.APMBC, date(2011, 7, 9), ConsentType.SUCCESSION, threshold)
    'succession: sourced date of effect'
    """
    provision = entry_into_force_provision(instrument, consent, consent_type, threshold)
    if provision is None:
        return "succession: sourced date of effect"
    return _EIF_BASIS[provision.ref]
