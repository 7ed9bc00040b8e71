"""What every command module shares: the store option, the local actor, output helpers."""

from __future__ import annotations

import csv
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from minewatch.config import NATIONAL_CONFIG_ENV, load_config
from minewatch.domain.access import Actor, local_admin
from minewatch.domain.cells import safe_record
from minewatch.errors import InvalidInput
from minewatch.io.geodata import read_boundary
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.records import Workflow
from minewatch.store import SqlRepository, open_store

DEFAULT_STORE = "minewatch.gpkg"

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        "-s",
        envvar="MINEWATCH_STORE",
        help="The store: a GeoPackage path (default ./minewatch.gpkg) or postgresql://… URL.",
    ),
]

console = Console()
err_console = Console(stderr=True)


@contextmanager
def opened(url: str, *, create: bool = False) -> Iterator[SqlRepository]:
    store = open_store(url, create=create)
    try:
        yield store
    finally:
        store.close()


def cli_actor() -> Actor:
    """Whoever runs the CLI on a store they can open acts as its local administrator."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = os.environ.get("USER", "local")
    return local_admin(name)


def cli_workflow(store: SqlRepository) -> Workflow:
    """The workflow the CLI acts through: the local actor, every change in the audit log, with
    the geometry rules and the national boundary of the national configuration named by
    ``MINEWATCH_CONFIG`` (the shipped defaults when unset)."""
    config = load_config(os.environ.get(NATIONAL_CONFIG_ENV) or None)
    boundary = config.geometry.national_boundary
    return AuditedWorkflow(
        store,
        cli_actor(),
        Accounts(store),
        rules=config.geometry,
        boundary=read_boundary(boundary) if boundary else None,
    )


def parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option} must be a date like 2024-05-31, not {text!r}") from None


def parse_floats(text: str | None, count: int, option: str) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != count:
        raise InvalidInput(f"{option} takes {count} comma-separated numbers, not {text!r}")
    return values


def parse_where(pairs: Sequence[str]) -> dict[str, object]:
    where: dict[str, object] = {}
    for pair in pairs:
        if "=" not in pair:
            raise InvalidInput(f"--where takes field=value, not {pair!r}")
        name, value = pair.split("=", 1)
        where.setdefault(name.strip(), [])
        where[name.strip()].append(value.strip())  # type: ignore[attr-defined]
    return where


def emit(
    rows: list[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None, title: str = ""
) -> None:
    """Rows to stdout as a table, CSV or JSON."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writerow(safe_record({c: c for c in columns}))
        for row in rows:
            writer.writerow(safe_record({k: _cell(v) for k, v in row.items()}))
    elif fmt == "table":
        table = Table(title=title or None)
        for c in columns:
            table.add_column(c)
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        console.print(table)
    else:
        raise InvalidInput(f"--format must be table, csv or json, not {fmt!r}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
