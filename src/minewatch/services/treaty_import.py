"""Rebuilding the treaty data directory from saved UNTC status pages (:func:`import_pages`):
every page parsed strictly first, then the CSV files written, the curated files copied."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from minewatch.domain.treaty import THRESHOLDS, Instrument, add_months, instrument_entry_into_force
from minewatch.errors import InvalidInput, Location
from minewatch.io.treaty_data import StateNames, read_rows
from minewatch.io.untc import StatusPage, parse_status_page
from minewatch.services.treaty_rows import plain_value

#: Files the importer builds from status pages.
PAGE_FILES = (
    "instruments.csv",
    "participants_{}.csv",
    "withdrawals.csv",
    "communications.csv",
    "notes.csv",
)
#: Curated, sourced files that no status page gives; copied into a user directory on import.
CURATED_FILES = (
    "states.csv",
    "effect_facts.csv",
    "art5_extensions.csv",
    "art5_completions.csv",
    "art5_mined_areas.csv",
    "armed_conflict.csv",
    "communications_extra.csv",
    "stockpiles.csv",
    "groups.csv",
    "us_policy.toml",
    "README.md",
)

PARTICIPANT_COLUMNS = (
    "instrument",
    "state",
    "iso3",
    "signature",
    "signature_bracketed",
    "consent",
    "consent_type",
    "consent_bracketed",
    "footnotes",
    "provisional_application",
    "source",
    "source_url",
    "status_as_at",
)
WITHDRAWAL_COLUMNS = (
    "instrument",
    "state",
    "iso3",
    "received",
    "notification",
    "notification_date",
    "stated_effective",
    "took_effect",
    "basis",
    "stated_condition",
    "computed_effective",
    "end_note",
    "source",
    "source_url",
    "status_as_at",
)
COMMUNICATION_COLUMNS = (
    "instrument",
    "state",
    "iso3",
    "received",
    "notification",
    "notification_date",
    "kind",
    "summary",
    "end_note",
    "source",
    "source_url",
    "status_as_at",
)
NOTE_COLUMNS = ("instrument", "state", "end_note", "text", "source", "source_url", "status_as_at")
INSTRUMENT_COLUMNS = (
    "instrument",
    "chapter",
    "title",
    "stated_entry_into_force",
    "stated_entry_into_force_text",
    "computed_entry_into_force",
    "threshold_deposit",
    "stated_parties",
    "stated_signatories",
    "participants",
    "note",
    "source",
    "source_url",
    "status_as_at",
)


@dataclass
class ImportReport:
    """What an import wrote and what it could not match.

    Examples
    --------
    A synthetic page laid out as the depositary's, with forty invented participants (the
    convention's entry into force needs forty deposits):

    >>> rows = "".join(f"<tr><td>Synthetica {i}</td><td></td><td>{i % 28 + 1} Feb 1998 a</td></tr>"
    ...                for i in range(1, 41))
    >>> page = tmp / "ottawa.html"
    >>> _ = page.write_text(f'''<form action="./ViewDetails.aspx?src=TREATY&amp;mtdsg_no=XXVI-5">
    ... <div>STATUS AS AT : 03-02-2026 10:16:18 EDT</div>
    ... <div id="rptTreaty_ctl00_tcTreaty">5. Convention on the Prohibition of the Use,
    ... Stockpiling, Production and Transfer of Anti-Personnel Mines and on their Destruction</div>
    ... <div id="rptEIF_ctl00_tcText">1 March 1999, in accordance with article 17(1).</div>
    ... <div id="rptStatus_ctl00_tcText"></div>
    ... <table id="tblgrid"><tr><td>Participant</td><td>Signature</td>
    ... <td>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</td></tr>
    ... {rows}</table></form>''')
    >>> report = import_pages([page], tmp / "treaties")
    >>> report.participants, report.status_as_at, report.unmatched_names[:2]
    ({'apmbc': 40}, {'apmbc': '2026-02-03'}, ['apmbc: Synthetica 1', 'apmbc: Synthetica 2'])
    """

    out_dir: Path
    files: list[str] = field(default_factory=list)
    participants: dict[str, int] = field(default_factory=dict)
    status_as_at: dict[str, str] = field(default_factory=dict)
    unmatched_names: list[str] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)


def _write(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: plain_value(row.get(k)) for k in columns})


def _page_rows(
    page: StatusPage, names: StateNames, report: ImportReport
) -> dict[str, list[dict[str, Any]]]:
    common = {
        "instrument": page.instrument.value,
        "source": page.source,
        "source_url": page.url,
        "status_as_at": page.status_as_at,
    }
    deposits = [
        (r.consent, r.consent_type) for r in page.participants if r.consent and r.consent_type
    ]
    try:
        eif = instrument_entry_into_force(page.instrument, deposits)
    except ValueError as exc:  # too few deposits: not a whole status page
        raise InvalidInput(
            f"{exc}: the page lists fewer deposits than brought the instrument into force; "
            "save the whole status page from the UN Treaty Collection"
        ) from None
    if eif.date != page.stated_entry_into_force:
        # The depositary's statement is the fact the monitor follows; the difference is kept.
        report.discrepancies.append(
            f"{page.instrument.value}: the {THRESHOLDS[page.instrument]}th instrument in the list "
            f"is dated {eif.threshold_deposit}, giving {eif.date}; the depositary states "
            f"{page.stated_entry_into_force} ({page.stated_entry_into_force_text}); "
            "the stated date is used"
        )
    out: dict[str, list[dict[str, Any]]] = {
        "participants": [],
        "withdrawals": [],
        "communications": [],
        "notes": [],
    }
    out["instruments"] = [
        {
            **common,
            "chapter": page.chapter,
            "title": page.title,
            "stated_entry_into_force": page.stated_entry_into_force,
            "stated_entry_into_force_text": page.stated_entry_into_force_text,
            "computed_entry_into_force": eif.date,
            "threshold_deposit": eif.threshold_deposit,
            "stated_parties": page.stated_parties,
            "stated_signatories": page.stated_signatories,
            "participants": len(page.participants),
            "note": report.discrepancies[-1] if eif.date != page.stated_entry_into_force else "",
        }
    ]
    for row in page.participants:
        iso3 = names.iso3.get(row.name, "")
        if not iso3:
            report.unmatched_names.append(f"{page.instrument.value}: {row.name}")
        state = {"state": row.name, "iso3": iso3}
        out["participants"].append(
            {
                **common,
                **state,
                "signature": row.signature,
                "signature_bracketed": row.signature_bracketed,
                "consent": row.consent,
                "consent_type": row.consent_type.value if row.consent_type else "",
                "consent_bracketed": row.consent_bracketed,
                "footnotes": " ".join(str(n) for n in row.footnotes),
                "provisional_application": row.name in page.provisional_application,
            }
        )
        for note in page.notes_for(row):
            base = {**common, **state, "end_note": note.number}
            if note.kind == "withdrawal":
                computed = _computed_withdrawal(page.instrument, note.received)
                out["withdrawals"].append(
                    {
                        **base,
                        "received": note.received,
                        "notification": note.notification,
                        "notification_date": note.notification_date,
                        "stated_effective": note.effective,
                        "took_effect": note.took_effect,
                        "basis": note.basis,
                        "stated_condition": note.condition,
                        "computed_effective": computed,
                    }
                )
            elif note.kind == "communication":
                out["communications"].append(
                    {
                        **base,
                        "received": note.received,
                        "notification": note.notification,
                        "notification_date": note.notification_date,
                        "kind": "communication",
                        "summary": note.text,
                    }
                )
            else:
                out["notes"].append({**base, "text": note.text})
    return out


def _computed_withdrawal(instrument: Instrument, received: date | None) -> date | None:
    if received is None:
        return None
    months = 6 if instrument is Instrument.APMBC else 12
    return add_months(received, months)


def import_pages(pages: Sequence[str | Path], out_dir: str | Path) -> ImportReport:
    """Rebuild the treaty data in ``out_dir`` from saved UNTC status pages.

    Every page is parsed strictly (see :mod:`minewatch.io.untc`) before anything is written;
    the curated files (state names, successions' dates of effect, Art. 5 extensions,
    armed-conflict inputs, policy) are copied from the shipped data unless ``out_dir`` already
    has its own. Instruments with no page given keep their shipped rows.

    Examples
    --------
    A synthetic page laid out as the depositary's, with forty invented participants (the
    convention's entry into force needs forty deposits):

    >>> rows = "".join(f"<tr><td>Synthetica {i}</td><td></td><td>{i % 28 + 1} Feb 1998 a</td></tr>"
    ...                for i in range(1, 41))
    >>> page = tmp / "ottawa.html"
    >>> _ = page.write_text(f'''<form action="./ViewDetails.aspx?src=TREATY&amp;mtdsg_no=XXVI-5">
    ... <div>STATUS AS AT : 03-02-2026 10:16:18 EDT</div>
    ... <div id="rptTreaty_ctl00_tcTreaty">5. Convention on the Prohibition of the Use,
    ... Stockpiling, Production and Transfer of Anti-Personnel Mines and on their Destruction</div>
    ... <div id="rptEIF_ctl00_tcText">1 March 1999, in accordance with article 17(1).</div>
    ... <div id="rptStatus_ctl00_tcText"></div>
    ... <table id="tblgrid"><tr><td>Participant</td><td>Signature</td>
    ... <td>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</td></tr>
    ... {rows}</table></form>''')
    >>> report = import_pages([page], tmp / "treaties")
    >>> print((tmp / "treaties" / "participants_apmbc.csv").read_text().splitlines()[1][:70])
    apmbc,Synthetica 1,,,false,1998-02-02,accession,false,,false,"UN Treat
    >>> "participants_ccw-ap2.csv" in report.files   # no page given: the shipped rows stay
    True

    A page saved in part (two participants) is refused, naming the file, and nothing is
    written:

    >>> partial = tmp / "partial.html"
    >>> _ = partial.write_text(page.read_text().replace(rows, rows[: rows.index("Synthetica 3")
    ...                        - len("<tr><td>")]))
    >>> import_pages([partial], tmp / "elsewhere")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: .../partial.html: apmbc: only 2 instruments, 40 needed: ...
    >>> (tmp / "elsewhere").exists()
    False
    """
    out = Path(out_dir)
    shipped = resources.files("minewatch.data") / "treaties"
    names = StateNames.from_rows(
        read_rows(shipped if not (out / "states.csv").is_file() else out, "states.csv")
    )
    report = ImportReport(out)
    parsed = [parse_status_page(p) for p in pages]
    seen = [p.instrument for p in parsed]
    if len(set(seen)) != len(seen):
        raise InvalidInput(
            "two pages for the same treaty given", Location(file=", ".join(str(p) for p in pages))
        )
    built = {}  # every page checked before anything is written
    for path, page in zip(pages, parsed, strict=True):
        try:
            built[page.instrument] = _page_rows(page, names, report)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, Location(file=str(path))) from None
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict[str, Any]]] = {
        "instruments": [],
        "withdrawals": [],
        "communications": [],
        "notes": [],
    }
    for instrument in Instrument:
        rows = built.get(instrument)
        if rows is None:
            _keep_shipped(instrument, shipped, out, tables)
            continue
        _write(
            out / f"participants_{instrument.value}.csv", PARTICIPANT_COLUMNS, rows["participants"]
        )
        report.participants[instrument.value] = len(rows["participants"])
        report.status_as_at[instrument.value] = str(rows["instruments"][0]["status_as_at"])
        for key in tables:
            tables[key] += rows[key]
    _write(out / "instruments.csv", INSTRUMENT_COLUMNS, tables["instruments"])
    _write(out / "withdrawals.csv", WITHDRAWAL_COLUMNS, tables["withdrawals"])
    _write(out / "communications.csv", COMMUNICATION_COLUMNS, tables["communications"])
    _write(out / "notes.csv", NOTE_COLUMNS, tables["notes"])
    for name in CURATED_FILES:
        target = out / name
        if not target.exists() and (shipped / name).is_file():
            target.write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    report.files = sorted(p.name for p in out.iterdir())
    return report


def _keep_shipped(
    instrument: Instrument, shipped: Traversable, out: Path, tables: dict[str, list[dict[str, Any]]]
) -> None:
    """An instrument no page was given for keeps the rows ``out`` already has (a directory
    being updated), else the shipped ones; the tables are rewritten after this reads them."""
    name = f"participants_{instrument.value}.csv"
    has_own = (out / name).exists()
    if not has_own:
        with resources.as_file(shipped / name) as src:
            shutil.copyfile(src, out / name)
    for key in tables:
        own = out / f"{key}.csv"
        origin: Traversable = out if has_own and own.is_file() else shipped
        tables[key] += [
            r for r in read_rows(origin, f"{key}.csv") if r["instrument"] == instrument.value
        ]
