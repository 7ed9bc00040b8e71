"""Architecture: the public API of ``domain`` and ``services`` says what it does and shows it.

Every public function and class defined in a module of those two packages has a docstring
with a runnable example (``>>>``); pytest runs every example (``--doctest-modules`` over
``src/minewatch``, checked below), so an example cannot rot without failing the suite.
"""

from __future__ import annotations

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

#: Modules whose examples are being written by someone else's change in flight, with why.
#: A module leaves this list as soon as it is complete (a test below insists).
PENDING: dict[str, str] = {
    "minewatch.services.disclosure": "being reworked as the one personal-data chokepoint; examples follow it",
    "minewatch.services.treaty": "its examples belong to the treaty split's owner (issue 15 split)",
}


def modules() -> Iterator[ModuleType]:
    for package in PACKAGES:
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            yield importlib.import_module(info.name)


def public_api(module: ModuleType) -> Iterator[tuple[str, object]]:
    """Functions and classes a module defines (not imports) whose names have no underscore."""
    for name, value in vars(module).items():
        if name.startswith("_") or not (inspect.isfunction(value) or inspect.isclass(value)):
            continue
        if getattr(value, "__module__", None) == module.__name__:
            yield name, value


def without_example(module: ModuleType) -> list[str]:
    # ``__doc__``, not inspect.getdoc: a class must not borrow its base class's docstring.
    return [name for name, value in public_api(module) if ">>>" not in (value.__doc__ or "")]


@pytest.mark.parametrize("module", list(modules()), ids=lambda m: m.__name__)
def test_public_api_has_docstrings_with_examples(module: ModuleType) -> None:
    if module.__name__ in PENDING:
        pytest.skip(PENDING[module.__name__])
    missing = without_example(module)
    assert not missing, (
        f"{module.__name__}: give these a docstring with a runnable example (numpy style, "
        f"an Examples section with >>> lines): {', '.join(missing)}"
    )


def test_pending_modules_are_still_pending() -> None:
    by_name = {m.__name__: m for m in modules()}
    for name in PENDING:
        assert name in by_name, f"{name} no longer exists: remove it from PENDING"
        assert without_example(by_name[name]), f"{name} is complete: remove it from PENDING"


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

    for value in (documented, undocumented, Described):
        value.__module__ = module.__name__
        setattr(module, value.__name__, value)
    assert without_example(module) == ["undocumented", "Described"]
