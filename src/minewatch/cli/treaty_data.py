"""``minewatch treaty sources``: where every shipped treaty and policy fact comes from, and
(``--check``) which rows lack an address or a quotation. Registered on the ``treaty`` group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minewatch.cli.treaty import DataDir, Fmt, Format, Output, _emit, treaty_app

#: What the sources table shows on screen (CSV and JSON carry the quotations too).
SOURCES_TABLE_COLUMNS = ("file", "row", "state", "fact", "source", "source_url")


@treaty_app.command("sources")
def sources(
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="List only the rows without a URL or a quotation; exit 1 if there are any.",
        ),
    ] = False,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Every fact in the treaty data with its source, URL and the passage quoted in support.

    Rows from the depositary's saved pages need the page's address (the page is the text);
    curated rows (suspensions, armed-conflict findings, extension decisions, dates of
    effect, stockpile declarations, policy sources) need an address and a quotation.

    Example: minewatch treaty sources --check
    """
    from minewatch.services.treaty_sources import data_directory, missing_sources, source_rows

    source = data_directory(data_dir)
    if not check:
        _emit(source_rows(source), fmt, output, "Sources", SOURCES_TABLE_COLUMNS)
        return
    problems = missing_sources(source)
    if problems:
        _emit(
            problems,
            fmt,
            output,
            "Rows without a URL or quotation",
            (*SOURCES_TABLE_COLUMNS[:4], "missing"),
        )
        raise typer.Exit(1)
    typer.echo(f"every row has its source URL and quotation ({len(source_rows(source))} checked)")


@treaty_app.command("update")
def update(
    pages: Annotated[
        list[Path] | None, typer.Argument(help="Newer saved UNTC status pages (.html).")
    ] = None,
    target: Annotated[
        Path,
        typer.Option(
            "--data-dir",
            help="The data directory to update (created from the shipped data if absent).",
        ),
    ] = Path("treaty-data"),
    add: Annotated[
        list[Path] | None,
        typer.Option(
            "--add",
            help="Sourced rows to add: a CSV named like the curated file it adds to "
            "(communications_extra.csv, art5_extensions.csv, …) with its columns. Repeatable.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    fmt: Fmt = Format.TABLE,
    output: Output = None,
) -> None:
    """Update a treaty data directory from newer saved depositary pages and sourced additions,
    and report what changed. Nothing is written unless every page parses, every added row has
    its source URL and quotation, and the result loads.

    Example: minewatch treaty update ottawa.html --add communications_extra.csv --data-dir DIR
    """
    from minewatch.services.treaty_update import update_data

    report = update_data(target, pages or [], add or [], dry_run=dry_run)
    for instrument, (old, new) in report.status_as_at.items():
        typer.echo(f"{instrument}: status as at {old or 'none'} -> {new}")
    columns = ("file", "key", "change", "what")
    _emit(report.changes, fmt, output, f"Changes to {report.target}", columns)
    typer.echo(
        f"{'wrote' if report.written else 'would write (dry run)'} {report.target}: "
        f"{len(report.changes)} change(s)"
    )
