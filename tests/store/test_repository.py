"""The Repository contract, run against both backends."""

from __future__ import annotations

from datetime import date

import pytest
import shapely
import sqlalchemy as sa
from shapely import box

from minewatch.domain.access import local_admin
from minewatch.domain.records import (
    HazardClass,
    HazardousArea,
    HazardStatus,
    HazardType,
    Kind,
    SexAge,
)
from minewatch.domain.reports import ReportState
from minewatch.errors import Conflict, NotFound, StaleVersion
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, SqlRepository, migrate, open_store
from minewatch.store.tables import metadata_for


def area(code: str, geom: shapely.Geometry, **kw: object) -> HazardousArea:
    return HazardousArea(code=code, geometry=geom, date_of_information=date(2024, 1, 1), **kw)  # type: ignore[arg-type]


def test_codes_are_sequential_and_never_reused(store: SqlRepository) -> None:
    assert store.next_codes("HA", 2) == ["HA-000001", "HA-000002"]
    assert store.next_codes("HA") == ["HA-000003"]
    assert store.next_codes("DF") == ["DF-000001"]


def test_items_round_trip_with_all_field_kinds(store: SqlRepository) -> None:
    ha = area(
        "HA-000001",
        box(30, 50, 30.01, 50.01),
        classification=HazardClass.CHA,
        hazard_types=(HazardType.AP_MINES, HazardType.UXO_AXO),
        beneficiaries=SexAge(girls=3, men=2),
        reported_area_m2=12.5,
    )
    store.put_items([ha])
    got = store.get_item(Kind.HAZARDOUS_AREA, "HA-000001")
    assert isinstance(got, HazardousArea)
    assert got.id == ha.id and got.classification is HazardClass.CHA
    assert got.hazard_types == (HazardType.AP_MINES, HazardType.UXO_AXO)
    assert got.beneficiaries.total == 5
    assert got.geometry is not None and got.geometry.geom_type == "MultiPolygon"
    assert got.geometry.equals(shapely.MultiPolygon([box(30, 50, 30.01, 50.01)]))
    assert store.get_item(Kind.HAZARDOUS_AREA, str(ha.id)).code == "HA-000001"
    with pytest.raises(NotFound):
        store.get_item(Kind.HAZARDOUS_AREA, "HA-999999")


def test_put_items_updates_in_place(store: SqlRepository) -> None:
    ha = area("HA-000001", box(0, 0, 0.01, 0.01))
    store.put_items([ha])
    store.put_items(
        [
            HazardousArea(
                **{
                    **ha.__dict__,
                    "status": HazardStatus.RELEASED,
                    "geometry": box(1, 1, 1.01, 1.01),
                }
            )
        ]
    )
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 1
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA, bbox=(0.9, 0.9, 1.1, 1.1))) == 1
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA, bbox=(-0.1, -0.1, 0.1, 0.1))) == 0
    assert store.get_item(Kind.HAZARDOUS_AREA, "HA-000001").status is HazardStatus.RELEASED  # type: ignore[attr-defined]


def test_filters_bbox_near_and_paging(store: SqlRepository) -> None:
    # Synthetic: 10 small squares 0.01° apart along the equator (~1.1 km apart).
    store.put_items(
        [
            area(
                f"HA-{i:06d}",
                box(i * 0.01, 0, i * 0.01 + 0.001, 0.001),
                status=HazardStatus.OPEN if i % 2 else HazardStatus.CLOSED,
            )
            for i in range(10)
        ]
    )
    q = ItemQuery(Kind.HAZARDOUS_AREA, where={"status": "open"})
    assert [r.code for r in store.query_items(q)] == [f"HA-{i:06d}" for i in (1, 3, 5, 7, 9)]
    page = store.query_items(ItemQuery(Kind.HAZARDOUS_AREA, limit=3, offset=3))
    assert [r.code for r in page] == ["HA-000003", "HA-000004", "HA-000005"]
    # A point 500 m east of square 0's east edge (0.001°): squares 0 only (square 1 is ~1.06 km away).
    lon = 0.001 + 500 / 111_319.5
    near = store.query_items(ItemQuery(Kind.HAZARDOUS_AREA, near=(lon + 0.00001, 0.0005, 500)))
    assert [r.code for r in near] == []
    near = store.query_items(ItemQuery(Kind.HAZARDOUS_AREA, near=(lon - 0.0001, 0.0005, 500)))
    assert [r.code for r in near] == ["HA-000000"]
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA, near=(0.005, 0.0005, 600))) == 2


def test_items_frame_is_a_wgs84_geodataframe(store: SqlRepository) -> None:
    store.put_items([area("HA-000001", box(0, 0, 1, 1), hazard_types=(HazardType.AV_MINES,))])
    frame = store.items_frame(ItemQuery(Kind.HAZARDOUS_AREA))
    assert frame.crs.to_epsg() == 4326
    assert list(frame["code"]) == ["HA-000001"]
    assert list(frame["hazard_types"].iloc[0]) == ["av_mines"]


def test_transaction_rolls_back_everything(store: SqlRepository) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.put_items([area("HA-000001", box(0, 0, 1, 1))])
        raise RuntimeError("boom")
    assert store.count_items(ItemQuery(Kind.HAZARDOUS_AREA)) == 0


def test_duplicate_code_is_refused(store: SqlRepository) -> None:
    store.put_items([area("HA-000001", box(0, 0, 1, 1))])
    with pytest.raises((sa.exc.IntegrityError, Conflict)):
        store.put_items([area("HA-000001", box(0, 0, 1, 1))])


def test_report_update_compares_the_version_in_the_write(
    store: SqlRepository, store_url: str
) -> None:
    """A writer that read version 1 loses to another that wrote meanwhile, even through a
    separate connection pool (another server process): the version is compared in the
    UPDATE. A changed version is StaleVersion; an unchanged one in another state, Conflict."""
    square = box(30, 50, 30.01, 50.01)
    draft = Workflow(store, local_admin("a")).create_draft(
        Kind.HAZARDOUS_AREA, {}, square, date_of_information=date(2024, 1, 1)
    )
    other = open_store(store_url)
    try:
        Workflow(other, local_admin("b")).edit_draft(
            draft.code or "", {"name": "theirs"}, square, expected_version=1
        )
    finally:
        other.close()
    mine = draft.edited({"name": "mine"}, square, expected_version=1)
    with pytest.raises(StaleVersion, match="version 2"):
        store.update_report(mine, 1, ReportState.DRAFT)
    current = store.get_report(draft.id)
    assert current.changes["name"] == "theirs" and current.version == 2
    submitted = current.transition(ReportState.SUBMITTED, by="a")
    store.update_report(submitted, 2, ReportState.DRAFT)
    with pytest.raises(Conflict) as caught:
        store.update_report(current, 2, ReportState.DRAFT)
    assert not isinstance(caught.value, StaleVersion)


def test_migrated_schema_matches_the_domain(store: SqlRepository) -> None:
    """A field added to a record type without a migration fails here."""
    inspector = sa.inspect(store.engine)
    for table in metadata_for(store.dialect).sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        assert have == {c.name for c in table.columns}, table.name
    with store.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()


def test_distance_filter_agrees_with_geodesic_inverse() -> None:
    """The distance filter agrees with pyproj's geodesic: within 5 cm at 500 m and 0.5 m at
    2 km (tangent plane), 1 m at 20 km (projection), at low and high latitude, all bearings."""
    import numpy as np
    import pyproj
    from shapely import Point

    from minewatch.store.sql import within_geodesic_distance

    geod = pyproj.Geod(ellps="WGS84")
    for lat in (0.0, 48.5, 69.0, 75.0):
        for azimuth in (0.0, 45.0, 90.0, 135.0, 200.0, 315.0):
            for distance, tolerance in ((500.0, 0.05), (2_000.0, 0.5), (20_000.0, 1.0)):
                lon2, lat2, _ = geod.fwd(30.0, lat, azimuth, distance)
                target = np.array([Point(lon2, lat2)], dtype=object)
                assert within_geodesic_distance(target, 30.0, lat, distance + tolerance)[0]
                assert not within_geodesic_distance(target, 30.0, lat, distance - tolerance)[0]


def test_counts_by_status_and_by_report_state(store: SqlRepository) -> None:
    """What ``minewatch stats`` summarises, counted by the backend: items of a kind by status
    (one "" group for a kind without status), reports by kind and state."""
    store.put_items(
        [
            area("HA-000001", box(0, 0, 0.01, 0.01)),
            area("HA-000002", box(1, 1, 1.01, 1.01)),
            area("HA-000003", box(2, 2, 2.01, 2.01), status=HazardStatus.RELEASED),
        ]
    )
    assert store.item_counts(Kind.HAZARDOUS_AREA) == {"open": 2, "released": 1}
    assert store.item_counts(Kind.ACCIDENT) == {}
    workflow = Workflow(store, local_admin("a"))
    for _ in range(2):
        workflow.create_draft(
            Kind.HAZARDOUS_AREA, {}, box(3, 3, 3.01, 3.01), date_of_information=date(2024, 1, 1)
        )
    organisation = workflow.create_draft(
        Kind.ORGANISATION, {"name": "Demining NGO"}, None, date_of_information=date(2024, 1, 1)
    )
    workflow.submit(organisation.code or "")
    assert store.report_counts() == {
        ("hazardous_area", "draft"): 2,
        ("organisation", "submitted"): 1,
    }
    workflow.approve(organisation.code or "")
    assert store.item_counts(Kind.ORGANISATION) == {"": 1}
    assert store.report_counts()[("organisation", "approved")] == 1
