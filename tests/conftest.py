"""Shared fixtures: ``store`` runs a test against both backends, the embedded GeoPackage and
PostGIS. PostGIS tests fail (never skip) in CI when the server is missing, because the
issue requires the PostGIS half of the suite to run there."""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from minewatch.domain.access import local_admin
from minewatch.services.records import Workflow
from minewatch.store import SqlRepository, open_store

# Wall-clock deadlines make property tests fail on a busy machine, not on wrong answers.
settings.register_profile("minewatch", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("minewatch")


@pytest.fixture(autouse=True)
def _no_language_left_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts and ends without a CLI language: ``--lang`` puts MINEWATCH_LANG in
    the process's environment (for the command's modules to read), which must not leak into
    the tests that run after it in the same process. Setting it first makes monkeypatch
    remember that it was absent, so it is removed again after the test."""
    from minewatch.environment import LANGUAGE_ENV

    monkeypatch.setenv(LANGUAGE_ENV, "en")
    monkeypatch.delenv(LANGUAGE_ENV)


@pytest.fixture(autouse=True)
def _forget_recent_rankings() -> None:
    """Each test computes from scratch: services keep recent results (priorities' indicators,
    land release accountings), and a test that replaces a function would otherwise be
    handed an earlier test's."""
    from minewatch.services.recent import forget_recent_results

    forget_recent_results()


REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


def postgres_url() -> str | None:
    url = os.environ.get("MINEWATCH_TEST_POSTGRES_URL")
    if not url:
        env_file = REPO_ROOT / "var" / "test-env"
        if env_file.exists():
            for line in env_file.read_text().splitlines():
                if line.startswith("MINEWATCH_TEST_POSTGRES_URL="):
                    url = line.split("=", 1)[1].strip()
    return url or None


def require_postgres() -> str:
    url = postgres_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("PostGIS tests must run in CI: MINEWATCH_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL test server (run ./run test, which starts one)")
    return url


@pytest.fixture
def postgis_url() -> Iterator[str]:
    """A PostGIS URL whose search_path is a fresh schema, dropped afterwards."""
    base = require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema},public')}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "geopackage":
        return f"sqlite:///{tmp_path / 'store.gpkg'}"
    return str(request.getfixturevalue("postgis_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[SqlRepository]:
    repo = open_store(store_url, create=True)
    yield repo
    repo.close()


#: The organisations the synthetic field forms and fixtures name (records and users must
#: name organisations that exist). Codes of the store's own sequence are taken, so an
#: organisation a test creates gets the next one.
SYNTHETIC_ORGANISATIONS = tuple(f"ORG-{n:06d}" for n in range(1, 8))


@pytest.fixture
def synthetic_organisations(store: SqlRepository) -> tuple[str, ...]:
    """Organisation items for :data:`SYNTHETIC_ORGANISATIONS` in ``store`` (synthetic)."""
    from minewatch.domain.records import Organisation

    store.next_codes("ORG", len(SYNTHETIC_ORGANISATIONS))
    store.put_items(
        [Organisation(code=c, name=f"Synthetic organisation {c}") for c in SYNTHETIC_ORGANISATIONS]
    )
    return SYNTHETIC_ORGANISATIONS


@pytest.fixture
def synthetic_places(store: SqlRepository, synthetic_organisations: tuple[str, ...]) -> None:
    """The places and the area the synthetic field forms name, in ``store`` (every code a
    record names must exist)."""
    synthetic_forms().add_named_places(store)


@pytest.fixture
def workflow(store: SqlRepository, synthetic_organisations: tuple[str, ...]) -> Workflow:
    """A local administrator's workflow on a store holding only the synthetic organisations."""
    return Workflow(store, local_admin("tester"))


# The synthetic Kobo/ODK exports (tests/synthetic_forms.py) as a fixture: test modules are
# imported with importlib, so a helper module beside them is not importable by name.
_NAME = "minewatch_tests_synthetic_forms"


def synthetic_forms() -> ModuleType:
    if _NAME not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            _NAME, Path(__file__).resolve().parent / "synthetic_forms.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
    return sys.modules[_NAME]


@pytest.fixture(scope="session")
def sf() -> ModuleType:
    return synthetic_forms()


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site as ``mkdocs build --strict`` makes it (built once per run:
    tests/test_docs.py, tests/test_offline.py and the browser test of the docs read it)."""
    import shutil
    import subprocess

    folder = tmp_path_factory.mktemp("docs") / "site"
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or "mkdocs"
    proc = subprocess.run(
        [mkdocs, "build", "--strict", "-q", "-d", str(folder)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return folder


@pytest.fixture(scope="session")
def filegdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SYNTHETIC File Geodatabase shaped like an IMSMA Core export, built by GDAL itself
    (tests/io/migration/build_filegdb.py, run with the system Python's python3-gdal, since
    pyogrio writes no domains or relationship classes): Hazards (coded-value domains,
    aliases), Accidents with Victims (a relationship class by GlobalID/ParentGlobalID) and
    Accidents__ATTACH. Every value invented."""
    return _build_filegdb(tmp_path_factory.mktemp("gdb") / "archive.gdb")


@pytest.fixture(scope="session")
def filegdb_authority(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SYNTHETIC File Geodatabase of :func:`filegdb` with what a national authority keeps
    beside it (build_filegdb.py --authority): Organisations with Accreditations, Tasks on
    Hazards, VictimAssistance under Victims, each by a relationship class."""
    return _build_filegdb(tmp_path_factory.mktemp("gdb") / "authority.gdb", "--authority")


def _build_filegdb(path: Path, *options: str) -> Path:
    import subprocess

    builder = REPO_ROOT / "tests" / "io" / "migration" / "build_filegdb.py"
    system_python = "/usr/bin/python3"
    probe = subprocess.run([system_python, "-c", "import osgeo.ogr"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs Debian's python3-gdal (scripts/test-services.sh installs it)")
    subprocess.run(
        [system_python, str(builder), str(path), *options], check=True, capture_output=True
    )
    return path
