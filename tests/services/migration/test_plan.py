"""The mapping assistant: kinds, fields and values proposed with reasons, on a SYNTHETIC
File Geodatabase and spreadsheets; the file it writes loads back as the mapping it proposed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
from api_support import run_cli

from minewatch.io.migration.mapping import load_migration_mapping
from minewatch.services.migration import plan_migration


def test_filegdb_plan_translates_domain_codes_and_links_victims(
    filegdb: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mapping.toml"
    plan = plan_migration(filegdb, out)
    by_table = {p.table.name: p for p in plan.tables}
    assert {n: p.kind and p.kind.value for n, p in by_table.items()} == {
        "Hazards": "hazardous_area",
        "Accidents": "accident",
        "Victims": "victim",
        "Accidents__ATTACH": None,
    }
    mapping = load_migration_mapping(out)
    hazards = mapping.tables["Hazards"]
    # Stored codes are translated through the domain's descriptions, not guessed from codes.
    assert hazards.fields["status"].values == {
        "1": "open",
        "2": "suspended",
        "3": "closed",
        "4": "released",
    }
    assert hazards.fields["hazard_types"].values == {
        "APM": "ap_mines",
        "ATM": "av_mines",
        "UXO": "uxo_axo",
    }
    assert hazards.date_of_information == "doi"
    assert mapping.tables["Accidents"].fields["during_demining"].values == {"Y": True, "N": False}
    victims = mapping.tables["Victims"]
    assert victims.key == "GlobalID"
    assert victims.link is not None and (victims.link.parent, victims.link.field) == (
        "Accidents",
        "accident_code",
    )
    assert victims.fields["sex"].values == {"Male": "male", "female": "female", "M": "male"}
    assert mapping.tables["Accidents__ATTACH"].skip
    assert mapping.order().index("Accidents") < mapping.order().index("Victims")
    assert by_table["Hazards"].extra_columns == ["marking"]
    text = out.read_text()
    assert "# ← haz_status: its alias 'Status' matches 'status' (1.00)" in text
    assert "# kept as extra: marking" in text


def test_values_tolerant_of_case_and_spelling_and_unmatched_ones_listed(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "HazID": ["H1", "H2", "H3", "H4"],
            "Type of contamination": ["Anti-Personel Mines", "UXO", "anti tank", "rocks"],
        }
    )
    frame.to_csv(tmp_path / "hazards.csv", index=False)
    out = tmp_path / "mapping.toml"
    proposal = plan_migration(tmp_path / "hazards.csv", out).tables[0]
    field = next(f for f in proposal.fields if f.target == "hazard_types")
    assert {v.source: v.target for v in field.values} == {
        "Anti-Personel Mines": "ap_mines",  # misspelt
        "UXO": "uxo_axo",
        "anti tank": "av_mines",
        "rocks": None,
    }
    assert '# "rocks" = ?' in out.read_text()
    assert (
        "rocks" not in load_migration_mapping(out).tables["hazards"].fields["hazard_types"].values
    )


def test_fields_found_by_content_when_names_say_nothing(tmp_path: Path) -> None:
    frame = pd.DataFrame({"VicID": ["V1", "V2", "V3"], "col7": ["killed", "Injured", "INJURED"]})
    frame.to_csv(tmp_path / "casualties.csv", index=False)
    proposal = plan_migration(tmp_path / "casualties.csv").tables[0]
    assert proposal.kind is not None and proposal.kind.value == "victim"
    outcome = next(f for f in proposal.fields if f.target == "outcome")
    assert outcome.column == "col7" and outcome.reason.startswith("3 of its 3 values")


def test_tables_named_like_nothing_are_skipped_with_a_reason(tmp_path: Path) -> None:
    pd.DataFrame({"a": [1]}).to_csv(tmp_path / "lookup_colours.csv", index=False)
    proposal = plan_migration(tmp_path / "lookup_colours.csv").tables[0]
    assert proposal.kind is None and "names no kind" in (proposal.skip_reason or "")


def test_multi_select_cells_are_split(tmp_path: Path) -> None:
    frame = pd.DataFrame({"HazID": ["H1", "H2"], "hazard_type": ["APM, UXO", "UXO"]})
    frame.to_csv(tmp_path / "hazards.csv", index=False)
    field = next(
        f
        for f in plan_migration(tmp_path / "hazards.csv").tables[0].fields
        if f.target == "hazard_types"
    )
    assert field.separator == ","
    assert {v.source: v.target for v in field.values} == {"UXO": "uxo_axo", "APM": "ap_mines"}


def test_cli_plan_writes_a_mapping_that_loads(filegdb: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.toml"
    code, said = run_cli("migrate", "plan", str(filegdb), "-o", str(out))
    assert code == 0, said
    assert "Victims" in said and "mapping written to" in said
    assert set(tomllib.loads(out.read_text())["tables"]) == {
        "Hazards",
        "Accidents",
        "Victims",
        "Accidents__ATTACH",
    }


def test_values_and_fields_in_the_programmes_language(tmp_path: Path) -> None:
    """Archives are kept in the programme's language: the vocabulary's labels in every shipped
    language are matched too (synthetic French headers and values)."""
    frame = pd.DataFrame(
        {
            "HazID": ["H1", "H2", "H3"],
            "Type de danger": [
                "Mines antipersonnel",
                "Restes d’armes à sous-munitions",
                "engins explosifs improvisés",
            ],
            "Statut": ["Ouverte", "Fermée", "Ouverte"],
        }
    )
    frame.to_csv(tmp_path / "hazards.csv", index=False)
    fields = {f.target: f for f in plan_migration(tmp_path / "hazards.csv").tables[0].fields}
    assert fields["hazard_types"].column == "Type de danger"
    assert {v.source: v.target for v in fields["hazard_types"].values} == {
        "Mines antipersonnel": "ap_mines",
        "Restes d’armes à sous-munitions": "cluster_munition_remnants",
        "engins explosifs improvisés": "improvised_devices",
    }
    assert {v.source: v.target for v in fields["status"].values} == {
        "Ouverte": "open",
        "Fermée": "closed",
    }
