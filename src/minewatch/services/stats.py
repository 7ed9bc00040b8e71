"""A store at a glance: items by kind and status, hazardous-area surfaces, reports by state."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.records import RECORD_TYPES, Kind
from minewatch.store import ItemQuery, SqlRepository
from minewatch.store.tables import item_table, report_table


@dataclass
class Summary:
    items: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, status) -> count
    areas_m2: dict[tuple[str, str], float] = field(default_factory=dict)  # (classification, status)
    area_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    reports: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, state) -> count

    def items_rows(self) -> list[dict[str, Any]]:
        return [{"kind": k, "status": s, "count": n} for (k, s), n in sorted(self.items.items())]

    def area_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "classification": c,
                "status": s,
                "count": self.area_counts[(c, s)],
                "area_m2": round(a, 1),
            }
            for (c, s), a in sorted(self.areas_m2.items())
        ]

    def report_rows(self) -> list[dict[str, Any]]:
        return [{"kind": k, "state": s, "count": n} for (k, s), n in sorted(self.reports.items())]


def summary(store: SqlRepository) -> Summary:
    """Counts per kind (and status where the kind has one) and hazardous-area totals (m²)."""
    out = Summary()
    with store.engine.connect() as conn:
        for kind in RECORD_TYPES:
            t = item_table(store.dialect, kind)
            status = t.c.status if "status" in t.c else sa.literal("")
            for value, count in conn.execute(
                sa.select(status, sa.func.count()).select_from(t).group_by(status)
            ):
                out.items[(kind.value, value or "")] += count
        r = report_table(store.dialect)
        for kind_value, state, count in conn.execute(
            sa.select(r.c.kind, r.c.state, sa.func.count()).group_by(r.c.kind, r.c.state)
        ):
            out.reports[(kind_value, state)] += count
    frame = store.items_frame(ItemQuery(Kind.HAZARDOUS_AREA))
    if len(frame):
        frame["area_m2"] = ellipsoidal_area(frame.geometry.values)
        for (c, s), group in frame.groupby(["classification", "status"]):
            out.areas_m2[(str(c), str(s))] = float(group["area_m2"].sum())
            out.area_counts[(str(c), str(s))] = len(group)
    return out
