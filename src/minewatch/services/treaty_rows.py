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
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return value


def cite(provision: Article) -> str:
    """How a provision is cited: ``Art. 20(3)`` (APMBC), ``CCW Art. 9(2)``."""
    if provision.ref.startswith("CCW "):
        return "CCW Art. " + provision.ref.removeprefix("CCW ")
    return f"Art. {provision.ref}"


def article_dict(provision: Article) -> dict[str, str]:
    """A quoted provision with its citation and where the quotation comes from."""
    return {
        "instrument": provision.instrument.value,
        "cite": cite(provision),
        "text": provision.text,
        "source": provision.source,
    }


def status_row(status: Status, names: StateNames | None = None) -> dict[str, Any]:
    """A status as a flat, exportable row."""
    return {
        "state": status.state,
        "iso3": names.iso3.get(status.state, "") if names else "",
        "instrument": status.instrument.value,
        "on": status.on,
        "status": status.kind.value,
        "label": status.label,
        "entry_into_force": status.entry_into_force,
        "withdrawal_effective": status.withdrawal_effective,
        "withdrawal_condition": status.condition.value if status.condition else "",
        "communication_on_record": status.communication_on_record,
        "communications": "; ".join(
            f"{c.notification} ({c.received})" for c in status.communications
        ),
        "data_status_as_at": status.data_as_at,
        "projected": status.projected,
    }


def deadline_row(deadline: Deadline) -> dict[str, Any]:
    """A deadline as a flat row, with the text of the provision it comes from."""
    return {
        "state": deadline.state,
        "instrument": deadline.instrument.value,
        "kind": deadline.kind,
        "due": deadline.due,
        "article": deadline.article,
        "basis": deadline.basis,
        "article_text": deadline.provision.text if deadline.provision else "",
    }


def policy_version_rows(record: PolicyRecord) -> list[dict[str, Any]]:
    """The versions of a policy record, oldest first, each with its sources."""
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
    """The version in force on ``day``; InvalidInput before the first version on record."""
    current = record.as_of(day)
    if current is None:
        raise InvalidInput(f"no policy version on record on or before {day}", Location(field="on"))
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
    """A resolved policy version as rows, one per dimension (NotFound for an unknown id)."""
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
    """Two versions compared dimension by dimension (InvalidInput for an unknown id)."""
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
    """Rows as CSV or JSON text (dates as ISO 8601)."""
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
    raise InvalidInput(f"unknown export format {fmt!r} (use csv or json)", Location(field="format"))
