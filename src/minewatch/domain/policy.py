"""National anti-personnel mine policy as dated, versioned records with sourced provisions.

A policy record is a sequence of versions. Each version states some provisions along fixed
dimensions (:data:`DIMENSIONS`), each with its sources and a status; a version either
*replaces* the policy (what it does not state is unconfirmed, never carried over) or *amends*
it (what it does not state carries over from the version before). Queries resolve a version
to one provision per dimension, ask which version was in force on a date, and diff two
versions.

>>> from datetime import date
>>> v1 = PolicyVersion("a", date(2014, 6, 27), "first", VersionKind.REPLACES,
...     {"production": Provision("production", "none", ProvisionStatus.VERIFIED, ("X",))})
>>> v2 = PolicyVersion("b", date(2014, 9, 23), "second", VersionKind.AMENDS, {})
>>> record = PolicyRecord("Synthetic", (v1, v2))
>>> record.resolve("b")["production"].provision.value
'none'
>>> record.resolve("b")["transfer"].provision.status
<ProvisionStatus.UNCONFIRMED: 'unconfirmed'>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from minewatch.domain.text import Message, Sentences

#: The dimensions every version is read along, with what each covers.
DIMENSIONS: dict[str, str] = {
    "use_geographic_scope": "geographic limits on use",
    "use_authority": "who may authorise use",
    "persistence": "persistence, self-destruct and self-deactivation requirements",
    "production": "production and development",
    "acquisition": "acquisition",
    "transfer": "export and transfer",
    "stockpile_destruction": "stockpile destruction",
    "assistance_to_others": "assisting, encouraging or inducing others",
}


class ProvisionStatus(StrEnum):
    """How well a provision is confirmed: by the policy document itself (``verified``), only
    by secondary reporting of it (``secondary``), or not at all (``unconfirmed``, no value).

    Examples
    --------
    >>> [s.value for s in ProvisionStatus]
    ['verified', 'secondary', 'unconfirmed']
    """

    VERIFIED = "verified"
    SECONDARY = "secondary"  # only secondary reporting of the document confirms it
    UNCONFIRMED = "unconfirmed"  # no source confirms it: value stays empty


class VersionKind(StrEnum):
    """Whether a version ``replaces`` the policy (what it does not state is unconfirmed) or
    ``amends`` it (what it does not state carries over).

    Examples
    --------
    >>> VersionKind("amends") is VersionKind.AMENDS
    True
    """

    REPLACES = "replaces"
    AMENDS = "amends"


@dataclass(frozen=True)
class Provision:
    """One dimension of one version: its value, sources and how well they confirm it.

    Examples
    --------
    >>> Provision("transfer", "prohibited", ProvisionStatus.VERIFIED, ("doc-1",)).value
    'prohibited'
    >>> Provision("transfer", "prohibited", ProvisionStatus.VERIFIED)
    Traceback (most recent call last):
    ...
    ValueError: transfer: a verified provision needs a value and sources
    """

    dimension: str
    value: str | None
    status: ProvisionStatus
    sources: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {self.dimension!r}")
        if self.status is ProvisionStatus.UNCONFIRMED:
            if self.value is not None:
                raise ValueError(f"{self.dimension}: an unconfirmed provision has no value")
        elif not self.sources or not self.value:
            raise ValueError(
                f"{self.dimension}: a {self.status} provision needs a value and sources"
            )


def unconfirmed(dimension: str) -> Provision:
    """The placeholder for a dimension no source confirms.

    Examples
    --------
    >>> unconfirmed("acquisition")
    Provision(dimension='acquisition', value=None, status=<ProvisionStatus.UNCONFIRMED:
     'unconfirmed'>, sources=(), note='no source confirms this')
    """
    return Provision(dimension, None, ProvisionStatus.UNCONFIRMED, (), "no source confirms this")


@dataclass(frozen=True)
class PolicyVersion:
    """A dated policy statement and the provisions it states.

    Examples
    --------
    >>> from datetime import date
    >>> v = PolicyVersion("v1", date(2014, 6, 27), "Synthetic statement", VersionKind.REPLACES,
    ...                   {"production": unconfirmed("production")})
    >>> v.effective, list(v.provisions)
    (datetime.date(2014, 6, 27), ['production'])
    """

    id: str
    effective: date
    title: str
    kind: VersionKind
    provisions: Mapping[str, Provision]
    announced: date | None = None
    sources: tuple[str, ...] = ()
    note: str = ""
    unverified_claims: tuple[str, ...] = ()
    #: When the version itself says a successor is due (e.g. "a new policy within 90 days"):
    #: after that date the record may be out of date.
    successor_due: date | None = None
    successor_due_basis: str = ""


@dataclass(frozen=True)
class Citation:
    """A named source: where it is and the passage that supports what cites it.

    Examples
    --------
    >>> Citation("State Department", "https://example.org/statement", "we will not").complete
    True
    >>> Citation("Press", "", "").complete
    False
    """

    name: str
    url: str
    quote: str

    @property
    def complete(self) -> bool:
        return bool(self.url.strip()) and bool(self.quote.strip())


@dataclass(frozen=True)
class ResolvedProvision:
    """A provision as it stands in a version, and the version that stated it.

    Examples
    --------
    >>> from datetime import date
    >>> v1 = PolicyVersion("v1", date(2014, 6, 27), "first", VersionKind.REPLACES,
    ...     {"production": Provision("production", "none", ProvisionStatus.VERIFIED, ("X",))})
    >>> resolved = PolicyRecord("Synthetic", (v1,)).resolve("v1")
    >>> resolved["production"].stated_in, resolved["transfer"].stated_in
    ('v1', None)
    """

    provision: Provision
    stated_in: str | None  # None when unconfirmed


@dataclass(frozen=True)
class ProvisionChange:
    """How one dimension differs between two versions (:meth:`PolicyRecord.diff`).

    ``change`` is "changed", "unchanged", "now stated" or "no longer confirmed".

    Examples
    --------
    >>> from datetime import date
    >>> v1 = PolicyVersion("v1", date(2014, 6, 27), "first", VersionKind.REPLACES, {})
    >>> v2 = PolicyVersion("v2", date(2014, 9, 23), "second", VersionKind.AMENDS,
    ...     {"transfer": Provision("transfer", "prohibited", ProvisionStatus.VERIFIED, ("Y",))})
    >>> change = PolicyRecord("Synthetic", (v1, v2)).diff("v1", "v2")[5]
    >>> change.dimension, change.change, change.after.provision.value
    ('transfer', 'now stated', 'prohibited')
    """

    dimension: str
    change: str  # "changed", "unchanged", "now stated", "no longer confirmed"
    before: ResolvedProvision
    after: ResolvedProvision


@dataclass(frozen=True)
class PolicyRecord:
    """All versions of one state's policy, in date order.

    Examples
    --------
    >>> from datetime import date
    >>> v1 = PolicyVersion("v1", date(2014, 6, 27), "first", VersionKind.REPLACES, {})
    >>> v2 = PolicyVersion("v2", date(2020, 1, 31), "second", VersionKind.REPLACES, {})
    >>> record = PolicyRecord("Synthetic", (v2, v1))
    >>> [v.id for v in record.versions], record.as_of(date(2019, 1, 1)).id
    (['v1', 'v2'], 'v1')
    >>> record.as_of(date(2000, 1, 1)) is None
    True
    """

    state: str
    versions: tuple[PolicyVersion, ...]
    legal_floor: str = ""
    citations: Mapping[str, Citation] = field(default_factory=dict)
    status_as_at: date | None = None  # when the sources were last consulted
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.versions, key=lambda v: v.effective))
        object.__setattr__(self, "versions", ordered)
        index = {v.id: i for i, v in enumerate(ordered)}
        if len(index) != len(ordered):
            raise ValueError("duplicate version ids")
        object.__setattr__(self, "_index", index)

    def version(self, version_id: str) -> PolicyVersion:
        """The version with this id; KeyError naming the known ones otherwise."""
        if version_id not in self._index:
            known = ", ".join(self._index)
            raise KeyError(f"no version {version_id!r} (known: {known})")
        return self.versions[self._index[version_id]]

    def resolve(self, version_id: str) -> dict[str, ResolvedProvision]:
        """One provision per dimension for ``version_id``, following ``amends`` back."""
        self.version(version_id)
        chain: list[PolicyVersion] = []
        for v in reversed(self.versions[: self._index[version_id] + 1]):
            chain.append(v)
            if v.kind is VersionKind.REPLACES:
                break
        out = {d: ResolvedProvision(unconfirmed(d), None) for d in DIMENSIONS}
        for v in reversed(chain):  # oldest first, later statements override
            for d, p in v.provisions.items():
                out[d] = ResolvedProvision(p, v.id)
        return out

    def staleness(self, day: date) -> str:
        """Why an answer for ``day`` may be out of date ("" when nothing says so): ``day`` is
        after the record's "status as at", or after a successor the last version said was due.

        >>> v = PolicyVersion("v1", date(2025, 12, 2), "memo", VersionKind.REPLACES, {},
        ...                   successor_due=date(2026, 3, 2), successor_due_basis="90 days")
        >>> PolicyRecord("Synthetic", (v,), status_as_at=date(2026, 1, 1)).staleness(
        ...     date(2026, 12, 7))
        'projection: the record is as at 2026-01-01; a successor to v1 was due by 2026-03-02 (90 days)'
        """
        why = self.staleness_message(day)
        return "" if why is None else str(why)

    def staleness_message(self, day: date) -> Message | None:
        """:meth:`staleness` kept as a template and its values, for the reader's language.

        >>> PolicyRecord("Synthetic", (), status_as_at=date(2026, 1, 1)).staleness_message(
        ...     date(2026, 2, 1)).template
        'projection: {reasons}'
        """
        reasons: list[Message] = []
        if self.status_as_at is not None and day > self.status_as_at:
            reasons.append(Message("the record is as at {date}", date=self.status_as_at))
        current = self.as_of(day)
        if current is not None and current.successor_due and day > current.successor_due:
            due = {"version": current.id, "date": current.successor_due}
            if current.successor_due_basis:
                reasons.append(
                    Message(
                        "a successor to {version} was due by {date} ({basis})",
                        basis=current.successor_due_basis,
                        **due,
                    )
                )
            else:
                reasons.append(Message("a successor to {version} was due by {date}", **due))
        return Message("projection: {reasons}", reasons=Sentences.of(reasons)) if reasons else None

    def uncited(self) -> list[str]:
        """Source names used by a version or provision without a complete citation.

        >>> v = PolicyVersion("v1", date(2014, 6, 27), "first", VersionKind.REPLACES, {},
        ...                   sources=("Gazette",))
        >>> PolicyRecord("Synthetic", (v,)).uncited()
        ['Gazette']
        """
        used = {s for v in self.versions for s in v.sources}
        used |= {s for v in self.versions for p in v.provisions.values() for s in p.sources}
        return sorted(n for n in used if n not in self.citations or not self.citations[n].complete)

    def as_of(self, day: date) -> PolicyVersion | None:
        """The version in force on ``day`` (None before the first recorded version)."""
        current = None
        for v in self.versions:
            if v.effective <= day:
                current = v
        return current

    def diff(self, before_id: str, after_id: str) -> list[ProvisionChange]:
        """Dimension-by-dimension comparison of two versions."""
        a, b = self.resolve(before_id), self.resolve(after_id)
        changes = []
        for d in DIMENSIONS:
            va, vb = a[d].provision, b[d].provision
            if va.value == vb.value and va.status == vb.status:
                kind = "unchanged"
            elif va.value is None:
                kind = "now stated"
            elif vb.value is None:
                kind = "no longer confirmed"
            else:
                kind = "changed"
            changes.append(ProvisionChange(d, kind, a[d], b[d]))
        return changes
