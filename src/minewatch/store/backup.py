"""Backups of either store, taken while it is in use, and their restoration.

* GeoPackage: SQLite's online backup API copies the database page by page from one
  consistent snapshot while the server keeps writing, into a single self-contained file
  (itself a GeoPackage QGIS opens). Copying the ``.gpkg`` file by hand is not a backup: with
  write-ahead logging, the last commits may still be in the ``-wal`` file beside it.
* PostGIS: ``pg_dump --format=custom`` of the store's schema, restored by ``pg_restore`` in
  one transaction. Both come from the PostgreSQL client tools (Debian: postgresql-client),
  whose major version must be at least the server's.

>>> from minewatch.store import ItemQuery, open_store
>>> from minewatch.domain.records import Kind
>>> open_store(f"sqlite:///{tmp / 'demo.gpkg'}", create=True).close()
>>> backup(f"sqlite:///{tmp / 'demo.gpkg'}", tmp / "demo-2024-05-01.gpkg").name
'demo-2024-05-01.gpkg'
>>> restore(tmp / "demo-2024-05-01.gpkg", f"sqlite:///{tmp / 'new.gpkg'}")
>>> open_store(f"sqlite:///{tmp / 'new.gpkg'}").count_items(ItemQuery(Kind.HAZARDOUS_AREA))
0
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa

from minewatch.errors import InvalidInput, Location
from minewatch.store.geopackage import sqlite_path
from minewatch.store.postgis import engine_url


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def backup(url: str, destination: Path, *, overwrite: bool = False) -> Path:
    """Copy the store at ``url`` into the file ``destination``, online."""
    if destination.exists() and not overwrite:
        raise InvalidInput(
            "the backup file exists already; choose another name",
            Location(file=str(destination)),
        )
    if not destination.parent.is_dir():
        raise InvalidInput("no such folder", Location(file=str(destination.parent)))
    if is_postgres(url):
        _pg_dump(url, destination)
    else:
        _sqlite_copy(_existing(sqlite_path(url)), destination)
    return destination


def restore(backup_file: Path, url: str, *, replace: bool = False) -> None:
    """Bring back the store at ``url`` from ``backup_file`` (made by :func:`backup`).

    A GeoPackage is written only where no file is, unless ``replace``. A PostGIS backup is
    restored into its own schema, which must not hold minewatch's tables unless ``replace``
    (then they are dropped first, in the same transaction)."""
    _existing(backup_file)
    if is_postgres(url):
        _pg_restore(backup_file, url, replace)
        return
    target = sqlite_path(url)
    if target.exists() and not replace:
        raise InvalidInput(
            "a store exists here already; restore elsewhere or replace it explicitly",
            Location(file=str(target)),
        )
    _sqlite_copy(backup_file, target)


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise InvalidInput("no such file", Location(file=str(path)))
    return path


def _sqlite_copy(source: Path, target: Path) -> None:
    """The backup API from ``source`` into ``target`` (the whole database in one step, so
    from one snapshot), then an integrity check of the copy."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            damaged = dst.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"not a readable store: {exc}", Location(file=str(source))) from None
    finally:
        src.close()
    if damaged:
        raise InvalidInput(f"the copy in {target} fails SQLite's check", Location(file=str(source)))


def libpq_url(url: str) -> str:
    """A URL the PostgreSQL client tools read: ``postgresql://`` without SQLAlchemy's
    driver name; its query (e.g. ``options=-csearch_path=…``) is kept."""
    plain = "postgresql://" + engine_url(url).removeprefix("postgresql+psycopg://")
    parts = urlsplit(plain)
    return urlunsplit(parts._replace(query=urlencode(parse_qsl(parts.query))))


def store_schema(url: str) -> str:
    """The schema the store at ``url`` lives in (the first of its ``search_path``)."""
    engine = sa.create_engine(engine_url(url))
    try:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql("SELECT current_schema()").scalar())
    finally:
        engine.dispose()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise InvalidInput(
            f"{name} is not installed: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)"
        )
    return path


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InvalidInput(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


def _pg_dump(url: str, destination: Path) -> None:
    schema = store_schema(url)
    _run(
        [_tool("pg_dump"), "--format=custom", f"--schema={schema}", f"--file={destination}",
         f"--dbname={libpq_url(url)}"],
        "pg_dump",
    )  # fmt: skip


def _pg_restore(backup_file: Path, url: str, replace: bool) -> None:
    # Owners and grants are the target's business (roles differ between servers): run
    # `minewatch db create-roles` after restoring.
    command = [
        _tool("pg_restore"), "--single-transaction", "--exit-on-error", "--no-owner",
        "--no-privileges",
    ]  # fmt: skip
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, f"--dbname={libpq_url(url)}", str(backup_file)], "pg_restore")
