"""The synthetic Kobo/ODK exports (tests/synthetic_forms.py) as a fixture: the test suite
imports test modules with importlib, so a helper module beside them is not importable."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

_NAME = "minewatch_tests_synthetic_forms"


def synthetic_forms() -> ModuleType:
    if _NAME not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            _NAME, Path(__file__).resolve().parents[1] / "synthetic_forms.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
    return sys.modules[_NAME]


@pytest.fixture(scope="session")
def sf() -> ModuleType:
    return synthetic_forms()
