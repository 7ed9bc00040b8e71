"""Casualty figures by the Landmine Monitor's definitions: each victim read with its
accident's year and device (:func:`casualty_facts`), the yearly table in the Monitor's shape
(:func:`casualty_table`) and the same table as CSV (:func:`casualty_csv`). The rules — what
counts as unknown, the categories, the age groups, the device types and which devices the
Monitor's mine/ERW total leaves out — are :mod:`minewatch.domain.casualties`'s.

Victims are a kind about people: only signed-in staff read these figures (the public gets
the same NotFound as for the victims collection), and only counts leave this module.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> table = casualty_table(AuditedWorkflow(store, local_admin(), Accounts(store)))
>>> table["years"]
[2021, 2022, 2023]
>>> [(r["year"], r["value"], r["killed"], r["injured"], r["unknown"]) for r in table["rows"]
...  if r["dimension"] == "total" and r["value"] == "recorded"]
[(2021, 'recorded', 1, 1, 0), (2022, 'recorded', 3, 5, 0), (2023, 'recorded', 1, 4, 0)]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, cast

from minewatch.domain.casualties import (
    Casualty,
    monitor_row_keys,
    monitor_table,
    shares_where_known,
)
from minewatch.domain.cells import safe_row
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Accident, Kind, Victim
from minewatch.services import disclosure
from minewatch.services.audited import AuditedWorkflow

#: Where the definitions come from (also in the CSV's notes and docs/casualties.md).
SOURCES = (
    "https://archives2.the-monitor.org/en-gb/reports/2019/landmine-monitor-2019/casualties.aspx",
    "https://archives2.the-monitor.org/en-gb/reports/2009/landmine-monitor-2009/casualties-and-data-collection.aspx",
    "http://www.the-monitor.org/en-gb/the-issues/faqs/casualties/who-was-injured-or-killed-by-mines,-cluster-munitions-and-other-erw-in-2012.aspx",
)


def casualty_facts(wf: AuditedWorkflow) -> list[Casualty]:
    """Every victim as the Monitor counts it: the year of its accident (None when the
    accident or its date is not recorded: no other date stands in for it), its category,
    sex, age group, outcome, device type (from its accident) and disability. Staff only.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC, local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> facts = casualty_facts(AuditedWorkflow(store, local_admin(), Accounts(store)))
    >>> len(facts), sorted({c.category for c in facts}), {c.device_type for c in facts}
    (15, ['civilian', 'deminer', 'unknown'], {'ap_mine'})
    >>> casualty_facts(AuditedWorkflow(store, PUBLIC, Accounts(store)))
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: no collection victim
    """
    return [casualty for _, casualty, _ in casualty_records(wf)]


def casualty_records(wf: AuditedWorkflow) -> list[tuple[str, Casualty, str | None]]:
    """:func:`casualty_facts` with, for each casualty, its victim record's code and its
    accident's device category (what a report traces its figures to). Staff only.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> code, casualty, category = casualty_records(
    ...     AuditedWorkflow(store, local_admin(), Accounts(store)))[0]
    >>> code, casualty.year, category
    ('VIC-000001', 2022, 'ap_mine')
    """
    disclosure.check_kind_visible(wf.actor, Kind.VICTIM)
    accidents = {
        a.code: a for a in wf.store.iter_items(ItemQuery(Kind.ACCIDENT)) if isinstance(a, Accident)
    }
    records = []
    for item in wf.store.iter_items(ItemQuery(Kind.VICTIM)):
        victim = cast(Victim, item)
        accident = accidents.get(victim.accident_code or "")
        when = accident.accident_date if accident else None
        casualty = Casualty.of(
            year=when.year if when else None,
            victim_type=victim.victim_type,
            sex=victim.sex,
            age=victim.age,
            outcome=victim.outcome,
            device_type=accident.device_type if accident else None,
            device_category=accident.device_category if accident else None,
            disability=victim.disability,
        )
        category = accident.device_category if accident else None
        records.append((victim.code or "", casualty, str(category) if category else None))
    return records


def casualty_table(wf: AuditedWorkflow, years: Sequence[int] | None = None) -> dict[str, Any]:
    """The yearly casualty table in the Monitor's shape
    (:func:`minewatch.domain.casualties.monitor_table`: killed, injured, unknown and total
    for the recorded and mine/ERW totals and by category, sex, age group, device type and
    disability), the shares "where known" per year (a list, one entry per year), and the sources of the definitions.
    ``years`` keeps only those years (casualties of unknown year are kept only when no
    years are asked for). Staff only.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> table = casualty_table(AuditedWorkflow(store, local_admin(), Accounts(store)), [2022])
    >>> [(r["value"], r["killed"], r["injured"], r["unknown"]) for r in table["rows"]
    ...  if r["dimension"] == "category" and r["total"]]
    [('civilian', 2, 4, 0), ('deminer', 0, 1, 0), ('unknown', 1, 0, 0)]
    >>> table["shares"]   # the unknown category is left out of the civilian share's base
    [{'year': 2022, 'civilian': 0.8571, 'child_of_civilians': 0.6667, 'female': 0.5}]
    """
    facts = casualty_facts(wf)
    if years is not None:
        wanted = set(years)
        facts = [c for c in facts if c.year in wanted]
    rows = monitor_table(facts)
    present = sorted({c.year for c in facts}, key=lambda y: (y is None, y or 0))
    return {
        "years": present,
        "rows": rows,
        "shares": [
            {"year": y, **shares_where_known(c for c in facts if c.year == y)} for y in present
        ],
        "sources": list(SOURCES),
    }


def casualty_csv(table: dict[str, Any]) -> str:
    """:func:`casualty_table`'s rows as CSV text (an unknown year written ``unknown``).

    Examples
    --------
    >>> print(casualty_csv({"rows": [{"year": None, "dimension": "total", "value": "recorded",
    ...                               "killed": 1, "injured": 0, "unknown": 2, "total": 3}]}))
    year,dimension,value,killed,injured,unknown,total
    unknown,total,recorded,1,0,2,3
    <BLANKLINE>
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = monitor_row_keys()
    writer.writerow(safe_row(keys))
    for row in table["rows"]:
        cells = [("unknown" if row[k] is None else row[k]) if k == "year" else row[k] for k in keys]
        writer.writerow(safe_row(cells))
    return out.getvalue()
