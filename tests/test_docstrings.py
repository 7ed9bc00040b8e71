"""Architecture: the public API of ``domain`` and ``services`` says what it does and shows it.

Every public function and class defined in a module of those two packages has a docstring
with a runnable example (``>>>``); pytest runs every example (``--doctest-modules`` over
``src/minewatch``, checked below), so an example cannot rot without failing the suite.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import minewatch.domain
import minewatch.services

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (minewatch.domain, minewatch.services)


def modules() -> Iterator[ModuleType]:
    for package in PACKAGES:
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            yield importlib.import_module(info.name)


def public_api(module: ModuleType) -> Iterator[tuple[str, object]]:
    """Functions and classes a module defines (not imports) whose names have no underscore."""
    for name, value in vars(module).items():
        # unwrap: functools.cache and similar wrappers are functions too
        plain = inspect.unwrap(value) if callable(value) else value
        if name.startswith("_") or not (inspect.isfunction(plain) or inspect.isclass(plain)):
            continue
        if getattr(value, "__module__", None) == module.__name__:
            yield name, value


def without_example(module: ModuleType) -> list[str]:
    # ``__doc__``, not inspect.getdoc: a class must not borrow its base class's docstring.
    return [name for name, value in public_api(module) if ">>>" not in (value.__doc__ or "")]


@pytest.mark.parametrize("module", list(modules()), ids=lambda m: m.__name__)
def test_public_api_has_docstrings_with_examples(module: ModuleType) -> None:
    missing = without_example(module)
    assert not missing, (
        f"{module.__name__}: give these a docstring with a runnable example (numpy style, "
        f"an Examples section with >>> lines): {', '.join(missing)}"
    )


def test_the_suite_runs_every_example() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    ini = options["ini_options"]
    assert "--doctest-modules" in ini["addopts"].split()
    assert "src/minewatch" in ini["testpaths"]


def test_the_check_sees_a_missing_example() -> None:
    module = ModuleType("minewatch.domain.example")

    def documented() -> None:
        """Does nothing.

        >>> documented()
        """

    def undocumented() -> None:
        pass

    class Described:
        """A class whose docstring has no example."""

    @functools.cache
    def cached() -> int:
        """A cached function whose docstring has no example."""
        return 1

    for value in (documented, undocumented, Described, cached):
        value.__module__ = module.__name__
        setattr(module, value.__name__, value)
    assert without_example(module) == ["undocumented", "Described", "cached"]
