"""Release statements: content, HTML and PDF (synthetic areas and products)."""

from __future__ import annotations

import re
from datetime import date

import geopandas as gpd
import pytest
import shapely

from minewatch.analysis.landrelease import account_land_release
from minewatch.analysis.release_statement import ResidualRisk, build_release_statements
from minewatch.charts.release_statement import statements_html, statements_pdf, write_statements


@pytest.fixture()
def case():
    areas = gpd.GeoDataFrame(
        {
            "code": ["HA-1", "HA-2"],
            "name": ["Поле біля школи <north>", "Orchard"],
            "classification": ["CHA", "SHA"],
            "hazard_types": [["ap_mines"], []],
            "evidence": [
                '[{"type": "eo_seen", "source": "seen", "note": "PMN-2 by the fence"}]',
                None,
            ],
            "residual_risk": [None, 0.2],
            "location_code": ["LOC-1", "LOC-2"],
        },
        geometry=[shapely.box(30, 0, 30.001, 0.001), shapely.box(31, 0, 31.001, 0.001)],
        crs=4326,
    )
    products = gpd.GeoDataFrame(
        {
            "code": ["RP-1", "RP-2", "RP-3"],
            "product_type": ["reduced", "cleared", "cancelled"],
            "hazardous_area_code": ["HA-1", "HA-1", "HA-2"],
            "release_date": ["2024-02-01", "2024-03-01", "2024-04-01"],
            "activity_code": ["LRA-1", "LRA-2", "LRA-3"],
            "activity_type": ["technical_survey", "clearance", "non_technical_survey"],
            "method": ["mechanical", "manual", "desk"],
        },
        geometry=[
            shapely.box(30, 0, 30.0006, 0.001),
            shapely.box(30.0005, 0, 30.001, 0.001),
            shapely.box(31, 0, 31.0005, 0.001),
        ],
        crs=4326,
    )
    return areas, account_land_release(areas, products, area_tolerance_fraction=0.05)


def test_statement_content_and_residual_risk_sources(case) -> None:
    areas, acc = case
    bound = ResidualRisk(0.37, "live items, 95 % upper bound", "zero-find bound, Poisson")
    statements = build_release_statements(
        acc, areas, residual_risk={"HA-1": bound}, issued_on=date(2024, 5, 1)
    )
    one, two = statements
    assert one.fully_released and not two.fully_released
    assert one.original_m2 == pytest.approx(one.released_m2 + one.remaining_m2, rel=1e-12)
    assert [p.code for p in one.products] == ["RP-1", "RP-2"]
    assert one.products[1].already_released_m2 > 0  # cleared over land reduced before
    assert one.products[1].method == "manual"
    assert one.evidence[0].type == "eo_seen"
    assert one.residual_risk is bound
    assert two.residual_risk.value == 0.2 and "residual-hazard model" in two.residual_risk.method
    only_full = build_release_statements(acc, areas, fully_released_only=True)
    assert [s.hazardous_area_code for s in only_full] == ["HA-1"]
    none = build_release_statements(acc, areas, codes=["HA-2"], residual_risk=lambda c: None)
    assert none[0].residual_risk.value == 0.2


def test_html_escapes_and_pdf_renders(case, tmp_path) -> None:
    areas, acc = case
    statements = build_release_statements(acc, areas, issued_on=date(2024, 5, 1))
    html = statements_html(statements)
    assert "&lt;north&gt;" in html and "<north>" not in html
    assert "Поле біля школи" in html and "RP-2" in html and "Fully released" in html
    pdf = statements_pdf(statements)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    paths = write_statements(statements, tmp_path)
    assert {p.name for p in paths} == {"release-statements.html", "release-statements.pdf"}


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "fr",
            ["Attestations de remise à disposition des terres", "Entièrement remise", "Dépollu"],
        ),
        ("es", ["Certificados de liberación de tierras", "Liberada por completo"]),
        ("uk", ["Довідки про вивільнення земель", "Повністю вивільнено", "12\xa0309"]),
        ("ar", ["بيانات الإفراج عن الأراضي", 'dir="rtl"', "الرصيد"]),
    ],
)
def test_statements_in_every_shipped_language(case, locale: str, words: list[str]) -> None:
    areas, acc = case
    statements = build_release_statements(acc, areas, issued_on=date(2024, 5, 1))
    html = statements_html(statements, locale)
    english = statements_html(statements, "en")
    for word in words:
        assert word in html, word
    assert f'lang="{locale}"' in html
    for phrase in ("Fully released", "Evidence that made", "Residual risk", "Data-quality"):
        assert phrase in english and phrase not in html, phrase
    assert "RP-2" in html and "HA-1" in html  # codes stay codes
    # the issue is labelled in the language; its detail is the accounting's English text
    assert "Land already released by an earlier product" in english
    assert "Land already released by an earlier product" not in html
    assert statements_pdf(statements, locale).startswith(b"%PDF")


def test_dates_as_the_language_writes_them_or_iso(case) -> None:
    areas, acc = case
    statements = build_release_statements(acc, areas, issued_on=date(2024, 5, 1))
    assert "1 mai 2024" in statements_html(statements, "fr")
    iso = statements_html(statements, "fr", date_style="iso")
    assert "2024-05-01" in iso and "1 mai 2024" not in iso


def _text_blocks(pdf: bytes) -> list[str]:
    """The uncompressed content streams' text objects, in order."""
    import zlib

    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    content = b""
    for data in streams:
        try:
            content += zlib.decompress(data)
        except zlib.error:
            continue
    text = content.decode("latin-1")
    return re.findall(r"BT.*?ET", text, re.S)


def test_every_line_selects_its_font_after_a_fallback_glyph() -> None:
    """fpdf2 draws a line that starts in the document's font without selecting it again
    when the line before ended in a fallback font (Latin or "(" inside Arabic): Arabic glyph
    numbers then index Noto Sans, which printed garbage. charts.pdf selects it per line."""
    from minewatch.charts.pdf import LocalisedPDF

    doc = LocalisedPDF("ar")
    doc.add_page()
    doc.paragraph("RP-2: already_released — counted once")
    doc.paragraph("مرة واحدة (الإفراج الأول)، وتقص الأجزاء " * 6)
    selected = False  # a font chosen since the last text shown
    for block in _text_blocks(bytes(doc.output())):
        shows = re.search(r"\bT[jJ]\b", block)
        if shows is None:
            selected = selected or " Tf" in block
            continue
        assert selected or " Tf" in block[: shows.start()], block[:160]
        selected = False
