"""The composition root: the one place the CLI and the API build what they act through.

Both front doors call :func:`open_context` with a store URL and the path of the national
configuration (or None for the shipped defaults), then act through
:meth:`AppContext.workflow` for a given actor. So a polygon is checked under the same
geometry rules and national boundary, and an area classified, accounted and ranked under
the same settings, whichever door it came through. Nothing here reads the environment: the
CLI and the server's entry point turn options and variables into arguments.

>>> from minewatch.domain.access import local_admin
>>> with open_context(str(tmp / "x.gpkg"), create=True) as ctx:
...     wf = ctx.workflow(local_admin("ana"))
...     (wf.actor.username, ctx.configuration.source)
('ana', None)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from minewatch.config import NationalConfig, load_config
from minewatch.domain.access import Actor
from minewatch.priority_config import PriorityConfig, priority_config_from_national
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.store import open_store

# The store interface the front doors hold (they take it from here, not from the store).
from minewatch.store.base import Repository as Repository


@dataclass(frozen=True)
class Configuration:
    """The national configuration as the services use it, read and checked once.

    ``national`` is the validated file over the shipped defaults; ``priority`` its
    ``[priority]`` section over the shipped prioritisation defaults (relative context files
    resolved against the file's folder); ``boundary`` the national boundary polygon it names,
    read once, or None. ``source`` is the file (None: the shipped defaults).

    >>> cfg = load_configuration(None)
    >>> cfg.boundary is None, cfg.national.geometry.repair_invalid in (True, False)
    (True, True)
    """

    national: NationalConfig
    priority: PriorityConfig
    boundary: BaseGeometry | None = None
    source: Path | None = None


def load_configuration(path: str | Path | None) -> Configuration:
    """Read the national configuration at ``path`` (None: the shipped defaults).

    Raises :class:`minewatch.errors.InvalidInput` naming the file and the key for a bad
    file, and for a boundary file that has no polygon.

    >>> load_configuration(None).priority.default_scenario
    'balanced'
    """
    source = Path(path).resolve() if path else None
    national = load_config(source)
    boundary_file = national.geometry.national_boundary
    boundary = None
    if boundary_file:
        # Read through GDAL only when a boundary is configured: every CLI command that opens a
        # store comes through here, and pyogrio with geopandas costs ~0.3 s of CPU to load.
        from minewatch.io.geodata import read_boundary

        boundary = read_boundary(boundary_file)
    return Configuration(
        national=national,
        priority=priority_config_from_national(
            national.priority, source.parent if source else None
        ),
        boundary=boundary,
        source=source,
    )


@dataclass
class AppContext:
    """The long-lived objects of one process: the store, its accounts and audit log, and the
    national configuration. Everything that changes or reads records goes through
    :meth:`workflow`.

    Examples
    --------
    >>> from shapely import box
    >>> from datetime import date
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.domain.records import Kind
    >>> ctx = open_context(str(tmp / "demo.gpkg"), create=True)
    >>> wf = ctx.workflow(local_admin("ana"))
    >>> draft = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "open"}, box(30, -1, 30.01, -0.99),
    ...                         date_of_information=date(2024, 5, 1))
    >>> [(e.actor, e.action) for e in ctx.accounts.store.list_audit()]
    [('ana', 'create_report')]
    >>> ctx.close()
    """

    store: Repository
    accounts: Accounts
    configuration: Configuration
    _owns_store: bool = field(default=True, repr=False)

    def workflow(self, actor: Actor) -> AuditedWorkflow:
        """The report workflow acting for ``actor``: every change audited, every read
        disclosed as the actor may see it, geometry checked under the configuration's rules
        and inside its national boundary."""
        return AuditedWorkflow(
            self.store,
            actor,
            self.accounts,
            rules=self.configuration.national.geometry,
            boundary=self.configuration.boundary,
        )

    def close(self) -> None:
        """Release the store's connections, if this context opened it."""
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_context(
    store: str | Repository,
    config_path: str | Path | None = None,
    *,
    create: bool = False,
) -> AppContext:
    """Build the application context for ``store`` (a URL or path, or an open repository,
    which the caller keeps and closes) under the national configuration at ``config_path``
    (None: the shipped defaults). The context is its own ``with`` block: it closes the
    store it opened at the block's end.

    The configuration is read before the store is opened, so a bad file fails first and
    names the key. With ``create``, a missing store is made (or an old one upgraded).

    Examples
    --------
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "demo.gpkg"), create=True)
    >>> ctx = open_context(store)   # the caller's store: closing the context leaves it open
    >>> ctx.configuration.source is None, ctx.store is store
    (True, True)
    >>> with open_context(str(tmp / "other.gpkg"), create=True) as owned:
    ...     owned.accounts.has_admin()
    False
    >>> _ = (tmp / "national.toml").write_text("[geometry]\\nmax_vertex_gap_m = -1\\n")
    >>> open_context(store, tmp / "national.toml")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: /...national.toml, field geometry.max_vertex_gap_m: Input should
     be greater than 0 (1 problem(s) in total)
    """
    configuration = load_configuration(config_path)
    owns = isinstance(store, str)
    repo = open_store(store, create=create) if isinstance(store, str) else store
    return AppContext(repo, Accounts(repo), configuration, owns)
