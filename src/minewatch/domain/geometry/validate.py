"""Every finding for a set of geometries (:func:`validate_geometries`): each checked on its own,
then, as repaired, against each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shapely.geometry.base import BaseGeometry

from minewatch.domain.geometry.check import Expected, check_geometries
from minewatch.domain.geometry.duplicates import find_duplicates_and_overlaps
from minewatch.domain.geometry.findings import Finding, RecordRef
from minewatch.domain.geometry.rules import DEFAULT_RULES, GeometryRules


def validate_geometries(
    geoms: Any,
    refs: Sequence[RecordRef] | None = None,
    *,
    rules: GeometryRules = DEFAULT_RULES,
    boundary: BaseGeometry | None = None,
    expected: Expected = None,
    pairwise: bool = True,
) -> list[Finding]:
    """Every finding for these geometries: :func:`check_geometries` on each, then (when
    ``pairwise``) :func:`find_duplicates_and_overlaps` on the geometries as repaired.

    >>> import shapely
    >>> two_vertex = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30 50))")
    >>> [str(f) for f in validate_geometries([two_vertex], ["HA-000007"])]
    ['HA-000007: [too_few_points] error: invalid geometry: Too few points in geometry component; no area is left after repair']
    """
    check = check_geometries(geoms, refs, rules=rules, boundary=boundary, expected=expected)
    findings = list(check.findings)
    if pairwise:
        references = list(refs) if refs is not None else list(range(1, len(check.geometries) + 1))
        findings.extend(find_duplicates_and_overlaps(check.geometries, references, rules=rules))
    return findings
