"""What an actor may see of records and reports: the one place personal data is filtered.

Every output (HTTP API, OGC API Features, exports) passes records and reports through
:func:`disclose_records` / :func:`disclose_reports`. Actors without the personal-data grant
get them with every personal field blanked (:func:`minewatch.domain.records.redact`); actors
with it get them whole, and each such read is written to the audit log. Kinds that are about
people (victims) are not public at all.

>>> from minewatch.domain.access import PUBLIC
>>> from minewatch.domain.records import Victim
>>> [v] = disclose_records(PUBLIC, [Victim(code="VIC-1", name="A. Person")], audit=None,
...                        check_kind=False)
>>> v.name is None
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from minewatch.domain.access import Actor, Role, can_view_personal_data
from minewatch.domain.records import Kind, Record, personal_fields, record_type, redact
from minewatch.domain.reports import Report
from minewatch.errors import NotFound

#: Kinds about people: only signed-in staff list them, even with personal fields blanked,
#: because age, sex and place can identify a victim in a small community.
INTERNAL_KINDS = frozenset(k for k in Kind if personal_fields(record_type(k)))

#: Writes one audit entry: (actor, action, target, detail).
AuditFn = Callable[..., None]


def check_kind_visible(actor: Actor, kind: Kind) -> None:
    """NotFound (not "forbidden", which would confirm the data exists) for internal kinds."""
    if kind in INTERNAL_KINDS and actor.role is Role.PUBLIC:
        raise NotFound(f"no collection {kind.value}")


def publishable_kinds() -> list[Kind]:
    """Kinds that may appear in public outputs (OGC API Features, public exports)."""
    return [k for k in Kind if k not in INTERNAL_KINDS]


def disclose_records(
    actor: Actor,
    records: Sequence[Record],
    audit: AuditFn | None,
    *,
    check_kind: bool = True,
) -> list[Record]:
    """The records as ``actor`` may see them; reads of personal data are audited."""
    if not records:
        return []
    kind = records[0].kind
    if check_kind:
        check_kind_visible(actor, kind)
    hidden = personal_fields(type(records[0]))
    if not hidden:
        return list(records)
    if not can_view_personal_data(actor):
        return [redact(r) for r in records]
    shown = [r.code for r in records if any(getattr(r, f) is not None for f in hidden)]
    if shown and audit is not None:
        audit(actor, "read_personal_data", f"{kind.value}", codes=shown)
    return list(records)


def _personal_keys(report: Report) -> frozenset[str]:
    return personal_fields(record_type(report.kind))


def disclose_reports(
    actor: Actor, reports: Sequence[Report], audit: AuditFn | None
) -> list[Report]:
    """Reports as ``actor`` may see them: personal values in their changes blanked unless
    granted; reads of those values are audited."""
    out: list[Report] = []
    shown: list[str] = []
    allowed = can_view_personal_data(actor)
    for report in reports:
        present = [k for k in _personal_keys(report) if report.changes.get(k) is not None]
        if not present:
            out.append(report)
        elif allowed:
            shown.append(report.code or str(report.id))
            out.append(report)
        else:
            changes = {**report.changes, **dict.fromkeys(present)}
            out.append(dataclasses.replace(report, changes=changes))
    if shown and audit is not None:
        audit(actor, "read_personal_data", "report", codes=shown)
    return out


def keep_hidden_values(actor: Actor, stored: Report, changes: Mapping[str, Any]) -> dict[str, Any]:
    """An edit's new changes with the personal values the editor could not see carried over,
    so that saving a form with blanked fields never erases what it did not show."""
    if can_view_personal_data(actor):
        return dict(changes)
    kept = {k: stored.changes[k] for k in _personal_keys(stored) if k in stored.changes}
    return {**{k: v for k, v in changes.items() if k not in kept}, **kept}
