"""The shipped device catalogue: every row sourced, blanks stay unknown."""

from __future__ import annotations

import pytest

from minewatch.errors import InvalidInput, NotFound
from minewatch.io.devices import device_catalogue, find_device, parse_catalogue


def test_every_row_has_a_source_and_no_invented_failure_rates() -> None:
    rows = device_catalogue()
    assert rows and all(r.source_url.startswith("https://") and r.source_date for r in rows)
    assert all(r.sd_failure_probability is None and r.sda_failure_probability is None for r in rows)
    assert find_device("POM-3").sd_time_max_hours is None


def test_lookup_and_bad_rows() -> None:
    assert find_device(" pfm-1s ").model == "PFM-1S"
    with pytest.raises(NotFound):
        find_device("nope")
    header = "model,source_document,source_url,source_date,sd_time_min_hours\n"
    with pytest.raises(InvalidInput, match="source"):
        parse_catalogue(header + "X,,https://x,2024\n")
    with pytest.raises(InvalidInput, match="number"):
        parse_catalogue(header + "X,doc,https://x,2024,soon\n")
