"""Accreditation as the authority and quality management read it (issue 18): who is
accredited for what and until when (:func:`accreditation_table`), and the approved work
whose organisation held no accreditation in force for its method on its date
(:func:`unaccredited_work`). The check itself, which also flags reports as they are created
and submitted, is :mod:`minewatch.services.records.accreditation`; the rules are
:mod:`minewatch.domain.accreditation`'s.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
>>> [(r["code"], r["organisation_code"], r["in_force"])
...  for r in accreditation_table(wf, on=date(2024, 6, 1))]
[('ACR-000001', 'ORG-000002', True)]
>>> unaccredited_work(wf)      # the demo's operator is accredited for all it did
[]
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from minewatch.domain.accreditation import in_force
from minewatch.domain.cells import safe_row
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Accreditation, Kind
from minewatch.services import disclosure
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.records.accreditation import CHECKED_KINDS, work_problems
from minewatch.vocabulary import render

#: The columns of :func:`accreditation_table` and of its CSV.
TABLE_KEYS = (
    "code",
    "organisation_code",
    "methods",
    "asset_types",
    "valid_from",
    "valid_until",
    "status",
    "in_force",
    "certificate_reference",
    "issuing_authority_code",
)

#: The columns of :func:`unaccredited_work`.
FLAGGED_KEYS = (
    "code",
    "kind",
    "organisation_code",
    "activity_type",
    "method",
    "product_type",
    "date",
    "problem",
)


def accreditation_table(
    wf: AuditedWorkflow, organisation_code: str | None = None, on: date | None = None
) -> list[dict[str, Any]]:
    """Approved accreditations (of one organisation, or all), each with whether it is in
    force on ``on`` (default: today); by organisation, the newest first.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> rows = accreditation_table(AuditedWorkflow(store, PUBLIC, Accounts(store)), "ORG-000002",
    ...                            on=date(2027, 1, 1))
    >>> rows[0]["methods"], rows[0]["valid_until"], rows[0]["in_force"]
    (['manual', 'mechanical', 'non_technical_survey', 'technical_survey', 'eod'], '2026-12-31', False)
    """
    disclosure.check_kind_visible(wf.actor, Kind.ACCREDITATION)
    day = on or date.today()
    where: dict[str, object] = {"organisation_code": organisation_code} if organisation_code else {}
    items = [
        a
        for a in wf.store.iter_items(ItemQuery(Kind.ACCREDITATION, where=where))
        if isinstance(a, Accreditation)
    ]
    items.sort(key=lambda a: (a.organisation_code or "", -(a.valid_from or date.min).toordinal()))
    return [
        {
            "code": a.code,
            "organisation_code": a.organisation_code,
            "methods": [m.value for m in a.methods],
            "asset_types": [t.value for t in a.asset_types],
            "valid_from": a.valid_from.isoformat() if a.valid_from else None,
            "valid_until": a.valid_until.isoformat() if a.valid_until else None,
            "status": a.status.value,
            "in_force": in_force(a, day),
            "certificate_reference": a.certificate_reference,
            "issuing_authority_code": a.issuing_authority_code,
        }
        for a in items
    ]


def unaccredited_work(
    wf: AuditedWorkflow, years: Sequence[int] | None = None, locale: str | None = None
) -> list[dict[str, Any]]:
    """Approved activities and products whose organisation held no accreditation in force
    for their method on their date: code, kind, organisation, activity type, method,
    product type, date and the problem (in ``locale``). ``years`` keeps the work dated in
    them.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> from minewatch.services.records import Draft
    >>> from minewatch.domain.reports import ReportState
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "flagged.gpkg"), create=True)
    >>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
    >>> _ = wf.create_drafts([
    ...     Draft(Kind.ORGANISATION, {"name": "Synthetic Demining"}, date(2024, 1, 1)),
    ...     Draft(Kind.LAND_RELEASE_ACTIVITY, {"activity_type": "clearance",
    ...           "method": "mechanical", "organisation_code": "ORG-000001",
    ...           "start_date": "2024-03-01"}, date(2024, 3, 5))], state=ReportState.APPROVED)
    >>> [(r["code"], r["problem"]) for r in unaccredited_work(wf)]
    [('LRA-000001', 'ORG-000001 holds no accreditation valid on 2024-03-01 for Mechanical')]
    >>> unaccredited_work(wf, locale="fr")[0]["problem"]
    'ORG-000001 ne détient aucune accréditation valide le 2024-03-01 pour Mécanique'
    """
    out: list[dict[str, Any]] = []
    for kind in CHECKED_KINDS:
        disclosure.check_kind_visible(wf.actor, kind)
        items = list(wf.store.iter_items(ItemQuery(kind)))
        rows = [{f.name: getattr(i, f.name) for f in dataclasses.fields(i)} for i in items]
        problems = work_problems(wf.store, kind, rows, [i.date_of_information for i in items])
        for item, row, problem in zip(items, rows, problems, strict=True):
            day = row.get("start_date") or row.get("release_date") or item.date_of_information
            if problem is None or (years is not None and (day is None or day.year not in years)):
                continue
            out.append(
                {
                    "code": item.code,
                    "kind": kind.value,
                    "organisation_code": row.get("organisation_code"),
                    "activity_type": _value(row.get("activity_type")),
                    "method": _value(row.get("method")),
                    "product_type": _value(row.get("product_type")),
                    "date": day.isoformat() if day else None,
                    "problem": render(problem, locale),
                }
            )
    return out


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def rows_csv(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> str:
    """Rows as CSV text, lists joined by spaces, every cell through ``safe_row``.

    >>> print(rows_csv([{"code": "ACR-000001", "methods": ["manual", "eod"]}], ["code", "methods"]))
    code,methods
    ACR-000001,manual eod
    <BLANKLINE>
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(safe_row(list(keys)))
    for row in rows:
        cells = [row.get(k) for k in keys]
        writer.writerow(safe_row([" ".join(c) if isinstance(c, list) else c for c in cells]))
    return out.getvalue()
