"""Build a SYNTHETIC File Geodatabase for the migration benchmark, with the system Python's GDAL
bindings (python3-gdal), as tests/io/migration/build_filegdb.py does for the tests:

    /usr/bin/python3 benchmarks/synthetic_filegdb.py OUT.gdb HAZARDS ACTIVITIES ACCIDENTS

Hazards (polygons, coded-value domains for type and status), Activities (polygons, a
relationship class to their hazard by GlobalID), Accidents (points) with 1–2 Victims each (a
relationship class). Every value is random.
"""

from __future__ import annotations

import random
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()


def _layer(ds, name, geometry, fields, column_types=""):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    options = [f"COLUMN_TYPES={column_types}"] if column_types else []
    layer = ds.CreateLayer(
        name, srs if geometry != ogr.wkbNone else None, geometry, options=options
    )
    for field, kind, domain in fields:
        defn = ogr.FieldDefn(field, kind)
        if domain:
            defn.SetDomainName(domain)
        layer.CreateField(defn)
    return layer


def _square(rng, size):
    x, y = rng.uniform(30, 35), rng.uniform(45, 50)
    return ogr.CreateGeometryFromWkt(
        f"MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y})))"
    )


def build(path: str, hazards: int, activities: int, accidents: int) -> None:
    rng = random.Random(16)
    ds = gdal.GetDriverByName("OpenFileGDB").Create(path, 0, 0, 0, gdal.GDT_Unknown)
    for name, codes in (
        (
            "HazardType",
            {"APM": "Anti-personnel mines", "ATM": "Anti-vehicle mines", "UXO": "UXO / AXO"},
        ),
        ("HazardStatus", {"1": "Open", "2": "Suspended", "3": "Closed", "4": "Released"}),
        (
            "ActivityType",
            {"NTS": "Non-technical survey", "TS": "Technical survey", "CL": "Clearance"},
        ),
    ):
        ds.AddFieldDomain(ogr.CreateCodedFieldDomain(name, "", ogr.OFTString, ogr.OFSTNone, codes))
    layer = _layer(
        ds,
        "Hazards",
        ogr.wkbMultiPolygon,
        [
            ("GlobalID", ogr.OFTString, None),
            ("hazard_localid", ogr.OFTString, None),
            ("haz_type", ogr.OFTString, "HazardType"),
            ("haz_status", ogr.OFTString, "HazardStatus"),
            ("doi", ogr.OFTDate, None),
            ("marking", ogr.OFTString, None),
        ],
        "GlobalID=esriFieldTypeGlobalID",
    )
    layer.StartTransaction()
    for i in range(hazards):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("hazard_localid", f"HAZ-{i:06d}")
        f.SetField("haz_type", rng.choice(["APM", "ATM", "UXO"]))
        f.SetField("haz_status", rng.choice("1234"))
        f.SetField(
            "doi",
            2000 + rng.randrange(24),
            1 + rng.randrange(12),
            1 + rng.randrange(28),
            0,
            0,
            0,
            0,
        )
        f.SetField("marking", rng.choice(["Official Signs", "Local Signs", "None"]))
        f.SetGeometry(_square(rng, 0.005))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    layer.ResetReading()
    hazard_ids = [f.GetField("GlobalID") for f in layer]
    layer = _layer(
        ds,
        "Activities",
        ogr.wkbMultiPolygon,
        [
            ("GlobalID", ogr.OFTString, None),
            ("HazardGlobalID", ogr.OFTString, None),
            ("activity_type", ogr.OFTString, "ActivityType"),
            ("start_date", ogr.OFTDate, None),
        ],
        "GlobalID=esriFieldTypeGlobalID,HazardGlobalID=esriFieldTypeGUID",
    )
    layer.StartTransaction()
    for _ in range(activities):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("HazardGlobalID", rng.choice(hazard_ids))
        f.SetField("activity_type", rng.choice(["NTS", "TS", "CL"]))
        f.SetField("start_date", 2000 + rng.randrange(24), 1 + rng.randrange(12), 1, 0, 0, 0, 0)
        f.SetGeometry(_square(rng, 0.002))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    layer = _layer(
        ds,
        "Accidents",
        ogr.wkbPoint,
        [
            ("GlobalID", ogr.OFTString, None),
            ("acc_date", ogr.OFTDate, None),
            ("narrative", ogr.OFTString, None),
        ],
        "GlobalID=esriFieldTypeGlobalID",
    )
    layer.StartTransaction()
    for _ in range(accidents):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("acc_date", 2000 + rng.randrange(24), 1 + rng.randrange(12), 1, 0, 0, 0, 0)
        f.SetField("narrative", "synthetic accident")
        f.SetGeometry(
            ogr.CreateGeometryFromWkt(f"POINT ({rng.uniform(30, 35)} {rng.uniform(45, 50)})")
        )
        layer.CreateFeature(f)
    layer.CommitTransaction()
    layer.ResetReading()
    accident_ids = [f.GetField("GlobalID") for f in layer]
    layer = _layer(
        ds,
        "Victims",
        ogr.wkbNone,
        [
            ("GlobalID", ogr.OFTString, None),
            ("ParentGlobalID", ogr.OFTString, None),
            ("gender", ogr.OFTString, None),
            ("age_years", ogr.OFTInteger, None),
            ("result", ogr.OFTString, None),
        ],
        "GlobalID=esriFieldTypeGlobalID,ParentGlobalID=esriFieldTypeGUID",
    )
    layer.StartTransaction()
    for parent in accident_ids:
        for _ in range(rng.choice([1, 2])):
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("ParentGlobalID", parent)
            f.SetField("gender", rng.choice(["Male", "Female", "M", "F"]))
            f.SetField("age_years", rng.randrange(5, 80))
            f.SetField("result", rng.choice(["Injured", "Killed"]))
            layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    for name, parent, child, key in (
        ("Hazards_Activities", "Hazards", "Activities", "HazardGlobalID"),
        ("Accidents_Victims", "Accidents", "Victims", "ParentGlobalID"),
    ):
        rel = gdal.Relationship(name, parent, child, gdal.GRC_ONE_TO_MANY)
        rel.SetLeftTableFields(["GlobalID"])
        rel.SetRightTableFields([key])
        assert ds.AddRelationship(rel), name
    ds = None


if __name__ == "__main__":
    build(sys.argv[1], *(int(a) for a in sys.argv[2:5]))
