"""Membership of groupings of states (NATO, the EU, the OSCE, …) as dated, sourced facts, so
that a question about a state can be asked of a group: who is bound by what on a date.

A source may date a membership to the day, the month or only the year ("1952"), or give no
date at all but show the state a member by some date (``known_by``). A state counts as a
member from the end of the period the source allows (never earlier than the source shows);
inside that period its membership is uncertain (None).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def period_bounds(text: str) -> tuple[date, date]:
    """The first and last day of a date given as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    >>> period_bounds("1952")
    (datetime.date(1952, 1, 1), datetime.date(1952, 12, 31))
    >>> period_bounds("2004-05")
    (datetime.date(2004, 5, 1), datetime.date(2004, 5, 31))
    >>> period_bounds("2024-03-07")
    (datetime.date(2024, 3, 7), datetime.date(2024, 3, 7))
    >>> period_bounds("May 2004")
    Traceback (most recent call last):
    ...
    ValueError: not a year, year-month or date: 'May 2004'
    """
    parts = text.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1 and len(parts[0]) == 4:
            return date(numbers[0], 1, 1), date(numbers[0], 12, 31)
        if len(numbers) == 2:
            last = calendar.monthrange(numbers[0], numbers[1])[1]
            return date(numbers[0], numbers[1], 1), date(numbers[0], numbers[1], last)
        if len(numbers) == 3:
            day = date(numbers[0], numbers[1], numbers[2])
            return day, day
    except ValueError:
        pass
    raise ValueError(f"not a year, year-month or date: {text!r}")


@dataclass(frozen=True)
class Membership:
    """One state's membership of one group, as a source dates it.

    ``since`` and ``until`` are texts of day, month or year precision (``until``: the day the
    state left, no longer a member from then); ``known_by`` stands in when the source gives no
    start, only that the state was a member by then.

    Examples
    --------
    >>> greece = Membership("NATO", "Greece", "1952", source="synthetic")
    >>> [greece.member_on(date(y, 6, 1)) for y in (1951, 1952, 1953)]
    [False, None, True]
    >>> uk = Membership("EU", "UK", "1993-11-01", until="2020-01-31", source="synthetic")
    >>> uk.member_on(date(2020, 1, 30)), uk.member_on(date(2020, 1, 31))
    (True, False)
    >>> listed = Membership("OSCE", "Synthetica", known_by="2025", source="synthetic")
    >>> listed.member_on(date(2026, 1, 1)), listed.member_on(date(2000, 1, 1))
    (True, None)
    """

    group: str
    state: str
    since: str = ""
    until: str = ""
    known_by: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not self.since and not self.known_by:
            raise ValueError(f"{self.group} / {self.state}: since or known_by is needed")
        for text in (self.since, self.until, self.known_by):
            if text:
                period_bounds(text)

    def member_on(self, day: date) -> bool | None:
        """True, False, or None when the sources leave it open on ``day``."""
        if self.until and day >= period_bounds(self.until)[0]:
            return False
        if self.since:
            first, last = period_bounds(self.since)
            if day < first:
                return False
            return True if day > last or first == last else None
        return True if day > period_bounds(self.known_by)[1] else None
