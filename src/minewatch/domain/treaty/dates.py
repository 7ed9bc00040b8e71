"""Calendar arithmetic the treaty texts use: "six months after", and "the first day of the
sixth month after the month" (APMBC Art. 17).
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, clamped to the month's last day.

    Six months after 27 June is 27 December (the depositary's own practice for Art. 20(3)
    withdrawals). Where the later month is shorter, the last day of that month is used; no
    treaty text settles this, so it is a documented assumption (see docs/treaty-monitor.md).

    >>> add_months(date(2025, 8, 20), 6)
    datetime.date(2026, 2, 20)
    >>> add_months(date(2005, 5, 31), 6)
    datetime.date(2005, 11, 30)
    """
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_day_of_sixth_month_after(day: date) -> date:
    """The first day of the sixth month after the month of ``day`` (APMBC Art. 17).

    >>> first_day_of_sixth_month_after(date(2005, 7, 1))
    datetime.date(2006, 1, 1)
    """
    return add_months(day.replace(day=1), 6)
