"""Beneficiaries of risk education by the sector's standard: direct and indirect, by sex,
age and disability, per year of the session (:func:`beneficiary_table`), and as CSV
(:func:`beneficiary_csv`). The rules are :mod:`minewatch.domain.beneficiaries`'s.

Sessions are a published kind and these are counts only, so anyone who may read sessions
may read the table.

>>> from minewatch.domain.access import PUBLIC
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> table = beneficiary_table(AuditedWorkflow(store, PUBLIC, Accounts(store)))
>>> [(r["year"], r["reach"], r["records"]) for r in table["rows"]]
[(2024, 'direct', 8), (2024, 'indirect', 8)]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, cast

from minewatch.domain.beneficiaries import beneficiary_rows, row_keys
from minewatch.domain.cells import safe_row
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, RiskEducationSession
from minewatch.services import disclosure
from minewatch.services.audited import AuditedWorkflow

#: Where the definitions come from (also in docs/beneficiaries.md).
SOURCES = (
    "https://reliefweb.int/report/world/standardizing-beneficiary-definitions-humanitarian-mine-action-second-edition-october-2020-enarbskmloruukvi",
    "https://www.mineactionstandards.org/standards/05-10-01/",
)


def beneficiary_table(wf: AuditedWorkflow, years: Sequence[int] | None = None) -> dict[str, Any]:
    """Risk education beneficiaries per year of the session (no session date: year None)
    and reach (direct, indirect): sessions, girls, boys, women, men and total, those with a
    disability where recorded and the people whose disability was not recorded. ``years``
    keeps only those years.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> table = beneficiary_table(AuditedWorkflow(store, PUBLIC, Accounts(store)), [2024])
    >>> direct = table["rows"][0]
    >>> direct["total"] == direct["girls"] + direct["boys"] + direct["women"] + direct["men"]
    True
    >>> direct["with_disability"] <= direct["total"] - direct["disability_not_recorded"]
    True
    """
    disclosure.check_kind_visible(wf.actor, Kind.RISK_EDUCATION_SESSION)
    wanted = set(years) if years is not None else None
    grids = []
    for item in wf.store.iter_items(ItemQuery(Kind.RISK_EDUCATION_SESSION)):
        session = cast(RiskEducationSession, item)
        year = session.session_date.year if session.session_date else None
        if wanted is not None and year not in wanted:
            continue
        grids.append((year, "direct", session.beneficiaries))
        grids.append((year, "indirect", session.indirect_beneficiaries))
    return {"rows": beneficiary_rows(grids), "sources": list(SOURCES)}


def beneficiary_csv(table: dict[str, Any]) -> str:
    """:func:`beneficiary_table`'s rows as CSV text (an unknown year written ``unknown``).

    Examples
    --------
    >>> from minewatch.domain.beneficiaries import row_keys
    >>> row = dict.fromkeys(row_keys(), 0) | {"year": 2024, "reach": "direct", "girls": 3}
    >>> print(beneficiary_csv({"rows": [row]}).splitlines()[1])
    2024,direct,0,3,0,0,0,0,0,0,0,0,0,0
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = row_keys()
    writer.writerow(safe_row(keys))
    for row in table["rows"]:
        cells = ["unknown" if k == "year" and row[k] is None else row[k] for k in keys]
        writer.writerow(safe_row(cells))
    return out.getvalue()
