"""Treaty and national-policy monitor: the loaded data and the status / count / comparison /
deadline / policy questions asked of it (:class:`TreatyMonitor`).

Data lives in one directory of CSV/TOML files, read by :mod:`minewatch.io.treaty_data`: by
default the one shipped inside the package (``minewatch/data/treaties``, built by
:func:`~minewatch.services.treaty_import.import_pages` from the saved UNTC pages), or a directory
a user rebuilt from newer saved pages, chosen with ``data_dir=`` or the environment variable
``MINEWATCH_TREATY_DATA`` (read by the CLI and the server, passed in). The answers as flat rows and their export as CSV or JSON are in
:mod:`minewatch.services.treaty_rows`.

>>> monitor = TreatyMonitor.load()
>>> monitor.status("Estonia", Instrument.APMBC, date(2026, 1, 1)).kind.value
'withdrawn'
>>> int(monitor.count(Instrument.APMBC, [date(2026, 2, 3)], CountDefinition.IN_FORCE)[0])
162
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np

from minewatch.domain.policy import PolicyRecord
from minewatch.domain.text import Message, Term
from minewatch.domain.treaty import (
    ArmedConflictFact,
    Article,
    ClearanceCompletion,
    ClearanceExtension,
    Communication,
    CountDefinition,
    Instrument,
    Membership,
    Participation,
    Status,
    StatusKind,
    Timeline,
    Withdrawal,
    annual_report_due,
    annual_report_owed,
    article,
    build_timeline,
    clearance_completion,
    clearance_deadline,
    count_parties,
    entry_into_force_provision,
    initial_report_due,
    not_a_participant,
    status_on,
    stockpile_deadline,
    threshold_from_entry_into_force,
)
from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.io.treaty_data import (
    StateNames,
    data_source,
    load_completions,
    load_conflicts,
    load_extensions,
    load_groups,
    load_mined_area_reports,
    load_participations,
    load_policy,
    load_stockpiles,
    read_rows,
    stated_or_computed_entry_into_force,
)
from minewatch.services.treaty_rows import article_dict, cite, deadline_row, status_row


@dataclass(frozen=True)
class InstrumentData:
    """One instrument's participants and derived timelines.

    Examples
    --------
    >>> data = TreatyMonitor.shipped().instruments[Instrument.APMBC]
    >>> data.threshold, data.entry_into_force
    (datetime.date(1998, 9, 30), datetime.date(1999, 3, 1))
    """

    instrument: Instrument
    info: dict[str, str]
    threshold: date
    entry_into_force: date
    status_as_at: date
    timelines: dict[str, Timeline]


@dataclass(frozen=True)
class Deadline:
    """An obligation falling due, with the article and basis it comes from.

    Examples
    --------
    >>> deadlines = TreatyMonitor.shipped().deadlines(date(2025, 1, 1), days=365, state="Canada")
    >>> [(d.kind, d.due, d.article) for d in deadlines]
    [('annual transparency report due', datetime.date(2025, 4, 30), 'Art. 7(2)')]
    """

    state: str
    instrument: Instrument
    kind: str
    due: date
    article: str
    reason: Message | Term  # how the date is reached (for the reader's language)
    provision: Article | None = None  # the quoted text the date comes from

    @property
    def basis(self) -> str:
        """How the date is reached, in English."""
        return str(self.reason)


#: Earliest and latest dates a query may ask about: no treaty text predates 1900, and a bound
#: far in the future keeps the date arithmetic (months and days added) inside Python's dates.
QUERY_DATES = (date(1900, 1, 1), date(2999, 12, 31))

#: The two definitions of "states parties", in words (for tables, the API and the web page).
COUNT_DEFINITIONS: dict[CountDefinition, str] = {
    CountDefinition.IN_FORCE: "states for which the instrument is in force on the date "
    "(from their entry into force until any withdrawal takes effect)",
    CountDefinition.CONSENTED: "states that have deposited their consent to be bound and "
    "whose withdrawal, if any, has not yet taken effect (whether or not it is in force for "
    "them yet)",
}


def query_date(day: date, field: str = "on") -> date:
    """``day`` if the monitor can answer for it; InvalidInput naming ``field`` otherwise.

    Examples
    --------
    >>> query_date(date(2026, 1, 1))
    datetime.date(2026, 1, 1)
    >>> query_date(date(1066, 10, 14), field="from")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field from: date 1066-10-14 is outside 1900-01-01 to 2999-12-31
    """
    first, last = QUERY_DATES
    if not first <= day <= last:
        raise InvalidInput(
            "date {day} is outside {first} to {last}",
            Location(field=field),
            day=day,
            first=first,
            last=last,
        )
    return day


@dataclass
class TreatyMonitor:
    """The loaded treaty data and the queries over it.

    Examples
    --------
    >>> monitor = TreatyMonitor.shipped()
    >>> monitor.state("CAN"), monitor.status("Canada", Instrument.APMBC, date(2020, 1, 1)).label
    ('Canada', 'bound')
    >>> [int(n) for n in monitor.count(Instrument.APMBC, [date(1999, 3, 1), date(2020, 1, 1)],
    ...                                CountDefinition.IN_FORCE)]
    [45, 164]
    >>> monitor.state("Atlantis")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: unknown state 'Atlantis'
    """

    source: Traversable
    names: StateNames
    instruments: dict[Instrument, InstrumentData]
    extensions: dict[str, list[ClearanceExtension]]
    conflicts: list[ArmedConflictFact]
    #: Whether a state held stockpiles (sourced rows of stockpiles.csv); absent = unknown.
    stockpiles: dict[str, bool] = field(default_factory=dict)
    #: Dated, sourced memberships of groupings of states (groups.csv), by group.
    groups: dict[str, list[Membership]] = field(default_factory=dict)
    #: Sourced declarations of Art. 5 completion (art5_completions.csv), by state.
    completions: dict[str, list[ClearanceCompletion]] = field(default_factory=dict)
    #: States a source shows reporting mined areas (art5_mined_areas.csv).
    mined_areas: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> TreatyMonitor:
        source = data_source(data_dir)
        names = StateNames.from_rows(read_rows(source, "states.csv"))
        conflicts = load_conflicts(source)
        infos = {r["instrument"]: r for r in read_rows(source, "instruments.csv")}
        instruments = {}
        for instrument in Instrument:
            parts = load_participations(source, instrument)
            info = infos.get(instrument.value, {})
            eif = stated_or_computed_entry_into_force(instrument, parts, info)
            threshold = threshold_from_entry_into_force(instrument, eif)
            timelines = {p.state: build_timeline(p, threshold, conflicts) for p in parts}
            instruments[instrument] = InstrumentData(
                instrument, info, threshold, eif, max(p.status_as_at for p in parts), timelines
            )
        return cls(
            source,
            names,
            instruments,
            load_extensions(source),
            conflicts,
            load_stockpiles(source),
            load_groups(source, names),
            load_completions(source),
            load_mined_area_reports(source),
        )

    @staticmethod
    @cache
    def shipped(data_dir: Path | None = None) -> TreatyMonitor:
        """The data in ``data_dir`` (the shipped data when None), loaded once per process
        and directory: a server answers many questions from data that never change while
        it runs."""
        return TreatyMonitor.load(data_dir)

    # states
    def state(self, name: str) -> str:
        """The canonical name of a state given by name, alias or ISO3 code (NotFound if none)."""
        return self.names.canonical(name)

    def all_states(self) -> list[str]:
        return sorted(self.names.iso3)

    # status
    def status(
        self, state: str, instrument: Instrument, on: date, *, strict_conditions: bool = False
    ) -> Status:
        name = self.state(state)
        data = self.instruments[instrument]
        timeline = data.timelines.get(name)
        if timeline is None:
            return not_a_participant(instrument, name, on, data.status_as_at)
        return status_on(timeline, on, unassessed_condition_pending=strict_conditions)

    def statuses(
        self,
        instrument: Instrument,
        on: date,
        *,
        all_states: bool = False,
        strict_conditions: bool = False,
    ) -> list[Status]:
        """The status of every participant (or every known state) on ``on``."""
        data = self.instruments[instrument]
        names = sorted(set(data.timelines) | (set(self.names.iso3) if all_states else set()))
        return [self.status(n, instrument, on, strict_conditions=strict_conditions) for n in names]

    # counts
    def count(
        self, instrument: Instrument, on: Sequence[date], definition: CountDefinition
    ) -> np.ndarray:
        return count_parties(list(self.instruments[instrument].timelines.values()), on, definition)

    def count_rows(
        self,
        instruments: Sequence[Instrument],
        on: Sequence[date],
        definitions: Sequence[CountDefinition],
    ) -> list[dict[str, Any]]:
        """The counts as rows: each instrument, definition and date."""
        rows = []
        for i in instruments:
            for d in definitions:
                counts = self.count(i, on, d)
                rows += [
                    {"instrument": i.value, "definition": d.value, "on": day, "states_parties": n}
                    for day, n in zip(on, counts.tolist(), strict=True)
                ]
        return rows

    def parties(
        self, instrument: Instrument, on: date, definition: CountDefinition
    ) -> list[Status]:
        """The states counted by :meth:`count` on ``on``, by name (the same rule, per state)."""
        bound = _BOUND[definition]
        return [s for s in self.statuses(instrument, on) if s.kind in bound]

    # comparison
    def compare(
        self,
        on: date,
        first: Instrument = Instrument.APMBC,
        second: Instrument = Instrument.CCW_AP2,
        definition: CountDefinition = CountDefinition.IN_FORCE,
    ) -> list[dict[str, Any]]:
        """States bound by one instrument but not the other on ``on``."""
        bound = _BOUND[definition]
        names = sorted(
            set(self.instruments[first].timelines) | set(self.instruments[second].timelines)
        )
        rows = []
        for n in names:
            a, b = self.status(n, first, on), self.status(n, second, on)
            if (a.kind in bound) != (b.kind in bound):
                rows.append(
                    {
                        "state": n,
                        "iso3": self.names.iso3.get(n, ""),
                        "bound_by": first.value if a.kind in bound else second.value,
                        f"{first.value}_status": a.label,
                        f"{second.value}_status": b.label,
                        "on": on,
                    }
                )
        return rows

    # deadlines
    def clearance_applies(self, state: str) -> bool:
        """Whether APMBC Art. 5 (clearance of mined areas) applies to ``state`` in the data:
        a source shows it reported areas containing or suspected to contain anti-personnel
        mines (``art5_mined_areas.csv``), or it has a sourced extension or completion, which
        only a state with mined areas can have. Otherwise no clearance deadline is shown: a
        State Party that never reported mined areas has nothing to clear by a date, and the
        data do not guess which states have them.

        >>> monitor = TreatyMonitor.shipped()
        >>> monitor.clearance_applies("Cambodia"), monitor.clearance_applies("Canada")
        (True, False)
        """
        name = self.state(state)
        return name in self.mined_areas or name in self.extensions or name in self.completions

    def clearance_deadline_on(
        self, state: str, on: date
    ) -> tuple[date, ClearanceExtension | None] | None:
        """The APMBC Art. 5 deadline in force for ``state`` on ``on`` and the extension it
        comes from (None: the original deadline); None when the Convention has no entry into
        force for the state in the data or Art. 5 does not apply to it (``clearance_applies``).

        >>> TreatyMonitor.shipped().clearance_deadline_on("UKR", date(2022, 1, 1))[0]
        datetime.date(2023, 12, 1)
        >>> TreatyMonitor.shipped().clearance_deadline_on("Canada", date(2022, 1, 1)) is None
        True
        """
        name = self.state(state)
        timeline = self.instruments[Instrument.APMBC].timelines.get(name)
        if timeline is None or timeline.entry_into_force is None:
            return None
        if not self.clearance_applies(name):
            return None
        return clearance_deadline(timeline.entry_into_force, self.extensions.get(name, []), on)

    def clearance_completion_on(self, state: str, on: date) -> ClearanceCompletion | None:
        """The state's declaration of Art. 5 completion on record by ``on`` (None: none).

        >>> TreatyMonitor.shipped().clearance_completion_on("CHL", date(2021, 1, 1)).meeting
        'Eighteenth Meeting of the States Parties (18MSP)'
        """
        name = self.state(state)
        return clearance_completion(
            self.completions.get(name, []), on, self.extensions.get(name, [])
        )

    def deadlines(self, on: date, days: int = 365, state: str | None = None) -> list[Deadline]:
        """APMBC obligations and withdrawal effects falling due in ``[on, on + days]``."""
        end = on + timedelta(days=days)
        wanted = {self.state(state)} if state else None
        found: list[Deadline] = []
        for instrument, data in self.instruments.items():
            for name, t in data.timelines.items():
                if wanted is not None and name not in wanted:
                    continue
                found += self._deadlines_of(instrument, t, on)
        return sorted((d for d in found if on <= d.due <= end), key=lambda d: (d.due, d.state))

    def _deadlines_of(self, instrument: Instrument, t: Timeline, on: date) -> list[Deadline]:
        p, eif = t.participation, t.entry_into_force
        out: list[Deadline] = []
        effect = t.withdrawal
        if effect is not None and effect.effective is not None:
            out.append(
                Deadline(
                    p.state,
                    instrument,
                    "withdrawal takes effect",
                    effect.effective,
                    cite(effect.article),
                    Term.of(effect.condition, effect.condition.value),
                    effect.article,
                )
            )
        if instrument is not Instrument.APMBC or eif is None:
            return out
        gone = t.withdrawal_effective
        items = [
            (
                "initial transparency report due",
                initial_report_due(eif),
                "7(1)",
                Message("entry into force + 180 days"),
            ),
        ]
        if self.stockpiles.get(p.state):  # only where a source says it held stockpiles
            items.append(
                (
                    "stockpile destruction deadline",
                    stockpile_deadline(eif),
                    "4",
                    Message(
                        "entry into force + 4 years; no extension possible; the state declared "
                        "stockpiles (stockpiles.csv)"
                    ),
                )
            )
        if self.clearance_applies(p.state):  # only where a source shows mined areas
            items.append(self._clearance_item(p.state, eif, on))
        for year in (on.year, on.year + 1):
            if annual_report_owed(eif, year):
                items.append(
                    (
                        "annual transparency report due",
                        annual_report_due(year),
                        "7(2)",
                        Message(
                            "update covering {year}, owed once the initial report has fallen "
                            "due; which 30 April is the first after it: ISU practice not "
                            "verified",
                            year=year - 1,
                        ),
                    )
                )
        for kind, due, ref, why in items:
            if gone is None or due < gone:
                quoted = article(instrument, ref)
                out.append(Deadline(p.state, instrument, kind, due, cite(quoted), why, quoted))
        return out

    def _clearance_item(self, state: str, eif: date, on: date) -> tuple[str, date, str, Message]:
        deadline, ext = clearance_deadline(eif, self.extensions.get(state, []), on)
        done = clearance_completion(
            self.completions.get(state, []), on, self.extensions.get(state, [])
        )
        basis = (
            Message(
                "fulfilled: completion declared {date} ({meeting}); {source}",
                date=done.declared_on,
                meeting=done.meeting,
                source=done.source,
            )
            if done and done.meeting
            else Message(
                "fulfilled: completion declared {date}; {source}",
                date=done.declared_on,
                source=done.source,
            )
            if done
            else Message(
                "extended deadline ({decision}; {source})",
                decision=ext.decided_by,
                source=ext.source,
            )
            if ext and ext.decided_by
            else Message("extended deadline ({source})", source=ext.source)
            if ext
            else Message(
                "original deadline, entry into force + 10 years; extensions not in the data "
                "are not shown"
            )
        )
        if done is None and deadline < on:
            # why: a deadline that passed with no completion is usually followed by a further
            # extension; the data hold only the decisions a source was found for.
            basis = Message(
                "{basis}; passed on {date} with no completion in the data: may be stale (a "
                "later extension may have been granted)",
                basis=basis,
                date=deadline,
            )
        kind = "mine clearance deadline" + (" (fulfilled)" if done else "")
        return kind, deadline, "5(3)" if ext else "5(1)", basis

    # why: the status with its dates, provisions and sources
    def explain(
        self, state: str, instrument: Instrument, on: date, *, strict_conditions: bool = False
    ) -> dict[str, Any]:
        """A state's status on ``on`` and why: each computed date with the provision quoted
        behind it, each fact with its source, and the obligations computed on that date.

        >>> why = TreatyMonitor.shipped().explain("Poland", Instrument.APMBC, date(2026, 3, 1))
        >>> why["withdrawal"]["provision"]["cite"], why["withdrawal"]["condition"]
        ('Art. 20(3)', 'not assessed: no sourced armed-conflict input')
        """
        status = self.status(state, instrument, on, strict_conditions=strict_conditions)
        data = self.instruments[instrument]
        t = data.timelines.get(status.state)
        return {
            **status_row(status, self.names),
            "instrument_title": data.info.get("title", ""),
            "instrument_entry_into_force": data.entry_into_force,
            "list_source": {
                "source": data.info.get("source", ""),
                "source_url": data.info.get("source_url", ""),
                "status_as_at": data.status_as_at,
            },
            "participation": None if t is None else _participation_facts(t, data.threshold),
            "withdrawal": None if t is None else self._withdrawal_facts(t, status),
            "communications": [
                {**_source_of(c), "received": c.received, "notification": c.notification}
                | {"kind": c.kind, "summary": c.summary, "legal_character": c.legal_character}
                | {"legal_character_source": c.legal_character_source}
                for c in status.communications
            ],
            "obligations": []
            if t is None
            else [deadline_row(d) for d in self._deadlines_of(instrument, t, on)],
        }

    def _withdrawal_facts(self, t: Timeline, status: Status) -> dict[str, Any] | None:
        w, effect = t.participation.withdrawal, t.withdrawal
        if w is None or effect is None:
            return None
        return {
            **_source_of(w),
            "received": w.received,
            "notification": w.notification,
            "notification_date": w.notification_date,
            "stated_effective": w.stated_effective,
            "stated_condition": w.stated_condition,
            "took_effect_as_stated": w.took_effect,
            "expiry": effect.expiry,
            "effective": status.withdrawal_effective,
            "condition": effect.condition.value,
            "provision": article_dict(effect.article),
            "armed_conflict_inputs": [
                {"engaged": c.engaged, "since": c.since, "until": c.until, "source": c.source}
                | {"description": c.description}
                for c in self.conflicts
                if c.state == t.participation.state
            ],
        }

    # entry into force table
    def entry_into_force_table(self, instrument: Instrument) -> list[dict[str, Any]]:
        data = self.instruments[instrument]
        rows = []
        for name, t in sorted(data.timelines.items()):
            p = t.participation
            rows.append(
                {
                    "state": name,
                    "iso3": self.names.iso3.get(name, ""),
                    "instrument": instrument.value,
                    "signature": p.signature,
                    "consent": p.consent,
                    "consent_type": p.consent_type.value if p.consent_type else "",
                    "entry_into_force": t.entry_into_force,
                    "basis": t.entry_into_force_basis,
                    "withdrawal_received": p.withdrawal.received if p.withdrawal else None,
                    "withdrawal_notification": p.withdrawal.notification if p.withdrawal else "",
                    "withdrawal_effective": t.withdrawal_effective,
                    "withdrawal_condition": t.withdrawal.condition.value if t.withdrawal else "",
                    "source": p.source,
                    "status_as_at": p.status_as_at,
                }
            )
        return rows

    # policy
    def policy_names(self) -> list[str]:
        """The national policy records in the data: ``us`` for ``us_policy.toml``."""
        files = (f.name for f in self.source.iterdir() if f.is_file())
        return sorted(f.removesuffix(POLICY_SUFFIX) for f in files if f.endswith(POLICY_SUFFIX))

    def policy(self, name: str = "us") -> PolicyRecord:
        """The policy record ``name`` (see :meth:`policy_names`); NotFound lists the known."""
        known = self.policy_names()
        if name not in known:
            raise NotFound(
                "no policy record {name!r} (known: {known})",
                name=name,
                known=", ".join(known) or "—",
            )
        return load_policy(self.source, name + POLICY_SUFFIX)


#: Policy records are the data directory's ``<name>_policy.toml`` files.
POLICY_SUFFIX = "_policy.toml"

_BOUND = {
    CountDefinition.IN_FORCE: {StatusKind.BOUND, StatusKind.WITHDRAWAL_PENDING},
    CountDefinition.CONSENTED: {
        StatusKind.BOUND,
        StatusKind.WITHDRAWAL_PENDING,
        StatusKind.CONSENTED,
    },
}


def _source_of(fact: Participation | Withdrawal | Communication) -> dict[str, str]:
    return {"source": fact.source, "source_url": fact.source_url}


def _participation_facts(t: Timeline, threshold: date) -> dict[str, Any]:
    """A participant's deposited facts and its entry into force with the rule behind it."""
    p = t.participation
    provision = None
    if p.consent is not None and p.consent_type is not None and p.effect_fact is None:
        provision = entry_into_force_provision(p.instrument, p.consent, p.consent_type, threshold)
    return {
        **_source_of(p),
        "status_as_at": p.status_as_at,
        "signature": p.signature,
        "consent": p.consent,
        "consent_type": p.consent_type.value if p.consent_type else None,
        "provisional_application": p.provisional_application,
        "entry_into_force": t.entry_into_force,
        "entry_into_force_basis": t.entry_into_force_basis,
        "entry_into_force_provision": None if provision is None else article_dict(provision),
        "entry_into_force_fact_source": p.effect_fact_source or None,
    }
