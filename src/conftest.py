"""What the docstring examples of ``src/minewatch`` may use besides the package itself.

pytest runs every example (``--doctest-modules`` in pyproject.toml). Two names are given to
every example:

``tmp``
    A fresh temporary folder per docstring. Examples that write files write them here, so
    running the examples never touches the working directory.
``demo_store(folder)``
    A GeoPackage store in ``folder`` holding the synthetic demo programme (five hazardous
    areas with their accidents, victims, activities and products; see
    :func:`minewatch.services.demo.load_demo`). Each call copies one store made once per
    run: loading the demo costs 0.2 s, and copies of the same file let the services' kept
    results (rankings, accountings: :mod:`minewatch.services.recent`) serve the examples
    that follow, which is most of the examples' time otherwise.

This file sits outside the package, so it is not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from minewatch.store import Repository

# Alembic's environment script runs only inside an Alembic command: importing it elsewhere
# fails by design, and it has no examples.
collect_ignore = ["minewatch/store/migrations/env.py"]


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """The demo store's file, made on first use (most examples never ask for it)."""
    made: list[Path] = []

    def template() -> Path:
        if not made:
            from minewatch.domain.access import local_admin
            from minewatch.services.demo import load_demo
            from minewatch.services.records import Workflow
            from minewatch.store import open_store

            path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
            store = open_store(str(path), create=True)
            load_demo(Workflow(store, local_admin()), areas=5)
            store.close()  # folds the write-ahead log into the file, so a copy is complete
            made.append(path)
        return made[0]

    return template


@pytest.fixture(autouse=True)
def _example_namespace(
    doctest_namespace: dict[str, object], tmp_path: Path, _demo_template: Callable[[], Path]
) -> None:
    def demo_store(folder: Path) -> Repository:
        from minewatch.store import open_store

        path = folder / "demo.gpkg"
        shutil.copyfile(_demo_template(), path)
        return open_store(str(path))

    doctest_namespace["tmp"] = tmp_path
    doctest_namespace["demo_store"] = demo_store
