"""Build a SYNTHETIC File Geodatabase shaped like an IMSMA Core export, for the migration tests.

Run with the system Python and Debian's GDAL bindings (python3-gdal, installed by
scripts/test-services.sh), because pyogrio writes no field domains, aliases or relationship
classes:

    /usr/bin/python3 tests/io/migration/build_filegdb.py OUT.gdb

Every value below is invented. The shape follows what programmes hold: a hazard layer with
coded-value domains (stored codes, descriptions in the domain), field aliases, a GlobalID;
an accident layer and a victim table joined to it by ParentGlobalID through a one-to-many
relationship class; an attachment table (``Accidents__ATTACH``) as ArcGIS makes for photos.

With ``--authority`` it also holds what a national authority keeps beside them (issue 18):
Organisations with their Accreditations (certificates, methods, validity), Tasks for
hazards (IMSMA NG's Tasking tool gives Tasks their Objectives, the Land worked on), and
VictimAssistance follow-ups under Victims, each related to its parent by a relationship
class:

    /usr/bin/python3 tests/io/migration/build_filegdb.py OUT.gdb --authority
"""

from __future__ import annotations

import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()


def _coded(name: str, description: str, codes: dict[str, str]) -> ogr.FieldDomain:
    return ogr.CreateCodedFieldDomain(name, description, ogr.OFTString, ogr.OFSTNone, codes)


def _field(layer: ogr.Layer, name: str, kind: int, alias: str, domain: str | None = None) -> None:
    defn = ogr.FieldDefn(name, kind)
    defn.SetAlternativeName(alias)
    if domain:
        defn.SetDomainName(domain)
    layer.CreateField(defn)


def _table(ds: gdal.Dataset, name: str, key: str, parent: str | None) -> ogr.Layer:
    types = [f"{key}=esriFieldTypeGlobalID"] + ([f"{parent}=esriFieldTypeGUID"] if parent else [])
    layer = ds.CreateLayer(name, None, ogr.wkbNone, options=[f"COLUMN_TYPES={','.join(types)}"])
    layer.CreateField(ogr.FieldDefn(key, ogr.OFTString))  # made by GDAL
    return layer


def _row(layer: ogr.Layer, values: dict[str, object]) -> None:
    feature = ogr.Feature(layer.GetLayerDefn())
    for field, value in values.items():
        if isinstance(value, tuple):  # a date
            feature.SetField(field, *value, 0, 0, 0, 0)
        else:
            feature.SetField(field, value)
    layer.CreateFeature(feature)


def _ids(layer: ogr.Layer, key: str) -> list[str]:
    layer.ResetReading()
    return [feature.GetField(key) for feature in layer]


def _authority_tables(ds: gdal.Dataset, victim_ids: list[str]) -> None:
    """Organisations and their Accreditations, Tasks on hazards, VictimAssistance (SYNTHETIC)."""
    orgs = _table(ds, "Organisations", "GlobalID", None)
    _field(orgs, "org_name", ogr.OFTString, "Organisation")
    _field(orgs, "acronym", ogr.OFTString, "Acronym")
    _row(orgs, {"org_name": "Synthetic Demining NGO", "acronym": "SDN"})
    [org] = _ids(orgs, "GlobalID")

    certificates = _table(ds, "Accreditations", "GlobalID", "ParentGlobalID")
    _field(certificates, "ParentGlobalID", ogr.OFTString, "Organisation")
    _field(certificates, "cert_no", ogr.OFTString, "Certificate Number")
    _field(certificates, "accredited_methods", ogr.OFTString, "Accredited Methods")
    _field(certificates, "valid_from", ogr.OFTDate, "Valid From")
    _field(certificates, "expiry_date", ogr.OFTDate, "Expiry Date")
    _row(certificates, {"ParentGlobalID": org, "cert_no": "SYN/ACC/2019/07",
                        "accredited_methods": "Manual; MDD", "valid_from": (2019, 1, 1),
                        "expiry_date": (2021, 12, 31)})  # fmt: skip

    tasks = _table(ds, "Tasks", "GlobalID", None)
    _field(tasks, "task_no", ogr.OFTString, "Task Number")
    _field(tasks, "hazard_localid", ogr.OFTString, "Hazard ID")
    _field(tasks, "task_status", ogr.OFTString, "Status")
    _field(tasks, "priority", ogr.OFTInteger, "Priority")
    _field(tasks, "issue_date", ogr.OFTDate, "Date Issued")
    _field(tasks, "due_date", ogr.OFTDate, "Due Date")
    _row(tasks, {"task_no": "T-2019-01", "hazard_localid": "HAZ-001", "task_status": "Completed",
                 "priority": 1, "issue_date": (2019, 4, 1), "due_date": (2019, 9, 30)})  # fmt: skip
    _row(tasks, {"task_no": "T-2021-02", "hazard_localid": "HAZ-003", "task_status": "Ongoing",
                 "priority": 2, "issue_date": (2021, 7, 1), "due_date": (2022, 3, 31)})  # fmt: skip

    assistance = _table(ds, "VictimAssistance", "GlobalID", "ParentGlobalID")
    _field(assistance, "ParentGlobalID", ogr.OFTString, "Victim")
    _field(assistance, "followup_status", ogr.OFTString, "Follow-up Status")
    _field(assistance, "last_contact", ogr.OFTDate, "Last Contact")
    _field(assistance, "assistance_given", ogr.OFTString, "Assistance Given")
    _row(assistance, {"ParentGlobalID": victim_ids[0], "followup_status": "Closed",
                      "last_contact": (2019, 2, 1), "assistance_given": "Prosthesis"})  # fmt: skip


def _relate(ds: gdal.Dataset, name: str, parent: str, child: str, keys: tuple[str, str]) -> None:
    relation = gdal.Relationship(name, parent, child, gdal.GRC_ONE_TO_MANY)
    relation.SetLeftTableFields([keys[0]])
    relation.SetRightTableFields([keys[1]])
    relation.SetType(gdal.GRT_ASSOCIATION)
    assert ds.AddRelationship(relation), f"GDAL refused the {name} relationship"


def build(path: str, authority: bool = False) -> None:
    ds = gdal.GetDriverByName("OpenFileGDB").Create(path, 0, 0, 0, gdal.GDT_Unknown)
    ds.AddFieldDomain(
        _coded(
            "HazardType",
            "Type of contamination (synthetic)",
            {"APM": "Anti-personnel mines", "ATM": "Anti-vehicle mines", "UXO": "UXO / AXO"},
        )
    )
    ds.AddFieldDomain(
        _coded(
            "HazardStatus",
            "Status of a hazard (synthetic)",
            {"1": "Open", "2": "Suspended", "3": "Closed", "4": "Released"},
        )
    )
    ds.AddFieldDomain(_coded("YesNo", "Yes or no", {"Y": "Yes", "N": "No"}))
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)

    hazards = ds.CreateLayer("Hazards", wgs84, ogr.wkbMultiPolygon)
    _field(hazards, "hazard_localid", ogr.OFTString, "Hazard ID")
    _field(hazards, "hazard_name", ogr.OFTString, "Name")
    _field(hazards, "haz_type", ogr.OFTString, "Hazard Type", "HazardType")
    _field(hazards, "haz_status", ogr.OFTString, "Status", "HazardStatus")
    _field(hazards, "area_sqm", ogr.OFTReal, "Reported Area (m²)")
    _field(hazards, "doi", ogr.OFTDate, "Date of Information")
    _field(hazards, "marking", ogr.OFTString, "Marking Method")  # no target: kept as extra
    rows = [
        ("HAZ-001", "Hill 4 field", "APM", "1", 12500.0, "2019/03/14", "Official Signs", 30.00),
        ("HAZ-002", "River bend", "UXO", "4", 800.0, "2020/11/02", "None", 30.02),
        ("HAZ-003", "School road", "ATM", "2", 4300.0, "2021/06/30", "Local Signs", 30.04),
    ]
    for localid, name, kind, status, area, doi, marking, x in rows:
        feature = ogr.Feature(hazards.GetLayerDefn())
        for field, value in zip(
            ("hazard_localid", "hazard_name", "haz_type", "haz_status", "area_sqm", "marking"),
            (localid, name, kind, status, area, marking),
            strict=True,
        ):
            feature.SetField(field, value)
        year, month, day = (int(p) for p in doi.split("/"))
        feature.SetField("doi", year, month, day, 0, 0, 0, 0)
        feature.SetGeometry(
            ogr.CreateGeometryFromWkt(
                f"MULTIPOLYGON((({x} -1,{x + 0.01} -1,{x + 0.01} -0.99,{x} -0.99,{x} -1)))"
            )
        )
        hazards.CreateFeature(feature)

    accidents = ds.CreateLayer(
        "Accidents", wgs84, ogr.wkbPoint, options=["COLUMN_TYPES=GlobalID=esriFieldTypeGlobalID"]
    )
    accidents.CreateField(ogr.FieldDefn("GlobalID", ogr.OFTString))
    _field(accidents, "acc_date", ogr.OFTDate, "Accident Date")
    _field(accidents, "demining", ogr.OFTString, "During Demining", "YesNo")
    _field(accidents, "narrative", ogr.OFTString, "Description")
    accident_rows = [
        ((2018, 5, 2), "N", "Tractor hit a mine", 30.005),
        ((2022, 1, 9), "Y", "Deminer injured", 30.045),
    ]
    for (y, m, d), demining, text, x in accident_rows:
        feature = ogr.Feature(accidents.GetLayerDefn())  # GDAL makes the GlobalID
        feature.SetField("acc_date", y, m, d, 0, 0, 0, 0)
        feature.SetField("demining", demining)
        feature.SetField("narrative", text)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} -0.995)"))
        accidents.CreateFeature(feature)

    accidents.ResetReading()
    accident_ids = [feature.GetField("GlobalID") for feature in accidents]
    victims = ds.CreateLayer(
        "Victims",
        None,
        ogr.wkbNone,
        options=["COLUMN_TYPES=GlobalID=esriFieldTypeGlobalID,ParentGlobalID=esriFieldTypeGUID"],
    )
    victims.CreateField(ogr.FieldDefn("GlobalID", ogr.OFTString))  # made by GDAL
    _field(victims, "ParentGlobalID", ogr.OFTString, "Accident")
    _field(victims, "gender", ogr.OFTString, "Gender")
    _field(victims, "age_years", ogr.OFTInteger, "Age")
    _field(victims, "result", ogr.OFTString, "Outcome")
    victim_rows = [
        (accident_ids[0], "Male", 41, "Injured"),
        (accident_ids[0], "female", 12, "killed"),
        (accident_ids[1], "M", 29, "Injured"),
    ]
    for parent, sex, age, outcome in victim_rows:
        feature = ogr.Feature(victims.GetLayerDefn())
        for field, value in zip(
            ("ParentGlobalID", "gender", "age_years", "result"),
            (parent, sex, age, outcome),
            strict=True,
        ):
            feature.SetField(field, value)
        victims.CreateFeature(feature)

    if authority:
        _authority_tables(ds, _ids(victims, "GlobalID"))

    attach = ds.CreateLayer(
        "Accidents__ATTACH",
        None,
        ogr.wkbNone,
        options=["COLUMN_TYPES=REL_GLOBALID=esriFieldTypeGUID"],
    )
    attach.CreateField(ogr.FieldDefn("REL_GLOBALID", ogr.OFTString))
    attach.CreateField(ogr.FieldDefn("ATT_NAME", ogr.OFTString))
    attach.CreateField(ogr.FieldDefn("CONTENT_TYPE", ogr.OFTString))
    attach.CreateField(ogr.FieldDefn("DATA", ogr.OFTBinary))
    feature = ogr.Feature(attach.GetLayerDefn())
    feature.SetField("REL_GLOBALID", accident_ids[0])
    feature.SetField("ATT_NAME", "site.jpg")
    feature.SetField("CONTENT_TYPE", "image/jpeg")
    feature.SetFieldBinaryFromHexString("DATA", "FFD8FFD9")
    attach.CreateFeature(feature)

    ds = None  # GDAL 3.6 adds relationship classes to a geodatabase it has closed and reopened
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    victims_rel = gdal.Relationship(
        "Accidents_Victims", "Accidents", "Victims", gdal.GRC_ONE_TO_MANY
    )
    victims_rel.SetLeftTableFields(["GlobalID"])
    victims_rel.SetRightTableFields(["ParentGlobalID"])
    victims_rel.SetType(gdal.GRT_COMPOSITE)
    victims_rel.SetForwardPathLabel("victims")
    victims_rel.SetBackwardPathLabel("accident")
    assert ds.AddRelationship(victims_rel), "GDAL refused the victims relationship"

    photos = gdal.Relationship(
        "Accidents__ATTACHREL", "Accidents", "Accidents__ATTACH", gdal.GRC_ONE_TO_MANY
    )
    photos.SetLeftTableFields(["GlobalID"])
    photos.SetRightTableFields(["REL_GLOBALID"])
    photos.SetType(gdal.GRT_COMPOSITE)
    photos.SetRelatedTableType("media")
    assert ds.AddRelationship(photos), "GDAL refused the attachment relationship"
    if authority:
        _relate(ds, "Organisations_Accreditations", "Organisations", "Accreditations",
                ("GlobalID", "ParentGlobalID"))  # fmt: skip
        _relate(ds, "Hazards_Tasks", "Hazards", "Tasks", ("hazard_localid", "hazard_localid"))
        _relate(ds, "Victims_VictimAssistance", "Victims", "VictimAssistance",
                ("GlobalID", "ParentGlobalID"))  # fmt: skip
    ds = None


if __name__ == "__main__":
    build(sys.argv[1], authority="--authority" in sys.argv[2:])
