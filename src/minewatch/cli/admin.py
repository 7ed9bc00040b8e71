"""``minewatch audit verify``, ``backup``, ``restore`` and ``db create-roles``: operator
commands that keep the store trustworthy.

Thin: each command calls one service and prints what it says.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import StoreOption, opened

if TYPE_CHECKING:
    from minewatch.services.audit import ChainReport

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
    from minewatch.services.audit import verify_audit_log

    with opened(store) as ctx:
        report = verify_audit_log(ctx.store, expect_head=expect_head)
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


@app.command("backup")
def backup(
    store: StoreOption,
    destination: Annotated[Path, typer.Argument(help="The backup file to write.")],
    overwrite: Annotated[bool, typer.Option(help="Replace an existing backup file.")] = False,
) -> None:
    """Back up the store while it is in use: a GeoPackage through SQLite's online backup
    (one consistent snapshot, including what is still in the write-ahead log), PostGIS with
    pg_dump (custom format). Prints the audit chain's head: keep it beside the backup.

    Example: minewatch backup --store demo.gpkg backups/demo-2024-05-01.gpkg
    """
    from minewatch.services.operations import backup_store

    copy = backup_store(store, destination, overwrite=overwrite)
    typer.echo(f"backed up to {copy.path}: {_chain(copy.audit)}")


@app.command("restore")
def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file made by minewatch backup.")],
    store: StoreOption,
    replace: Annotated[
        bool, typer.Option(help="Overwrite the store there (stop the server first).")
    ] = False,
) -> None:
    """Restore a backup into --store (a new GeoPackage path, or a PostGIS database and
    schema), then check it is a current store with an intact audit chain. A PostGIS restore
    belongs to the role that ran it: run `minewatch db create-roles` afterwards.

    Example: minewatch restore backups/demo-2024-05-01.gpkg --store restored.gpkg
    """
    from minewatch.services.operations import restore_store

    copy = restore_store(backup_file, store, replace=replace)
    typer.echo(f"restored {copy.path}: {_chain(copy.audit)}")
    if not copy.audit.intact:
        for problem in copy.audit.problems:
            typer.echo(f"broken: {problem}", err=True)
        raise typer.Exit(1)


def _chain(report: ChainReport) -> str:
    state = "intact" if report.intact else "NOT intact"
    return f"audit log {state}, {report.entries} entries, head {report.head}"


db_app = typer.Typer(help="PostgreSQL set-up.", no_args_is_help=True)
app.add_typer(db_app, name="db")

OWNER_PASSWORD_ENV = "MINEWATCH_OWNER_PASSWORD"
APP_PASSWORD_ENV = "MINEWATCH_APP_PASSWORD"


@db_app.command("create-roles")
def create_roles(
    superuser_url: Annotated[
        str, typer.Argument(help="postgresql:// URL of a superuser, on the store's database.")
    ],
    owner: Annotated[str, typer.Option(help="Role that owns the tables.")] = "minewatch_owner",
    app_role: Annotated[
        str, typer.Option("--app", help="Role the server connects as.")
    ] = "minewatch_app",
    prompt_passwords: Annotated[bool, typer.Option(help="Ask for both roles' passwords.")] = False,
) -> None:
    """Create the owner (runs `minewatch init`) and the application role (runs `minewatch
    serve`), which cannot alter tables, switch triggers off or change the audit log; hand
    existing tables to the owner. Idempotent: run it again after a restore.

    Passwords come from MINEWATCH_OWNER_PASSWORD and MINEWATCH_APP_PASSWORD, or a prompt
    with --prompt-passwords; without either they are left as they are (e.g. for
    certificate authentication). Example:
    minewatch db create-roles postgresql://postgres@db/minewatch
    """
    from minewatch.services import operations

    passwords = [os.environ.get(OWNER_PASSWORD_ENV), os.environ.get(APP_PASSWORD_ENV)]
    if prompt_passwords:
        passwords = [
            passwords[i] or typer.prompt(f"Password for {role}", hide_input=True,
                                         confirmation_prompt=True)
            for i, role in enumerate((owner, app_role))
        ]  # fmt: skip
    report = operations.create_roles(
        superuser_url, owner, app_role, owner_password=passwords[0], app_password=passwords[1]
    )
    made = f"created {', '.join(report.created)}; " if report.created else ""
    typer.echo(
        f"{made}schema {report.schema}: {len(report.tables)} tables owned by {owner}; "
        f"{app_role} may read and write rows, and only append to the audit log"
    )
