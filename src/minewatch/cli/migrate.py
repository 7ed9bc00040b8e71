"""``minewatch migrate``: bring a programme's history in from IMSMA Core File Geodatabases,
Esri JSON dumps, Survey123 exports, workbooks, CSV and Access databases.

Examples::

    minewatch migrate plan archive.gdb -o mapping.toml     # propose; then edit mapping.toml
    minewatch migrate run archive.gdb --mapping mapping.toml --dry-run
    minewatch migrate run archive.gdb --mapping mapping.toml --report migration
    minewatch migrate report migration.json -o migration.html   # again, checked against the store
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    StoreOption,
    cli_workflow,
    language,
    opened,
    parse_date,
    print_whole,
    say,
)

migrate_app = typer.Typer(
    help="Migrate a programme's history: propose a mapping, review it, run it.",
    no_args_is_help=True,
)
app.add_typer(migrate_app, name="migrate")
console = Console()


@migrate_app.command("plan")
def plan(
    source: Annotated[
        Path,
        typer.Argument(
            help="A File Geodatabase (.gdb or zipped), an Esri JSON dump (file or folder of "
            "pages), a Survey123 export or workbook (.xlsx), CSV file(s), an Access database "
            "(.mdb/.accdb) or any file GDAL reads."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Write the proposed mapping (TOML) here.")
    ] = Path("mapping.toml"),
) -> None:
    """Propose, for each table, the kind of record, field and value mappings, with reasons.

    Example: minewatch migrate plan archive.gdb -o mapping.toml
    """
    from minewatch.services.migration import plan_migration

    proposed = plan_migration(source, out, language())
    table = Table(
        say("table"),
        say("rows"),
        say("becomes"),
        say("fields mapped"),
        say("kept as extra"),
        say("values to fill"),
    )
    for proposal in proposed.tables:
        missing = sum(1 for f in proposal.fields for v in f.values if v.target is None)
        table.add_row(
            proposal.table.name,
            f"{proposal.table.rows:,}",
            proposal.kind.value if proposal.kind else say("skipped"),
            str(len(proposal.fields)),
            str(len(proposal.extra_columns)),
            str(missing),
        )
    print_whole(table)
    for note in proposed.notes:
        console.print(say("note: {note}", note=note))
    console.print(
        say("mapping written to {path}: review it, then run minewatch migrate run", path=out)
    )


SourceArgument = Annotated[
    Path,
    typer.Argument(help="The source the mapping was planned from."),
]


@migrate_app.command("run")
def run(
    source: SourceArgument,
    mapping: Annotated[Path, typer.Option("--mapping", "-m", help="The reviewed mapping (TOML).")],
    store: StoreOption = DEFAULT_STORE,
    gazetteer: Annotated[
        Path | None,
        typer.Option(
            help="Administrative boundaries or settlements (e.g. an OCHA COD file) to place "
            "rows without coordinates by the mapping's [place] columns."
        ),
    ] = None,
    date_of_information: Annotated[
        str | None,
        typer.Option(
            "--date", help="Date of Information for rows with no date at all (YYYY-MM-DD)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything; write nothing.")
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going/--all-or-nothing",
            help="Land the good rows when some are rejected, or nothing when any is (default).",
        ),
    ] = False,
    report: Annotated[
        Path,
        typer.Option(help="Write the report here as REPORT.json and REPORT.html."),
    ] = Path("migration-report"),
) -> None:
    """Migrate every table of SOURCE through its mapping, as approved reports by you.

    Example: minewatch migrate run archive.gdb --mapping mapping.toml --dry-run
    """
    from minewatch.charts.migration_report import migration_report_html
    from minewatch.services.migration import MigrationRefused, migrate, store_counts, write_report

    doi = parse_date(date_of_information, "--date")
    with opened(store, create=True) as ctx:
        workflow = cli_workflow(ctx)
        try:
            outcome = migrate(
                workflow,
                source,
                mapping,
                gazetteer=gazetteer,
                date_of_information=doi,
                dry_run=dry_run,
                keep_going=keep_going,
            )
        except MigrationRefused as refused:
            data = write_report(refused.outcome, report.with_suffix(".json"))
            report.with_suffix(".html").write_text(
                migration_report_html(data, None, language()), encoding="utf-8"
            )
            _summary(data)
            console.print(f"report written to {report.with_suffix('.html')}")
            raise
        data = write_report(outcome, report.with_suffix(".json"))
        counts = None if dry_run else store_counts(ctx.store, data)
        page = migration_report_html(data, counts, language())
        report.with_suffix(".html").write_text(page, encoding="utf-8")
    _summary(data)
    verb = "would land (dry run, nothing written)" if dry_run else "landed"
    console.print(f"{sum(t['landed'] for t in data['tables']):,} records {verb}")
    console.print(
        f"report written to {report.with_suffix('.html')} and {report.with_suffix('.json')}"
    )


@migrate_app.command("report")
def report_command(
    report: Annotated[Path, typer.Argument(help="A migration report (.json) written by run.")],
    store: StoreOption = DEFAULT_STORE,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the HTML here.")] = None,
) -> None:
    """Write a run's report as HTML again, checked against what the store holds now.

    Example: minewatch migrate report migration-report.json -o migration.html
    """
    from minewatch.charts.migration_report import migration_report_html
    from minewatch.services.migration import read_report, store_counts

    data = read_report(report)
    with opened(store) as ctx:
        counts = store_counts(ctx.store, data)
    target = out or report.with_suffix(".html")
    target.write_text(migration_report_html(data, counts, language()), encoding="utf-8")
    _summary(data, counts)
    console.print(f"report written to {target}")


def _summary(data: dict, counts: dict[str, int] | None = None) -> None:
    later = any(t.get("later_reports") for t in data["tables"])
    table = Table(
        "table",
        "becomes",
        "read",
        "landed",
        "of them transformed",
        *(["later reports"] if later else []),
        "skipped",
        "rejected",
        *(["store holds"] if counts is not None else []),
    )
    for t in data["tables"]:
        held = [str(counts.get(t["table"], 0))] if counts is not None else []
        table.add_row(
            t["table"],
            t.get("kind") or "skipped",
            f"{t['read']:,}",
            f"{t['landed']:,}",
            f"{t.get('transformed_rows', 0):,}",
            *([f"{t.get('later_reports', 0):,}"] if later else []),
            f"{t['skipped']:,}",
            f"{t['rejected_count']:,}",
            *held,
        )
    print_whole(table)
