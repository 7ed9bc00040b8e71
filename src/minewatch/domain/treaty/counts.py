"""How many states parties an instrument had on each of many dates, by either definition in use
(in force, or consented), vectorised over dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from minewatch.domain.treaty.status import Timeline

if TYPE_CHECKING:  # numpy loads when counting, not when the CLI declares its options
    import numpy as np


class CountDefinition(StrEnum):
    """The two definitions of "states parties" used in practice.

    Examples
    --------
    >>> [d.value for d in CountDefinition]
    ['in-force', 'consented']
    """

    IN_FORCE = "in-force"  # the instrument is in force for the state on the date
    CONSENTED = "consented"  # consent deposited and withdrawal not (yet) effective


def _day_numbers(days: Iterable[date | None]) -> np.ndarray:
    import numpy as np

    return np.array(sorted(d.toordinal() for d in days if d is not None), dtype=np.int64)


def count_parties(
    timelines: Sequence[Timeline],
    on: Sequence[date],
    definition: CountDefinition,
) -> np.ndarray:
    """The number of states parties on each date of ``on``, vectorised over dates.

    A party counts from its entry into force (``IN_FORCE``) or from its consent
    (``CONSENTED``) until its withdrawal takes effect. Every withdrawn state had joined before
    withdrawing, so the count is (#joined by the date) - (#withdrawals effective by the date).

    >>> count_parties([], [date(2000, 1, 1)], CountDefinition.IN_FORCE).tolist()
    [0]
    """
    import numpy as np

    if definition is CountDefinition.IN_FORCE:
        starts = _day_numbers(t.entry_into_force for t in timelines)
    else:
        starts = _day_numbers(t.party_since for t in timelines)
    ends = _day_numbers(t.withdrawal_effective for t in timelines)
    query = np.array([d.toordinal() for d in on], dtype=np.int64)
    joined = np.searchsorted(starts, query, side="right")
    left = np.searchsorted(ends, query, side="right")
    return (joined - left).astype(np.int64)
