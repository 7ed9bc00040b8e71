"""Treaty and national-policy monitor: import depositary pages, load the sourced data, answer
status / count / comparison / deadline / policy questions, and export the answers.

Data lives in one directory of CSV/TOML files: by default the one shipped inside the package
(``minewatch/data/treaties``, built by :func:`import_pages` from the saved UNTC pages), or a
directory a user rebuilt from newer saved pages (``import_pages(pages, out_dir)``), chosen with
``data_dir=`` or the environment variable ``MINEWATCH_TREATY_DATA``.

>>> monitor = TreatyMonitor.load()
>>> monitor.status("Estonia", Instrument.APMBC, date(2026, 1, 1)).kind.value
'withdrawn'
>>> int(monitor.count(Instrument.APMBC, [date(2026, 2, 3)], CountDefinition.IN_FORCE)[0])
162
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import shutil
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np

from minewatch.domain.cells import safe_record
from minewatch.domain.policy import (
    DIMENSIONS,
    PolicyRecord,
    PolicyVersion,
    Provision,
    ProvisionStatus,
    VersionKind,
)
from minewatch.domain.treaty import (
    THRESHOLDS,
    ArmedConflictFact,
    Article,
    ClearanceExtension,
    Communication,
    ConsentType,
    CountDefinition,
    Instrument,
    Participation,
    Status,
    StatusKind,
    Timeline,
    Withdrawal,
    add_months,
    annual_report_due,
    article,
    build_timeline,
    clearance_deadline,
    count_parties,
    entry_into_force_provision,
    initial_report_due,
    instrument_entry_into_force,
    not_a_participant,
    status_on,
    stockpile_deadline,
    threshold_from_entry_into_force,
)
from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.io.untc import StatusPage, parse_status_page

#: Environment variable naming a user data directory (see :func:`data_source`).
DATA_DIR_ENV = "MINEWATCH_TREATY_DATA"

#: Files the importer builds from status pages.
PAGE_FILES = (
    "instruments.csv",
    "participants_{}.csv",
    "withdrawals.csv",
    "communications.csv",
    "notes.csv",
)
#: Curated, sourced files that no status page gives; copied into a user directory on import.
CURATED_FILES = (
    "states.csv",
    "effect_facts.csv",
    "art5_extensions.csv",
    "armed_conflict.csv",
    "communications_extra.csv",
    "us_policy.toml",
    "README.md",
)

PARTICIPANT_COLUMNS = (
    "instrument",
    "state",
    "iso3",
    "signature",
    "signature_bracketed",
    "consent",
    "consent_type",
    "consent_bracketed",
    "footnotes",
    "provisional_application",
    "source",
    "source_url",
    "status_as_at",
)
WITHDRAWAL_COLUMNS = (
    "instrument",
    "state",
    "iso3",
    "received",
    "notification",
    "notification_date",
    "stated_effective",
    "took_effect",
    "basis",
    "stated_condition",
    "computed_effective",
    "end_note",
    "source",
    "source_url",
    "status_as_at",
)
COMMUNICATION_COLUMNS = (
    "instrument",
    "state",
    "iso3",
    "received",
    "notification",
    "notification_date",
    "kind",
    "summary",
    "end_note",
    "source",
    "source_url",
    "status_as_at",
)
NOTE_COLUMNS = ("instrument", "state", "end_note", "text", "source", "source_url", "status_as_at")
INSTRUMENT_COLUMNS = (
    "instrument",
    "chapter",
    "title",
    "stated_entry_into_force",
    "stated_entry_into_force_text",
    "computed_entry_into_force",
    "threshold_deposit",
    "stated_parties",
    "stated_signatories",
    "participants",
    "note",
    "source",
    "source_url",
    "status_as_at",
)


# --- reading helpers ---


def data_source(data_dir: str | Path | None = None) -> Traversable:
    """The data directory: ``data_dir``, else ``$MINEWATCH_TREATY_DATA``, else the shipped one."""
    chosen = data_dir or os.environ.get(DATA_DIR_ENV)
    if chosen:
        path = Path(chosen)
        if not path.is_dir():
            raise NotFound(f"treaty data directory {path} does not exist")
        return path
    return resources.files("minewatch.data") / "treaties"


def _rows(source: Traversable, name: str) -> list[dict[str, str]]:
    item = source / name
    if not item.is_file():
        raise NotFound(f"{name} missing from treaty data directory {source}")
    return list(csv.DictReader(io.StringIO(item.read_text(encoding="utf-8"))))


def _date(value: str, where: Location) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"not a date (YYYY-MM-DD): {value!r}", where) from None


def _required_date(value: str, where: Location) -> date:
    day = _date(value, where)
    if day is None:
        raise InvalidInput("a date is required", where)
    return day


def _flag(value: str) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes"}


def _need_source(row: Mapping[str, str], where: Location) -> str:
    source = (row.get("source") or "").strip()
    if not source:
        raise InvalidInput("every row needs its source", Location(where.file, where.row, "source"))
    return source


# --- states ---


@dataclass(frozen=True)
class StateNames:
    """Canonical (UNTC) state names, ISO 3166-1 alpha-3 codes and accepted aliases."""

    iso3: dict[str, str]
    lookup: dict[str, str]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> StateNames:
        iso3: dict[str, str] = {}
        lookup: dict[str, str] = {}
        for row in rows:
            name = row["name"].strip()
            iso3[name] = row["iso3"].strip()
            for key in [name, row["iso3"], *row.get("aliases", "").split(";")]:
                if key.strip():
                    lookup[key.strip().casefold()] = name
        return cls(iso3, lookup)

    def canonical(self, name: str) -> str:
        key = name.strip().casefold()
        found = self.lookup.get(key)
        if found is None:
            close = self.close_names(key)
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            raise NotFound(f"unknown state {name!r}{hint}")
        return found

    def close_names(self, key: str, limit: int = 5) -> list[str]:
        """Canonical names a mistyped ``key`` may mean: names containing it, then names
        spelled alike (``difflib``'s ratio, so "Polnad" finds Poland)."""
        containing = [n for k, n in self.lookup.items() if key and key in k]
        alike = [self.lookup[k] for k in difflib.get_close_matches(key, self.lookup, limit, 0.75)]
        return list(dict.fromkeys(sorted(set(containing)) + alike))[:limit]


# --- import ---


@dataclass
class ImportReport:
    """What an import wrote and what it could not match."""

    out_dir: Path
    files: list[str] = field(default_factory=list)
    participants: dict[str, int] = field(default_factory=dict)
    status_as_at: dict[str, str] = field(default_factory=dict)
    unmatched_names: list[str] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)


def _write(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _plain(row.get(k)) for k in columns})


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _page_rows(
    page: StatusPage, names: StateNames, report: ImportReport
) -> dict[str, list[dict[str, Any]]]:
    common = {
        "instrument": page.instrument.value,
        "source": page.source,
        "source_url": page.url,
        "status_as_at": page.status_as_at,
    }
    deposits = [
        (r.consent, r.consent_type) for r in page.participants if r.consent and r.consent_type
    ]
    eif = instrument_entry_into_force(page.instrument, deposits)
    if eif.date != page.stated_entry_into_force:
        # The depositary's statement is the fact the monitor follows; the difference is kept.
        report.discrepancies.append(
            f"{page.instrument.value}: the {THRESHOLDS[page.instrument]}th instrument in the list "
            f"is dated {eif.threshold_deposit}, giving {eif.date}; the depositary states "
            f"{page.stated_entry_into_force} ({page.stated_entry_into_force_text}); "
            "the stated date is used"
        )
    out: dict[str, list[dict[str, Any]]] = {
        "participants": [],
        "withdrawals": [],
        "communications": [],
        "notes": [],
    }
    out["instruments"] = [
        {
            **common,
            "chapter": page.chapter,
            "title": page.title,
            "stated_entry_into_force": page.stated_entry_into_force,
            "stated_entry_into_force_text": page.stated_entry_into_force_text,
            "computed_entry_into_force": eif.date,
            "threshold_deposit": eif.threshold_deposit,
            "stated_parties": page.stated_parties,
            "stated_signatories": page.stated_signatories,
            "participants": len(page.participants),
            "note": report.discrepancies[-1] if eif.date != page.stated_entry_into_force else "",
        }
    ]
    for row in page.participants:
        iso3 = names.iso3.get(row.name, "")
        if not iso3:
            report.unmatched_names.append(f"{page.instrument.value}: {row.name}")
        state = {"state": row.name, "iso3": iso3}
        out["participants"].append(
            {
                **common,
                **state,
                "signature": row.signature,
                "signature_bracketed": row.signature_bracketed,
                "consent": row.consent,
                "consent_type": row.consent_type.value if row.consent_type else "",
                "consent_bracketed": row.consent_bracketed,
                "footnotes": " ".join(str(n) for n in row.footnotes),
                "provisional_application": row.name in page.provisional_application,
            }
        )
        for note in page.notes_for(row):
            base = {**common, **state, "end_note": note.number}
            if note.kind == "withdrawal":
                computed = _computed_withdrawal(page.instrument, note.received)
                out["withdrawals"].append(
                    {
                        **base,
                        "received": note.received,
                        "notification": note.notification,
                        "notification_date": note.notification_date,
                        "stated_effective": note.effective,
                        "took_effect": note.took_effect,
                        "basis": note.basis,
                        "stated_condition": note.condition,
                        "computed_effective": computed,
                    }
                )
            elif note.kind == "communication":
                out["communications"].append(
                    {
                        **base,
                        "received": note.received,
                        "notification": note.notification,
                        "notification_date": note.notification_date,
                        "kind": "communication",
                        "summary": note.text,
                    }
                )
            else:
                out["notes"].append({**base, "text": note.text})
    return out


def _computed_withdrawal(instrument: Instrument, received: date | None) -> date | None:
    if received is None:
        return None
    months = 6 if instrument is Instrument.APMBC else 12
    return add_months(received, months)


def import_pages(pages: Sequence[str | Path], out_dir: str | Path) -> ImportReport:
    """Rebuild the treaty data in ``out_dir`` from saved UNTC status pages.

    Every page is parsed strictly (see :mod:`minewatch.io.untc`) before anything is written;
    the curated files (state names, successions' dates of effect, Art. 5 extensions,
    armed-conflict inputs, policy) are copied from the shipped data unless ``out_dir`` already
    has its own. Instruments with no page given keep their shipped rows.
    """
    out = Path(out_dir)
    shipped = resources.files("minewatch.data") / "treaties"
    names = StateNames.from_rows(
        _rows(shipped if not (out / "states.csv").is_file() else out, "states.csv")
    )
    report = ImportReport(out)
    parsed = [parse_status_page(p) for p in pages]
    seen = [p.instrument for p in parsed]
    if len(set(seen)) != len(seen):
        raise InvalidInput(
            "two pages for the same treaty given", Location(file=", ".join(str(p) for p in pages))
        )
    built = {p.instrument: _page_rows(p, names, report) for p in parsed}  # all checks first
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict[str, Any]]] = {
        "instruments": [],
        "withdrawals": [],
        "communications": [],
        "notes": [],
    }
    for instrument in Instrument:
        rows = built.get(instrument)
        if rows is None:
            _keep_shipped(instrument, shipped, out, tables)
            continue
        _write(
            out / f"participants_{instrument.value}.csv", PARTICIPANT_COLUMNS, rows["participants"]
        )
        report.participants[instrument.value] = len(rows["participants"])
        report.status_as_at[instrument.value] = str(rows["instruments"][0]["status_as_at"])
        for key in tables:
            tables[key] += rows[key]
    _write(out / "instruments.csv", INSTRUMENT_COLUMNS, tables["instruments"])
    _write(out / "withdrawals.csv", WITHDRAWAL_COLUMNS, tables["withdrawals"])
    _write(out / "communications.csv", COMMUNICATION_COLUMNS, tables["communications"])
    _write(out / "notes.csv", NOTE_COLUMNS, tables["notes"])
    for name in CURATED_FILES:
        target = out / name
        if not target.exists() and (shipped / name).is_file():
            target.write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    report.files = sorted(p.name for p in out.iterdir())
    return report


def _keep_shipped(
    instrument: Instrument, shipped: Traversable, out: Path, tables: dict[str, list[dict[str, Any]]]
) -> None:
    name = f"participants_{instrument.value}.csv"
    if not (out / name).exists():
        with resources.as_file(shipped / name) as src:
            shutil.copyfile(src, out / name)
    for key in tables:
        tables[key] += [
            r for r in _rows(shipped, f"{key}.csv") if r["instrument"] == instrument.value
        ]


# --- loading ---


@dataclass(frozen=True)
class InstrumentData:
    """One instrument's participants and derived timelines."""

    instrument: Instrument
    info: dict[str, str]
    threshold: date
    entry_into_force: date
    status_as_at: date
    timelines: dict[str, Timeline]


def _participations(source: Traversable, instrument: Instrument) -> list[Participation]:
    file = f"participants_{instrument.value}.csv"
    withdrawals = {
        r["state"]: (i, r)
        for i, r in enumerate(_rows(source, "withdrawals.csv"), start=2)
        if r["instrument"] == instrument.value
    }
    comms = _communications(source, instrument)
    facts = {
        r["state"]: (i, r)
        for i, r in enumerate(_rows(source, "effect_facts.csv"), start=2)
        if r["instrument"] == instrument.value
    }
    out = []
    for i, r in enumerate(_rows(source, file), start=2):
        where = Location(file, i)
        state = r["state"]
        consent_type = ConsentType(r["consent_type"]) if r["consent_type"] else None
        effect_fact, effect_source = None, ""
        if state in facts:
            fi, fr = facts[state]
            effect_fact = _required_date(
                fr["date_of_effect"], Location("effect_facts.csv", fi, "date_of_effect")
            )
            effect_source = _need_source(fr, Location("effect_facts.csv", fi))
        withdrawal = None
        if state in withdrawals:
            wi, wr = withdrawals[state]
            w_where = Location("withdrawals.csv", wi)
            withdrawal = Withdrawal(
                _required_date(wr["received"], w_where),
                wr["notification"],
                _date(wr["notification_date"], w_where),
                _date(wr["stated_effective"], w_where),
                wr["stated_condition"],
                _need_source(wr, w_where),
                _flag(wr["took_effect"]),
                wr.get("source_url", ""),
            )
        out.append(
            Participation(
                instrument,
                state,
                _date(r["signature"], Location(file, i, "signature")),
                _date(r["consent"], Location(file, i, "consent")),
                consent_type,
                _need_source(r, where),
                _required_date(r["status_as_at"], Location(file, i, "status_as_at")),
                effect_fact,
                effect_source,
                withdrawal,
                tuple(comms.get(state, ())),
                _flag(r.get("provisional_application", "")),
                r.get("source_url", ""),
            )
        )
    if not out:
        raise InvalidInput("no participants", Location(file))
    known = {p.state for p in out}
    for name, states in (
        ("withdrawals.csv", withdrawals),
        ("communications", comms),
        ("effect_facts.csv", facts),
    ):
        stray = sorted(set(states) - known)
        if stray:
            raise InvalidInput(
                f"{instrument.value} rows for states that are not participants: {stray}",
                Location(name, field="state"),
            )
    return out


def _communications(source: Traversable, instrument: Instrument) -> dict[str, list[Communication]]:
    """Communications from the depositary's notes, plus the curated ones a user recorded in
    ``communications_extra.csv`` (same columns; e.g. a declared suspension the depositary's
    page does not show yet), each with its source."""
    files = ["communications.csv"]
    if (source / "communications_extra.csv").is_file():
        files.append("communications_extra.csv")
    comms: dict[str, list[Communication]] = {}
    for name in files:
        for i, r in enumerate(_rows(source, name), start=2):
            if r["instrument"] != instrument.value:
                continue
            where = Location(name, i)
            comms.setdefault(r["state"], []).append(
                Communication(
                    _required_date(r["received"], Location(name, i, "received")),
                    r["notification"],
                    r["summary"],
                    _need_source(r, where),
                    r.get("kind") or "communication",
                    r.get("source_url", ""),
                )
            )
    return {k: sorted(v, key=lambda c: c.received) for k, v in comms.items()}


def _instrument_eif(
    instrument: Instrument, parts: Sequence[Participation], info: Mapping[str, str]
) -> date:
    """The depositary's stated entry into force if on record, else the computed one."""
    stated = _date(
        info.get("stated_entry_into_force", ""),
        Location("instruments.csv", None, "stated_entry_into_force"),
    )
    if stated is not None:
        return stated
    deposits = [(p.consent, p.consent_type) for p in parts if p.consent and p.consent_type]
    return instrument_entry_into_force(instrument, deposits).date


def _conflicts(source: Traversable) -> list[ArmedConflictFact]:
    facts = []
    for i, r in enumerate(_rows(source, "armed_conflict.csv"), start=2):
        where = Location("armed_conflict.csv", i)
        facts.append(
            ArmedConflictFact(
                r["state"].strip(),
                _flag(r["engaged"]),
                _required_date(r["since"], Location("armed_conflict.csv", i, "since")),
                _date(r["until"], Location("armed_conflict.csv", i, "until")),
                _need_source(r, where),
                r.get("description", ""),
            )
        )
    return facts


def _extensions(source: Traversable) -> dict[str, list[ClearanceExtension]]:
    out: dict[str, list[ClearanceExtension]] = {}
    for i, r in enumerate(_rows(source, "art5_extensions.csv"), start=2):
        where = Location("art5_extensions.csv", i)
        try:
            year = int(r["decided_year"])
        except ValueError:
            raise InvalidInput(
                "decided_year must be a year", Location(where.file, i, "decided_year")
            ) from None
        out.setdefault(r["state"], []).append(
            ClearanceExtension(
                r["state"],
                _required_date(r["new_deadline"], Location(where.file, i, "new_deadline")),
                year,
                _need_source(r, where),
                _date(r["decided_on"], Location(where.file, i, "decided_on")),
                r.get("decided_by", ""),
                int(r["sequence"]) if r.get("sequence") else None,
            )
        )
    return out


def load_policy(source: Traversable, name: str = "us_policy.toml") -> PolicyRecord:
    """A national policy record from its TOML file; InvalidInput names the bad version."""
    try:
        raw = tomllib.loads((source / name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}", Location(name)) from None
    versions = []
    for n, v in enumerate(raw.get("versions", []), start=1):
        where = Location(name, f"version {n} ({v.get('id', '?')})")
        try:
            provisions = {
                d: Provision(
                    d,
                    p.get("value"),
                    ProvisionStatus(p["status"]),
                    tuple(p.get("sources", ())),
                    p.get("note", ""),
                )
                for d, p in v.get("provisions", {}).items()
            }
            versions.append(
                PolicyVersion(
                    v["id"],
                    v["effective"],
                    v["title"],
                    VersionKind(v["kind"]),
                    provisions,
                    v.get("announced"),
                    tuple(v.get("sources", ())),
                    v.get("note", ""),
                    tuple(v.get("unverified_claims", ())),
                )
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(f"bad policy version: {exc}", where) from None
    if not versions:
        raise InvalidInput("no policy versions", Location(name))
    return PolicyRecord(raw.get("state", ""), tuple(versions), raw.get("legal_floor", ""))


# --- queries ---


@dataclass(frozen=True)
class Deadline:
    """An obligation falling due, with the article and basis it comes from."""

    state: str
    instrument: Instrument
    kind: str
    due: date
    article: str
    basis: str
    provision: Article | None = None  # the quoted text the date comes from


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
    """``day`` if the monitor can answer for it; InvalidInput naming ``field`` otherwise."""
    first, last = QUERY_DATES
    if not first <= day <= last:
        raise InvalidInput(f"date {day} is outside {first} to {last}", Location(field=field))
    return day


@dataclass
class TreatyMonitor:
    """The loaded treaty data and the queries over it."""

    source: Traversable
    names: StateNames
    instruments: dict[Instrument, InstrumentData]
    extensions: dict[str, list[ClearanceExtension]]
    conflicts: list[ArmedConflictFact]

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> TreatyMonitor:
        source = data_source(data_dir)
        names = StateNames.from_rows(_rows(source, "states.csv"))
        conflicts = _conflicts(source)
        infos = {r["instrument"]: r for r in _rows(source, "instruments.csv")}
        instruments = {}
        for instrument in Instrument:
            parts = _participations(source, instrument)
            info = infos.get(instrument.value, {})
            eif = _instrument_eif(instrument, parts, info)
            threshold = threshold_from_entry_into_force(instrument, eif)
            timelines = {p.state: build_timeline(p, threshold, conflicts) for p in parts}
            instruments[instrument] = InstrumentData(
                instrument, info, threshold, eif, max(p.status_as_at for p in parts), timelines
            )
        return cls(source, names, instruments, _extensions(source), conflicts)

    @staticmethod
    @cache
    def shipped() -> TreatyMonitor:
        """The default data (shipped, or ``$MINEWATCH_TREATY_DATA``), loaded once per process:
        a server answers many questions from data that never change while it runs."""
        return TreatyMonitor.load()

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
                    effect.condition.value,
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
                "entry into force + 180 days",
            ),
            (
                "stockpile destruction deadline",
                stockpile_deadline(eif),
                "4",
                "entry into force + 4 years; no extension possible",
            ),
        ]
        deadline, ext = clearance_deadline(eif, self.extensions.get(p.state, []), on)
        basis = (
            f"extended deadline ({ext.source})"
            if ext
            else "original deadline, entry into force + 10 years; "
            "extensions not in the data are not shown"
        )
        items.append(("mine clearance deadline", deadline, "5(3)" if ext else "5(1)", basis))
        for year in (on.year, on.year + 1):
            due = annual_report_due(year)
            if eif <= date(year - 1, 12, 31):
                items.append(
                    (
                        "annual transparency report due",
                        due,
                        "7(2)",
                        f"update covering {year - 1}; which 30 April is the first after the "
                        "initial report: practice not verified",
                    )
                )
        for kind, due, ref, why in items:
            if gone is None or due < gone:
                quoted = article(instrument, ref)
                out.append(Deadline(p.state, instrument, kind, due, cite(quoted), why, quoted))
        return out

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
                | {"kind": c.kind, "summary": c.summary}
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
            raise NotFound(f"no policy record {name!r} (known: {', '.join(known) or 'none'})")
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


# --- presenting ---


def cite(provision: Article) -> str:
    """How a provision is cited: ``Art. 20(3)`` (APMBC), ``CCW Art. 9(2)``."""
    if provision.ref.startswith("CCW "):
        return "CCW Art. " + provision.ref.removeprefix("CCW ")
    return f"Art. {provision.ref}"


def article_dict(provision: Article) -> dict[str, str]:
    """A quoted provision with its citation and where the quotation comes from."""
    return {
        "instrument": provision.instrument.value,
        "cite": cite(provision),
        "text": provision.text,
        "source": provision.source,
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


def status_row(status: Status, names: StateNames | None = None) -> dict[str, Any]:
    """A status as a flat, exportable row."""
    return {
        "state": status.state,
        "iso3": names.iso3.get(status.state, "") if names else "",
        "instrument": status.instrument.value,
        "on": status.on,
        "status": status.kind.value,
        "label": status.label,
        "entry_into_force": status.entry_into_force,
        "withdrawal_effective": status.withdrawal_effective,
        "withdrawal_condition": status.condition.value if status.condition else "",
        "communication_on_record": status.communication_on_record,
        "communications": "; ".join(
            f"{c.notification} ({c.received})" for c in status.communications
        ),
        "data_status_as_at": status.data_as_at,
        "projected": status.projected,
    }


def deadline_row(deadline: Deadline) -> dict[str, Any]:
    """A deadline as a flat row, with the text of the provision it comes from."""
    return {
        "state": deadline.state,
        "instrument": deadline.instrument.value,
        "kind": deadline.kind,
        "due": deadline.due,
        "article": deadline.article,
        "basis": deadline.basis,
        "article_text": deadline.provision.text if deadline.provision else "",
    }


def policy_version_rows(record: PolicyRecord) -> list[dict[str, Any]]:
    """The versions of a policy record, oldest first, each with its sources."""
    return [
        {
            "version": v.id,
            "effective": v.effective,
            "announced": v.announced,
            "kind": v.kind.value,
            "title": v.title,
            "sources": "; ".join(v.sources),
            "note": v.note,
            "unverified_claims": "; ".join(v.unverified_claims),
        }
        for v in record.versions
    ]


def policy_version_on(record: PolicyRecord, day: date) -> PolicyVersion:
    """The version in force on ``day``; InvalidInput before the first version on record."""
    current = record.as_of(day)
    if current is None:
        raise InvalidInput(f"no policy version on record on or before {day}", Location(field="on"))
    return current


def _version(record: PolicyRecord, version_id: str, field: str | None = None) -> PolicyVersion:
    """The version ``version_id``: NotFound when it was asked for as such, InvalidInput
    naming ``field`` when it was a parameter of another question (a diff)."""
    try:
        return record.version(version_id)
    except KeyError as exc:
        if field is None:
            raise NotFound(str(exc.args[0])) from None
        raise InvalidInput(str(exc.args[0]), Location(field=field)) from None


def policy_rows(record: PolicyRecord, version_id: str) -> list[dict[str, Any]]:
    """A resolved policy version as rows, one per dimension (NotFound for an unknown id)."""
    version = _version(record, version_id)
    return [
        {
            "state": record.state,
            "version": version.id,
            "effective": version.effective,
            "dimension": d,
            "covers": DIMENSIONS[d],
            "value": r.provision.value or "",
            "status": r.provision.status.value,
            "stated_in": r.stated_in or "",
            "sources": "; ".join(r.provision.sources),
            "note": r.provision.note,
        }
        for d, r in record.resolve(version_id).items()
    ]


def policy_diff_rows(record: PolicyRecord, before: str, after: str) -> list[dict[str, Any]]:
    """Two versions compared dimension by dimension (InvalidInput for an unknown id)."""
    _version(record, before, "before")
    _version(record, after, "after")
    return [
        {
            "dimension": c.dimension,
            "covers": DIMENSIONS[c.dimension],
            "change": c.change,
            "before": c.before.provision.value or f"({c.before.provision.status.value})",
            "before_status": c.before.provision.status.value,
            "before_sources": "; ".join(c.before.provision.sources),
            "after": c.after.provision.value or f"({c.after.provision.status.value})",
            "after_status": c.after.provision.status.value,
            "after_sources": "; ".join(c.after.provision.sources),
        }
        for c in record.diff(before, after)
    ]


def export(rows: Sequence[Mapping[str, Any]], fmt: str) -> str:
    """Rows as CSV or JSON text (dates as ISO 8601)."""
    plain = [{k: _plain(v) if not isinstance(v, bool) else v for k, v in r.items()} for r in rows]
    if fmt == "json":
        return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        columns = list(rows[0].keys()) if rows else []
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writerow(safe_record({c: c for c in columns}))
        for r in rows:
            writer.writerow(safe_record({k: _plain(v) for k, v in r.items()}))
        return buffer.getvalue()
    raise InvalidInput(f"unknown export format {fmt!r} (use csv or json)", Location(field="format"))
