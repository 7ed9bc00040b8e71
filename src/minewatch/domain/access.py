"""Who may do what: roles scoped by organisation, as a national programme works.

An operator's data worker edits their own organisation's drafts; the national authority's
reviewers approve; the public sees only approved items and never personal data. These rules
are pure functions so that services, the CLI and the API ask one place.

>>> worker = Actor("amina", Role.DATA_WORKER, "ORG-HALO")
>>> can_edit_report(worker, report_org="ORG-HALO", report_author="amina")
True
>>> can_approve(worker, report_org="ORG-HALO", report_author="amina")
False
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What someone may do, from least to most: the public reads published items, data
    workers report for their organisation, reviewers approve, administrators manage users.

    Examples
    --------
    >>> [r.value for r in Role]
    ['public', 'data_worker', 'reviewer', 'admin']
    >>> Role("reviewer") is Role.REVIEWER
    True
    """

    PUBLIC = "public"
    DATA_WORKER = "data_worker"
    REVIEWER = "reviewer"
    ADMIN = "admin"


_RANK = {Role.PUBLIC: 0, Role.DATA_WORKER: 1, Role.REVIEWER: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Actor:
    """Someone acting on the system. ``organisation_code`` scopes a data worker; reviewers
    and administrators act for the national authority. ``personal_data`` is granted
    separately from the role, because few people need victims' names.

    Examples
    --------
    >>> reviewer = Actor("joe", Role.REVIEWER)
    >>> reviewer.at_least(Role.DATA_WORKER), reviewer.at_least(Role.ADMIN)
    (True, False)
    """

    username: str
    role: Role
    organisation_code: str | None = None
    personal_data: bool = False

    def at_least(self, role: Role) -> bool:
        """Whether this actor's role is ``role`` or above it."""
        return _RANK[self.role] >= _RANK[role]


def local_admin(username: str = "local") -> Actor:
    """The actor the local command line runs as: whoever can open the file owns it.

    Examples
    --------
    >>> local_admin()
    Actor(username='local', role=<Role.ADMIN: 'admin'>, organisation_code=None, personal_data=True)
    """
    return Actor(username, Role.ADMIN, None, personal_data=True)


PUBLIC = Actor("public", Role.PUBLIC)


def can_create_report(actor: Actor, organisation_code: str | None) -> bool:
    """Data workers report for their own organisation; reviewers and admins for any.

    Examples
    --------
    >>> worker = Actor("amina", Role.DATA_WORKER, "ORG-HALO")
    >>> can_create_report(worker, "ORG-HALO"), can_create_report(worker, "ORG-MAG")
    (True, False)
    >>> can_create_report(PUBLIC, None)
    False
    """
    if actor.at_least(Role.REVIEWER):
        return True
    return actor.role is Role.DATA_WORKER and (
        organisation_code is None or organisation_code == actor.organisation_code
    )


def can_edit_report(actor: Actor, *, report_org: str | None, report_author: str | None) -> bool:
    """Drafts are edited by their author's organisation, or by reviewers and admins.

    Examples
    --------
    >>> colleague = Actor("ben", Role.DATA_WORKER, "ORG-HALO")
    >>> can_edit_report(colleague, report_org="ORG-HALO", report_author="amina")
    True
    >>> can_edit_report(colleague, report_org="ORG-MAG", report_author="chidi")
    False
    """
    if actor.at_least(Role.REVIEWER):
        return True
    return actor.role is Role.DATA_WORKER and report_org == actor.organisation_code


def can_view_report(actor: Actor, *, report_org: str | None) -> bool:
    """Reports (drafts included) are internal: the organisation's own, or the authority's.

    Examples
    --------
    >>> worker = Actor("amina", Role.DATA_WORKER, "ORG-HALO")
    >>> can_view_report(worker, report_org="ORG-HALO"), can_view_report(worker, report_org=None)
    (True, False)
    >>> can_view_report(PUBLIC, report_org="ORG-HALO")
    False
    """
    if actor.at_least(Role.REVIEWER):
        return True
    return actor.role is Role.DATA_WORKER and report_org == actor.organisation_code


def can_approve(actor: Actor, *, report_org: str | None, report_author: str | None) -> bool:
    """Reviewers approve or reject, never their own report (four eyes); admins too.

    Examples
    --------
    >>> reviewer = Actor("joe", Role.REVIEWER)
    >>> can_approve(reviewer, report_org="ORG-HALO", report_author="amina")
    True
    >>> can_approve(reviewer, report_org=None, report_author="joe")   # their own report
    False
    >>> can_approve(local_admin("joe"), report_org=None, report_author="joe")
    True
    """
    if not actor.at_least(Role.REVIEWER):
        return False
    return report_author != actor.username or actor.role is Role.ADMIN


def can_view_personal_data(actor: Actor) -> bool:
    """Victims' names, contacts and medical details: staff granted ``personal_data`` only
    (the public never, even if a grant were set by mistake).

    Examples
    --------
    >>> can_view_personal_data(Actor("amina", Role.DATA_WORKER, "ORG-HALO", personal_data=True))
    True
    >>> can_view_personal_data(Actor("joe", Role.REVIEWER))
    False
    >>> can_view_personal_data(Actor("anyone", Role.PUBLIC, personal_data=True))
    False
    """
    return actor.personal_data and actor.at_least(Role.DATA_WORKER)


def can_administer(actor: Actor) -> bool:
    """Only administrators manage users and read the audit log.

    Examples
    --------
    >>> can_administer(local_admin()), can_administer(Actor("joe", Role.REVIEWER))
    (True, False)
    """
    return actor.role is Role.ADMIN
