"""The IMSMA NG maXML reader on the SYNTHETIC samples in imsma_ng/ (built from GICHD's
published wiki pages; see imsma_ng/README.md): one catalogue of tables like every other
reader's, links as parent keys, auxiliary data as domains, geometries in WGS84; hostile and
malformed XML refused with the file and line named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from minewatch.errors import InvalidInput
from minewatch.io.migration import open_source, read_rows

SAMPLES = Path(__file__).parent / "imsma_ng"


def test_items_become_tables_with_keys_links_and_domains() -> None:
    catalogue = open_source(SAMPLES).catalogue
    assert catalogue.format == "maxml"
    tables = {t.name: t for t in catalogue.tables}
    assert {n: t.rows for n, t in tables.items()} == {
        "Location": 1,
        "Hazard": 2,
        "HazardReduction": 1,
        "Accident": 2,
        "Victim": 3,
        "MREActivity": 1,
        "QAActivity": 1,
        "VictimAssistance": 1,
        "Ordnance": 2,
        "Organisation": 2,
        "HazardReduction.Ordnance": 2,
        "Accident.attachment": 1,
    }
    assert tables["Hazard"].key == "hazard_guid"
    assert tables["Ordnance"].lookup and not tables["Organisation"].lookup
    # Victims name their accident, activities their land, QM visits their activity.
    assert catalogue.parent_of("Victim").parent == "Accident"
    assert catalogue.parent_of("HazardReduction").parent == "Hazard"
    assert catalogue.parent_of("QAActivity").parent == "HazardReduction"
    assert catalogue.parent_of("VictimAssistance").parent == "Victim"
    assert [r.parent for r in catalogue.parents_of("Accident")] == ["Hazard", "Location"]
    assert catalogue.attachment_tables == ["Accident.attachment"]
    # A reference to auxiliary data is translated through the export's own auxiliary data.
    domain = catalogue.domain_of("Hazard", "Organisation.org_guid")
    assert domain is not None
    assert domain.describe("{5E7A0009-0000-4000-8000-000000000001}") == "Synthetic Demining NGO"
    # The form's Date of Information carries IMSMA NG's label; a CDF carries its own.
    assert tables["Hazard"].field("ReportingDate").alias == "Date Of Information"
    assert tables["Hazard"].field("landowner_informed").alias == "Landowner informed"


def test_rows_keep_multi_selects_and_geometries() -> None:
    source = open_source(SAMPLES)
    hazards = read_rows(source, "Hazard")
    first = hazards.frame.iloc[0]
    assert first["type_of_contamination"] == "Anti-personnel mines; UXO"
    assert first["marking_method"] == "Official Signs; Local Signs"
    assert first["Location_guid"] == "{5E7A0001-0000-4000-8000-000000000001}"
    ridge, canal = hazards.geometries
    assert ridge.geom_type == "MultiPolygon" and ridge.bounds == (30.1, -1.901, 30.101, -1.9)
    assert canal.is_valid  # points put back in their numbered order
    accidents = read_rows(source, "Accident")
    assert accidents.geometries[0].wkt == "POINT (30.1005 -1.9005)"
    ordnance = read_rows(source, "HazardReduction.Ordnance")
    assert list(ordnance.frame["quantity"]) == ["3", "1"]
    assert list(ordnance.frame["occurrence_key"].str[-2:]) == ["#1", "#2"]


def test_projected_coordinates_are_read_in_the_declared_system(tmp_path: Path) -> None:
    (tmp_path / "utm.xml").write_text(
        "<MineActionFieldReport><DocumentHeader><DocumentCoordinateReferenceSystem>"
        "<CoordinateSystem>EPSG:32736</CoordinateSystem></DocumentCoordinateReferenceSystem>"
        "</DocumentHeader><FieldReport><Accident><accident_guid>A1</accident_guid>"
        "<GeospatialInfo><Point><X>500000</X><Y>9800000</Y></Point></GeospatialInfo>"
        "</Accident></FieldReport></MineActionFieldReport>"
    )
    point = read_rows(open_source(tmp_path / "utm.xml"), "Accident").geometries[0]
    assert round(point.x, 4) == 33.0 and round(point.y, 3) == -1.809


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "<MineActionFieldReport><FieldReport><Hazard><status>Active</Hazard>",
            "line 1, column 68: Opening and ending tag mismatch: status line 1 and Hazard "
            "(in or after <status>)",
        ),
        (
            "<MineActionFieldReport>\n<FieldReport>\n<Victim><age>3\x01</age>",
            "line 3, column 15: PCDATA invalid Char value 1 (in or after <age>)",
        ),
        ("<kml><Document/></kml>", "the root element is <kml>"),
        (
            "<MineActionFieldReport><FieldReport><Hazard>" + "<a>" * 5000,
            "Excessive depth in document: 256",
        ),
        ("", "no element found"),
    ],
)
def test_malformed_xml_names_file_line_and_element(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as raised:
        open_source(path)
    assert raised.value.where.file == str(path)
    assert said in raised.value.message


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<MineActionFieldReport><FieldReport><Hazard><name>&lol3;</name></Hazard></FieldReport>
</MineActionFieldReport>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<MineActionFieldReport><FieldReport><Hazard><name>&secret;</name></Hazard></FieldReport>
</MineActionFieldReport>"""


@pytest.mark.parametrize("text", [BOMB, XXE], ids=["entity-bomb", "external-entity"])
def test_dtds_entities_and_external_files_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(text)
    with pytest.raises(InvalidInput, match="declares a DTD") as raised:
        open_source(path)
    assert raised.value.where.file == str(path)


def test_a_zip_of_exports_reads_like_the_folder(tmp_path: Path) -> None:
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", SAMPLES)
    catalogue = open_source(archive).catalogue
    assert catalogue.table("Victim").rows == 3
    assert catalogue.parent_of("Victim").parent == "Accident"
