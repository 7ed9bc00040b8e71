"""Article 7 reports filled from a synthetic programme whose figures were worked out by hand
(areas from pyproj's geodesic area of the same squares, counts by reading the records), each
figure traced to its records, and the three files written. All data here are synthetic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pyproj import Geod
from shapely import Point, box

from minewatch.charts.article7 import write_report
from minewatch.domain.access import PUBLIC, local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput, NotFound
from minewatch.services.accounts import Accounts
from minewatch.services.article7 import NOT_RECORDED, article7_report
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.records import Draft, Workflow
from minewatch.services.treaty import TreatyMonitor
from minewatch.store import SqlRepository

AREA = box(30.00, 0.00, 30.01, 0.01)
CANCELLED_2025 = box(30.00, 0.00, 30.005, 0.01)  # the western half
CLEARED_2024 = box(30.005, 0.005, 30.01, 0.01)  # the north-eastern quarter
CMR_AREA = box(30.02, 0.00, 30.03, 0.01)


def _m2(geometry) -> float:
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geometry)[0])


@pytest.fixture
def programme(store: SqlRepository) -> SqlRepository:
    wf = Workflow(store, local_admin("tester"))
    info = date(2025, 12, 31)
    wf.create_drafts(
        [
            Draft(
                Kind.HAZARDOUS_AREA,
                {
                    "name": "Synthetic AP field",
                    "hazard_types": ["ap_mines"],
                    "classification": "CHA",
                },
                info,
                AREA,
            ),
            Draft(
                Kind.HAZARDOUS_AREA,
                {"name": "Synthetic CMR field", "hazard_types": ["cluster_munition_remnants"]},
                info,
                CMR_AREA,
            ),
        ],
        state=ReportState.APPROVED,
    )
    wf.create_drafts(
        [
            Draft(
                Kind.RELEASE_PRODUCT,
                {
                    "product_type": "cancelled",
                    "release_date": "2025-03-01",
                    "hazardous_area_code": "HA-000001",
                },
                info,
                CANCELLED_2025,
            ),
            Draft(
                Kind.RELEASE_PRODUCT,
                {
                    "product_type": "cleared",
                    "release_date": "2024-05-01",
                    "hazardous_area_code": "HA-000001",
                },
                info,
                CLEARED_2024,
            ),
        ],
        state=ReportState.APPROVED,
    )
    finds = [
        ("ap_mine", "PMN-2", 3, "destroyed_in_situ", "2025-02-01", "HA-000001"),
        ("ap_mine", "PMN-2", 2, "destroyed_in_situ", "2025-06-01", "HA-000001"),
        ("ap_mine", None, 1, "removed", "2025-07-01", "HA-000001"),
        ("ap_mine", "PMN-2", 4, "destroyed_in_situ", "2024-06-01", "HA-000001"),  # not 2025
        ("ap_mine", "PMN-2", 1, "destroyed_in_situ", None, "HA-000001"),  # no date
        ("submunition", "BLU-97", 6, "destroyed_in_situ", "2025-04-01", "HA-000002"),
        ("av_mine", "TM-62", 1, "destroyed_in_situ", "2025-04-01", "HA-000001"),  # neither form
    ]
    wf.create_drafts(
        [
            Draft(
                Kind.DEVICE_FIND,
                {
                    "category": c,
                    "model": m,
                    "quantity": q,
                    "disposal": d,
                    "found_date": f,
                    "hazardous_area_code": a,
                },
                info,
                Point(30.001 + i / 10000, 0.001),
            )
            for i, (c, m, q, d, f, a) in enumerate(finds)
        ],
        state=ReportState.APPROVED,
    )
    wf.create_drafts(
        [
            Draft(
                Kind.RISK_EDUCATION_SESSION,
                {"session_date": "2025-05-05", "beneficiaries": {"girls": 10, "boys": 5}},
                info,
            ),
            Draft(
                Kind.RISK_EDUCATION_SESSION,
                {"session_date": "2025-09-09", "beneficiaries": {"women": 7}},
                info,
            ),
            Draft(
                Kind.RISK_EDUCATION_SESSION,
                {"session_date": "2024-09-09", "beneficiaries": {"men": 100}},
                info,
            ),
        ],
        state=ReportState.APPROVED,
    )
    wf.create_drafts(
        [
            Draft(
                Kind.ACCIDENT,
                {"accident_date": "2025-03-03", "device_category": "ap_mine"},
                info,
                Point(30.002, 0.002),
            ),
            Draft(
                Kind.ACCIDENT,
                {"accident_date": "2025-08-08", "device_category": "submunition"},
                info,
                Point(30.021, 0.002),
            ),
        ],
        state=ReportState.APPROVED,
    )
    wf.create_drafts(
        [
            Draft(
                Kind.VICTIM,
                {
                    "accident_code": "ACC-000001",
                    "victim_type": "civilian",
                    "outcome": "killed",
                    "name": "Synthetic Person",
                },
                info,
            ),
            Draft(
                Kind.VICTIM,
                {
                    "accident_code": "ACC-000002",
                    "victim_type": "civilian",
                    "outcome": "injured",
                    "name": "Synthetic Person",
                },
                info,
            ),
        ],
        state=ReportState.APPROVED,
    )
    services = [
        {"assistance_type": "medical", "status": "received", "received_date": "2025-03-04"},
        {"assistance_type": "rehabilitation", "status": "referred", "identified_date":
         "2025-03-10", "referred_date": "2025-04-01"},
        {"assistance_type": "psychological_support", "status": "received", "received_date":
         "2024-12-01"},  # another year
    ]  # fmt: skip
    wf.create_drafts(
        [Draft(Kind.VICTIM_ASSISTANCE, {"victim_code": "VIC-000001", "services": services}, info),
         Draft(Kind.VICTIM_ASSISTANCE, {"victim_code": "VIC-000002", "services": [
             {"assistance_type": "medical", "status": "received", "received_date": "2025-09-01"}
         ]}, info)],
        state=ReportState.APPROVED,
    )  # fmt: skip
    return store


def _staff(store: SqlRepository) -> AuditedWorkflow:
    return AuditedWorkflow(store, local_admin("reader"), Accounts(store))


def _form(report, letter):
    return next(f for f in report.forms if f.spec.letter == letter)


def test_apmbc_forms_from_the_records_by_hand(programme: SqlRepository) -> None:
    report = article7_report(_staff(programme), TreatyMonitor.shipped(), "UKR", 2025)
    assert report.due == date(2026, 4, 30)
    assert [f.spec.letter for f in report.forms if not f.recorded] == ["A", "B", "D", "E", "H"]
    assert _form(report, "A").notes == (NOT_RECORDED,)

    c = _form(report, "C").tables[0]
    assert [r[0] for r in c.rows] == ["HA-000001", "Total"]  # the CMR area is not an AP area
    assert c.rows[0][5] == pytest.approx(_m2(AREA), rel=1e-6)
    remaining = _m2(AREA) - _m2(CANCELLED_2025) - _m2(CLEARED_2024)
    assert c.rows[0][6] == pytest.approx(remaining, rel=1e-4)

    f = _form(report, "F").tables[0]
    area = dict(zip(f.columns, f.rows[0], strict=True))
    assert area["Cancelled m²"] == pytest.approx(_m2(CANCELLED_2025), rel=1e-4)
    assert area["Cleared m²"] == 0
    assert area["Released before m²"] == pytest.approx(_m2(CLEARED_2024), rel=1e-4)
    assert f.records[0] == ("HA-000001", "RP-000001")  # only the product of 2025
    assert "2033-12-01" in _form(report, "F").notes[0]  # Ukraine's deadline in force

    g = _form(report, "G")
    rows = {
        (r[1], r[2]): (r[3], codes)
        for r, codes in zip(g.tables[0].rows, g.tables[0].records, strict=True)
    }
    assert rows[("PMN-2", "Destroyed in place")] == (5, ("DF-000001", "DF-000002"))
    assert rows[("model not recorded", "Removed")] == (1, ("DF-000003",))
    assert rows[("", "")][0] == 6  # the total: AP mines of 2025 only
    assert any("DF-000005" in n for n in g.notes)  # the undated find is named, not counted

    i = _form(report, "I").tables[0]
    direct = dict(zip(i.columns, i.rows[0], strict=True))
    assert (
        direct["Sessions"],
        direct["Girls"],
        direct["Boys"],
        direct["Women"],
        direct["Total"],
    ) == (2, 10, 5, 7, 22)
    assert i.records[0] == ("RE-000001", "RE-000002")

    j = _form(report, "J")
    total = j.tables[0].rows[-1]
    assert total == ("Total", 1, 1, 0, 2)
    assistance = j.tables[1]
    assert assistance.key == "J2" and assistance.columns == (
        "Assistance",
        "Needs identified",
        "Referred",
        "Received",
    )
    rows = {r[0]: r[1:] for r in assistance.rows}
    assert rows["Medical care"] == (0, 0, 2)  # both survivors, 2025 only
    assert rows["Rehabilitation"] == (1, 1, 0)
    assert "Psychological support" not in rows  # received in 2024
    assert assistance.records[-1] == ("VA-000001", "VA-000002")


def test_every_figure_is_in_the_annex(programme: SqlRepository) -> None:
    report = article7_report(_staff(programme), TreatyMonitor.shipped(), "Ukraine", 2025)
    annex = report.annex()
    assert len(annex) == sum(len(t.rows) for t in report.tables())
    assert ("G1.1", "Anti-personnel mine", ("DF-000003",)) in annex or any(
        ref.startswith("G1") for ref, _, _ in annex
    )
    codes = {c for _, _, cs in annex for c in cs}
    assert {"HA-000001", "RP-000001", "DF-000001", "RE-000001", "VIC-000001"} <= codes


def test_ccm_counts_cluster_munition_remnants_only(programme: SqlRepository) -> None:
    report = article7_report(
        _staff(programme), TreatyMonitor.shipped(), "UKR", 2025, instrument="ccm"
    )
    assert report.due is None  # no CCM participation data: not computed
    f = _form(report, "F")
    assert [r[0] for r in f.tables[0].rows] == ["HA-000002", "Total"]
    destroyed = f.tables[1]
    assert destroyed.rows[0][:2] == ("Submunition", "BLU-97") and destroyed.rows[0][3] == 6
    h = _form(report, "H").tables
    assert h[0].rows[-1] == ("Total", 0, 1, 0, 1) and h[0].records[-1] == ("VIC-000002",)
    assert h[1].records[-1] == ("VA-000002",)  # only the survivor of cluster munition remnants


def test_public_reports_leave_casualties_out(programme: SqlRepository) -> None:
    report = article7_report(
        AuditedWorkflow(programme, PUBLIC, Accounts(programme)),
        TreatyMonitor.shipped(),
        "UKR",
        2025,
    )
    j = _form(report, "J")
    assert not j.tables and any("staff" in n for n in j.notes)


def test_bad_requests_are_refused(programme: SqlRepository) -> None:
    with pytest.raises(NotFound):
        article7_report(_staff(programme), TreatyMonitor.shipped(), "Atlantis", 2025)
    with pytest.raises(InvalidInput, match="year"):
        article7_report(_staff(programme), TreatyMonitor.shipped(), "UKR", 1066)


def test_the_three_files(programme: SqlRepository, tmp_path: Path) -> None:
    report = article7_report(_staff(programme), TreatyMonitor.shipped(), "UKR", 2025)
    docx, xlsx, pdf = write_report(report, tmp_path, "ukr")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Form C: Location of all mined areas" in text and "Annex" in text
    cells = {c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells}
    assert "DF-000001, DF-000002" in cells
    book = load_workbook(xlsx)
    assert {"Cover", "C1", "F1", "G1", "I1", "J1", "Annex"} <= set(book.sheetnames)
    f1 = list(book["F1"].iter_rows(values_only=True))
    assert f1[1][0] == "Ref." and isinstance(f1[2][2], float)  # numbers stay numbers
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_due_only_when_owed(programme: SqlRepository) -> None:
    monitor = TreatyMonitor.shipped()
    staff = _staff(programme)
    assert article7_report(staff, monitor, "USA", 2025).due is None  # not a party
    estonia = article7_report(staff, monitor, "Estonia", 2026)  # withdrawn on 27 Dec 2025
    assert estonia.due is None and "withdrawal took effect on 2025-12-27" in estonia.cover[-1]
    assert article7_report(staff, monitor, "Estonia", 2025).due == date(2026, 4, 30)
    assert "within the year" in article7_report(staff, monitor, "Estonia", 2025).cover[-1]


def test_a_spanish_report_has_the_same_figures_in_spanish_words(
    programme: SqlRepository, tmp_path: Path
) -> None:
    """lang=es: title, cover, form headings, notes, table titles and headers, labels and the
    annex in Spanish (the state named as CLDR names it); figures, references and record codes
    exactly those of the English report."""
    monitor = TreatyMonitor.shipped()
    english = article7_report(_staff(programme), monitor, "UKR", 2025)
    spanish = article7_report(_staff(programme), monitor, "UKR", 2025, locale="es")
    assert [t.rows[0][1:] for t in spanish.tables() if t.key == "F1"] == [
        t.rows[0][1:] for t in english.tables() if t.key == "F1"
    ]
    assert spanish.annex() != [] and [r for r, _, c in spanish.annex()] == [
        r for r, _, c in english.annex()
    ]
    docx, xlsx, _ = write_report(spanish, tmp_path, "ukr-es", "es")
    document = Document(str(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.startswith(
        "Convención sobre la Prohibición de Minas Antipersonal: informe del artículo 7 — "
        "Ucrania, año civil 2025"
    )
    assert "Formulario C: Ubicación de todas las zonas minadas" in text
    assert "Período del informe: del 2025-01-01 al 2025-12-31." in text
    assert "Anexo: los registros detrás de cada cifra" in text
    headers = {c.text for t in document.tables for c in t.rows[0].cells}
    assert {"Área peligrosa", "Despejado m²", "Categoría", "Cantidad"} & headers
    for english_words in ("Form C:", "Reporting period", "Annex:", "calendar year", "Remaining"):
        assert english_words not in text + "\n".join(headers), english_words
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "DF-000001, DF-000002" in cells  # record codes unchanged
    book = load_workbook(xlsx)
    assert {"Cover", "C1", "F1", "Annex"} <= set(book.sheetnames)  # sheet names stay keys
    assert list(book["F1"].iter_rows(values_only=True))[1][0] == "Ref."
