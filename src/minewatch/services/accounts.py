"""Users, passwords, API tokens, sessions and the audit log: who is acting, and the record of
what they did.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login when those
defaults grow). API tokens and session ids are 256-bit random strings shown once; the store
keeps only their SHA-256 digests, which is enough for secrets that cannot be guessed (a slow
hash protects only low-entropy secrets such as passwords). There is no default password:
the first administrator is created from the command line (``minewatch user create-admin``).

>>> from minewatch.store import open_store
>>> accounts = Accounts(open_store(str(tmp / "demo.gpkg"), create=True))
>>> accounts.create_admin("ines", "a long passphrase").role
'admin'
>>> accounts.authenticate("ines", "a long passphrase")
Actor(username='ines', role=<Role.ADMIN: 'admin'>, organisation_code=None, personal_data=True)
>>> accounts.authenticate("ines", "a wrong passphrase")
Traceback (most recent call last):
...
minewatch.errors.PermissionDenied: wrong username or password
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from minewatch.domain.access import PUBLIC, Actor, Role, can_administer
from minewatch.domain.text import Message
from minewatch.errors import InvalidInput, Location, NotFound, PermissionDenied
from minewatch.store.account_base import AuditEntry, SessionRow, TokenRow, UserRow
from minewatch.store.base import Repository

#: Shorter passwords are refused: length is what makes a passphrase hard to guess.
MIN_PASSWORD_LENGTH = 12
#: Longer ones are refused too: argon2 would hash megabytes on request of anyone.
MAX_PASSWORD_LENGTH = 1024

#: What :meth:`Accounts.update_user` may change.
USER_FIELDS = frozenset({"role", "organisation_code", "personal_data", "active", "password"})

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the user does not exist, so a login takes as long either way
    (the hasher's own parameters make it cost what a real user's hash costs). Made on first
    need, not on import: an Argon2 hash costs ~0.2 s of CPU and 64 MiB, which every CLI
    command that opens a store would pay for nothing; a server makes it as it starts
    (:meth:`Accounts.prepare_logins`), so that the first login is no faster than the next."""
    return hasher.hash("minewatch timing equaliser")


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token or session id is stored.

    Examples
    --------
    >>> digest("mw_secret")[:16], len(digest("mw_secret"))
    ('2a9506893fb8834a', 64)
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_of(user: UserRow) -> Actor:
    """The actor a stored user acts as.

    Examples
    --------
    >>> from minewatch.store import open_store
    >>> accounts = Accounts(open_store(str(tmp / "demo.gpkg"), create=True))
    >>> actor_of(accounts.create_admin("ines", "a long passphrase"))
    Actor(username='ines', role=<Role.ADMIN: 'admin'>, organisation_code=None, personal_data=True)
    """
    return Actor(user.username, Role(user.role), user.organisation_code, user.personal_data)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the actor, the secret cookie value and its CSRF token.

    Examples
    --------
    >>> from datetime import timedelta
    >>> from minewatch.store import open_store
    >>> accounts = Accounts(open_store(str(tmp / "demo.gpkg"), create=True))
    >>> ines = actor_of(accounts.create_admin("ines", "a long passphrase"))
    >>> session = accounts.start_session(ines, ttl=timedelta(hours=8))
    >>> accounts.session(session.token).actor.username
    'ines'
    >>> accounts.end_session(session.token)
    >>> accounts.session(session.token) is None
    True
    """

    actor: Actor
    token: str
    csrf_token: str
    expires_at: datetime


def check_password(password: str, field: str = "password") -> None:
    """Refuses a password that breaks :func:`password_rules`; ``field`` names the form field.

    Examples
    --------
    >>> check_password("a long passphrase")
    >>> check_password("short", field="new_password")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field new_password: a password needs at least 12 characters
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "a password needs at least {count} characters",
            Location(field=field),
            count=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "a password has at most {count} characters",
            Location(field=field),
            count=MAX_PASSWORD_LENGTH,
        )


def password_rules() -> dict[str, Any]:
    """The rules :func:`check_password` applies, for forms to show before anyone types
    (so the page and the server cannot disagree).

    Examples
    --------
    The rules are messages (English templates with their values apart), so that the front
    door shows them in the reader's language.

    >>> rules = password_rules()
    >>> rules["min_length"], str(rules["rules"][0])
    (12, 'at least 12 characters: a few unrelated words make a good one')
    """
    return {
        "min_length": MIN_PASSWORD_LENGTH,
        "max_length": MAX_PASSWORD_LENGTH,
        "rules": [
            Message(
                "at least {count} characters: a few unrelated words make a good one",
                count=MIN_PASSWORD_LENGTH,
            ),
            Message("at most {count} characters", count=MAX_PASSWORD_LENGTH),
            Message("when you change your own, the new one differs from the current one"),
        ],
    }


def _check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InvalidInput(
            "a username is 1–64 letters, digits or . _ - @", Location(field="username")
        )
    if name.lower() == PUBLIC.username:
        raise InvalidInput(
            "{name!r} names the anonymous public; choose another",
            Location(field="username"),
            name=name,
        )
    return name


class Accounts:
    """Account management and authentication over one store.

    Examples
    --------
    >>> from minewatch.domain.access import Role
    >>> from minewatch.store import open_store
    >>> from minewatch.domain.records import Organisation
    >>> store = open_store(str(tmp / "demo.gpkg"), create=True)
    >>> store.put_items([Organisation(code="ORG-000002", name="Synthetic Demining")])
    >>> accounts = Accounts(store)
    >>> admin = actor_of(accounts.create_admin("ines", "a long passphrase"))
    >>> accounts.create_user(admin, "omar", "another passphrase", Role.DATA_WORKER, "ORG-9")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field organisation_code: no organisation has the code 'ORG-9'; add the organisation first
    >>> _ = accounts.create_user(admin, "amina", "another passphrase", Role.DATA_WORKER,
    ...                          "ORG-000002")
    >>> [u.username for u in accounts.list_users(admin)]
    ['amina', 'ines']
    >>> token_id, secret = accounts.issue_token(admin, label="scripts")
    >>> accounts.actor_for_token(secret).username
    'ines'
    >>> [e.action for e in accounts.audit_log(admin)]
    ['issue_token', 'create_user', 'create_user']
    """

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.store = repo.accounts()

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

    def audit_log(
        self,
        viewer: Actor,
        *,
        since: date | None = None,
        until: date | None = None,
        **filters: Any,
    ) -> list[AuditEntry]:
        """Entries newest first, from the start of day ``since`` to the end of day ``until``
        (UTC, both included); other filters as
        :meth:`~minewatch.store.account_base.AccountRepository.list_audit` takes them."""
        self._check_auditor(viewer)
        start = None if since is None else datetime.combine(since, time.min, UTC)
        before = None
        if until is not None and until < date.max:  # the last day of the calendar has no next
            before = datetime.combine(until + timedelta(days=1), time.min, UTC)
        return self.store.list_audit(since=start, before=before, **filters)

    def audit_actions(self, viewer: Actor) -> list[str]:
        """The actions the log holds (to filter by)."""
        self._check_auditor(viewer)
        return self.store.audit_actions()

    @staticmethod
    def _check_auditor(viewer: Actor) -> None:
        if not can_administer(viewer):
            raise PermissionDenied("{user} may not read the audit log", user=viewer.username)

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
            raise PermissionDenied("{user} may not create users", user=actor.username)
        if role is Role.DATA_WORKER and not organisation_code:
            raise InvalidInput(
                "a data worker belongs to an organisation", Location(field="organisation_code")
            )
        self._check_organisation(organisation_code)
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
        with self.repo.transaction():
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
        """An administrator changes a user's role, organisation, personal-data grant, active
        flag or password (users change their own with :meth:`change_own_password`).

        Signing out everywhere follows any change, so a demoted user's sessions end now."""
        unknown = set(changes) - USER_FIELDS
        if unknown:
            raise InvalidInput(f"users have no field(s) {sorted(unknown)}")
        # None means "leave as is", except for the organisation, which may be cleared.
        changes = {k: v for k, v in changes.items() if v is not None or k == "organisation_code"}
        if not can_administer(actor):
            raise PermissionDenied(
                "{user} may not change user {name}; to change your own password, give your "
                "current one"
                if actor.username == username
                else "{user} may not change user {name}",
                user=actor.username,
                name=username,
            )
        if not changes:
            return self.get_user(username)
        values = {k: v for k, v in changes.items() if k != "password"}
        self._check_organisation(values.get("organisation_code"))
        if "role" in values:
            values["role"] = Role(values["role"]).value
        if "password" in changes:
            check_password(changes["password"])
            values["password_hash"] = _hasher.hash(changes["password"])
        with self.repo.transaction():
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

    def _check_organisation(self, code: str | None) -> None:
        """InvalidInput naming the field unless ``code`` (if given) is an organisation's."""
        # here, not at the top: account commands need not load the workflow's numpy and shapely
        from minewatch.services.records.references import unknown_organisations

        if code and unknown_organisations(self.repo, [code], pending=False):
            raise InvalidInput(
                "no organisation has the code {code!r}; add the organisation first",
                Location(field="organisation_code"),
                code=code,
            )

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
            raise NotFound("no user {name!r}", name=username)
        return user

    def list_users(self, actor: Actor) -> list[UserRow]:
        if not can_administer(actor):
            raise PermissionDenied("{user} may not list users", user=actor.username)
        return self.store.list_users()

    # -- passwords ------------------------------------------------------------------------
    def prepare_logins(self) -> None:
        """Make now what :meth:`authenticate` verifies an unknown user's password against, so
        that a server's first failed login takes as long as any other."""
        _dummy_hash(_hasher)

    def authenticate(self, username: str, password: str) -> Actor:
        """The actor these credentials belong to; PermissionDenied (the same message whatever
        was wrong, so it does not reveal which usernames exist) otherwise."""
        user = self.store.get_user(username.strip())
        try:
            _hasher.verify(user.password_hash if user else _dummy_hash(_hasher), password)
        except (VerificationError, InvalidHashError):
            user = None
        if user is None or not user.active:
            self.audit(username[:64], "login_failed", f"user:{username[:64]}")
            raise PermissionDenied("wrong username or password")
        if _hasher.check_needs_rehash(user.password_hash):
            self.store.update_user(user.username, password_hash=_hasher.hash(password))
        return actor_of(user)

    def change_own_password(self, actor: Actor, current: str, new: str) -> None:
        """``actor`` replaces their password, proving they know the current one, so that
        whoever finds a signed-in browser or a copied token cannot lock the owner out.

        Every session of the user ends (a caller may start a fresh one for the browser that
        asked); API tokens stay valid, since they are revoked one by one. A wrong current
        password is audited like a failed login."""
        user = self.store.get_user(actor.username)
        if user is None or not user.active:
            raise PermissionDenied("sign in first")
        try:
            _hasher.verify(user.password_hash, current)
        except (VerificationError, InvalidHashError):
            self.audit(actor, "change_password_failed", f"user:{user.username}")
            raise InvalidInput(
                "that is not your current password", Location(field="current_password")
            ) from None
        if new == current:
            raise InvalidInput(
                "the new password is the current one; choose another",
                Location(field="new_password"),
            )
        check_password(new, field="new_password")
        with self.repo.transaction():
            self.store.update_user(user.username, password_hash=_hasher.hash(new))
            self.store.delete_sessions(username=user.username)
            self.audit(actor, "change_password", f"user:{user.username}")

    def set_own_language(self, actor: Actor, language: str | None) -> str | None:
        """``actor`` chooses the language of their interface (a shipped catalogue's code), or
        None to follow the browser; answers the code stored.

        Examples
        --------
        >>> from minewatch.store import open_store
        >>> accounts = Accounts(open_store(str(tmp / "lang.gpkg"), create=True))
        >>> ines = actor_of(accounts.create_admin("ines", "a long passphrase"))
        >>> accounts.set_own_language(ines, "fr-CA"), accounts.get_user("ines").language
        ('fr', 'fr')
        >>> accounts.set_own_language(ines, "xx")
        Traceback (most recent call last):
        ...
        minewatch.errors.InvalidInput: field language: no catalogue for 'xx'; shipped: en, ...
        """
        from minewatch.vocabulary import normalise_locale, shipped_locales

        self._check_signed_in(actor)
        code = None
        if language:
            code = normalise_locale(language)
            wanted = language.replace("-", "_").split("_")[0].lower()
            if code == "en" and wanted != "en":
                raise InvalidInput(
                    "no catalogue for {language!r}; shipped: {shipped}",
                    Location(field="language"),
                    language=language,
                    shipped=", ".join(shipped_locales()),
                )
        with self.repo.transaction():
            self.store.update_user(actor.username, language=code)
            self.audit(actor, "set_language", f"user:{actor.username}", language=code)
        return code

    def language_of(self, actor: Actor) -> str | None:
        """The interface language ``actor`` chose, or None (the public, or no choice)."""
        if actor.role is Role.PUBLIC and actor.username == PUBLIC.username:
            return None
        user = self.store.get_user(actor.username)
        return user.language if user is not None else None

    # -- API tokens -----------------------------------------------------------------------
    def issue_token(
        self, actor: Actor, label: str | None = None, valid_days: int | None = 365
    ) -> tuple[int, str]:
        """A new API token for ``actor``: its id and the secret, which is shown only now."""
        self._check_signed_in(actor)
        secret = "mw_" + secrets.token_urlsafe(32)
        expires = None if valid_days is None else datetime.now(UTC) + timedelta(days=valid_days)
        with self.repo.transaction():
            token_id = self.store.add_token(digest(secret), actor.username, label, expires)
            self.audit(actor, "issue_token", f"token:{token_id}", label=label)
        return token_id, secret

    def list_tokens(self, actor: Actor) -> list[TokenRow]:
        self._check_signed_in(actor)
        return self.store.list_tokens(actor.username)

    def revoke_token(self, actor: Actor, token_id: int) -> None:
        self._check_signed_in(actor)
        with self.repo.transaction():
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

    def _check_signed_in(self, actor: Actor) -> None:
        """Tokens belong to accounts: the anonymous public has none (and may not ask)."""
        if self._active_actor(actor.username) is None:
            raise PermissionDenied("sign in first")

    def _active_actor(self, username: str) -> Actor | None:
        user = self.store.get_user(username)
        return actor_of(user) if user is not None and user.active else None

    # -- sessions -------------------------------------------------------------------------
    def start_session(self, actor: Actor, ttl: timedelta) -> Session:
        now = datetime.now(UTC)
        session = Session(actor, secrets.token_urlsafe(32), secrets.token_urlsafe(32), now + ttl)
        with self.repo.transaction():
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
        with self.repo.transaction():
            self.store.delete_sessions(session_hash=row.session_hash)
            self.audit(row.username, "logout", f"user:{row.username}")


def audit_entries_plain(entries: Sequence[AuditEntry]) -> list[dict[str, Any]]:
    """Audit entries as JSON-able dictionaries.

    Examples
    --------
    >>> from minewatch.store import open_store
    >>> accounts = Accounts(open_store(str(tmp / "demo.gpkg"), create=True))
    >>> accounts.audit("amina", "export", "hazardous_area", rows=12)
    >>> [{k: e[k] for k in ("actor", "action", "target", "detail")}
    ...  for e in audit_entries_plain(accounts.store.list_audit())]
    [{'actor': 'amina', 'action': 'export', 'target': 'hazardous_area', 'detail': {'rows': 12}}]
    """
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
