"""Fixtures for the migration readers: a SYNTHETIC File Geodatabase built by GDAL itself
(build_filegdb.py, run with the system Python's GDAL bindings, python3-gdal)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

BUILDER = Path(__file__).with_name("build_filegdb.py")
SYSTEM_PYTHON = "/usr/bin/python3"
# A script for the system Python, not a test module (pytest would import it for doctests).
collect_ignore = ["build_filegdb.py"]


def _system_gdal() -> bool:
    done = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import osgeo.ogr"], capture_output=True, check=False
    )
    return done.returncode == 0


@pytest.fixture(scope="session")
def filegdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hazards (coded domains, aliases), Accidents with Victims (a relationship class by
    GlobalID/ParentGlobalID) and Accidents__ATTACH; every value invented."""
    if shutil.which(SYSTEM_PYTHON) is None or not _system_gdal():
        pytest.skip("needs Debian's python3-gdal (scripts/test-services.sh installs it)")
    path = tmp_path_factory.mktemp("gdb") / "archive.gdb"
    subprocess.run([SYSTEM_PYTHON, str(BUILDER), str(path)], check=True, capture_output=True)
    return path
