"""Beneficiaries by the sector's standard: people reached, directly and indirectly, by sex,
age and disability (SADDD), summed per year. Pure rules over :class:`SexAge` grids; the
service (:mod:`minewatch.services.beneficiaries`) reads the records and hands them here.

The definitions follow the sector's *Standardizing Beneficiary Definitions in Humanitarian
Mine Action* (second edition, October 2020, by DCA, DDG, HALO, HI, MAG, NPA and FSD with
GICHD, ICRC, UNMAS, UNDP and UNICEF;
https://reliefweb.int/report/world/standardizing-beneficiary-definitions-humanitarian-mine-action-second-edition-october-2020-enarbskmloruukvi),
which set out how beneficiaries of risk education, land release, victim assistance and EOD
are counted and reported (Global Protection Cluster, Mine Action guidance,
https://www.globalprotectioncluster.org/index.php/AoR/Mine-Action/guidance-and-tools, which
refers to IMAS TNMA 05.10/01 "Measurement and reporting of beneficiaries",
https://www.mineactionstandards.org/standards/05-10-01/, for the official text):

- **Direct** beneficiaries of a risk education session are the people who took part in it;
  **indirect** ones are reached through them. The two are reported apart and never added.
- Every count is **disaggregated** by sex and age (girls and boys under 18, women, men) and
  by disability. A disability count that was not recorded stays unknown: it is reported as
  people whose disability was not recorded, never as people without one.

>>> row_keys()[:4]
('year', 'reach', 'records', 'girls')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from minewatch.domain.records.values import GROUPS, SexAge

#: The ways a record reaches people, in the order tables give them.
REACH = ("direct", "indirect")


def row_keys() -> tuple[str, ...]:
    """The columns of :func:`beneficiary_rows` (also the CSV header).

    >>> row_keys()[-3:]
    ('men_with_disability', 'with_disability', 'disability_not_recorded')
    """
    return (
        "year",
        "reach",
        "records",
        *GROUPS,
        "total",
        *(f"{g}_with_disability" for g in GROUPS),
        "with_disability",
        "disability_not_recorded",
    )


def beneficiary_rows(grids: Iterable[tuple[int | None, str, SexAge]]) -> list[dict[str, Any]]:
    """Sum ``(year, reach, grid)`` triples into one row per year and reach (direct before
    indirect; an unknown year, None, last). A record counts in ``records`` where its grid
    has anyone. ``<group>_with_disability`` sums the recorded disability counts;
    ``disability_not_recorded`` counts the people of groups whose disability was not
    recorded, so that ``total`` = people whose disability is recorded + not recorded.

    Examples
    --------
    >>> rows = beneficiary_rows([
    ...     (2024, "direct", SexAge(girls=10, boys=5, girls_with_disability=1,
    ...                            boys_with_disability=0)),
    ...     (2024, "direct", SexAge(women=20)),                    # disability not recorded
    ...     (2024, "indirect", SexAge(men=40, women=40)),
    ... ])
    >>> [(r["reach"], r["records"], r["total"], r["with_disability"], r["disability_not_recorded"])
    ...  for r in rows]
    [('direct', 2, 35, 1, 20), ('indirect', 1, 80, 0, 80)]
    """
    sums: dict[tuple[int | None, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for year, reach, grid in grids:
        if reach not in REACH:
            raise ValueError(f"reach must be one of {REACH}, not {reach!r}")
        if not grid.total:
            continue
        row = sums[year, reach]
        row["records"] += 1
        for group in GROUPS:
            people = int(getattr(grid, group) or 0)
            row[group] += people
            disabled = grid.disability_of(group)
            if disabled is None:
                row["disability_not_recorded"] += people
            else:
                row[f"{group}_with_disability"] += disabled
    rows = []
    for year, reach in sorted(sums, key=lambda k: (k[0] is None, k[0] or 0, REACH.index(k[1]))):
        row = sums[year, reach]
        out: dict[str, Any] = {"year": year, "reach": reach, "records": row["records"]}
        out |= {g: row[g] for g in GROUPS}
        out["total"] = sum(row[g] for g in GROUPS)
        out |= {f"{g}_with_disability": row[f"{g}_with_disability"] for g in GROUPS}
        out["with_disability"] = sum(row[f"{g}_with_disability"] for g in GROUPS)
        out["disability_not_recorded"] = row["disability_not_recorded"]
        rows.append(out)
    return rows
