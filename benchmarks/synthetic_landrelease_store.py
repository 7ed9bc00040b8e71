"""A small SYNTHETIC programme in a GeoPackage store, for land release tests and demos: two
regions with a district each, hazardous areas near 0°N 0°E (open sea, so nobody takes them
for real contamination), land release activities and overlapping products."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import shapely

from minewatch.domain.records import (
    ActivityMethod,
    ActivityType,
    Evidence,
    EvidenceSource,
    EvidenceType,
    HazardClass,
    HazardousArea,
    LandReleaseActivity,
    Location,
    LocationLevel,
    ProductType,
    ReleaseProduct,
)
from minewatch.store import Repository, open_store


def build_store(path: Path, n_areas: int = 12) -> str:
    """A new GeoPackage store at ``path`` holding :func:`fill_store`'s records; its URL."""
    url = f"sqlite:///{path}"
    with open_store(url, create=True) as store:
        fill_store(store, n_areas)
    return url


def fill_store(store: Repository, n_areas: int = 12) -> None:
    """Put the synthetic programme's records (same codes every time) into ``store``."""
    locations = [
        Location(code="LOC-C", name="Demo country", level=LocationLevel.COUNTRY),
        Location(code="LOC-N", name="North", level=LocationLevel.ADM1, parent_code="LOC-C"),
        Location(code="LOC-S", name="South", level=LocationLevel.ADM1, parent_code="LOC-C"),
        Location(
            code="LOC-N1", name="North district", level=LocationLevel.ADM2, parent_code="LOC-N"
        ),
        Location(
            code="LOC-S1", name="South district", level=LocationLevel.ADM2, parent_code="LOC-S"
        ),
    ]
    areas, activities, products = [], [], []
    for i in range(n_areas):
        x, y = 0.01 * i, 0.01 * (i % 3)
        code = f"HA-{i:03d}"
        areas.append(
            HazardousArea(
                code=code,
                name=f"Synthetic area {i}",
                classification=HazardClass.CHA if i % 2 else HazardClass.SHA,
                geometry=shapely.box(x, y, x + 0.004, y + 0.003),
                location_code="LOC-N1" if i % 2 else "LOC-S1",
                organisation_code="ORG-1" if i % 3 else "ORG-2",
                evidence=(Evidence(type=EvidenceType.MARKING, source=EvidenceSource.SEEN),),
            )
        )
        if i % 4 == 3:
            continue  # some areas have nothing released
        day = date(2023, 1, 1) + timedelta(days=45 * i)
        activities.append(
            LandReleaseActivity(
                code=f"LRA-{i:03d}",
                activity_type=ActivityType.CLEARANCE if i % 2 else ActivityType.TECHNICAL_SURVEY,
                method=ActivityMethod.MANUAL if i % 2 else ActivityMethod.MECHANICAL,
                hazardous_area_code=code,
                organisation_code="ORG-3",
            )
        )
        products.append(
            ReleaseProduct(
                code=f"RP-{i:03d}-A",
                product_type=ProductType.CLEARED if i % 2 else ProductType.REDUCED,
                activity_code=f"LRA-{i:03d}",
                hazardous_area_code=code,
                organisation_code="ORG-3",
                release_date=day,
                geometry=shapely.box(x, y, x + 0.0025, y + 0.003),
            )
        )
        products.append(
            ReleaseProduct(
                code=f"RP-{i:03d}-B",
                product_type=ProductType.CANCELLED,
                activity_code=f"LRA-{i:03d}",
                hazardous_area_code=code,
                organisation_code="ORG-3",
                release_date=day + timedelta(days=40),
                geometry=shapely.box(x + 0.002, y, x + 0.0045 if i % 2 else x + 0.004, y + 0.003),
                reported_area_m2=5000.0,
            )
        )
    for records in (locations, areas, activities, products):
        store.put_items(records)
