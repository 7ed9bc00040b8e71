"""The bulk path: many new items' reports (and, when approved, the items) written column by
column in one transaction (:meth:`BulkInsert.add_new_items`). ``_bulk_insert`` is the insert
each backend fills with its fast path (SQLite: raw inserts, R-tree filled after; PostGIS:
COPY); JSON cells are encoded here, once for both (:mod:`.json_cells`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa

from minewatch.domain.records import Kind, record_type
from minewatch.domain.reports import ReportAction, ReportState
from minewatch.domain.schema import field_specs, plain_column
from minewatch.store.base import NewItems
from minewatch.store.sql.base import SqlBase
from minewatch.store.sql.json_cells import changes_json, json_texts
from minewatch.store.tables import item_table, report_table


class BulkInsert(SqlBase):
    """Imports column by column (part of :class:`~minewatch.store.sql.SqlRepository`)."""

    def add_new_items(self, batch: NewItems) -> None:
        n = len(batch)
        if not n:
            return
        kind = Kind(batch.kind)
        decided = batch.state is ReportState.APPROVED
        submitted = batch.state is not ReportState.DRAFT
        geoms = (
            np.full(n, None, dtype=object)
            if batch.geometries is None
            else np.asarray(batch.geometries, dtype=object)
        )
        report_columns: dict[str, list[Any]] = {
            "id": batch.report_ids,
            "code": batch.report_codes,
            "kind": [kind.value] * n,
            "item_id": batch.item_ids,
            "item_code": batch.item_codes,
            "action": [ReportAction.CREATE.value] * n,
            "date_of_information": batch.dates_of_information,
            "state": [batch.state.value] * n,
            "version": [1] * n,
            "organisation_code": batch.organisation_codes,
            "created_by": [batch.actor] * n,
            "created_at": [batch.at] * n,
            "submitted_at": [batch.at if submitted else None] * n,
            "decided_by": [batch.actor if decided else None] * n,
            "decided_at": [batch.at if decided else None] * n,
            "decision_reason": [None] * n,
            "source": batch.sources,
            "external_id": batch.external_ids,
            "notes": json_texts(batch.notes),
            "changes": changes_json(batch.changes, n),
            "geometry_wkb": shapely.to_wkb(geoms).tolist(),
        }
        with self.transaction(), self._connection() as conn:
            self._bulk_insert(conn, report_table(self.dialect), report_columns, None)
            if decided:
                item_geoms = geoms if record_type(kind).geometry_type else None
                self._bulk_insert(
                    conn, item_table(self.dialect, kind), self._item_columns(batch), item_geoms
                )

    def _item_columns(self, batch: NewItems) -> dict[str, list[Any]]:
        n = len(batch)
        columns: dict[str, list[Any]] = {
            "id": batch.item_ids,
            "code": batch.item_codes,
            "version": [1] * n,
            "date_of_information": batch.dates_of_information,
            "external_id": batch.external_ids,
        }
        specs = field_specs(batch.kind)
        for name, values in batch.item_values.items():
            spec = specs[name]
            if spec.storage == "json":
                columns[name] = json_texts(plain_column(values))
            elif spec.enum is not None:
                columns[name] = plain_column(values)
            else:
                columns[name] = list(values)
        return columns

    def _bulk_insert(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: dict[str, list[Any]],
        geometries: np.ndarray | None,
    ) -> None:
        """Insert rows given column by column, in the open transaction, by the backend's fast
        path (SQLite: raw ``executemany``; PostGIS: COPY). JSON columns arrive as JSON text
        (:mod:`.json_cells`), other values as plain Python; ``geometries`` (shapely, or None)
        go in the kind's geometry column."""
        raise NotImplementedError
