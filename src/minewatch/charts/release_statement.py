"""Release statements as certificates: HTML (jinja2, autoescaped) and PDF (fpdf2).

The PDF is set in the bundled Noto fonts with text shaping (``charts.pdf.LocalisedPDF``), so
names in Latin, Cyrillic, Arabic, Lao or Khmer script print correctly; figures are in m² and hectares, dates in ISO 8601.

>>> html = statements_html([])          # an empty document is still valid HTML
>>> html.startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from minewatch.analysis.release_statement import ReleaseStatement
from minewatch.charts.pdf import LocalisedPDF
from minewatch.errors import InvalidInput, Location

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Land release statements</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}
section{border:1px solid #999;padding:1rem 1.5rem;margin-bottom:2rem;page-break-after:always}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.risk{background:#f4f4f4;padding:.5rem 1rem}
</style></head><body>
<h1>Land release statements</h1>
{% for s in statements %}
<section id="{{ s.hazardous_area_code }}">
<h2>Hazardous area {{ s.hazardous_area_code }}{% if s.name %} — {{ s.name }}{% endif %}</h2>
<p>Location {{ s.location_code or "unknown" }} · responsible organisation
{{ s.organisation_code or "unknown" }} · classification {{ s.classification or "unknown" }}
{% if s.hazard_types %} · {{ s.hazard_types | join(", ") }}{% endif %} · issued
{{ s.issued_on.isoformat() }}</p>
<p><strong>{{ "Fully released" if s.fully_released else "Partly released" }}.</strong></p>
<table><tr><th>Balance</th><th>m²</th><th>ha</th></tr>
{% for label, value in [("original", s.original_m2), ("cancelled (non-technical survey)",
 s.cancelled_m2), ("reduced (technical survey)", s.reduced_m2), ("cleared", s.cleared_m2),
 ("remaining", s.remaining_m2)] %}
<tr><td>{{ label }}</td><td class="n">{{ "{:,.1f}".format(value) }}</td>
<td class="n">{{ "{:,.4f}".format(value / 10000) }}</td></tr>{% endfor %}
</table>
<h3>Evidence that made the area hazardous</h3>
{% if s.evidence %}<ul>{% for e in s.evidence %}<li>{{ e.type }} ({{ e.source }}){% if e.note %}:
{{ e.note }}{% endif %}</li>{% endfor %}</ul>{% else %}<p>None recorded.</p>{% endif %}
<h3>Products and activities that released the land</h3>
<table><tr><th>product</th><th>type</th><th>released</th><th>activity</th><th>method</th>
<th>organisation</th><th>credited m²</th><th>already released m²</th><th>outside m²</th>
<th>typed-in m²</th></tr>
{% for p in s.products %}<tr><td>{{ p.code }}</td><td>{{ p.product_type }}</td>
<td>{{ p.release_date.isoformat() if p.release_date else "undated" }}</td>
<td>{{ p.activity_code or "" }} {{ p.activity_type or "" }}</td><td>{{ p.method or "" }}</td>
<td>{{ p.organisation_code or "" }}</td><td class="n">{{ "{:,.1f}".format(p.credited_m2) }}</td>
<td class="n">{{ "{:,.1f}".format(p.already_released_m2) }}</td>
<td class="n">{{ "{:,.1f}".format(p.outside_m2) }}</td>
<td class="n">{{ "{:,.1f}".format(p.reported_area_m2) if p.reported_area_m2 is not none else "" }}</td>
</tr>{% endfor %}</table>
<div class="risk"><h3>Residual risk</h3>
{% if s.residual_risk.assessed %}<p><strong>{{ "{:.4g}".format(s.residual_risk.value) }}
{{ s.residual_risk.unit }}</strong> — {{ s.residual_risk.method }}{% if s.residual_risk.basis %}
({{ s.residual_risk.basis }}){% endif %}</p>
{% else %}<p>Not assessed.</p>{% endif %}</div>
<h3>Data-quality issues</h3>
{% if s.issues %}<ul>{% for i in s.issues %}<li>{{ i }}</li>{% endfor %}</ul>
{% else %}<p>None.</p>{% endif %}
<p><small>Areas in m² on the WGS84 ellipsoid, computed from the approved polygons: overlapping
products count once (the first release), parts outside the area are clipped; typed-in areas
more than {{ "{:.1%}".format(s.area_tolerance_fraction) }} from the polygon are flagged.</small></p>
</section>
{% endfor %}
</body></html>
"""


def statements_html(statements: Sequence[ReleaseStatement]) -> str:
    """The statements as one self-contained HTML document (print one per page)."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE).render(statements=statements)


def _fmt(value: float) -> str:
    return f"{value:,.1f}"


def _statement_page(pdf: LocalisedPDF, s: ReleaseStatement) -> None:
    pdf.add_page()
    pdf.heading("Land release statement", 16)
    pdf.heading(f"Hazardous area {s.hazardous_area_code}" + (f" — {s.name}" if s.name else ""))
    pdf.paragraph(
        f"Location {s.location_code or 'unknown'} · responsible organisation "
        f"{s.organisation_code or 'unknown'} · classification {s.classification or 'unknown'}"
        + (f" · {', '.join(s.hazard_types)}" if s.hazard_types else "")
        + f" · issued {s.issued_on.isoformat()}"
    )
    pdf.paragraph("Fully released." if s.fully_released else "Partly released.")
    pdf.grid(
        ("balance", "m²", "ha"),
        [
            (label, _fmt(v), f"{v / 1e4:,.4f}")
            for label, v in (
                ("original", s.original_m2),
                ("cancelled (non-technical survey)", s.cancelled_m2),
                ("reduced (technical survey)", s.reduced_m2),
                ("cleared", s.cleared_m2),
                ("remaining", s.remaining_m2),
            )
        ],
    )
    pdf.heading("Evidence that made the area hazardous", 11)
    for e in s.evidence or ():
        pdf.paragraph(f"• {e.type} ({e.source})" + (f": {e.note}" if e.note else ""))
    if not s.evidence:
        pdf.paragraph("None recorded.")
    pdf.heading("Products and activities that released the land", 11)
    pdf.grid(
        (
            "product",
            "type",
            "released",
            "activity",
            "method",
            "credited m²",
            "repeated m²",
            "outside m²",
        ),
        [
            (
                p.code,
                p.product_type,
                p.release_date.isoformat() if p.release_date else "undated",
                " ".join(x for x in (p.activity_code, p.activity_type) if x),
                p.method or "",
                _fmt(p.credited_m2),
                _fmt(p.already_released_m2),
                _fmt(p.outside_m2),
            )
            for p in s.products
        ],
    )
    pdf.heading("Residual risk", 11)
    risk = s.residual_risk
    pdf.paragraph(
        f"{risk.value:.4g} {risk.unit} — {risk.method}" + (f" ({risk.basis})" if risk.basis else "")
        if risk.assessed
        else "Not assessed."
    )
    pdf.heading("Data-quality issues", 11)
    for issue in s.issues or ("None.",):
        pdf.paragraph(issue)
    pdf.paragraph(
        "Areas in m² on the WGS84 ellipsoid, computed from the approved polygons: overlapping "
        "products count once (the first release), parts outside the area are clipped; "
        f"typed-in areas more than {s.area_tolerance_fraction:.1%} from the polygon are flagged."
    )


def statements_pdf(statements: Sequence[ReleaseStatement]) -> bytes:
    """The statements as a PDF, one certificate per page (or more for long ones)."""
    pdf = LocalisedPDF("en", title="Land release statements")
    if not statements:
        pdf.add_page()
        pdf.heading("Land release statements")
        pdf.paragraph("No hazardous area matched.")
    for statement in statements:
        _statement_page(pdf, statement)
    return bytes(pdf.output())


def write_statements(
    statements: Sequence[ReleaseStatement],
    out_dir: Path,
    *,
    formats: Sequence[str] = ("html", "pdf"),
) -> list[Path]:
    """Write ``release-statements.html`` and/or ``.pdf`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    if "html" in formats:
        path = out_dir / "release-statements.html"
        path.write_text(statements_html(statements), encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        path = out_dir / "release-statements.pdf"
        path.write_bytes(statements_pdf(statements))
        written.append(path)
    return written


def statement_document(statement: ReleaseStatement, fmt: str) -> bytes:
    """One statement as an HTML page or a PDF certificate."""
    if fmt == "html":
        return statements_html([statement]).encode("utf-8")
    if fmt == "pdf":
        return statements_pdf([statement])
    raise InvalidInput("format must be html or pdf", Location(field="format"))
