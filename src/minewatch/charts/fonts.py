"""The bundled fonts (Noto, SIL Open Font License; ``minewatch/data/fonts/README.md`` says
where each file came from) and how every picture and document uses them.

One place for fonts, so that a chart or a PDF prints the same on any machine and in every
script its languages use: Noto Sans for Latin, Cyrillic and Greek, then Noto Sans Arabic,
Lao and Khmer as fallbacks, glyph by glyph. Both renderers shape complex scripts with
HarfBuzz: matplotlib (3.11, through libraqm) in charts, fpdf2 with ``set_text_shaping``
(the ``uharfbuzz`` package) in PDFs, so Arabic letters join and read right to left and Lao
and Khmer vowels and subscripts sit where they belong.

- charts: call :func:`use_in_matplotlib` before drawing (it registers the fonts once and sets
  the family list); plotly's HTML names :func:`css_font_stack`.
- PDFs: :func:`add_pdf_fonts` gives an ``FPDF`` every family, shaping, the fallbacks and the
  language's paragraph direction; ``charts.pdf.LocalisedPDF`` builds on it.

>>> [family.name for family in FAMILIES]
['Noto Sans', 'Noto Sans Arabic', 'Noto Sans Lao', 'Noto Sans Khmer']
>>> family_for("ar").name, family_for("fr-CA").name, family_for(None).name
('Noto Sans Arabic', 'Noto Sans', 'Noto Sans')
>>> all(font_path(family, bold).is_file() for family in FAMILIES for bold in (False, True))
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from minewatch.vocabulary import direction

if TYPE_CHECKING:
    from fpdf import FPDF


@dataclass(frozen=True)
class FontFamily:
    """One bundled family: its name (as matplotlib and CSS know it), its key in an ``FPDF``
    (``pdf_name``), the stem of its two files (``<stem>-Regular.ttf``, ``<stem>-Bold.ttf``)
    and the languages (ISO 639) whose text it sets first."""

    name: str
    pdf_name: str
    stem: str
    languages: frozenset[str] = frozenset()


#: Every bundled family; the first is the default, the others are fallbacks in this order.
FAMILIES: tuple[FontFamily, ...] = (
    FontFamily("Noto Sans", "NotoSans", "NotoSans"),
    FontFamily(
        "Noto Sans Arabic",
        "NotoSansArabic",
        "NotoSansArabic",
        frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug"}),
    ),
    FontFamily("Noto Sans Lao", "NotoSansLao", "NotoSansLao", frozenset({"lo"})),
    FontFamily("Noto Sans Khmer", "NotoSansKhmer", "NotoSansKhmer", frozenset({"km"})),
)


def font_dir() -> Path:
    """The folder of the bundled TTF files (``minewatch/data/fonts``)."""
    return Path(str(resources.files("minewatch.data") / "fonts"))


def font_path(family: FontFamily, bold: bool = False) -> Path:
    """The TTF file of ``family`` in regular or bold weight."""
    return font_dir() / f"{family.stem}-{'Bold' if bold else 'Regular'}.ttf"


def _language(locale: str | None) -> str:
    return (locale or "en").replace("-", "_").split("_")[0].lower()


def family_for(locale: str | None) -> FontFamily:
    """The family that sets text in ``locale`` first (Noto Sans unless the language's
    script has its own), the others being its fallbacks."""
    language = _language(locale)
    return next((f for f in FAMILIES if language in f.languages), FAMILIES[0])


def families_in_order(locale: str | None = None) -> list[FontFamily]:
    """``locale``'s own family first, then every other bundled one (the fallback order).

    Examples
    --------
    >>> [f.pdf_name for f in families_in_order("km")]
    ['NotoSansKhmer', 'NotoSans', 'NotoSansArabic', 'NotoSansLao']
    """
    first = family_for(locale)
    return [first, *(f for f in FAMILIES if f != first)]


def css_font_stack(locale: str | None = None) -> str:
    """A CSS ``font-family`` value naming the bundled families (installed ones win in a
    browser), then the system's sans-serif: for plotly's offline HTML and the HTML
    statements.

    Examples
    --------
    >>> css_font_stack("ar")
    '"Noto Sans Arabic", "Noto Sans", "Noto Sans Lao", "Noto Sans Khmer", system-ui, sans-serif'
    """
    names = ", ".join(f'"{f.name}"' for f in families_in_order(locale))
    return f"{names}, system-ui, sans-serif"


@functools.cache
def _register_with_matplotlib() -> None:
    from matplotlib import font_manager

    for family in FAMILIES:
        for bold in (False, True):
            font_manager.fontManager.addfont(str(font_path(family, bold)))


def use_in_matplotlib(locale: str | None = None) -> None:
    """Make matplotlib draw with the bundled fonts: registered once per process, and the
    family list set so that a glyph missing from the first family is taken from the next
    (matplotlib ≥ 3.6) and complex scripts are shaped (≥ 3.11). Call it before creating a
    figure (a text keeps the fonts current when it was made).

    Examples
    --------
    >>> use_in_matplotlib("ar")
    >>> import matplotlib
    >>> matplotlib.rcParams["font.family"][:2]
    ['Noto Sans Arabic', 'Noto Sans']
    """
    import matplotlib

    _register_with_matplotlib()
    matplotlib.rcParams["font.family"] = [f.name for f in families_in_order(locale)]
    # Debian's Noto Sans (2020) has no U+2212 MINUS SIGN: ticks use the hyphen-minus.
    matplotlib.rcParams["axes.unicode_minus"] = False


def add_pdf_fonts(pdf: FPDF, locale: str | None = None) -> str:
    """Give ``pdf`` every bundled family (regular and bold), text shaping (HarfBuzz through
    ``uharfbuzz``), the other families as fallbacks for glyphs the first lacks, and the
    paragraph direction of ``locale`` (right to left for Arabic, so a line that starts with
    a code still reads from the right). Sets and returns the family to write in.

    Examples
    --------
    >>> from fpdf import FPDF
    >>> pdf = FPDF()
    >>> add_pdf_fonts(pdf, "ar")
    'NotoSansArabic'
    >>> pdf.add_page()
    >>> _ = pdf.cell(text="بيان الإفراج عن الأراضي HA-000003")
    >>> pdf.output()[:5]
    bytearray(b'%PDF-')
    """
    ordered = families_in_order(locale)
    for family in ordered:
        if family.pdf_name.lower() in pdf.fonts:
            continue
        pdf.add_font(family.pdf_name, "", str(font_path(family)))
        pdf.add_font(family.pdf_name, "B", str(font_path(family, bold=True)))
    pdf.set_text_shaping(
        use_shaping_engine=True, direction="rtl" if direction(locale) == "rtl" else "ltr"
    )
    pdf.set_fallback_fonts([f.pdf_name for f in ordered[1:]], exact_match=False)
    pdf.set_font(ordered[0].pdf_name, "", 10)
    return ordered[0].pdf_name
