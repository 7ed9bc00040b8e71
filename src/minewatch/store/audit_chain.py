"""The audit log's hash chain: each entry carries the SHA-256 of the one before it.

An entry's hash covers its position in the chain (``seq``, 1, 2, 3…), its time, actor,
action, target and detail, and the previous entry's hash, in one canonical text (a compact
JSON array, keys sorted, UTF-8). Changing, removing or reordering any entry therefore breaks
the link to every entry after it, and :func:`verify_chain` names the first entry where that
happens. The chain proves nothing about the last entries unless their hash is kept somewhere
else: a removed tail leaves a shorter, valid chain (see docs/security.md, "The audit chain").

The database enforces the links as entries go in (migration 0003: ``seq`` is unique and
must follow the last entry's, ``prev_hash`` must be the last entry's hash), so two writers
can never fork the chain; writers also serialise their appends (see
:meth:`minewatch.store.accounts.AccountStore.append_audit`) so that neither has to retry.

>>> from datetime import datetime, UTC
>>> at = datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
>>> canonical(1, at, "ines", "login", "user:ines", {}, GENESIS)[:63]
'[1,"2024-01-02T03:04:05.000006Z","ines","login","user:ines",{},'
>>> len(entry_hash(1, at, "ines", "login", "user:ines", {}, GENESIS))
64
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64


def utc_text(at: datetime) -> str:
    """The time as the chain writes it: UTC, microseconds, ``Z`` (naive times are UTC, as
    everything the store keeps is)."""
    naive = at if at.tzinfo is None else at.astimezone(UTC).replace(tzinfo=None)
    return naive.isoformat(timespec="microseconds") + "Z"


def detail_text(detail: Any) -> str:
    """The detail as canonical JSON (sorted keys, no spaces, UTF-8 as is)."""
    return json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_encode = json.JSONEncoder(ensure_ascii=False).encode


@functools.lru_cache(maxsize=256)  # actors and actions repeat: a batch names a few
def _name(value: str) -> str:
    return _encode(value)


def canonical(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str | None,
    detail: Any,
    prev_hash: str,
    *,
    detail_json: str | None = None,
) -> str:
    """The text an entry's hash is taken of. ``detail_json``, when given, is
    :func:`detail_text` of ``detail`` already (a batch of entries shares one detail)."""
    shown = detail_text(detail) if detail_json is None else detail_json
    return (
        f'[{int(seq)},"{utc_text(at)}",{_name(actor)},{_name(action)},'
        f"{_encode(target)},{shown},{_encode(prev_hash)}]"
    )


def entry_hash(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str | None,
    detail: Any,
    prev_hash: str,
    *,
    detail_json: str | None = None,
) -> str:
    """The SHA-256 (hex) of :func:`canonical`."""
    text = canonical(seq, at, actor, action, target, detail, prev_hash, detail_json=detail_json)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ChainedEntry:
    """An audit entry as stored, with its place in the chain."""

    fid: int
    seq: int | None
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: Any
    prev_hash: str | None
    entry_hash: str | None


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain breaks: the entry (its ``fid``, the id the API and pages show, and
    ``seq``, its position) and what is wrong there."""

    fid: int | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        if self.fid is None:
            return self.problem
        where = "outside the chain" if self.seq is None else f"position {self.seq}"
        return f"audit entry {self.fid} ({where}): {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    """The outcome of :func:`verify_chain`: how many entries were checked, the last hash
    (keep it elsewhere to detect a removed tail later) and the problems found."""

    entries: int
    head: str
    problems: list[ChainProblem]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(
    entries: Iterable[ChainedEntry], *, max_problems: int = 100, expect_head: str | None = None
) -> ChainReport:
    """Check entries given in ``seq`` order: positions 1, 2, 3… without gaps, each linked to
    the previous hash, each hash matching its content, and ids rising with positions (an
    entry moved elsewhere in the chain would carry another position). ``expect_head``: a
    hash recorded earlier, which must still be in the chain (else its tail was cut).

    >>> at = datetime(2024, 1, 1, tzinfo=UTC)
    >>> h1 = entry_hash(1, at, "a", "x", None, {}, GENESIS)
    >>> first = ChainedEntry(1, 1, at, "a", "x", None, {}, GENESIS, h1)
    >>> verify_chain([first]).intact
    True
    >>> changed = ChainedEntry(1, 1, at, "b", "x", None, {}, GENESIS, h1)
    >>> str(verify_chain([changed]).problems[0])
    'audit entry 1 (position 1): its content or position does not match its hash (changed or moved)'
    """
    problems: list[ChainProblem] = []
    prev_hash, prev_seq, prev_fid, count = GENESIS, 0, 0, 0
    seen_expected = expect_head is None
    for e in entries:
        count += 1
        problems.extend(_check_entry(e, prev_hash, prev_seq, prev_fid))
        if len(problems) >= max_problems:
            break
        if e.seq is None or e.entry_hash is None:
            continue  # outside the chain: the entries around it are checked against each other
        seen_expected = seen_expected or e.entry_hash == expect_head
        prev_hash, prev_seq, prev_fid = e.entry_hash, e.seq, e.fid
    if not seen_expected and len(problems) < max_problems:
        cut = f"the recorded hash {expect_head} is not in the chain: entries after it were "
        problems.append(ChainProblem(None, None, cut + "removed or the chain was rewritten"))
    return ChainReport(count, prev_hash if count else GENESIS, problems)


def _check_entry(
    e: ChainedEntry, prev_hash: str, prev_seq: int, prev_fid: int
) -> list[ChainProblem]:
    def problem(text: str) -> ChainProblem:
        return ChainProblem(e.fid, e.seq, text)

    if e.seq is None or e.entry_hash is None or e.prev_hash is None:
        return [problem("it has no place in the chain (inserted around the log's checks)")]
    found = []
    if e.seq <= prev_seq:
        found.append(problem("its position repeats an earlier one"))
    elif e.seq > prev_seq + 1:
        one = e.seq == prev_seq + 2
        gap = f"position {prev_seq + 1} is" if one else f"positions {prev_seq + 1}–{e.seq - 1} are"
        found.append(problem(f"{gap} missing before it (removed)"))
    elif e.prev_hash != prev_hash:
        found.append(problem("it does not link to the entry before it (removed or reordered)"))
    if e.fid <= prev_fid:
        found.append(problem("its id is out of order (moved)"))
    expected = entry_hash(e.seq, e.at, e.actor, e.action, e.target, e.detail, e.prev_hash)
    if expected != e.entry_hash:
        found.append(problem("its content or position does not match its hash (changed or moved)"))
    return found
