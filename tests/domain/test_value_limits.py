"""Values no store should hold are refused where every door passes: NaN and infinite
numbers, whole numbers beyond the stores' INTEGER, negative counts and measures, and text
with NUL (which PostgreSQL cannot keep), by field and by column alike."""

from __future__ import annotations

import math

import pytest

from minewatch.domain.records import Kind
from minewatch.domain.schema import (
    INTEGER_RANGE,
    FieldError,
    coerce_column,
    coerce_fields,
    field_specs,
)

BAD = [
    (Kind.HAZARDOUS_AREA, "reported_area_m2", "Infinity", "not a finite number"),
    (Kind.HAZARDOUS_AREA, "reported_area_m2", float("inf"), "not a finite number"),
    (Kind.HAZARDOUS_AREA, "reported_area_m2", float("nan"), "not a finite number"),
    (Kind.HAZARDOUS_AREA, "reported_area_m2", "1e400", "not a finite number"),
    (Kind.HAZARDOUS_AREA, "reported_area_m2", -5.0, "below the smallest allowed value"),
    (Kind.VICTIM, "age", 10**20, "out of range"),
    (Kind.VICTIM, "age", INTEGER_RANGE[1] + 1, "out of range"),
    (Kind.VICTIM, "age", "inf", "not a whole number"),
    (Kind.VICTIM, "age", -1, "below the smallest allowed value"),
    (Kind.DEVICE_FIND, "quantity", "-2", "below the smallest allowed value"),
    (Kind.HAZARDOUS_AREA, "beneficiaries", {"girls": -1}, "girls: -1 is below"),
    (Kind.HAZARDOUS_AREA, "beneficiaries", {"men": 10**12}, "men: "),
    (Kind.HAZARDOUS_AREA, "name", "Area\x00 7", "NUL character"),
]


@pytest.mark.parametrize(("kind", "name", "value", "says"), BAD)
def test_a_bad_value_is_refused_naming_its_field(
    kind: Kind, name: str, value: object, says: str
) -> None:
    with pytest.raises(FieldError) as refused:
        coerce_fields(kind, {name: value})
    assert refused.value.field == name and says in str(refused.value)


# A float NaN in a column is a missing value: GDAL and pandas hand over nulls as NaN.
@pytest.mark.parametrize(
    ("kind", "name", "value", "says"),
    [b for b in BAD if not (isinstance(b[2], float) and math.isnan(b[2]))],
)
def test_a_column_refuses_the_same_values(kind: Kind, name: str, value: object, says: str) -> None:
    values, bad = coerce_column(field_specs(kind)[name], ["", value, None])
    assert [row for row, _ in bad] == [1] and says in bad[0][1]
    assert values[1] is None or values[1] == ()


def test_good_values_still_pass() -> None:
    good = coerce_fields(
        Kind.VICTIM, {"age": 0, "sex": "female", "name": "Synthetic person, tab\there"}
    )
    assert good["age"] == 0
    values, bad = coerce_column(field_specs(Kind.HAZARDOUS_AREA)["reported_area_m2"], [0, 1.5])
    assert values == [0.0, 1.5] and bad == []
    assert math.isclose(coerce_fields(Kind.DEVICE_FIND, {"depth_cm": "12.5"})["depth_cm"], 12.5)
