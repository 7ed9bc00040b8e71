"""`minewatch treaty …` through Typer's CliRunner, on the shipped data."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.errors import InvalidInput, NotFound

UNTC = Path(__file__).parents[2] / ".." / "shared" / "reference" / "untc"

_register_commands()
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, ["treaty", *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_status_json() -> None:
    rows = json.loads(
        run("status", "Poland", "Estonia", "--on", "2026-02-03", "-i", "apmbc", "-f", "json")
    )
    by_state = {r["state"]: r for r in rows}
    assert by_state["Poland"]["status"] == "withdrawal pending"
    assert by_state["Estonia"]["status"] == "withdrawn"
    assert by_state["Estonia"]["withdrawal_effective"] == "2025-12-27"


def test_status_table_and_all_states() -> None:
    assert "United States of America" in run("status", "USA", "--on", "2026-03-01")
    rows = list(
        csv.DictReader(
            run("status", "--all", "-i", "apmbc", "--on", "2026-03-01", "-f", "csv").splitlines()
        )
    )
    assert len(rows) == 197
    assert sum(r["status"] == "bound" for r in rows) == 161


def test_count_csv() -> None:
    out = run("count", "--on", "2025-12-27", "--on", "2026-02-20", "-i", "apmbc", "-f", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["definition"], r["on"], r["states_parties"]) for r in rows] == [
        ("in-force", "2025-12-27", "163"),
        ("in-force", "2026-02-20", "161"),
        ("consented", "2025-12-27", "163"),
        ("consented", "2026-02-20", "161"),
    ]


def test_compare_to_file(tmp_path: Path) -> None:
    target = tmp_path / "not-both.csv"
    run("compare", "--on", "2026-03-01", "-f", "csv", "-o", str(target))
    rows = {r["state"]: r["bound_by"] for r in csv.DictReader(target.read_text().splitlines())}
    assert rows["United States of America"] == "ccw-ap2" and rows["Tonga"] == "apmbc"


def test_deadlines_and_entry_into_force() -> None:
    out = run(
        "deadlines", "--on", "2026-01-01", "--days", "60", "--kind", "withdrawal", "-f", "csv"
    )
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["state"], r["due"]) for r in rows] == [
        ("Finland", "2026-01-10"),
        ("Poland", "2026-02-20"),
    ]
    eif = json.loads(run("entry-into-force", "-i", "ccw-ap2", "-f", "json"))
    assert {r["state"]: r["entry_into_force"] for r in eif}[
        "United States of America"
    ] == "1999-11-24"


def test_policy_and_diff() -> None:
    rows = json.loads(run("policy", "--on", "2021-01-01", "-f", "json"))
    assert {r["version"] for r in rows} == {"us-2020-01"}
    assert "us-2025-12" in run("policy", "--list")
    diff = json.loads(run("diff", "us-2014-09", "us-2020-01", "-f", "json"))
    assert {r["dimension"]: r["change"] for r in diff}["use_authority"] == "now stated"


def test_a_date_may_be_typed_where_the_sentence_puts_it() -> None:
    """`treaty status FIN 2026-01-15` and `treaty count 2026-02-03`, as the README shows."""
    assert run("status", "FIN", "2026-01-15", "-f", "json") == run(
        "status", "FIN", "--on", "2026-01-15", "-f", "json"
    )
    withdrawn = json.loads(run("status", "FIN", "2026-01-15", "-i", "apmbc", "-f", "json"))
    assert [r["on"] for r in withdrawn] == ["2026-01-15"]
    assert run("count", "2025-12-27", "2026-02-20", "-f", "csv") == run(
        "count", "--on", "2025-12-27", "--on", "2026-02-20", "-f", "csv"
    )
    for args in (["FIN", "2026-01-15", "--on", "2026-01-16"], ["FIN", "2026-13-01"]):
        result = runner.invoke(app, ["treaty", "status", *args])
        assert isinstance(result.exception, InvalidInput), result.output


def test_errors_are_minewatch_errors() -> None:
    result = runner.invoke(app, ["treaty", "status", "Narnia"])
    assert isinstance(result.exception, NotFound)
    result = runner.invoke(app, ["treaty", "count", "--on", "2026-13-01"])
    assert isinstance(result.exception, InvalidInput)
    result = runner.invoke(app, ["treaty", "diff", "us-1999", "us-2020-01"])
    assert isinstance(result.exception, InvalidInput)


def test_import_and_use_directory(tmp_path: Path) -> None:
    if not (UNTC / "ottawa.html").is_file():
        pytest.skip("reference pages not available")
    out = tmp_path / "data"
    text = run("import", str(UNTC / "ottawa.html"), str(UNTC / "ccw_p2a.html"), "--out", str(out))
    assert "apmbc: 166 participants, status as at 2026-02-03" in text
    rows = json.loads(
        run(
            "status",
            "Finland",
            "-i",
            "apmbc",
            "--on",
            "2026-01-10",
            "-f",
            "json",
            "--data-dir",
            str(out),
        )
    )
    assert rows[0]["status"] == "withdrawn"


def test_chart_commands(tmp_path: Path) -> None:
    png = tmp_path / "map.png"
    run("chart", "map", "--on", "2026-03-01", "--out", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = tmp_path / "timeline.html"
    run("chart", "timeline", "-i", "all", "--out", str(html))
    assert "plotly" in html.read_text()[:200000].lower()
    result = runner.invoke(app, ["treaty", "chart", "map", "--out", str(tmp_path / "map.svg")])
    assert isinstance(result.exception, InvalidInput)


def test_every_command_has_an_example_in_its_help() -> None:
    for command in (
        "status",
        "count",
        "compare",
        "deadlines",
        "entry-into-force",
        "policy",
        "diff",
        "import",
        "chart",
    ):
        assert "Example: minewatch treaty" in run(command, "--help"), command


def test_every_answer_says_how_fresh_it_is() -> None:
    """A count for a day after the depositary's "status as at" is flagged as a projection in
    the table and in each JSON row; one before it is not; the policy answer after the
    December 2025 memo's 90 days says a successor was due."""
    table = run("count", "2026-12-07", "-i", "apmbc")
    assert "Data status as at 2026-02-03. Projection:" in table
    rows = json.loads(run("count", "2026-12-07", "-i", "apmbc", "-f", "json"))
    assert all(r["data_status_as_at"] == "2026-02-03" and r["projected"] for r in rows)
    earlier = json.loads(run("count", "2025-01-01", "-i", "apmbc", "-f", "json"))
    assert not any(r["projected"] for r in earlier)
    assert "Projection" not in run("count", "2025-01-01", "-i", "apmbc")
    deadlines = json.loads(run("deadlines", "--on", "2025-06-01", "--days", "400", "-f", "json"))
    assert deadlines and all(r["projected"] for r in deadlines)  # the window ends after it
    policy = run("policy", "--on", "2026-12-07")
    assert "a successor to us-2025-12 was due by 2026-03-02" in policy
    assert "Projection" not in run("policy", "--on", "2023-01-01")
    compare = json.loads(run("compare", "--on", "2026-03-01", "-f", "json"))
    assert all(r["projected"] for r in compare)


def test_status_of_a_group_in_one_step() -> None:
    rows = json.loads(
        run("status", "--group", "NATO", "--on", "2026-12-07", "-i", "apmbc", "-f", "json")
    )
    assert len(rows) == 32 and all(r["projected"] for r in rows)
    poland = next(r for r in rows if r["iso3"] == "POL")
    assert poland["status"] == "withdrawn" and poland["member_since"] == "1999"
    summary = run("status", "-g", "nato", "--on", "2026-12-07", "-i", "apmbc", "--summary")
    assert "Withdrawn" in summary and "Data status as at 2026-02-03" in summary
    assert "NATO" in run("groups")


def test_status_in_french_names_the_state_and_its_status_in_french() -> None:
    """`minewatch --lang fr treaty status UKR`: the state as CLDR names it, the status and its
    qualifications and the projection note in French; the data's quoted legal character stays
    as its source states it. CSV keeps codes and the English words."""
    result = runner.invoke(app, ["--lang", "fr", "treaty", "status", "UKR", "--on", "2026-12-07"])
    assert result.exit_code == 0, result.output
    shown = result.output
    assert "│ Ukraine │ Convention sur l’interdiction des mines antipersonnel │" in shown
    assert "Lié ; communication enregistrée (Décision nationale, Loi nationale et" in shown
    assert "suspension déclarée le 2025-07-18" in shown
    assert "Projection : les pages d’état du dépositaire sont arrêtées au" in shown
    for english in ("communication on record", "suspension declared", "status pages are"):
        assert english not in shown
    spanish = runner.invoke(app, ["--lang", "es", "treaty", "status", "UKR", "-i", "apmbc"])
    assert "Ucrania" in spanish.output
    rows = list(csv.DictReader(run("status", "UKR", "-i", "apmbc", "-f", "csv").splitlines()))
    assert rows[0]["state"] == "Ukraine" and rows[0]["status"] == "bound"
    assert rows[0]["label"].startswith("bound; communication on record")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_count_table_speaks_words_and_csv_keeps_codes(lang: str) -> None:
    """The README tour's ``treaty count``: headers and definitions in the reader's language
    on screen, the codes in CSV and JSON."""
    from minewatch.vocabulary import label, translate

    result = runner.invoke(app, ["--lang", lang, "treaty", "count", "2026-02-03", "-i", "apmbc"])
    table = result.output
    assert result.exit_code == 0, table
    cells = {cell.strip() for line in table.splitlines() for cell in re.split("[│┃]", line)}
    for raw in ("states_parties", "definition", "in-force", "consented"):
        assert raw not in cells, f"{raw!r} shown raw in the {lang} table"
    assert translate("States parties", lang, context="treaty column") in table
    assert label("CountDefinition", "in-force", locale=lang) in table
    rows = list(csv.DictReader(run("count", "2026-02-03", "-i", "apmbc", "-f", "csv").splitlines()))
    assert {r["definition"] for r in rows} == {"in-force", "consented"}
