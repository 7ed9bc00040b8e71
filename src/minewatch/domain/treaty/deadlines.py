"""The APMBC's obligations as dates: stockpile destruction (Art. 4), clearance of mined areas
(Art. 5) with the extensions granted (Art. 5(3)-(6)), and the transparency reports (Art. 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from minewatch.domain.treaty.dates import add_months


def stockpile_deadline(entry_into_force: date) -> date:
    """Art. 4: stockpiles destroyed "not later than four years after the entry into force".

    The Convention allows no extension of this deadline.

    >>> stockpile_deadline(date(2004, 3, 1))
    datetime.date(2008, 3, 1)
    """
    return add_months(entry_into_force, 48)


def original_clearance_deadline(entry_into_force: date) -> date:
    """Art. 5(1): mined areas cleared "not later than ten years after the entry into force".

    >>> original_clearance_deadline(date(1999, 3, 1))
    datetime.date(2009, 3, 1)
    """
    return add_months(entry_into_force, 120)


def initial_report_due(entry_into_force: date) -> date:
    """Art. 7(1): initial report "not later than 180 days after the entry into force" (days).

    >>> initial_report_due(date(2005, 6, 1))
    datetime.date(2005, 11, 28)
    """
    return entry_into_force + timedelta(days=180)


def annual_report_due(year: int) -> date:
    """Art. 7(2): the annual update covering calendar year ``year - 1`` is due 30 April ``year``.

    Examples
    --------
    >>> annual_report_due(2025)   # the update covering 2024
    datetime.date(2025, 4, 30)
    """
    return date(year, 4, 30)


def annual_report_owed(entry_into_force: date, year: int) -> bool:
    """Whether the Art. 7(2) update due on 30 April ``year`` is owed: only once the initial
    report (Art. 7(1)) has fallen due, since the annual update "updates" it, and only when
    the Convention was in force in the calendar year it covers.

    Examples
    --------
    >>> annual_report_owed(date(2025, 12, 1), 2026)   # initial report due 30 May 2026
    False
    >>> annual_report_owed(date(2025, 12, 1), 2027)
    True
    >>> annual_report_owed(date(1999, 3, 1), 2000)
    True
    """
    due = annual_report_due(year)
    return entry_into_force <= date(year - 1, 12, 31) and initial_report_due(entry_into_force) < due


@dataclass(frozen=True)
class ClearanceExtension:
    """An Art. 5(3)-(6) extension granted by a Meeting of States Parties or Review Conference.

    ``decided_on`` may be unknown when the source gives only the year; the decision is then
    treated as known from the end of ``decided_year`` (never earlier than the source allows).
    When the source gives neither, only that the deadline was in force by some date
    (``known_by``), it counts from that date.

    Examples
    --------
    >>> extension = ClearanceExtension("Synthetica", date(2030, 3, 1), 2024, "synthetic")
    >>> extension.known_from   # only the year is known: from its end
    datetime.date(2024, 12, 31)
    >>> ClearanceExtension("Synthetica", date(2021, 1, 1), None, "synthetic",
    ...                    known_by=date(2020, 6, 30)).known_from
    datetime.date(2020, 6, 30)
    >>> ClearanceExtension("Synthetica", date(2021, 1, 1), None, "synthetic")
    Traceback (most recent call last):
    ...
    ValueError: Synthetica: an extension needs decided_on, decided_year or known_by
    """

    state: str
    new_deadline: date
    decided_year: int | None
    source: str
    decided_on: date | None = None
    decided_by: str = ""
    sequence: int | None = None
    known_by: date | None = None

    def __post_init__(self) -> None:
        if self.decided_on is None and self.decided_year is None and self.known_by is None:
            raise ValueError(
                f"{self.state}: an extension needs decided_on, decided_year or known_by"
            )

    @property
    def known_from(self) -> date:
        if self.decided_on is not None:
            return self.decided_on
        if self.decided_year is not None:
            return date(self.decided_year, 12, 31)
        assert self.known_by is not None  # __post_init__
        return self.known_by


def clearance_deadline(
    entry_into_force: date, extensions: Sequence[ClearanceExtension], on: date
) -> tuple[date, ClearanceExtension | None]:
    """The Art. 5 deadline in force on ``on``: the latest extension decided by then, or else the
    original Art. 5(1) date. Returns the deadline and the extension it came from (if any).

    Examples
    --------
    >>> extension = ClearanceExtension("Synthetica", date(2030, 3, 1), 2024, "synthetic",
    ...                                decided_on=date(2024, 11, 29))
    >>> clearance_deadline(date(2015, 3, 1), [extension], on=date(2024, 1, 1))
    (datetime.date(2025, 3, 1), None)
    >>> clearance_deadline(date(2015, 3, 1), [extension], on=date(2025, 1, 1))[0]
    datetime.date(2030, 3, 1)
    """
    known = [e for e in extensions if e.known_from <= on]
    if not known:
        return original_clearance_deadline(entry_into_force), None
    latest = max(known, key=lambda e: (e.known_from, e.new_deadline))
    return latest.new_deadline, latest


@dataclass(frozen=True)
class ClearanceCompletion:
    """A State Party's declaration that it has fulfilled Art. 5 (all known mined areas cleared),
    tabled or made at a Meeting of the States Parties or Review Conference. From
    ``declared_on`` the clearance deadline is fulfilled, not pending or overdue.

    Examples
    --------
    >>> done = ClearanceCompletion("Synthetica", date(2020, 11, 16), "18MSP", "synthetic")
    >>> clearance_completion([done], on=date(2020, 11, 15)) is None
    True
    >>> clearance_completion([done], on=date(2021, 1, 1)).meeting
    '18MSP'
    """

    state: str
    declared_on: date
    meeting: str
    source: str


def clearance_completion(
    completions: Sequence[ClearanceCompletion],
    on: date,
    extensions: Sequence[ClearanceExtension] = (),
) -> ClearanceCompletion | None:
    """The latest completion declared on or before ``on``, unless an extension decided after it
    (a state that finds new mined areas asks for a new deadline) is known by ``on``: then the
    obligation is open again. None: no completion in force on ``on``.

    >>> done = ClearanceCompletion("Synthetica", date(2018, 11, 29), "17MSP", "synthetic")
    >>> again = ClearanceExtension("Synthetica", date(2026, 12, 31), 2021, "synthetic")
    >>> clearance_completion([done], date(2020, 1, 1), [again]).meeting
    '17MSP'
    >>> clearance_completion([done], date(2022, 1, 1), [again]) is None
    True
    """
    known = [c for c in completions if c.declared_on <= on]
    if not known:
        return None
    latest = max(known, key=lambda c: c.declared_on)
    reopened = any(latest.declared_on < e.known_from <= on for e in extensions)
    return None if reopened else latest
