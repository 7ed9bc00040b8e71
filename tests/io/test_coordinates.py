"""Coordinates as people write them. Values are synthetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minewatch.io.coordinates import parse_degrees


@pytest.mark.parametrize(
    ("cell", "axis", "expected"),
    [
        ("30.5", "x", 30.5),
        ("-30,25", "x", -30.25),
        ("30°15'00\"E", "x", 30.25),
        ("30° 15.5' W", "x", -(30 + 15.5 / 60)),
        ("S 12 30 36", "y", -(12 + 30 / 60 + 36 / 3600)),
        ("12:30:36", "y", 12 + 30 / 60 + 36 / 3600),
        ("12d30m36s N", "y", 12 + 30 / 60 + 36 / 3600),
    ],
)
def test_formats_read(cell: str, axis: str, expected: float) -> None:
    values, problems = parse_degrees(pd.Series([cell]), axis)  # type: ignore[arg-type]
    assert problems[0] is None
    assert values[0] == pytest.approx(expected)


def test_blank_is_nan_without_a_problem_and_wrong_hemisphere_is_reported() -> None:
    values, problems = parse_degrees(pd.Series(["", "33 30 N"]), "x")
    assert np.isnan(values[0]) and problems[0] is None
    assert np.isnan(values[1]) and "columns swapped" in problems[1]


@given(st.floats(0, 179.99), st.sampled_from(["N", "S"]))
def test_dms_written_out_reads_back(value: float, hemisphere: str) -> None:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    if seconds >= 60:
        return
    cell = f"{degrees}°{minutes}'{seconds}\"{hemisphere}"
    values, problems = parse_degrees(pd.Series([cell]), "y")
    sign = -1 if hemisphere == "S" else 1
    assert problems[0] is None
    assert values[0] == pytest.approx(sign * (degrees + minutes / 60 + seconds / 3600))
