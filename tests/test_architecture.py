"""Architecture: DESIGN.md's layers hold, as the import-linter contracts in pyproject.toml say.

``./run test`` runs ``lint-imports`` before pytest; this runs the same check so that pytest
alone fails on a forbidden import, and shows on a planted one that the check can fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "minewatch"
#: ``lint-imports`` run by this interpreter, wherever its scripts folder is.
LINT_IMPORTS = [
    sys.executable,
    "-c",
    "from importlinter.cli import lint_imports_command; lint_imports_command()",
]


def lint_imports(python_path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts (pyproject.toml, read from the project's
    folder) over the ``minewatch`` package found first on ``python_path``."""
    env = {**os.environ, "PYTHONPATH": str(python_path)}
    return subprocess.run(
        [*LINT_IMPORTS, "--cache-dir", str(cache)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def _not_python(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]


def test_the_contracts_have_no_exceptions() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert len(contracts["contracts"]) >= 3
    for contract in contracts["contracts"]:
        assert "ignore_imports" not in contract, contract["name"]


def test_the_package_keeps_its_layers(tmp_path: Path) -> None:
    result = lint_imports(ROOT / "src", tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "code", "broken"),
    [
        ("cli/_planted.py", "from minewatch.store import open_store\n", "minewatch.store"),
        ("services/_planted.py", "import minewatch.charts.qm\n", "minewatch.charts"),
        ("io/_planted.py", "from minewatch.analysis import sampling\n", "minewatch.analysis"),
        ("charts/_planted.py", "import minewatch.services.qm\n", "minewatch.services"),
    ],
)
def test_a_forbidden_import_breaks_the_check(
    tmp_path: Path, module: str, code: str, broken: str
) -> None:
    """The package's modules copied, with one module that imports across a layer."""
    copy = tmp_path / "src" / "minewatch"
    shutil.copytree(SOURCE, copy, ignore=_not_python)
    (copy / module).write_text(code, encoding="utf-8")
    result = lint_imports(tmp_path / "src", tmp_path / "cache")
    planted = "minewatch." + module.removesuffix(".py").replace("/", ".")
    assert result.returncode != 0
    assert f"{planted} -> {broken}" in result.stdout, result.stdout
