"""`minewatch migrate plan` in the reader's language (issue 19): the mapping file's comments —
why each kind, key, column and value was chosen — and the command's table and lines come from
the catalogues; TOML keys, codes and the source's column names stay as they are, and the
French file still loads as a mapping."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.environment import LANGUAGE_ENV
from minewatch.io.migration.mapping import load_migration_mapping

_register_commands()
runner = CliRunner()


def _synthetic_hazards(folder: Path) -> Path:
    """A synthetic archive table (invented rows, no real place): an id column, a status column
    whose values are our codes' words, and one no code resembles."""
    path = folder / "hazards.csv"
    pd.DataFrame(
        {"HazID": ["H1", "H2", "H3"], "Status": ["Open", "Closed", "Zzzzqx"], "Marking": ["a"] * 3}
    ).to_csv(path, index=False)
    return path


def test_plan_in_french_explains_each_choice_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _synthetic_hazards(tmp_path)
    out = tmp_path / "mapping.toml"
    result = runner.invoke(app, ["--lang", "fr", "migrate", "plan", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "valeurs à remplir" in result.output and "correspondance écrite dans" in result.output
    text = out.read_text(encoding="utf-8")
    assert "# Correspondance de migration pour" in text
    assert "le nom de la table 'hazards' correspond à" in text
    assert "# clé : une colonne d’identifiants dont les valeurs sont toutes présentes" in text
    assert '"Open" = "open"  # 1 ligne ; les mêmes mots' in text
    assert "ne ressemble à aucun code status" in text and "écrivez le code" in text
    for english in ("matches", "the same words", "Review every choice", "kept as extra"):
        assert english not in text
    assert load_migration_mapping(tomllib.loads(text)).tables["hazards"].kind.value == (
        "hazardous_area"
    )
    monkeypatch.delenv(LANGUAGE_ENV)  # --lang stays in the process's environment
    english = runner.invoke(app, ["migrate", "plan", str(source), "-o", str(tmp_path / "en.toml")])
    assert english.exit_code == 0, english.output
    assert "# key: an id column whose values are all present and unique" in (
        tmp_path / "en.toml"
    ).read_text(encoding="utf-8")


def test_a_dry_run_report_page_in_french(tmp_path: Path) -> None:
    """The report page of `minewatch --lang fr migrate run --dry-run`: its headings, column
    names and state in French, the table's name and kind as they are."""
    source = _synthetic_hazards(tmp_path)
    mapping = tmp_path / "mapping.toml"
    assert runner.invoke(app, ["migrate", "plan", str(source), "-o", str(mapping)]).exit_code == 0
    report = tmp_path / "report"
    args = ["--lang", "fr", "migrate", "run", str(source), "--mapping", str(mapping)]
    result = runner.invoke(
        app,
        [*args, "--dry-run", "--keep-going", "--report", str(report),
         "--store", str(tmp_path / "store.gpkg")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = report.with_suffix(".html").read_text(encoding="utf-8")
    assert "lang='fr'" in page and "<h1>Migration de " in page
    assert "essai à blanc : rien n’a été écrit" in page and "<th>lues</th>" in page
    assert "hazards → hazardous_area" in page
    for english in ("Migration of", "dry run", "<th>read</th>", "Sample to check"):
        assert english not in page
