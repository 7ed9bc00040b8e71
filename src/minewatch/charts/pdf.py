"""A PDF document in one language: the bundled fonts, text shaping, and a page that reads in
the language's direction (headings and paragraphs aligned to the start of the line, table
columns mirrored right to left for Arabic). Release statements are built on it, and any
other report (Article 7 forms, country reports) should be.

>>> doc = LocalisedPDF("ar", title="بيان")
>>> doc.add_page()
>>> doc.heading("بيان الإفراج عن الأراضي")
>>> doc.paragraph("HA-000003 · 2024-05-01")
>>> doc.grid(("الرصيد", "م²"), [("الأصلي", "1٬234")], numeric=(1,))
>>> doc.rtl, bytes(doc.output())[:5]
(True, b'%PDF-')
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align

from minewatch.charts.fonts import add_pdf_fonts
from minewatch.vocabulary import direction, normalise_locale


class LocalisedPDF(FPDF):
    """An A4 portrait document written in ``locale`` (a shipped language, else English),
    with the bundled fonts and HarfBuzz shaping (:func:`charts.fonts.add_pdf_fonts`)."""

    def __init__(self, locale: str | None = None, *, title: str | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.locale = normalise_locale(locale)
        self.rtl = direction(self.locale) == "rtl"
        self.family = add_pdf_fonts(self, self.locale)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_lang(self.locale)
        if title:
            self.set_title(title)

    def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> bool:
        # fpdf2 (2.8) forgets a fallback font's Tf at the end of a line: the next line, if it
        # starts in the document's own font, is drawn without selecting it again, so Arabic
        # glyph numbers were drawn from Noto Sans after a line that ended in a fallback
        # glyph (a parenthesis, "%", Latin). Every line selects its first font again.
        font = self.current_font
        self.current_font_is_set_on_page = False
        try:
            return bool(super()._render_styled_text_line(*args, **kwargs))
        finally:
            self.current_font = font
            self.current_font_is_set_on_page = False

    @property
    def start(self) -> Align:
        """Where a line of this language starts: the right for a right-to-left one."""
        return Align.R if self.rtl else Align.L

    def heading(self, text: str, size: int = 12) -> None:
        """A bold line (or lines) at ``size`` points, then back to body text."""
        self.set_font(self.family, "B", size)
        self.multi_cell(0, size * 0.6, text, align=self.start, new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 9)

    def paragraph(self, text: str) -> None:
        """Body text, wrapped, aligned to the start of the line."""
        self.multi_cell(0, 5, text, align=self.start, new_x="LMARGIN", new_y="NEXT")

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        numeric: Collection[int] = (),
    ) -> None:
        """A table with a header row; in a right-to-left language the first column is the
        rightmost. Columns whose index is in ``numeric`` are aligned to the right."""
        order = list(range(len(header)))
        if self.rtl:
            order.reverse()
        with self.table(
            line_height=5,
            text_align=tuple(Align.R if i in numeric else self.start for i in order),
        ) as table:
            for cells in (header, *rows):
                row = table.row()
                for i in order:
                    row.cell(cells[i])
