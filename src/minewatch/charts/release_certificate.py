"""Render a release statement as an HTML or PDF certificate.

The HTML is one self-contained page (inline CSS, escaped text). The PDF is written with
fpdf2. It uses DejaVu Sans where that font is installed, so that "≤", "²" and accented
place names print; otherwise it uses the built-in Helvetica with those characters spelled
out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from jinja2 import Environment, select_autoescape

from minewatch.analysis.release_statement import ReleaseStatement

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Release statement {{ s.area.code }}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; }
td.num { text-align: right; } .summary { background: #f3f6f3; padding: .8rem; }
</style></head><body>
{% for title, rows in sections %}
{% if loop.first %}<h1>{{ title }}</h1>
<p class="summary">{{ s.summary }}</p>{% else %}<h2>{{ title }}</h2>{% endif %}
{% if rows %}<table>
<tr>{% for h in rows[0] %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in rows[1:] %}<tr>{% for c in row %}<td{% if c is number %} class="num"{% endif %}>{{ c }}</td>{% endfor %}</tr>{% endfor %}
</table>{% elif not loop.first %}<p>None recorded.</p>{% endif %}
{% endfor %}
<p><small>Issued {{ s.issued_on.isoformat() }} by minewatch. Residual-risk figures follow
docs/quality-statistics.md; release figures come from the land-release accounting of the
product geometries.</small></p>
</body></html>
"""


def _m2(value: float) -> str:
    return f"{value:,.0f}"


def sections(s: ReleaseStatement) -> list[tuple[str, list[list[Any]]]]:
    """The certificate's sections as (title, table rows with a header row first)."""
    f = s.figures
    area = s.area
    out: list[tuple[str, list[list[Any]]]] = [
        (f"Release statement: {area.code or area.id}", []),
        ("Hazardous area", [
            ["code", "name", "classification", "location", "organisation"],
            [area.code or "", area.name or "", area.classification.value,
             area.location_code or "", area.organisation_code or ""],
        ]),
        ("Land released (m², from product geometries)", [
            ["original", "cancelled", "reduced", "cleared", "released", "remaining"],
            [_m2(f.original_m2), _m2(f.cancelled_m2), _m2(f.reduced_m2), _m2(f.cleared_m2),
             _m2(f.released_m2), _m2(f.remaining_m2)],
        ]),
    ]  # fmt: skip
    suggestion = s.classification
    evidence = [["indicator", "source", "strength", "direct"]] + [
        [c.type.value, c.source.value, f"{c.strength:.2f}", "yes" if c.direct else "no"]
        for c in suggestion.contributions
    ]
    out.append(("Evidence", evidence if len(evidence) > 1 else []))
    label = suggestion.hazard_class.value if suggestion.hazard_class else "none"
    out.append(("Evidence-based classification today", [
        ["suggestion", "confidence", "rationale"],
        [label, f"{suggestion.confidence:.2f}", suggestion.rationale],
    ]))  # fmt: skip
    activities = [["activity", "type", "method", "organisation", "start", "end"]] + [
        [a.code or "", a.activity_type.value, a.method.value if a.method else "",
         a.organisation_code or "", str(a.start_date or ""), str(a.end_date or "")]
        for a in s.activities
    ]  # fmt: skip
    out.append(("Land-release activities", activities if len(activities) > 1 else []))
    products = [["product", "type", "activity", "release date", "reported m²"]] + [
        [p.code or "", p.product_type.value, p.activity_code or "", str(p.release_date or ""),
         _m2(p.reported_area_m2) if p.reported_area_m2 is not None else ""]
        for p in s.products
    ]  # fmt: skip
    out.append(("Release products", products if len(products) > 1 else []))
    finds = [["category", "items"]] + [[k, v] for k, v in s.finds_by_category.items()]
    out.append(("Items found", finds if len(finds) > 1 else []))
    visits = [["visit", "date", "type", "non-conformities"]] + [
        [v.code or "", str(v.visit_date or ""), v.visit_type or "", len(v.non_conformities)]
        for v in s.visits
    ]
    out.append(("Quality-management visits", visits if len(visits) > 1 else []))
    if s.residual is not None and s.residual_search is not None:
        r = s.residual
        out.append(("Residual risk", [
            ["based on", "model", "f", "p", "confidence", "items left ≤",
             "unsearched ≤", "missed in searched ≤"],
            [s.residual_search.description, r.model, f"{r.searched_fraction:g}",
             f"{r.detection_probability:g}", f"{r.confidence:.0%}", f"{r.items_upper:.2f}",
             f"{r.unsearched_upper:.2f}", f"{r.missed_in_searched_upper:.2f}"],
        ]))  # fmt: skip
    if s.effort is not None:
        rows = [["all reasonable effort", "unmet criteria"]]
        rows.append(["met" if s.effort.met else "NOT met", "; ".join(s.effort.unmet) or "none"])
        out.append(("All reasonable effort (cancellation)", rows))
    return out


def render_html(statement: ReleaseStatement) -> str:
    """The certificate as one self-contained HTML page."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(_TEMPLATE).render(s=statement, sections=sections(statement))


def write_html(statement: ReleaseStatement, path: str | Path) -> Path:
    out = Path(path)
    out.write_text(render_html(statement), encoding="utf-8")
    return out


_LATIN1 = str.maketrans({"≤": "<=", "≥": ">=", "²": "2", "≠": "!=", "·": "*", "—": "-", "–": "-"})


def write_pdf(statement: ReleaseStatement, path: str | Path) -> Path:
    """The certificate as a PDF (A4)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    unicode_font = _DEJAVU.is_file() and _DEJAVU_BOLD.is_file()
    if unicode_font:
        pdf.add_font("DejaVu", "", str(_DEJAVU))
        pdf.add_font("DejaVu", "B", str(_DEJAVU_BOLD))
    family = "DejaVu" if unicode_font else "Helvetica"

    def text(value: Any) -> str:
        out = str(value)
        if not unicode_font:
            out = out.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
        return out

    for number, (title, rows) in enumerate(sections(statement)):
        pdf.set_font(family, "B", 15 if number == 0 else 11)
        pdf.multi_cell(0, 8, text(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 8)
        if number == 0:
            pdf.multi_cell(0, 5, text(statement.summary), new_x="LMARGIN", new_y="NEXT")
        elif rows:
            with pdf.table(text_align="LEFT", first_row_as_headings=True) as table:
                for row in rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell(text(cell))
        else:
            pdf.multi_cell(0, 5, "None recorded.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font(family, "", 7)
    pdf.multi_cell(0, 4, text(f"Issued {statement.issued_on.isoformat()} by minewatch."))
    out = Path(path)
    pdf.output(str(out))
    return out
