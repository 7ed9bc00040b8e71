"""The figures behind the web dashboards: land release progress, casualties, the treaty
timeline and status map, residual-hazard curves, and a map layer as known on a date.

Each function takes an :class:`~minewatch.services.audited.AuditedWorkflow`, so the same
disclosure rules as every other output apply: the public sees published kinds only, and
casualty figures (built from victims, a kind about people) need a signed-in staff member.
Only counts and areas leave this module, never a victim's personal fields.

>>> from shapely import box
>>> from minewatch.domain.access import PUBLIC, local_admin
>>> from minewatch.domain.reports import ReportState
>>> from minewatch.services.accounts import Accounts
>>> from minewatch.services.records import Draft, Workflow
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "demo.gpkg"), create=True)
>>> areas = [Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 5, 1),
...                box(30 + i / 100, -1, 30.005 + i / 100, -0.995)) for i in range(3)]
>>> _ = Workflow(store, local_admin()).create_drafts(areas, state=ReportState.APPROVED)
>>> wf = AuditedWorkflow(store, PUBLIC, Accounts(store))
>>> land_release(wf)["hazardous_areas"]
[{'progress': 'not_released', 'status': 'open', 'classification': 'SHA', 'count': 3,
  'original_m2': 923044.2, 'remaining_m2': 923044.2}]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from minewatch.analysis.landrelease import balance, release_progress, released_pieces
from minewatch.analysis.residual.curves import decay_curve
from minewatch.analysis.residual.design import Independent, Mechanism, MineDesign
from minewatch.analysis.residual.design import Strike as ResidualStrike
from minewatch.analysis.residual.spec import ResidualSettings, parse_mechanism
from minewatch.domain.records import Kind, Record
from minewatch.domain.treaty import CountDefinition, Instrument
from minewatch.services import disclosure, landrelease
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.casualties import casualty_facts
from minewatch.services.records import fold_item
from minewatch.services.treaty import TreatyMonitor
from minewatch.store.base import ItemQuery

#: The most items a map layer folds "as known on a date" in one request: folding reads
#: every report of each item, so the map asks for a bounding box when there are more.
AS_OF_LIMIT = 5000


def _frame(wf: AuditedWorkflow, kind: Kind) -> pd.DataFrame:
    disclosure.check_kind_visible(wf.actor, kind)
    return wf.store.items_frame(ItemQuery(kind))


def _totals(frame: pd.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
    """Count and summed ``area_m2`` per group, as plain rows."""
    grouped = frame.groupby(keys)["area_m2"].agg(count="count", area_m2="sum").reset_index()
    grouped["area_m2"] = grouped["area_m2"].round(1)
    return [{str(k): _plain(v) for k, v in row.items()} for row in grouped.to_dict("records")]


def _plain(value: Any) -> Any:
    """numpy/pandas scalars as JSON-able Python values (missing as None)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def land_release(wf: AuditedWorkflow) -> dict[str, Any]:
    """Hazardous areas by release progress, register status and classification, and land
    released by year and method (cancelled by non-technical survey, reduced by technical
    survey, cleared), in m².

    Every area figure is the land release accounting's (:mod:`minewatch.services.landrelease`):
    products that overlap count once and parts outside their area are left out, so the
    yearly totals add up to the balance exactly, and each area's progress
    (:func:`~minewatch.analysis.landrelease.release_progress`) comes from its own balance: an
    area fully released counts as released whatever its register status still says, and the
    land still to release (``remaining_m2`` summed over the rows) is the balance's remaining.
    Summing the products' own polygons would count the same land twice wherever two
    products overlap.

    Examples
    --------
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> from minewatch.domain.access import PUBLIC
    >>> figures = land_release(AuditedWorkflow(store, PUBLIC, Accounts(store)))
    >>> [(r["progress"], r["status"], r["count"], round(r["remaining_m2"]))
    ...  for r in figures["hazardous_areas"]]
    [('not_released', 'open', 3, 1673002), ('partly_released', 'open', 1, 52167), ('released',
     'open', 1, 0)]
    >>> figures["released_by_year"]
    [{'year': 2024, 'product_type': 'cancelled', 'count': 1, 'area_m2': 384455.5}, {'year': 2024,
     'product_type': 'reduced', 'count': 2, 'area_m2': 583456.0}]
    >>> round(figures["balance"]["remaining_m2"])
    1725169
    """
    areas = _frame(wf, Kind.HAZARDOUS_AREA)
    if not len(areas):
        return {"hazardous_areas": [], "released_by_year": [], "released_undated": None,
                "balance": None}  # fmt: skip
    disclosure.check_kind_visible(wf.actor, Kind.RELEASE_PRODUCT)  # the accounting reads them
    accounting, _ = landrelease.account(wf.store)
    pieces = released_pieces(accounting).rename(columns={"category": "product_type"})
    dated = pieces["year"].notna()
    pieces["year"] = pd.to_numeric(pieces["year"], errors="coerce").astype("Int64")
    [total] = balance(accounting).to_dict("records")
    undated = pieces[~dated]
    return {
        "hazardous_areas": _progress_rows(areas, accounting.areas),
        "released_by_year": _totals(pieces[dated], ["year", "product_type"]) if dated.any() else [],
        "released_undated": (
            {"count": len(undated), "area_m2": round(float(undated["area_m2"].sum()), 1)}
            if len(undated)
            else None
        ),
        "balance": {str(k): _plain(v) for k, v in total.items()},
    }


def _progress_rows(register: pd.DataFrame, balances: pd.DataFrame) -> list[dict[str, Any]]:
    """Count, original and remaining m² per release progress, register status and class."""
    keys = ["progress", "status", "classification"]
    frame = pd.DataFrame(balances.drop(columns="geometry")).merge(
        register[["code", "status", "classification"]],
        left_on="hazardous_area_code",
        right_on="code",
        how="left",
    )
    frame["progress"] = release_progress(frame["remaining_m2"], frame["released_m2"])
    frame[["status", "classification"]] = frame[["status", "classification"]].fillna("unknown")
    grouped = (
        frame.groupby(keys)
        .agg(
            count=("hazardous_area_code", "count"),
            original_m2=("original_m2", "sum"),
            remaining_m2=("remaining_m2", "sum"),
        )
        .reset_index()
    )
    grouped[["original_m2", "remaining_m2"]] = grouped[["original_m2", "remaining_m2"]].round(1)
    return [{str(k): _plain(v) for k, v in row.items()} for row in grouped.to_dict("records")]


def release_progress_by_area(wf: AuditedWorkflow, on: date | None = None) -> dict[str, str]:
    """Each hazardous area's release progress (released, partly released, not released), by
    code: the same accounting, and so the same numbers, as :func:`land_release` and the land
    release page (products that overlap count once). With ``on``, as the products released
    by that day left it (a product without a date counts as released); the map colours
    areas by this, never by what a report last said of the register status.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> wf = AuditedWorkflow(store, PUBLIC, Accounts(store))
    >>> now = release_progress_by_area(wf)
    >>> sorted(now.items())[:2]
    [('HA-000001', 'released'), ('HA-000002', 'not_released')]
    >>> release_progress_by_area(wf, date(2020, 1, 1))["HA-000001"]
    'not_released'
    """
    disclosure.check_kind_visible(wf.actor, Kind.HAZARDOUS_AREA)
    disclosure.check_kind_visible(wf.actor, Kind.RELEASE_PRODUCT)  # the accounting reads them
    where = landrelease.ReleaseFilter(end=on)
    accounting, _ = landrelease.account(wf.store, where)
    table = landrelease.balance_table(accounting, where, "hazardous_area_code")
    if not len(table):
        return {}
    released = (
        table["released_m2"]
        if "released_m2" in table
        else table["original_m2"] - table["remaining_m2"]
    )
    progress = release_progress(table["remaining_m2"], released)
    return {str(code): str(value) for code, value in progress.items()}


def casualties(wf: AuditedWorkflow) -> dict[str, Any]:
    """Casualties by year of their accident, sex, age band (child under 18, adult, unknown),
    category (civilian, security forces, non-state armed group, deminer, unknown) and outcome
    (killed, injured, unknown), by the Landmine Monitor's definitions
    (:func:`minewatch.services.casualties.casualty_facts`): nothing unknown is counted as
    civilian, injured or adult, and a casualty whose accident has no date has no year. Staff
    only.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> figures = casualties(AuditedWorkflow(store, local_admin(), Accounts(store)))
    >>> figures["total"], figures["rows"][0]
    (15, {'year': 2021, 'sex': 'female', 'age_band': 'adult', 'category': 'civilian', 'outcome':
     'killed', 'count': 1})
    >>> sorted({r["category"] for r in figures["rows"]})
    ['civilian', 'deminer', 'unknown']
    >>> from minewatch.domain.access import PUBLIC
    >>> casualties(AuditedWorkflow(store, PUBLIC, Accounts(store)))
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: no collection victim
    """
    facts = casualty_facts(wf)
    keys = ("year", "sex", "age_band", "category", "outcome")
    counts = Counter((c.year, c.sex, c.age_group, c.category, c.outcome) for c in facts)
    ordered = sorted(counts.items(), key=lambda kv: ((kv[0][0] is None, kv[0][0] or 0), kv[0][1:]))
    rows = [{**dict(zip(keys, key, strict=True)), "count": n} for key, n in ordered]
    return {"rows": rows, "total": len(facts)}


def layer_as_of(
    wf: AuditedWorkflow,
    kind: Kind,
    on: date,
    bbox: tuple[float, float, float, float] | None = None,
) -> list[Record]:
    """The items of ``kind`` as their approved reports described them on ``on`` (items with
    no approved information by then are left out). Selection by ``bbox`` uses the items'
    current geometry.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
    >>> len(layer_as_of(wf, Kind.HAZARDOUS_AREA, date(2030, 1, 1)))
    5
    >>> len(layer_as_of(wf, Kind.HAZARDOUS_AREA, date(2000, 1, 1)))   # nothing known yet
    0
    """
    disclosure.check_kind_visible(wf.actor, kind)
    current = wf.store.query_items(ItemQuery(kind, bbox=bbox, limit=AS_OF_LIMIT))
    reports = wf.store.reports_for_items(kind, [r.id for r in current])
    folded = (fold_item(kind, r.id, reports.get(r.id, []), as_of=on) for r in current)
    states = [s for s in folded if s is not None]
    return disclosure.disclose_records(wf.actor, states, wf.accounts.audit) if states else []


def treaty_monitor() -> TreatyMonitor:
    """The shipped treaty data, loaded once per process (it never changes while serving).

    Examples
    --------
    >>> treaty_monitor() is treaty_monitor()
    True
    """
    return TreatyMonitor.shipped()


def treaty_timeline(step_days: int = 30) -> dict[str, Any]:
    """States parties over time for each instrument and count definition, sampled every
    ``step_days`` (the shape of the curve, small enough to send to a browser).

    Examples
    --------
    >>> timeline = treaty_timeline(step_days=365)
    >>> timeline["dates"][:2], [(s["instrument"], s["definition"]) for s in timeline["series"]]
    (['1997-12-01', '1998-12-01'], [('apmbc', 'in-force'), ('apmbc', 'consented'), ('ccw-ap2',
     'in-force'), ('ccw-ap2', 'consented')])
    """
    monitor = treaty_monitor()
    end = max(d.status_as_at for d in monitor.instruments.values())
    days = list(pd.date_range(date(1997, 12, 1), end, freq=f"{step_days}D").date)
    if days[-1] != end:
        days.append(end)
    series = [
        {
            "instrument": i.value,
            "definition": d.value,
            "counts": [int(c) for c in monitor.count(i, days, d)],
        }
        for i in Instrument
        for d in CountDefinition
    ]
    return {
        "dates": [d.isoformat() for d in days],
        "series": series,
        "status_as_at": end.isoformat(),
    }


def treaty_status(instrument: str, on: date) -> dict[str, Any]:
    """Every state's status on ``on`` keyed by ISO3 (for the world map), with counts.

    Examples
    --------
    >>> status = treaty_status("apmbc", date(2020, 1, 1))
    >>> status["counts"]
    {'bound': 164, 'not bound': 32, 'signed': 1}
    """
    monitor = treaty_monitor()
    statuses = monitor.statuses(Instrument(instrument), on, all_states=True)
    rows = [
        {
            "state": s.state,
            "iso3": monitor.names.iso3.get(s.state, ""),
            "status": s.kind.value,
            "label": s.label,
        }
        for s in statuses
    ]
    return {
        "instrument": instrument,
        "on": on.isoformat(),
        "states": rows,
        "counts": dict(Counter(r["status"] for r in rows)),
    }


def kinds_on_map() -> Sequence[Kind]:
    """The layers of the web map, bottom to top.

    Examples
    --------
    >>> [kind.value for kind in kinds_on_map()]
    ['hazardous_area', 'release_product', 'device_find', 'accident', 'task_order']
    """
    return (
        Kind.HAZARDOUS_AREA,
        Kind.RELEASE_PRODUCT,
        Kind.DEVICE_FIND,
        Kind.ACCIDENT,
        Kind.TASK_ORDER,
    )


def residual_curve(
    mines: int,
    *,
    sd_failure: str,
    sd_timing: str,
    sda_failure: str | None = None,
    sda_timing: str | None = None,
    days: float | None = None,
    points: int = 121,
) -> dict[str, Any]:
    """Expected live mines and P(at least one live) over time, with credible intervals, for a
    strike of ``mines`` mines whose design is given in the residual-hazard spec language of
    ``minewatch residual`` (e.g. ``beta:2,38`` and ``uniform:4h,40h``; no ``sda_failure``
    means the mine has no self-deactivation). Settings are the programme's defaults
    (:class:`~minewatch.analysis.residual.spec.ResidualSettings`).

    Examples
    --------
    >>> curve = residual_curve(200, sd_failure="beta:2,38", sd_timing="uniform:4h,40h", days=30,
    ...                        points=4)
    >>> curve["method"], list(curve["curve"])
    ('closed form', ['days', 'expected_live', 'expected_live_lower', 'expected_live_upper',
     'prob_any_live', 'prob_any_live_lower', 'prob_any_live_upper'])
    >>> curve["curve"]["expected_live"]
    [200.0, 10.0, 10.0, 10.0]
    """
    settings = ResidualSettings()
    design = MineDesign(
        parse_mechanism(sd_failure, sd_timing, "self_destruct"),
        parse_mechanism(sda_failure, sda_timing, "self_deactivation")
        if sda_failure
        else Mechanism.absent(),
        Independent(),
    )
    times = np.linspace(0.0, days or settings.curve_days, points)
    curve = decay_curve(
        ResidualStrike(mines, design),
        times,
        settings.credible_level,
        draws=settings.monte_carlo_draws,
        seed=settings.seed,
    )
    frame = curve.to_frame()
    return {
        "mines": mines,
        "level": settings.credible_level,
        "method": curve.method,
        "any_live_threshold": settings.any_live_threshold,
        "curve": {str(k): [round(float(v), 6) for v in frame[k]] for k in frame.columns},
    }
