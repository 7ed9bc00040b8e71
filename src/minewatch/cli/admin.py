"""``minewatch audit verify``: operator commands that keep the store trustworthy.

Thin: each command calls one service and prints what it says.
"""

from __future__ import annotations

from typing import Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import StoreOption, opened
from minewatch.services.audit import verify_audit_log

audit_app = typer.Typer(help="Check the audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(
    store: StoreOption,
    expect_head: Annotated[
        str | None,
        typer.Option(
            help="A head hash printed by an earlier check and kept elsewhere: fails if it is "
            "no longer in the chain (entries cut from the end)."
        ),
    ] = None,
) -> None:
    """Check the audit log's hash chain: every entry present, unchanged and in order.

    Prints the number of entries and the head hash (keep it elsewhere, e.g. in the
    operations log, and pass it as --expect-head next time). Exits 1 naming each broken
    entry. Example: minewatch audit verify --store demo.gpkg
    """
    with opened(store) as repo:
        report = verify_audit_log(repo, expect_head=expect_head)
    if report.intact:
        typer.echo(f"audit log intact: {report.entries} entries, head {report.head}")
        return
    for problem in report.problems:
        typer.echo(f"broken: {problem}", err=True)
    typer.echo(
        f"audit log NOT intact: {len(report.problems)} problem(s) in {report.entries} entries",
        err=True,
    )
    raise typer.Exit(1)
