"""The ``minewatch`` command line (Typer).

Each capability adds its commands from its own module in this package; this module only
assembles them and translates :class:`minewatch.errors.MinewatchError` to a message on
stderr and a non-zero exit, in this one place, so a user error never shows a traceback.
"""

from __future__ import annotations

import re
import sys

import typer

from minewatch.environment import LANGUAGE_ENV
from minewatch.errors import (
    Conflict,
    InvalidInput,
    MinewatchError,
    NotFound,
    PermissionDenied,
    ServerUnavailable,
)

app = typer.Typer(
    name="minewatch",
    help="Open mine action information system: records, land release, residual hazard, "
    "prioritisation and treaty monitoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar=LANGUAGE_ENV,
        help="Language of tables and messages: en, fr, es, uk or ar (codes in CSV and JSON "
        "never change).",
    ),
) -> None:
    import os

    if lang:
        os.environ[LANGUAGE_ENV] = lang  # read by cli.common.language() in every command


#: Exit codes by error class, so scripts can tell bad input from a missing record.
EXIT_CODES: dict[type[MinewatchError], int] = {
    InvalidInput: 2,
    NotFound: 3,
    Conflict: 4,
    PermissionDenied: 5,
    ServerUnavailable: 6,
}


#: The command modules, one per capability; each adds its commands to ``app`` on import.
COMMAND_MODULES: tuple[str, ...] = (
    "records",
    "transfer",
    "demo",
    "geodata",
    "intake",
    "residual",
    "treaty",
    "treaty_data",
    "treaty_reports",
    "serve",
    "qm",
    "people",
    "landrelease",
    "priority",
    "admin",
    "migrate",
    "accreditation",
    "tasks",
)


def _register_commands() -> None:
    # Imported late so that each module can import ``app`` from this package.
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"minewatch.cli.{name}")


def _error_line(exc: MinewatchError) -> str:
    """ "error: " and the error's message (with its file, row and field), in the chosen
    language (``--lang``, ``MINEWATCH_LANG``); English without one."""
    import os

    lang = os.environ.get(LANGUAGE_ENV)
    if not lang:
        return f"error: {exc}"
    from minewatch.vocabulary import translate
    from minewatch.vocabulary.problems import error_text

    return f"{translate('error', lang)}: {error_text(exc, lang)}"


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning minewatch errors into clean messages."""
    _register_commands()
    try:
        app(args=argv, standalone_mode=False)
    except MinewatchError as exc:
        typer.secho(_error_line(exc), err=True, fg=typer.colors.RED)
        sys.exit(next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1))
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        sys.exit(code or 0)
    except Exception as exc:  # usage errors come through here in non-standalone mode
        usage_error = _click_exception_types()
        if isinstance(exc, usage_error):
            lines = _usage_lines(exc)
            if lines is None:
                exc.show()  # type: ignore[attr-defined]
            else:
                typer.echo("\n".join(lines), err=True)
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        raise


#: Click's words for a value not among an option's choices (what its Choice type says).
_NOT_A_CHOICE = re.compile(r"'(?P<value>.*)' is not (?:one of )?(?P<choices>'.*')\.?$")


def _option_name(exc: Exception) -> str:
    param = getattr(exc, "param", None)
    names = getattr(param, "opts", None) or [getattr(param, "name", None) or ""]
    hint = getattr(exc, "param_hint", None)
    return str(hint if isinstance(hint, str) else " / ".join(str(n) for n in names if n))


def _usage_lines(exc: Exception) -> list[str] | None:
    """A usage error (an unknown option, a missing one, a value not allowed) in the chosen
    language, naming the option and the value as typed; None without a language, so Click
    shows its own English. Typer's help stays English; what a user hits is translated."""
    import os

    lang = os.environ.get(LANGUAGE_ENV)
    if not lang:
        return None
    from minewatch.vocabulary import translate

    ctx = getattr(exc, "ctx", None)
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or exc)
    if kind == "NoSuchOption":
        problem = translate("no such option: {option}", lang, option=exc.option_name)  # type: ignore[attr-defined]
    elif kind == "MissingParameter":
        problem = translate("missing option {option}", lang, option=_option_name(exc))
    elif kind == "BadParameter" and (found := _NOT_A_CHOICE.search(message)):
        problem = translate(
            "invalid value for {option}: {value!r} is not one of {choices}",
            lang,
            option=_option_name(exc),
            value=found["value"],
            choices=found["choices"].replace("'", "").replace(", ", ", "),
        )
    elif kind == "BadParameter":
        problem = translate("invalid value for {option}: {problem}", lang,
                            option=_option_name(exc), problem=message)  # fmt: skip
    else:
        problem = message
    lines = []
    if ctx is not None:
        usage = ctx.get_usage()
        lines.append(translate("Usage:", lang) + usage.removeprefix("Usage:"))
        lines.append(translate("Try '{command} --help' for help.", lang, command=ctx.command_path))
        lines.append("")
    lines.append(f"{translate('error', lang)}: {problem}")
    return lines


def _click_exception_types() -> tuple[type[Exception], ...]:
    """Click's exception class, and typer's vendored copy of it where typer has one."""
    import click

    types: list[type[Exception]] = [click.ClickException]
    try:
        from typer._click.exceptions import ClickException as VendoredClickException

        types.append(VendoredClickException)
    except ImportError:  # typer versions that use click itself
        pass
    return tuple(types)
