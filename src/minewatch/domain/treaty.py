"""Treaty rules as pure functions of dates: the Anti-Personnel Mine Ban Convention (APMBC,
"Ottawa Convention") and Amended Protocol II to the Convention on Certain Conventional Weapons
(CCW AP II).

Each rule cites its article and quotes the text it implements (:data:`ARTICLES`), so that a
reader can check the arithmetic against the words. Facts (who deposited what, when; who
withdrew; extension decisions; whether a state was engaged in an armed conflict) come in as
data with their sources: nothing here knows any state. What no rule can compute, such as the
date of effect of a notification of succession, is taken as a sourced fact or left unknown.

>>> from datetime import date
>>> apmbc_state_entry_into_force(date(2025, 3, 12), threshold=date(1998, 9, 16))
datetime.date(2025, 9, 1)
>>> add_months(date(1999, 3, 31), 6)  # month-end: clamped to the last day (see docs)
datetime.date(1999, 9, 30)
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import numpy as np


class Instrument(StrEnum):
    """The instruments the monitor follows.

    Examples
    --------
    >>> [i.value for i in Instrument]
    ['apmbc', 'ccw-ap2']
    """

    APMBC = "apmbc"
    CCW_AP2 = "ccw-ap2"


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


class StatusKind(StrEnum):
    """A state's legal position towards one instrument on one date.

    Examples
    --------
    >>> [k.value for k in StatusKind]
    ['not bound', 'signed', 'consented, not yet in force', 'bound', 'withdrawal pending',
     'withdrawn']
    """

    NOT_BOUND = "not bound"
    SIGNED = "signed"
    CONSENTED = "consented, not yet in force"
    BOUND = "bound"
    WITHDRAWAL_PENDING = "withdrawal pending"
    WITHDRAWN = "withdrawn"


class CountDefinition(StrEnum):
    """The two definitions of "states parties" used in practice.

    Examples
    --------
    >>> [d.value for d in CountDefinition]
    ['in-force', 'consented']
    """

    IN_FORCE = "in-force"  # the instrument is in force for the state on the date
    CONSENTED = "consented"  # consent deposited and withdrawal not (yet) effective


@dataclass(frozen=True)
class Article:
    """One provision, quoted, with where the quotation comes from.

    Examples
    --------
    >>> provision = article(Instrument.APMBC, "4")
    >>> provision.instrument, provision.ref
    (<Instrument.APMBC: 'apmbc'>, '4')
    """

    instrument: Instrument
    ref: str
    text: str
    source: str


_APMBC_TEXT = (
    "Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of "
    "Anti-Personnel Mines and on their Destruction (Oslo, 18 September 1997), authentic English "
    "text as reproduced in the Dutch official treaty database (BWBV0001384)"
)
_CCW_TEXT = (
    "Convention on Certain Conventional Weapons (Geneva, 10 October 1980); French authentic text "
    "as published in the Swiss classified compilation SR 0.515.091; English fragment as quoted in "
    "the project's treaty reference"
)

#: The provisions the rules implement, quoted. Keys are ``"<instrument>:<article>"``.
ARTICLES: dict[str, Article] = {
    a.instrument.value + ":" + a.ref: a
    for a in (
        Article(
            Instrument.APMBC,
            "17(1)",
            "This Convention shall enter into force on the first day of the sixth month after "
            "the month in which the 40th instrument of ratification, acceptance, approval or "
            "accession has been deposited.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "17(2)",
            "For any State which deposits its instrument of ratification, acceptance, approval "
            "or accession after the date of the deposit of the 40th instrument of ratification, "
            "acceptance, approval or accession, this Convention shall enter into force on the "
            "first day of the sixth month after the date on which that State has deposited its "
            "instrument of ratification, acceptance, approval or accession.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "4",
            "Except as provided for in Article 3, each State Party undertakes to destroy or ensure "
            "the destruction of all stockpiled anti-personnel mines it owns or possesses, or that "
            "are under its jurisdiction or control, as soon as possible but not later than four "
            "years after the entry into force of this Convention for that State Party.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "5(1)",
            "… destroy … all anti-personnel mines in mined areas under its jurisdiction or "
            "control, as soon as possible but not later than ten years after the entry into "
            "force of this Convention for that State Party.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "5(3)",
            "If a State Party believes that it will be unable to … it may submit a request to a "
            "Meeting of the States Parties or a Review Conference for an extension of the "
            "deadline … for a period of up to ten years.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "7(1)",
            "Each State Party shall report to the Secretary-General of the United Nations as soon "
            "as practicable, and in any event not later than 180 days after the entry into force "
            "of this Convention for that State Party on: (a)…(i) …",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "7(2)",
            "The information provided in accordance with this Article shall be updated by the "
            "States Parties annually, covering the last calendar year, and reported to the "
            "Secretary-General of the United Nations not later than 30 April of each year.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "20(2)",
            "Each State Party shall, in exercising its national sovereignty, have the right to "
            "withdraw from this Convention. It shall give notice of such withdraw [sic] to all "
            "other States Parties, to the Depositary and to the United Nations Security Council. "
            "Such instrument of withdrawal shall include a full explanation of the reasons "
            "motivating this withdrawal.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.APMBC,
            "20(3)",
            "Such withdrawal shall only take effect six months after the receipt of the "
            "instrument of withdrawal by the Depositary. If, however, on the expiry of that "
            "six-month period, the withdrawing State Parties [sic] is engaged in an armed "
            "conflict, the withdrawal shall not take effect before the end of the armed conflict.",
            _APMBC_TEXT,
        ),
        Article(
            Instrument.CCW_AP2,
            "CCW 5(3)",
            "Chacun des Protocoles annexés à la présente Convention entrera en vigueur six mois "
            "après la date à laquelle vingt États auront notifié leur consentement à être liés "
            "par ce Protocole conformément aux dispositions du par. 3 ou du par. 4 de l'art. 4 "
            "de la présente Convention.",
            _CCW_TEXT,
        ),
        Article(
            Instrument.CCW_AP2,
            "CCW 5(4)",
            "[For a State notifying consent after twenty States have done so, the Protocol "
            "enters into force] six months after the date on which that State has notified its "
            "consent so to be bound.",
            _CCW_TEXT,
        ),
        Article(
            Instrument.CCW_AP2,
            "CCW 9(2)",
            "[Denunciation takes effect one year after receipt by the Depositary. If the "
            "denouncing Party is then engaged in a situation referred to in Article 1, it stays "
            "bound] until the end of the armed conflict or occupation and, in any case, until "
            "the termination of operations connected with the final release, repatriation or "
            "re-establishment of the person protected …",
            _CCW_TEXT,
        ),
    )
}


def article(instrument: Instrument, ref: str) -> Article:
    """The quoted provision ``ref`` of ``instrument`` (KeyError if not quoted here).

    Examples
    --------
    >>> article(Instrument.CCW_AP2, "CCW 9(2)").ref
    'CCW 9(2)'
    >>> article(Instrument.APMBC, "99")
    Traceback (most recent call last):
    ...
    KeyError: 'apmbc:99'
    """
    return ARTICLES[f"{instrument.value}:{ref}"]


# --- date arithmetic ---


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, clamped to the month's last day.

    Six months after 27 June is 27 December (the depositary's own practice for Art. 20(3)
    withdrawals). Where the later month is shorter, the last day of that month is used; no
    treaty text settles this, so it is a documented assumption (see docs/treaty-monitor.md).

    >>> add_months(date(2025, 8, 20), 6)
    datetime.date(2026, 2, 20)
    >>> add_months(date(2005, 5, 31), 6)
    datetime.date(2005, 11, 30)
    """
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_day_of_sixth_month_after(day: date) -> date:
    """The first day of the sixth month after the month of ``day`` (APMBC Art. 17).

    >>> first_day_of_sixth_month_after(date(2005, 7, 1))
    datetime.date(2006, 1, 1)
    """
    return add_months(day.replace(day=1), 6)


# --- entry into force ---


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


# --- obligations and deadlines (APMBC) ---


def stockpile_deadline(entry_into_force: date) -> date:
    """Art. 4: stockpiles destroyed "not later than four years after the entry into force".

    The Convention allows no extension of this deadline.

    >>> stockpile_deadline(date(2004, 3, 1))
    datetime.date(2008, 3, 1)
    """
    return add_months(entry_into_force, 48)


def original_clearance_deadline(entry_into_force: date) -> date:
    """Art. 5(1): mined areas cleared "not later than ten years after the entry into force".

    >>> original_clearance_deadline(date(1999, 3, 1))
    datetime.date(2009, 3, 1)
    """
    return add_months(entry_into_force, 120)


def initial_report_due(entry_into_force: date) -> date:
    """Art. 7(1): initial report "not later than 180 days after the entry into force" (days).

    >>> initial_report_due(date(2005, 6, 1))
    datetime.date(2005, 11, 28)
    """
    return entry_into_force + timedelta(days=180)


def annual_report_due(year: int) -> date:
    """Art. 7(2): the annual update covering calendar year ``year - 1`` is due 30 April ``year``.

    Examples
    --------
    >>> annual_report_due(2025)   # the update covering 2024
    datetime.date(2025, 4, 30)
    """
    return date(year, 4, 30)


@dataclass(frozen=True)
class ClearanceExtension:
    """An Art. 5(3)-(6) extension granted by a Meeting of States Parties or Review Conference.

    ``decided_on`` may be unknown when the source gives only the year; the decision is then
    treated as known from the end of ``decided_year`` (never earlier than the source allows).

    Examples
    --------
    >>> extension = ClearanceExtension("Synthetica", date(2030, 3, 1), 2024, "synthetic")
    >>> extension.known_from   # only the year is known: from its end
    datetime.date(2024, 12, 31)
    """

    state: str
    new_deadline: date
    decided_year: int
    source: str
    decided_on: date | None = None
    decided_by: str = ""
    sequence: int | None = None

    @property
    def known_from(self) -> date:
        return self.decided_on or date(self.decided_year, 12, 31)


def clearance_deadline(
    entry_into_force: date, extensions: Sequence[ClearanceExtension], on: date
) -> tuple[date, ClearanceExtension | None]:
    """The Art. 5 deadline in force on ``on``: the latest extension decided by then, or else the
    original Art. 5(1) date. Returns the deadline and the extension it came from (if any).

    Examples
    --------
    >>> extension = ClearanceExtension("Synthetica", date(2030, 3, 1), 2024, "synthetic",
    ...                                decided_on=date(2024, 11, 29))
    >>> clearance_deadline(date(2015, 3, 1), [extension], on=date(2024, 1, 1))
    (datetime.date(2025, 3, 1), None)
    >>> clearance_deadline(date(2015, 3, 1), [extension], on=date(2025, 1, 1))[0]
    datetime.date(2030, 3, 1)
    """
    known = [e for e in extensions if e.known_from <= on]
    if not known:
        return original_clearance_deadline(entry_into_force), None
    latest = max(known, key=lambda e: (e.known_from, e.new_deadline))
    return latest.new_deadline, latest


# --- withdrawal / denunciation ---


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


# --- participation and status ---


@dataclass(frozen=True)
class Withdrawal:
    """A notification of withdrawal on record, as the depositary states it.

    Examples
    --------
    >>> notice = Withdrawal(date(2025, 6, 27), "C.N.1.2025.TREATIES-XXVI-5", None, None,
    ...                     "", "synthetic")
    >>> notice.took_effect
    False
    """

    received: date
    notification: str  # depositary notification number, e.g. C.N.360.2025.TREATIES-XXVI-5
    notification_date: date | None
    stated_effective: date | None
    stated_condition: str  # e.g. "subject to the condition set forth in the said paragraph"
    source: str
    took_effect: bool = False  # the depositary states, in the past tense, that it took effect
    source_url: str = ""


@dataclass(frozen=True)
class Communication:
    """A communication on record (declared suspension, territorial statement, ...).

    Examples
    --------
    >>> Communication(date(2025, 1, 10), "C.N.2.2025.TREATIES-XXVI-5", "a synthetic statement",
    ...               "synthetic").kind
    'communication'
    """

    received: date
    notification: str
    summary: str
    source: str
    kind: str = "communication"
    source_url: str = ""


@dataclass(frozen=True)
class Participation:
    """One state's record for one instrument, with everything the rules need.

    Examples
    --------
    >>> synthetica = Participation(Instrument.APMBC, "Synthetica", None, date(2017, 12, 13),
    ...                            ConsentType.ACCESSION, "synthetic", status_as_at=date(2026, 2, 3))
    >>> status_on(build_timeline(synthetica, threshold=date(1998, 9, 16)), date(2020, 1, 1)).label
    'bound'
    """

    instrument: Instrument
    state: str
    signature: date | None
    consent: date | None
    consent_type: ConsentType | None
    source: str
    status_as_at: date
    effect_fact: date | None = None  # sourced date of effect where no rule computes it
    effect_fact_source: str = ""
    withdrawal: Withdrawal | None = None
    communications: tuple[Communication, ...] = ()
    provisional_application: bool = False  # APMBC Art. 18 declaration on record
    source_url: str = ""  # the depositary page the row was read from


@dataclass(frozen=True)
class Status:
    """A state's position towards an instrument on a date, with the dates that explain it.

    Examples
    --------
    >>> synthetica = Participation(Instrument.APMBC, "Synthetica", None, date(2017, 12, 13),
    ...                            ConsentType.ACCESSION, "synthetic", status_as_at=date(2026, 2, 3))
    >>> status = status_on(build_timeline(synthetica, date(1998, 9, 16)), date(2018, 3, 1))
    >>> status.kind, status.entry_into_force, status.projected
    (<StatusKind.CONSENTED: 'consented, not yet in force'>, datetime.date(2018, 6, 1), False)
    """

    instrument: Instrument
    state: str
    on: date
    kind: StatusKind
    entry_into_force: date | None
    withdrawal_effective: date | None
    condition: ConditionAssessment | None
    communications: tuple[Communication, ...] = field(default_factory=tuple)
    provisional_application: bool = False
    data_as_at: date | None = None  # the depositary's "status as at" of the data used

    @property
    def projected(self) -> bool:
        """True when ``on`` is after the data's "status as at": later notifications may exist."""
        return self.data_as_at is not None and self.on > self.data_as_at

    @property
    def communication_on_record(self) -> bool:
        return bool(self.communications)

    @property
    def label(self) -> str:
        """The status in words, e.g. ``"bound; communication on record"``."""
        parts = [self.kind.value]
        if self.kind is StatusKind.CONSENTED and self.provisional_application:
            parts.append("applying Art. 1(1) provisionally (Art. 18)")
        kinds = sorted({c.kind for c in self.communications} - {"communication"})
        if self.communications:
            parts.append("communication on record" + (f" ({', '.join(kinds)})" if kinds else ""))
        if self.condition is ConditionAssessment.NOT_ASSESSED and self.kind in (
            StatusKind.WITHDRAWN,
            StatusKind.WITHDRAWAL_PENDING,
        ):
            parts.append("armed-conflict condition not assessed")
        return "; ".join(parts)


@dataclass(frozen=True)
class Timeline:
    """The dates that fix a participant's status: derived once, queried many times.

    Examples
    --------
    >>> synthetica = Participation(Instrument.APMBC, "Synthetica", date(1997, 12, 3),
    ...                            date(1998, 2, 2), ConsentType.RATIFICATION, "synthetic",
    ...                            status_as_at=date(2026, 2, 3))
    >>> timeline = build_timeline(synthetica, threshold=date(1998, 9, 16))
    >>> timeline.party_since, timeline.entry_into_force, timeline.entry_into_force_basis
    (datetime.date(1998, 2, 2), datetime.date(1999, 3, 1), "Art. 17: the Convention's own entry into
     force")
    """

    participation: Participation
    entry_into_force: date | None
    entry_into_force_basis: str
    withdrawal: WithdrawalEffect | None

    @property
    def party_since(self) -> date | None:
        """When the state counts as having consented: the deposit, or for a succession the
        (earlier) date of effect, so that every state in force is also counted as consented."""
        p = self.participation
        if p.consent is None:
            return None
        if self.entry_into_force is not None and self.entry_into_force < p.consent:
            return self.entry_into_force
        return p.consent

    @property
    def withdrawal_effective(self) -> date | None:
        return None if self.withdrawal is None else self.withdrawal.effective


def build_timeline(
    participation: Participation,
    threshold: date,
    conflicts: Sequence[ArmedConflictFact] = (),
) -> Timeline:
    """The participant's entry into force and withdrawal effect, from the rules and facts.

    Examples
    --------
    >>> synthetica = Participation(
    ...     Instrument.APMBC, "Synthetica", None, date(2005, 1, 3), ConsentType.ACCESSION,
    ...     "synthetic", status_as_at=date(2026, 2, 3),
    ...     withdrawal=Withdrawal(date(2025, 6, 27), "C.N.1.2025", None, None, "", "synthetic"))
    >>> timeline = build_timeline(synthetica, threshold=date(1998, 9, 16))
    >>> timeline.entry_into_force, timeline.withdrawal_effective
    (datetime.date(2005, 7, 1), datetime.date(2025, 12, 27))
    """
    p = participation
    eif: date | None = None
    basis = ""
    if p.consent is not None and p.consent_type is not None:
        eif = state_entry_into_force(
            p.instrument, p.consent, p.consent_type, threshold, p.effect_fact
        )
        basis = (
            f"sourced date of effect ({p.effect_fact_source})"
            if p.effect_fact is not None
            else entry_into_force_article(p.instrument, p.consent, p.consent_type, threshold)
        )
        if eif is None:
            basis = "unknown: no rule applies and no sourced date of effect"
    effect = None
    w = p.withdrawal
    if w is not None:
        own = [c for c in conflicts if c.state == p.state]
        effect = withdrawal_effect(p.instrument, w.received, own)
        if w.took_effect and w.stated_effective is not None:
            # The depositary's statement that it took effect is the fact; the rule is the check.
            effect = WithdrawalEffect(
                w.received,
                effect.expiry,
                w.stated_effective,
                ConditionAssessment.CONFIRMED,
                effect.article,
            )
    return Timeline(p, eif, basis, effect)


def status_on(
    timeline: Timeline, on: date, *, unassessed_condition_pending: bool = False
) -> Status:
    """The status of one participant on ``on``.

    ``unassessed_condition_pending`` treats a withdrawal whose armed-conflict condition has no
    sourced input as still pending after its six months (the strict reading); by default it
    takes effect on expiry, as the depositary's notifications state, and the status says the
    condition was not assessed.

    Examples
    --------
    >>> synthetica = Participation(
    ...     Instrument.APMBC, "Synthetica", None, date(2005, 1, 3), ConsentType.ACCESSION,
    ...     "synthetic", status_as_at=date(2026, 2, 3),
    ...     withdrawal=Withdrawal(date(2025, 6, 27), "C.N.1.2025", None, None, "", "synthetic"))
    >>> timeline = build_timeline(synthetica, threshold=date(1998, 9, 16))
    >>> [status_on(timeline, day).label for day in (date(2004, 1, 1), date(2025, 7, 1),
    ...                                              date(2026, 1, 1))]
    ['not bound', 'withdrawal pending; armed-conflict condition not assessed', 'withdrawn;
     armed-conflict condition not assessed']
    >>> status_on(timeline, date(2026, 1, 1), unassessed_condition_pending=True).kind
    <StatusKind.WITHDRAWAL_PENDING: 'withdrawal pending'>
    """
    p = timeline.participation
    effect = timeline.withdrawal
    effective = None if effect is None else effect.effective
    if (
        effect is not None
        and unassessed_condition_pending
        and effect.condition is ConditionAssessment.NOT_ASSESSED
    ):
        effective = None
    comms = tuple(c for c in p.communications if c.received <= on)

    def make(kind: StatusKind) -> Status:
        return Status(
            p.instrument,
            p.state,
            on,
            kind,
            timeline.entry_into_force,
            effective,
            None if effect is None else effect.condition,
            comms,
            p.provisional_application,
            p.status_as_at,
        )

    if effective is not None and on >= effective:
        return make(StatusKind.WITHDRAWN)
    since = timeline.party_since
    if since is not None and on >= since:
        if p.withdrawal is not None and on >= p.withdrawal.received:
            return make(StatusKind.WITHDRAWAL_PENDING)
        eif = timeline.entry_into_force
        if eif is not None and on >= eif:
            return make(StatusKind.BOUND)
        return make(StatusKind.CONSENTED)
    if p.signature is not None and on >= p.signature:
        return make(StatusKind.SIGNED)
    return make(StatusKind.NOT_BOUND)


def not_a_participant(
    instrument: Instrument, state: str, on: date, data_as_at: date | None = None
) -> Status:
    """The status of a state that appears nowhere in the depositary's list (as at
    ``data_as_at``, the list's own date, when known).

    Examples
    --------
    >>> status = not_a_participant(Instrument.CCW_AP2, "Synthetica", date(2026, 1, 1))
    >>> status.kind, status.label
    (<StatusKind.NOT_BOUND: 'not bound'>, 'not bound')
    """
    return Status(
        instrument, state, on, StatusKind.NOT_BOUND, None, None, None, data_as_at=data_as_at
    )


# --- counts ---


def _day_numbers(days: Iterable[date | None]) -> np.ndarray:
    return np.array(sorted(d.toordinal() for d in days if d is not None), dtype=np.int64)


def count_parties(
    timelines: Sequence[Timeline],
    on: Sequence[date],
    definition: CountDefinition,
) -> np.ndarray:
    """The number of states parties on each date of ``on``, vectorised over dates.

    A party counts from its entry into force (``IN_FORCE``) or from its consent
    (``CONSENTED``) until its withdrawal takes effect. Every withdrawn state had joined before
    withdrawing, so the count is (#joined by the date) - (#withdrawals effective by the date).

    >>> count_parties([], [date(2000, 1, 1)], CountDefinition.IN_FORCE).tolist()
    [0]
    """
    if definition is CountDefinition.IN_FORCE:
        starts = _day_numbers(t.entry_into_force for t in timelines)
    else:
        starts = _day_numbers(t.party_since for t in timelines)
    ends = _day_numbers(t.withdrawal_effective for t in timelines)
    query = np.array([d.toordinal() for d in on], dtype=np.int64)
    joined = np.searchsorted(starts, query, side="right")
    left = np.searchsorted(ends, query, side="right")
    return (joined - left).astype(np.int64)
