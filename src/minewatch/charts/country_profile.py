"""A country profile (:func:`minewatch.services.country_profile.country_profile`'s document)
as one HTML page (:func:`profile_html`, jinja2, autoescaped, no outside address) and as PDF
(:func:`profile_pdf`, on :class:`~minewatch.charts.pdf.LocalisedPDF`).

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

from minewatch.charts.pdf import LocalisedPDF

_INSTRUMENTS = {
    "apmbc": "Anti-Personnel Mine Ban Convention",
    "ccw-ap2": "CCW Amended Protocol II",
}

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Country profile: {{ p.state }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.25rem 0 1rem;display:block;overflow-x:auto}
th,td{border:1px solid #bbb;padding:.2rem .5rem;text-align:start}
td.n{text-align:end;font-variant-numeric:tabular-nums}
.fresh{background:#fff4d6;border-inline-start:4px solid #b58100;padding:.4rem .8rem}
h2{margin-top:1.5rem;border-bottom:1px solid #ccc}
</style></head><body>
<h1>{{ p.state }}{% if p.iso3 %} ({{ p.iso3 }}){% endif %}: country profile</h1>
<p class="fresh">Answers for {{ p.on }}. {{ fresh }}</p>
<h2>Treaty status</h2>
<table tabindex="0"><tr><th>Instrument</th><th>Status</th><th>Entry into force</th><th>Withdrawal effective</th></tr>
{% for t in p.treaties %}<tr><td>{{ names.get(t.instrument, t.instrument) }}</td><td>{{ t.label }}</td>
<td>{{ t.entry_into_force or "" }}</td><td>{{ t.withdrawal_effective or "" }}</td></tr>{% endfor %}
{% for name, why in p.not_in_data.items() %}<tr><td>{{ name }}</td><td colspan="3">{{ why }}</td></tr>{% endfor %}
</table>
{% if p.communications %}<h3>Communications on record</h3><ul>
{% for c in p.communications %}<li>{{ c.received }} — {{ c.kind }}{% if c.notification %} ({{ c.notification }}){% endif %}:
{{ c.summary }}{% if c.legal_character %} <em>Legal character: {{ c.legal_character }}.</em>{% endif %}</li>{% endfor %}
</ul>{% endif %}
<h2>Obligations and deadlines</h2>
{% set c = p.obligations.clearance_deadline %}
{% if c %}<p>Mine clearance (APMBC {{ c.article }}): {{ c.due }}{% if c.passed %} — passed{% endif %}; {{ c.basis }}.</p>{% endif %}
<p>Stockpiles: {% if p.obligations.stockpile_held is none %}not recorded in the data (no Art. 4 deadline shown){% elif p.obligations.stockpile_held %}held (Art. 4 applies){% else %}none held{% endif %}.</p>
{% if p.obligations.upcoming %}<table tabindex="0"><tr><th>Due</th><th>What</th><th>Article</th><th>Basis</th></tr>
{% for d in p.obligations.upcoming %}<tr><td>{{ d.due }}</td><td>{{ d.kind }}</td><td>{{ d.article }}</td><td>{{ d.basis }}</td></tr>{% endfor %}
</table>{% else %}<p>No deadline falls due in the next ten years in the data.</p>{% endif %}
<p>Groupings on {{ p.on }}: {{ p.groups | join(", ") or "none in the data" }}.</p>
{% if p.policy %}<h2>National policy</h2>
<p>Version in force: {{ p.policy.title }} (effective {{ p.policy.effective }}).
{% if p.policy.freshness.note %}<strong>{{ p.policy.freshness.note }}</strong>{% endif %}</p>{% endif %}
<h2>Contamination and land release (programme records)</h2>
{% set k = p.contamination %}
<p>{{ k.areas }} hazardous area(s) recorded{% if k.open_areas is defined %}, {{ k.open_areas }} open or suspended{% endif %}.
{% for name, n in k.by_hazard_type.items() if n %}{{ name }}: {{ n }}. {% endfor %}</p>
{% if k.totals %}<table tabindex="0"><tr><th>Balance</th><th>m²</th><th>ha</th></tr>
{% for key, words in balance %}<tr><td>{{ words }}</td><td class="n">{{ "{:,.1f}".format(k.totals[key]) }}</td>
<td class="n">{{ "{:,.2f}".format(k.totals[key] / 10000) }}</td></tr>{% endfor %}</table>{% endif %}
{% if k.by_year %}<table tabindex="0"><tr><th>Year</th><th>Cancelled m²</th><th>Reduced m²</th><th>Cleared m²</th></tr>
{% for y in k.by_year %}<tr><td>{{ y.year }}</td><td class="n">{{ "{:,.1f}".format(y.cancelled) }}</td>
<td class="n">{{ "{:,.1f}".format(y.reduced) }}</td><td class="n">{{ "{:,.1f}".format(y.cleared) }}</td></tr>{% endfor %}</table>{% endif %}
<h2>Casualties (Landmine Monitor definitions)</h2>
{% if not p.casualties.shown %}<p>Not shown: only signed-in staff read casualty figures.</p>
{% elif p.casualties.years %}<table tabindex="0"><tr><th>Year</th><th>Killed</th><th>Injured</th><th>Outcome not recorded</th><th>Total</th></tr>
{% for y in p.casualties.years %}<tr><td>{{ y.year if y.year is not none else "year not recorded" }}</td><td class="n">{{ y.killed }}</td>
<td class="n">{{ y.injured }}</td><td class="n">{{ y.unknown }}</td><td class="n">{{ y.total }}</td></tr>{% endfor %}</table>
{% else %}<p>No casualty recorded.</p>{% endif %}
<h2>Risk education</h2>
{% if p.risk_education.rows %}<table tabindex="0"><tr><th>Year</th><th>Reach</th><th>Sessions</th><th>People</th><th>With a disability</th><th>Disability not recorded</th></tr>
{% for r in p.risk_education.rows %}<tr><td>{{ r.year if r.year is not none else "year not recorded" }}</td><td>{{ r.reach }}</td>
<td class="n">{{ r.records }}</td><td class="n">{{ r.total }}</td><td class="n">{{ r.with_disability }}</td>
<td class="n">{{ r.disability_not_recorded }}</td></tr>{% endfor %}</table>
{% else %}<p>No risk education session recorded.</p>{% endif %}
<p><small>Generated {{ p.generated_on }} by minewatch from the treaty data shipped with it and the
programme's approved records.</small></p>
</body></html>
"""

_BALANCE = (
    ("original_m2", "Original"),
    ("cancelled_m2", "Cancelled (non-technical survey)"),
    ("reduced_m2", "Reduced (technical survey)"),
    ("cleared_m2", "Cleared"),
    ("remaining_m2", "Remaining"),
)

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def _fresh(profile: dict[str, Any]) -> str:
    f = profile["freshness"]
    line = f"Treaty data status as at {f['status_as_at']}."
    return f"{line} {f['note'][0].upper()}{f['note'][1:]}." if f.get("note") else line


def profile_html(profile: dict[str, Any]) -> str:
    """The profile as one self-contained HTML page."""
    return _ENV.from_string(_TEMPLATE).render(
        p=profile, names=_INSTRUMENTS, fresh=_fresh(profile), balance=_BALANCE
    )


def profile_pdf(profile: dict[str, Any]) -> bytes:
    """The profile as PDF: the same sections as the HTML page."""
    pdf = LocalisedPDF("en", title=f"Country profile: {profile['state']}")
    pdf.add_page()
    pdf.heading(f"{profile['state']} ({profile['iso3']}): country profile", size=14)
    pdf.paragraph(f"Answers for {profile['on']}. {_fresh(profile)}")
    pdf.heading("Treaty status", size=11)
    rows = [
        [
            _INSTRUMENTS.get(t["instrument"], t["instrument"]),
            t["label"],
            str(t["entry_into_force"] or ""),
            str(t["withdrawal_effective"] or ""),
        ]
        for t in profile["treaties"]
    ] + [[name, why, "", ""] for name, why in profile["not_in_data"].items()]
    pdf.grid(("Instrument", "Status", "Entry into force", "Withdrawal effective"), rows)
    for c in profile["communications"]:
        legal = f" Legal character: {c['legal_character']}." if c["legal_character"] else ""
        pdf.paragraph(f"{c['received']} — {c['kind']}: {c['summary']}{legal}")
    pdf.heading("Obligations and deadlines", size=11)
    clearance = profile["obligations"]["clearance_deadline"]
    if clearance:
        passed = " — passed" if clearance["passed"] else ""
        pdf.paragraph(
            f"Mine clearance (APMBC {clearance['article']}): {clearance['due']}{passed}; "
            f"{clearance['basis']}."
        )
    upcoming = profile["obligations"]["upcoming"]
    if upcoming:
        pdf.grid(
            ("Due", "What", "Article"), [[str(d["due"]), d["kind"], d["article"]] for d in upcoming]
        )
    pdf.paragraph(f"Groupings: {', '.join(profile['groups']) or 'none in the data'}.")
    if profile["policy"]:
        p = profile["policy"]
        pdf.heading("National policy", size=11)
        pdf.paragraph(f"{p['title']} (effective {p['effective']}). {p['freshness']['note']}")
    pdf.heading("Contamination and land release (programme records)", size=11)
    k = profile["contamination"]
    pdf.paragraph(f"{k['areas']} hazardous area(s) recorded.")
    if k["totals"]:
        pdf.grid(
            ("Balance", "m²", "ha"),
            [
                [words, f"{k['totals'][key]:,.1f}", f"{k['totals'][key] / 10000:,.2f}"]
                for key, words in _BALANCE
            ],
            numeric=(1, 2),
        )
    pdf.heading("Casualties (Landmine Monitor definitions)", size=11)
    cas = profile["casualties"]
    if not cas["shown"]:
        pdf.paragraph("Not shown: only signed-in staff read casualty figures.")
    elif cas["years"]:
        pdf.grid(
            ("Year", "Killed", "Injured", "Outcome not recorded", "Total"),
            [
                [
                    str(y["year"] if y["year"] is not None else "not recorded"),
                    str(y["killed"]),
                    str(y["injured"]),
                    str(y["unknown"]),
                    str(y["total"]),
                ]
                for y in cas["years"]
            ],
            numeric=(1, 2, 3, 4),
        )
    pdf.heading("Risk education", size=11)
    rows = [
        [str(r["year"]), r["reach"], str(r["records"]), str(r["total"])]
        for r in profile["risk_education"]["rows"]
    ]
    if rows:
        pdf.grid(("Year", "Reach", "Sessions", "People"), rows, numeric=(2, 3))
    else:
        pdf.paragraph("No risk education session recorded.")
    return bytes(pdf.output())
