"""The treaty monitor's answers as flat rows (statuses, deadlines, policy versions and their
differences), the citation of a provision, and rows exported as CSV or JSON text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from minewatch.domain.cells import safe_record
from minewatch.domain.policy import DIMENSIONS, PolicyRecord, PolicyVersion
from minewatch.domain.treaty import Article, Status
from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.io.treaty_data import StateNames

if TYPE_CHECKING:
    from minewatch.services.treaty import Deadline


def plain_value(value: Any) -> Any:
    """A value as an exported cell: blank for None, ``true``/``false``, ISO dates.

    Examples
    --------
    >>> [plain_value(v) for v in (None, True, date(1999, 3, 1), 162)]
    ['', 'true', '1999-03-01', 162]
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return value


def cite(provision: Article) -> str:
    """How a provision is cited: ``Art. 20(3)`` (APMBC), ``CCW Art. 9(2)``.

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument, article
    >>> cite(article(Instrument.APMBC, "20(3)")), cite(article(Instrument.CCW_AP2, "CCW 9(2)"))
    ('Art. 20(3)', 'CCW Art. 9(2)')
    """
    if provision.ref.startswith("CCW "):
        return "CCW Art. " + provision.ref.removeprefix("CCW ")
    return f"Art. {provision.ref}"


def article_dict(provision: Article) -> dict[str, str]:
    """A quoted provision with its citation and where the quotation comes from.

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument, article
    >>> provision = article_dict(article(Instrument.APMBC, "4"))
    >>> provision["cite"], provision["text"][:60]
    ('Art. 4', 'Except as provided for in Article 3, each State Party undert')
    """
    return {
        "instrument": provision.instrument.value,
        "cite": cite(provision),
        "text": provision.text,
        "source": provision.source,
    }


def status_row(
    status: Status, names: StateNames | None = None, locale: str | None = None
) -> dict[str, Any]:
    """A status as a flat, exportable row; its ``label`` (the status in words) in
    ``locale``, English by default (codes stay codes in every language).

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument
    >>> from minewatch.services.treaty import TreatyMonitor
    >>> monitor = TreatyMonitor.shipped()
    >>> status = monitor.status("Canada", Instrument.APMBC, date(2020, 1, 1))
    >>> row = status_row(status, monitor.names)
    >>> {k: row[k] for k in ("state", "iso3", "status", "entry_into_force")}
    {'state': 'Canada', 'iso3': 'CAN', 'status': 'bound', 'entry_into_force': datetime.date(1999, 3,
     1)}
    >>> status_row(status, monitor.names, "uk")["label"]
    'Зобов’язана'
    """
    from minewatch.vocabulary import render

    return {
        "state": status.state,
        "iso3": names.iso3.get(status.state, "") if names else "",
        "instrument": status.instrument.value,
        "on": status.on,
        "status": status.kind.value,
        "label": render(status.description, locale) if locale else status.label,
        "entry_into_force": status.entry_into_force,
        "withdrawal_effective": status.withdrawal_effective,
        "withdrawal_condition": status.condition.value if status.condition else "",
        "communication_on_record": status.communication_on_record,
        "communications": "; ".join(
            f"{c.notification or c.kind} ({c.received})" for c in status.communications
        ),
        "data_status_as_at": status.data_as_at,
        "projected": status.projected,
    }


def deadline_row(deadline: Deadline, locale: str | None = None) -> dict[str, Any]:
    """A deadline as a flat row, with the text of the provision it comes from (quoted, as
    the treaty states it) and its basis in ``locale`` (English by default).

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument
    >>> from minewatch.services.treaty import TreatyMonitor
    >>> monitor = TreatyMonitor.shipped()
    >>> due = next(d for d in monitor.deadlines(date(2025, 1, 1), days=365, state="Canada"))
    >>> row = deadline_row(due)
    >>> row["kind"], row["due"], row["article"]
    ('annual transparency report due', datetime.date(2025, 4, 30), 'Art. 7(2)')
    >>> deadline_row(due, "fr")["basis"][:40]
    'mise à jour couvrant 2024, due une fois '
    """
    from minewatch.vocabulary import render

    return {
        "state": deadline.state,
        "instrument": deadline.instrument.value,
        "kind": deadline.kind,
        "due": deadline.due,
        "article": deadline.article,
        "basis": render(deadline.reason, locale) if locale else deadline.basis,
        "article_text": deadline.provision.text if deadline.provision else "",
    }


def policy_version_rows(record: PolicyRecord) -> list[dict[str, Any]]:
    """The versions of a policy record, oldest first, each with its sources.

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument
    >>> from minewatch.services.treaty import TreatyMonitor
    >>> monitor = TreatyMonitor.shipped()
    >>> [(row["version"], row["effective"], row["kind"])
    ...  for row in policy_version_rows(monitor.policy("us"))]
    [('us-2014-06', datetime.date(2014, 6, 27), 'replaces'), ('us-2014-09', datetime.date(2014, 9,
     23), 'amends'), ('us-2020-01', datetime.date(2020, 1, 31), 'replaces'), ('us-2022-06',
     datetime.date(2022, 6, 21), 'replaces'), ('us-2024-11', datetime.date(2024, 11, 20), 'amends'),
     ('us-2025-12', datetime.date(2025, 12, 2), 'replaces')]
    """
    return [
        {
            "version": v.id,
            "effective": v.effective,
            "announced": v.announced,
            "kind": v.kind.value,
            "title": v.title,
            "sources": "; ".join(v.sources),
            "note": v.note,
            "unverified_claims": "; ".join(v.unverified_claims),
        }
        for v in record.versions
    ]


def policy_version_on(record: PolicyRecord, day: date) -> PolicyVersion:
    """The version in force on ``day``; InvalidInput before the first version on record.

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument
    >>> from minewatch.services.treaty import TreatyMonitor
    >>> monitor = TreatyMonitor.shipped()
    >>> policy_version_on(monitor.policy("us"), date(2023, 1, 1)).id
    'us-2022-06'
    >>> policy_version_on(monitor.policy("us"), date(1900, 1, 1))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field on: no policy version on record on or before 1900-01-01
    """
    current = record.as_of(day)
    if current is None:
        raise InvalidInput(
            "no policy version on record on or before {day}", Location(field="on"), day=day
        )
    return current


def _version(record: PolicyRecord, version_id: str, field: str | None = None) -> PolicyVersion:
    """The version ``version_id``: NotFound when it was asked for as such, InvalidInput
    naming ``field`` when it was a parameter of another question (a diff)."""
    try:
        return record.version(version_id)
    except KeyError as exc:
        if field is None:
            raise NotFound(str(exc.args[0])) from None
        raise InvalidInput(str(exc.args[0]), Location(field=field)) from None


def policy_rows(record: PolicyRecord, version_id: str) -> list[dict[str, Any]]:
    """A resolved policy version as rows, one per dimension (NotFound for an unknown id).

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument
    >>> from minewatch.services.treaty import TreatyMonitor
    >>> monitor = TreatyMonitor.shipped()
    >>> record = monitor.policy("us")
    >>> rows = policy_rows(record, record.versions[-1].id)
    >>> [(row["dimension"], row["status"]) for row in rows][:3]
    [('use_geographic_scope', 'secondary'), ('use_authority', 'secondary'), ('persistence',
     'unconfirmed')]
    """
    version = _version(record, version_id)
    return [
        {
            "state": record.state,
            "version": version.id,
            "effective": version.effective,
            "dimension": d,
            "covers": DIMENSIONS[d],
            "value": r.provision.value or "",
            "status": r.provision.status.value,
            "stated_in": r.stated_in or "",
            "sources": "; ".join(r.provision.sources),
            "note": r.provision.note,
        }
        for d, r in record.resolve(version_id).items()
    ]


def policy_diff_rows(record: PolicyRecord, before: str, after: str) -> list[dict[str, Any]]:
    """Two versions compared dimension by dimension (InvalidInput for an unknown id).

    Examples
    --------
    >>> from minewatch.domain.treaty import Instrument
    >>> from minewatch.services.treaty import TreatyMonitor
    >>> monitor = TreatyMonitor.shipped()
    >>> record = monitor.policy("us")
    >>> first, last = record.versions[0].id, record.versions[-1].id
    >>> [(row["dimension"], row["change"]) for row in policy_diff_rows(record, first, last)][:3]
    [('use_geographic_scope', 'now stated'), ('use_authority', 'now stated'), ('persistence',
     'unchanged')]
    >>> policy_diff_rows(record, first, "v99")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field after: no version 'v99' (known: us-2014-06, us-2014-09,
     us-2020-01, us-2022-06, us-2024-11, us-2025-12)
    """
    _version(record, before, "before")
    _version(record, after, "after")
    return [
        {
            "dimension": c.dimension,
            "covers": DIMENSIONS[c.dimension],
            "change": c.change,
            "before": c.before.provision.value or f"({c.before.provision.status.value})",
            "before_status": c.before.provision.status.value,
            "before_sources": "; ".join(c.before.provision.sources),
            "after": c.after.provision.value or f"({c.after.provision.status.value})",
            "after_status": c.after.provision.status.value,
            "after_sources": "; ".join(c.after.provision.sources),
        }
        for c in record.diff(before, after)
    ]


def export(rows: Sequence[Mapping[str, Any]], fmt: str) -> str:
    """Rows as CSV or JSON text (dates as ISO 8601).

    Examples
    --------
    >>> rows = [{"state": "=cmd", "on": date(2020, 1, 1), "projected": False}]
    >>> print(export(rows, "csv"))
    state,on,projected
    '=cmd,2020-01-01,false
    <BLANKLINE>
    >>> print(export(rows, "json"))
    [
      {
        "state": "=cmd",
        "on": "2020-01-01",
        "projected": false
      }
    ]
    <BLANKLINE>
    >>> export(rows, "xml")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field format: unknown export format 'xml' (use csv or json)
    """
    plain = [
        {k: plain_value(v) if not isinstance(v, bool) else v for k, v in r.items()} for r in rows
    ]
    if fmt == "json":
        return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        columns = list(rows[0].keys()) if rows else []
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writerow(safe_record({c: c for c in columns}))
        for r in rows:
            writer.writerow(safe_record({k: plain_value(v) for k, v in r.items()}))
        return buffer.getvalue()
    raise InvalidInput(
        "unknown export format {fmt!r} (use csv or json)", Location(field="format"), fmt=fmt
    )
