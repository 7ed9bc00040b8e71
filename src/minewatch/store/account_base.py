"""The accounts interface every store offers (:meth:`minewatch.store.base.Repository.accounts`):
users, API tokens, browser sessions and the append-only audit log, as plain rows.

The services (:mod:`minewatch.services.accounts`) hash secrets before they get here and decide
who may do what; a backend only stores and finds rows. :class:`minewatch.store.accounts.AccountStore`
implements it for both SQL backends, in the store's own transactions.

>>> AuditEntry("ines", "login", "user:ines").detail
{}
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from minewatch.store import audit_chain


@dataclass(frozen=True)
class UserRow:
    username: str
    password_hash: str
    role: str
    organisation_code: str | None
    personal_data: bool
    active: bool
    created_at: datetime
    language: str | None = None  # the interface language the user chose (None: the browser's)


@dataclass(frozen=True)
class TokenRow:
    id: int
    token_hash: str
    username: str
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class SessionRow:
    session_hash: str
    username: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who did what to which target, and when."""

    actor: str
    action: str
    target: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    id: int | None = None


class AccountRepository(abc.ABC):
    """Storage of users, tokens, sessions and audit entries, behind one interface."""

    # -- users ----------------------------------------------------------------------------
    @abc.abstractmethod
    def add_user(self, user: UserRow) -> None:
        """Store a new user; Conflict if the username is taken."""

    @abc.abstractmethod
    def get_user(self, username: str) -> UserRow | None:
        """The user, or None."""

    @abc.abstractmethod
    def list_users(self) -> list[UserRow]:
        """Every user, by username."""

    @abc.abstractmethod
    def update_user(self, username: str, **values: Any) -> None:
        """Change these fields of a user; NotFound if there is no such user."""

    @abc.abstractmethod
    def count_active_admins(self) -> int:
        """How many active administrators there are."""

    # -- API tokens -----------------------------------------------------------------------
    @abc.abstractmethod
    def add_token(
        self, token_hash: str, username: str, label: str | None, expires_at: datetime | None
    ) -> int:
        """Store a token's digest; returns the token's id."""

    @abc.abstractmethod
    def find_token(self, token_hash: str) -> TokenRow | None:
        """The token with this digest, or None."""

    @abc.abstractmethod
    def list_tokens(self, username: str) -> list[TokenRow]:
        """A user's tokens, oldest first."""

    @abc.abstractmethod
    def revoke_token(self, token_id: int, username: str) -> None:
        """Revoke one of a user's active tokens; NotFound if there is none such."""

    # -- sessions -------------------------------------------------------------------------
    @abc.abstractmethod
    def add_session(self, session: SessionRow) -> None:
        """Store a browser session (its digest)."""

    @abc.abstractmethod
    def find_session(self, session_hash: str) -> SessionRow | None:
        """The session with this digest, or None."""

    @abc.abstractmethod
    def delete_sessions(
        self,
        *,
        session_hash: str | None = None,
        username: str | None = None,
        expired_before: datetime | None = None,
    ) -> int:
        """Forget sessions: one, all of a user's, or all that expired before a time."""

    # -- audit ----------------------------------------------------------------------------
    @abc.abstractmethod
    def append_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Add entries to the log, each chained to the one before it (the only write the
        log accepts)."""

    @abc.abstractmethod
    def chained_entries(self, batch: int = 5000) -> Iterator[audit_chain.ChainedEntry]:
        """Every entry in chain order, read in batches."""

    @abc.abstractmethod
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
        """Entries newest first, filtered by actor, action, target, a mention of ``about``
        in target or detail, and time."""

    @abc.abstractmethod
    def audit_actions(self) -> list[str]:
        """The distinct actions in the log."""


@dataclass(frozen=True)
class Attempts:
    """A key's attempts in its current window, counting the one just made."""

    attempts: int
    window_start: float


class AttemptCounting(abc.ABC):
    """Counters of attempts per key (``account:amina``, ``address:10.0.0.7``) kept in the
    store, so every server process counts against one budget (the login throttle,
    :mod:`minewatch.services.login`); :class:`minewatch.store.throttle.AttemptCounters`
    implements it for both SQL backends."""

    @abc.abstractmethod
    def count(self, keys: Sequence[str], *, now: float, window: float) -> list[Attempts]:
        """Count one attempt against each key, atomically, and return each key's count in
        its window (a window older than ``window`` seconds starts again at ``now``)."""

    @abc.abstractmethod
    def uncount(self, keys: Sequence[str]) -> None:
        """Take back one attempt from each key (one that turned out to be legitimate)."""
