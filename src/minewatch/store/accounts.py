"""Storage of users, API tokens, browser sessions and the audit log, on both backends.

A small companion to :class:`minewatch.store.sql.SqlRepository`: it shares the repository's
engine and transactions, so an audit entry lands in the same transaction as the change it
records. It stores only digests of secrets (see :mod:`minewatch.services.accounts`, which
hashes them) and offers no way to change or delete audit entries: the database refuses that
too (migration 0002).

>>> from minewatch.store import open_store
>>> accounts = AccountStore(open_store(str(tmp / "demo.gpkg"), create=True))
>>> accounts.get_user("amina") is None
True
>>> accounts.list_audit()
[]
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from minewatch.errors import Conflict, NotFound
from minewatch.store import audit_chain
from minewatch.store.account_base import (
    AccountRepository,
    AuditEntry,
    SessionRow,
    TokenRow,
    UserRow,
)
from minewatch.store.sql import SqlRepository

__all__ = ["AccountStore", "AuditEntry", "SessionRow", "TokenRow", "UserRow"]
from minewatch.store.tables import account_table


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class AccountStore(AccountRepository):
    """Users, tokens, sessions and audit entries in the SQL store at ``repo``."""

    def __init__(self, repo: SqlRepository) -> None:
        self.repo = repo
        dialect = repo.dialect
        self.users = account_table(dialect, "app_user")
        self.tokens = account_table(dialect, "api_token")
        self.sessions = account_table(dialect, "user_session")
        self.audit = account_table(dialect, "audit_log")

    def _execute(self, stmt: sa.Executable) -> sa.CursorResult[Any]:
        with self.repo.transaction(), self.repo._connection() as conn:
            return conn.execute(stmt)

    def _read(self, stmt: sa.Select[Any]) -> list[sa.Row[Any]]:
        with self.repo._connection() as conn:
            return list(conn.execute(stmt))

    # -- users ----------------------------------------------------------------------------
    def add_user(self, user: UserRow) -> None:
        if self.get_user(user.username) is not None:
            raise Conflict(f"there is already a user {user.username!r}")
        self._execute(sa.insert(self.users).values(**user.__dict__))

    def get_user(self, username: str) -> UserRow | None:
        rows = self._read(self._user_select().where(self.users.c.username == username))
        return _user(rows[0]) if rows else None

    def _user_select(self) -> sa.Select[Any]:
        return sa.select(*[self.users.c[n] for n in UserRow.__dataclass_fields__])

    def list_users(self) -> list[UserRow]:
        return [_user(r) for r in self._read(self._user_select().order_by(self.users.c.username))]

    def update_user(self, username: str, **values: Any) -> None:
        stmt = sa.update(self.users).where(self.users.c.username == username).values(**values)
        if self._execute(stmt).rowcount != 1:
            raise NotFound("no user {name!r}", name=username)

    def count_active_admins(self) -> int:
        stmt = sa.select(sa.func.count()).where(
            self.users.c.role == "admin", self.users.c.active.is_(True)
        )
        return int(self._read(stmt)[0][0])

    # -- API tokens -----------------------------------------------------------------------
    def add_token(
        self, token_hash: str, username: str, label: str | None, expires_at: datetime | None
    ) -> int:
        stmt = (
            sa.insert(self.tokens)
            .values(
                token_hash=token_hash,
                username=username,
                label=label,
                created_at=datetime.now(UTC),
                expires_at=expires_at,
            )
            .returning(self.tokens.c.fid)
        )
        return int(self._execute(stmt).scalar_one())

    def _token_select(self) -> sa.Select[Any]:
        t = self.tokens
        return sa.select(
            t.c.fid, t.c.token_hash, t.c.username, t.c.label,
            t.c.created_at, t.c.expires_at, t.c.revoked_at,
        )  # fmt: skip

    def find_token(self, token_hash: str) -> TokenRow | None:
        rows = self._read(self._token_select().where(self.tokens.c.token_hash == token_hash))
        return _token(rows[0]) if rows else None

    def list_tokens(self, username: str) -> list[TokenRow]:
        stmt = self._token_select().where(self.tokens.c.username == username)
        return [_token(r) for r in self._read(stmt.order_by(self.tokens.c.fid))]

    def revoke_token(self, token_id: int, username: str) -> None:
        t = self.tokens
        stmt = (
            sa.update(t)
            .where(t.c.fid == token_id, t.c.username == username, t.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        if self._execute(stmt).rowcount != 1:
            raise NotFound(f"no active token {token_id} of {username}")

    # -- sessions -------------------------------------------------------------------------
    def add_session(self, session: SessionRow) -> None:
        self._execute(sa.insert(self.sessions).values(**session.__dict__))

    def find_session(self, session_hash: str) -> SessionRow | None:
        s = self.sessions
        stmt = sa.select(
            s.c.session_hash, s.c.username, s.c.csrf_token, s.c.created_at, s.c.expires_at
        ).where(s.c.session_hash == session_hash)
        rows = self._read(stmt)
        if not rows:
            return None
        m = rows[0]._mapping
        return SessionRow(
            m["session_hash"],
            m["username"],
            m["csrf_token"],
            _aware(m["created_at"]) or datetime.now(UTC),
            _aware(m["expires_at"]) or datetime.now(UTC),
        )

    def delete_sessions(
        self, *, session_hash: str | None = None, username: str | None = None,
        expired_before: datetime | None = None,
    ) -> int:  # fmt: skip
        """Forget sessions: one, all of a user's, or all that expired before a time."""
        s = self.sessions
        clauses = []
        if session_hash is not None:
            clauses.append(s.c.session_hash == session_hash)
        if username is not None:
            clauses.append(s.c.username == username)
        if expired_before is not None:
            clauses.append(s.c.expires_at < expired_before)
        if not clauses:
            raise ValueError("say which sessions to delete")
        return int(self._execute(sa.delete(s).where(*clauses)).rowcount)

    # -- audit ----------------------------------------------------------------------------
    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Add entries to the log (the only write the log accepts), each chained to the one
        before it (:mod:`minewatch.store.audit_chain`). Appends are serialised for the rest
        of the transaction, so concurrent writers, in this process or others, take turns
        instead of both following the same last entry."""
        if not entries:
            return
        a = self.audit
        with self.repo.transaction(), self.repo._connection() as conn:
            self.repo.serialise(conn, a.name)
            last = conn.execute(
                sa.select(a.c.seq, a.c.entry_hash)
                .where(a.c.seq.is_not(None))
                .order_by(a.c.seq.desc())
                .limit(1)
            ).first()
            seq, prev = (int(last[0]), str(last[1])) if last else (0, audit_chain.GENESIS)
            rows = []
            details: dict[int, tuple[Any, str]] = {}  # a batch shares one detail: encode once
            for e in entries:
                if id(e.detail) not in details:
                    plain = _stored_json(e.detail)
                    details[id(e.detail)] = (plain, audit_chain.detail_text(plain))
                detail, detail_json = details[id(e.detail)]
                at = e.at if e.at.tzinfo is not None else e.at.replace(tzinfo=UTC)
                seq += 1
                digest = audit_chain.entry_hash(
                    seq, at, e.actor, e.action, e.target, detail, prev, detail_json=detail_json
                )
                rows.append(
                    {"at": at, "actor": e.actor, "action": e.action, "target": e.target,
                     "detail": detail, "seq": seq, "prev_hash": prev, "entry_hash": digest}
                )  # fmt: skip
                prev = digest
            conn.execute(sa.insert(a), rows)

    def chained_entries(self, batch: int = 5000) -> Iterator[audit_chain.ChainedEntry]:
        """Every entry in chain order (entries outside the chain first), read in batches."""
        a = self.audit
        cols = (a.c.fid, a.c.seq, a.c.at, a.c.actor, a.c.action, a.c.target, a.c.detail,
                a.c.prev_hash, a.c.entry_hash)  # fmt: skip
        unchained = sa.select(*cols).where(a.c.seq.is_(None)).order_by(a.c.fid)
        for row in self._read(unchained):
            yield audit_chain.ChainedEntry(**row._mapping)
        after = 0
        while True:
            stmt = sa.select(*cols).where(a.c.seq > after).order_by(a.c.seq).limit(batch)
            rows = self._read(stmt)
            for row in rows:
                yield audit_chain.ChainedEntry(**row._mapping)
            if len(rows) < batch:
                return
            after = int(rows[-1]._mapping["seq"])

    def list_audit(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        target: str | None = None,
        about: str | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Entries newest first, optionally only one actor's, action's or target's, those
        whose target or detail mentions ``about`` (any case: a kind, a report or item code),
        and those at or after ``since`` and before ``before``."""
        a = self.audit
        stmt = sa.select(a.c.fid, a.c.at, a.c.actor, a.c.action, a.c.target, a.c.detail)
        for column, value in ((a.c.actor, actor), (a.c.action, action), (a.c.target, target)):
            if value is not None:
                stmt = stmt.where(column == value)
        if about:
            # The detail is JSON (TEXT in the GeoPackage); as text it holds the codes a read
            # of personal data disclosed, which the target ("victim") does not name.
            mentions = sa.cast(a.c.detail, sa.Text).icontains(about, autoescape=True)
            stmt = stmt.where(sa.or_(a.c.target.icontains(about, autoescape=True), mentions))
        if since is not None:
            stmt = stmt.where(a.c.at >= since)
        if before is not None:
            stmt = stmt.where(a.c.at < before)
        stmt = stmt.order_by(a.c.fid.desc()).limit(limit).offset(offset)
        return [
            AuditEntry(
                id=m["fid"],
                at=_aware(m["at"]) or datetime.now(UTC),
                actor=m["actor"],
                action=m["action"],
                target=m["target"],
                detail=m["detail"] or {},
            )
            for m in (r._mapping for r in self._read(stmt))
        ]

    def audit_actions(self) -> list[str]:
        """The distinct actions in the log, for a filter to offer."""
        stmt = sa.select(self.audit.c.action).distinct().order_by(self.audit.c.action)
        return [r[0] for r in self._read(stmt)]


def _stored_json(detail: Any) -> Any:
    """The detail as the store will hand it back (tuples as lists, keys as strings), so
    that the hash taken now is the hash a later check recomputes from the stored value."""
    return json.loads(json.dumps(detail or {}, ensure_ascii=False))


def _user(row: sa.Row[Any]) -> UserRow:
    m = dict(row._mapping)
    m["created_at"] = _aware(m["created_at"])
    m["personal_data"], m["active"] = bool(m["personal_data"]), bool(m["active"])
    return UserRow(**m)


def _token(row: sa.Row[Any]) -> TokenRow:
    m = row._mapping
    return TokenRow(
        id=m["fid"],
        token_hash=m["token_hash"],
        username=m["username"],
        label=m["label"],
        created_at=_aware(m["created_at"]) or datetime.now(UTC),
        expires_at=_aware(m["expires_at"]),
        revoked_at=_aware(m["revoked_at"]),
    )
