"""How fresh an answer is: the date the data is as at, and whether a question about a later
day is answered by projection (:func:`treaty_freshness`, :func:`policy_freshness`). Every
treaty and policy output carries one: the CLI prints it under its tables and adds its
columns to CSV and JSON rows, the API adds it to every answer, the charts to their titles.

>>> monitor = TreatyMonitor.shipped()
>>> treaty_freshness(monitor, date(2026, 12, 7))["note"]
'projection: the depositary status pages are as at 2026-02-03; notifications after that date (accessions, withdrawals, communications) are not in the data'
>>> treaty_freshness(monitor, date(2025, 1, 1))["projected"]
False
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from minewatch.domain.policy import PolicyRecord
from minewatch.services.treaty import TreatyMonitor

#: The note of an answer about a day after the depositary data's "status as at".
PROJECTION_NOTE = (
    "projection: the depositary status pages are as at {date}; notifications after that "
    "date (accessions, withdrawals, communications) are not in the data"
)


def treaty_freshness(
    monitor: TreatyMonitor, on: date | Iterable[date], locale: str | None = None
) -> dict[str, Any]:
    """The depositary data's "status as at" (the earliest over the instruments), each
    instrument's, and whether an answer for ``on`` (or the latest of several dates) is a
    projection, with a note saying so in ``locale``.

    >>> f = treaty_freshness(TreatyMonitor.shipped(), [date(2020, 1, 1), date(2026, 3, 1)])
    >>> f["status_as_at"], f["projected"], f["on"]
    (datetime.date(2026, 2, 3), True, datetime.date(2026, 3, 1))
    >>> treaty_freshness(TreatyMonitor.shipped(), date(2026, 3, 1), "es")["note"][:40]
    'proyección: las páginas de estado del de'
    """
    from minewatch.vocabulary import translate

    days = [on] if isinstance(on, date) else list(on)
    latest = max(days)
    by_instrument = {i.value: d.status_as_at for i, d in monitor.instruments.items()}
    as_at = min(by_instrument.values())
    projected = latest > as_at
    note = translate(PROJECTION_NOTE, locale, date=as_at) if projected else ""
    return {
        "on": latest,
        "status_as_at": as_at,
        "status_as_at_by_instrument": by_instrument,
        "projected": projected,
        "note": note,
    }


def policy_freshness(record: PolicyRecord, on: date, locale: str | None = None) -> dict[str, Any]:
    """The policy record's "status as at" and whether an answer for ``on`` is a projection
    (later than that date, or after a successor the version in force said was due), with a
    note saying why in ``locale``.

    >>> record = TreatyMonitor.shipped().policy("us")
    >>> policy_freshness(record, date(2026, 1, 1))["projected"]
    False
    >>> policy_freshness(record, date(2026, 12, 8))["note"][:60]
    'projection: the record is as at 2026-12-07; a successor to u'
    """
    from minewatch.vocabulary import render

    why = record.staleness_message(on)
    note = render(why, locale) if why is not None else ""
    current = record.as_of(on)
    return {
        "on": on,
        "status_as_at": record.status_as_at,
        "projected": bool(note),
        "successor_due": current.successor_due if current else None,
        "note": note,
    }


def with_freshness(rows: list[dict[str, Any]], freshness: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows with the freshness columns every exported table carries:
    ``data_status_as_at`` and ``projected`` (rows that already carry them keep their own).

    >>> with_freshness([{"n": 1}], {"status_as_at": date(2026, 2, 3), "projected": True})
    [{'n': 1, 'data_status_as_at': datetime.date(2026, 2, 3), 'projected': True}]
    """
    extra = {"data_status_as_at": freshness["status_as_at"], "projected": freshness["projected"]}
    return [r if "projected" in r else r | extra for r in rows]


def freshness_line(freshness: dict[str, Any], locale: str | None = None) -> str:
    """One line for the foot of a table (its first sentence in ``locale``).

    >>> freshness_line({"status_as_at": date(2026, 2, 3), "projected": False, "note": ""})
    'Data status as at 2026-02-03.'
    >>> freshness_line({"status_as_at": date(2026, 2, 3), "projected": False, "note": ""}, "fr")
    'État des données au 2026-02-03.'
    """
    from minewatch.vocabulary import translate

    line = translate("Data status as at {date}.", locale, date=freshness["status_as_at"])
    return (
        f"{line} {freshness['note'][0].upper()}{freshness['note'][1:]}."
        if freshness["note"]
        else line
    )


def freshness_caption(freshness: dict[str, Any], locale: str | None = None) -> str:
    """A short form for chart titles, in ``locale``.

    >>> freshness_caption({"status_as_at": date(2026, 2, 3), "projected": True, "note": "x"})
    'Data status as at 2026-02-03 (projection: later notifications are not in the data)'
    """
    from minewatch.vocabulary import translate

    day = freshness["status_as_at"]
    if freshness["projected"]:
        return translate(
            "Data status as at {date} (projection: later notifications are not in the data)",
            locale,
            date=day,
        )
    return translate("Data status as at {date}", locale, date=day)
