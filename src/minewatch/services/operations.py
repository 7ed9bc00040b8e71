"""Running a store safely: backups and their restoration, and PostgreSQL's roles.

The command line's ``minewatch backup``, ``minewatch restore`` and ``minewatch db
create-roles`` call these; see docs/security.md for when and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from minewatch.services.audit import verify_audit_log
from minewatch.store import backup as backups
from minewatch.store import open_store
from minewatch.store.audit_chain import ChainReport
from minewatch.store.roles import RoleReport, create_roles

# The roles are set up by the store's own module: nothing to orchestrate around it.
__all__ = ["RoleReport", "StoreCopy", "backup_store", "create_roles", "restore_store"]


@dataclass(frozen=True)
class StoreCopy:
    """A backup taken or restored: where, and the audit chain it holds (its head hash is
    the one to record beside the backup).

    >>> copy = StoreCopy(Path("b.gpkg"), ChainReport(0, "0" * 64, []))
    >>> copy.audit.intact
    True
    """

    path: Path
    audit: ChainReport


def backup_store(url: str, destination: Path, *, overwrite: bool = False) -> StoreCopy:
    """Back up the store at ``url`` into ``destination`` while it stays in use, after
    checking that it is a current minewatch store.

    >>> open_store(str(tmp / "live.gpkg"), create=True).close()
    >>> copy = backup_store(str(tmp / "live.gpkg"), tmp / "backup.gpkg")
    >>> copy.path.name, copy.audit.intact, copy.audit.entries
    ('backup.gpkg', True, 0)
    """
    if backups.is_postgres(url):
        # A dump cannot be opened in place: check the chain first, so the head reported is
        # one the dump holds (entries are only ever appended).
        chain = _checked(url)
        backups.backup(url, destination, overwrite=overwrite)
        return StoreCopy(destination, chain)
    _checked(url, audit=False)
    backups.backup(url, destination, overwrite=overwrite)
    return StoreCopy(destination, _checked(str(destination)))


def _checked(url: str, *, audit: bool = True) -> ChainReport:
    """Open the store at ``url`` (InvalidInput unless it is a current minewatch store) and
    check its audit chain."""
    repo = open_store(url)
    try:
        return verify_audit_log(repo) if audit else ChainReport(0, "", [])
    finally:
        repo.close()


def restore_store(backup_file: Path, url: str, *, replace: bool = False) -> StoreCopy:
    """Restore ``backup_file`` to ``url``, then check the result: a current minewatch store
    whose audit chain is intact (the report says so; the caller decides what to do).

    >>> open_store(str(tmp / "live.gpkg"), create=True).close()
    >>> _ = backup_store(str(tmp / "live.gpkg"), tmp / "backup.gpkg")
    >>> restore_store(tmp / "backup.gpkg", str(tmp / "new.gpkg")).audit.intact
    True
    """
    backups.restore(backup_file, url, replace=replace)
    return StoreCopy(backup_file, _checked(url))
