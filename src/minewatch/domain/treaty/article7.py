"""The transparency reports states owe under Article 7 — of the Anti-Personnel Mine Ban
Convention (APMBC) and of the Convention on Cluster Munitions (CCM) — as forms to fill
(:data:`APMBC_FORMS`, :data:`CCM_FORMS`), and a filled report as plain data
(:class:`Article7Report`): forms holding tables whose every row names the records behind its
figures, so that an annex can trace each figure back (:meth:`Article7Report.annex`).

The forms follow the reporting formats the States Parties use: for the APMBC, Forms A to J
(A to I one per paragraph (a) to (i) of Art. 7(1); J, voluntary, for other matters such as
victim assistance), as the ICBL lists them; for the CCM, Forms A to J of the reporting
formats CCM/MSP/2010/PM/10. Nothing here reads a store: the service
:mod:`minewatch.services.article7` fills the forms and :mod:`minewatch.charts.article7`
draws them.

>>> [f.letter for f in APMBC_FORMS]
['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J']
>>> form_spec("ccm", "F").title
'Contaminated areas and clearance'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: Where the APMBC form structure comes from.
APMBC_FORMS_SOURCE = (
    "Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of "
    "Anti-Personnel Mines and on their Destruction, Art. 7(1)(a)-(i); ICBL, 'Transparency "
    "Reports' (English Forms A to J; Form D revised at the 6th and Forms B and G at the 8th "
    "Meeting of the States Parties; Form J voluntary), "
    "http://www.icbl.org/index.php/icbl/content/view/full/23749"
)
#: Where the CCM form structure comes from.
CCM_FORMS_SOURCE = (
    "Convention on Cluster Munitions, 'Reporting formats for Article 7 of the Convention on "
    "Cluster Munitions', CCM/MSP/2010/PM/10 (cover page and Forms A to J), "
    "https://docsbay.net/convention-on-cluster-munitions"
)


@dataclass(frozen=True)
class FormSpec:
    """One reporting form: its letter, title, the paragraph of Art. 7(1) it answers (empty
    for a voluntary form) and what the programme's records can fill in it (``fills``: ""
    when the records hold nothing for it, so the form is left for the state to complete).

    Examples
    --------
    >>> spec = form_spec("apmbc", "C")
    >>> spec.paragraph, spec.fills
    ('7(1)(c)', 'mined_areas')
    """

    instrument: str
    letter: str
    title: str
    paragraph: str
    fills: str = ""
    voluntary: bool = False


APMBC_FORMS: tuple[FormSpec, ...] = (
    FormSpec("apmbc", "A", "National implementation measures", "7(1)(a)"),
    FormSpec("apmbc", "B", "Total of stockpiled anti-personnel mines", "7(1)(b)"),
    FormSpec(
        "apmbc",
        "C",
        "Location of all mined areas that contain, or are suspected to contain, "
        "anti-personnel mines",
        "7(1)(c)",
        "mined_areas",
    ),
    FormSpec("apmbc", "D", "Anti-personnel mines retained or transferred (Art. 3)", "7(1)(d)"),
    FormSpec(
        "apmbc",
        "E",
        "Status of programmes for the conversion or de-commissioning of anti-personnel mine "
        "production facilities",
        "7(1)(e)",
    ),
    FormSpec(
        "apmbc",
        "F",
        "Status of programmes for the destruction of anti-personnel mines (Arts. 4 and 5)",
        "7(1)(f)",
        "release_programme",
    ),
    FormSpec(
        "apmbc",
        "G",
        "Anti-personnel mines destroyed after entry into force, by type and quantity",
        "7(1)(g)",
        "destroyed",
    ),
    FormSpec(
        "apmbc",
        "H",
        "Technical characteristics of each type of anti-personnel mine produced or owned",
        "7(1)(h)",
    ),
    FormSpec(
        "apmbc",
        "I",
        "Measures taken to provide an immediate and effective warning to the population",
        "7(1)(i)",
        "risk_education",
    ),
    FormSpec(
        "apmbc",
        "J",
        "Other relevant matters: victim assistance, casualties, cooperation and assistance",
        "",
        "victims",
        voluntary=True,
    ),
)

CCM_FORMS: tuple[FormSpec, ...] = (
    FormSpec("ccm", "A", "National implementation measures", "7(1)(a)"),
    FormSpec("ccm", "B", "Stockpiles and destruction", "7(1)(b), (e), (f), (g)"),
    FormSpec(
        "ccm",
        "C",
        "Technical characteristics of each type produced, owned or possessed",
        "7(1)(c)",
    ),
    FormSpec("ccm", "D", "Cluster munitions retained and transferred", "3(8)"),
    FormSpec("ccm", "E", "Status of conversion programmes", "7(1)(d)"),
    FormSpec(
        "ccm",
        "F",
        "Contaminated areas and clearance",
        "7(1)(h), (i)",
        "contaminated_areas",
    ),
    FormSpec(
        "ccm",
        "G",
        "Warning to the population and risk education",
        "7(1)(j)",
        "risk_education",
    ),
    FormSpec("ccm", "H", "Victim assistance", "7(1)(k)", "victims"),
    FormSpec(
        "ccm",
        "I",
        "National resources and international cooperation and assistance",
        "7(1)(m), (n)",
    ),
    FormSpec("ccm", "J", "Other relevant matters", "", voluntary=True),
)

FORMS: dict[str, tuple[FormSpec, ...]] = {"apmbc": APMBC_FORMS, "ccm": CCM_FORMS}
SOURCES: dict[str, str] = {"apmbc": APMBC_FORMS_SOURCE, "ccm": CCM_FORMS_SOURCE}


def form_spec(instrument: str, letter: str) -> FormSpec:
    """The form ``letter`` of ``instrument``'s Article 7 report (KeyError if none).

    Examples
    --------
    >>> form_spec("apmbc", "G").paragraph
    '7(1)(g)'
    >>> form_spec("apmbc", "K")
    Traceback (most recent call last):
    ...
    KeyError: 'apmbc form K'
    """
    for spec in FORMS.get(instrument, ()):
        if spec.letter == letter:
            return spec
    raise KeyError(f"{instrument} form {letter}")


@dataclass(frozen=True)
class FormTable:
    """A table of a form: columns, rows and, per row, the codes of the records its figures
    were computed from (``records``; empty for a row no record stands behind, such as a
    total, whose ``records`` are then its parts').

    Examples
    --------
    >>> table = FormTable("C1", "Mined areas", ("area", "m²"), (("HA-1", 10.0),), (("HA-1",),))
    >>> table.trace(0)
    ('HA-1',)
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    records: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if len(self.rows) != len(self.records):
            raise ValueError(f"table {self.key}: one list of records per row is needed")

    def trace(self, row: int) -> tuple[str, ...]:
        return self.records[row]

    def ref(self, row: int) -> str:
        """The figure reference printed beside row ``row`` and in the annex ("C1.3")."""
        return f"{self.key}.{row + 1}"


@dataclass(frozen=True)
class FilledForm:
    """A form as filled: ``recorded`` says whether the programme's records gave anything for
    it; ``notes`` are paragraphs (what was counted and how, or what the state must add).

    Examples
    --------
    >>> FilledForm(form_spec("apmbc", "A"), False, ("Not recorded in minewatch.",)).recorded
    False
    """

    spec: FormSpec
    recorded: bool
    notes: tuple[str, ...] = ()
    tables: tuple[FormTable, ...] = ()


@dataclass(frozen=True)
class Article7Report:
    """An Article 7 report for ``state`` covering calendar year ``year``.

    Examples
    --------
    >>> report = Article7Report("apmbc", "Synthetica", "SYN", 2025, date(2026, 4, 30),
    ...                         date(2026, 2, 3), ("synthetic",), (FilledForm(
    ...     form_spec("apmbc", "C"), True, (), (FormTable("C1", "Areas", ("area", "m²"),
    ...     (("HA-1", 5.0), ("HA-2", 7.0)), (("HA-1", "RP-1"), ("HA-2",))),)),))
    >>> report.period
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    >>> report.annex()
    [('C1.1', 'HA-1', ('HA-1', 'RP-1')), ('C1.2', 'HA-2', ('HA-2',))]
    """

    instrument: str
    state: str
    iso3: str
    year: int
    due: date | None
    status_as_at: date | None
    cover: tuple[str, ...]
    forms: tuple[FilledForm, ...]
    generated_on: date = field(default_factory=date.today)

    @property
    def period(self) -> tuple[date, date]:
        return date(self.year, 1, 1), date(self.year, 12, 31)

    @property
    def source(self) -> str:
        return SOURCES[self.instrument]

    def tables(self) -> list[FormTable]:
        return [t for f in self.forms for t in f.tables]

    def annex(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """Every figure row: its reference, its first cell and the records behind it."""
        return [
            (t.ref(i), str(row[0]), t.trace(i))
            for t in self.tables()
            for i, row in enumerate(t.rows)
        ]
