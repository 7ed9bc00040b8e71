"""Field helpers for the record dataclasses: :func:`count_or_measure` marks a count or a
measure with its bounds, which :mod:`minewatch.domain.schema` enforces at every door.
(Personal data has its own marker, :func:`minewatch.domain.records.personal.personal`.)

>>> from dataclasses import dataclass, fields
>>> @dataclass
... class Clearance:
...     area_m2: float = count_or_measure(0.0)
>>> dict(fields(Clearance)[0].metadata)
{'minimum': 0}
"""

from __future__ import annotations

from dataclasses import field
from typing import Any


def count_or_measure(
    default: Any = None, *, minimum: float = 0, maximum: float | None = None
) -> Any:
    """A dataclass field holding a count or a measure (people, items, m², cm, hours), which
    is never negative; :mod:`minewatch.domain.schema` refuses values below ``minimum`` (a
    find is at least one item) or above ``maximum`` (an age), naming the field, at every door.

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Find:
    ...     quantity: int = count_or_measure(1, minimum=1)
    >>> fields(Find)[0].metadata["minimum"], Find().quantity
    (1, 1)
    """
    metadata: dict[str, float] = {"minimum": minimum}
    if maximum is not None:
        metadata["maximum"] = maximum
    return field(default=default, metadata=metadata)
