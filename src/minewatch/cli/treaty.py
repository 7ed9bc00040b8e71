"""``minewatch treaty …``: who is bound by what on any date, deadlines, national policy, charts.

Thin: every command calls :mod:`minewatch.services.treaty` (or :mod:`minewatch.charts.treaty`)
and prints a table, CSV or JSON.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from minewatch.cli import app
from minewatch.cli.common import computed_header, language
from minewatch.domain.treaty import CountDefinition, Instrument
from minewatch.environment import TREATY_DATA_ENV
from minewatch.errors import InvalidInput, Location

treaty_app = typer.Typer(
    help="Treaty and national-policy monitor (APMBC and CCW Amended Protocol II), from the "
    "depositary's own status pages.\n\nExample: minewatch treaty status Poland --on 2026-03-01",
    no_args_is_help=True,
)
app.add_typer(treaty_app, name="treaty")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class Which(StrEnum):
    APMBC = "apmbc"
    CCW_AP2 = "ccw-ap2"
    ALL = "all"


class Definition(StrEnum):
    IN_FORCE = "in-force"
    CONSENTED = "consented"
    BOTH = "both"


DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar=TREATY_DATA_ENV,
        help="Treaty data directory built by `minewatch treaty import` (default: "
        "$MINEWATCH_TREATY_DATA, else the data shipped with minewatch).",
    ),
]
On = Annotated[str | None, typer.Option("--on", help="Date YYYY-MM-DD (default: today).")]
Fmt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")]
WhichOpt = Annotated[Which, typer.Option("--instrument", "-i", help="apmbc, ccw-ap2 or all.")]


def _date(text: str | None, field: str = "on") -> date:
    from minewatch.services import treaty as service

    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "not a date (YYYY-MM-DD): {text!r}", Location(field=field), text=text
        ) from None
    return service.query_date(day, field)


def _looks_like_date(text: str) -> bool:
    # By shape, so that a mistyped date (2026-13-01) is refused as a date, not looked up as
    # a state.
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _states_and_day(words: list[str], on: str | None) -> tuple[list[str], date]:
    """``treaty status FIN 2026-01-15`` reads as ``--on 2026-01-15``: a user types the
    date where the sentence puts it. No state is named like a date, so nothing is lost."""
    days = [w for w in words if _looks_like_date(w)]
    if on is not None:
        days.append(on)
    if len(set(days)) > 1:
        raise InvalidInput(
            "one date at a time, not {days}", Location(field="on"), days=", ".join(days)
        )
    return [w for w in words if not _looks_like_date(w)], _date(days[0] if days else None)


def _fresh(monitor: Any, on: date | list[date]) -> dict[str, Any]:
    from minewatch.services.treaty_freshness import treaty_freshness

    return treaty_freshness(monitor, on, language())


def _words_language(fmt: Format, output: Path | None) -> str | None:
    """The language of the words in rows for a table on screen; None (English) for CSV and
    JSON, which other programs read."""
    return language() if fmt is Format.TABLE and output is None else None


def _instruments(which: Which) -> list[Instrument]:
    return list(Instrument) if which is Which.ALL else [Instrument(which.value)]


#: The columns a deadlines table shows on screen (CSV and JSON add the provision's text).
DEADLINE_TABLE_COLUMNS = ("state", "instrument", "kind", "due", "article", "basis")

#: Columns whose codes a table shows as labels, and the enumeration each holds.
LABELLED_COLUMNS = {
    "instrument": "Instrument",
    "status": "StatusKind",
    "label": "StatusKind",
    "kind": "DeadlineKind",
    "definition": "CountDefinition",
}

#: The catalogues' context of the headers ("State" is a country here, not a report's state).
HEADER_CONTEXT = "treaty column"

#: The headers of the treaty tables' columns (English; translated by the catalogues).
TABLE_HEADERS = {
    "state": "State",
    "instrument": "Instrument",
    "on": "On",
    "label": "Status",
    "status": "Status",
    "entry_into_force": "Entry into force",
    "withdrawal_effective": "Withdrawal effective",
    "member_since": "Member since",
    "states": "States",
    "members": "Members",
    "kind": "Type",
    "due": "Due",
    "article": "Article",
    "basis": "Basis",
    "definition": "Definition",
    "states_parties": "States parties",
}


def _t(message: str, **values: Any) -> str:
    """A title in the chosen language (``--lang``)."""
    from minewatch.vocabulary import translate

    return translate(message, language(), **values)


def labelled(enum: str) -> frozenset[str]:
    """The codes the vocabulary labels in ``enum`` (a status such as "bound, with a
    reservation" that is not one is shown as it is)."""
    from minewatch.vocabulary.enums import ENUM_LABELS

    return frozenset(ENUM_LABELS.get(enum, {}))


#: The columns a status table shows on screen (CSV and JSON carry every column).
STATUS_TABLE_COLUMNS = (
    "state",
    "instrument",
    "on",
    "label",
    "entry_into_force",
    "withdrawal_effective",
)


def _emit(
    rows: list[dict[str, Any]],
    fmt: Format,
    output: Path | None,
    title: str = "",
    table_columns: tuple[str, ...] | None = None,
    freshness: dict[str, Any] | None = None,
    iso3: dict[str, str] | None = None,
) -> None:
    """Print or write ``rows`` (a table names states in ``--lang``, by the row's ISO3 code or
    ``iso3``, name → code); with ``freshness`` (``services.treaty_freshness``), a table
    ends with the data's "status as at" and any projection note, and CSV and JSON rows carry
    ``data_status_as_at`` and ``projected``."""
    from minewatch.services.treaty_freshness import freshness_line, with_freshness
    from minewatch.services.treaty_rows import export, plain_value

    if freshness is not None and not (fmt is Format.TABLE and output is None):
        rows = with_freshness(rows, freshness)
    if fmt is Format.TABLE and output is None:
        # A table is for people: instruments, statuses and deadline kinds as their labels
        # and the headers in the chosen language (CSV and JSON keep the codes).
        from minewatch.vocabulary import label, state_name, translate

        lang = language()
        table = Table(title=title or None, show_lines=False)
        columns = list(table_columns or (rows[0] if rows else []))
        for c in columns:
            header = TABLE_HEADERS.get(c)
            table.add_column(
                translate(header, lang, context=HEADER_CONTEXT)
                if header
                else computed_header(c, lang),
                overflow="fold",
            )

        def shown(row: dict[str, Any], column: str) -> str:
            enum = LABELLED_COLUMNS.get(column)
            text = str(plain_value(row[column]))
            if column == "state":
                return state_name(row.get("iso3") or (iso3 or {}).get(text), text, lang)
            return label(enum, text, locale=lang) if enum and text in labelled(enum) else text

        for r in rows:
            table.add_row(*(shown(r, c) for c in columns))
        Console(width=200).print(table if rows else "(nothing)")
        if freshness is not None:
            typer.echo(freshness_line(freshness, lang))
        return
    text = export(rows, "csv" if fmt is Format.TABLE else fmt.value)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {len(rows)} rows to {output}", err=True)


@treaty_app.command("status")
def status(
    states: Annotated[
        list[str] | None,
        typer.Argument(help="States (name, alias or ISO3), and optionally the date (or --on)."),
    ] = None,
    on: On = None,
    instrument: WhichOpt = Which.ALL,
    every: Annotated[bool, typer.Option("--all", help="Every known state.")] = False,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            "-g",
            help="Every member of a grouping on the date (NATO, EU, OSCE; see `treaty groups`), "
            "with the source of its membership.",
        ),
    ] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="With --group: how many members have each status.")
    ] = False,
    strict_conditions: Annotated[
        bool,
        typer.Option(
            "--strict-conditions",
            help="Treat a withdrawal whose armed-conflict condition has no sourced input as "
            "still pending after its six months.",
        ),
    ] = False,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Status of states on a date: not bound, signed, consented, bound, withdrawal pending,
    withdrawn; plus any communication on record.

    Example: minewatch treaty status Poland Ukraine "United States" --on 2026-03-01
    (or: minewatch treaty status FIN 2026-01-15; a group: minewatch treaty status --group NATO)
    """
    from minewatch.services import treaty as service
    from minewatch.services.treaty_rows import status_row

    states, day = _states_and_day(states or [], on)
    monitor = service.TreatyMonitor.load(data_dir)
    if group is not None:
        _group_status(monitor, group, day, instrument, strict_conditions, summary, fmt, output)
        return
    rows = []
    for i in _instruments(instrument):
        if every or not states:
            found = monitor.statuses(i, day, all_states=every, strict_conditions=strict_conditions)
        else:
            found = [monitor.status(s, i, day, strict_conditions=strict_conditions) for s in states]
        rows += [status_row(s, monitor.names, _words_language(fmt, output)) for s in found]
    _emit(
        rows,
        fmt,
        output,
        _t("Status on {day}", day=day),
        STATUS_TABLE_COLUMNS,
        _fresh(monitor, day),
    )


def _group_status(
    monitor: Any,
    group: str,
    day: date,
    instrument: Which,
    strict_conditions: bool,
    summary: bool,
    fmt: Format,
    output: Path | None,
) -> None:
    from minewatch.services.treaty_groups import group_status_rows, group_summary_rows

    which = _instruments(instrument)
    fresh = _fresh(monitor, day)
    if summary:
        rows = group_summary_rows(monitor, group, which, day)
        title = _t("{group} on {day}", group=rows[0]["group"] if rows else group, day=day)
        _emit(rows, fmt, output, title, ("instrument", "status", "states", "members"), fresh)
        return
    rows = group_status_rows(
        monitor,
        group,
        which,
        day,
        strict_conditions=strict_conditions,
        locale=_words_language(fmt, output),
    )
    columns = ("state", "instrument", "label", "entry_into_force", "member_since")
    title = _t(
        "{group} members' status on {day}", group=rows[0]["group"] if rows else group, day=day
    )
    _emit(rows, fmt, output, title, columns, fresh)


@treaty_app.command("groups")
def groups(fmt: Fmt = Format.TABLE, output: Output = None, data_dir: DataDir = None) -> None:
    """The groupings of states in the data and how many members each has today, with the
    sources of their memberships (`treaty sources`).

    Example: minewatch treaty groups
    """
    from minewatch.services import treaty as service
    from minewatch.services.treaty_groups import group_names, members_on

    monitor = service.TreatyMonitor.load(data_dir)
    today = date.today()
    rows = [
        {"group": g, "members_today": len(members_on(monitor, g, today))}
        for g in group_names(monitor)
    ]
    _emit(rows, fmt, output, _t("Groupings of states"))


@treaty_app.command("count")
def count(
    dates: Annotated[
        list[str] | None, typer.Argument(help="Dates YYYY-MM-DD (or --on; default today).")
    ] = None,
    on: Annotated[
        list[str] | None, typer.Option("--on", help="Dates YYYY-MM-DD (repeatable).")
    ] = None,
    instrument: WhichOpt = Which.ALL,
    definition: Annotated[
        Definition, typer.Option("--definition", "-d", help="in-force, consented or both.")
    ] = Definition.BOTH,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Number of states parties on dates, by either definition used in practice.

    in-force: the instrument is in force for the state; consented: consent deposited and any
    withdrawal not yet effective.

    Example: minewatch treaty count 2025-12-27 2026-03-01 -i apmbc (or --on for each date)
    """
    from minewatch.services import treaty as service

    given = [*(dates or []), *(on or [])]
    days = [_date(d) for d in given] if given else [date.today()]
    monitor = service.TreatyMonitor.load(data_dir)
    definitions = (
        list(CountDefinition)
        if definition is Definition.BOTH
        else [CountDefinition(definition.value)]
    )
    rows = monitor.count_rows(_instruments(instrument), days, definitions)
    _emit(rows, fmt, output, _t("States parties"), freshness=_fresh(monitor, days))


@treaty_app.command("compare")
def compare(
    on: On = None,
    definition: Annotated[
        Definition, typer.Option("--definition", "-d", help="in-force or consented.")
    ] = Definition.IN_FORCE,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """States bound by the APMBC or by CCW Amended Protocol II but not both, on a date.

    Example: minewatch treaty compare --on 2026-03-01 -f csv -o not-both.csv
    """
    from minewatch.services import treaty as service

    if definition is Definition.BOTH:
        raise InvalidInput("choose in-force or consented", Location(field="definition"))
    monitor = service.TreatyMonitor.load(data_dir)
    day = _date(on)
    rows = monitor.compare(day, definition=CountDefinition(definition.value))
    title = _t("Bound by one instrument but not the other on {day}", day=day)
    _emit(rows, fmt, output, title, freshness=_fresh(monitor, day))


@treaty_app.command("deadlines")
def deadlines(
    on: On = None,
    days: Annotated[int, typer.Option("--days", help="Look this many days ahead.")] = 365,
    state: Annotated[str | None, typer.Option("--state", help="Only this state.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only deadlines whose kind contains this text.")
    ] = None,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Upcoming deadlines: APMBC Art. 4 stockpiles, Art. 5 clearance, Art. 7 reports, and
    withdrawals taking effect.

    Example: minewatch treaty deadlines --on 2026-01-01 --days 730 --kind clearance
    """
    from minewatch.services import treaty as service
    from minewatch.services.treaty_rows import deadline_row

    monitor = service.TreatyMonitor.load(data_dir)
    day = _date(on)
    found = monitor.deadlines(day, days, state)
    words = _words_language(fmt, output)
    rows = [deadline_row(d, words) for d in found if kind is None or kind.lower() in d.kind]
    window = [day, day + timedelta(days=days)]
    _emit(
        rows,
        fmt,
        output,
        _t("Upcoming deadlines"),
        DEADLINE_TABLE_COLUMNS,
        _fresh(monitor, window),
        monitor.names.iso3,
    )


@treaty_app.command("entry-into-force")
def entry_into_force(
    instrument: WhichOpt = Which.ALL,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Every participant's computed entry into force, with the rule or fact behind it.

    Example: minewatch treaty entry-into-force -i apmbc -f csv -o eif.csv
    """
    from minewatch.services import treaty as service

    monitor = service.TreatyMonitor.load(data_dir)
    rows = [r for i in _instruments(instrument) for r in monitor.entry_into_force_table(i)]
    as_at = min(d.status_as_at for d in monitor.instruments.values())
    _emit(
        rows,
        fmt,
        output,
        _t("Entry into force"),
        freshness=_fresh(monitor, as_at),
        iso3=monitor.names.iso3,
    )


@treaty_app.command("policy")
def policy(
    on: On = None,
    version: Annotated[str | None, typer.Option("--version", help="A version id.")] = None,
    versions: Annotated[bool, typer.Option("--list", help="List the versions.")] = False,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """National APL policy (United States) as of a date, provision by provision, each with its
    sources, or "unconfirmed" where no source confirms it.

    Example: minewatch treaty policy --on 2023-01-01
    """
    from minewatch.services import treaty as service
    from minewatch.services.treaty_freshness import policy_freshness
    from minewatch.services.treaty_rows import policy_rows, policy_version_on, policy_version_rows

    record = service.TreatyMonitor.load(data_dir).policy()
    fresh = policy_freshness(record, _date(on))
    if versions:
        rows = policy_version_rows(record)
        columns = ("version", "effective", "kind", "title", "unverified_claims")
        _emit(rows, fmt, output, f"{record.state}: policy versions", columns, fresh)
        return
    if version is None:
        version = policy_version_on(record, _date(on)).id
    _emit(policy_rows(record, version), fmt, output, f"{record.state}: {version}", None, fresh)


@treaty_app.command("diff")
def diff(
    before: Annotated[str, typer.Argument(help="Earlier version id (see `policy --list`).")],
    after: Annotated[str, typer.Argument(help="Later version id.")],
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Compare two policy versions dimension by dimension.

    Example: minewatch treaty diff us-2022-06 us-2025-12
    """
    from minewatch.services import treaty as service
    from minewatch.services.treaty_freshness import policy_freshness
    from minewatch.services.treaty_rows import policy_diff_rows

    record = service.TreatyMonitor.load(data_dir).policy()
    rows = policy_diff_rows(record, before, after)
    _emit(rows, fmt, output, f"{before} → {after}", None, policy_freshness(record, date.today()))


@treaty_app.command("import")
def import_(
    pages: Annotated[list[Path], typer.Argument(help="Saved UNTC status pages (.html).")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the data to.")],
) -> None:
    """Rebuild the treaty data from newer saved UN Treaty Collection status pages.

    The pages are checked strictly; nothing is written unless all parse. Use the result with
    --data-dir DIR or MINEWATCH_TREATY_DATA=DIR.

    Example: minewatch treaty import ottawa.html ccw_p2a.html --out ~/treaty-data
    """
    from minewatch.services.treaty_import import import_pages

    report = import_pages(pages, out)
    for instrument, n in report.participants.items():
        typer.echo(
            f"{instrument}: {n} participants, status as at {report.status_as_at[instrument]}"
        )
    for line in report.discrepancies:
        typer.echo(f"note: {line}")
    for name in report.unmatched_names:
        typer.echo(f"warning: no ISO code for {name} (add it to states.csv)", err=True)
    typer.echo(f"wrote {', '.join(report.files)} to {report.out_dir}")


class Chart(StrEnum):
    TIMELINE = "timeline"
    MAP = "map"


@treaty_app.command("chart")
def chart(
    kind: Annotated[Chart, typer.Argument(help="timeline or map.")],
    out: Annotated[Path, typer.Option("--out", help="Output file: .png or .html.")],
    on: On = None,
    instrument: WhichOpt = Which.APMBC,
    data_dir: DataDir = None,
) -> None:
    """Draw states parties over time, or a world map of status on a date (PNG or HTML).

    Example: minewatch treaty chart map --on 2026-03-01 --out apmbc-2026.png
    """
    from minewatch.charts import treaty as charts  # heavy imports only when drawing
    from minewatch.services import treaty as service
    from minewatch.services import treaty_tables as tables

    suffix = out.suffix.lower()
    if suffix not in {".png", ".html"}:
        raise InvalidInput("the output must end in .png or .html", Location(field="out"))
    from minewatch.services.treaty_freshness import freshness_caption

    monitor = service.TreatyMonitor.load(data_dir)
    if kind is Chart.TIMELINE:
        end = _date(on) if on else None
        series = tables.timeline_series(monitor, _instruments(instrument), end=end)
        fresh = freshness_caption(_fresh(monitor, end or series["date"].max().date()), language())
        heading = _t("States parties over time")
        if suffix == ".png":
            charts.timeline_png(series, out, f"{heading}\n{fresh}", language())
        else:
            title = f"{heading}<br><sup>{fresh}</sup>"
            charts.write_html(charts.timeline_figure(series, title, language()), out)
    else:
        if instrument is Which.ALL:
            raise InvalidInput("a map shows one instrument", Location(field="instrument"))
        day, which = _date(on), Instrument(instrument.value)
        table = tables.status_table(monitor, which, day)
        fresh = freshness_caption(_fresh(monitor, day), language())
        if suffix == ".png":
            charts.status_map_png(table, which, day, out, fresh, language())
        else:
            figure = charts.status_map_figure(table, which, day, fresh, language())
            charts.write_html(figure, out)
    typer.echo(f"wrote {out}")
