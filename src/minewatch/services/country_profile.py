"""A country profile on one page, as the Landmine Monitor publishes one each year by hand:
the state's treaty status and obligations with their deadlines (and how fresh the treaty data
is), its groupings, national policy where a record exists, and — from the programme's store —
contamination and land release, casualties and risk education (:func:`country_profile`).
:mod:`minewatch.charts.country_profile` draws it as HTML and PDF.

The store is taken to be the programme of the state named (minewatch holds one programme per
store). Casualty figures are for signed-in staff only; anyone else sees that they are not
shown.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> profile = country_profile(AuditedWorkflow(store, local_admin(), Accounts(store)),
...                           TreatyMonitor.shipped(), "UKR", on=date(2026, 12, 7))
>>> profile["state"], profile["freshness"]["status_as_at"], profile["freshness"]["projected"]
('Ukraine', datetime.date(2026, 2, 3), True)
>>> [t["instrument"] for t in profile["treaties"]]
['apmbc', 'ccw-ap2']
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from minewatch.config import NationalConfig
from minewatch.domain.access import Role
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import HazardousArea, HazardType, Kind
from minewatch.domain.treaty import Instrument
from minewatch.services import beneficiaries, casualties
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.landrelease import ReleaseFilter, account, balance_table
from minewatch.services.treaty import TreatyMonitor, query_date
from minewatch.services.treaty_freshness import policy_freshness, treaty_freshness
from minewatch.services.treaty_groups import group_names, members_on
from minewatch.services.treaty_rows import deadline_row, status_row
from minewatch.vocabulary import label, translate

#: What the profile says of instruments whose depositary pages are not in the treaty data.
NOT_IN_DATA = {
    "Convention on Cluster Munitions": "not in the treaty data (the depositary's status page "
    "is not among the saved pages)",
    "CCW Protocol V (explosive remnants of war)": "not in the treaty data (the depositary's "
    "status page is not among the saved pages)",
}
#: Policy records are per state; the data names them by a short key.
_POLICY_KEYS = {"United States of America": "us"}


def country_profile(
    wf: AuditedWorkflow,
    monitor: TreatyMonitor,
    state: str,
    *,
    on: date | None = None,
    config: NationalConfig | None = None,
    locale: str | None = None,
) -> dict[str, Any]:
    """The profile of ``state`` on ``on`` (default today) as one JSON-ready document, its
    words (statuses in words, deadlines' bases, projection notes) in ``locale``; codes,
    dates and figures the same in every language.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> profile = country_profile(AuditedWorkflow(store, PUBLIC, Accounts(store)),
    ...                           TreatyMonitor.shipped(), "Ukraine", on=date(2025, 6, 1))
    >>> profile["casualties"]["shown"], round(profile["contamination"]["totals"]["original_m2"])
    (False, 2693080)
    >>> profile["obligations"]["clearance_deadline"]["due"]
    datetime.date(2033, 12, 1)
    >>> ukrainian = country_profile(AuditedWorkflow(store, PUBLIC, Accounts(store)),
    ...     TreatyMonitor.shipped(), "UKR", on=date(2025, 6, 1), locale="uk")
    >>> ukrainian["state"], ukrainian["treaties"][1]["label"]
    ('Ukraine', 'Зобов’язана')
    """
    day = query_date(on or date.today())
    name = monitor.state(state)
    return {
        "state": name,
        "iso3": monitor.names.iso3.get(name, ""),
        "on": day,
        "generated_on": date.today(),
        "freshness": treaty_freshness(monitor, day, locale),
        "treaties": [
            status_row(monitor.status(name, instrument, day), monitor.names, locale)
            for instrument in Instrument
        ],
        "not_in_data": NOT_IN_DATA,
        "communications": _communications(monitor, name, day),
        "obligations": _obligations(monitor, name, day, locale),
        "groups": _groups(monitor, name, day),
        "policy": _policy(monitor, name, day, locale),
        "contamination": _contamination(wf, config),
        "casualties": _casualties(wf),
        "risk_education": beneficiaries.beneficiary_table(wf),
    }


def _communications(monitor: TreatyMonitor, name: str, day: date) -> list[dict[str, Any]]:
    status = monitor.status(name, Instrument.APMBC, day)
    return [
        {
            "received": c.received,
            "kind": c.kind,
            "notification": c.notification,
            "summary": c.summary,
            "legal_character": c.legal_character,
            "source": c.source,
            "source_url": c.source_url,
        }
        for c in status.communications
    ]


def _obligations(
    monitor: TreatyMonitor, name: str, day: date, locale: str | None
) -> dict[str, Any]:
    found = monitor.clearance_deadline_on(name, day)
    clearance = None
    if found is not None:
        deadline, ext = found
        done = monitor.clearance_completion_on(name, day)
        clearance = {
            "due": deadline,
            "article": "Art. 5(3)" if ext else "Art. 5(1)",
            "basis": (
                translate(
                    "extended: {decision} ({source})",
                    locale,
                    decision=ext.decided_by or "",
                    source=ext.source,
                )
                if ext
                else translate("original deadline, entry into force + 10 years", locale)
            ),
            "passed": deadline < day and done is None,
            "fulfilled": None
            if done is None
            else {
                "declared_on": done.declared_on,
                "meeting": done.meeting,
                "source": done.source,
            },
        }
    upcoming = [deadline_row(d, locale) for d in monitor.deadlines(day, days=3653, state=name)]
    return {
        "clearance_deadline": clearance,
        "stockpile_held": monitor.stockpiles.get(name),
        "upcoming": upcoming,
    }


def _groups(monitor: TreatyMonitor, name: str, day: date) -> list[str]:
    return [
        g
        for g in group_names(monitor)
        if any(m.state == name for m, _ in members_on(monitor, g, day))
    ]


def _policy(
    monitor: TreatyMonitor, name: str, day: date, locale: str | None
) -> dict[str, Any] | None:
    key = _POLICY_KEYS.get(name)
    if key is None or key not in monitor.policy_names():
        return None
    record = monitor.policy(key)
    current = record.as_of(day)
    return {
        "record": key,
        "version": current.id if current else None,
        "title": current.title if current else None,
        "effective": current.effective if current else None,
        "freshness": policy_freshness(record, day, locale),
    }


def _contamination(wf: AuditedWorkflow, config: NationalConfig | None) -> dict[str, Any]:
    areas = [a for a in wf.store.iter_items(ItemQuery(Kind.HAZARDOUS_AREA))]
    by_type = {
        label(t): sum(1 for a in areas if t in getattr(a, "hazard_types", ())) for t in HazardType
    }
    if not areas:
        return {"areas": 0, "by_hazard_type": by_type, "totals": {}, "by_year": []}
    accounting, _ = account(wf.store, ReleaseFilter(), config=config)
    totals = balance_table(accounting, ReleaseFilter(), None).iloc[0].to_dict()
    pieces = pd.DataFrame(accounting.pieces.drop(columns="geometry"))
    released = pieces[pieces["category"] != "remaining"].copy()
    released["year"] = pd.to_datetime(released["release_date"], errors="coerce").dt.year
    by_year = (
        released.dropna(subset=["year"])
        .pivot_table(
            index="year", columns="category", values="area_m2", aggfunc="sum", fill_value=0.0
        )
        .reset_index()
    )
    return {
        "areas": len(areas),
        "open_areas": sum(
            1
            for a in areas
            if isinstance(a, HazardousArea) and a.status.value in ("open", "suspended")
        ),
        "by_hazard_type": by_type,
        "totals": {str(k): round(float(v), 1) for k, v in totals.items()},
        "by_year": [
            {
                "year": int(r["year"]),
                **{c: round(float(r.get(c, 0.0)), 1) for c in ("cancelled", "reduced", "cleared")},
            }
            for r in by_year.to_dict("records")
        ],
    }


def _casualties(wf: AuditedWorkflow) -> dict[str, Any]:
    if wf.actor.role is Role.PUBLIC:
        return {"shown": False, "years": []}
    table = casualties.casualty_table(wf)
    years = [
        {k: r[k] for k in ("year", "killed", "injured", "unknown", "total")}
        for r in table["rows"]
        if r["dimension"] == "total" and r["value"] == "recorded"
    ]
    return {"shown": True, "years": years, "sources": table["sources"]}
