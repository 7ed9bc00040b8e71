"""Accreditation: which organisation is accredited for which methods until when, and the
approved work done outside a valid accreditation (quality management)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    CsvOutOption,
    FormatOption,
    StoreOption,
    cli_workflow,
    console,
    emit,
    language,
    opened,
    parse_date,
)

accreditation = typer.Typer(
    help="Accreditation of organisations (methods, assets, validity) and work outside it.",
    no_args_is_help=True,
)
app.add_typer(accreditation, name="accreditation")


def _write(
    rows: list[dict[str, Any]],
    keys: tuple[str, ...],
    fmt: str,
    out: Path | None,
    title: str,
    shown: tuple[str, ...] | None = None,
) -> None:
    """Rows to ``out`` (CSV), or as csv/json, or as a table of the ``shown`` columns (lists
    joined by spaces, so a terminal is not filled with brackets)."""
    from minewatch.services.accreditation import rows_csv

    if out is not None:
        out.write_text(rows_csv(rows, keys), encoding="utf-8")
        console.print(f"wrote {out} ({len(rows)} rows)")
    elif fmt == "csv":
        sys.stdout.write(rows_csv(rows, keys))
    elif fmt == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        flat = [{k: " ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows]
        emit(flat, fmt, list(shown or keys), title=title)


@accreditation.command("list")
def list_accreditations(
    store: StoreOption = DEFAULT_STORE,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Only this organisation's (a code).")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Whether in force on this day (default today).")
    ] = None,
    fmt: FormatOption = "table",
    out: CsvOutOption = None,
) -> None:
    """Approved accreditations: methods, asset types, validity, status, certificate and
    issuing authority, and whether each is in force on the day asked.

    Example:

      minewatch accreditation list --store demo.gpkg --on 2024-06-01
    """
    from minewatch.services import accreditation as service

    day = parse_date(on, "--on")
    with opened(store) as ctx:
        rows = service.accreditation_table(
            cli_workflow(ctx, personal_data=False), organisation, day
        )
    shown = ("code", "organisation_code", "methods", "valid_from", "valid_until", "status")
    _write(rows, service.TABLE_KEYS, fmt, out, "accreditations", (*shown, "in_force"))


@accreditation.command("check")
def check_work(
    store: StoreOption = DEFAULT_STORE,
    year: Annotated[
        list[int] | None, typer.Option("--year", "-y", help="Only work of this year (repeatable).")
    ] = None,
    fmt: FormatOption = "table",
    out: CsvOutOption = None,
) -> None:
    """Approved activities and release products whose organisation held no accreditation
    in force for their method on their date (exit status 1 when there are any).

    Example:

      minewatch accreditation check --store demo.gpkg
    """
    from minewatch.services import accreditation as service

    with opened(store) as ctx:
        table = fmt not in ("csv", "json") and out is None
        lang = language() if table else None  # CSV and JSON keep English

        rows = service.unaccredited_work(cli_workflow(ctx, personal_data=False), year, lang)
    shown = ("code", "organisation_code", "date", "problem")
    from minewatch.vocabulary import translate

    title = translate("Work outside a valid accreditation", language())
    _write(rows, service.FLAGGED_KEYS, fmt, out, title, shown)
    if rows:
        raise typer.Exit(1)
