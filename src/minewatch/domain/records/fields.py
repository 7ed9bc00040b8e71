"""Field helpers for the record dataclasses: :func:`count_or_measure` marks a count or a
measure with its bounds, which :mod:`minewatch.domain.schema` enforces at every door;
:func:`reference` marks a field holding another item's code (forms offer a picker, and codes
of organisations must name one that exists).
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
    default: Any = None,
    *,
    minimum: float = 0,
    maximum: float | None = None,
    help: str | None = None,
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
    metadata: dict[str, Any] = {"minimum": minimum}
    if maximum is not None:
        metadata["maximum"] = maximum
    if help is not None:
        metadata["help"] = help
    return field(default=default, metadata=metadata)


def reference(kind: str, *, help: str | None = None) -> Any:
    """A dataclass field holding the code of an item of ``kind`` (a :class:`Kind` value):
    forms offer those items to choose from, and the workflow refuses a code of an
    organisation that does not exist.

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Visit:
    ...     organisation_code: str | None = reference("organisation")
    >>> fields(Visit)[0].metadata["refers_to"], Visit().organisation_code
    ('organisation', None)
    """
    metadata: dict[str, Any] = {"refers_to": kind}
    if help is not None:
        metadata["help"] = help
    return field(default=None, metadata=metadata)


def described(default: Any = None, *, help: str) -> Any:
    """A dataclass field with a sentence of help for the people who fill it in.

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Strike:
    ...     mine_type: str | None = described(help="A model name from the device catalogue")
    >>> fields(Strike)[0].metadata["help"]
    'A model name from the device catalogue'
    """
    return field(default=default, metadata={"help": help})


def references(kind: str, *, help: str | None = None) -> Any:
    """A dataclass field holding the codes of several items of ``kind`` (a tuple, empty by
    default): forms take them as codes separated by spaces.

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Task:
    ...     area_codes: tuple[str, ...] = references("hazardous_area")
    >>> fields(Task)[0].metadata["refers_to"], Task().area_codes
    ('hazardous_area', ())
    """
    metadata: dict[str, Any] = {"refers_to": kind}
    if help is not None:
        metadata["help"] = help
    return field(default=(), metadata=metadata)
