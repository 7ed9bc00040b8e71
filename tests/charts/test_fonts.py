"""The bundled fonts: recorded where they came from, and used so that Arabic is shaped and
Lao and Khmer are set in their own fonts, in PDFs and in charts."""

from __future__ import annotations

import hashlib
import re
import warnings

import pytest
from fpdf import FPDF
from fpdf.enums import Align

from minewatch.charts.fonts import (
    FAMILIES,
    add_pdf_fonts,
    font_dir,
    font_path,
    use_in_matplotlib,
)
from minewatch.charts.pdf import LocalisedPDF


def test_every_font_file_is_recorded_with_its_checksum_and_licence() -> None:
    readme = (font_dir() / "README.md").read_text(encoding="utf-8")
    recorded = dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+\.ttf)$", readme, re.M)
    )
    shipped = {path.name for path in font_dir().glob("*.ttf")}
    assert shipped == set(recorded), "every TTF is listed in data/fonts/README.md and no other"
    assert shipped == {font_path(f, b).name for f in FAMILIES for b in (False, True)}
    for name, digest in recorded.items():
        assert hashlib.sha256((font_dir() / name).read_bytes()).hexdigest() == digest, name
    assert "SIL Open Font License" in (font_dir() / "OFL.txt").read_text(encoding="utf-8")


def _glyph_names(pdf: FPDF, family: str) -> list[str]:
    return list(pdf.fonts[family.lower()].subset.get_all_glyph_names())


def test_pdf_shapes_arabic_into_joined_forms() -> None:
    pdf = FPDF()
    add_pdf_fonts(pdf, "ar")
    pdf.add_page()
    pdf.cell(text="ببب")  # one letter thrice: initial, medial and final forms when shaped
    names = _glyph_names(pdf, "NotoSansArabic")
    assert {"uniFE91", "uniFE92", "uniFE90"} <= set(names)
    assert "uni0628" not in names  # the isolated form would mean no shaping

    unshaped = FPDF()
    add_pdf_fonts(unshaped, "ar")
    unshaped.set_text_shaping(False)
    unshaped.add_page()
    unshaped.cell(text="ببب")
    assert "uni0628" in _glyph_names(unshaped, "NotoSansArabic")  # the check can fail


def test_pdf_takes_each_script_from_its_font_and_misses_no_glyph() -> None:
    doc = LocalisedPDF("en")
    doc.add_page()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2 warns about glyphs missing from every font
        doc.paragraph("Latin, Українська, العربية, ພາສາລາວ, ភាសាខ្មែរ")
    for family in ("NotoSansArabic", "NotoSansLao", "NotoSansKhmer"):
        assert len(_glyph_names(doc, family)) > 3, family
    pdf = bytes(doc.output())
    assert pdf.count(b"/FontFile2") == 8  # every family in both weights, each subset:
    assert len(pdf) < 80_000  # the full files weigh 1.8 MB


def test_arabic_document_starts_its_lines_on_the_right() -> None:
    doc = LocalisedPDF("ar")
    assert doc.rtl and doc.start == Align.R
    assert not LocalisedPDF("fr").rtl


@pytest.mark.parametrize("text", ["بيان الإفراج عن الأراضي", "ພາສາລາວ", "ភាសាខ្មែរ", "Українська"])
def test_matplotlib_draws_every_script_with_a_bundled_font(text: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    use_in_matplotlib("en")
    fig, ax = plt.subplots()
    ax.set_title(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
        fig.canvas.draw()
    plt.close(fig)
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family="Noto Sans Khmer"))
    assert found == str(font_path(FAMILIES[3]))
