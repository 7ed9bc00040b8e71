"""The Article 7 report over HTTP: the three formats, casualties for staff only, refusals.
Synthetic data."""

from __future__ import annotations

import io

from api_support import Api
from docx import Document
from openpyxl import load_workbook

from minewatch.domain.records import Kind


def _programme(api: Api) -> None:
    accident = api.approved("w1", Kind.ACCIDENT, accident_date="2023-05-01",
                            device_category="ap_mine")  # fmt: skip
    api.approved("w1", Kind.VICTIM, accident_code=accident, outcome="killed",
                 victim_type="civilian", name="Synthetic Person")  # fmt: skip
    api.approved("w1", Kind.RISK_EDUCATION_SESSION, session_date="2023-02-04",
                 beneficiaries={"girls": 4, "boys": 2})  # fmt: skip


def test_report_formats_and_who_sees_casualties(api: Api) -> None:
    _programme(api)
    staff = api.client("w2").get("/api/treaty/report/UKR/2023.xlsx")
    assert staff.status_code == 200
    assert "article7-apmbc-UKR-2023.xlsx" in staff.headers["content-disposition"]
    book = load_workbook(io.BytesIO(staff.content))
    assert {"Cover", "I1", "J1", "Annex"} <= set(book.sheetnames)
    assert "Synthetic Person" not in str(list(book["J1"].iter_rows(values_only=True)))

    public = api.client().get("/api/treaty/report/Ukraine/2023.docx")
    assert public.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(public.content)).paragraphs)
    assert "only signed-in staff read them" in text

    pdf = api.client("w2").get("/api/treaty/report/UKR/2023.pdf?instrument=ccm")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_report_refusals(api: Api) -> None:
    client = api.client("w2")
    assert client.get("/api/treaty/report/Atlantis/2023.pdf").status_code == 404
    assert client.get("/api/treaty/report/UKR/1066.pdf").status_code == 422
    assert client.get("/api/treaty/report/UKR/2023.odt").status_code == 422


def test_profile_html_pdf_json(api: Api) -> None:
    _programme(api)
    page = api.client().get("/api/treaty/profile/UKR.html?date=2026-12-07")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Country profile: Ukraine (UKR)" in page.text and "Projection" in page.text
    assert "only signed-in staff" in page.text
    staff = api.client("w2").get("/api/treaty/profile/Ukraine.json").json()
    assert staff["casualties"]["shown"] is True and staff["freshness"]["status_as_at"]
    pdf = api.client("w2").get("/api/treaty/profile/UKR.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert api.client().get("/api/treaty/profile/Atlantis.html").status_code == 404
    assert api.client().get("/api/treaty/profile/UKR.html?date=1066-01-01").status_code == 422


def test_profile_in_french_and_arabic(api: Api) -> None:
    fr = api.client().get("/api/treaty/profile/UKR.html?lang=fr&date=2026-12-07")
    assert fr.headers["content-language"] == "fr"
    assert "Profil du pays : Ukraine (UKR)" in fr.text and "Projection" in fr.text
    assert 'lang="fr"' in fr.text
    ar = api.client().get("/api/treaty/profile/UKR.html?lang=ar")
    assert 'dir="rtl"' in ar.text and "ملف البلد" in ar.text
    # the state as CLDR names it, its status and the deadlines' bases in Arabic; JSON's codes
    assert "أوكرانيا (UKR)" in ar.text and "ملزمة؛ يوجد إبلاغ مسجل" in ar.text
    assert "communication on record" not in ar.text and "entry into force +" not in ar.text
    data = api.client().get("/api/treaty/profile/UKR.json?lang=es&date=2026-12-07").json()
    assert (data["state"], data["iso3"], data["treaties"][0]["status"]) == (
        "Ukraine",
        "UKR",
        "bound",
    )
    assert data["treaties"][0]["label"].startswith("Obligado; comunicación registrada")
    assert data["freshness"]["note"].startswith("proyección:")
    pdf = api.client().get("/api/treaty/profile/UKR.pdf?lang=ar")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
