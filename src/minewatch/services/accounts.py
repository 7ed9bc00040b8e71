"""Users, passwords, API tokens, sessions and the audit log: who is acting, and the record of
what they did.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login when those
defaults grow). API tokens and session ids are 256-bit random strings shown once; the store
keeps only their SHA-256 digests, which is enough for secrets that cannot be guessed (a slow
hash protects only low-entropy secrets such as passwords). There is no default password:
the first administrator is created from the command line (``minewatch user create-admin``).

>>> from minewatch.store import open_store                       # doctest: +SKIP
>>> accounts = Accounts(open_store("demo.gpkg"))                 # doctest: +SKIP
>>> accounts.create_admin("ines", "a long passphrase")           # doctest: +SKIP
>>> actor = accounts.authenticate("ines", "a long passphrase")   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from minewatch.domain.access import PUBLIC, Actor, Role, can_administer
from minewatch.errors import InvalidInput, Location, NotFound, PermissionDenied
from minewatch.store.accounts import AccountStore, AuditEntry, SessionRow, TokenRow, UserRow
from minewatch.store.sql import SqlRepository

#: Shorter passwords are refused: length is what makes a passphrase hard to guess.
MIN_PASSWORD_LENGTH = 12

#: What :meth:`Accounts.update_user` may change.
USER_FIELDS = frozenset({"role", "organisation_code", "personal_data", "active", "password"})

_hasher = PasswordHasher()
#: Verified against when the user does not exist, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash("minewatch timing equaliser")


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token or session id is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_of(user: UserRow) -> Actor:
    return Actor(user.username, Role(user.role), user.organisation_code, user.personal_data)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the actor, the secret cookie value and its CSRF token."""

    actor: Actor
    token: str
    csrf_token: str
    expires_at: datetime


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
            Location(field="password"),
        )


def _check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InvalidInput(
            "a username is 1–64 letters, digits or . _ - @", Location(field="username")
        )
    if name.lower() == PUBLIC.username:
        raise InvalidInput(
            f"{name!r} names the anonymous public; choose another", Location(field="username")
        )
    return name


class Accounts:
    """Account management and authentication over one store."""

    def __init__(self, repo: SqlRepository) -> None:
        self.store = AccountStore(repo)

    # -- audit ----------------------------------------------------------------------------
    def audit(
        self, actor: Actor | str, action: str, target: str | None = None, **detail: Any
    ) -> None:
        """Append one entry to the audit log."""
        name = actor if isinstance(actor, str) else actor.username
        self.store.append_audit([AuditEntry(name, action, target, detail)])

    def audit_many(
        self, actor: Actor | str, action: str, targets: Sequence[str], **detail: Any
    ) -> None:
        """One entry per target, written together (e.g. every report of an import)."""
        name = actor if isinstance(actor, str) else actor.username
        self.store.append_audit([AuditEntry(name, action, t, detail) for t in targets])

    def audit_log(self, viewer: Actor, **filters: Any) -> list[AuditEntry]:
        """Entries newest first; filters as :meth:`AccountStore.list_audit` takes them."""
        if not can_administer(viewer):
            raise PermissionDenied(f"{viewer.username} may not read the audit log")
        return self.store.list_audit(**filters)

    # -- users ----------------------------------------------------------------------------
    def has_admin(self) -> bool:
        return self.store.count_active_admins() > 0

    def create_admin(self, username: str, password: str, *, by: str = "command line") -> UserRow:
        """An administrator, made by whoever can open the store (the first-run path)."""
        return self._create(by, username, password, Role.ADMIN, None, personal_data=True)

    def create_user(
        self,
        actor: Actor,
        username: str,
        password: str,
        role: Role,
        organisation_code: str | None = None,
        personal_data: bool = False,
    ) -> UserRow:
        if not can_administer(actor):
            raise PermissionDenied(f"{actor.username} may not create users")
        if role is Role.DATA_WORKER and not organisation_code:
            raise InvalidInput(
                "a data worker belongs to an organisation", Location(field="organisation_code")
            )
        return self._create(
            actor.username, username, password, role, organisation_code, personal_data
        )

    def _create(
        self,
        by: str,
        username: str,
        password: str,
        role: Role,
        organisation_code: str | None,
        personal_data: bool,
    ) -> UserRow:
        name = _check_username(username)
        check_password(password)
        user = UserRow(
            username=name,
            password_hash=_hasher.hash(password),
            role=role.value,
            organisation_code=organisation_code,
            personal_data=personal_data,
            active=True,
            created_at=datetime.now(UTC),
        )
        with self.store.repo.transaction():
            self.store.add_user(user)
            self.audit(
                by,
                "create_user",
                f"user:{name}",
                role=role.value,
                organisation_code=organisation_code,
                personal_data=personal_data,
            )
        return user

    def update_user(self, actor: Actor, username: str, **changes: Any) -> UserRow:
        """Change a user's role, organisation, personal-data grant, active flag or password.

        Signing out everywhere follows any change, so a demoted user's sessions end now."""
        unknown = set(changes) - USER_FIELDS
        if unknown:
            raise InvalidInput(f"users have no field(s) {sorted(unknown)}")
        # None means "leave as is", except for the organisation, which may be cleared.
        changes = {k: v for k, v in changes.items() if v is not None or k == "organisation_code"}
        own_password_only = set(changes) == {"password"} and actor.username == username
        if not (can_administer(actor) or own_password_only):
            raise PermissionDenied(f"{actor.username} may not change user {username}")
        if not changes:
            return self.get_user(username)
        values = {k: v for k, v in changes.items() if k != "password"}
        if "role" in values:
            values["role"] = Role(values["role"]).value
        if "password" in changes:
            check_password(changes["password"])
            values["password_hash"] = _hasher.hash(changes["password"])
        with self.store.repo.transaction():
            self._keep_an_admin(username, values)
            self.store.update_user(username, **values)
            self.store.delete_sessions(username=username)
            shown = {k: v for k, v in values.items() if k != "password_hash"}
            self.audit(
                actor,
                "update_user",
                f"user:{username}",
                **shown,
                password_changed="password" in changes,
            )
        return self.get_user(username)

    def _keep_an_admin(self, username: str, values: dict[str, Any]) -> None:
        user = self.get_user(username)
        demoted = values.get("role", user.role) != "admin" or values.get("active") is False
        if (
            user.role == "admin"
            and user.active
            and demoted
            and self.store.count_active_admins() < 2
        ):
            raise PermissionDenied("the last active administrator cannot be demoted or disabled")

    def get_user(self, username: str) -> UserRow:
        user = self.store.get_user(username)
        if user is None:
            raise NotFound(f"no user {username!r}")
        return user

    def list_users(self, actor: Actor) -> list[UserRow]:
        if not can_administer(actor):
            raise PermissionDenied(f"{actor.username} may not list users")
        return self.store.list_users()

    # -- passwords ------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> Actor:
        """The actor these credentials belong to; PermissionDenied (the same message whatever
        was wrong, so it does not reveal which usernames exist) otherwise."""
        user = self.store.get_user(username.strip())
        try:
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            user = None
        if user is None or not user.active:
            self.audit(username[:64], "login_failed", f"user:{username[:64]}")
            raise PermissionDenied("wrong username or password")
        if _hasher.check_needs_rehash(user.password_hash):
            self.store.update_user(user.username, password_hash=_hasher.hash(password))
        return actor_of(user)

    # -- API tokens -----------------------------------------------------------------------
    def issue_token(
        self, actor: Actor, label: str | None = None, valid_days: int | None = 365
    ) -> tuple[int, str]:
        """A new API token for ``actor``: its id and the secret, which is shown only now."""
        if self._active_actor(actor.username) is None:
            raise PermissionDenied("sign in before asking for a token")
        secret = "mw_" + secrets.token_urlsafe(32)
        expires = None if valid_days is None else datetime.now(UTC) + timedelta(days=valid_days)
        with self.store.repo.transaction():
            token_id = self.store.add_token(digest(secret), actor.username, label, expires)
            self.audit(actor, "issue_token", f"token:{token_id}", label=label)
        return token_id, secret

    def list_tokens(self, actor: Actor) -> list[TokenRow]:
        return self.store.list_tokens(actor.username)

    def revoke_token(self, actor: Actor, token_id: int) -> None:
        with self.store.repo.transaction():
            self.store.revoke_token(token_id, actor.username)
            self.audit(actor, "revoke_token", f"token:{token_id}")

    def actor_for_token(self, secret: str) -> Actor | None:
        token = self.store.find_token(digest(secret))
        now = datetime.now(UTC)
        if token is None or token.revoked_at is not None:
            return None
        if token.expires_at is not None and token.expires_at <= now:
            return None
        return self._active_actor(token.username)

    def _active_actor(self, username: str) -> Actor | None:
        user = self.store.get_user(username)
        return actor_of(user) if user is not None and user.active else None

    # -- sessions -------------------------------------------------------------------------
    def start_session(self, actor: Actor, ttl: timedelta) -> Session:
        now = datetime.now(UTC)
        session = Session(actor, secrets.token_urlsafe(32), secrets.token_urlsafe(32), now + ttl)
        with self.store.repo.transaction():
            self.store.delete_sessions(expired_before=now)
            self.store.add_session(
                SessionRow(
                    digest(session.token),
                    actor.username,
                    session.csrf_token,
                    now,
                    session.expires_at,
                )
            )
            self.audit(actor, "login", f"user:{actor.username}")
        return session

    def session(self, token: str) -> Session | None:
        row = self.store.find_session(digest(token))
        if row is None or row.expires_at <= datetime.now(UTC):
            return None
        actor = self._active_actor(row.username)
        return None if actor is None else Session(actor, token, row.csrf_token, row.expires_at)

    def end_session(self, token: str) -> None:
        row = self.store.find_session(digest(token))
        if row is None:
            return
        with self.store.repo.transaction():
            self.store.delete_sessions(session_hash=row.session_hash)
            self.audit(row.username, "logout", f"user:{row.username}")


def audit_entries_plain(entries: Sequence[AuditEntry]) -> list[dict[str, Any]]:
    """Audit entries as JSON-able dictionaries."""
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "target": e.target,
            "detail": e.detail,
        }
        for e in entries
    ]
