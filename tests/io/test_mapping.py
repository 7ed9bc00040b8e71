"""Column mappings, on synthetic frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.domain.records import HazardStatus
from minewatch.errors import InvalidInput
from minewatch.io.mapping import apply_mapping, load_mapping


def test_types_follow_the_record_schema() -> None:
    mapping = load_mapping(
        {
            "kind": "device_find",
            "fields": {
                "quantity": "QTY",
                "depth_cm": "DEPTH",
                "found_date": "FOUND",
                "condition": {"column": "COND", "default": "unknown"},
            },
        }
    )
    frame = pd.DataFrame(
        {
            "QTY": ["2", "2.5", "", "x"],
            "DEPTH": [1.5, None, 3, 4],
            "FOUND": ["2024-05-01", "2024-05-01T10:00:00", "01/05/2024", None],
            "COND": ["LIVE", " inert ", None, "melted"],
        }
    )
    values, errors = apply_mapping(mapping, frame)
    assert values["quantity"].tolist() == [2, None, None, None]
    assert values["depth_cm"].tolist() == [1.5, None, 3.0, 4.0]
    assert values["found_date"].tolist() == ["2024-05-01", "2024-05-01", None, None]
    assert values["condition"].tolist() == ["live", "inert", "unknown", None]
    assert {(e.row, e.field) for e in errors} == {
        (1, "quantity"),
        (3, "quantity"),
        (2, "found_date"),
        (3, "condition"),
    }
    assert (
        next(e for e in errors if e.row == 1).message == "column QTY: '2.5' is not a whole number"
    )


def test_mapping_file_errors_name_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("kind = ")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        load_mapping(bad)
    with pytest.raises(InvalidInput, match="not found"):
        load_mapping(tmp_path / "missing.toml")
    with pytest.raises(InvalidInput, match="either 'column' or a constant"):
        load_mapping({"kind": "hazardous_area", "fields": {"name": {"default": "x"}}})
    with pytest.raises(InvalidInput, match="wkt"):
        load_mapping({"kind": "device_find", "geometry": {"x": "LON"}})


statuses = st.one_of(
    st.none(),
    st.sampled_from(["Open", "open", " OPEN ", "Done", "", "closed", "gone", "Suspended"]),
    st.text(max_size=5),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(statuses, max_size=30))
def test_every_row_gets_a_valid_value_or_an_error(cells: list[str | None]) -> None:
    """No row is lost: each either maps to a valid status, is blank, or has an error."""
    mapping = load_mapping(
        {
            "kind": "hazardous_area",
            "fields": {"status": {"column": "STATUS", "values": {"Done": "released"}}},
        }
    )
    values, errors = apply_mapping(
        mapping, pd.DataFrame({"STATUS": pd.Series(cells, dtype=object)})
    )
    assert len(values) == len(cells)
    bad_rows = {e.row for e in errors}
    valid = {s.value for s in HazardStatus}
    for row, value in enumerate(values["status"]):
        if row in bad_rows:
            assert value is None
        else:
            assert value is None or value in valid
            if value is None:
                assert cells[row] is None or not str(cells[row]).strip()


def test_date_of_information_and_item_code_can_be_mapped() -> None:
    mapping = load_mapping(
        {
            "kind": "hazardous_area",
            "fields": {"date_of_information": "SURVEYED", "code": "HA_CODE", "name": "NAME"},
        }
    )
    frame = pd.DataFrame(
        {"SURVEYED": ["2024-05-01", "later"], "HA_CODE": ["HA-000001", None], "NAME": ["a", "b"]}
    )
    values, errors = apply_mapping(mapping, frame)
    assert values.to_dict("records")[0] == {
        "date_of_information": "2024-05-01",
        "code": "HA-000001",
        "name": "a",
    }
    assert [(e.row, e.field) for e in errors] == [(1, "date_of_information")]
