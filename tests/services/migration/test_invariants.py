"""The migration's two promises, on every sample: the report accounts for every row (read =
landed + later reports + skipped + rejected, or the table left out with a reason) and its
counts are the store's; a re-run lands nothing new and changes no count.

Samples: SYNTHETIC ones built here (a File Geodatabase, the same zipped, a Survey123
workbook, a Latin-1 CSV with semicolons, an Esri JSON page with trailing commas), and real
files no one here wrote when a folder of them is given (``MINEWATCH_MIGRATION_SAMPLES``, or
``shared/migration-samples`` beside the repository: tests/io/migration/REAL_SAMPLES.md says
which files, where they come from and under what licence). Real files are not committed.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from minewatch.domain.access import local_admin
from minewatch.services.migration import migrate, plan_migration, store_counts
from minewatch.services.records import Workflow
from minewatch.store import open_store

REPO_ROOT = Path(__file__).resolve().parents[3]
REAL_SUFFIXES = (".zip", ".gdb", ".mdb", ".accdb", ".xlsx", ".csv", ".json")


def _real_samples() -> list[Path]:
    folder = Path(
        os.environ.get("MINEWATCH_MIGRATION_SAMPLES")
        or REPO_ROOT.parent / "shared" / "migration-samples"
    )
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.lower().endswith(REAL_SUFFIXES))


def check_invariants(
    source: Path, tmp_path: Path, mapping: Path | None = None
) -> dict[str, tuple[int, int]]:
    """Plan (unless given a ``mapping``), dry-run, run and re-run ``source``; assert the
    promises; return each migrated table's (read, landed)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    if mapping is None:
        mapping = tmp_path / f"{source.name}.toml"
        plan_migration(source, mapping)
    store = open_store(str(tmp_path / f"{source.name}.gpkg"), create=True)
    workflow = Workflow(store, local_admin("amina"))

    dry = migrate(workflow, source, mapping, dry_run=True, keep_going=True).as_dict()
    for table in dry["tables"]:
        assert table["read"] == table["accounted"], (source.name, table["table"])
    assert all(n == 0 for n in store_counts(store, dry).values())  # a dry run writes nothing

    done = migrate(workflow, source, mapping, keep_going=True).as_dict()
    held = store_counts(store, done)
    for table in done["tables"]:
        assert table["read"] == table["accounted"], (source.name, table["table"])
        assert table["transformed_rows"] <= table["landed"]
        for rejection in table["rejected"]:
            assert rejection["file"] and rejection["reason"], rejection
            assert rejection["row"] is not None or rejection["field"] is not None, rejection
        if table["kind"] is not None and table["skipped_table"] is None:
            assert held[table["table"]] == table["landed"], (source.name, table["table"])
    assert [t["landed"] for t in dry["tables"]] == [t["landed"] for t in done["tables"]]

    again = migrate(workflow, source, mapping, keep_going=True).as_dict()
    for before, after in zip(done["tables"], again["tables"], strict=True):
        assert after["landed"] == 0, (source.name, after["table"])
        assert after["skipped"] == before["landed"] + before["skipped"]
    assert store_counts(store, done) == held
    return {t["table"]: (t["read"], t["landed"]) for t in done["tables"] if t["kind"]}


def test_synthetic_filegdb_folder_and_zipped(filegdb: Path, tmp_path: Path) -> None:
    folder = check_invariants(filegdb, tmp_path / "folder")
    zipped = tmp_path / "archive.gdb.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for file in sorted(filegdb.iterdir()):
            archive.write(file, f"archive.gdb/{file.name}")
    assert check_invariants(zipped, tmp_path / "zipped") == folder
    assert folder["Hazards"] == (3, 3) and folder["Victims"] == (3, 3)


def test_synthetic_survey123_workbook(tmp_path: Path) -> None:
    book = tmp_path / "accident_survey.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame(
            {
                "GlobalID": ["{A1}", "{A2}"],
                "Accident date": ["2019-04-02", "2021-11-30"],
                "x": [30.1, 30.2],
                "y": [-1.1, -1.2],
            }
        ).to_excel(writer, sheet_name="accident", index=False)
        pd.DataFrame(
            {"ParentGlobalID": ["{A1}", "{A1}", "{A2}"], "Sex": ["F", "m", "unknown"]}
        ).to_excel(writer, sheet_name="victims", index=False)
        pd.DataFrame(columns=["Notes"]).to_excel(writer, sheet_name="empty", index=False)
    counts = check_invariants(book, tmp_path)
    assert counts["victims"] == (3, 3)


def test_synthetic_latin1_semicolon_csv(tmp_path: Path) -> None:
    text = "Victim ID;Sex;Village;Age\nV1;F;Kanyosha Bénédicte;12\nV2;M;Gisuru;\nV3;?;;40\n"
    source = tmp_path / "victims.csv"
    source.write_bytes(text.encode("latin-1"))
    plan = plan_migration(source)
    assert any("Windows-1252" in note for note in plan.notes)
    check_invariants(source, tmp_path)


def test_synthetic_esri_json_with_trailing_commas(tmp_path: Path) -> None:
    page = tmp_path / "Hazards.json"
    page.write_text(
        '{"geometryType": "esriGeometryPoint", "spatialReference": {"wkid": 4326},\n'
        ' "fields": [{"name": "OBJECTID", "type": "esriFieldTypeOID"},\n'
        '            {"name": "Status", "type": "esriFieldTypeString",\n'
        '             "domain": {"type": "codedValue", "name": "St", "codedValues": [\n'
        '               {"code": "1", "name": "Open"}, {"code": "4", "name": "Released"},]}},],\n'
        ' "features": [{"attributes": {"OBJECTID": 1, "Status": "1"},\n'
        '               "geometry": {"x": 30.1, "y": -1.1}},\n'
        '              {"attributes": {"OBJECTID": 2, "Status": "4"}, "geometry": null},]}\n',
        encoding="utf-8",
    )
    check_invariants(page, tmp_path)


#: What an officer would map a layer of each geometry to, to land every table of a file
#: that is not mine action data (GDAL's test files): points as device finds, lines and
#: polygons as hazardous areas (lines are then rejected with a reason), tables as
#: organisations.
_KIND_BY_GEOMETRY = {"point": "device_find", "multipoint": "device_find"}


def _land_everything(source: Path, out: Path) -> Path:
    plan = plan_migration(source)
    lines = []
    for proposal in plan.tables:
        geometry = (proposal.table.geometry_type or "").lower().replace(" z", "")
        kind = _KIND_BY_GEOMETRY.get(geometry, "hazardous_area" if geometry else "organisation")
        lines += [f"[tables.{json.dumps(proposal.table.name)}]", f'kind = "{kind}"', ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


@pytest.mark.parametrize("source", _real_samples(), ids=lambda p: p.name)
def test_real_samples(source: Path, tmp_path: Path) -> None:
    check_invariants(source, tmp_path / "planned")
    landing = _land_everything(source, tmp_path / "everything.toml")
    check_invariants(source, tmp_path / "everything", landing)


def test_real_samples_are_looked_for_where_the_readme_says() -> None:
    readme = (REPO_ROOT / "tests" / "io" / "migration" / "REAL_SAMPLES.md").read_text()
    assert "MINEWATCH_MIGRATION_SAMPLES" in readme and "migration-samples" in readme


def test_a_subtype_chooses_the_domain_of_each_row(tmp_path: Path) -> None:
    """ArcGIS subtypes: the same stored code means what its own row's subtype's domain says,
    in a mapped field and in ``extra``; each translation is counted. SYNTHETIC catalogue."""
    from datetime import date

    from minewatch.io.migration import Catalogue, CodedDomain, Source, SourceField, SourceTable
    from minewatch.io.migration.mapping import load_migration_mapping
    from minewatch.services.migration.outcome import TableOutcome
    from minewatch.services.migration.table import RunContext, migrate_table

    frame = pd.DataFrame(
        {"OrgID": ["O1", "O2"], "kind": ["1", "2"], "name": ["7", "7"], "note": ["7", "7"]}
    )
    by_subtype = (("1", "NGOs"), ("2", "Firms"))
    fields = (
        SourceField("OrgID"),
        SourceField("kind", domain="Finds subtypes"),
        SourceField("name", subtype_domains=by_subtype),
        SourceField("note", subtype_domains=by_subtype),
    )
    domains = {
        "NGOs": CodedDomain("NGOs", "", {"7": "Synthetic Demining NGO"}),
        "Firms": CodedDomain("Firms", "", {"7": "Synthetic Clearance Ltd"}),
        "Finds subtypes": CodedDomain("Finds subtypes", "", {"1": "NGO", "2": "Firm"}),
    }
    table = SourceTable("orgs", fields, 2, key="OrgID", subtype_field="kind")
    catalogue = Catalogue(str(tmp_path / "orgs.gdb"), "filegdb", (table,), domains)
    source = Source(tmp_path / "orgs.gdb", catalogue, {"orgs": frame})
    mapping = load_migration_mapping(
        {"tables": {"orgs": {"kind": "organisation", "key": "OrgID", "fields": {"name": "name"}}}}
    )
    workflow = Workflow(open_store(str(tmp_path / "o.gpkg"), create=True), local_admin())
    outcome = TableOutcome("orgs", "organisation")
    migrate_table(
        workflow,
        RunContext(source, date(2024, 1, 1)),
        "orgs",
        mapping.tables["orgs"],
        outcome,
        True,
    )
    assert outcome.landed == 2 and outcome.transformed_rows == 2
    first, second = (workflow.store.get_item("organisation", c) for c in outcome.item_codes)
    assert (first.name, second.name) == ("Synthetic Demining NGO", "Synthetic Clearance Ltd")
    assert first.extra == {"kind": "NGO", "note": "Synthetic Demining NGO"}
    assert second.extra == {"kind": "Firm", "note": "Synthetic Clearance Ltd"}
    assert set(outcome.transformed) == {
        ("name", "name", "7", "Synthetic Demining NGO"),
        ("name", "name", "7", "Synthetic Clearance Ltd"),
    }
