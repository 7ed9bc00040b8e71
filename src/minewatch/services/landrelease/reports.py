"""The land release report: its tables by year, organisation, region (named at a gazetteer
level: :func:`region_names`), method, the balance by region and the monthly series, as frames,
the JSON document and one table as CSV.

>>> REPORT_TABLE_NAMES[-2:]
('balance_by_region', 'monthly')
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from minewatch.analysis.landrelease import (
    LandReleaseAccounting,
)
from minewatch.analysis.release_report import (
    REPORT_TABLES,
    release_report_tables,
    report_document,
    with_total,
)
from minewatch.config import NationalConfig
from minewatch.domain.cells import safe_frame
from minewatch.errors import InvalidInput, Location
from minewatch.services.landrelease.accounting import account
from minewatch.services.landrelease.inputs import ReleaseFilter
from minewatch.store import Repository


def region_names(locations: pd.DataFrame, level: str = "adm1") -> dict[str, str]:
    """Each location code → the name of its ancestor (or itself) at ``level``.

    Locations above ``level`` or outside the hierarchy map to themselves' names, so nothing
    drops out of a report.

    Examples
    --------
    >>> locations = pd.DataFrame({"code": ["LOC-1", "LOC-2", "LOC-3"],
    ...                           "name": ["North", "Hill district", "Valley"],
    ...                           "level": ["adm1", "adm2", "adm2"],
    ...                           "parent_code": [None, "LOC-1", "LOC-1"]})
    >>> region_names(locations)
    {'LOC-1': 'North (LOC-1)', 'LOC-2': 'North (LOC-1)', 'LOC-3': 'North (LOC-1)'}
    """
    if locations.empty:
        return {}
    parent = dict(zip(locations["code"], locations["parent_code"], strict=True))
    levels = dict(zip(locations["code"], locations["level"].astype(str), strict=True))
    names = dict(zip(locations["code"], locations["name"].fillna(locations["code"]), strict=True))
    out: dict[str, str] = {}
    for code in locations["code"]:
        node = code
        for _ in range(len(parent)):  # bounded: a cycle in bad data cannot hang
            if levels.get(node) == level:
                break
            up = parent.get(node)
            if not isinstance(up, str) or up not in parent:
                node = code
                break
            node = up
        else:
            node = code
        out[code] = f"{names[node]} ({node})"
    return out


def report(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    region_level: str = "adm1",
    area_tolerance_fraction: float | None = None,
    config: NationalConfig | None = None,
) -> tuple[LandReleaseAccounting, dict[str, pd.DataFrame]]:
    """The accounting and the report tables (by year, organisation, region, method, the
    balance by region and the monthly series), regions named at ``region_level``; the
    report files are drawn by :func:`minewatch.charts.landrelease.write_release_report`.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> accounting, tables = report(store)
    >>> list(tables)
    ['by_year', 'by_organisation', 'by_region', 'by_method', 'balance_by_region', 'monthly']
    >>> tables["by_year"].round()
          cancelled_m2  reduced_m2  cleared_m2  released_m2
    year
    2024      384455.0    583456.0         0.0     967911.0
    """
    accounting, inputs = account(
        store, where, area_tolerance_fraction=area_tolerance_fraction, config=config
    )
    regions = region_names(inputs.locations, region_level)
    return accounting, release_report_tables(accounting, regions=regions or None)


def report_json(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    region_level: str = "adm1",
    config: NationalConfig | None = None,
) -> dict[str, Any]:
    """The report as the JSON document ``minewatch release report`` writes.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> document = report_json(store)
    >>> sorted(document)
    ['area_tolerance_fraction', 'issues', 'precedence', 'tables', 'totals', 'units']
    """
    accounting, tables = report(store, where, region_level=region_level, config=config)
    document: dict[str, Any] = json.loads(
        json.dumps(report_document(accounting, tables), default=str)
    )
    return document


#: The tables a report has, in order (the monthly series and the balance by region last).
REPORT_TABLE_NAMES: tuple[str, ...] = (*REPORT_TABLES, "balance_by_region", "monthly")


def report_csv(
    store: Repository,
    table: str,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    region_level: str = "adm1",
    config: NationalConfig | None = None,
) -> str:
    """One report table as CSV with its ``total`` row, as ``minewatch release report``
    writes it.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> print(report_csv(store, "by_method"))
    activity_type,method,cancelled_m2,reduced_m2,cleared_m2,released_m2
    technical_survey,manual,384455.49...,583455.96...,0.0,967911.46...
    total,,384455.49...,583455.96...,0.0,967911.46...
    <BLANKLINE>
    >>> report_csv(store, "by_colour")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field table: table must be one of by_year, by_organisation,
     by_region, by_method, balance_by_region, monthly
    """
    if table not in REPORT_TABLE_NAMES:
        allowed = ", ".join(REPORT_TABLE_NAMES)
        raise InvalidInput(f"table must be one of {allowed}", Location(field="table"))
    _, tables = report(store, where, region_level=region_level, config=config)
    text: str = safe_frame(with_total(tables[table])).to_csv(index=False)
    return text
