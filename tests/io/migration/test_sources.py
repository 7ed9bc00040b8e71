"""The migration readers: what a File Geodatabase, an Esri JSON dump, a Survey123 export and
an Access database hold, described alike (all fixtures synthetic)."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from minewatch.errors import InvalidInput
from minewatch.io.migration import open_source, points_from_columns, read_rows


def test_filegdb_domains_aliases_relations_and_attachments(filegdb: Path) -> None:
    catalogue = open_source(filegdb).catalogue
    hazards = catalogue.table("Hazards")
    status = hazards.field("haz_status")
    assert status is not None and status.alias == "Status" and status.domain == "HazardStatus"
    assert catalogue.domain_of("Hazards", "haz_status").codes == {  # type: ignore[union-attr]
        "1": "Open",
        "2": "Suspended",
        "3": "Closed",
        "4": "Released",
    }
    assert catalogue.domain_of("Hazards", "haz_type").describe("APM") == "Anti-personnel mines"  # type: ignore[union-attr]
    relation = catalogue.parent_of("Victims")
    assert relation is not None
    assert (relation.parent, relation.parent_key, relation.child_key) == (
        "Accidents",
        "GlobalID",
        "ParentGlobalID",
    )
    assert catalogue.attachment_tables == ["Accidents__ATTACH"]
    assert [t.name for t in catalogue.data_tables] == ["Hazards", "Accidents", "Victims"]
    assert catalogue.table("Accidents").key == "GlobalID"


def test_filegdb_rows_join_children_to_parents(filegdb: Path) -> None:
    source = open_source(filegdb)
    accidents = read_rows(source, "Accidents")
    victims = read_rows(source, "Victims")
    assert len(accidents) == 2 and len(victims) == 3
    assert set(victims.frame["ParentGlobalID"]) <= set(accidents.frame["GlobalID"])
    assert accidents.geometries[0].geom_type == "Point"
    assert read_rows(source, "Hazards").frame["OBJECTID"].tolist() == [1, 2, 3]
    with pytest.raises(InvalidInput, match="no table 'Nope'; the source has: Hazards"):
        read_rows(source, "Nope")


def _page(features: list[dict], more: bool) -> dict:
    return {
        "objectIdFieldName": "OBJECTID",
        "geometryType": "esriGeometryPoint",
        "spatialReference": {"wkid": 4326},
        "fields": [
            {"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID"},
            {"name": "acc_date", "type": "esriFieldTypeDate", "alias": "Accident Date"},
            {
                "name": "status",
                "type": "esriFieldTypeString",
                "alias": "Status",
                "domain": {
                    "type": "codedValue",
                    "name": "AccStatus",
                    "codedValues": [{"name": "Verified", "code": "V"}],
                },
            },
        ],
        "features": features,
        "exceededTransferLimit": more,
    }


def _feature(oid: int) -> dict:
    return {
        "attributes": {"OBJECTID": oid, "acc_date": 1525219200000, "status": "V"},
        "geometry": {"x": 30 + oid / 100, "y": -1.0},
    }


def test_paged_esri_json_dump_reads_as_one_table(tmp_path: Path) -> None:
    dump = tmp_path / "accidents"
    dump.mkdir()
    # Natural order: page2 before page10, whatever the file system lists first.
    (dump / "page10.json").write_text(json.dumps(_page([_feature(3)], more=True)))
    (dump / "page2.json").write_text(json.dumps(_page([_feature(1), _feature(2)], more=True)))
    source = open_source(dump)
    catalogue = source.catalogue
    table = catalogue.tables[0]
    assert catalogue.format == "esrijson" and table.rows == 3
    assert table.field("acc_date").alias == "Accident Date"  # type: ignore[union-attr]
    assert catalogue.domain_of(table.name, "status").describe("V") == "Verified"  # type: ignore[union-attr]
    assert "exceededTransferLimit" in catalogue.notes[0] and "page10.json" in catalogue.notes[0]
    rows = read_rows(source, table.name)
    assert rows.frame["OBJECTID"].tolist() == [1, 2, 3]
    assert [round(g.x, 2) for g in rows.geometries] == [30.01, 30.02, 30.03]


def test_esri_json_pages_of_different_queries_are_refused(tmp_path: Path) -> None:
    dump = tmp_path / "mixed"
    dump.mkdir()
    (dump / "page1.json").write_text(json.dumps(_page([_feature(1)], more=True)))
    other = _page([_feature(2)], more=False)
    other["fields"] = other["fields"][:2]
    (dump / "page2.json").write_text(json.dumps(other))
    with pytest.raises(InvalidInput, match=r"page2\.json.*fields differ"):
        open_source(dump)


def _survey(book: Path) -> None:
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame(
            {"GlobalID": ["s1", "s2"], "x": [30.1, 30.2], "y": [-1.1, -1.2], "team": ["A", "B"]}
        ).to_excel(writer, sheet_name="survey", index=False)
        pd.DataFrame(
            {"GlobalID": ["r1", "r2", "r3"], "ParentGlobalID": ["s1", "s1", "s2"], "n": [1, 2, 3]}
        ).to_excel(writer, sheet_name="hazards", index=False)
        pd.DataFrame({"ParentGlobalID": ["r3"], "device": ["PMN-2"]}).to_excel(
            writer, sheet_name="devices", index=False
        )


def test_survey123_workbook_repeats_join_their_own_parent(tmp_path: Path) -> None:
    _survey(tmp_path / "survey.xlsx")
    catalogue = open_source(tmp_path / "survey.xlsx").catalogue
    parents = {r.child: (r.parent, r.parent_key, r.child_key) for r in catalogue.relations}
    assert parents == {
        "hazards": ("survey", "GlobalID", "ParentGlobalID"),
        "devices": ("hazards", "GlobalID", "ParentGlobalID"),  # nested repeat
    }
    assert catalogue.table("survey").field("x").type == "real"  # type: ignore[union-attr]


def test_survey123_csv_zip(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("survey_0.csv", "GlobalID,x,y\ns1,30.1,-1.1\n")
        z.writestr("victims_1.csv", "GlobalID,ParentGlobalID,sex\nv1,s1,F\nv2,s1,M\n")
    source = open_source(archive)
    assert [(t.name, t.rows) for t in source.catalogue.tables] == [
        ("survey_0", 1),
        ("victims_1", 2),
    ]
    assert source.catalogue.parent_of("victims_1").parent == "survey_0"  # type: ignore[union-attr]
    assert read_rows(source, "victims_1").frame["sex"].tolist() == ["F", "M"]


def test_access_database_through_mdbtools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mdbtools cannot write a database, and no Access file is shipped: stand-in mdb-tables and
    mdb-export print what the real tools print (one name a line; CSV with a header), so this
    checks how the reader calls them and reads their output."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tables = bin_dir / "mdb-tables"
    tables.write_text(
        '#!/bin/sh\n[ "$1" = "-1" ] || exit 2\n'
        'printf "GDB_GeomColumns\\ntblHazard\\ntblHazard_Shape_Index\\ntblVictim\\n"\n'
    )
    export = bin_dir / "mdb-export"
    export.write_text(
        "#!/bin/sh\n"
        '[ "$1" = "-b" ] && [ "$2" = "strip" ] && [ "$3" = "-D" ] || exit 2\n'
        'case "$6" in\n'
        '  tblHazard) printf "HazID,Status,DOI\\nH1,Open,2004-03-01 00:00:00\\n" ;;\n'
        '  tblVictim) printf "VicID,HazID\\nV1,H1\\n" ;;\n'
        '  *) echo "no table $6" >&2; exit 1 ;;\n'
        "esac\n"
    )
    for script in (tables, export):
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    database = tmp_path / "archive.mdb"
    database.write_bytes(b"\0")
    source = open_source(database)
    assert source.catalogue.format == "access"
    # ArcGIS's own tables of a Personal Geodatabase are left out, and a note says so
    assert [t.name for t in source.catalogue.tables] == ["tblHazard", "tblVictim"]
    assert "Personal Geodatabase" in source.catalogue.notes[0]
    assert read_rows(source, "tblHazard").frame.to_dict("records") == [
        {"HazID": "H1", "Status": "Open", "DOI": "2004-03-01 00:00:00"}
    ]


def test_access_without_mdbtools_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    database = tmp_path / "archive.accdb"
    database.write_bytes(b"\0")
    with pytest.raises(InvalidInput, match="needs mdbtools"):
        open_source(database)


def test_points_from_projected_columns() -> None:
    frame = pd.DataFrame({"E": ["500000"], "N": ["0"]})
    points, problems = points_from_columns(frame, "E", "N", "EPSG:32636")  # UTM 36N
    assert problems == {}
    assert round(points[0].x, 6) == 33.0 and round(points[0].y, 6) == 0.0


def test_filegdb_subtypes_give_fields_their_domains() -> None:
    """ArcGIS writes a class's subtypes in its GDB_Items definition (the shape GDAL's
    OpenFileGDB driver reads): each subtype code, name and the domain it gives a field.
    SYNTHETIC definition."""
    import xml.etree.ElementTree as ET

    from minewatch.io.migration.catalogue import Catalogue, CodedDomain, SourceTable
    from minewatch.io.migration.filegdb import _fields_with_subtypes

    definition = ET.fromstring(
        '<DEFeatureClassInfo xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<Name>Finds</Name><GPFieldInfoExs>"
        "<GPFieldInfoEx><Name>class</Name><FieldType>esriFieldTypeSmallInteger</FieldType>"
        "</GPFieldInfoEx>"
        "<GPFieldInfoEx><Name>item</Name><AliasName>Item found</AliasName>"
        "<FieldType>esriFieldTypeInteger</FieldType></GPFieldInfoEx></GPFieldInfoExs>"
        "<SubtypeFieldName>class</SubtypeFieldName><Subtypes>"
        "<Subtype><SubtypeName>Mine</SubtypeName><SubtypeCode>1</SubtypeCode><FieldInfos>"
        "<SubtypeFieldInfo><FieldName>item</FieldName><DomainName>MineTypes</DomainName>"
        "</SubtypeFieldInfo></FieldInfos></Subtype>"
        "<Subtype><SubtypeName>UXO</SubtypeName><SubtypeCode>2</SubtypeCode><FieldInfos>"
        "<SubtypeFieldInfo><FieldName>item</FieldName><DomainName>UxoTypes</DomainName>"
        "</SubtypeFieldInfo></FieldInfos></Subtype></Subtypes></DEFeatureClassInfo>"
    )
    fields, subtype_field, subtypes = _fields_with_subtypes(definition)
    assert subtype_field == "class" and subtypes is not None
    assert subtypes.codes == {"1": "Mine", "2": "UXO"}
    assert fields["item"].alias == "Item found"
    assert fields["item"].subtype_domains == (("1", "MineTypes"), ("2", "UxoTypes"))
    domains = {
        "MineTypes": CodedDomain("MineTypes", "", {"7": "PMN-2"}),
        "UxoTypes": CodedDomain("UxoTypes", "", {"7": "82 mm mortar"}),
        subtypes.name: subtypes,
    }
    table = SourceTable("Finds", tuple(fields.values()), 2, subtype_field="class")
    catalogue = Catalogue("finds.gdb", "filegdb", (table,), domains)
    # the same stored code means what its row's subtype's domain says
    assert catalogue.describe("Finds", "item", 7, 1) == "PMN-2"
    assert catalogue.describe("Finds", "item", "7", "2") == "82 mm mortar"
    assert catalogue.describe("Finds", "class", 2) == "UXO"
