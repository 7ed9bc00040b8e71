"""A store at a glance: items by kind and status, hazardous areas by classification and
release progress (the land release accounting's: an area fully released counts as released
whatever its register status still says, as on the dashboard), reports by state."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from minewatch.domain.records import RECORD_TYPES, Kind
from minewatch.store import ItemQuery, Repository


@dataclass
class Summary:
    """What :func:`summary` counts, with each table as plain rows.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> figures = summary(store)
    >>> [(r["progress"], r["count"], round(r["original_m2"]), round(r["remaining_m2"]))
    ...  for r in figures.area_rows()]   # the dashboard's and the land release page's figures
    [('not_released', 3, 1673002, 1673002), ('partly_released', 1, 112216, 52167), ('released',
     1, 907863, 0)]
    >>> [row for row in figures.items_rows() if row["kind"] == "victim"]
    [{'kind': 'victim', 'status': '', 'count': 15}]
    """

    items: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, status) -> count
    # (classification, release progress) -> original and remaining m² (the accounting's)
    areas_m2: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    area_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    reports: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, state) -> count

    def items_rows(self) -> list[dict[str, Any]]:
        return [{"kind": k, "status": s, "count": n} for (k, s), n in sorted(self.items.items())]

    def area_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "classification": c,
                "progress": p,
                "count": self.area_counts[(c, p)],
                "original_m2": round(original, 1),
                "remaining_m2": round(remaining, 1),
            }
            for (c, p), (original, remaining) in sorted(self.areas_m2.items())
        ]

    def report_rows(self) -> list[dict[str, Any]]:
        return [{"kind": k, "state": s, "count": n} for (k, s), n in sorted(self.reports.items())]


def summary(store: Repository) -> Summary:
    """Counts per kind (and status where the kind has one) and hazardous-area totals (m², on
    the ellipsoid, by the land release accounting).

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
    register = store.items_frame(ItemQuery(Kind.HAZARDOUS_AREA))
    if not len(register):
        return out
    from minewatch.analysis.landrelease import release_progress
    from minewatch.services import landrelease

    accounting, _ = landrelease.account(store)
    balances = accounting.areas.merge(
        register[["code", "classification"]], left_on="hazardous_area_code", right_on="code"
    )
    balances["progress"] = release_progress(balances["remaining_m2"], balances["released_m2"])
    for (c, p), group in balances.groupby(["classification", "progress"]):
        key = (str(c), str(p))
        out.areas_m2[key] = (float(group["original_m2"].sum()), float(group["remaining_m2"].sum()))
        out.area_counts[key] = len(group)
    return out
