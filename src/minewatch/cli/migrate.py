"""``minewatch migrate``: bring a programme's history in from IMSMA Core File Geodatabases,
Esri JSON dumps, Survey123 exports, workbooks, CSV and Access databases.

Examples::

    minewatch migrate plan archive.gdb -o mapping.toml     # propose; then edit mapping.toml
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from minewatch.cli import app

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

    proposed = plan_migration(source, out)
    table = Table("table", "rows", "becomes", "fields mapped", "kept as extra", "values to fill")
    for proposal in proposed.tables:
        missing = sum(1 for f in proposal.fields for v in f.values if v.target is None)
        table.add_row(
            proposal.table.name,
            f"{proposal.table.rows:,}",
            proposal.kind.value if proposal.kind else "skipped",
            str(len(proposal.fields)),
            str(len(proposal.extra_columns)),
            str(missing),
        )
    console.print(table)
    for note in proposed.notes:
        console.print(f"note: {note}")
    console.print(f"mapping written to {out}: review it, then run minewatch migrate run")
