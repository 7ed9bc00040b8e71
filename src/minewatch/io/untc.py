"""Reader for saved UN Treaty Collection (UNTC) status pages.

A monitor saves the depositary's status page of a treaty (Multilateral Treaties Deposited with
the Secretary-General, e.g. chapter XXVI-5 for the APMBC) and this module turns it into rows:
one per participant, with signature and consent dates and the consent type letter, the
withdrawn states the page shows in brackets, and the end notes with their depositary
notification numbers (C.N.xxx.yyyy.TREATIES-…) and stated effective dates.

The reader is strict on purpose: a page without its participants table, with unexpected
columns, an unparsable date, a footnote that points nowhere, a bracketed (withdrawn) state
without its withdrawal note, a withdrawal note it cannot read, or fewer participants than the
page's own "Parties" count raises :class:`~minewatch.errors.InvalidInput` naming the file and
row. A short table is never returned silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import lxml.html
from lxml.etree import ParserError

from minewatch.domain.treaty import ConsentType, Instrument
from minewatch.errors import InvalidInput, Location

#: UNTC chapter references of the instruments the monitor knows.
CHAPTERS: dict[str, Instrument] = {"XXVI-5": Instrument.APMBC, "XXVI-2-b": Instrument.CCW_AP2}

#: The depositary's marks after a consent date (no mark: ratification).
CONSENT_MARKS: dict[str, ConsentType] = {
    "": ConsentType.RATIFICATION,
    "A": ConsentType.ACCEPTANCE,
    "AA": ConsentType.APPROVAL,
    "a": ConsentType.ACCESSION,
    "d": ConsentType.SUCCESSION,
    "P": ConsentType.CONSENT,
}

STATUS_URL = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={}&chapter=26&clang=_en"
)

_CELL_DATE = re.compile(
    r"^\[?\s*(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]{2,3})\s+(?P<year>\d{4})"
    r"\s*(?P<mark>AA|A|a|d|P)?\s*\]?$"
)
_LONG_DATE = r"\d{1,2} [A-Z][a-z]+ \d{4}"
_CN = r"C\.N\.\d+\.\d{4}(?:\.TREATIES-[A-Z]+(?:[-.][0-9A-Za-z]+)*)?"
_WITHDRAWAL = re.compile(
    rf"On (?P<received>{_LONG_DATE}), the Government of (?P<government>.+?) deposited with the "
    r"Secretary-General a notification of (?:withdrawal|denunciation) \([Ss]ee depositary "
    rf"notification (?P<cn>{_CN}) of (?P<cn_date>{_LONG_DATE})\)\. The (?:withdrawal|denunciation) "
    rf"(?P<tense>took|will take) effect for (?P<state>.+?) on (?P<effective>{_LONG_DATE}) in "
    r"accordance with (?P<basis>article [0-9 ()]+)(?: of the (?:Convention|Protocol))?"
    r"(?:, (?P<condition>subject to [^.]+))?\."
)
_COMMUNICATION = re.compile(
    rf"On (?P<received>{_LONG_DATE}),.*?communication.*?(?P<cn>{_CN}) of (?P<cn_date>{_LONG_DATE})"
)


@dataclass(frozen=True)
class ParticipantRow:
    """One row of the participants table, as printed (dates parsed, brackets kept as flags)."""

    row: int
    name: str
    footnotes: tuple[int, ...]
    signature: date | None
    signature_bracketed: bool
    consent: date | None
    consent_type: ConsentType | None
    consent_bracketed: bool


@dataclass(frozen=True)
class EndNote:
    """An end note; withdrawal and communication notes have their facts parsed out."""

    number: int
    text: str
    kind: str  # "withdrawal", "communication" or "other"
    received: date | None = None
    notification: str = ""
    notification_date: date | None = None
    effective: date | None = None
    took_effect: bool = False
    basis: str = ""
    condition: str = ""


@dataclass(frozen=True)
class StatusPage:
    """Everything the monitor takes from one saved status page."""

    file: str
    instrument: Instrument
    chapter: str
    title: str
    url: str
    status_as_at: date
    stated_entry_into_force: date
    stated_entry_into_force_text: str
    stated_parties: int | None
    stated_signatories: int | None
    participants: tuple[ParticipantRow, ...]
    notes: dict[int, EndNote]
    provisional_application: frozenset[str] = field(default_factory=frozenset)

    @property
    def source(self) -> str:
        """The citation every row taken from this page carries."""
        return (
            f"UN Treaty Collection, Multilateral Treaties Deposited with the Secretary-General, "
            f"chapter {self.chapter}, status as at {self.status_as_at:%d %B %Y}"
        )

    def notes_for(self, row: ParticipantRow) -> list[EndNote]:
        return [self.notes[n] for n in row.footnotes]


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().replace("\xa0", " ").split())


def _long_date(text: str, where: Location) -> date:
    try:
        return datetime.strptime(text, "%d %B %Y").date()
    except ValueError:
        raise InvalidInput("unreadable date {text!r}", where, text=text) from None


def _one(tree: lxml.html.HtmlElement, id_suffix: str, file: str, what: str) -> str:
    found = tree.xpath(f'//*[contains(@id, "{id_suffix}")]')
    if not found:
        raise InvalidInput(
            "not a UNTC status page: no {what} ({id_suffix})",
            Location(file=file),
            what=what,
            id_suffix=id_suffix,
        )
    return _text(found[0])


def _instrument(tree: lxml.html.HtmlElement, file: str) -> tuple[str, Instrument]:
    html = lxml.html.tostring(tree, encoding=str)
    chapters = set(re.findall(r"mtdsg_no=([A-Z]+-[0-9]+(?:-[a-z])?)", html))
    known = [c for c in chapters if c in CHAPTERS]
    if len(known) != 1:
        raise InvalidInput(
            "cannot tell which treaty this page is (chapters found: {found}; known: {known})",
            Location(file=file),
            found=sorted(chapters) or "none",
            known=", ".join(CHAPTERS),
        )
    return known[0], CHAPTERS[known[0]]


def _cell_date(text: str, where: Location) -> tuple[date | None, str, bool]:
    """A table cell's date, its consent mark and whether it is bracketed (withdrawn)."""
    text = text.strip()
    if not text:
        return None, "", False
    m = _CELL_DATE.match(text)
    if m is None:
        raise InvalidInput("unreadable date {text!r}", where, text=text)
    try:
        day = datetime.strptime(f"{m['day']} {m['month'][:3]} {m['year']}", "%d %b %Y").date()
    except ValueError:
        raise InvalidInput("unreadable date {text!r}", where, text=text) from None
    return day, m["mark"] or "", text.startswith("[")


def _columns(header: list[str], file: str) -> tuple[int | None, int]:
    """Index of the signature column (if any) and of the consent column; InvalidInput otherwise."""
    where = Location(file=file, row="header")
    if not header or header[0] != "Participant":
        raise InvalidInput("unexpected participants table header {header!r}", where, header=header)
    signature = [i for i, h in enumerate(header) if h.startswith("Signature")]
    consent = [
        i
        for i, h in enumerate(header)
        if any(w in h for w in ("Ratification", "Consent to be bound", "Succession", "Accession"))
        and i not in signature
    ]
    if len(consent) != 1 or len(signature) > 1 or len(header) != 1 + len(signature) + 1:
        raise InvalidInput("unexpected columns {header!r}", where, header=header)
    return (signature[0] if signature else None), consent[0]


def _participant(
    cells: list[lxml.html.HtmlElement], row: int, columns: tuple[int | None, int], file: str
) -> ParticipantRow:
    sig_col, consent_col = columns
    name_cell = cells[0]
    footnotes: list[int] = []
    for sup in name_cell.xpath(".//sup"):
        footnotes += [int(n) for n in re.findall(r"\d+", _text(sup))]
        sup.drop_tree()
    name = _text(name_cell)
    if not name:
        raise InvalidInput("participant without a name", Location(file=file, row=row))
    signature, sig_bracket = None, False
    if sig_col is not None:
        where = Location(file=file, row=f"{row} ({name})", field="signature")
        signature, mark, sig_bracket = _cell_date(_text(cells[sig_col]), where)
        if mark:
            raise InvalidInput("unexpected mark {mark!r} on a signature", where, mark=mark)
    where = Location(file=file, row=f"{row} ({name})", field="consent")
    consent, mark, consent_bracket = _cell_date(_text(cells[consent_col]), where)
    if signature is None and consent is None:
        raise InvalidInput("participant with neither signature nor consent", where)
    consent_type = CONSENT_MARKS[mark] if consent is not None else None
    return ParticipantRow(
        row, name, tuple(footnotes), signature, sig_bracket, consent, consent_type, consent_bracket
    )


def _participants(tree: lxml.html.HtmlElement, file: str) -> tuple[ParticipantRow, ...]:
    tables = tree.xpath('//table[contains(@id, "tblgrid")]')
    if not tables:
        raise InvalidInput("no participants table (tblgrid) on the page", Location(file=file))
    rows = tables[0].xpath("./tr|./tbody/tr")
    if not rows:
        raise InvalidInput("the participants table is empty", Location(file=file))
    header = [_text(c) for c in rows[0].xpath("./td|./th")]
    columns = _columns(header, file)
    out = []
    for number, tr in enumerate(rows[1:], start=1):
        cells = tr.xpath("./td|./th")
        if len(cells) != len(header):
            raise InvalidInput(
                "{cells} cells where the header has {columns}",
                Location(file=file, row=number),
                cells=len(cells),
                columns=len(header),
            )
        out.append(_participant(cells, number, columns, file))
    if not out:
        raise InvalidInput("the participants table has no participants", Location(file=file))
    return tuple(out)


def _note(number: int, text: str, file: str) -> EndNote:
    where = Location(file=file, row=f"end note {number}")
    if re.search(r"notification of (withdrawal|denunciation)", text):
        m = _WITHDRAWAL.search(text)
        if m is None:
            raise InvalidInput(
                "withdrawal note not in the expected form: {text!r}", where, text=text[:160]
            )
        return EndNote(
            number,
            text,
            "withdrawal",
            received=_long_date(m["received"], where),
            notification=m["cn"],
            notification_date=_long_date(m["cn_date"], where),
            effective=_long_date(m["effective"], where),
            took_effect=m["tense"] == "took",
            basis=" ".join(m["basis"].split()),
            condition=m["condition"] or "",
        )
    m = _COMMUNICATION.search(text)
    if m is not None:
        return EndNote(
            number,
            text,
            "communication",
            received=_long_date(m["received"], where),
            notification=m["cn"],
            notification_date=_long_date(m["cn_date"], where),
        )
    return EndNote(number, text, "other")


def _notes(tree: lxml.html.HtmlElement, file: str) -> dict[int, EndNote]:
    notes: dict[int, EndNote] = {}
    for div in tree.xpath('//div[contains(@class, "divNotesAll")]'):
        anchors = div.xpath(".//a[@name]")
        if not anchors or not anchors[0].get("name", "").isdigit():
            raise InvalidInput("end note without its number", Location(file=file))
        number = int(anchors[0].get("name"))
        anchors[0].drop_tree()
        notes[number] = _note(number, _text(div), file)
    return notes


def _provisional_application(tree: lxml.html.HtmlElement) -> frozenset[str]:
    heading = tree.xpath('//*[contains(@id, "divMainDecArt")]')
    if not heading or "article 18" not in _text(heading[0]):
        return frozenset()
    names = tree.xpath(
        '//table[contains(@id, "dgDecUnderArticle")]//div[contains(@id, "divParticipant")]'
    )
    return frozenset(_text(n) for n in names)


def _stated_counts(status: str) -> tuple[int | None, int | None]:
    parties = re.search(r"Parties\s*:\s*(\d+)", status)
    signatories = re.search(r"Signatories\s*:\s*(\d+)", status)
    return (
        int(parties[1]) if parties else None,
        int(signatories[1]) if signatories else None,
    )


def _check(page: StatusPage) -> None:
    """Cross-checks that turn a mangled page into an error instead of a short table."""
    file = page.file
    for row in page.participants:
        for n in row.footnotes:
            if n not in page.notes:
                raise InvalidInput(
                    "footnote {n} has no end note", Location(file=file, row=row.row), n=n
                )
        bracketed = row.consent_bracketed or row.signature_bracketed
        has_withdrawal = any(note.kind == "withdrawal" for note in page.notes_for(row))
        if bracketed and not has_withdrawal:
            raise InvalidInput(
                "{name} is shown in brackets (withdrawn) but no withdrawal note says when",
                Location(file=file, row=row.row),
                name=row.name,
            )
    current = sum(1 for r in page.participants if r.consent is not None and not r.consent_bracketed)
    if page.stated_parties is not None and current != page.stated_parties:
        raise InvalidInput(
            "the page states {stated} parties but its table has {current}",
            Location(file=file),
            stated=page.stated_parties,
            current=current,
        )
    signed = sum(
        1 for r in page.participants if r.signature is not None and not r.signature_bracketed
    )
    if page.stated_signatories is not None and signed != page.stated_signatories:
        raise InvalidInput(
            "the page states {stated} signatories but its table has {signed}",
            Location(file=file),
            stated=page.stated_signatories,
            signed=signed,
        )


def parse_status_page(path: str | Path, html: str | bytes | None = None) -> StatusPage:
    """Parse one saved UNTC status page (``html`` if given, else read from ``path``).

    Three rows of the APMBC's page (chapter XXVI-5), with the elements the reader looks for:

    >>> html = '''<form action="./ViewDetails.aspx?src=TREATY&amp;mtdsg_no=XXVI-5&amp;chapter=26">
    ... <div>STATUS AS AT : 03-02-2026 10:16:18 EDT</div>
    ... <div id="rptTreaty_ctl00_tcTreaty">5. Convention on the Prohibition of the Use,
    ... Stockpiling, Production and Transfer of Anti-Personnel Mines and on their Destruction</div>
    ... <div id="rptEIF_ctl00_tcText">1 March 1999, in accordance with article 17(1).</div>
    ... <div id="rptStatus_ctl00_tcText">{counts}</div>
    ... <table id="tblgrid"><tr><td>Participant</td><td>Signature</td>
    ... <td>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</td></tr>
    ... <tr><td>Canada</td><td>3 Dec 1997</td><td>3 Dec 1997</td></tr>
    ... <tr><td>Central African Republic</td><td></td><td>8 Nov 2002 a</td></tr>
    ... <tr><td>Japan</td><td>3 Dec 1997</td><td>30 Sep 1998 A</td></tr></table></form>'''
    >>> page = parse_status_page("ottawa.html", html.format(counts=""))
    >>> page.instrument, page.status_as_at, page.stated_entry_into_force
    (<Instrument.APMBC: 'apmbc'>, datetime.date(2026, 2, 3), datetime.date(1999, 3, 1))
    >>> [(r.name, r.consent, r.consent_type.value) for r in page.participants]
    [('Canada', datetime.date(1997, 12, 3), 'ratification'),
     ('Central African Republic', datetime.date(2002, 11, 8), 'accession'),
     ('Japan', datetime.date(1998, 9, 30), 'acceptance')]

    The real page states 162 parties, so these three rows under its counts are refused:

    >>> parse_status_page("ottawa.html", html.format(counts="Signatories : 132. Parties : 162"))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: ottawa.html: the page states 162 parties but its table has 3
    """
    file = str(path)
    if html is None:
        try:
            html = Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInput(
                "cannot read the page: {strerror}", Location(file=file), strerror=exc.strerror
            ) from None
    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        raise InvalidInput(
            "not an HTML page: {problem}", Location(file=file), problem=exc
        ) from None
    chapter, instrument = _instrument(tree, file)
    as_at = re.search(r"STATUS AS AT\s*:\s*(\d{2})-(\d{2})-(\d{4})", _text(tree))
    if as_at is None:
        raise InvalidInput("no 'STATUS AS AT' date on the page", Location(file=file))
    eif_text = _one(tree, "rptEIF_ctl00_tcText", file, "entry-into-force statement")
    eif_match = re.match(_LONG_DATE, eif_text)
    if eif_match is None:
        raise InvalidInput(
            "unreadable entry into force {eif_text!r}", Location(file=file), eif_text=eif_text
        )
    parties, signatories = _stated_counts(
        _one(tree, "rptStatus_ctl00_tcText", file, "status counts")
    )
    page = StatusPage(
        file=file,
        instrument=instrument,
        chapter=chapter,
        title=_one(tree, "rptTreaty_ctl00_tcTreaty", file, "treaty title"),
        url=STATUS_URL.format(chapter),
        status_as_at=date(int(as_at[3]), int(as_at[2]), int(as_at[1])),
        stated_entry_into_force=_long_date(eif_match[0], Location(file=file)),
        stated_entry_into_force_text=eif_text,
        stated_parties=parties,
        stated_signatories=signatories,
        participants=_participants(tree, file),
        notes=_notes(tree, file),
        provisional_application=_provisional_application(tree),
    )
    _check(page)
    return page
