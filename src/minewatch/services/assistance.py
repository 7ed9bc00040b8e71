"""Victim assistance coverage (issue 18): survivors who needed, were referred to and
received each kind of assistance per year, by sex, age and disability (direct
beneficiaries), and the household members the assistance reached (indirect beneficiaries),
as a table and as CSV. The rules are :mod:`minewatch.domain.assistance`'s. Victim
assistance records are about people, so only signed-in staff read the table (the public
gets NotFound, as for victims), and only counts leave: a survivor's sex, age and
disability come from their victim record, never their name or notes.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> table = coverage_table(AuditedWorkflow(store, local_admin(), Accounts(store)))
>>> [(r["year"], r["people"]) for r in table["rows"]           # the demo's SYNTHETIC survivors
...  if r["assistance_type"] == "any" and r["stage"] == "received"]
[(2021, 1), (2022, 6), (2023, 2)]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, cast

from minewatch.domain.assistance import Survivor, coverage_keys, coverage_rows
from minewatch.domain.beneficiaries import beneficiary_rows, row_keys
from minewatch.domain.cells import safe_row
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, ServiceStatus, Victim, VictimAssistance
from minewatch.services import disclosure
from minewatch.services.audited import AuditedWorkflow
from minewatch.store.base import Repository

#: Where the definitions come from (also in docs/victim-assistance.md).
SOURCES = (
    "https://reliefweb.int/report/world/standardizing-beneficiary-definitions-humanitarian-mine-action-second-edition-october-2020-enarbskmloruukvi",
)


def coverage_table(wf: AuditedWorkflow, years: Sequence[int] | None = None) -> dict[str, Any]:
    """The coverage per year: ``rows`` (direct: survivors per kind of assistance and stage,
    by sex, age and disability) and ``household`` (indirect: the household members of the
    survivors who received assistance that year, by sex, age and disability, in the
    beneficiary grid's columns). ``years`` keeps those years.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> coverage_table(AuditedWorkflow(store, PUBLIC, Accounts(store)))
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: no collection victim_assistance
    """
    disclosure.check_kind_visible(wf.actor, Kind.VICTIM_ASSISTANCE)
    disclosure.check_kind_visible(wf.actor, Kind.VICTIM)
    survivors, households = _survivors(wf.store)
    wanted = set(years) if years is not None else None
    rows = [r for r in coverage_rows(survivors) if wanted is None or r["year"] in wanted]
    household = [r for r in beneficiary_rows(households) if wanted is None or r["year"] in wanted]
    return {"rows": rows, "household": household, "sources": list(SOURCES)}


def _survivors(store: Repository) -> tuple[list[Survivor], list[tuple[int | None, str, Any]]]:
    """Each victim assistance record as the survivor it follows (sex, age and disability from
    their victim record, never their name or notes), and the households reached in each year
    a service was received."""
    records = [
        cast(VictimAssistance, r) for r in store.iter_items(ItemQuery(Kind.VICTIM_ASSISTANCE))
    ]
    codes = sorted({r.victim_code for r in records if r.victim_code})
    victims = {
        v.code: cast(Victim, v)
        for start in range(0, len(codes), 500)
        for v in store.query_items(ItemQuery(Kind.VICTIM, codes=codes[start : start + 500]))
    }
    survivors = []
    households: list[tuple[int | None, str, Any]] = []
    for record in records:
        victim = victims.get(record.victim_code or "")
        survivors.append(
            Survivor(
                code=record.victim_code or record.code or "",
                sex=victim.sex.value if victim else "unknown",
                age=victim.age if victim else None,
                disability=victim.disability if victim else None,
                services=record.services,
                recorded=record.date_of_information,
            )
        )
        received = {
            s.received_date.year if s.received_date else None
            for s in record.services
            if s.status is ServiceStatus.RECEIVED
        }
        households += [(year, "indirect", record.household) for year in sorted(received, key=str)]
    return survivors, households


def public_coverage_rows(store: Repository) -> list[dict[str, Any]]:
    """The direct coverage rows of every year, for publication (:mod:`services.publish`):
    counts only, from the store's approved records, whoever publishes.

    >>> rows = public_coverage_rows(demo_store(tmp))
    >>> sorted({r["year"] for r in rows}), sorted(rows[0])[:3]
    ([2021, 2022, 2023, 2024], ['adults', 'age_unknown', 'assistance_type'])
    """
    return coverage_rows(_survivors(store)[0])


def coverage_csv(table: dict[str, Any]) -> str:
    """:func:`coverage_table` as CSV: the direct rows, then the household rows under their
    own header (an unknown year written ``unknown``).

    >>> print(coverage_csv({"rows": [], "household": []}).splitlines()[0][:40])
    year,assistance_type,stage,people,female
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for keys, rows in ((coverage_keys(), table["rows"]), (row_keys(), table["household"])):
        writer.writerow(safe_row(list(keys)))
        for row in rows:
            writer.writerow(
                safe_row(["unknown" if k == "year" and row[k] is None else row[k] for k in keys])
            )
    return out.getvalue()
