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
from minewatch.vocabulary import normalise_locale, state_name, translate
from minewatch.vocabulary.formats import format_number

_TITLES = {
    "apmbc": "Anti-Personnel Mine Ban Convention: Article 7 report",
    "ccm": "Convention on Cluster Munitions: Article 7 report",
}


def title(report: Article7Report, locale: str | None = None) -> str:
    """The document's title in ``locale`` (the state named as the language names it).

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> title(Article7Report("ccm", "Synthetica", "SYN", 2025, None, None, (), ()))
    'Convention on Cluster Munitions: Article 7 report — Synthetica, calendar year 2025'
    >>> title(Article7Report("apmbc", "Ukraine", "UKR", 2025, None, None, (), ()), "es")[-36:]
    'artículo 7 — Ucrania, año civil 2025'
    """
    return translate(
        "{instrument} — {state}, calendar year {year}",
        locale,
        instrument=translate(_TITLES[report.instrument], locale),
        state=state_name(report.iso3, report.state, locale),
        year=report.year,
    )


def _form_heading(form: FilledForm, locale: str | None) -> str:
    spec = form.spec
    values = {"letter": spec.letter, "title": translate(spec.title, locale)}
    if spec.voluntary:
        return translate("Form {letter}: {title} — voluntary", locale, **values)
    return translate("Form {letter}: {title} (Art. {paragraph})", locale, paragraph=spec.paragraph,
                     **values)  # fmt: skip


def _cell(value: Any, locale: str | None) -> str:
    if isinstance(value, float):
        return format_number(value, normalise_locale(locale), 1)
    if isinstance(value, int):
        return format_number(value, normalise_locale(locale), 0)
    return "" if value is None else str(value)


def _with_refs(table: FormTable, locale: str | None) -> tuple[list[str], list[list[str]]]:
    header = [translate("Ref.", locale), *table.columns]
    rows = [[table.ref(i), *(_cell(v, locale) for v in row)] for i, row in enumerate(table.rows)]
    return header, rows


def _front(report: Article7Report, locale: str | None) -> list[str]:
    state = state_name(report.iso3, report.state, locale)
    lines = [
        translate("State: {state} ({iso3})", locale, state=state, iso3=report.iso3)
        if report.iso3
        else translate("State: {state}", locale, state=state)
    ]
    lines += list(report.cover)
    lines.append(translate("Generated on {day} by minewatch.", locale, day=report.generated_on))
    # The form structure's source is a citation: quoted as its source states it.
    lines.append(translate("Form structure: {source}.", locale, source=report.source))
    return lines


def _annex_header(locale: str | None) -> tuple[str, str, str]:
    return (translate("Ref.", locale), translate("Row", locale), translate("Records", locale))


def write_docx(report: Article7Report, path: Path, locale: str | None = None) -> Path:
    """The report as an editable Word document in ``locale``: cover, each form with its
    notes and tables, and the annex of records behind each figure.

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> from docx import Document
    >>> out = write_docx(Article7Report("apmbc", "Synthetica", "SYN", 2025, None, None, (),
    ...                                 ()), tmp / "r.docx")
    >>> Document(str(out)).paragraphs[0].text.startswith("Anti-Personnel Mine Ban Convention")
    True
    """
    doc = Document()
    doc.add_heading(title(report, locale), level=0)
    for line in _front(report, locale):
        doc.add_paragraph(line)
    for form in report.forms:
        doc.add_heading(_form_heading(form, locale), level=1)
        for note in form.notes:
            doc.add_paragraph(note)
        for table in form.tables:
            doc.add_heading(f"{table.key}: {table.title}", level=2)
            header, rows = _with_refs(table, locale)
            grid = doc.add_table(rows=1 + len(rows), cols=len(header))
            grid.style = "Table Grid"
            for r, values in enumerate([header, *rows]):
                for c, value in enumerate(values):
                    grid.cell(r, c).text = value
    doc.add_heading(translate("Annex: the records behind each figure", locale), level=1)
    annex = report.annex()
    if annex:
        grid = doc.add_table(rows=1 + len(annex), cols=3)
        grid.style = "Table Grid"
        for r, cells in enumerate([_annex_header(locale), *_annex_rows(annex)]):
            for c, value in enumerate(cells):
                grid.cell(r, c).text = value
    else:
        doc.add_paragraph(translate("No figure was computed from records.", locale))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _annex_rows(annex: Sequence[tuple[str, str, tuple[str, ...]]]) -> list[tuple[str, str, str]]:
    return [(ref, row, ", ".join(codes) or "—") for ref, row, codes in annex]


def write_xlsx(report: Article7Report, path: Path, locale: str | None = None) -> Path:
    """The forms' tables as sheets (one per table, numbers as numbers), a cover sheet and the
    annex sheet, in ``locale`` (sheet names stay the tables' keys, "Cover" and "Annex", for
    programs that read them).

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
    cover.append(safe_row([title(report, locale)]))
    cover["A1"].font = Font(bold=True)
    for line in _front(report, locale):
        cover.append(safe_row([line]))
    cover.append(safe_row([]))
    words = ("Form", "Title", "Filled from the records")
    cover.append(safe_row([translate(w, locale) for w in words]))
    yes, no = translate("yes", locale), translate("no", locale)
    for form in report.forms:
        spec_title = translate(form.spec.title, locale)
        cover.append(safe_row([form.spec.letter, spec_title, yes if form.recorded else no]))
    ref, row_word, records = _annex_header(locale)
    for table in report.tables():
        sheet = book.create_sheet(table.key)
        sheet.append(safe_row([f"{table.key}: {table.title}"]))
        sheet["A1"].font = Font(bold=True)
        sheet.append(safe_row([ref, *table.columns, records]))
        for i, row in enumerate(table.rows):
            sheet.append(safe_row([table.ref(i), *row, ", ".join(table.trace(i))]))
    annex = book.create_sheet("Annex")
    annex.append(safe_row([ref, row_word, records]))
    for ref, first, codes in report.annex():
        annex.append(safe_row([ref, first, ", ".join(codes)]))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_pdf(report: Article7Report, path: Path, locale: str | None = None) -> Path:
    """The report as PDF in ``locale`` (:class:`~minewatch.charts.pdf.LocalisedPDF`: the
    bundled fonts with shaping, right to left for Arabic; tables with their references, then
    the annex).

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> out = write_pdf(Article7Report("apmbc", "Synthetica", "SYN", 2025, None, None, (), ()),
    ...                 tmp / "r.pdf")
    >>> out.read_bytes()[:5]
    b'%PDF-'
    """
    pdf = LocalisedPDF(normalise_locale(locale), title=title(report, locale))
    pdf.add_page()
    pdf.heading(title(report, locale), size=14)
    for line in _front(report, locale):
        pdf.paragraph(line)
    for form in report.forms:
        pdf.ln(3)
        pdf.heading(_form_heading(form, locale), size=11)
        for note in form.notes:
            pdf.paragraph(note)
        for table in form.tables:
            pdf.ln(1)
            header, rows = _with_refs(table, locale)
            numeric = {i + 1 for i, v in enumerate(table.rows[0]) if isinstance(v, int | float)}
            pdf.set_font(pdf.family, "", 7)
            pdf.grid(header, rows, numeric=numeric)
            pdf.set_font(pdf.family, "", 9)
    pdf.add_page()
    pdf.heading(translate("Annex: the records behind each figure", locale), size=11)
    annex = _annex_rows(report.annex())
    if annex:
        pdf.set_font(pdf.family, "", 7)
        pdf.grid(_annex_header(locale), annex)
    else:
        pdf.paragraph(translate("No figure was computed from records.", locale))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


#: The document formats and their media types.
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def report_bytes(report: Article7Report, fmt: str, locale: str | None = None) -> bytes:
    """One format of ``report`` (``docx``, ``xlsx`` or ``pdf``) as bytes, for a download.

    >>> from minewatch.domain.treaty.article7 import Article7Report
    >>> report_bytes(Article7Report("ccm", "Synthetica", "SYN", 2025, None, None, (), ()),
    ...              "xlsx")[:2]
    b'PK'
    """
    writer = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}[fmt]
    with tempfile.TemporaryDirectory() as folder:
        return writer(report, Path(folder) / f"report.{fmt}", locale).read_bytes()


def write_report(
    report: Article7Report, folder: Path, stem: str, locale: str | None = None
) -> list[Path]:
    """The DOCX, XLSX and PDF of ``report`` in ``folder`` as ``stem``.docx/.xlsx/.pdf, in
    ``locale`` (the report's own words were filled in it by the service)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_docx(report, folder / f"{stem}.docx", locale),
        write_xlsx(report, folder / f"{stem}.xlsx", locale),
        write_pdf(report, folder / f"{stem}.pdf", locale),
    ]
