"""``minewatch serve`` and ``minewatch user``: run the HTTP server, manage accounts.

The first administrator is created here, by whoever can open the store, with a password
typed at a prompt, piped on stdin or taken from ``MINEWATCH_ADMIN_PASSWORD``; there is no
default password, and the server refuses logins until an administrator exists.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import national_config_path, opened
from minewatch.config import NATIONAL_CONFIG_ENV
from minewatch.domain.access import Role, local_admin
from minewatch.services.accounts import Accounts, actor_of

user_app = typer.Typer(help="Manage users and API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")

PASSWORD_ENV = "MINEWATCH_ADMIN_PASSWORD"

StoreArg = Annotated[str, typer.Argument(help="The store: a .gpkg path or postgresql:// URL.")]


@app.command()
def serve(
    store: StoreArg,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    config: Annotated[
        Path | None, typer.Option(help="TOML file with a [server] table (see docs/api.md).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    national_config: Annotated[
        Path | None,
        typer.Option(
            help="The national configuration (classification, land release, priorities); "
            f"default: ${NATIONAL_CONFIG_ENV}, else the shipped defaults."
        ),
    ] = None,
) -> None:
    """Serve the REST API, OGC API Features and the web UI.

    Example: minewatch serve demo.gpkg --port 8000, then open http://127.0.0.1:8000/api/docs
    or add http://127.0.0.1:8000/ogc in QGIS as an OGC API – Features connection. With
    --national-config national.toml, the pages and routes that classify, account land
    release and rank priorities use that programme's configuration.
    """
    import uvicorn

    from minewatch.api.app import create_app
    from minewatch.api.settings import load_settings

    # uvicorn's proxy headers are off: by default it believes X-Forwarded-For from
    # 127.0.0.1, before the app sees the peer; the app reads the header only from the
    # settings' trusted_proxies (api/app.py), in one place.
    settings = load_settings(config)
    national = national_config_path(national_config)
    # Built now as each worker will build it, so that a bad configuration file or a path
    # that is not a store fails here, with a clear message naming the key or the file.
    with opened(store, config=national):
        pass
    if workers == 1:
        uvicorn.run(
            create_app(store, settings, national_config=national),
            host=host,
            port=port,
            proxy_headers=False,
        )
        return
    # Worker processes build their own context from these (see app_from_environment).
    os.environ["MINEWATCH_STORE"] = store
    if national is not None:
        os.environ[NATIONAL_CONFIG_ENV] = str(Path(national).resolve())
    if config is not None:
        os.environ["MINEWATCH_SERVER_CONFIG"] = str(config)
    uvicorn.run(
        "minewatch.api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
    )


@contextmanager
def _accounts(store: str) -> Iterator[Accounts]:
    with opened(store) as ctx:
        yield ctx.accounts


def _read_password(password_stdin: bool, confirm: bool = True) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=confirm))


@user_app.command("create-admin")
def create_admin(
    store: StoreArg,
    username: Annotated[str, typer.Argument(help="The administrator's username.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create an administrator (the first one makes logins possible).

    The password is prompted for, read from stdin with --password-stdin, or taken from
    MINEWATCH_ADMIN_PASSWORD. Example: minewatch user create-admin demo.gpkg ines
    """
    with _accounts(store) as accounts:
        accounts.create_admin(username, _read_password(password_stdin))
    typer.echo(f"administrator {username} created")


@user_app.command("add")
def add_user(
    store: StoreArg,
    username: Annotated[str, typer.Argument(help="The new user's username.")],
    role: Annotated[Role, typer.Option(help="public, data_worker, reviewer or admin.")],
    organisation: Annotated[
        str | None, typer.Option(help="Organisation code (required for data workers).")
    ] = None,
    personal_data: Annotated[
        bool, typer.Option(help="Grant access to victims' personal data.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Add a user. Example: minewatch user add demo.gpkg amina --role data_worker
    --organisation ORG-000001"""
    with _accounts(store) as accounts:
        accounts.create_user(
            local_admin(),
            username,
            _read_password(password_stdin),
            role,
            organisation,
            personal_data,
        )
    typer.echo(f"user {username} ({role.value}) created")


@user_app.command("token")
def token(
    store: StoreArg,
    username: Annotated[str, typer.Argument(help="Whose token it is.")],
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    days: Annotated[int, typer.Option(help="Days until it expires.")] = 365,
) -> None:
    """Issue an API token for a user and print it (it is shown only once).

    Example: minewatch user token demo.gpkg amina --label qgis, then send
    'Authorization: Bearer <token>'."""
    with _accounts(store) as accounts:
        _, secret = accounts.issue_token(actor_of(accounts.get_user(username)), label, days)
    typer.echo(secret)
