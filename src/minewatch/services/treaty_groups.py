"""Questions about a state asked of a grouping of states (NATO, the EU, the OSCE): its
members on a date, each with the source of its membership, and who among them is bound by
what (:func:`group_status_rows`, :func:`group_summary_rows`).

>>> monitor = TreatyMonitor.shipped()
>>> group_names(monitor)
['EU', 'NATO', 'OSCE']
>>> summary = group_summary_rows(monitor, "nato", [Instrument.APMBC], date(2026, 3, 1))
>>> [(r["status"], r["states"]) for r in summary]
[('bound', 26), ('not bound', 1), ('withdrawn', 5)]
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from minewatch.domain.treaty import Instrument, Membership
from minewatch.errors import NotFound
from minewatch.services.treaty import TreatyMonitor
from minewatch.services.treaty_rows import status_row


def group_names(monitor: TreatyMonitor) -> list[str]:
    """The groupings in the data (``groups.csv``).

    >>> group_names(TreatyMonitor.shipped())[:2]
    ['EU', 'NATO']
    """
    return sorted(monitor.groups)


def group_name(monitor: TreatyMonitor, name: str) -> str:
    """The group's name as in the data, whatever its case; NotFound lists the known ones.

    >>> group_name(TreatyMonitor.shipped(), "nato")
    'NATO'
    >>> group_name(TreatyMonitor.shipped(), "Warsaw Pact")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: unknown group 'Warsaw Pact' (known: EU, NATO, OSCE)
    """
    found = {g.casefold(): g for g in monitor.groups}.get(name.strip().casefold())
    if found is None:
        known = ", ".join(group_names(monitor)) or "none"
        raise NotFound("unknown group {name!r} (known: {known})", name=name, known=known)
    return found


def members_on(monitor: TreatyMonitor, group: str, on: date) -> list[tuple[Membership, bool]]:
    """The group's members on ``on`` with whether membership is certain (False when the
    sources date it only to a month or year that contains ``on``).

    >>> [(m.state, certain) for m, certain in members_on(TreatyMonitor.shipped(), "NATO",
    ...                                                 date(2023, 4, 4))][-1]
    ('Finland', True)
    >>> len(members_on(TreatyMonitor.shipped(), "EU", date(2020, 2, 1)))
    27
    """
    out = []
    for m in monitor.groups[group_name(monitor, group)]:
        member = m.member_on(on)
        if member is not False:
            out.append((m, member is True))
    return out


def group_status_rows(
    monitor: TreatyMonitor,
    group: str,
    instruments: Sequence[Instrument],
    on: date,
    *,
    strict_conditions: bool = False,
    locale: str | None = None,
) -> list[dict[str, Any]]:
    """Each member's status under each instrument on ``on``, with its membership and the
    source of it (the status in words in ``locale``).

    >>> rows = group_status_rows(TreatyMonitor.shipped(), "NATO", [Instrument.APMBC],
    ...                          date(2026, 2, 1))
    >>> next((r["state"], r["status"], r["member_since"]) for r in rows if r["iso3"] == "POL")
    ('Poland', 'withdrawal pending', '1999')
    """
    name = group_name(monitor, group)
    rows = []
    for m, certain in members_on(monitor, name, on):
        for i in instruments:
            status = monitor.status(m.state, i, on, strict_conditions=strict_conditions)
            rows.append(
                {
                    "group": name,
                    **status_row(status, monitor.names, locale),
                    "membership": "member" if certain else "member (date uncertain)",
                    "member_since": m.since or f"by {m.known_by}",
                    "membership_source": m.source,
                }
            )
    return sorted(rows, key=lambda r: (r["instrument"], r["state"]))


def group_summary_rows(
    monitor: TreatyMonitor, group: str, instruments: Sequence[Instrument], on: date
) -> list[dict[str, Any]]:
    """How many of the group's members have each status under each instrument, and which.

    >>> rows = group_summary_rows(TreatyMonitor.shipped(), "EU", [Instrument.CCW_AP2],
    ...                           date(2026, 12, 7))
    >>> [(r["status"], r["states"]) for r in rows]
    [('bound', 27)]
    """
    rows = group_status_rows(monitor, group, instruments, on)
    out: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        out.setdefault((r["instrument"], r["status"]), []).append(r["state"])
    return [
        {
            "group": group_name(monitor, group),
            "on": on,
            "instrument": i,
            "status": s,
            "states": len(names),
            "members": "; ".join(names),
        }
        for (i, s), names in sorted(out.items())
    ]
