"""Every command that opens a store takes it as ``-s/--store``, as the README teaches."""

from __future__ import annotations

import typer.main

import minewatch.cli


def _commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name, command in getattr(group, "commands", {}).items():
        found += _commands(command, (*path, name)) if hasattr(command, "commands") else []
        if not hasattr(command, "commands"):
            found.append((" ".join((*path, name)), command))
    return found


def test_every_store_parameter_is_dash_s_store() -> None:
    minewatch.cli._register_commands()
    commands = _commands(typer.main.get_command(minewatch.cli.app))
    with_store = {
        name: [p for p in command.params if p.name in {"store", "store_opt"}]  # type: ignore[attr-defined]
        for name, command in commands
    }
    with_store = {name: params for name, params in with_store.items() if params}
    # The commands of the README's tour, at least, are among them.
    assert {"list", "stats", "reports approve", "user create-admin", "serve"} <= set(with_store)
    for name, params in with_store.items():
        options = [p for p in params if getattr(p, "opts", None) and "--store" in p.opts]
        assert options, f"minewatch {name} takes its store without --store"
        assert all("-s" in p.opts for p in options), f"minewatch {name}: --store without -s"
