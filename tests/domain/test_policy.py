"""Versioned national policy records (synthetic versions, made up for the tests)."""

from __future__ import annotations

from datetime import date

import pytest

from minewatch.domain.policy import (
    DIMENSIONS,
    PolicyRecord,
    PolicyVersion,
    Provision,
    ProvisionStatus,
    VersionKind,
)

V, S, U = ProvisionStatus.VERIFIED, ProvisionStatus.SECONDARY, ProvisionStatus.UNCONFIRMED


def _version(
    vid: str, day: date, kind: VersionKind, **provisions: tuple[str, ProvisionStatus]
) -> PolicyVersion:
    made = {
        d: Provision(d, value, status, ("synthetic source",))
        for d, (value, status) in provisions.items()
    }
    return PolicyVersion(vid, day, f"synthetic {vid}", kind, made)


RECORD = PolicyRecord(
    "Synthetica",
    (
        _version("v3", date(2022, 1, 1), VersionKind.REPLACES, transfer=("none", V)),
        _version("v1", date(2014, 1, 1), VersionKind.REPLACES, production=("none", V)),
        _version("v2", date(2015, 1, 1), VersionKind.AMENDS, transfer=("limited", S)),
    ),
)


def test_versions_are_ordered_and_found_by_date() -> None:
    assert [v.id for v in RECORD.versions] == ["v1", "v2", "v3"]
    assert RECORD.as_of(date(2013, 12, 31)) is None
    assert RECORD.as_of(date(2014, 1, 1)).id == "v1"  # type: ignore[union-attr]
    assert RECORD.as_of(date(2021, 12, 31)).id == "v2"  # type: ignore[union-attr]


def test_amendments_carry_over_and_replacements_do_not() -> None:
    v2 = RECORD.resolve("v2")
    assert set(v2) == set(DIMENSIONS)
    assert (v2["production"].provision.value, v2["production"].stated_in) == ("none", "v1")
    assert v2["transfer"].provision.status is S
    v3 = RECORD.resolve("v3")
    assert v3["production"].provision.status is U and v3["production"].stated_in is None


def test_diff() -> None:
    changes = {c.dimension: c.change for c in RECORD.diff("v2", "v3")}
    assert changes["transfer"] == "changed"
    assert changes["production"] == "no longer confirmed"
    assert changes["use_authority"] == "unchanged"
    assert {c.dimension: c.change for c in RECORD.diff("v1", "v2")}["transfer"] == "now stated"


def test_provisions_cannot_be_invented() -> None:
    with pytest.raises(ValueError, match="no value"):
        Provision("production", "none", U)
    with pytest.raises(ValueError, match="sources"):
        Provision("production", "none", V, ())
    with pytest.raises(ValueError, match="unknown dimension"):
        Provision("colour", "red", V, ("x",))
    with pytest.raises(ValueError, match="duplicate"):
        PolicyRecord("X", (RECORD.versions[0], RECORD.versions[0]))
    with pytest.raises(KeyError):
        RECORD.version("v9")
