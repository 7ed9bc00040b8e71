"""What every command module shares: the store option, the local actor, output helpers."""

from __future__ import annotations

import csv
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from typer.core import TyperCommand

from minewatch.domain.access import Actor, local_admin
from minewatch.domain.cells import safe_record
from minewatch.environment import LANGUAGE_ENV, NATIONAL_CONFIG_ENV
from minewatch.errors import InvalidInput

if TYPE_CHECKING:
    # The services (and the store, pandas, GDAL beneath them) load when a command opens a
    # store, not when the CLI starts: ``minewatch --help`` must answer at once.
    from typer._click.core import Context as _ClickContext  # typer vendors click

    from minewatch.services.audited import AuditedWorkflow
    from minewatch.services.context import AppContext, Configuration

DEFAULT_STORE = "minewatch.gpkg"
STORE_ENV = "MINEWATCH_STORE"

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        "-s",
        envvar=STORE_ENV,
        help="The store: a GeoPackage path (default ./minewatch.gpkg) or postgresql://… URL.",
    ),
]

#: ``--format`` of the commands that print rows, and ``--out`` of those that write a CSV.
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]
CsvOutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write the CSV here.")]

#: ``--store`` for the few commands that also take the store as an argument, as they always
#: have (``serve``, ``init``, ``user …``): no default here, :func:`either_store` picks one.
StoreOrNone = Annotated[
    str | None,
    typer.Option(
        "--store",
        "-s",
        envvar=STORE_ENV,
        help="The store: a GeoPackage path (default ./minewatch.gpkg) or postgresql://… URL.",
    ),
]

NationalConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar=NATIONAL_CONFIG_ENV,
        help="The national configuration TOML (default: $MINEWATCH_CONFIG, else the shipped "
        "defaults): geometry rules, boundary, classification, land release, priorities.",
    ),
]


class UsageWithoutHidden(TyperCommand):
    """A command whose usage line leaves out its hidden arguments: typer prints them
    (``[legacy]``), but they are old forms still accepted, not what a user should type."""

    def collect_usage_pieces(self, ctx: _ClickContext) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if not getattr(param, "hidden", False):
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


console = Console()
err_console = Console(stderr=True)


def national_config_path(explicit: str | Path | None = None) -> str | Path | None:
    """The national configuration the CLI runs under: ``explicit`` (a command's
    ``--config``), else the file named by ``MINEWATCH_CONFIG``, else None (the shipped
    defaults). The CLI reads the environment here so that services never do."""
    return explicit or os.environ.get(NATIONAL_CONFIG_ENV) or None


def configuration(explicit: str | Path | None = None) -> Configuration:
    """The national configuration (see :func:`national_config_path`), read and checked."""
    from minewatch.services.context import load_configuration

    return load_configuration(national_config_path(explicit))


def opened(url: str, *, create: bool = False, config: str | Path | None = None) -> AppContext:
    """The application context for the store at ``url`` under the national configuration
    (``config``, else ``MINEWATCH_CONFIG``): the same composition root the server uses. Use
    it as ``with opened(url) as ctx:``; the block's end closes the store."""
    from minewatch.services.context import open_context

    return open_context(url, national_config_path(config), create=create)


def either_store(positional: str | None, option: str | None, default: str = DEFAULT_STORE) -> str:
    """The store a command was given, as its first argument or with ``-s/--store``.

    The argument wins over ``MINEWATCH_STORE`` (typer fills ``option`` from it), so a store
    named on the command line is always the one used; two different stores both typed out
    are refused rather than one silently ignored.

    >>> either_store("a.gpkg", None), either_store(None, "b.gpkg"), either_store(None, None)
    ('a.gpkg', 'b.gpkg', 'minewatch.gpkg')
    """
    from_env = os.environ.get(STORE_ENV)
    if positional and option and positional != option and option != from_env:
        raise InvalidInput(
            "two stores given, {first!r} and --store {second!r}: give one",
            first=positional,
            second=option,
        )
    return positional or option or default


def cli_actor(*, personal_data: bool = True) -> Actor:
    """Whoever runs the CLI on a store they can open acts as its local administrator; reads
    show personal data only when the command is asked to (``--personal``)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = os.environ.get("USER", "local")
    return dataclasses.replace(local_admin(name), personal_data=personal_data)


def cli_workflow(ctx: AppContext, *, personal_data: bool = True) -> AuditedWorkflow:
    """The workflow the CLI acts through: the local actor, every change in the audit log,
    under the context's geometry rules and national boundary."""
    return ctx.workflow(cli_actor(personal_data=personal_data))


def parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "{option} must be a date like 2024-05-31, not {text!r}", option=option, text=text
        ) from None


def parse_floats(text: str | None, count: int, option: str) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != count:
        raise InvalidInput(
            "{option} takes {count} comma-separated numbers, not {text!r}",
            option=option,
            count=count,
            text=text,
        )
    return values


def parse_where(pairs: Sequence[str]) -> dict[str, object]:
    where: dict[str, object] = {}
    for pair in pairs:
        if "=" not in pair:
            raise InvalidInput("--where takes field=value, not {text!r}", text=pair)
        name, value = pair.split("=", 1)
        where.setdefault(name.strip(), [])
        where[name.strip()].append(value.strip())  # type: ignore[attr-defined]
    return where


def language() -> str | None:
    """The language of the tables and messages (``--lang`` or ``MINEWATCH_LANG``), or None
    for English."""
    return os.environ.get(LANGUAGE_ENV) or None


def say(message: str, **values: Any) -> str:
    """A table's title or a line the CLI prints, in the chosen language (``message`` is its
    English catalogue id)."""
    from minewatch.vocabulary import translate

    return translate(message, language(), **values)


def computed_header(column: str, lang: str | None) -> str:
    """The header of a computed column with no field label ("approved_at"): words, not an
    identifier, in the language where the catalogue has them ("People", "With disability").

    >>> computed_header("states_parties", "fr")
    'États parties'
    """
    from minewatch.vocabulary.catalogue import translate

    return translate(column.replace("_", " ").capitalize(), lang)


def _in_language(
    rows: list[dict[str, Any]],
    columns: list[str],
    lang: str,
    labelled: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Rows with each stored code as its label, and each column's header, in ``lang``;
    ``labelled`` names the enumeration of computed columns that are no field ("progress")."""
    from minewatch.domain.text import Message, Sentences, Term, Terms
    from minewatch.vocabulary import label, render
    from minewatch.vocabulary.catalogue import translate
    from minewatch.vocabulary.document import field_enums, nested_fields
    from minewatch.vocabulary.fields import FIELD_LABELS
    from minewatch.vocabulary.labels import FIELD_CONTEXT

    enums, nested = {**field_enums(), **(labelled or {})}, nested_fields()

    def header(column: str) -> str:
        if column in FIELD_LABELS:
            return translate(FIELD_LABELS[column], lang, context=FIELD_CONTEXT)
        return computed_header(column, lang)

    def shown(column: str, value: Any) -> Any:
        if isinstance(value, Message | Term | Terms | Sentences):  # composed: in the language
            return render(value, lang)
        if isinstance(value, dict):  # a report's changes, beneficiaries: field by field
            given = {k: v for k, v in value.items() if v not in (None, "", [], {})}
            return "; ".join(f"{header(k)}: {shown(k, v)}" for k, v in given.items())
        enum = enums.get(column)
        if isinstance(value, list):
            return ", ".join(str(row(column, v)) for v in value)
        if enum is None or value in (None, ""):
            return value
        return label(enum, str(value), locale=lang)

    def row(column: str, value: Any) -> Any:
        """One of a list's values; a nested row (evidence: type, source, note) as its values,
        each code labelled through its nested kind ("evidence.type")."""
        if not isinstance(value, dict) or column not in nested:
            return shown(column, value)
        kind = nested[column]
        return " · ".join(
            label(enums[f"{kind}.{k}"], str(v), locale=lang) if f"{kind}.{k}" in enums else str(v)
            for k, v in value.items()
            if v not in (None, "")
        )

    headers = {c: header(c) for c in columns}
    return [{c: shown(c, row.get(c)) for c in columns} for row in rows], headers


#: Columns of record and report codes (HA-000002, RPT-000309) in the CLI's tables.
CODE_COLUMNS = frozenset({"code", "item", "organisation_code"})


def emit(
    rows: list[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    title: str = "",
    labelled: Mapping[str, str] | None = None,
) -> None:
    """Rows to stdout as a table, CSV or JSON; a table shows the codes of ``labelled``'s
    columns (column → enumeration, for columns that are no record field) as words."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writerow(safe_record({c: c for c in columns}))
        for row in rows:
            writer.writerow(safe_record({k: _cell(v) for k, v in row.items()}))
    elif fmt == "table" and not rows:
        # An empty table prints nothing at all: say so, so that nobody wonders if it ran.
        console.print(f"{title or 'rows'}: none")
    elif fmt == "table":
        # Tables are for people: codes become labels, in English too, as on the web pages
        # (CSV and JSON keep the codes, which other programs read).
        rows, headers = _in_language(rows, columns, language() or "en", labelled)
        table = Table(title=title or None)
        for c in columns:
            # Codes are what a user copies into the next command: never cut or wrapped.
            whole = c in CODE_COLUMNS
            width = max((len(_cell(row.get(c))) for row in rows), default=0) if whole else None
            table.add_column(headers[c], no_wrap=whole, min_width=width)
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        print_whole(table)
    else:
        raise InvalidInput("--format must be table, csv or json, not {text!r}", text=fmt)


def print_whole(table: Table) -> None:
    """Print ``table`` to stdout without cutting its headers or cells: in a terminal it fits
    the window as usual, but piped or redirected (where rich assumes 80 columns) it is wide
    enough for its longest words, so "recorded" is not printed as "recor…"."""
    if console.is_terminal:
        console.print(table)
        return
    # Wide enough that no word (a header, a code, a number) is cut; long text still wraps.
    measured = Measurement.get(console, console.options.update(width=10_000), table)
    Console(width=max(console.width, min(measured.maximum, 160), measured.minimum)).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
