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
from typing import TYPE_CHECKING, Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    STORE_ENV,
    StoreOrNone,
    UsageWithoutHidden,
    either_store,
    national_config_path,
    opened,
    say,
)
from minewatch.domain.access import Role, local_admin
from minewatch.environment import NATIONAL_CONFIG_ENV
from minewatch.errors import InvalidInput

if TYPE_CHECKING:
    from minewatch.services.accounts import Accounts

user_app = typer.Typer(help="Manage users and API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")

PASSWORD_ENV = "MINEWATCH_ADMIN_PASSWORD"

#: ``minewatch serve demo.gpkg`` has always worked; it stays, beside ``--store`` like every
#: other command.
ServedStore = Annotated[
    str | None,
    typer.Argument(
        metavar="STORE",
        help="The store: a .gpkg path or postgresql:// URL (or -s/--store, $MINEWATCH_STORE).",
        show_default=False,
    ),
]


@app.command()
def serve(
    store_arg: ServedStore = None,
    store_opt: StoreOrNone = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    config: Annotated[
        Path | None, typer.Option(help="TOML file with a \\[server] table (see docs/api.md).")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Worker processes; 0 starts one per core (each answers requests on its own, "
            "so throughput grows with cores).",
        ),
    ] = 1,
    national_config: Annotated[
        Path | None,
        typer.Option(
            help="The national configuration (classification, land release, priorities); "
            f"default: ${NATIONAL_CONFIG_ENV}, else the shipped defaults."
        ),
    ] = None,
) -> None:
    """Serve the REST API, OGC API Features and the web UI.

    Example: minewatch serve -s demo.gpkg --port 8000, then open http://127.0.0.1:8000/api/docs
    or add http://127.0.0.1:8000/ogc in QGIS as an OGC API – Features connection. With
    --national-config national.toml, the pages and routes that classify, account land
    release and rank priorities use that programme's configuration.
    """
    import uvicorn

    from minewatch.api.app import create_app
    from minewatch.api.settings import load_settings

    store = either_store(store_arg, store_opt)
    # uvicorn's proxy headers are off: by default it believes X-Forwarded-For from
    # 127.0.0.1, before the app sees the peer; the app reads the header only from the
    # settings' trusted_proxies (api/app.py), in one place.
    settings = load_settings(config)
    national = national_config_path(national_config)
    # Built now as each worker will build it, so that a bad configuration file or a path
    # that is not a store fails here, with a clear message naming the key or the file.
    with opened(store, config=national):
        pass
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        uvicorn.run(
            create_app(store, settings, national_config=national),
            host=host,
            port=port,
            proxy_headers=False,
        )
        return
    # Worker processes build their own context from these (see app_from_environment).
    os.environ[STORE_ENV] = store
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


#: ``user create-admin STORE USERNAME``, the form before ``--store``, is still accepted
#: (older scripts, and the web app's sign-in page until it is rebuilt, give it); the help
#: shows only ``USERNAME -s STORE`` (typer would print the hidden argument in the usage
#: line: :class:`UsageWithoutHidden` leaves it out).
LegacyName = Annotated[str | None, typer.Argument(hidden=True, show_default=False)]


@contextmanager
def _accounts(first: str, second: str | None, store: str | None) -> Iterator[Accounts]:
    """The accounts of the store named by ``-s`` or, in the old form, by ``first``."""
    with opened(either_store(first if second else None, store)) as ctx:
        yield ctx.accounts


def _username(first: str, second: str | None) -> str:
    return second or first


def _read_password(password_stdin: bool, confirm: bool = True) -> str:
    if password_stdin:
        return _stdin_line()
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        # A pipe, not a terminal: getpass would warn that it cannot hide what is typed (and
        # might read the terminal instead of the pipe). Read the lines the prompt would
        # have asked for: the password and, if given, the same again.
        typer.echo(say("reading the password from stdin (in scripts use --password-stdin "
                       "or {variable})", variable=PASSWORD_ENV), err=True)  # fmt: skip
        password, again = _stdin_line(), sys.stdin.readline()
        if again and again.rstrip("\r\n") != password:
            raise InvalidInput("the two passwords read from stdin differ")
        return password
    return str(typer.prompt(say("Password"), hide_input=True, confirmation_prompt=confirm))


def _stdin_line() -> str:
    """One line of stdin, the password, without its line end; never echoed."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InvalidInput("no password on stdin: give it as the first line")
    return line


@user_app.command("create-admin", cls=UsageWithoutHidden)
def create_admin(
    username: Annotated[str, typer.Argument(help="The administrator's username.")],
    legacy: LegacyName = None,
    store: StoreOrNone = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create an administrator (the first one makes logins possible).

    The password is prompted for, read from stdin with --password-stdin, or taken from
    MINEWATCH_ADMIN_PASSWORD. Example: minewatch user create-admin ines -s demo.gpkg
    """
    with _accounts(username, legacy, store) as accounts:
        username = _username(username, legacy)
        accounts.create_admin(username, _read_password(password_stdin))
    typer.echo(f"administrator {username} created")


@user_app.command("add", cls=UsageWithoutHidden)
def add_user(
    username: Annotated[str, typer.Argument(help="The new user's username.")],
    role: Annotated[Role, typer.Option(help="public, data_worker, reviewer or admin.")],
    legacy: LegacyName = None,
    organisation: Annotated[
        str | None, typer.Option(help="Organisation code (required for data workers).")
    ] = None,
    personal_data: Annotated[
        bool, typer.Option(help="Grant access to victims' personal data.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    store: StoreOrNone = None,
) -> None:
    """Add a user. Example: minewatch user add amina -s demo.gpkg --role data_worker
    --organisation ORG-000001"""
    with _accounts(username, legacy, store) as accounts:
        username = _username(username, legacy)
        accounts.create_user(
            local_admin(),
            username,
            _read_password(password_stdin),
            role,
            organisation,
            personal_data,
        )
    typer.echo(f"user {username} ({role.value}) created")


@user_app.command("token", cls=UsageWithoutHidden)
def token(
    username: Annotated[str, typer.Argument(help="Whose token it is.")],
    legacy: LegacyName = None,
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    days: Annotated[int, typer.Option(help="Days until it expires.")] = 365,
    store: StoreOrNone = None,
) -> None:
    """Issue an API token for a user and print it (it is shown only once).

    Example: minewatch user token amina -s demo.gpkg --label qgis, then send
    'Authorization: Bearer <token>'."""
    from minewatch.services.accounts import actor_of

    with _accounts(username, legacy, store) as accounts:
        user = accounts.get_user(_username(username, legacy))
        _, secret = accounts.issue_token(actor_of(user), label, days)
    typer.echo(secret)
