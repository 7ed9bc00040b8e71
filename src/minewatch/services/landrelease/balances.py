"""What the Land release page shows: the per-area balance a page at a time with its totals
and data-quality flags (:func:`area_balances`), the issues with their areas
(:func:`issues_table`), and rows as JSON (:func:`json_records`).

>>> import pandas as pd
>>> json_records(pd.DataFrame({"released_m2": [1.5]}))
[{'released_m2': 1.5}]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from minewatch.analysis.landrelease import release_progress
from minewatch.analysis.release_statement import (
    issue_area_codes,
)
from minewatch.config import NationalConfig
from minewatch.services.landrelease.accounting import account, balance_table
from minewatch.services.landrelease.inputs import ReleaseFilter
from minewatch.store import Repository


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (numpy scalars as numbers, NaN and NaT as None).

    Examples
    --------
    >>> json_records(pd.DataFrame({"code": ["HA-1", "HA-2"], "area_m2": [12.5, float("nan")],
    ...                            "on": pd.to_datetime(["2024-05-01", None])}))
    [{'code': 'HA-1', 'area_m2': 12.5, 'on': '2024-05-01T00:00:00.000'}, {'code': 'HA-2', 'area_m2':
     None, 'on': None}]
    """
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return records


@dataclass(frozen=True)
class AreaBalancePage:
    """One page of the per-area balance, how many areas matched, and their totals.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> page = area_balances(store, limit=2)
    >>> page.matched, [row["hazardous_area_code"] for row in page.rows], page.columns
    (5, ['HA-000001', 'HA-000002'], ['original_m2', 'cancelled_m2', 'reduced_m2', 'cleared_m2',
     'remaining_m2', 'released_m2'])
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    matched: int
    totals: dict[str, float]


def area_balances(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    offset: int = 0,
    limit: int = 50,
    config: NationalConfig | None = None,
) -> AreaBalancePage:
    """The balance of each filtered hazardous area (of the period, when one is given),
    ordered by code, with its release progress (``progress``: released, partly or not, from
    that balance) and the data-quality issues of the area and its products as flags.

    The totals cover every matched area, not just the page, and balance as each row does.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> page = area_balances(store, ReleaseFilter(hazardous_areas=["HA-000001"]))
    >>> row = page.rows[0]
    >>> row["hazardous_area_code"], round(row["released_m2"]), row["progress"], row["flags"]
    ('HA-000001', 907863, 'released', ['already_released'])
    """
    accounting, _ = account(store, where, config=config)
    table = balance_table(accounting, where, "hazardous_area_code")
    figures = [str(c) for c in table.columns]
    flags = (
        accounting.issues.assign(area=issue_area_codes(accounting).to_numpy())
        .groupby("area")["issue"]
        .agg(lambda issues: sorted(set(issues)))
    )
    page = table.iloc[offset : offset + limit].reset_index()
    page["progress"] = release_progress(page["remaining_m2"], page["released_m2"])
    page["flags"] = [flags.get(code, []) for code in page["hazardous_area_code"]]
    totals = {str(k): float(v) for k, v in table.sum().items()} if len(table) else {}
    return AreaBalancePage(
        columns=figures, rows=json_records(page), matched=len(table), totals=totals
    )


def issues_table(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    config: NationalConfig | None = None,
) -> pd.DataFrame:
    """The data-quality issues of the filtered areas and their products, each with the
    hazardous area it belongs to.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> issues = issues_table(store)
    >>> list(issues.columns)
    ['record_kind', 'code', 'issue', 'measured_m2', 'reported_m2', 'detail', 'hazardous_area_code']
    """
    accounting, _ = account(store, where, config=config)
    return accounting.issues.assign(hazardous_area_code=issue_area_codes(accounting).to_numpy())
