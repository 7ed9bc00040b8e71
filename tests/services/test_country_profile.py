"""The country profile: treaty facts with their freshness, obligations only where they apply,
and the programme's figures from the store (a synthetic programme). All data synthetic
except the shipped, sourced treaty data."""

from __future__ import annotations

from datetime import date

import pytest
from pyproj import Geod
from shapely import Point, box

from minewatch.charts.country_profile import profile_html, profile_pdf
from minewatch.domain.access import PUBLIC, local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import NotFound
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.country_profile import country_profile
from minewatch.services.records import Draft, Workflow
from minewatch.services.treaty import TreatyMonitor
from minewatch.store import SqlRepository

AREA = box(30.00, 0.00, 30.01, 0.01)
CLEARED = box(30.00, 0.00, 30.005, 0.01)


@pytest.fixture
def programme(store: SqlRepository) -> SqlRepository:
    wf = Workflow(store, local_admin("tester"))
    info = date(2025, 12, 31)
    wf.create_drafts([Draft(Kind.HAZARDOUS_AREA, {"hazard_types": ["ap_mines"]}, info, AREA)],
                     state=ReportState.APPROVED)  # fmt: skip
    wf.create_drafts(
        [Draft(Kind.RELEASE_PRODUCT, {"product_type": "cleared", "release_date": "2025-03-01",
                                      "hazardous_area_code": "HA-000001"}, info, CLEARED),
         Draft(Kind.ACCIDENT, {"accident_date": "2025-03-03", "device_category": "ap_mine"},
               info, Point(30.002, 0.002))],
        state=ReportState.APPROVED,
    )  # fmt: skip
    wf.create_drafts([Draft(Kind.VICTIM, {"accident_code": "ACC-000001", "outcome": "injured",
                                          "name": "Synthetic Person"}, info)],
                     state=ReportState.APPROVED)  # fmt: skip
    return store


def _staff(store: SqlRepository) -> AuditedWorkflow:
    return AuditedWorkflow(store, local_admin("reader"), Accounts(store))


def test_treaty_part_and_its_freshness(programme: SqlRepository) -> None:
    monitor = TreatyMonitor.shipped()
    before = country_profile(_staff(programme), monitor, "UKR", on=date(2022, 1, 1))
    assert before["freshness"]["projected"] is False
    assert before["obligations"]["clearance_deadline"]["due"] == date(2023, 12, 1)
    later = country_profile(_staff(programme), monitor, "Ukraine", on=date(2026, 12, 7))
    assert later["freshness"]["projected"] is True and "projection" in later["freshness"]["note"]
    assert later["obligations"]["clearance_deadline"]["due"] == date(2033, 12, 1)
    kinds = [c["kind"] for c in later["communications"]]
    assert "suspension" in kinds
    suspension = next(c for c in later["communications"] if c["kind"] == "suspension")
    assert "not provided for" in suspension["legal_character"] and suspension["source_url"]
    html = profile_html(later)
    assert "Data status as at 2026-02-03" in html or "status as at 2026-02-03" in html
    assert "Convention on Cluster Munitions" in html and "not in the treaty data" in html


def test_obligations_only_where_they_apply(tmp_path) -> None:
    empty = _empty(tmp_path)
    tonga = country_profile(empty, TreatyMonitor.shipped(), "Tonga", on=date(2026, 1, 1))
    assert tonga["obligations"]["stockpile_held"] is None
    assert not any("stockpile" in d["kind"] for d in tonga["obligations"]["upcoming"])
    finland = country_profile(empty, TreatyMonitor.shipped(), "FIN", on=date(2023, 4, 4))
    assert "NATO" in finland["groups"]
    usa = country_profile(empty, TreatyMonitor.shipped(), "USA", on=date(2026, 12, 7))
    assert usa["policy"]["version"] and usa["policy"]["freshness"]["projected"] is True
    assert usa["obligations"]["clearance_deadline"] is None  # not a party


def _empty(folder) -> AuditedWorkflow:
    from minewatch.store import open_store

    store = open_store(str(folder / "empty.gpkg"), create=True)
    return AuditedWorkflow(store, PUBLIC, Accounts(store))


def test_programme_figures(programme: SqlRepository) -> None:
    geod = Geod(ellps="WGS84")
    staff = country_profile(_staff(programme), TreatyMonitor.shipped(), "UKR", on=date(2026, 1, 1))
    totals = staff["contamination"]["totals"]
    assert totals["original_m2"] == pytest.approx(
        abs(geod.geometry_area_perimeter(AREA)[0]), rel=1e-5
    )
    assert totals["cleared_m2"] == pytest.approx(
        abs(geod.geometry_area_perimeter(CLEARED)[0]), rel=1e-4
    )
    assert staff["contamination"]["by_year"][0]["year"] == 2025
    assert staff["casualties"]["years"] == [
        {"year": 2025, "killed": 0, "injured": 1, "unknown": 0, "total": 1}
    ]
    public = country_profile(
        AuditedWorkflow(programme, PUBLIC, Accounts(programme)), TreatyMonitor.shipped(), "UKR"
    )
    assert public["casualties"] == {"shown": False, "years": []}
    assert "only signed-in staff" in profile_html(public)
    assert profile_pdf(staff)[:5] == b"%PDF-"
    with pytest.raises(NotFound):
        country_profile(_staff(programme), TreatyMonitor.shipped(), "Atlantis")
