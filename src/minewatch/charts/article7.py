"""Article 7 reports as documents: an editable Word document (:func:`write_docx`), a workbook
of the forms' tables with the annex (:func:`write_xlsx`) and a PDF (:func:`write_pdf`); all
three from the same :class:`~minewatch.domain.treaty.article7.Article7Report`, with each
figure's reference ("C1.2") beside it and an annex listing the records behind every figure.

The PDF is a :class:`~minewatch.charts.pdf.LocalisedPDF`: the bundled Noto fonts with text
shaping, so names in Latin, Cyrillic, Arabic, Lao or Khmer script print as recorded.

>>> from minewatch.domain.treaty.article7 import Article7Report
>>> empty = Article7Report("apmbc", "Synthetica", "SYN", 2025, None, None, (), ())
>>> sorted(p.suffix for p in write_report(empty, tmp, "r"))
['.docx', '.pdf', '.xlsx']
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Font

from minewatch.charts.pdf import LocalisedPDF
from minewatch.domain.cells import safe_row
from minewatch.domain.treaty.article7 import Article7Report, FilledForm, FormTable

_TITLES = {
    "apmbc": "Anti-Personnel Mine Ban Convention: Article 7 report",
    "ccm": "Convention on Cluster Munitions: Article 7 report",
}


def title(report: Article7Report) -> str:
    """The document's title.

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> title(Article7Report("ccm", "Synthetica", "SYN", 2025, None, None, (), ()))
    'Convention on Cluster Munitions: Article 7 report — Synthetica, calendar year 2025'
    """
    return f"{_TITLES[report.instrument]} — {report.state}, calendar year {report.year}"


def _form_heading(form: FilledForm) -> str:
    spec = form.spec
    where = f" (Art. {spec.paragraph})" if spec.paragraph else ""
    voluntary = " — voluntary" if spec.voluntary else ""
    return f"Form {spec.letter}: {spec.title}{where}{voluntary}"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def _with_refs(table: FormTable) -> tuple[list[str], list[list[str]]]:
    header = ["Ref.", *table.columns]
    rows = [[table.ref(i), *(_cell(v) for v in row)] for i, row in enumerate(table.rows)]
    return header, rows


def _front(report: Article7Report) -> list[str]:
    lines = [f"State: {report.state}" + (f" ({report.iso3})" if report.iso3 else "")]
    lines += list(report.cover)
    lines.append(f"Generated on {report.generated_on.isoformat()} by minewatch.")
    lines.append(f"Form structure: {report.source}.")
    return lines


def write_docx(report: Article7Report, path: Path) -> Path:
    """The report as an editable Word document: cover, each form with its notes and tables,
    and the annex of records behind each figure.

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> from docx import Document
    >>> out = write_docx(Article7Report("apmbc", "Synthetica", "SYN", 2025, None, None, (),
    ...                                 ()), tmp / "r.docx")
    >>> Document(str(out)).paragraphs[0].text.startswith("Anti-Personnel Mine Ban Convention")
    True
    """
    doc = Document()
    doc.add_heading(title(report), level=0)
    for line in _front(report):
        doc.add_paragraph(line)
    for form in report.forms:
        doc.add_heading(_form_heading(form), level=1)
        for note in form.notes:
            doc.add_paragraph(note)
        for table in form.tables:
            doc.add_heading(f"{table.key}: {table.title}", level=2)
            header, rows = _with_refs(table)
            grid = doc.add_table(rows=1 + len(rows), cols=len(header))
            grid.style = "Table Grid"
            for r, values in enumerate([header, *rows]):
                for c, value in enumerate(values):
                    grid.cell(r, c).text = value
    doc.add_heading("Annex: the records behind each figure", level=1)
    annex = report.annex()
    if annex:
        grid = doc.add_table(rows=1 + len(annex), cols=3)
        grid.style = "Table Grid"
        for r, cells in enumerate([("Ref.", "Row", "Records"), *_annex_rows(annex)]):
            for c, value in enumerate(cells):
                grid.cell(r, c).text = value
    else:
        doc.add_paragraph("No figure was computed from records.")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _annex_rows(annex: Sequence[tuple[str, str, tuple[str, ...]]]) -> list[tuple[str, str, str]]:
    return [(ref, row, ", ".join(codes) or "—") for ref, row, codes in annex]


def write_xlsx(report: Article7Report, path: Path) -> Path:
    """The forms' tables as sheets (one per table, numbers as numbers), a cover sheet and the
    annex sheet.

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> from openpyxl import load_workbook
    >>> out = write_xlsx(Article7Report("apmbc", "Synthetica", "SYN", 2025, None, None, (),
    ...                                 ()), tmp / "r.xlsx")
    >>> load_workbook(out).sheetnames
    ['Cover', 'Annex']
    """
    book = Workbook()
    cover = book.active
    assert cover is not None  # a new workbook has its first sheet
    cover.title = "Cover"
    cover.append(safe_row([title(report)]))
    cover["A1"].font = Font(bold=True)
    for line in _front(report):
        cover.append(safe_row([line]))
    cover.append(safe_row([]))
    cover.append(safe_row(["Form", "Title", "Filled from the records"]))
    for form in report.forms:
        cover.append(
            safe_row([form.spec.letter, form.spec.title, "yes" if form.recorded else "no"])
        )
    for table in report.tables():
        sheet = book.create_sheet(table.key)
        sheet.append(safe_row([f"{table.key}: {table.title}"]))
        sheet["A1"].font = Font(bold=True)
        sheet.append(safe_row(["Ref.", *table.columns, "Records"]))
        for i, row in enumerate(table.rows):
            sheet.append(safe_row([table.ref(i), *row, ", ".join(table.trace(i))]))
    annex = book.create_sheet("Annex")
    annex.append(safe_row(["Ref.", "Row", "Records"]))
    for ref, first, codes in report.annex():
        annex.append(safe_row([ref, first, ", ".join(codes)]))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_pdf(report: Article7Report, path: Path) -> Path:
    """The report as PDF (:class:`~minewatch.charts.pdf.LocalisedPDF`: the bundled fonts
    with shaping; tables with their references, then the annex).

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> out = write_pdf(Article7Report("apmbc", "Synthetica", "SYN", 2025, None, None, (), ()),
    ...                 tmp / "r.pdf")
    >>> out.read_bytes()[:5]
    b'%PDF-'
    """
    pdf = LocalisedPDF("en", title=title(report))
    pdf.add_page()
    pdf.heading(title(report), size=14)
    for line in _front(report):
        pdf.paragraph(line)
    for form in report.forms:
        pdf.ln(3)
        pdf.heading(_form_heading(form), size=11)
        for note in form.notes:
            pdf.paragraph(note)
        for table in form.tables:
            pdf.ln(1)
            header, rows = _with_refs(table)
            numeric = {i + 1 for i, v in enumerate(table.rows[0]) if isinstance(v, int | float)}
            pdf.set_font(pdf.family, "", 7)
            pdf.grid(header, rows, numeric=numeric)
            pdf.set_font(pdf.family, "", 9)
    pdf.add_page()
    pdf.heading("Annex: the records behind each figure", size=11)
    annex = _annex_rows(report.annex())
    if annex:
        pdf.set_font(pdf.family, "", 7)
        pdf.grid(("Ref.", "Row", "Records"), annex)
    else:
        pdf.paragraph("No figure was computed from records.")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


#: The document formats and their media types.
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def report_bytes(report: Article7Report, fmt: str) -> bytes:
    """One format of ``report`` (``docx``, ``xlsx`` or ``pdf``) as bytes, for a download.

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> report_bytes(Article7Report("ccm", "Synthetica", "SYN", 2025, None, None, (), ()),
    ...              "xlsx")[:2]
    b'PK'
    """
    writer = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}[fmt]
    with tempfile.TemporaryDirectory() as folder:
        return writer(report, Path(folder) / f"report.{fmt}").read_bytes()


def write_report(report: Article7Report, folder: Path, stem: str) -> list[Path]:
    """The DOCX, XLSX and PDF of ``report`` in ``folder`` as ``stem``.docx/.xlsx/.pdf."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_docx(report, folder / f"{stem}.docx"),
        write_xlsx(report, folder / f"{stem}.xlsx"),
        write_pdf(report, folder / f"{stem}.pdf"),
    ]
