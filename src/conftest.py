"""What the docstring examples of ``src/minewatch`` may use besides the package itself.

pytest runs every example (``--doctest-modules`` in pyproject.toml). Examples that write
files write them under ``tmp``, a fresh temporary folder per docstring, so running the
examples never touches the working directory. This file sits outside the package, so it is
not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# Alembic's environment script runs only inside an Alembic command: importing it elsewhere
# fails by design, and it has no examples.
collect_ignore = ["minewatch/store/migrations/env.py"]


@pytest.fixture(autouse=True)
def _example_namespace(doctest_namespace: dict[str, object], tmp_path: Path) -> None:
    doctest_namespace["tmp"] = tmp_path
