"""The Repository interface every storage backend implements.

Like pygeoapi's providers, each backend is one module behind this one base class and is
chosen by a URL: ``sqlite:///path/to/file.gpkg`` (the embedded GeoPackage default, also a
bare ``*.gpkg`` path) or ``postgresql://user@host/db`` (PostGIS). The same test suite runs
against both.

The store keeps two things: the reports (the only way data changes) and, for each kind, a
materialised table of the items' current state folded from their approved reports — the
layers QGIS and GDAL see. Services keep them consistent inside :meth:`Repository.transaction`.
"""

from __future__ import annotations

import abc
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from minewatch.domain.queries import ItemQuery, ReportQuery
from minewatch.domain.records import Kind, Record
from minewatch.domain.reports import Report, ReportState
from minewatch.store.account_base import AccountRepository, AttemptCounting

if TYPE_CHECKING:  # a type only: opening a store to read or write records loads no geopandas
    import geopandas as gpd

    from minewatch.store.pull_state import PullStates

__all__ = ["ItemQuery", "NewItems", "ReportQuery", "Repository"]


@dataclass
class NewItems:
    """A batch of new items, each created by one report, held column by column so that an
    import of a million features never builds a million objects.

    ``changes`` are the reports' field values (plain, as stored in a report) column by column:
    every report of the batch gives every field named, None for a blank;
    ``item_values`` the full typed columns of the items, defaults filled in, for when the
    reports are approved at once. List lengths all equal ``len(item_ids)``.
    """

    kind: Kind
    item_ids: list[str]
    item_codes: list[str]
    report_ids: list[str]
    report_codes: list[str]
    changes: dict[str, list[object]]
    item_values: dict[str, list[object]]
    geometries: object  # numpy array of shapely geometries (or None entries), or None
    dates_of_information: list[date]
    external_ids: list[str | None]
    sources: list[str | None]
    notes: list[list[str]]
    organisation_codes: list[str | None]
    state: ReportState
    actor: str
    at: datetime

    def __len__(self) -> int:
        return len(self.item_ids)


class Repository(abc.ABC):
    """Storage of reports and of items' current state, behind one interface."""

    url: str

    # -- lifecycle -------------------------------------------------------------------------
    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside the block land together or not at all. Blocks may nest."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abc.abstractmethod
    def accounts(self) -> AccountRepository:
        """The users, tokens, sessions and audit log kept in this store, written in its
        transactions (so an audit entry lands with the change it records)."""

    @abc.abstractmethod
    def login_attempts(self) -> AttemptCounting:
        """Counters of login attempts kept in this store, shared by every process using it
        (so the login throttle's budget holds however many server workers run)."""

    @abc.abstractmethod
    def pull_states(self) -> PullStates:
        """Where each pull from a KoboToolbox or ODK Central server stopped, written in this
        store's transactions (so the state moves with the reports a pull lands)."""

    # -- codes -----------------------------------------------------------------------------
    @abc.abstractmethod
    def next_codes(self, prefix: str, count: int = 1) -> list[str]:
        """``count`` fresh stable human-readable codes such as ``HA-000123``."""

    # -- reports ---------------------------------------------------------------------------
    @abc.abstractmethod
    def add_reports(self, reports: Sequence[Report]) -> None:
        """Store new reports (their codes already assigned)."""

    @abc.abstractmethod
    def add_new_items(self, batch: NewItems) -> None:
        """Store a batch of creating reports and, if they are approved, their items: the
        fast path for imports, equivalent to adding the reports and folding each item."""

    @abc.abstractmethod
    def update_report(
        self, report: Report, expected_version: int, expected_state: ReportState
    ) -> None:
        """Overwrite a stored report if it is still at ``expected_version`` and
        ``expected_state``, checked in the same statement as the write; raise StaleVersion
        if the version moved on, Conflict if only the state did (optimistic concurrency)."""

    @abc.abstractmethod
    def get_report(self, ref: str | uuid.UUID) -> Report:
        """A report by code or id; NotFound if none."""

    @abc.abstractmethod
    def find_reports_by_external_id(
        self, kind: Kind, external_ids: Iterable[str]
    ) -> dict[str, Report]:
        """The newest report for each of these external ids, keyed by external id."""

    @abc.abstractmethod
    def list_reports(self, query: ReportQuery) -> list[Report]:
        """Reports matching the query, newest first."""

    @abc.abstractmethod
    def reports_for_items(
        self, kind: Kind, item_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[Report]]:
        """Every report about each item (any state), keyed by item id."""

    # -- items (materialised current state) ---------------------------------------------------
    @abc.abstractmethod
    def put_items(self, records: Sequence[Record]) -> None:
        """Insert or replace the current state of these items (all of one kind)."""

    @abc.abstractmethod
    def get_item(self, kind: Kind, ref: str | uuid.UUID) -> Record:
        """An item's current state by code or id; NotFound if none."""

    @abc.abstractmethod
    def existing_codes(self, kind: Kind, codes: Iterable[str], *, pending: bool) -> set[str]:
        """Which of ``codes`` name an item of ``kind``; with ``pending``, also those of items
        whose creating report is still a draft or submitted. Reads codes only, not records:
        a migration checks hundreds of thousands of references this way."""

    @abc.abstractmethod
    def query_items(self, query: ItemQuery) -> list[Record]:
        """Items matching the query, ordered by code."""

    @abc.abstractmethod
    def count_items(self, query: ItemQuery) -> int:
        """How many items match (ignoring limit and offset)."""

    def query_items_counted(self, query: ItemQuery) -> tuple[list[Record], int]:
        """A page of matching items and how many match in all (ignoring limit and offset):
        what a paged API answers. Backends that can count in the same query override this."""
        return self.query_items(query), self.count_items(query)

    @abc.abstractmethod
    def item_counts(self, kind: Kind) -> dict[str, int]:
        """How many items of ``kind`` there are by status (``""`` for the items of a kind
        without a status, and for items whose status is not recorded)."""

    @abc.abstractmethod
    def report_counts(self) -> dict[tuple[str, str], int]:
        """How many reports there are by kind and state (``(kind, state)`` as plain values)."""

    @abc.abstractmethod
    def items_frame(self, query: ItemQuery) -> gpd.GeoDataFrame:
        """Matching items as a GeoDataFrame (columns named as the record's fields, WGS84),
        the form analyses take."""

    def iter_items(self, query: ItemQuery, batch_size: int = 10_000) -> Iterator[Record]:
        """All matching items, fetched in pages so memory stays bounded."""
        offset = query.offset
        while True:
            page = self.query_items(
                ItemQuery(**{**query.__dict__, "limit": batch_size, "offset": offset})
            )
            yield from page
            if len(page) < batch_size:
                return
            offset += batch_size
