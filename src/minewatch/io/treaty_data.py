"""The treaty data directory, read: the shipped one (``minewatch/data/treaties``) or one a user
rebuilt from newer saved pages (``--data-dir``, or ``$MINEWATCH_TREATY_DATA`` read by the CLI
and the server's settings). Every row is checked as it is read
(dates, sources) and an error names the file, row and field.

>>> names = StateNames.from_rows(read_rows(data_source(), "states.csv"))
>>> names.canonical("POL"), names.iso3["Poland"]
('Poland', 'POL')
"""

from __future__ import annotations

import csv
import difflib
import io
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from minewatch.domain.policy import (
    Citation,
    PolicyRecord,
    PolicyVersion,
    Provision,
    ProvisionStatus,
    VersionKind,
)
from minewatch.domain.treaty import (
    ArmedConflictFact,
    ClearanceCompletion,
    ClearanceExtension,
    Communication,
    ConsentType,
    Instrument,
    Membership,
    Participation,
    Withdrawal,
    instrument_entry_into_force,
)
from minewatch.errors import InvalidInput, Location, NotFound


def data_source(data_dir: str | Path | None = None) -> Traversable:
    """The data directory: ``data_dir`` (rebuilt by ``minewatch treaty import``), else the
    one shipped with minewatch.

    >>> data_source().name
    'treaties'
    """
    if data_dir:
        path = Path(data_dir)
        if not path.is_dir():
            raise NotFound("treaty data directory {path} does not exist", path=path)
        return path
    return resources.files("minewatch.data") / "treaties"


def read_rows(source: Traversable, name: str) -> list[dict[str, str]]:
    """The rows of one CSV file of the data directory, as text (NotFound if it is missing)."""
    item = source / name
    if not item.is_file():
        raise NotFound(
            "{name} missing from treaty data directory {source}", name=name, source=source
        )
    return list(csv.DictReader(io.StringIO(item.read_text(encoding="utf-8"))))


def _date(value: str, where: Location) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("not a date (YYYY-MM-DD): {value!r}", where, value=value) from None


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
            if close:
                raise NotFound(
                    "unknown state {name!r} (did you mean: {close}?)",
                    name=name,
                    close=", ".join(close),
                )
            raise NotFound("unknown state {name!r}", name=name)
        return found

    def close_names(self, key: str, limit: int = 5) -> list[str]:
        """Canonical names a mistyped ``key`` may mean: names containing it, then names
        spelled alike (``difflib``'s ratio, so "Polnad" finds Poland)."""
        containing = [n for k, n in self.lookup.items() if key and key in k]
        alike = [self.lookup[k] for k in difflib.get_close_matches(key, self.lookup, limit, 0.75)]
        return list(dict.fromkeys(sorted(set(containing)) + alike))[:limit]


def load_participations(source: Traversable, instrument: Instrument) -> list[Participation]:
    """An instrument's participants with their withdrawals, communications and curated dates
    of effect; InvalidInput names the file, row and field of a bad value."""
    file = f"participants_{instrument.value}.csv"
    withdrawals = {
        r["state"]: (i, r)
        for i, r in enumerate(read_rows(source, "withdrawals.csv"), start=2)
        if r["instrument"] == instrument.value
    }
    comms = _communications(source, instrument)
    facts = {
        r["state"]: (i, r)
        for i, r in enumerate(read_rows(source, "effect_facts.csv"), start=2)
        if r["instrument"] == instrument.value
    }
    out = []
    for i, r in enumerate(read_rows(source, file), start=2):
        where = Location(file, i)
        state = r["state"]
        consent_type = ConsentType(r["consent_type"]) if r["consent_type"] else None
        effect_fact, effect_source = None, ""
        if state in facts:
            fi, fr = facts[state]
            effect_fact = _required_date(
                fr["date_of_effect"], Location("effect_facts.csv", fi, "date_of_effect")
            )
            effect_source = _joined(
                _need_source(fr, Location("effect_facts.csv", fi)), fr.get("source_url") or ""
            )
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
                "{instrument} rows for states that are not participants: {stray}",
                Location(name, field="state"),
                instrument=instrument.value,
                stray=stray,
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
        for i, r in enumerate(read_rows(source, name), start=2):
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
                    r.get("legal_character") or "",
                    _joined(
                        r.get("legal_character_source") or "", r.get("legal_character_url") or ""
                    ),
                )
            )
    return {k: sorted(v, key=lambda c: c.received) for k, v in comms.items()}


def _joined(source: str, url: str) -> str:
    return f"{source} <{url}>" if source and url else source or url


def stated_or_computed_entry_into_force(
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


def load_conflicts(source: Traversable) -> list[ArmedConflictFact]:
    """The sourced armed-conflict inputs (``armed_conflict.csv``)."""
    facts = []
    for i, r in enumerate(read_rows(source, "armed_conflict.csv"), start=2):
        where = Location("armed_conflict.csv", i)
        facts.append(
            ArmedConflictFact(
                r["state"].strip(),
                _flag(r["engaged"]),
                _required_date(r["since"], Location("armed_conflict.csv", i, "since")),
                _date(r["until"], Location("armed_conflict.csv", i, "until")),
                _joined(_need_source(r, where), r.get("source_url") or ""),
                r.get("description", ""),
            )
        )
    return facts


def load_extensions(source: Traversable) -> dict[str, list[ClearanceExtension]]:
    """The Article 5 clearance extensions granted, by state (``art5_extensions.csv``)."""
    out: dict[str, list[ClearanceExtension]] = {}
    for i, r in enumerate(read_rows(source, "art5_extensions.csv"), start=2):
        where = Location("art5_extensions.csv", i)
        year = None
        if (r.get("decided_year") or "").strip():
            try:
                year = int(r["decided_year"])
            except ValueError:
                raise InvalidInput(
                    "decided_year must be a year", Location(where.file, i, "decided_year")
                ) from None
        try:
            extension = ClearanceExtension(
                r["state"],
                _required_date(r["new_deadline"], Location(where.file, i, "new_deadline")),
                year,
                _joined(_need_source(r, where), r.get("source_url") or ""),
                _date(r["decided_on"], Location(where.file, i, "decided_on")),
                r.get("decided_by", ""),
                int(r["sequence"]) if r.get("sequence") else None,
                _date(r.get("known_by") or "", Location(where.file, i, "known_by")),
            )
        except ValueError as exc:
            raise InvalidInput(str(exc), Location(where.file, i, "decided_year")) from None
        out.setdefault(r["state"], []).append(extension)
    return out


def load_completions(source: Traversable) -> dict[str, list[ClearanceCompletion]]:
    """Declarations of Art. 5 completion, by state (``art5_completions.csv``; optional file)."""
    out: dict[str, list[ClearanceCompletion]] = {}
    if not (source / "art5_completions.csv").is_file():
        return out
    for i, r in enumerate(read_rows(source, "art5_completions.csv"), start=2):
        where = Location("art5_completions.csv", i)
        completion = ClearanceCompletion(
            r["state"],
            _required_date(r["declared_on"], Location(where.file, i, "declared_on")),
            r.get("meeting", ""),
            _joined(_need_source(r, where), r.get("source_url") or ""),
        )
        out.setdefault(r["state"], []).append(completion)
    return out


def load_mined_area_reports(source: Traversable) -> set[str]:
    """States a source shows reporting areas under their jurisdiction or control that contain
    or are suspected to contain anti-personnel mines (``art5_mined_areas.csv``, sourced rows;
    optional file): the states Art. 5 clearance applies to, beside those with a sourced
    extension or completion (which only a state with mined areas can have)."""
    name = "art5_mined_areas.csv"
    if not (source / name).is_file():
        return set()
    out = set()
    for i, r in enumerate(read_rows(source, name), start=2):
        where = Location(name, i)
        _need_source(r, where)
        if (r.get("mined_areas_reported") or "").strip().lower() != "true":
            raise InvalidInput(
                "mined_areas_reported must be true (a row records a report of mined areas)",
                Location(name, i, "mined_areas_reported"),
            )
        _date(r.get("known_by") or "", Location(name, i, "known_by"))
        out.add(r["state"].strip())
    return out


def load_stockpiles(source: Traversable) -> dict[str, bool]:
    """Whether each state held stockpiled anti-personnel mines when the Convention entered
    into force for it (``stockpiles.csv``, sourced rows); states absent are unknown."""
    if not (source / "stockpiles.csv").is_file():
        return {}
    out = {}
    for i, r in enumerate(read_rows(source, "stockpiles.csv"), start=2):
        _need_source(r, Location("stockpiles.csv", i))
        value = (r.get("held_stockpile") or "").strip().lower()
        if value not in {"true", "false"}:
            raise InvalidInput(
                "held_stockpile must be true or false",
                Location("stockpiles.csv", i, "held_stockpile"),
            )
        out[r["state"].strip()] = value == "true"
    return out


def load_policy(source: Traversable, name: str = "us_policy.toml") -> PolicyRecord:
    """A national policy record from its TOML file; InvalidInput names the bad version."""
    try:
        raw = tomllib.loads((source / name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("not valid TOML: {problem}", Location(name), problem=exc) from None
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
                    v.get("successor_due"),
                    v.get("successor_due_basis", ""),
                )
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput("bad policy version: {problem}", where, problem=exc) from None
    if not versions:
        raise InvalidInput("no policy versions", Location(name))
    citations = {
        key: Citation(key, str(c.get("url", "")), str(c.get("quote", "")))
        for key, c in raw.get("sources", {}).items()
    }
    return PolicyRecord(
        raw.get("state", ""),
        tuple(versions),
        raw.get("legal_floor", ""),
        citations,
        raw.get("status_as_at"),
    )


def load_groups(source: Traversable, names: StateNames) -> dict[str, list[Membership]]:
    """Dated, sourced memberships of groupings of states (``groups.csv``), by group; states
    named by ISO3 code, read as the data's canonical names."""
    if not (source / "groups.csv").is_file():
        return {}
    out: dict[str, list[Membership]] = {}
    for i, r in enumerate(read_rows(source, "groups.csv"), start=2):
        where = Location("groups.csv", i)
        group = (r.get("group") or "").strip()
        if not group:
            raise InvalidInput("a group name is required", Location("groups.csv", i, "group"))
        try:
            state = names.canonical(r.get("iso3") or "")
        except NotFound as exc:
            raise InvalidInput(str(exc), Location("groups.csv", i, "iso3")) from None
        try:
            membership = Membership(
                group,
                state,
                (r.get("since") or "").strip(),
                (r.get("until") or "").strip(),
                (r.get("known_by") or "").strip(),
                _joined(_need_source(r, where), r.get("source_url") or ""),
            )
        except ValueError as exc:
            raise InvalidInput(str(exc), Location("groups.csv", i, "since")) from None
        out.setdefault(group, []).append(membership)
    return out
