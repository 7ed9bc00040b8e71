"""Land release accounting over the store: read the approved hazardous areas and release
products, run :func:`minewatch.analysis.landrelease.account_land_release`, and produce the
balance, the report tables and the release statements (drawn by :mod:`minewatch.charts`).

The store holds the approved (folded) state of every item, so what is read here is what
was approved. The accounting always runs over *every* product of the selected areas, even
when a period is asked for: which product released a piece of land first depends on the
products before the period too. The period then selects what is reported.

Filters:

* ``hazardous_areas``: these area codes;
* ``locations``: areas in these gazetteer entries or any entry below them (``parent_code``);
* ``organisations``: areas these organisations are responsible for (the area's
  ``organisation_code``; who released the land is a column of the release tables);
* ``start``/``end``: the reporting period (release date, both ends inclusive).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from minewatch.analysis.landrelease import (
    LandReleaseAccounting,
    account_land_release,
    balance,
    period_balance,
)
from minewatch.analysis.release_report import (
    REPORT_TABLES,
    release_report_tables,
    report_document,
    with_total,
)
from minewatch.analysis.release_statement import (
    ReleaseStatement,
    ResidualRisk,
    RiskSource,
    build_release_statements,
    issue_area_codes,
    residual_risk_from_bound,
)
from minewatch.analysis.zero_find import zero_find_poisson
from minewatch.config import NationalConfig, load_config
from minewatch.domain.cells import safe_frame
from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.services.recent import RecentResults, digest_frame
from minewatch.store import ItemQuery, Repository


@dataclass(frozen=True)
class ReleaseFilter:
    """Which hazardous areas and which period to report (see the module docstring).

    Examples
    --------
    >>> ReleaseFilter(organisations=["ORG-000002"], start=date(2024, 1, 1)).end is None
    True
    >>> ReleaseFilter(start=date(2024, 6, 1), end=date(2024, 1, 1))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field start: the period starts after it ends
    """

    hazardous_areas: Sequence[str] | None = None
    locations: Sequence[str] | None = None
    organisations: Sequence[str] | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise InvalidInput("the period starts after it ends", Location(field="start"))


def configured_area_tolerance(config: NationalConfig | None = None) -> float:
    """``[landrelease] area_tolerance_fraction`` from the national configuration.

    Examples
    --------
    >>> configured_area_tolerance()   # the shipped default
    0.05
    """
    return float((config or load_config()).landrelease.area_tolerance_fraction)


def locations_below(locations: pd.DataFrame, roots: Sequence[str]) -> set[str]:
    """The codes of ``roots`` and every gazetteer entry below them.

    Examples
    --------
    >>> locations = pd.DataFrame({"code": ["LOC-1", "LOC-2", "LOC-3"],
    ...                           "name": ["North", "Hill district", "Valley"],
    ...                           "level": ["adm1", "adm2", "adm2"],
    ...                           "parent_code": [None, "LOC-1", "LOC-1"]})
    >>> sorted(locations_below(locations, ["LOC-1"])), sorted(locations_below(locations, ["LOC-3"]))
    (['LOC-1', 'LOC-2', 'LOC-3'], ['LOC-3'])
    """
    children = locations.groupby("parent_code")["code"].apply(list).to_dict()
    found, frontier = set(roots), list(roots)
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, []) if c not in found]
        found.update(frontier)
    return found


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


def _frame(store: Repository, kind: Kind) -> gpd.GeoDataFrame:
    return store.items_frame(ItemQuery(kind=kind))


def _plain_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(frame)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(columns)]


@dataclass(frozen=True)
class ReleaseInputs:
    """What the accounting reads from the store, already filtered.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> inputs = load_inputs(store, ReleaseFilter())
    >>> len(inputs.areas), len(inputs.products), list(inputs.locations.columns)
    (5, 3, ['code', 'name', 'level', 'parent_code'])
    """

    areas: gpd.GeoDataFrame
    products: gpd.GeoDataFrame
    locations: pd.DataFrame


def load_inputs(store: Repository, where: ReleaseFilter) -> ReleaseInputs:
    """Approved hazardous areas (filtered) and all their products, with activity type and
    method joined from the land release activities.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> inputs = load_inputs(store, ReleaseFilter(hazardous_areas=["HA-000001"]))
    >>> list(inputs.areas["code"])
    ['HA-000001']
    >>> inputs.products[["code", "product_type", "activity_type"]]
            code product_type     activity_type
    0  RP-000001      reduced  technical_survey
    1  RP-000002    cancelled  technical_survey
    """
    areas = _frame(store, Kind.HAZARDOUS_AREA)
    locations = _plain_columns(
        _frame(store, Kind.LOCATION), ("code", "name", "level", "parent_code")
    )
    keep = pd.Series(True, index=areas.index)
    if where.hazardous_areas is not None:
        keep &= areas["code"].isin(list(where.hazardous_areas))
    if where.locations is not None:
        keep &= areas["location_code"].isin(locations_below(locations, where.locations))
    if where.organisations is not None:
        keep &= areas["organisation_code"].isin(list(where.organisations))
    areas = areas[keep].reset_index(drop=True)
    products = _frame(store, Kind.RELEASE_PRODUCT)
    products = products[products["hazardous_area_code"].isin(areas["code"])]
    activities = _plain_columns(
        _frame(store, Kind.LAND_RELEASE_ACTIVITY), ("code", "activity_type", "method")
    ).set_index("code")
    products = products.join(activities, on="activity_code").reset_index(drop=True)
    return ReleaseInputs(areas=areas, products=products, locations=locations)


def account(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    area_tolerance_fraction: float | None = None,
    config: NationalConfig | None = None,
) -> tuple[LandReleaseAccounting, ReleaseInputs]:
    """The accounting for the filtered areas (tolerance from national configuration unless
    given).

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> accounting, inputs = account(store)
    >>> accounting.areas[["hazardous_area_code", "original_m2", "released_m2", "remaining_m2"]].round()
      hazardous_area_code  original_m2  released_m2  remaining_m2
    0           HA-000001     907863.0     907863.0           0.0
    1           HA-000002     258143.0          0.0      258143.0
    2           HA-000003     327358.0          0.0      327358.0
    3           HA-000004     112216.0      60049.0       52167.0
    4           HA-000005    1087502.0          0.0     1087502.0
    """
    tolerance = (
        configured_area_tolerance(config)
        if area_tolerance_fraction is None
        else area_tolerance_fraction
    )
    inputs = load_inputs(store, where)
    key = hashlib.blake2b(repr(tolerance).encode(), digest_size=20)
    digest_frame(key, inputs.areas)
    digest_frame(key, inputs.products)
    accounting = _RECENT.get_or_compute(
        key.digest(),
        lambda: account_land_release(
            inputs.areas, inputs.products, area_tolerance_fraction=tolerance
        ),
    )
    return accounting, inputs


#: The accountings of the last two selections, keyed by the content of the areas and
#: products read and the tolerance. Why: the Land release page asks for the balances, the
#: issues and the report of one selection in turn, and the overlay is the costly part
#: (about 20 s for 100,000 areas), while reading the store again is not.
_RECENT = RecentResults[LandReleaseAccounting](size=2)


def balance_table(
    accounting: LandReleaseAccounting, where: ReleaseFilter, by: str | None
) -> pd.DataFrame:
    """The balance, or the period's balance when the filter has a period.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> accounting, _ = account(store)
    >>> balance_table(accounting, ReleaseFilter(), by=None).round().T
                      total
    original_m2   2693081.0
    cancelled_m2   384455.0
    reduced_m2     583456.0
    cleared_m2          0.0
    remaining_m2  1725169.0
    released_m2    967911.0
    """
    if where.start or where.end:
        return period_balance(accounting, where.start, where.end, by)
    return balance(accounting, by)


def release_statements(
    store: Repository,
    where: ReleaseFilter = ReleaseFilter(),
    *,
    residual_risk: RiskSource = None,
    fully_released_only: bool = False,
    issued_on: date | None = None,
    area_tolerance_fraction: float | None = None,
    config: NationalConfig | None = None,
) -> list[ReleaseStatement]:
    """The release statements of the filtered areas with land released (drawn as HTML and
    PDF certificates by :mod:`minewatch.charts.release_statement`).

    ``residual_risk`` gives each area's figure, a mapping or a function of the area code
    (see :mod:`minewatch.analysis.release_statement`), e.g. a zero-find bound through
    :func:`minewatch.analysis.release_statement.residual_risk_from_bound`.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> statements = release_statements(store, issued_on=date(2025, 1, 15))
    >>> [(s.hazardous_area_code, round(s.released_m2)) for s in statements]
    [('HA-000001', 907863), ('HA-000004', 60049)]
    """
    accounting, inputs = account(
        store, where, area_tolerance_fraction=area_tolerance_fraction, config=config
    )
    return build_release_statements(
        accounting,
        inputs.areas,
        residual_risk=residual_risk,
        issued_on=issued_on,
        fully_released_only=fully_released_only,
    )


def risk_from_search(
    searched_fraction: float | None, detection_probability: float | None, confidence: float
) -> RiskSource:
    """The residual-risk source "every area was searched over a fraction f with detection
    probability p and nothing was found": the Poisson zero-find bound, the same for every
    area; None when neither figure is given (each area's own ``residual_risk`` applies).

    Examples
    --------
    >>> risk = risk_from_search(0.1, 0.9, 0.95)
    >>> risk("HA-000001") == risk("HA-000002")   # the same bound for every area
    True
    >>> risk_from_search(None, None, 0.95) is None
    True
    >>> risk_from_search(0.1, None, 0.95)
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field detection_probability: give both the searched fraction and
     the probability of detection
    """
    if searched_fraction is None and detection_probability is None:
        return None
    if searched_fraction is None or detection_probability is None:
        missing = "searched_fraction" if searched_fraction is None else "detection_probability"
        raise InvalidInput(
            "give both the searched fraction and the probability of detection",
            Location(field=missing),
        )
    bound = residual_risk_from_bound(
        zero_find_poisson(searched_fraction, detection_probability, confidence)
    )

    def same_for_every_area(_code: str) -> ResidualRisk:
        return bound

    return same_for_every_area


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
    ordered by code, with the data-quality issues of the area and its products as flags.

    The totals cover every matched area, not just the page, and balance as each row does.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> page = area_balances(store, ReleaseFilter(hazardous_areas=["HA-000001"]))
    >>> row = page.rows[0]
    >>> row["hazardous_area_code"], round(row["released_m2"]), row["flags"]
    ('HA-000001', 907863, ['already_released'])
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


def release_statement(
    store: Repository,
    code: str,
    *,
    residual_risk: RiskSource = None,
    issued_on: date | None = None,
    config: NationalConfig | None = None,
) -> ReleaseStatement:
    """The release statement of one hazardous area; NotFound unless it has land released.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> statement = release_statement(store, "HA-000001", issued_on=date(2025, 1, 15))
    >>> statement.hazardous_area_code, statement.issued_on
    ('HA-000001', datetime.date(2025, 1, 15))
    >>> release_statement(store, "HA-000005")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: hazardous area HA-000005 has no approved land release
    """
    accounting, inputs = account(store, ReleaseFilter(hazardous_areas=[code]), config=config)
    released = accounting.areas.loc[accounting.areas["released_m2"] > 0, "hazardous_area_code"]
    if code not in set(released):
        raise NotFound(f"hazardous area {code} has no approved land release")
    [statement] = build_release_statements(
        accounting, inputs.areas, residual_risk=residual_risk, codes=[code], issued_on=issued_on
    )
    return statement
