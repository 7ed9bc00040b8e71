"""The CLI starts light: ``minewatch --help`` must answer in under 0.5 s (issue 13, point 8).

Times are not asserted (the machines are shared and noisy; ``python -m benchmarks --only
startup`` measures them). What makes the start slow is checked instead: in a fresh
interpreter, starting the CLI and building every command, as ``--help`` does, loads none of
the heavy libraries, nor the services and the layers beneath them; those load inside the
command that uses them. A light command loads only what it uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src"

#: Never loaded to start the CLI or to show any help (pydantic is: Typer's own parameter
#: handling loads it).
HEAVY = (
    "numpy",
    "shapely",
    "matplotlib",
    "scipy",
    "dask",
    "distributed",
    "geopandas",
    "pandas",
    "pyarrow",
    "pyogrio",
    "rasterio",
    "pyproj",
    "sqlalchemy",
    "geoalchemy2",
    "alembic",
    "fastapi",
    "uvicorn",
    "minewatch.services",
    "minewatch.store",
    "minewatch.io",
    "minewatch.analysis",
    "minewatch.scale",
    "minewatch.charts",
    "minewatch.api",
    "minewatch.config",
)
#: Never loaded by a treaty status query: it reads the treaty data, draws nothing, opens no store.
NOT_FOR_TREATY_STATUS = (
    "matplotlib",
    "scipy",
    "dask",
    "geopandas",
    "pandas",
    "pyogrio",
    "rasterio",
    "sqlalchemy",
    "minewatch.store",
    "minewatch.charts",
)

# Runs the CLI as the ``minewatch`` script does, then lists the modules it loaded.
_PROBE = """
import json, sys
{plant}
from minewatch.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def loaded(tmp_path: Path, *args: str, plant: str = "") -> set[str]:
    """The modules a fresh interpreter has loaded after ``minewatch ARGS``."""
    listing = tmp_path / "modules.json"
    env = {**os.environ, "PYTHONPATH": str(SOURCE)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(plant=plant), str(listing), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(listing.read_text()))


def heavy_in(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (packages) are among ``modules``."""
    return [n for n in names if any(m == n or m.startswith(f"{n}.") for m in modules)]


@pytest.mark.parametrize(
    "args",
    [("--help",), ("treaty", "--help"), ("list", "--help"), ("priority", "rank", "--help")],
)
def test_help_loads_no_heavy_library(tmp_path: Path, args: tuple[str, ...]) -> None:
    found = heavy_in(loaded(tmp_path, *args), HEAVY)
    assert not found, (
        f"minewatch {' '.join(args)} loads {found}: import them inside the command that "
        "uses them (or under TYPE_CHECKING for annotations), not at a CLI module's top"
    )


def test_a_light_command_loads_only_what_it_uses(tmp_path: Path) -> None:
    modules = loaded(tmp_path, "treaty", "status", "FIN", "2026-01-15")
    assert "minewatch.services.treaty" in modules  # it did run the query
    assert not heavy_in(modules, NOT_FOR_TREATY_STATUS)


#: Never loaded by a command that reads a few records from a store: frames, GDAL, pictures
#: and statistics are for the commands that use them.
NOT_FOR_READING_RECORDS = (
    "matplotlib",
    "scipy",
    "dask",
    "geopandas",
    "pandas",
    "pyogrio",
    "rasterio",
    "minewatch.charts",
    "minewatch.analysis",
)


@pytest.mark.parametrize("args", [("reports", "list"), ("list", "hazardous_area", "--limit", "5")])
def test_reading_records_loads_no_frames(tmp_path: Path, args: tuple[str, ...]) -> None:
    from minewatch.store import open_store

    open_store(str(tmp_path / "s.gpkg"), create=True).close()
    modules = loaded(tmp_path, *args, "-s", "s.gpkg")
    assert "minewatch.store" in modules  # it did open the store
    assert not heavy_in(modules, NOT_FOR_READING_RECORDS)


def test_the_check_sees_a_heavy_import(tmp_path: Path) -> None:
    # A CLI module that imported a heavy library at its top would look like this.
    modules = loaded(tmp_path, "--help", plant="import sqlalchemy")
    assert heavy_in(modules, HEAVY) == ["sqlalchemy"]
