"""Article 7 transparency reports filled from the programme's approved records: for a state
and a calendar year, the APMBC's Forms A to J (or the CCM's, over cluster munition remnants),
each figure with the records it was computed from (:func:`article7_report`). The forms are
:mod:`minewatch.domain.treaty.article7`'s; :mod:`minewatch.charts.article7` writes them as
DOCX, XLSX and PDF.

What the records hold fills the forms that ask for it:

* mined areas (APMBC Form C; CCM Form F): the hazardous areas recorded with anti-personnel
  mines (CCM: cluster munition remnants), their status and the land release accounting's
  balance at the end of the year (:mod:`minewatch.services.landrelease`);
* the programme of destruction (APMBC Form F): land cancelled, reduced and cleared within the
  year, by area, with the products that released it, and the Art. 5 deadline in force;
* mines destroyed (APMBC Form G; CCM Form F): device finds of the year (found date, else the
  end of the activity that found them) by category and model;
* warning the population (APMBC Form I; CCM Form G): risk education sessions of the year and
  their beneficiaries by sex and age (:mod:`minewatch.domain.beneficiaries`);
* victims (APMBC Form J; CCM Form H): casualties of the year by the Landmine Monitor's
  definitions (:mod:`minewatch.domain.casualties`; staff only); victim assistance records
  where the store has that kind, else "not recorded".

Forms the records cannot fill (national measures, stockpiles, retained mines…) say so, for
the national authority to complete in the editable document.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> from minewatch.services.treaty import TreatyMonitor
>>> store = demo_store(tmp)
>>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
>>> report = article7_report(wf, TreatyMonitor.shipped(), "UKR", 2024)
>>> [(f.spec.letter, f.recorded) for f in report.forms][:4]
[('A', False), ('B', False), ('C', True), ('D', False)]
>>> report.due
datetime.date(2025, 4, 30)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

import pandas as pd

from minewatch.config import NationalConfig
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import (
    DeviceFind,
    Disposal,
    HazardousArea,
    HazardType,
    Kind,
    LandReleaseActivity,
    Location,
    OrdnanceCategory,
)
from minewatch.domain.treaty import (
    Instrument,
    annual_report_due,
    annual_report_owed,
    initial_report_due,
)
from minewatch.domain.treaty.article7 import (
    FORMS,
    Article7Report,
    FilledForm,
    FormSpec,
    FormTable,
)
from minewatch.domain.treaty.ccm import ccm_annual_report_due
from minewatch.errors import InvalidInput
from minewatch.errors import Location as ErrorLocation
from minewatch.services.article7_people import risk_education_form, victims_form, words_in
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.landrelease import ReleaseFilter, account, balance_table
from minewatch.services.treaty import TreatyMonitor, query_date
from minewatch.vocabulary import label, render, translate

#: The words a form says when the programme's records hold nothing for it.
NOT_RECORDED = (
    "Not recorded in minewatch: the programme's records hold no information for this form. "
    "To be completed by the national authority."
)
_REACH = {"direct": "Direct beneficiaries", "indirect": "Indirect beneficiaries"}
#: What each instrument's mined-area forms select.
_HAZARD: dict[str, HazardType] = {
    "apmbc": HazardType.AP_MINES,
    "ccm": HazardType.CLUSTER_MUNITION_REMNANTS,
}
#: The device categories each instrument's destruction form counts.
_DEVICES: dict[str, tuple[OrdnanceCategory, ...]] = {
    "apmbc": (OrdnanceCategory.AP_MINE,),
    "ccm": (OrdnanceCategory.SUBMUNITION,),
}


def article7_report(
    wf: AuditedWorkflow,
    monitor: TreatyMonitor,
    state: str,
    year: int,
    *,
    instrument: str = "apmbc",
    config: NationalConfig | None = None,
    locale: str | None = None,
) -> Article7Report:
    """The Article 7 report of ``state`` covering calendar ``year``, filled from the store,
    its words (notes, table titles and headers, labels) in ``locale``; figures and codes are
    the same in every language.

    ``state`` is a name, alias or ISO3 code the treaty data knows (NotFound otherwise);
    ``instrument`` is ``apmbc`` or ``ccm``. The store is taken to be that state's programme.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> store = demo_store(tmp)
    >>> wf = AuditedWorkflow(store, local_admin(), Accounts(store))
    >>> report = article7_report(wf, TreatyMonitor.shipped(), "Ukraine", 2024)
    >>> c = next(f for f in report.forms if f.spec.letter == "C").tables[0]
    >>> [row[0] for row in c.rows], c.records[0][:1]
    (['HA-000005', 'Total'], ('HA-000005',))
    >>> spanish = article7_report(wf, TreatyMonitor.shipped(), "Ukraine", 2024, locale="es")
    >>> next(f for f in spanish.forms if f.spec.letter == "C").tables[0].columns[:3]
    ('Área peligrosa', 'Nombre', 'Ubicación')
    >>> article7_report(wf, TreatyMonitor.shipped(), "UKR", 2024, instrument="ccw")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field instrument: no Article 7 forms for 'ccw'; use apmbc or ccm
    """
    if instrument not in FORMS:
        raise InvalidInput(
            "no Article 7 forms for {instrument!r}; use apmbc or ccm",
            ErrorLocation(field="instrument"),
            instrument=instrument,
        )
    query_date(date(year, 1, 1), field="year")
    name = monitor.state(state)
    filler = _Filler(wf, monitor, name, year, instrument, config, locale)
    forms = tuple(filler.fill(spec) for spec in FORMS[instrument])
    due, as_at, cover = filler.cover()
    return Article7Report(
        instrument, name, monitor.names.iso3.get(name, ""), year, due, as_at, cover, forms
    )


class _Filler:
    """Reads the store once per report and fills each form from it."""

    def __init__(
        self,
        wf: AuditedWorkflow,
        monitor: TreatyMonitor,
        state: str,
        year: int,
        instrument: str,
        config: NationalConfig | None,
        locale: str | None = None,
    ) -> None:
        self.wf, self.monitor, self.state, self.year = wf, monitor, state, year
        self.locale = locale
        self.instrument, self.config = instrument, config
        self.start, self.end = date(year, 1, 1), date(year, 12, 31)
        store = wf.store
        self.areas = [
            cast(HazardousArea, a) for a in store.iter_items(ItemQuery(Kind.HAZARDOUS_AREA))
        ]
        self.locations = {
            loc.code: cast(Location, loc).name for loc in store.iter_items(ItemQuery(Kind.LOCATION))
        }
        self.activities = {
            a.code: cast(LandReleaseActivity, a)
            for a in store.iter_items(ItemQuery(Kind.LAND_RELEASE_ACTIVITY))
        }
        self.finds = [cast(DeviceFind, d) for d in store.iter_items(ItemQuery(Kind.DEVICE_FIND))]
        hazard = _HAZARD[instrument]
        self.selected = sorted(
            (a for a in self.areas if hazard in a.hazard_types), key=lambda a: a.code or ""
        )

    # the cover
    def cover(self) -> tuple[date | None, date | None, tuple[str, ...]]:
        t = self.locale
        lines = [
            translate("Reporting period: {start} to {end}.", t, start=self.start, end=self.end),
            translate(
                "Figures are computed from the records approved in this programme's store; "
                "each figure's reference (such as C1.2) is listed in the annex with the codes "
                "of the records it was computed from.",
                t,
            ),
        ]
        if self.instrument != "apmbc":
            lines.append(
                translate(
                    "Participation in the Convention on Cluster Munitions is not in the treaty "
                    "data (its depositary status page is not among the saved pages): whether "
                    "the update is owed is not computed. For a State Party whose initial "
                    "report fell due before then, CCM Art. 7(2) makes the update covering "
                    "{year} due on {due}.",
                    t,
                    year=self.year,
                    due=ccm_annual_report_due(self.year),
                )
            )
            return None, None, tuple(lines)
        data = self.monitor.instruments[Instrument.APMBC]
        status = self.monitor.status(self.state, Instrument.APMBC, self.end)
        lines.append(
            translate(
                "Status under the Convention on {day}: {status} (depositary data status as "
                "at {as_at}; projection)."
                if status.projected
                else "Status under the Convention on {day}: {status} (depositary data status "
                "as at {as_at}).",
                t,
                day=self.end,
                status=render(status.description, t),
                as_at=data.status_as_at,
            )
        )
        due, words = self._due()
        lines.append(words)
        return due, data.status_as_at, tuple(lines)

    def _due(self) -> tuple[date | None, str]:
        """When the Art. 7(2) update covering the year is due, or why none is owed."""
        t, year = self.locale, self.year
        timeline = self.monitor.instruments[Instrument.APMBC].timelines.get(self.state)
        eif = timeline.entry_into_force if timeline else None
        if timeline is None or eif is None:
            return None, translate("The Convention is not in force for the state in the "
                                   "treaty data: no Article 7 report is owed.", t)  # fmt: skip
        gone = timeline.withdrawal_effective
        if gone is not None and gone <= self.start:
            return None, translate("The state's withdrawal took effect on {day}: no update "
                                   "covering {year} is owed.", t, day=gone, year=year)  # fmt: skip
        if not annual_report_owed(eif, self.year + 1):
            return None, translate(
                "No Art. 7(2) update covering {year} is owed: the Convention entered into "
                "force for the state on {eif} and its initial report (Art. 7(1)) is due on "
                "{due}.", t, year=year, eif=eif, due=initial_report_due(eif))  # fmt: skip
        due = annual_report_due(self.year + 1)
        words = translate("Art. 7(2): the update covering {year} is due on {due}.", t,
                          year=year, due=due)  # fmt: skip
        if gone is not None and gone <= self.end:
            words += " " + translate("The state's withdrawal took effect on {day}, within the "
                                     "year.", t, day=gone)  # fmt: skip
        return due, words

    # the forms
    def fill(self, spec: FormSpec) -> FilledForm:
        fill = {
            "mined_areas": self._mined_areas,
            "contaminated_areas": self._mined_areas,
            "release_programme": self._release_programme,
            "destroyed": self._destroyed,
            "risk_education": self._risk_education,
            "victims": self._victims,
        }.get(spec.fills)
        form = fill(spec) if fill else None
        if form is None:
            return FilledForm(spec, False, (translate(NOT_RECORDED, self.locale),))
        if spec.fills == "contaminated_areas":  # the CCM's Form F also holds clearance
            destroyed = self._destroyed(spec)
            return FilledForm(
                spec, True, form.notes + destroyed.notes, form.tables + destroyed.tables
            )
        return form

    def _period_balance(self) -> tuple[pd.DataFrame, dict[str, list[str]]]:
        """The year's balance per selected area and the products that released land in it."""
        codes = [a.code for a in self.selected if a.code]
        accounting, _ = account(
            self.wf.store, ReleaseFilter(hazardous_areas=codes), config=self.config
        )
        where = ReleaseFilter(hazardous_areas=codes, start=self.start, end=self.end)
        table = balance_table(accounting, where, "hazardous_area_code")
        pieces = pd.DataFrame(accounting.pieces.drop(columns="geometry"))
        when = pd.to_datetime(pieces["release_date"], errors="coerce")
        within = pieces[
            (pieces["category"] != "remaining")
            & (when >= pd.Timestamp(self.start))
            & (when <= pd.Timestamp(self.end))
        ]
        products: dict[str, list[str]] = defaultdict(list)
        for area, product in zip(
            within["hazardous_area_code"], within["product_code"], strict=True
        ):
            if isinstance(product, str) and product not in products[area]:
                products[area].append(product)
        return table, products

    def _mined_areas(self, spec: FormSpec) -> FilledForm:
        t = self.locale
        hazard = _HAZARD[self.instrument]
        notes = [
            translate(
                "Hazardous areas recorded with the hazard type '{hazard}' in the register, "
                "with their status and the land release accounting's balance at {day} (m², on "
                "the WGS84 ellipsoid).",
                t,
                hazard=label(hazard, locale=t),
                day=self.end,
            ),
        ]
        untyped = [a.code or "" for a in self.areas if not a.hazard_types]
        if untyped:
            notes.append(
                translate(
                    "{count} hazardous area(s) have no hazard type recorded and are not "
                    "included: {codes}.",
                    t,
                    count=len(untyped),
                    codes=", ".join(untyped),
                )
            )
        if not self.selected:
            notes.append(translate("No such area is recorded.", t))
            return FilledForm(spec, True, tuple(notes))
        table, _ = self._period_balance()
        finds = self._finds_by_area(_DEVICES[self.instrument])
        rows, records = [], []
        for area in self.selected:
            code = area.code or ""
            b = table.loc[code]
            rows.append(
                (
                    code,
                    area.name or "",
                    self.locations.get(area.location_code or "", area.location_code or ""),
                    label(area.classification, locale=t),
                    label(area.status, locale=t),
                    _m2(b["original_m2"]),
                    _m2(b["remaining_m2"]),
                    ", ".join(_device_words(finds.get(code, []), t))
                    or translate("none recorded", t),
                )
            )
            records.append((code, *(f.code or "" for f in finds.get(code, []))))
        rows.append(_total_row(rows, (5, 6), 8, t))
        records.append(tuple(c for r in records for c in r))
        columns = (
            label(Kind.HAZARDOUS_AREA, locale=t),
            *words_in(t, "Name", "Location", "Classification", "Status", "Original m²"),
            translate("Remaining m² at {day}", t, day=self.end),
            translate("Devices found (category, model, quantity)", t),
        )
        title = translate(spec.title, t)
        return FilledForm(
            spec,
            True,
            tuple(notes),
            (FormTable(f"{spec.letter}1", title, columns, tuple(rows), tuple(records)),),
        )

    def _release_programme(self, spec: FormSpec) -> FilledForm:
        t = self.locale
        notes = [self._deadline_note()]
        if not self.selected:
            notes.append(translate("No hazardous area with anti-personnel mines is recorded.", t))
            return FilledForm(spec, True, tuple(notes))
        table, products = self._period_balance()
        rows, records = [], []
        for area in self.selected:
            code = area.code or ""
            b = table.loc[code]
            rows.append(
                (
                    code,
                    *(
                        _m2(b[c])
                        for c in (
                            "cancelled_m2",
                            "reduced_m2",
                            "cleared_m2",
                            "released_m2",
                            "released_before_m2",
                            "undated_m2",
                            "remaining_m2",
                        )
                    ),
                )
            )
            records.append((code, *products.get(code, [])))
        rows.append(_total_row(rows, range(1, 8), 8, t))
        records.append(tuple(c for r in records for c in r))
        notes.append(
            translate(
                "Land released within the year by non-technical survey (cancelled), technical "
                "survey (reduced) and clearance (cleared): each piece of land counts once, for "
                "the first product that released it; 'released before' is land released in "
                "earlier years and 'undated' land whose product has no release date.",
                t,
            )
        )
        columns = (
            label(Kind.HAZARDOUS_AREA, locale=t),
            *words_in(t, "Cancelled m²", "Reduced m²", "Cleared m²"),
            translate("Released in {year} m²", t, year=self.year),
            *words_in(t, "Released before m²", "Undated m²"),
            translate("Remaining m² at {day}", t, day=self.end),
        )
        title = translate(spec.title, t)
        return FilledForm(
            spec,
            True,
            tuple(notes),
            (FormTable(f"{spec.letter}1", title, columns, tuple(rows), tuple(records)),),
        )

    def _deadline_note(self) -> str:
        t = self.locale
        found = self.monitor.clearance_deadline_on(self.state, self.end)
        if found is None and not self.monitor.clearance_applies(self.state):
            return translate(
                "Art. 5: no source in the treaty data shows mined areas under the state's "
                "jurisdiction or control, so no clearance deadline is shown.",
                t,
            )
        if found is None:
            return translate(
                "Art. 5: the Convention is not in force for the state in the treaty data.", t
            )
        deadline, ext = found
        basis = (
            translate("as extended ({decision})", t, decision=ext.decided_by or ext.source)
            if ext
            else translate(
                "the original deadline (entry into force + 10 years); extensions not in the "
                "treaty data are not known",
                t,
            )
        )
        done = self.monitor.clearance_completion_on(self.state, self.end)
        words = translate(
            "Art. 5 clearance deadline in force on {day}: {deadline}, {basis}.",
            t,
            day=self.end,
            deadline=deadline,
            basis=basis,
        )
        if done:
            words += " " + translate(
                "Fulfilled: completion declared {day} ({meeting}).",
                t,
                day=done.declared_on,
                meeting=done.meeting,
            )
        return words

    def _find_date(self, find: DeviceFind) -> date | None:
        if find.found_date is not None:
            return find.found_date
        activity = self.activities.get(find.activity_code or "")
        return activity.end_date if activity else None

    def _finds_by_area(self, categories: Sequence[OrdnanceCategory]) -> dict[str, list[DeviceFind]]:
        out: dict[str, list[DeviceFind]] = defaultdict(list)
        for find in self.finds:
            if find.category in categories and find.hazardous_area_code:
                out[find.hazardous_area_code].append(find)
        return out

    def _destroyed(self, spec: FormSpec) -> FilledForm:
        t = self.locale
        categories = _DEVICES[self.instrument]
        groups: dict[tuple[str, str, str], list[DeviceFind]] = defaultdict(list)
        undated: list[str] = []
        for find in self.finds:
            if find.category not in categories:
                continue
            when = self._find_date(find)
            if when is None:
                undated.append(find.code or "")
                continue
            if not self.start <= when <= self.end:
                continue
            disposal: Disposal = find.disposal or Disposal.PENDING
            model = find.model or translate("model not recorded", t)
            groups[(label(find.category, locale=t), model, label(disposal, locale=t))].append(find)
        notes = [
            translate(
                "Devices found in the year (the find's date, else the end of the activity that "
                "found it), by category, model and what was done with them; 'destroyed in "
                "situ' counts as destroyed, other disposals are shown as recorded.",
                t,
            )
        ]
        if undated:
            notes.append(
                translate(
                    "{count} find(s) have no date (neither a found date nor an activity with "
                    "an end date) and cannot be placed in {year}: {codes}.",
                    t,
                    count=len(undated),
                    year=self.year,
                    codes=", ".join(undated),
                )
            )
        rows: list[tuple[Any, ...]] = []
        records: list[tuple[str, ...]] = []
        for (category, model, done), finds in sorted(groups.items()):
            rows.append((category, model, done, sum(f.quantity for f in finds)))
            records.append(tuple(f.code or "" for f in finds))
        if rows:
            rows.append((translate("Total", t), "", "", sum(r[3] for r in rows)))
            records.append(tuple(c for r in records for c in r))
        else:
            notes.append(
                translate("No such device with a date in {year} is recorded.", t, year=self.year)
            )
        key = f"{spec.letter}2" if spec.fills == "contaminated_areas" else f"{spec.letter}1"
        columns = words_in(t, "Category", "Model", "Disposal", "Quantity")
        title = translate("Devices destroyed", t)
        tables = (FormTable(key, title, columns, tuple(rows), tuple(records)),)
        return FilledForm(spec, True, tuple(notes), tables if rows else ())

    def _risk_education(self, spec: FormSpec) -> FilledForm:
        return risk_education_form(self.wf, spec, self.year, self.locale)

    def _victims(self, spec: FormSpec) -> FilledForm:
        return victims_form(self.wf, spec, self.instrument, self.year, self.locale)


def _m2(value: Any) -> float:
    """A balance figure in m², to a tenth."""
    return round(float(value), 1)


def _device_words(finds: Iterable[DeviceFind], locale: str | None) -> list[str]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in finds:
        model = f.model or translate("model not recorded", locale)
        counts[(label(f.category, locale=locale), model)] += f.quantity
    return [f"{c}, {m}: {n}" for (c, m), n in sorted(counts.items())]


def _total_row(
    rows: Sequence[tuple[Any, ...]], summed: Iterable[int], width: int, locale: str | None
) -> tuple[Any, ...]:
    """A 'Total' row summing the ``summed`` columns of ``rows`` (others left blank)."""
    total: list[Any] = [translate("Total", locale), *([""] * (width - 1))]
    for i in summed:
        total[i] = round(sum(float(r[i]) for r in rows), 1)
    return tuple(total)
