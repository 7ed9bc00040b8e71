"""Field specifications derived from the record dataclasses, and the conversions between
records and plain values (str, int, float, bool, None, lists and dicts) that reports, stores,
importers and APIs exchange.

There is one description of each record type (its dataclass); everything that needs columns,
JSON or validation reads it from here rather than keeping its own list.

>>> from minewatch.domain.records import Kind
>>> spec = field_specs(Kind.VICTIM)["sex"]
>>> spec.storage, spec.personal
('text', False)
>>> coerce_value(spec, "female")
<Sex.FEMALE: 'female'>

The package re-exports what its callers use: field specifications (:mod:`.specs`), coercion
of one value or a report's changes (:mod:`.coercion`), plain data and records
(:mod:`.plain`), and whole columns (:mod:`.columns`).
"""

from minewatch.domain.schema.coercion import (
    INTEGER_RANGE,
    FieldError,
    clean_code,
    coerce_fields,
    coerce_value,
    length_problem,
    text_problem,
)
from minewatch.domain.schema.columns import CellError, coerce_column, coerce_columns, plain_column
from minewatch.domain.schema.plain import build_record, record_to_plain, to_plain
from minewatch.domain.schema.specs import (
    SYSTEM_FIELDS,
    FieldSpec,
    Storage,
    data_fields,
    default_values,
    field_specs,
    nested_field_specs,
)

__all__ = [
    "INTEGER_RANGE",
    "SYSTEM_FIELDS",
    "CellError",
    "FieldError",
    "FieldSpec",
    "Storage",
    "build_record",
    "clean_code",
    "coerce_column",
    "coerce_columns",
    "coerce_fields",
    "coerce_value",
    "data_fields",
    "default_values",
    "field_specs",
    "length_problem",
    "nested_field_specs",
    "plain_column",
    "record_to_plain",
    "text_problem",
    "to_plain",
]
