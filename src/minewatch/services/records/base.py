"""What every part of the report workflow stands on: the store, the actor and the geometry
rules it acts under, blocks of changes that land together or not at all, and reading reports
and items as the actor may (:class:`WorkflowBase`).

>>> from minewatch.domain.access import local_admin
>>> from minewatch.store import open_store
>>> WorkflowBase(open_store(str(tmp / "demo.gpkg"), create=True), local_admin()).list_reports(
...     ReportQuery())
[]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from shapely.geometry.base import BaseGeometry

from minewatch.domain import access
from minewatch.domain.access import Actor
from minewatch.domain.geometry import DEFAULT_RULES, GeometryRules
from minewatch.domain.records import Kind, Record
from minewatch.domain.reports import Report
from minewatch.domain.schema import clean_code
from minewatch.errors import NotFound
from minewatch.store.base import ItemQuery, ReportQuery, Repository


class _RolledBack(Exception):
    """Ends a dry run inside its transaction, so that every write rolls back."""


class WorkflowBase:
    """Reports and items in one store, on behalf of one actor: what the parts of
    :class:`~minewatch.services.records.Workflow` share (it is the class to use).

    Examples
    --------
    >>> from minewatch.domain.access import Role, local_admin
    >>> from minewatch.store import open_store
    >>> base = WorkflowBase(open_store(str(tmp / "demo.gpkg"), create=True),
    ...                     local_admin("amina"))
    >>> base.actor.role is Role.ADMIN, base.rules.max_vertices
    (True, 100000)
    """

    def __init__(
        self,
        store: Repository,
        actor: Actor,
        *,
        rules: GeometryRules = DEFAULT_RULES,
        boundary: BaseGeometry | None = None,
    ) -> None:
        self.store = store
        self.actor = actor
        self.rules = rules
        self.boundary = boundary

    @contextmanager
    def all_or_nothing(self, *, dry_run: bool = False) -> Iterator[None]:
        """A block of changes (many reports, every batch of an import) that land together
        or not at all: an exception inside leaves nothing written. With ``dry_run`` the
        block runs to its end and then every write is rolled back, a check that writes
        nothing; so it must not be entered inside a transaction of the caller's, which
        that rollback could not undo.

        >>> from datetime import date
        >>> from minewatch.services.records import Workflow
        >>> from minewatch.store import open_store
        >>> store = open_store(str(tmp / "demo.gpkg"), create=True)
        >>> wf = Workflow(store, access.local_admin("amina"))
        >>> with wf.all_or_nothing(dry_run=True):
        ...     wf.create_draft(Kind.ORGANISATION, {"name": "NGO"}, None,
        ...                     date_of_information=date(2024, 5, 1)).kind.value
        'organisation'
        >>> store.list_reports(ReportQuery())
        []
        >>> store.close()
        """
        try:
            with self.store.transaction():
                yield
                if dry_run:
                    raise _RolledBack
        except _RolledBack:
            pass

    # -- reading --------------------------------------------------------------------------
    def get_report(self, ref: str) -> Report:
        report = self.store.get_report(ref)
        if not access.can_view_report(self.actor, report_org=report.organisation_code):
            raise NotFound("no report {code}", code=ref)
        return report

    def list_reports(self, query: ReportQuery) -> list[Report]:
        if not self.actor.at_least(access.Role.REVIEWER):
            if self.actor.role is not access.Role.DATA_WORKER:
                return []
            query = dataclasses.replace(query, organisation_code=self.actor.organisation_code)
        return self.store.list_reports(query)

    def get_item(self, kind: Kind | str, ref: str) -> Record:
        return self.store.get_item(Kind(kind), clean_code(ref))

    def list_items(self, query: ItemQuery) -> list[Record]:
        return self.store.query_items(query)
