"""What each field of a record type holds (:class:`FieldSpec`), read from the record
dataclasses' type hints and field metadata (storage, enum, whether it repeats, its bounds, and
whether it is personal data): :func:`field_specs`, the fields a report may set
(:func:`data_fields`) and their defaults (:func:`default_values`).

>>> field_specs("device_find")["quantity"].minimum
1
>>> field_specs("hazardous_area")["name"].max_length, field_specs("hazardous_area")["description"].max_length
(200, 10000)
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind, record_type

Storage = Literal["text", "integer", "real", "boolean", "date", "datetime", "json", "geometry"]


#: The most characters a text field holds, declared here for every door (forms, API, files,
#: intake, migration) and stated by the entry form. A name, a code or a short answer is one
#: line, as an ODK/XLSForm ``text`` question takes it and as IMSMA and most national databases
#: keep such values, in bounded string columns: 200 holds any real one (place and operator
#: names run well under 100) with room to spare. Notes, descriptions, reasons and contacts are
#: sentences a surveyor writes, ODK's multi-line text: 10,000 is a few pages, more than any
#: field report needs. Without a bound one report could hold anything (a 2,000,000-character
#: area name was accepted into a draft) and slow every page, export and PDF that shows it.
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10_000

#: Text fields that hold sentences rather than a word, a name or a code (LONG_TEXT_MAX).
LONG_TEXT_FIELDS = frozenset(
    {
        "description",
        "conditions",
        "follow_up_notes",
        "medical_details",
        "status_reason",
        "activity_at_time",
        "contact",
        "note",
    }
)


def _max_length(name: str, base: Any, metadata: Any) -> int | None:
    """The most characters field ``name`` holds: declared in its metadata, else by its kind."""
    if base is not str:
        return None
    declared = metadata.get("max_length")
    if declared is not None:
        return int(declared)
    return LONG_TEXT_MAX if name in LONG_TEXT_FIELDS else SHORT_TEXT_MAX


#: Fields every record has that reports do not set: the store maintains them.
SYSTEM_FIELDS = frozenset({"id", "code", "version", "date_of_information"})


#: Names the records' annotations use but their modules import only for type checkers (so
#: that declaring records, as the CLI does at start, loads no shapely): given to
#: ``typing.get_type_hints`` when a field's type is read.
_HINT_NAMES: dict[str, Any] = {"BaseGeometry": BaseGeometry}


@dataclass(frozen=True)
class FieldSpec:
    """What one field of a record type holds, derived from its type hint.

    Examples
    --------
    >>> spec = field_specs(Kind.HAZARDOUS_AREA)["hazard_types"]
    >>> spec.storage, spec.many, spec.enum
    ('json', True, <enum 'HazardType'>)
    """

    name: str
    storage: Storage
    python_type: Any  # the base type (int, str, an Enum class, a nested dataclass, ...)
    many: bool = False  # a tuple of python_type
    optional: bool = True
    personal: bool = False
    minimum: float | None = None  # the smallest value allowed (counts and measures: 0)
    maximum: float | None = None  # the largest value allowed (an age: 130)
    refers_to: str | None = None  # the kind whose item's code it holds (a Kind value)
    help: str | None = None  # a sentence for the people who fill it in (English source text)
    max_length: int | None = None  # the most characters text holds (each code, for many)

    @property
    def enum(self) -> type[Enum] | None:
        """The field's Enum class, or None if it holds no enum."""
        is_enum = isinstance(self.python_type, type) and issubclass(self.python_type, Enum)
        return self.python_type if is_enum else None


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return hint, False


def _storage_of(base: Any, many: bool) -> Storage:
    if many or dataclasses.is_dataclass(base) or base is dict:
        return "json"
    if isinstance(base, type) and issubclass(base, BaseGeometry):
        return "geometry"
    if isinstance(base, type) and issubclass(base, Enum):
        return "text"
    table: dict[Any, Storage] = {
        bool: "boolean",
        int: "integer",
        float: "real",
        str: "text",
        uuid.UUID: "text",
        datetime: "datetime",
        date: "date",
    }
    return table[base]


@functools.cache
def field_specs(kind: Kind | str) -> dict[str, FieldSpec]:
    """Every field of a record type, in declaration order, keyed by name.

    Examples
    --------
    >>> specs = field_specs("victim")
    >>> specs["age"].storage, specs["name"].personal, "geometry" in specs   # victims have none
    ('integer', True, False)
    >>> field_specs(Kind.HAZARDOUS_AREA)["geometry"].storage
    'geometry'
    """
    return _specs_of(record_type(kind))


@functools.cache
def nested_field_specs(cls: type) -> dict[str, FieldSpec]:
    """The fields of a value nested in records (people by sex and age, a piece of evidence),
    keyed by name, as :func:`field_specs` gives a record's.

    Examples
    --------
    >>> from minewatch.domain.records import Evidence, SexAge
    >>> list(nested_field_specs(SexAge))[:4], nested_field_specs(SexAge)["girls"].minimum
    (['girls', 'boys', 'women', 'men'], 0)
    >>> nested_field_specs(Evidence)["type"].enum
    <enum 'EvidenceType'>
    """
    return _specs_of(cls)


def _specs_of(cls: type) -> dict[str, FieldSpec]:
    hints = typing.get_type_hints(cls, localns=_HINT_NAMES)
    specs: dict[str, FieldSpec] = {}
    for f in dataclasses.fields(cls):
        base, optional = _unwrap_optional(hints[f.name])
        many = typing.get_origin(base) is tuple
        if many:
            base = typing.get_args(base)[0]
        if typing.get_origin(base) is dict:
            base = dict  # an object of named values (``extra``), kept as JSON
        specs[f.name] = FieldSpec(
            name=f.name,
            storage=_storage_of(base, many),
            python_type=base,
            many=many,
            optional=optional,
            personal=bool(f.metadata.get("personal")),
            minimum=f.metadata.get("minimum"),
            maximum=f.metadata.get("maximum"),
            refers_to=f.metadata.get("refers_to"),
            help=f.metadata.get("help"),
            max_length=_max_length(f.name, base, f.metadata),
        )
    return specs


def data_fields(kind: Kind | str) -> dict[str, FieldSpec]:
    """The fields a report may set: all but the store-maintained ones and the geometry.

    Examples
    --------
    >>> list(data_fields(Kind.VICTIM))
    ['extra', 'accident_code', 'victim_type', 'sex', 'age', 'outcome', 'disability',
     'activity_at_time', 'name', 'contact', 'medical_details']
    >>> "code" in data_fields(Kind.VICTIM), "code" in field_specs(Kind.VICTIM)
    (False, True)
    """
    return {
        n: s
        for n, s in field_specs(kind).items()
        if n not in SYSTEM_FIELDS and s.storage != "geometry" and n != "external_id"
    }


def default_values(kind: Kind | str) -> dict[str, Any]:
    """Each data field's default, as a record built from no values would hold it.

    Examples
    --------
    >>> defaults = default_values(Kind.HAZARDOUS_AREA)
    >>> defaults["classification"], defaults["status"], defaults["hazard_types"]
    (<HazardClass.SHA: 'SHA'>, <HazardStatus.OPEN: 'open'>, ())
    """
    out = {}
    for f in dataclasses.fields(record_type(kind)):
        if f.name not in data_fields(kind):
            continue
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
        else:
            out[f.name] = None
    return out
