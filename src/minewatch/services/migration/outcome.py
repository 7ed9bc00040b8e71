"""What a migration did, per source table (:class:`TableOutcome`) and in all
(:class:`MigrationOutcome`): rows read, landed, skipped as landed before, transformed (which
values became what, in how many rows) and rejected (file, table, row, field, reason), the
places found for rows without coordinates, and a sample of landed rows to check on a map.

>>> outcome = TableOutcome("Hazards", "hazardous_area", read=3, landed=2)
>>> outcome.accounted, outcome.as_dict()["rejected"]
(2, [])
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from minewatch.errors import InvalidInput
from minewatch.services.records import Rejection


@dataclass
class TableOutcome:
    """One source table's migration.

    Examples
    --------
    >>> TableOutcome("Victims", "victim", read=3, landed=3).accounted
    3
    """

    table: str
    kind: str | None
    read: int = 0
    landed: int = 0
    updated: int = 0  # later forms landed as reports updating an item landed from this table
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # row, key, item code
    rejected: list[Rejection] = field(default_factory=list)
    transformed: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    item_codes: list[str] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    places: Counter[str] = field(default_factory=Counter)  # match method → rows
    unmatched_places: Counter[str] = field(default_factory=Counter)  # name or P-code → rows
    skipped_table: str | None = None  # why the whole table was left out
    transformed_rows: int = 0  # landed rows with a value changed (a domain's, a value map's)

    @property
    def accounted(self) -> int:
        """Rows landed (as new items or later reports of one), skipped or rejected, or left
        out with their table (``skipped_table`` says why): equal to ``read`` unless the
        table was refused. ``transformed_rows`` are among the landed ones.

        >>> TableOutcome("GDB_Items", None, read=11, skipped_table="no kind").accounted
        11
        """
        if self.skipped_table is not None:
            return self.read
        return self.landed + self.updated + len(self.skipped) + len(self.rejected)

    def transform(self, field_name: str, column: str, before: Any, after: Any, rows: int) -> None:
        """Count ``rows`` whose ``column`` value ``before`` became ``after`` in ``field_name``."""
        if rows:
            self.transformed[(field_name, column, str(before), str(after))] += rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "kind": self.kind,
            "skipped_table": self.skipped_table,
            "read": self.read,
            "landed": self.landed,
            "transformed_rows": self.transformed_rows,
            "later_reports": self.updated,
            "skipped": len(self.skipped),
            "rejected_count": len(self.rejected),
            "accounted": self.accounted,
            "item_codes": list(self.item_codes),
            "transformed": [
                {"field": f, "column": c, "from": b, "to": a, "rows": n}
                for (f, c, b, a), n in sorted(self.transformed.items())
            ],
            "rejected": [
                {
                    "file": r.where.file,
                    "table": self.table,
                    "row": r.where.row,
                    "field": r.where.field,
                    "reason": r.reason,
                }
                for r in self.rejected
            ],
            "skipped_rows": [{"row": r, "key": k, "item_code": c} for r, k, c in self.skipped],
            "places": dict(self.places),
            "unmatched_places": dict(self.unmatched_places.most_common()),
            "sample": self.sample,
        }


@dataclass
class MigrationOutcome:
    """A whole migration: who ran it, when, whether it was a dry run and landed, per table.

    Examples
    --------
    >>> outcome = MigrationOutcome("archive.gdb", "amina", dry_run=True)
    >>> outcome.as_dict()["committed"], outcome.landed
    (False, 0)
    """

    source: str
    by: str
    dry_run: bool = False
    committed: bool = False
    started: datetime | None = None
    finished: datetime | None = None
    tables: list[TableOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)

    @property
    def landed(self) -> int:
        return sum(t.landed for t in self.tables)

    @property
    def rejected(self) -> list[Rejection]:
        return [r for t in self.tables for r in t.rejected]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "by": self.by,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "notes": list(self.notes),
            "attachment_tables": list(self.attachments),
            "tables": [t.as_dict() for t in self.tables],
        }


class MigrationRefused(InvalidInput):
    """Rows were rejected and the run was all or nothing: nothing landed. ``outcome`` lists
    every rejection.

    Examples
    --------
    >>> from minewatch.errors import Location
    >>> outcome = MigrationOutcome("archive.gdb", "amina")
    >>> outcome.tables.append(TableOutcome("Hazards", "hazardous_area", read=1,
    ...     rejected=[Rejection(Location("archive.gdb/Hazards", 1, "status"), "'x' is not one of: open")]))
    >>> print(MigrationRefused(outcome).message)
    1 row rejected, nothing migrated (first: archive.gdb/Hazards, row 1, field status: 'x' is not one
    of: open); fix the mapping or run with --keep-going
    """

    def __init__(self, outcome: MigrationOutcome) -> None:
        self.outcome = outcome
        rejected = outcome.rejected
        first = rejected[0]
        plural = "s" if len(rejected) != 1 else ""
        super().__init__(
            f"{len(rejected)} row{plural} rejected, nothing migrated (first: {first}); "
            "fix the mapping or run with --keep-going",
            first.where,
        )
