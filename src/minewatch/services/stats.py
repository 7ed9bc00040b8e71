"""A store at a glance: items by kind and status, hazardous-area surfaces, reports by state."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.records import RECORD_TYPES, Kind
from minewatch.store import ItemQuery, Repository


@dataclass
class Summary:
    """What :func:`summary` counts, with each table as plain rows.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> figures = summary(store)
    >>> figures.area_rows()
    [{'classification': 'SHA', 'status': 'open', 'count': 5, 'area_m2': 2693080.5}]
    >>> [row for row in figures.items_rows() if row["kind"] == "victim"]
    [{'kind': 'victim', 'status': '', 'count': 15}]
    """

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


def summary(store: Repository) -> Summary:
    """Counts per kind (and status where the kind has one) and hazardous-area totals (m²).

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> figures = summary(store)
    >>> figures.items[("hazardous_area", "open")], figures.reports[("hazardous_area", "submitted")]
    (5, 4)
    """
    out = Summary()
    for kind in RECORD_TYPES:
        for status, count in store.item_counts(kind).items():
            out.items[(kind.value, status)] += count
    out.reports.update(store.report_counts())
    frame = store.items_frame(ItemQuery(Kind.HAZARDOUS_AREA))
    if len(frame):
        frame["area_m2"] = ellipsoidal_area(frame.geometry.values)
        for (c, s), group in frame.groupby(["classification", "status"]):
            out.areas_m2[(str(c), str(s))] = float(group["area_m2"].sum())
            out.area_counts[(str(c), str(s))] = len(group)
    return out
