"""A country profile (:func:`minewatch.services.country_profile.country_profile`'s document)
as one HTML page (:func:`profile_html`, jinja2, autoescaped, no outside address) and as PDF
(:func:`profile_pdf`, on :class:`~minewatch.charts.pdf.LocalisedPDF`), in any shipped
language: the words are the catalogue's, the data's own texts (status labels, deadline kinds,
communications) stay as recorded.

>>> from datetime import date
>>> doc = {"state": "Synthetica", "iso3": "SYN", "on": date(2026, 1, 1),
...        "generated_on": date(2026, 1, 1), "freshness": {"status_as_at": date(2026, 1, 1),
...        "projected": False, "note": ""}, "treaties": [], "not_in_data": {},
...        "communications": [], "obligations": {"clearance_deadline": None,
...        "stockpile_held": None, "upcoming": []}, "groups": [], "policy": None,
...        "contamination": {"areas": 0, "by_hazard_type": {}, "totals": {}, "by_year": []},
...        "casualties": {"shown": False, "years": []}, "risk_education": {"rows": []}}
>>> "Synthetica" in profile_html(doc), profile_pdf(doc)[:5]
(True, b'%PDF-')
"""

from __future__ import annotations

from typing import Any

import jinja2

from minewatch.charts.fonts import css_font_stack
from minewatch.charts.pdf import LocalisedPDF
from minewatch.vocabulary import direction, label, normalise_locale, state_name, translate
from minewatch.vocabulary.enums import ENUM_LABELS

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ dir }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ w.title }}</title>
<style>
body{font-family:{{ fonts }};max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.25rem 0 1rem;display:block;overflow-x:auto}
th,td{border:1px solid #bbb;padding:.2rem .5rem;text-align:start}
td.n{text-align:end;font-variant-numeric:tabular-nums}
.fresh{background:#fff4d6;border-inline-start:4px solid #b58100;padding:.4rem .8rem}
h2{margin-top:1.5rem;border-bottom:1px solid #ccc}
</style></head><body>
<h1>{{ w.title }}</h1>
<p class="fresh">{{ w.fresh }}</p>
<h2>{{ w.treaty_status }}</h2>
<table tabindex="0"><tr><th>{{ w.instrument }}</th><th>{{ w.status }}</th><th>{{ w.eif }}</th><th>{{ w.withdrawal }}</th></tr>
{% for t in p.treaties %}<tr><td>{{ w.names.get(t.instrument, t.instrument) }}</td><td>{{ t.label }}</td>
<td>{{ t.entry_into_force or "" }}</td><td>{{ t.withdrawal_effective or "" }}</td></tr>{% endfor %}
{% for name in w.absent %}<tr><td>{{ name }}</td><td colspan="3">{{ w.not_in_data }}</td></tr>{% endfor %}
</table>
{% if p.communications %}<h3>{{ w.communications }}</h3><ul>
{% for c in p.communications %}<li>{{ c.received }} — {{ c.kind }}{% if c.notification %} ({{ c.notification }}){% endif %}:
{{ c.summary }}{% if c.legal_character %} <em>{{ w.legal(c.legal_character) }}</em>{% endif %}</li>{% endfor %}
</ul>{% endif %}
<h2>{{ w.obligations }}</h2>
{% if w.clearance %}<p>{{ w.clearance }}</p>{% endif %}
<p>{{ w.stockpiles }}</p>
{% if p.obligations.upcoming %}<table tabindex="0"><tr><th>{{ w.due }}</th><th>{{ w.what }}</th><th>{{ w.article }}</th><th>{{ w.basis }}</th></tr>
{% for d in p.obligations.upcoming %}<tr><td>{{ d.due }}</td><td>{{ w.kind(d.kind) }}</td><td>{{ d.article }}</td><td>{{ d.basis }}</td></tr>{% endfor %}
</table>{% else %}<p>{{ w.no_deadline }}</p>{% endif %}
<p>{{ w.groups }}</p>
{% if w.policy %}<h2>{{ w.national_policy }}</h2>
<p>{{ w.policy }}{% if p.policy.freshness.note %} <strong>{{ p.policy.freshness.note }}</strong>{% endif %}</p>{% endif %}
<h2>{{ w.contamination }}</h2>
<p>{{ w.areas }}</p>
{% if p.contamination.totals %}<table tabindex="0"><tr><th>{{ w.balance }}</th><th>m²</th><th>ha</th></tr>
{% for key, words in w.balance_rows %}<tr><td>{{ words }}</td><td class="n">{{ "{:,.1f}".format(p.contamination.totals[key]) }}</td>
<td class="n">{{ "{:,.2f}".format(p.contamination.totals[key] / 10000) }}</td></tr>{% endfor %}</table>{% endif %}
{% if p.contamination.by_year %}<table tabindex="0"><tr><th>{{ w.year }}</th>{% for c in w.by_year %}<th>{{ c }}</th>{% endfor %}</tr>
{% for y in p.contamination.by_year %}<tr><td>{{ y.year }}</td><td class="n">{{ "{:,.1f}".format(y.cancelled) }}</td>
<td class="n">{{ "{:,.1f}".format(y.reduced) }}</td><td class="n">{{ "{:,.1f}".format(y.cleared) }}</td></tr>{% endfor %}</table>{% endif %}
<h2>{{ w.casualties }}</h2>
{% if not p.casualties.shown %}<p>{{ w.not_shown }}</p>
{% elif p.casualties.years %}<table tabindex="0"><tr><th>{{ w.year }}</th>{% for c in w.casualty_columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for y in p.casualties.years %}<tr><td>{{ y.year if y.year is not none else w.no_year }}</td><td class="n">{{ y.killed }}</td>
<td class="n">{{ y.injured }}</td><td class="n">{{ y.unknown }}</td><td class="n">{{ y.total }}</td></tr>{% endfor %}</table>
{% else %}<p>{{ w.no_casualty }}</p>{% endif %}
<h2>{{ w.risk_education }}</h2>
{% if p.risk_education.rows %}<table tabindex="0"><tr><th>{{ w.year }}</th>{% for c in w.re_columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for r in p.risk_education.rows %}<tr><td>{{ r.year if r.year is not none else w.no_year }}</td><td>{{ w.reach.get(r.reach, r.reach) }}</td>
<td class="n">{{ r.records }}</td><td class="n">{{ r.total }}</td><td class="n">{{ r.with_disability }}</td>
<td class="n">{{ r.disability_not_recorded }}</td></tr>{% endfor %}</table>
{% else %}<p>{{ w.no_sessions }}</p>{% endif %}
<p><small>{{ w.generated }}</small></p>
</body></html>
"""


def _words(profile: dict[str, Any], locale: str) -> dict[str, Any]:
    """Every word the profile prints, in ``locale`` (the data's own texts stay as recorded)."""

    def t(message: str, **values: Any) -> str:
        return translate(message, locale, **values)

    p, fresh = profile, profile["freshness"]
    stock = p["obligations"]["stockpile_held"]
    clearance = p["obligations"]["clearance_deadline"]
    policy = p["policy"]
    k = p["contamination"]
    line = t("Answers for {date}.", date=p["on"]) + " "
    line += t("Treaty data status as at {date}.", date=fresh["status_as_at"])
    if fresh["projected"]:
        line += " " + t(
            "Projection: the depositary's status pages are as at {date}; notifications after "
            "that date are not in the data.",
            date=fresh["status_as_at"],
        )
    state = state_name(p["iso3"], p["state"], locale)
    name = f"{state} ({p['iso3']})" if p["iso3"] else state

    def kind(code: str) -> str:  # a deadline's kind by its label (fulfilled ones as stated)
        known = code in ENUM_LABELS["DeadlineKind"]
        return label("DeadlineKind", code, locale=locale) if known else code

    return {
        "kind": kind,
        "title": t("Country profile: {name}", name=name),
        "fresh": line,
        "treaty_status": t("Treaty status"),
        "instrument": t("Instrument"),
        "status": t("Status"),
        "eif": t("Entry into force"),
        "withdrawal": t("Withdrawal takes effect"),
        "names": {
            "apmbc": t("Anti-Personnel Mine Ban Convention"),
            "ccw-ap2": t("CCW Amended Protocol II"),
        },
        "absent": [
            t("Convention on Cluster Munitions"),
            t("CCW Protocol V (explosive remnants of war)"),
        ],
        "not_in_data": t(
            "not in the treaty data (the depositary's status page is not among the saved pages)"
        ),
        "communications": t("Communications on record"),
        "legal": lambda text: t("Legal character: {text}.", text=text),
        "obligations": t("Obligations and deadlines"),
        "clearance": (
            t(
                "Mine clearance (APMBC {article}): {date}",
                article=clearance["article"],
                date=clearance["due"],
            )
            + (f" — {t('passed')}" if clearance["passed"] else "")
            + (
                " — "
                + t(
                    "fulfilled: completion declared {date} ({meeting})",
                    date=clearance["fulfilled"]["declared_on"],
                    meeting=clearance["fulfilled"]["meeting"],
                )
                if clearance.get("fulfilled")
                else ""
            )
            + f"; {clearance['basis']}."
        )
        if clearance
        else "",
        "stockpiles": t("Stockpiles: not recorded in the data (no Art. 4 deadline shown).")
        if stock is None
        else t("Stockpiles: held (Art. 4 applies).")
        if stock
        else t("Stockpiles: none held."),
        "due": t("Due"),
        "what": t("What"),
        "article": t("Article"),
        "basis": t("Basis"),
        "no_deadline": t("No deadline falls due in the next ten years in the data."),
        "groups": t(
            "Groupings on {date}: {groups}.",
            date=p["on"],
            groups=", ".join(p["groups"]) or t("none in the data"),
        ),
        "national_policy": t("National policy"),
        "policy": t(
            "Version in force: {title} (effective {date}).",
            title=policy["title"],
            date=policy["effective"],
        )
        if policy
        else "",
        "contamination": t("Contamination and land release (programme records)"),
        "areas": t(
            "Hazardous areas recorded: {count}; open or suspended: {open}.",
            count=k["areas"],
            open=k.get("open_areas", 0),
        ),
        "balance": t("Balance"),
        "balance_rows": [
            ("original_m2", t("Original")),
            ("cancelled_m2", t("Cancelled (non-technical survey)")),
            ("reduced_m2", t("Reduced (technical survey)")),
            ("cleared_m2", t("Cleared")),
            ("remaining_m2", t("Remaining")),
        ],
        "year": t("Year"),
        "by_year": [t("Cancelled m²"), t("Reduced m²"), t("Cleared m²")],
        "casualties": t("Casualties (Landmine Monitor definitions)"),
        "not_shown": t("Not shown: only signed-in staff read casualty figures."),
        "casualty_columns": [t("Killed"), t("Injured"), t("Outcome not recorded"), t("Total")],
        "no_year": t("year not recorded"),
        "no_casualty": t("No casualty recorded."),
        "risk_education": t("Risk education"),
        "re_columns": [
            t("Reach"),
            t("Sessions"),
            t("People"),
            t("With a disability"),
            t("Disability not recorded"),
        ],
        "reach": {"direct": t("Direct"), "indirect": t("Indirect")},
        "no_sessions": t("No risk education session recorded."),
        "generated": t(
            "Generated on {date} by minewatch from the treaty data shipped with it and the "
            "programme's approved records.",
            date=p["generated_on"],
        ),
    }


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def profile_html(profile: dict[str, Any], locale: str | None = None) -> str:
    """The profile as one self-contained HTML page in ``locale`` (a shipped language, else
    English; Arabic right to left)."""
    code = normalise_locale(locale)
    return _ENV.from_string(_TEMPLATE).render(
        p=profile, w=_words(profile, code), lang=code, dir=direction(code),
        fonts=css_font_stack(code),
    )  # fmt: skip


def profile_pdf(profile: dict[str, Any], locale: str | None = None) -> bytes:
    """The profile as PDF in ``locale``: the same sections as the HTML page."""
    code = normalise_locale(locale)
    w = _words(profile, code)
    pdf = LocalisedPDF(code, title=w["title"])
    pdf.add_page()
    pdf.heading(w["title"], size=14)
    pdf.paragraph(w["fresh"])
    pdf.heading(w["treaty_status"], size=11)
    rows = [
        [w["names"].get(t["instrument"], t["instrument"]), t["label"],
         str(t["entry_into_force"] or ""), str(t["withdrawal_effective"] or "")]
        for t in profile["treaties"]
    ] + [[name, w["not_in_data"], "", ""] for name in w["absent"]]  # fmt: skip
    pdf.grid((w["instrument"], w["status"], w["eif"], w["withdrawal"]), rows)
    for c in profile["communications"]:
        legal = " " + w["legal"](c["legal_character"]) if c["legal_character"] else ""
        pdf.paragraph(f"{c['received']} — {c['kind']}: {c['summary']}{legal}")
    pdf.heading(w["obligations"], size=11)
    if w["clearance"]:
        pdf.paragraph(w["clearance"])
    pdf.paragraph(w["stockpiles"])
    upcoming = profile["obligations"]["upcoming"]
    if upcoming:
        pdf.grid((w["due"], w["what"], w["article"]),
                 [[str(d["due"]), w["kind"](d["kind"]), d["article"]] for d in upcoming])  # fmt: skip
    pdf.paragraph(w["groups"])
    if w["policy"]:
        pdf.heading(w["national_policy"], size=11)
        pdf.paragraph(f"{w['policy']} {profile['policy']['freshness']['note']}")
    pdf.heading(w["contamination"], size=11)
    pdf.paragraph(w["areas"])
    k = profile["contamination"]
    if k["totals"]:
        pdf.grid((w["balance"], "m²", "ha"),
                 [[words, f"{k['totals'][key]:,.1f}", f"{k['totals'][key] / 10000:,.2f}"]
                  for key, words in w["balance_rows"]], numeric=(1, 2))  # fmt: skip
    pdf.heading(w["casualties"], size=11)
    cas = profile["casualties"]
    if not cas["shown"]:
        pdf.paragraph(w["not_shown"])
    elif cas["years"]:
        pdf.grid((w["year"], *w["casualty_columns"]),
                 [[str(y["year"] if y["year"] is not None else w["no_year"]), str(y["killed"]),
                   str(y["injured"]), str(y["unknown"]), str(y["total"])] for y in cas["years"]],
                 numeric=(1, 2, 3, 4))  # fmt: skip
    else:
        pdf.paragraph(w["no_casualty"])
    pdf.heading(w["risk_education"], size=11)
    rows = [[str(r["year"] if r["year"] is not None else w["no_year"]),
             w["reach"].get(r["reach"], r["reach"]), str(r["records"]), str(r["total"])]
            for r in profile["risk_education"]["rows"]]  # fmt: skip
    if rows:
        pdf.grid((w["year"], *w["re_columns"][:3]), rows, numeric=(2, 3))
    else:
        pdf.paragraph(w["no_sessions"])
    return bytes(pdf.output())
