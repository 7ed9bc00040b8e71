"""``minewatch import`` of a CSV with no mapping file (issue 13, item 7): the geometry
columns are found by their names, and the reports wait in the review queue (submitted)
unless an approver asks for ``--state approved``. Synthetic data."""

from __future__ import annotations

from pathlib import Path

from api_support import run_cli

from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.store import ItemQuery, ReportQuery, open_store

CSV = "\ufeffRef;category;Latitude;LONG\nF1;ap_mine;50,4;30,5\nF2;uxo;50,41;30,51\n"


def test_a_semicolon_csv_lands_submitted_for_review(tmp_path: Path) -> None:
    source = tmp_path / "finds.csv"
    source.write_text(CSV, encoding="utf-8")
    store = str(tmp_path / "s.gpkg")
    assert run_cli("init", store)[0] == 0
    args = ("import", str(source), "--kind", "device_find", "--id-column", "Ref", "-s", store)
    code, out = run_cli(*args)
    assert code == 0 and "2 landed" in out, out
    repo = open_store(store)
    try:
        reports = repo.list_reports(ReportQuery(kind=Kind.DEVICE_FIND))
        assert {r.state for r in reports} == {ReportState.SUBMITTED}
        assert repo.count_items(ItemQuery(Kind.DEVICE_FIND)) == 0  # nothing approved yet
    finally:
        repo.close()

    again = tmp_path / "more.csv"
    again.write_text(CSV.replace("F1", "F3").replace("F2", "F4"), encoding="utf-8")
    code, out = run_cli(
        "import",
        str(again),
        "--kind",
        "device_find",
        "--id-column",
        "Ref",
        "-s",
        store,
        "--state",
        "approved",
    )
    assert code == 0 and "2 landed" in out, out
    repo = open_store(store)
    try:
        assert repo.count_items(ItemQuery(Kind.DEVICE_FIND)) == 2
    finally:
        repo.close()


def test_an_over_long_field_refuses_the_file_naming_file_row_and_field(tmp_path: Path) -> None:
    source = tmp_path / "finds.csv"
    long_model = "M" * 201  # a model is a name: 200 characters at most
    source.write_text(
        CSV.replace("LONG\n", "LONG;model\n").replace("30,5\n", "30,5;PMN-2\n")
        .replace("30,51\n", f"30,51;{long_model}\n"),
        encoding="utf-8",
    )  # fmt: skip
    store = str(tmp_path / "s.gpkg")
    assert run_cli("init", store)[0] == 0
    code, out = run_cli("import", str(source), "--kind", "device_find", "--id-column", "Ref",
                        "-s", store)  # fmt: skip
    flat = " ".join(out.split())
    assert code != 0 and "nothing imported" in flat, out
    assert "finds.csv, row 2, field model: 201 characters, more than the 200" in flat, out
    repo = open_store(store)
    try:
        assert repo.list_reports(ReportQuery(kind=Kind.DEVICE_FIND)) == []
    finally:
        repo.close()
