"""A state's position towards an instrument on any date: its record as the depositary states it
(:class:`Participation`), the dates derived from it once (:class:`Timeline`), and the
:class:`Status` on a given day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from minewatch.domain.text import Message, Sentences, Term, Terms
from minewatch.domain.treaty.articles import Instrument
from minewatch.domain.treaty.entry_into_force import (
    ConsentType,
    entry_into_force_article,
    state_entry_into_force,
)
from minewatch.domain.treaty.withdrawal import (
    ArmedConflictFact,
    ConditionAssessment,
    WithdrawalEffect,
    withdrawal_effect,
)

#: Bases of an entry into force that no article gives (catalogue messages: the front doors
#: translate a basis that is one of them, or that :data:`SOURCED_EFFECT` fills).
SOURCED_EFFECT = "sourced date of effect ({source})"
NO_RULE_APPLIES = "unknown: no rule applies and no sourced date of effect"
#: The catalogues' context of communication kinds (the data's words, e.g. "national law").
COMMUNICATION_KIND = "CommunicationKind"


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
    #: What the act is in law, as the depositary, the ISU or the States Parties describe it
    #: (e.g. a declared suspension the Convention does not provide for), with its own source.
    legal_character: str = ""
    legal_character_source: str = ""


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
        """The status in words, e.g. ``"bound; communication on record"`` (English: the
        :attr:`description` as the front doors show it in the reader's language)."""
        return str(self.description)

    @property
    def description(self) -> Sentences:
        """The status and what qualifies it, as clauses kept apart for translation: the
        status's code, then any provisional application, communications on record (their
        kinds as the data names them), the legal character of a declared suspension (quoted
        from its source) and an unassessed armed-conflict condition.

        Examples
        --------
        >>> synthetica = Participation(Instrument.APMBC, "Synthetica", None, date(2017, 12, 13),
        ...     ConsentType.ACCESSION, "synthetic", status_as_at=date(2026, 2, 3),
        ...     communications=(Communication(date(2025, 1, 10), "C.N.2", "a synthetic note",
        ...                                   "synthetic", kind="suspension"),))
        >>> status = status_on(build_timeline(synthetica, date(1998, 9, 16)), date(2025, 3, 1))
        >>> [type(part).__name__ for part in status.description.parts], status.label
        (['Term', 'Message'], 'bound; communication on record (suspension)')
        """
        parts: list[Term | Message] = [Term.of(self.kind)]
        if self.kind is StatusKind.CONSENTED and self.provisional_application:
            parts.append(Message("applying Art. 1(1) provisionally (Art. 18)"))
        kinds = sorted({c.kind for c in self.communications} - {"communication"})
        if self.communications and kinds:
            named = Terms(tuple(Term(COMMUNICATION_KIND, k) for k in kinds))
            parts.append(Message("communication on record ({kinds})", kinds=named))
        elif self.communications:
            parts.append(Message("communication on record"))
        suspensions = [c for c in self.communications if c.kind == "suspension"]
        if suspensions and suspensions[-1].legal_character:
            last = suspensions[-1]
            parts.append(
                Message(
                    "suspension declared {date}: {legal_character}",
                    date=last.received,
                    legal_character=last.legal_character,
                )
            )
        if self.condition is ConditionAssessment.NOT_ASSESSED and self.kind in (
            StatusKind.WITHDRAWN,
            StatusKind.WITHDRAWAL_PENDING,
        ):
            parts.append(Message("armed-conflict condition not assessed"))
        return Sentences.of(parts)


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
            str(Message(SOURCED_EFFECT, source=p.effect_fact_source))
            if p.effect_fact is not None
            else entry_into_force_article(p.instrument, p.consent, p.consent_type, threshold)
        )
        if eif is None:
            basis = NO_RULE_APPLIES
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
