"""The Article 7 forms about people, filled from the store: risk education and its
beneficiaries (APMBC Form I, CCM Form G: :func:`risk_education_form`), and casualties with
the victim assistance recorded for survivors (APMBC Form J, CCM Form H: :func:`victims_form`).
:mod:`minewatch.services.article7` assembles them with the other forms.

Victims and their assistance are internal kinds: their figures (counts and record codes,
never personal data) are for signed-in staff; anyone else is told they are not shown.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.domain.treaty.article7 import form_spec
>>> from minewatch.services.accounts import Accounts
>>> store = demo_store(tmp)
>>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
>>> form = victims_form(wf, form_spec("apmbc", "J"), "apmbc", 2022)
>>> form.tables[0].rows[-1]
('Total', 3, 5, 0, 8)
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, cast

from minewatch.domain.access import Role
from minewatch.domain.beneficiaries import beneficiary_rows
from minewatch.domain.casualties import Casualty
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, OrdnanceCategory, RiskEducationSession
from minewatch.domain.records.assistance import VictimAssistance
from minewatch.domain.records.enums import AssistanceType
from minewatch.domain.treaty.article7 import FilledForm, FormSpec, FormTable
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.casualties import casualty_records
from minewatch.vocabulary import label, translate

_REACH = {"direct": "Direct beneficiaries", "indirect": "Indirect beneficiaries"}
#: What happened to a service, by the date field that says when.
_EVENTS = (
    ("identified_date", "Needs identified"),
    ("referred_date", "Referred"),
    ("received_date", "Received"),
)


def risk_education_form(
    wf: AuditedWorkflow, spec: FormSpec, year: int, locale: str | None = None
) -> FilledForm:
    """Sessions of ``year`` and their direct and indirect beneficiaries by sex and age.

    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.domain.treaty.article7 import form_spec
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> form = risk_education_form(AuditedWorkflow(store, PUBLIC, Accounts(store)),
    ...                            form_spec("apmbc", "I"), 2024)
    >>> [row[:2] for row in form.tables[0].rows]
    [('Direct beneficiaries', 8), ('Indirect beneficiaries', 8)]
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    sessions = [
        cast(RiskEducationSession, s)
        for s in wf.store.iter_items(ItemQuery(Kind.RISK_EDUCATION_SESSION))
    ]
    within = [s for s in sessions if s.session_date is not None and start <= s.session_date <= end]
    notes = [
        translate(
            "Risk education sessions held in the year and the people they reached, directly "
            "and indirectly, by sex and age, by the sector's beneficiary definitions; people "
            "whose disability was not recorded are counted as such, never as without one.",
            locale,
        )
    ]
    if not within:
        notes.append(
            translate("No risk education session in {year} is recorded.", locale, year=year)
        )
        return FilledForm(spec, True, tuple(notes))
    codes = tuple(s.code or "" for s in within)
    grids = [(year, "direct", s.beneficiaries) for s in within] + [
        (year, "indirect", s.indirect_beneficiaries) for s in within
    ]
    keys = ("records", "girls", "boys", "women", "men", "total", "with_disability",
            "disability_not_recorded")  # fmt: skip
    rows = tuple(
        (translate(_REACH[r["reach"]], locale), *(r.get(k) for k in keys))
        for r in beneficiary_rows(grids)
    )
    columns = words_in(locale, "Reach", "Sessions", "Girls", "Boys", "Women", "Men", "Total",
                     "With a disability", "Disability not recorded")  # fmt: skip
    table = FormTable(
        f"{spec.letter}1",
        translate("Risk education", locale),
        columns,
        rows,
        tuple(codes for _ in rows),
    )
    return FilledForm(spec, True, tuple(notes), (table,))


def victims_form(
    wf: AuditedWorkflow, spec: FormSpec, instrument: str, year: int, locale: str | None = None
) -> FilledForm:
    """Casualties of ``year`` by the Landmine Monitor's definitions and the victim assistance
    services recorded in it (needs identified, referrals, services received) by type; for the
    CCM, only casualties of cluster munition remnants and their survivors' assistance.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC
    >>> from minewatch.domain.treaty.article7 import form_spec
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> form = victims_form(AuditedWorkflow(store, PUBLIC, Accounts(store)),
    ...                     form_spec("ccm", "H"), "ccm", 2022)
    >>> form.tables, form.notes[0][:50]
    ((), 'Casualties and victim assistance: not shown (only ')
    """
    if wf.actor.role is Role.PUBLIC:
        return FilledForm(spec, True, (
            translate("Casualties and victim assistance: not shown (only signed-in staff read "
                      "them).", locale),
        ))  # fmt: skip
    records = casualty_records(wf)
    counted = {code for code, c, category in records if _counts_for(instrument, c, category)}
    notes: list[str] = []
    tables: list[FormTable] = []
    casualties = _casualty_table(spec, instrument, year, records, notes, locale)
    if casualties is not None:
        tables.append(casualties)
    assistance = _assistance_table(wf, spec, year, counted, len(tables) + 1, notes, locale)
    if assistance is not None:
        tables.append(assistance)
    return FilledForm(spec, True, tuple(notes), tuple(tables))


def _counts_for(instrument: str, casualty: Casualty, category: str | None) -> bool:
    """Whether a casualty belongs on ``instrument``'s form: every mine/ERW casualty for the
    APMBC's (the Monitor's table), cluster munition remnants only for the CCM's."""
    if instrument == "ccm":
        return category == OrdnanceCategory.SUBMUNITION.value or (
            casualty.device_type == "cluster_munition_remnant"
        )
    return True


def _casualty_table(
    spec: FormSpec,
    instrument: str,
    year: int,
    records: list[tuple[str, Casualty, str | None]],
    notes: list[str],
    locale: str | None,
) -> FormTable | None:
    in_year = [
        (code, c) for code, c, category in records
        if c.year == year and _counts_for(instrument, c, category)
    ]  # fmt: skip
    what = (
        "Casualties of {year} by the Landmine Monitor's definitions (category, and killed, "
        "injured or outcome not recorded), cluster munition remnants only."
        if instrument == "ccm"
        else "Casualties of {year} by the Landmine Monitor's definitions (category, and "
        "killed, injured or outcome not recorded)."
    )
    notes.append(translate(what, locale, year=year))
    if not in_year:
        notes.append(translate("No casualty of {year} is recorded.", locale, year=year))
        return None
    by: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for code, c in in_year:
        by[c.category][c.outcome].append(code)
    outcomes = ("killed", "injured", "unknown")
    rows: list[tuple[Any, ...]] = []
    codes: list[tuple[str, ...]] = []
    for category in sorted(by):
        counts = [len(by[category][o]) for o in outcomes]
        rows.append((label("VictimType", category, locale=locale), *counts, sum(counts)))
        codes.append(tuple(code for o in outcomes for code in by[category][o]))
    rows.append((translate("Total", locale), *(sum(r[i] for r in rows) for i in range(1, 5))))
    codes.append(tuple(c for r in codes for c in r))
    columns = words_in(locale, "Category", "Killed", "Injured", "Outcome not recorded", "Total")
    title = translate("Casualties", locale)
    return FormTable(f"{spec.letter}1", title, columns, tuple(rows), tuple(codes))


def _assistance_table(
    wf: AuditedWorkflow,
    spec: FormSpec,
    year: int,
    victims: set[str],
    number: int,
    notes: list[str],
    locale: str | None,
) -> FormTable | None:
    start, end = date(year, 1, 1), date(year, 12, 31)
    followed = [
        cast(VictimAssistance, r)
        for r in wf.store.iter_items(ItemQuery(Kind.VICTIM_ASSISTANCE))
        if cast(VictimAssistance, r).victim_code in victims
    ]
    if not followed:
        notes.append(translate("Victim assistance: not recorded (the store holds no victim "
                               "assistance record for these survivors).", locale))  # fmt: skip
        return None
    by: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in followed:
        for service in record.services:
            for field, _ in _EVENTS:
                when = getattr(service, field)
                if when is not None and start <= when <= end:
                    by[(service.assistance_type.value, field)].append(record.code or "")
    notes.append(
        translate(
            "Victim assistance in {year}: services whose needs were identified, which were "
            "referred or which were received in the year, by type (a service counts once per "
            "step it reached in the year); from the victim assistance records of "
            "{survivors} survivor(s).",
            locale,
            year=year,
            survivors=len(followed),
        )
    )
    rows: list[tuple[Any, ...]] = []
    codes: list[tuple[str, ...]] = []
    for kind in AssistanceType:
        counts = [len(by[(kind.value, field)]) for field, _ in _EVENTS]
        if any(counts):
            rows.append((label(kind, locale=locale), *counts))
            codes.append(tuple(dict.fromkeys(c for f, _ in _EVENTS for c in by[(kind.value, f)])))
    if not rows:
        notes.append(
            translate("No victim assistance service is dated in {year}.", locale, year=year)
        )
        return None
    rows.append((translate("Total", locale), *(sum(r[i] for r in rows) for i in range(1, 4))))
    codes.append(tuple(dict.fromkeys(c for r in codes for c in r)))
    columns = words_in(locale, "Assistance", *(words for _, words in _EVENTS))
    return FormTable(f"{spec.letter}{number}", translate("Victim assistance", locale), columns,
                     tuple(rows), tuple(codes))  # fmt: skip


def words_in(locale: str | None, *english: str) -> tuple[str, ...]:
    """Column headers (catalogue messages) in ``locale``.

    >>> words_in("es", "Total", "Category")
    ('Total', 'Categoría')
    """
    return tuple(translate(text, locale) for text in english)
