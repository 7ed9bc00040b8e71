"""``minewatch --lang`` / MINEWATCH_LANG (issue 19): tables show labels and headers in the
chosen language; CSV and JSON keep the stored codes; errors say so in the language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def minewatch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environment = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "250"}
    environment.pop("MINEWATCH_LANG", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "minewatch", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("lang") / "demo.gpkg"
    assert minewatch("demo", str(path)).returncode == 0
    return str(path)


def test_tables_in_french_and_codes_in_json(demo: str) -> None:
    english = minewatch("list", "hazardous_area", "-s", demo)
    french = minewatch("--lang", "fr", "list", "hazardous_area", "-s", demo)
    assert english.returncode == french.returncode == 0, french.stderr
    assert "Classification" in french.stdout and "Statut" in french.stdout
    assert "Zone suspectée dangereuse" in french.stdout or "Zone confirmée" in french.stdout
    assert "SHA" in english.stdout or "CHA" in english.stdout
    arabic = minewatch("list", "hazardous_area", "-s", demo, env={"MINEWATCH_LANG": "ar"})
    assert "الحالة" in arabic.stdout
    as_json = minewatch("--lang", "fr", "list", "hazardous_area", "-s", demo, "--format", "json")
    rows = json.loads(as_json.stdout)
    assert {row["classification"] for row in rows} <= {"SHA", "CHA"}


def test_errors_say_so_in_the_language(demo: str) -> None:
    refused = minewatch("--lang", "uk", "list", "hazardous_area", "-s", demo, "--format", "xml")
    assert refused.returncode == 2
    assert refused.stderr.startswith("помилка: "), refused.stderr
    assert "--format має бути table, csv або json, а не 'xml'" in refused.stderr
    english = minewatch("list", "hazardous_area", "-s", demo, "--format", "xml")
    assert english.stderr.startswith("error: --format must be table, csv or json, not 'xml'")


def test_a_missing_record_in_french_and_a_bad_date_in_arabic(demo: str) -> None:
    missing = minewatch("--lang", "fr", "history", "hazardous_area", "HA-999999", "-s", demo)
    assert missing.returncode == 3, missing.stderr
    assert "aucun élément hazardous_area 'HA-999999'" in missing.stderr
    dated = minewatch("--lang", "ar", "treaty", "status", "FIN", "--on", "yesterday")
    assert dated.returncode == 2, dated.stderr
    assert "الحقل on: ليس تاريخًا (YYYY-MM-DD): 'yesterday'" in dated.stderr, dated.stderr


def test_treaty_tables_print_instruments_and_statuses_as_labels() -> None:
    english = minewatch("treaty", "status", "FIN", "2026-01-15")
    assert english.returncode == 0, english.stderr
    assert "Anti-Personnel Mine Ban Convention" in english.stdout and "apmbc" not in english.stdout
    assert "Withdrawn" in english.stdout and "Entry into force" in english.stdout
    french = minewatch("--lang", "fr", "treaty", "status", "FIN", "2026-01-15")
    assert "Convention sur l’interdiction des mines antipersonnel" in french.stdout, french.stdout
    assert "État" in french.stdout and "Statut au 2026-01-15" in french.stdout
    as_json = minewatch("--lang", "fr", "treaty", "status", "FIN", "2026-01-15", "-f", "json")
    assert {row["instrument"] for row in json.loads(as_json.stdout)} == {"apmbc", "ccw-ap2"}


def test_usage_errors_in_the_language_with_the_option_and_value_as_typed() -> None:
    """A value not among an option's choices, an unknown option, a missing one: said in the
    language (Typer's help stays English), the exit status unchanged; English without one."""
    bad = minewatch("--lang", "fr", "treaty", "status", "UKR", "-f", "xml")
    assert bad.returncode == 2
    assert "erreur: valeur invalide pour --format / -f : 'xml' n’est pas l’une de" in bad.stderr
    assert "Utilisation : " in bad.stderr and "minewatch treaty status [OPTIONS]" in bad.stderr
    assert "Invalid value" not in bad.stderr and "Usage:" not in bad.stderr
    unknown = minewatch("--lang", "es", "treaty", "status", "--bogus")
    assert unknown.returncode == 2 and "no existe la opción: --bogus" in unknown.stderr
    missing = minewatch("--lang", "uk", "treaty", "report", "--year", "2024")
    assert missing.returncode == 2 and "бракує параметра --state" in missing.stderr
    english = minewatch("treaty", "status", "UKR", "-f", "xml")
    assert english.returncode == 2 and "Invalid value for '--format'" in english.stderr


def test_victim_assistance_coverage_in_french(demo: str) -> None:
    french = minewatch("--lang", "fr", "assistance", "coverage", "-s", demo)
    assert french.returncode == 0, french.stderr
    for words in ("Étape", "Personnes", "En situation de handicap", "Soins médicaux", "Reçu"):
        assert words in french.stdout, words
    assert "Any assistance" not in french.stdout and "Stage" not in french.stdout


def test_the_readme_tour_tables_have_no_identifiers_in_french(demo: str) -> None:
    """``stats``, ``list`` and ``reports list`` in French: titles, computed headers
    (count, original_m2) and release progress in words; CSV keeps the codes."""
    from minewatch.vocabulary import label, translate

    stats = minewatch("--lang", "fr", "stats", "-s", demo).stdout
    for raw in ("not_released", "original_m2", "Count", "Original m2", "items", "reports"):
        assert raw not in stats, raw
    assert label("ReleaseProgress", "not_released", locale="fr") in stats
    assert translate("Items", "fr") in stats and translate("Count", "fr") in stats
    listed = minewatch("--lang", "fr", "list", "hazardous_area", "-s", demo).stdout
    assert "hazardous_area:" not in listed
    assert label("Kind", "hazardous_area", locale="fr") in listed.splitlines()[0]
    queue = minewatch("--lang", "fr", "reports", "list", "-s", demo, "--state", "submitted")
    assert translate("Reports", "fr") in queue.stdout.splitlines()[0]
    as_csv = minewatch("--lang", "fr", "stats", "-s", demo, "--format", "csv").stdout
    assert "not_released" in as_csv and "original_m2" in as_csv
