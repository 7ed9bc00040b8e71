"""The land release report as data: the tables (release by year, organisation, region and
method, the balance by region, the monthly series), each table with its ``total`` row, and
the JSON document that carries the accounting's totals beside the tables so a reader can
check. :mod:`minewatch.charts.landrelease` draws and writes them; the services serve them.

Every table is a sum of the accounting's pieces, so the report's totals equal the
accounting's.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from minewatch.analysis.landrelease import (
    LandReleaseAccounting,
    balance,
    monthly_series,
    released_by,
)

#: The report tables :func:`release_report_tables` builds, with what each groups by.
REPORT_TABLES: dict[str, tuple[str, ...]] = {
    "by_year": ("year",),
    "by_organisation": ("organisation_code",),
    "by_region": ("location_code",),
    "by_method": ("activity_type", "method"),
}


def release_report_tables(
    accounting: LandReleaseAccounting, *, regions: dict[str, str] | None = None
) -> dict[str, pd.DataFrame]:
    """The land release report: release by year, organisation, region and method, the
    balance by region, and the monthly series.

    ``regions`` maps location codes to region names (e.g. each location's ADM1 ancestor);
    without it, regions are the locations themselves. The organisation is the one that
    released the land (the product's). Every release table sums to the accounting's
    released total; the balance sums to its totals.
    """
    tables = {
        name: released_by(
            accounting, list(keys), mapping=regions if keys == ("location_code",) else None
        )
        for name, keys in REPORT_TABLES.items()
    }
    tables["balance_by_region"] = balance(accounting, "location_code", mapping=regions)
    tables["monthly"] = monthly_series(accounting)
    return tables


def with_total(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a last ``total`` row (the sum of every numeric column)."""
    flat = table.reset_index()
    total: dict[str, object] = {c: "" for c in flat.columns}
    total[flat.columns[0]] = "total"
    for column in table.columns:
        total[column] = float(table[column].sum())
    if "cumulative_m2" in table.columns:  # running figures have no meaningful sum
        total["cumulative_m2"] = float(table["cumulative_m2"].iloc[-1]) if len(table) else 0.0
        total["remaining_m2"] = float(table["remaining_m2"].iloc[-1]) if len(table) else np.nan
    return pd.concat([flat, pd.DataFrame([total])], ignore_index=True)


def report_document(
    accounting: LandReleaseAccounting, tables: dict[str, pd.DataFrame]
) -> dict[str, Any]:
    """The JSON report: the accounting's totals, the tables as records, the issue counts."""
    totals = {k: float(v) for k, v in accounting.totals().items()}
    issue_counts = accounting.issues.groupby("issue").size().to_dict()
    return {
        "units": "m² on the WGS84 ellipsoid",
        "precedence": "land is released once, by the first product covering it (release "
        "date, then cleared > reduced > cancelled on the same day, then code)",
        "area_tolerance_fraction": accounting.area_tolerance_fraction,
        "totals": totals,
        "tables": {
            name: json.loads(table.reset_index().to_json(orient="records"))
            for name, table in tables.items()
        },
        "issues": {str(k): int(v) for k, v in issue_counts.items()},
    }
