"""Release statements: for each hazardous area with land released, what supports the release.

IMAS 07.11 asks that land be released with "justifiable confidence" that no explosive
ordnance remains. A statement puts in one place what a quality-management officer or a
donor needs to defend a release: the area's balance from the accounting, the evidence that
made it hazardous, every product and activity that released land (with the area each was
credited, what it repeated and what lay outside), the data-quality issues, and a residual-
risk figure with what that figure means.

The residual-risk figure is supplied by the caller (:class:`ResidualRisk`), per area:

* from a statistical bound — e.g. the zero-find bound of :mod:`minewatch.analysis.zero_find`
  (upper confidence bound on items left after searching a fraction of the area with a given
  probability of detection and finding nothing), via :func:`residual_risk_from_bound`;
* otherwise from the area's own ``residual_risk`` column (expected live items from the
  residual-hazard model), when the frame has one;
* otherwise the statement says "not assessed" — never a made-up number.

>>> import geopandas as gpd, shapely
>>> from minewatch.analysis.landrelease import account_land_release
>>> areas = gpd.GeoDataFrame({"code": ["HA-1"]}, geometry=[shapely.box(30, 0, 30.001, 0.001)],
...                          crs=4326)
>>> products = gpd.GeoDataFrame({"code": ["RP-1"], "product_type": ["cleared"],
...     "hazardous_area_code": ["HA-1"], "release_date": ["2024-03-01"]},
...     geometry=[shapely.box(30, 0, 30.001, 0.001)], crs=4326)
>>> acc = account_land_release(areas, products, area_tolerance_fraction=0.05)
>>> [s] = build_release_statements(acc, areas)
>>> s.fully_released, round(s.cleared_m2), s.residual_risk.assessed
(True, 12309, False)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from minewatch.analysis.landrelease import OVERLAY_NOISE_M2, LandReleaseAccounting
from minewatch.analysis.zero_find import ZeroFindBound


@dataclass(frozen=True)
class ResidualRisk:
    """A residual-risk figure and what it means.

    ``value`` in ``unit`` (e.g. 0.37 "live items, 95 % upper bound"); ``method`` says how it
    was computed (e.g. "zero-find bound, Poisson, f=0.1, p=0.9"), ``basis`` the inputs.
    """

    value: float | None = None
    unit: str = ""
    method: str = "not assessed"
    basis: str = ""

    @property
    def assessed(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class StatementProduct:
    """One product behind a release, with its ledger line from the accounting."""

    code: str
    product_type: str
    release_date: date | None
    activity_code: str | None
    activity_type: str | None
    method: str | None
    organisation_code: str | None
    credited_m2: float
    already_released_m2: float
    outside_m2: float
    reported_area_m2: float | None


@dataclass(frozen=True)
class StatementEvidence:
    type: str
    source: str
    note: str | None = None


@dataclass(frozen=True)
class ReleaseStatement:
    """What supports the release of one hazardous area."""

    hazardous_area_code: str
    name: str | None
    location_code: str | None
    organisation_code: str | None
    classification: str | None
    hazard_types: tuple[str, ...]
    original_m2: float
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    remaining_m2: float
    evidence: tuple[StatementEvidence, ...]
    products: tuple[StatementProduct, ...]
    issues: tuple[str, ...]
    residual_risk: ResidualRisk
    issued_on: date
    area_tolerance_fraction: float
    notes: tuple[str, ...] = field(default=())
    #: ``issues`` as (product or area code, issue code, detail), for a document that labels
    #: the issue in its own language.
    issue_rows: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def released_m2(self) -> float:
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2

    @property
    def fully_released(self) -> bool:
        """No land remains (below the floating-point residue of overlay)."""
        return self.remaining_m2 <= OVERLAY_NOISE_M2 * max(1.0, self.original_m2)


def residual_risk_from_bound(bound: ZeroFindBound) -> ResidualRisk:
    """The residual-risk figure of a zero-find bound (:mod:`minewatch.analysis.zero_find`).

    >>> from minewatch.analysis.zero_find import zero_find_poisson
    >>> risk = residual_risk_from_bound(zero_find_poisson(0.1, 0.9, 0.95))
    >>> round(risk.value, 2), risk.unit
    (30.29, 'items left, 95% upper bound')
    """
    return ResidualRisk(
        value=bound.items_upper,
        unit=f"items left, {bound.confidence:.0%} upper bound",
        method=f"zero-find bound ({bound.model})",
        basis=f"searched fraction f = {bound.searched_fraction:g}, probability of detection "
        f"p = {bound.detection_probability:g}, nothing found",
    )


RiskSource = Mapping[str, ResidualRisk] | Callable[[str], ResidualRisk | None] | None


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    return value


def _num(value: Any) -> float:
    return float(value)


def _evidence(value: Any) -> tuple[StatementEvidence, ...]:
    """Evidence from a record tuple, a list of dicts or its JSON text."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    items = []
    for item in value:
        if isinstance(item, Mapping):
            items.append(
                StatementEvidence(str(item.get("type")), str(item.get("source")), item.get("note"))
            )
        else:
            items.append(
                StatementEvidence(
                    str(getattr(item, "type", "")),
                    str(getattr(item, "source", "")),
                    getattr(item, "note", None),
                )
            )
    return tuple(items)


def _hazard_types(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("[") else value.split()
    return tuple(str(getattr(v, "value", v)) for v in value)


def _risk_for(code: str, source: RiskSource, model_value: Any) -> ResidualRisk:
    risk: ResidualRisk | None = None
    if callable(source):
        risk = source(code)
    elif source is not None:
        risk = source.get(code)
    if risk is not None:
        return risk
    model_value = _plain(model_value)
    if model_value is not None:
        return ResidualRisk(
            value=float(model_value),
            unit="expected live items",
            method="residual-hazard model (the area's residual_risk field)",
        )
    return ResidualRisk()


def _products_of(ledger: pd.DataFrame, pieces: pd.DataFrame) -> dict[str, list[StatementProduct]]:
    # activity type and method travel on the pieces (products that released something)
    extra = pieces.drop_duplicates("product_code").set_index("product_code")[
        ["activity_type", "method"]
    ]
    merged = ledger.join(extra, on="code")
    out: dict[str, list[StatementProduct]] = {}
    for row in merged.sort_values(["release_date", "code"]).itertuples(index=False):
        stamp = _plain(row.release_date)
        out.setdefault(str(row.hazardous_area_code), []).append(
            StatementProduct(
                code=str(row.code),
                product_type=str(row.product_type),
                release_date=pd.Timestamp(stamp).date() if stamp is not None else None,
                activity_code=_plain(row.activity_code),
                activity_type=_plain(row.activity_type),
                method=_plain(row.method),
                organisation_code=_plain(row.organisation_code),
                credited_m2=_num(row.credited_m2),
                already_released_m2=_num(row.already_released_m2),
                outside_m2=_num(row.outside_m2),
                reported_area_m2=_plain(row.reported_area_m2),
            )
        )
    return out


def issue_area_codes(accounting: LandReleaseAccounting) -> pd.Series:
    """The hazardous area each issue row belongs to (aligned with ``accounting.issues``):
    an area's own code, or the area a flagged product names.

    Why here: a statement and a per-area balance both list an area's issues, and product
    issues carry only the product's code.
    """
    ledger = accounting.products
    product_area = dict(zip(ledger["code"], ledger["hazardous_area_code"], strict=True))
    return accounting.issues["code"].map(lambda c: product_area.get(c, c))


def build_release_statements(
    accounting: LandReleaseAccounting,
    hazardous_areas: pd.DataFrame,
    *,
    residual_risk: RiskSource = None,
    codes: Sequence[str] | None = None,
    issued_on: date | None = None,
    fully_released_only: bool = False,
) -> list[ReleaseStatement]:
    """One statement per hazardous area that has land released (or those in ``codes``).

    ``hazardous_areas`` is the frame the accounting was run on; its optional columns
    ``name``, ``classification``, ``hazard_types``, ``evidence`` and ``residual_risk`` are
    carried into the statement. ``residual_risk`` gives the residual-risk figure per area
    code (a mapping or a function); see the module docstring for the fallbacks.
    """
    table = pd.DataFrame(accounting.areas.drop(columns="geometry")).set_index("hazardous_area_code")
    records = pd.DataFrame(hazardous_areas).set_index(pd.Index(hazardous_areas["code"].astype(str)))
    wanted = list(codes) if codes is not None else list(table.index[table["released_m2"] > 0])
    ledger = accounting.products
    pieces = pd.DataFrame(accounting.pieces.drop(columns="geometry"))
    products = _products_of(ledger[ledger["hazardous_area_code"].isin(wanted)], pieces)
    issues = accounting.issues
    issue_area = issue_area_codes(accounting)
    statements = []
    for code in wanted:
        row = table.loc[code]
        record = records.loc[code] if code in records.index else pd.Series(dtype=object)
        area_issues = issues[issue_area == code]
        statement = ReleaseStatement(
            hazardous_area_code=code,
            name=_plain(record.get("name")),
            location_code=_plain(row["location_code"]),
            organisation_code=_plain(row["organisation_code"]),
            classification=_plain(record.get("classification")),
            hazard_types=_hazard_types(record.get("hazard_types")),
            original_m2=_num(row["original_m2"]),
            cancelled_m2=_num(row["cancelled_m2"]),
            reduced_m2=_num(row["reduced_m2"]),
            cleared_m2=_num(row["cleared_m2"]),
            remaining_m2=_num(row["remaining_m2"]),
            evidence=_evidence(record.get("evidence")),
            products=tuple(products.get(code, ())),
            issues=tuple(f"{r.code}: {r.issue} — {r.detail}" for r in area_issues.itertuples()),
            issue_rows=tuple(
                (str(r.code), str(r.issue), str(r.detail)) for r in area_issues.itertuples()
            ),
            residual_risk=_risk_for(code, residual_risk, record.get("residual_risk")),
            issued_on=issued_on or date.today(),
            area_tolerance_fraction=accounting.area_tolerance_fraction,
        )
        if statement.fully_released or not fully_released_only:
            statements.append(statement)
    return statements
