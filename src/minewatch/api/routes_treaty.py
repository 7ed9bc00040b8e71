"""The treaty and national-policy monitor over HTTP: who is bound by what on a date and why,
counts, comparisons, deadlines, entry into force, and national policy versions and diffs.

Public and read-only (the data are published depositary records and sourced policy
statements), so every caller, signed in or not, gets the same answers. Thin: every answer
comes from :mod:`minewatch.services.treaty`, the same functions ``minewatch treaty`` prints;
tables come as JSON or, with ``?format=csv``, as the service's CSV export.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from minewatch.api.deps import Context
from minewatch.api.errors import problems
from minewatch.api.language import request_locale
from minewatch.api.params import Day
from minewatch.domain.treaty import CountDefinition, Instrument
from minewatch.errors import InvalidInput, Location
from minewatch.services import treaty as service
from minewatch.services.treaty_freshness import (
    policy_freshness,
    treaty_freshness,
    with_freshness,
)
from minewatch.services.treaty_groups import (
    group_name,
    group_names,
    group_status_rows,
    group_summary_rows,
    members_on,
)
from minewatch.services.treaty_rows import (
    deadline_row,
    export,
    policy_diff_rows,
    policy_rows,
    policy_version_rows,
    status_row,
)

router = APIRouter(prefix="/api/treaty", tags=["treaty monitor"])
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}}
}

OnDate = Annotated[
    Day | None,
    Query(
        alias="date",
        description="The date asked about, YYYY-MM-DD (default: today). Dates after the data's "
        "status-as-at date are projections.",
    ),
]
FormatParam = Annotated[Format, Query(alias="format", description="json, or csv for the table")]
InstrumentParam = Annotated[
    Instrument | None, Query(description="apmbc or ccw-ap2 (default: both)")
]


def table_route(path: str, summary: str, *errors: int) -> Callable[[Endpoint], Endpoint]:
    """A GET route answering a table: JSON, or CSV with ``format=csv`` (see :func:`_answer`);
    ``errors`` are the statuses besides 422 it may answer with."""
    responses = CSV_RESPONSE | problems(*errors)
    return router.get(path, summary=summary, response_model=None, responses=responses)


def _monitor(ctx: Context) -> service.TreatyMonitor:
    """The treaty data the server was started with (``treaty_data_dir`` in its settings;
    the shipped data by default), loaded once per process."""
    return service.TreatyMonitor.shipped(ctx.settings.treaty_data_dir)


Treaties = Annotated[service.TreatyMonitor, Depends(_monitor)]


def _language(request: Request) -> str:
    return request_locale(request)


#: The language the answer's sentences (deadline bases, projection notes) are written in:
#: ?lang, the account's, Accept-Language (codes and dates never change with it).
Language = Annotated[str, Depends(_language)]


def _day(on: date | None) -> date:
    return service.query_date(on or date.today(), "date")


def _instruments(instrument: Instrument | None) -> list[Instrument]:
    return list(Instrument) if instrument is None else [instrument]


def _answer(
    rows: list[dict[str, Any]],
    fmt: Format,
    name: str,
    freshness: dict[str, Any],
    **context: Any,
) -> dict[str, Any] | Response:
    """``{**context, "freshness": …, "rows": rows}`` as JSON, or the rows as a CSV download
    whose rows carry ``data_status_as_at`` and ``projected``."""
    if fmt is Format.CSV:
        rows = with_freshness(rows, freshness)
        return Response(
            export(rows, "csv"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return {**context, "freshness": freshness, "count": len(rows), "rows": rows}


@router.get(
    "/states",
    summary="The states the monitor knows, with ISO 3166-1 alpha-3 codes, and the data's "
    "status-as-at date for each instrument",
)
def states(
    treaties: Treaties,
    language: Language,
    q: Annotated[
        str | None, Query(max_length=100, description="Only names or codes containing this")
    ] = None,
) -> dict[str, Any]:
    names = treaties.names
    wanted = (q or "").strip().casefold()
    rows = [
        {"name": n, "iso3": code}
        for n, code in sorted(names.iso3.items())
        if wanted in n.casefold() or wanted in code.casefold()
    ]
    as_at = {i.value: data.status_as_at for i, data in treaties.instruments.items()}
    fresh = treaty_freshness(treaties, date.today(), language)
    return {"count": len(rows), "states": rows, "status_as_at": as_at, "freshness": fresh}


@table_route(
    "/status",
    "One state's status on a date under each instrument, and why",
    404,
)
def status(
    treaties: Treaties,
    language: Language,
    state: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Name, alias or ISO3 code"),
    ] = None,
    group: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Instead of a state: every member of a grouping on the date (NATO, "
            "EU, OSCE; see /api/treaty/groups), with a summary of who is bound by what",
        ),
    ] = None,
    on: OnDate = None,
    instrument: InstrumentParam = None,
    strict_conditions: Annotated[
        bool,
        Query(
            description="Treat a withdrawal whose Art. 20(3) armed-conflict condition has no "
            "sourced input as still pending after its six months (default: it takes effect, "
            'and the status says the condition was "not assessed")'
        ),
    ] = False,
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    """The status (not bound, signed, consented, bound, withdrawal pending, withdrawn, with
    any communication on record), each computed date with the article quoted behind it, and
    the source and status-as-at date of every fact. An unknown state is a 404 that suggests
    close names. With ``group`` instead of ``state``: each member's status, the source of its
    membership, and how many members have each status."""
    day, which = _day(on), _instruments(instrument)
    if (state is None) == (group is None):
        raise InvalidInput("give a state or a group, not both or neither", Location(field="state"))
    if group is not None:
        rows = group_status_rows(treaties, group, which, day, strict_conditions=strict_conditions)
        fresh = treaty_freshness(treaties, day, language)
        summary = group_summary_rows(treaties, group, which, day)
        name = group_name(treaties, group)
        return _answer(
            rows, fmt, f"treaty-{name}-{day}", fresh, group=name, on=day, summary=summary
        )
    assert state is not None
    if fmt is Format.CSV:
        rows = [
            status_row(
                treaties.status(state, i, day, strict_conditions=strict_conditions), treaties.names
            )
            for i in which
        ]
        return _answer(rows, fmt, f"treaty-status-{day}", treaty_freshness(treaties, day, language))
    found = [treaties.explain(state, i, day, strict_conditions=strict_conditions) for i in which]
    return {
        "state": found[0]["state"],
        "iso3": found[0]["iso3"],
        "on": day,
        "strict_conditions": strict_conditions,
        "freshness": treaty_freshness(treaties, day, language),
        "instruments": found,
    }


@table_route(
    "/count",
    "The number of states parties on a date, and which states they are",
)
def count(
    treaties: Treaties,
    language: Language,
    on: OnDate = None,
    instrument: InstrumentParam = None,
    definition: Annotated[
        CountDefinition | None,
        Query(description="in-force or consented (default: both)"),
    ] = None,
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    """Counts by either definition used in practice (each explained in the answer), with
    the states counted; the CSV lists those states, one row per instrument and definition."""
    day = _day(on)
    definitions = list(CountDefinition) if definition is None else [definition]
    counts = treaties.count_rows(_instruments(instrument), [day], definitions)
    for row in counts:
        which, how = Instrument(row["instrument"]), CountDefinition(row["definition"])
        row["explanation"] = service.COUNT_DEFINITIONS[how]
        row["states"] = [status_row(s, treaties.names) for s in treaties.parties(which, day, how)]
    if fmt is Format.CSV:
        rows = [
            {"instrument": c["instrument"], "definition": c["definition"], **s}
            for c in counts
            for s in c["states"]
        ]
        return _answer(
            rows, fmt, f"treaty-parties-{day}", treaty_freshness(treaties, day, language)
        )
    return {"on": day, "freshness": treaty_freshness(treaties, day, language), "counts": counts}


@table_route(
    "/compare",
    "States bound by one instrument but not the other on a date",
)
def compare(
    treaties: Treaties,
    language: Language,
    on: OnDate = None,
    definition: Annotated[
        CountDefinition, Query(description="What counts as bound: in-force or consented")
    ] = CountDefinition.IN_FORCE,
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    day = _day(on)
    rows = treaties.compare(day, definition=definition)
    return _answer(
        rows,
        fmt,
        f"treaty-compare-{day}",
        treaty_freshness(treaties, day, language),
        on=day,
        definition=definition.value,
        explanation=service.COUNT_DEFINITIONS[definition],
    )


@table_route(
    "/deadlines",
    "Obligations falling due: Art. 4, 5 and 7 of the APMBC and withdrawals",
    404,
)
def deadlines(
    treaties: Treaties,
    language: Language,
    on: OnDate = None,
    days: Annotated[int, Query(ge=0, le=3650, description="Look this many days ahead")] = 365,
    state: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Only this state")
    ] = None,
    kind: Annotated[
        str | None, Query(max_length=100, description="Only kinds containing this text")
    ] = None,
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    """Each deadline with the article it comes from (quoted) and its basis: stockpile
    destruction, mine clearance (with sourced Art. 5 extensions), transparency reports and
    withdrawals taking effect, in ``[date, date + days]``."""
    day = _day(on)
    found = treaties.deadlines(day, days, state)
    wanted = (kind or "").lower()
    rows = [deadline_row(d, language) for d in found if wanted in d.kind]
    fresh = treaty_freshness(treaties, [day, day + timedelta(days=days)], language)
    return _answer(rows, fmt, f"treaty-deadlines-{day}", fresh, on=day, days=days)


@table_route(
    "/entry-into-force",
    "Every participant's computed entry into force against the depositary's dates",
)
def entry_into_force(
    treaties: Treaties,
    language: Language,
    instrument: Annotated[Instrument, Query(description="apmbc or ccw-ap2")] = Instrument.APMBC,
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    """The rule or sourced fact behind each date; ``instrument`` gives the depositary's own
    statement of the instrument's entry into force beside the one computed from the list."""
    rows = treaties.entry_into_force_table(instrument)
    return _answer(
        rows,
        fmt,
        f"treaty-entry-into-force-{instrument.value}",
        treaty_freshness(treaties, treaties.instruments[instrument].status_as_at, language),
        instrument=treaties.instruments[instrument].info,
    )


@router.get("/groups", summary="The groupings of states in the data, with their members today")
def groups(treaties: Treaties) -> dict[str, Any]:
    today = date.today()
    return {
        "groups": [
            {
                "name": g,
                "members_today": [
                    {
                        "state": m.state,
                        "iso3": treaties.names.iso3.get(m.state, ""),
                        "since": m.since,
                    }
                    | {"known_by": m.known_by, "certain": certain, "source": m.source}
                    for m, certain in members_on(treaties, g, today)
                ],
            }
            for g in group_names(treaties)
        ]
    }


@router.get("/policy", summary="The national policy records on file")
def policies(treaties: Treaties, language: Language) -> dict[str, Any]:
    records = []
    for name in treaties.policy_names():
        record = treaties.policy(name)
        records.append(
            {
                "name": name,
                "state": record.state,
                "legal_floor": record.legal_floor,
                "versions": len(record.versions),
                "first": record.versions[0].effective,
                "latest": record.versions[-1].effective,
                "freshness": policy_freshness(record, date.today(), language),
            }
        )
    return {"records": records}


@table_route(
    "/policy/{name}/versions",
    "A policy record's versions, and the one in force on a date",
    404,
)
def policy_versions(
    treaties: Treaties,
    language: Language,
    name: str,
    on: Annotated[
        Day | None, Query(alias="date", description="Also say which version was in force then")
    ] = None,
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    record = treaties.policy(name)
    current = None
    if on is not None:
        current = record.as_of(service.query_date(on, "date"))
    return _answer(
        policy_version_rows(record),
        fmt,
        f"policy-{name}-versions",
        policy_freshness(record, on or date.today(), language),
        state=record.state,
        legal_floor=record.legal_floor,
        on=on,
        in_force=current.id if current else None,
    )


@table_route(
    "/policy/{name}/diff",
    "Two policy versions compared provision by provision",
    404,
)
def policy_diff(
    treaties: Treaties,
    language: Language,
    name: str,
    before: Annotated[str, Query(max_length=100, description="The earlier version id")],
    after: Annotated[str, Query(max_length=100, description="The later version id")],
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    record = treaties.policy(name)
    rows = policy_diff_rows(record, before, after)
    fresh = policy_freshness(record, date.today(), language)
    return _answer(rows, fmt, f"policy-{name}-{before}-{after}", fresh, before=before, after=after)


@table_route(
    "/policy/{name}/{version}",
    "One policy version: every provision with its status and sources",
    404,
)
def policy_version(
    treaties: Treaties,
    language: Language,
    name: str,
    version: str,
    fmt: FormatParam = Format.JSON,
) -> dict[str, Any] | Response:
    """Provisions the version states, those carried over from the version it amends, and
    "unconfirmed" where no source confirms one (its value is then empty, never guessed)."""
    record = treaties.policy(name)
    rows = policy_rows(record, version)
    meta = next(r for r in policy_version_rows(record) if r["version"] == version)
    fresh = policy_freshness(record, date.today(), language)
    return _answer(rows, fmt, f"policy-{name}-{version}", fresh, state=record.state, version=meta)
