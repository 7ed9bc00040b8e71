"""Rules across the fields of one report: dates in order.

A field's own rules (its type, its choices, its bounds) are checked by
:mod:`minewatch.domain.schema`; these need two values at once. They run on columns, so an
import of a million rows checks them in a few vectorised passes, and the workflow applies
them to every door alike (forms, the API, file imports, field intake).

- No date a report gives of something that happened (an accident, a session, a visit, a
  find, a release, the start of an activity, the time a strike was laid) may be after the
  report's Date of Information: the information cannot describe what had not yet happened.
  Planned dates are the exception: an activity's end (a report made while work goes on
  gives the planned end), an accreditation's validity, a task order's start and due dates,
  a survivor's next follow-up.
- An activity ends on or after the day it starts; an accreditation is valid until a day on
  or after it starts; a task order starts and is due on or after the day it is issued.
- No Date of Information lies in the future (:func:`future_problems`): a report cannot give
  information not yet known. "Today" is the caller's: the workflow takes the latest date
  current anywhere on Earth, so a team east of the server's time zone is never refused its
  own today.

>>> from datetime import date
>>> problems = date_problems(
...     "accident", {"accident_date": [date(2024, 5, 1), date(2024, 7, 1)]},
...     [date(2024, 6, 1), date(2024, 6, 1)])
>>> [(p.row, p.field) for p in problems]
[(1, 'accident_date')]
>>> print(problems[0].message)
2024-07-01 is after the report's Date of Information (2024-06-01)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from minewatch.domain.records import Kind
from minewatch.domain.schema import data_fields

if TYPE_CHECKING:  # pandas loads when dates are compared, not when the workflow is built
    import pandas as pd

#: Date fields that may lie after the Date of Information: planned, not yet happened.
PLANNED_DATES: dict[Kind, frozenset[str]] = {
    Kind.LAND_RELEASE_ACTIVITY: frozenset({"end_date"}),
    Kind.ACCREDITATION: frozenset({"valid_from", "valid_until"}),
    Kind.TASK_ORDER: frozenset({"start_date", "due_date"}),
    Kind.VICTIM_ASSISTANCE: frozenset({"next_follow_up_date"}),
}

#: (earlier, later) date fields of one record that must come in that order.
ORDERED_DATES: dict[Kind, tuple[tuple[str, str], ...]] = {
    Kind.LAND_RELEASE_ACTIVITY: (("start_date", "end_date"),),
    Kind.ACCREDITATION: (("valid_from", "valid_until"),),
    Kind.TASK_ORDER: (("issue_date", "start_date"), ("issue_date", "due_date")),
}


@dataclass(frozen=True)
class Problem:
    """One row whose ``field`` breaks a rule, and why (rows count from 0).

    Examples
    --------
    >>> print(Problem(2, "accident_date", "2024-07-01 is after ...").field)
    accident_date
    """

    row: int
    field: str
    message: str


def event_date_fields(kind: Kind | str) -> list[str]:
    """The date fields of past events a report of ``kind`` may set (each is checked against
    its Date of Information).

    >>> event_date_fields("land_release_activity")
    ['start_date']
    """
    planned = PLANNED_DATES.get(Kind(kind), frozenset())
    return [
        n
        for n, s in data_fields(kind).items()
        if s.storage in ("date", "datetime") and n not in planned
    ]


def _days(values: Sequence[Any]) -> pd.Series:
    """Dates and datetimes as days (a datetime counts on its own calendar day)."""
    import pandas as pd

    plain = [v.date() if isinstance(v, datetime) else v for v in values]
    return pd.Series(pd.to_datetime(pd.Series(plain, dtype=object), errors="coerce"))


def date_problems(
    kind: Kind | str,
    typed: Mapping[str, Sequence[Any]],
    dates_of_information: Sequence[date],
) -> list[Problem]:
    """Every row of ``typed`` (columns of converted values; missing values are None) whose
    dates break the rules above, in row order.

    Examples
    --------
    >>> from datetime import date
    >>> typed = {"start_date": [date(2024, 5, 1)], "end_date": [date(2024, 4, 1)]}
    >>> [p.message for p in date_problems("land_release_activity", typed, [date(2024, 6, 1)])]
    ['end_date 2024-04-01 is before start_date 2024-05-01']
    """
    kind = Kind(kind)
    doi = _days(dates_of_information)
    found: list[Problem] = []
    for name in event_date_fields(kind):
        if name not in typed:
            continue
        values = list(typed[name])
        late = (_days(values) > doi).to_numpy()
        for row in map(int, late.nonzero()[0]):
            day = values[row].date() if isinstance(values[row], datetime) else values[row]
            found.append(
                Problem(
                    row,
                    name,
                    f"{day.isoformat()} is after the report's Date of Information "
                    f"({dates_of_information[row].isoformat()})",
                )
            )
    for earlier, later in ORDERED_DATES.get(kind, ()):
        if earlier in typed and later in typed:
            first, last = list(typed[earlier]), list(typed[later])
            backwards = (_days(last) < _days(first)).to_numpy()
            for row in map(int, backwards.nonzero()[0]):
                found.append(
                    Problem(
                        row,
                        later,
                        f"{later} {last[row].isoformat()} is before {earlier} "
                        f"{first[row].isoformat()}",
                    )
                )
    return sorted(found, key=lambda p: p.row)


def future_problems(dates_of_information: Sequence[date], today: date) -> list[Problem]:
    """Every row whose Date of Information is after ``today`` (rows count from 0).

    Examples
    --------
    >>> from datetime import date
    >>> problems = future_problems([date(2026, 5, 1), date(2027, 1, 2)], date(2026, 12, 7))
    >>> [(p.row, p.field) for p in problems]
    [(1, 'date_of_information')]
    >>> print(problems[0].message)
    the Date of Information 2027-01-02 is in the future (today is 2026-12-07): a report cannot give information not yet known
    """
    return [
        Problem(
            row,
            "date_of_information",
            f"the Date of Information {day.isoformat()} is in the future (today is "
            f"{today.isoformat()}): a report cannot give information not yet known",
        )
        for row, day in enumerate(dates_of_information)
        if day is not None and day > today
    ]
