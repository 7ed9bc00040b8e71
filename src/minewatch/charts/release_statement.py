"""Release statements as certificates: HTML (jinja2, autoescaped) and PDF (fpdf2), in any
shipped language.

Both documents are drawn from one view of each statement (:func:`statement_view`): every word
from the message catalogues, every stored code as its label (``cleared`` → "Dépollué"),
numbers and dates as the language writes them (Babel; ISO 8601 dates with
``date_style="iso"``). Codes of records (HA-000004) stay as they are. The PDF is set in the
bundled Noto fonts with text shaping (``charts.pdf.LocalisedPDF``), so Arabic reads right to
left and names in Latin, Cyrillic, Arabic, Lao or Khmer script print correctly; the HTML
page carries ``lang`` and ``dir``.

>>> html = statements_html([])          # an empty document is still valid HTML
>>> html.startswith("<!DOCTYPE html>")
True
>>> 'lang="ar" dir="rtl"' in statements_html([], "ar")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from minewatch.analysis.release_statement import ReleaseStatement
from minewatch.charts.fonts import css_font_stack
from minewatch.charts.pdf import LocalisedPDF
from minewatch.errors import InvalidInput, Location
from minewatch.vocabulary import direction, label, normalise_locale, translate, unit_label
from minewatch.vocabulary.formats import format_date, format_number


@dataclass(frozen=True)
class StatementView:
    """One statement as a person reads it, in one language: what both documents print."""

    code: str
    title: str
    facts: list[str]
    released: str
    balance_header: list[str]
    balance: list[list[str]]
    evidence: list[str]
    products_header: list[str]
    products: list[list[str]]
    risk: str
    issues: list[str]
    note: str


def _labelled(enum: str, code: str | None, locale: str) -> str:
    return label(enum, code, locale=locale) if code else ""


def statement_view(
    s: ReleaseStatement, locale: str | None = None, date_style: str = "long"
) -> StatementView:
    """The words, labels, numbers and dates of one statement in ``locale``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from datetime import date
    >>> from minewatch.analysis.landrelease import account_land_release
    >>> from minewatch.analysis.release_statement import build_release_statements
    >>> square = shapely.box(30, 0, 30.001, 0.001)
    >>> areas = gpd.GeoDataFrame({"code": ["HA-1"], "name": ["Verger"]}, geometry=[square],
    ...                          crs=4326)
    >>> products = gpd.GeoDataFrame({"code": ["RP-1"], "product_type": ["cleared"],
    ...     "hazardous_area_code": ["HA-1"], "release_date": ["2024-03-01"]},
    ...     geometry=[square], crs=4326)
    >>> accounting = account_land_release(areas, products, area_tolerance_fraction=0.05)
    >>> [s] = build_release_statements(accounting, areas, issued_on=date(2024, 5, 1))
    >>> view = statement_view(s, "fr")
    >>> view.title, view.released
    ('Zone dangereuse HA-1 — Verger', 'Entièrement remise à disposition.')
    >>> view.balance[0], view.facts[-1], view.products[0][:3]
    (['Initiale', '12\\u202f309,1', '1,2309'], 'Délivrée le : 1 mai 2024', ['RP-1', 'Dépolluée', '1 mars 2024'])
    >>> statement_view(s, "fr", date_style="iso").facts[-1]
    'Délivrée le : 2024-05-01'
    """
    code = normalise_locale(locale)

    def t(message: str, **values: Any) -> str:
        return translate(message, code, **values)

    def area(m2: float | None) -> str:
        return format_number(m2, code, 1)

    unknown = t("unknown")
    title = t("Hazardous area {code}", code=s.hazardous_area_code)
    facts = [
        t("Location: {value}", value=s.location_code or unknown),
        t("Responsible organisation: {value}", value=s.organisation_code or unknown),
        t(
            "Classification: {value}",
            value=_labelled("HazardClass", s.classification, code) or unknown,
        ),
    ]
    if s.hazard_types:
        hazards = t(", ").join(label("HazardType", h, locale=code) for h in s.hazard_types)
        facts.append(t("Hazards: {value}", value=hazards))
    facts.append(t("Issued: {date}", date=format_date(s.issued_on, code, date_style)))
    m2, ha = unit_label("m2", code), unit_label("ha", code)
    balance = [
        [t(name), area(value), format_number(value / 1e4, code, 4)]
        for name, value in (
            ("Original", s.original_m2),
            ("Cancelled (non-technical survey)", s.cancelled_m2),
            ("Reduced (technical survey)", s.reduced_m2),
            ("Cleared", s.cleared_m2),
            ("Remaining", s.remaining_m2),
        )
    ]
    evidence = [
        f"{_labelled('EvidenceType', e.type, code)} ({_labelled('EvidenceSource', e.source, code)})"
        + (f": {e.note}" if e.note else "")
        for e in s.evidence
    ]
    products = [
        [
            p.code,
            _labelled("ProductType", p.product_type, code),
            format_date(p.release_date, code, date_style) if p.release_date else t("undated"),
            " ".join(
                x for x in (p.activity_code, _labelled("ActivityType", p.activity_type, code)) if x
            ),
            _labelled("ActivityMethod", p.method, code),
            p.organisation_code or "",
            area(p.credited_m2),
            area(p.already_released_m2),
            area(p.outside_m2),
            area(p.reported_area_m2),
        ]
        for p in s.products
    ]
    risk = s.residual_risk
    risk_text = (
        f"{format_number(risk.value, code, 4)} {risk.unit} — {risk.method}"
        + (f" ({risk.basis})" if risk.basis else "")
        if risk.assessed
        else t("Not assessed.")
    )
    from babel.numbers import format_percent

    return StatementView(
        code=s.hazardous_area_code,
        title=title + (f" — {s.name}" if s.name else ""),
        facts=facts,
        released=t("Fully released.") if s.fully_released else t("Partly released."),
        balance_header=[t("Balance"), m2, ha],
        balance=balance,
        evidence=evidence,
        products_header=[
            t("Product"),
            t("Type"),
            t("Released"),
            t("Activity"),
            t("Method"),
            t("Organisation"),
            t("Credited {unit}", unit=m2),
            t("Already released {unit}", unit=m2),
            t("Outside {unit}", unit=m2),
            t("Typed-in {unit}", unit=m2),
        ],
        products=products,
        risk=risk_text,
        issues=[
            f"{where}: {label('Issue', issue, locale=code)} — {detail}"
            for where, issue, detail in s.issue_rows
        ]
        or list(s.issues),
        note=t(
            "Areas in m² on the WGS84 ellipsoid, computed from the approved polygons: "
            "overlapping products count once (the first release), parts outside the area are "
            "clipped; typed-in areas more than {tolerance} from the polygon are flagged.",
            tolerance=format_percent(s.area_tolerance_fraction, "#,##0.0%", locale=code),
        ),
    )


_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ dir }}"><head><meta charset="utf-8">
<title>{{ heading }}</title>
<style>
body{font-family:{{ fonts }};max-width:60rem;margin:2rem auto;color:#222}
section{border:1px solid #999;padding:1rem 1.5rem;margin-bottom:2rem;page-break-after:always}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:start}
td.n{text-align:end;font-variant-numeric:tabular-nums}
td.code{white-space:nowrap}
.risk{background:#f4f4f4;padding:.5rem 1rem}
</style></head><body>
<h1>{{ heading }}</h1>
{% if not views %}<p>{{ words.none_matched }}</p>{% endif %}
{% for v in views %}
<section id="{{ v.code }}">
<h2>{{ v.title }}</h2>
<p>{{ v.facts | join(" · ") }}</p>
<p><strong>{{ v.released }}</strong></p>
<table><tr>{% for h in v.balance_header %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in v.balance %}<tr><td>{{ row[0] }}</td><td class="n">{{ row[1] }}</td>
<td class="n">{{ row[2] }}</td></tr>{% endfor %}
</table>
<h3>{{ words.evidence }}</h3>
{% if v.evidence %}<ul>{% for e in v.evidence %}<li>{{ e }}</li>{% endfor %}</ul>
{% else %}<p>{{ words.none_recorded }}</p>{% endif %}
<h3>{{ words.products }}</h3>
<table><tr>{% for h in v.products_header %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in v.products %}<tr>{% for cell in row %}<td{% if loop.index > 6 %} class="n"{%
elif loop.index in (1, 6) %} class="code"{% endif %}>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</table>
<div class="risk"><h3>{{ words.risk }}</h3><p>{{ v.risk }}</p></div>
<h3>{{ words.issues }}</h3>
{% if v.issues %}<ul>{% for i in v.issues %}<li>{{ i }}</li>{% endfor %}</ul>
{% else %}<p>{{ words.no_issues }}</p>{% endif %}
<p><small>{{ v.note }}</small></p>
</section>
{% endfor %}
</body></html>
"""


def _words(locale: str) -> dict[str, str]:
    return {
        "statement": translate("Land release statement", locale),
        "evidence": translate("Evidence that made the area hazardous", locale),
        "none_recorded": translate("None recorded.", locale),
        "products": translate("Products and activities that released the land", locale),
        "risk": translate("Residual risk", locale),
        "issues": translate("Data-quality issues", locale),
        "no_issues": translate("None.", locale),
        "none_matched": translate("No hazardous area matched.", locale),
    }


def statements_html(
    statements: Sequence[ReleaseStatement], locale: str | None = None, date_style: str = "long"
) -> str:
    """The statements as one self-contained HTML document in ``locale`` (print one per page)."""
    code = normalise_locale(locale)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE).render(
        lang=code,
        dir=direction(code),
        fonts=css_font_stack(code),
        heading=translate("Land release statements", code),
        words=_words(code),
        views=[statement_view(s, code, date_style) for s in statements],
    )


def _statement_page(pdf: LocalisedPDF, v: StatementView, words: dict[str, str]) -> None:
    pdf.add_page()
    pdf.heading(words["statement"], 16)
    pdf.heading(v.title)
    pdf.paragraph(" · ".join(v.facts))
    pdf.paragraph(v.released)
    pdf.grid(v.balance_header, v.balance, numeric=(1, 2))
    pdf.heading(words["evidence"], 11)
    for line in v.evidence or [words["none_recorded"]]:
        pdf.paragraph(f"• {line}" if v.evidence else line)
    pdf.heading(words["products"], 11)
    # The organisation and typed-in area stay on the HTML page: eight columns fit A4.
    keep = (0, 1, 2, 3, 4, 6, 7, 8)
    pdf.grid(
        [v.products_header[i] for i in keep],
        [[row[i] for i in keep] for row in v.products],
        numeric=(5, 6, 7),
    )
    pdf.heading(words["risk"], 11)
    pdf.paragraph(v.risk)
    pdf.heading(words["issues"], 11)
    for issue in v.issues or [words["no_issues"]]:
        pdf.paragraph(issue)
    pdf.paragraph(v.note)


def statements_pdf(
    statements: Sequence[ReleaseStatement], locale: str | None = None, date_style: str = "long"
) -> bytes:
    """The statements as a PDF in ``locale``, one certificate per page (or more for long ones)."""
    code = normalise_locale(locale)
    words = _words(code)
    pdf = LocalisedPDF(code, title=translate("Land release statements", code))
    if not statements:
        pdf.add_page()
        pdf.heading(translate("Land release statements", code))
        pdf.paragraph(words["none_matched"])
    for statement in statements:
        _statement_page(pdf, statement_view(statement, code, date_style), words)
    return bytes(pdf.output())


def write_statements(
    statements: Sequence[ReleaseStatement],
    out_dir: Path,
    *,
    formats: Sequence[str] = ("html", "pdf"),
    locale: str | None = None,
    date_style: str = "long",
) -> list[Path]:
    """Write ``release-statements.html`` and/or ``.pdf`` into ``out_dir``, in ``locale``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if "html" in formats:
        path = out_dir / "release-statements.html"
        path.write_text(statements_html(statements, locale, date_style), encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        path = out_dir / "release-statements.pdf"
        path.write_bytes(statements_pdf(statements, locale, date_style))
        written.append(path)
    return written


def statement_document(
    statement: ReleaseStatement, fmt: str, locale: str | None = None, date_style: str = "long"
) -> bytes:
    """One statement as an HTML page or a PDF certificate, in ``locale``."""
    if fmt == "html":
        return statements_html([statement], locale, date_style).encode("utf-8")
    if fmt == "pdf":
        return statements_pdf([statement], locale, date_style)
    raise InvalidInput("format must be html or pdf", Location(field="format"))
