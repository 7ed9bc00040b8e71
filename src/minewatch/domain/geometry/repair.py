"""Invalid polygons: GEOS's reason read as a :class:`~.findings.Rule`, and the repair
(``shapely.make_valid``, keeping only polygonal parts) reported as a finding with the areas
before and after, or the geometry rejected when no area is left or repair is off.
"""

from __future__ import annotations

import re

import numpy as np
import shapely

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry.arrays import GeometryArray
from minewatch.domain.geometry.findings import FindingSeverity, Repair, Rule, _Collector, _xy
from minewatch.domain.geometry.rules import GeometryRules

_REASON = re.compile(r"^(?P<text>[^\[]*)\[(?P<x>\S+) (?P<y>\S+)\]")


_REASON_RULES: tuple[tuple[str, Rule], ...] = (
    ("Self-intersection", Rule.SELF_INTERSECTION),
    ("Ring Self-intersection", Rule.SELF_INTERSECTION),
    ("Too few points", Rule.TOO_FEW_POINTS),
    ("Ring is not closed", Rule.UNCLOSED_RING),
)


def _classify_reason(reason: str) -> tuple[Rule, str, tuple[float, float] | None]:
    """The rule behind a GEOS ``is_valid_reason`` text, its wording and its location."""
    match = _REASON.match(reason)
    text = match.group("text").strip() if match else reason
    location = _xy(float(match.group("x")), float(match.group("y"))) if match else None
    rule = next((r for prefix, r in _REASON_RULES if text.startswith(prefix)), None)
    return rule or Rule.INVALID_POLYGON, text, location


def _polygonal_parts(geoms: GeometryArray) -> tuple[GeometryArray, list[str | None]]:
    """Only the polygonal parts of each geometry (a MultiPolygon, or a Polygon when there is
    one part), and a description of the parts dropped (None when nothing was dropped)."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    # collections may nest multipolygons: flatten once more
    parts, inner = shapely.get_parts(parts, return_index=True)
    owner = owner[inner]
    type_ids = shapely.get_type_id(parts)
    keep = (type_ids == 3) & ~shapely.is_empty(parts)
    result = np.full(len(geoms), None, dtype=object)
    if keep.any():
        owners, dense = np.unique(owner[keep], return_inverse=True)
        collected = shapely.multipolygons(parts[keep], indices=dense)
        counts = np.bincount(dense)
        result[owners] = np.where(counts == 1, shapely.get_geometry(collected, 0), collected)
    dropped: list[str | None] = [None] * len(geoms)
    for k in np.flatnonzero(~keep):
        name = parts[k].geom_type + (" (empty)" if parts[k].is_empty else "")
        row = owner[k]
        dropped[row] = f"{dropped[row]}, {name}" if dropped[row] else name
    return result, dropped


def _check_validity(geoms: GeometryArray, rules: GeometryRules, out: _Collector) -> GeometryArray:
    """Invalid polygons: repaired (reported) when ``rules.repair_invalid`` and the repair keeps
    some area, rejected otherwise. Returns the geometries with repairs applied."""
    fixed = geoms.copy()
    live = np.flatnonzero(~out.rejected & ~shapely.is_missing(geoms))
    invalid = live[~shapely.is_valid(geoms[live])]  # rejected rows may be huge: skip them
    if len(invalid) == 0:
        return fixed
    reasons = shapely.is_valid_reason(geoms[invalid])
    repaired: GeometryArray = np.full(len(invalid), None, dtype=object)
    made: GeometryArray = np.full(len(invalid), None, dtype=object)
    dropped: list[str | None] = [None] * len(invalid)
    if rules.repair_invalid:
        made = np.asarray(shapely.make_valid(geoms[invalid], method="linework"), dtype=object)
        repaired, dropped = _polygonal_parts(made)
    area_before = ellipsoidal_area(geoms[invalid])
    area_after = ellipsoidal_area(repaired)
    for k, row in enumerate(invalid):
        rule, text, location = _classify_reason(str(reasons[k]))
        if repaired[k] is None or not rules.repair_invalid:
            why = "no area is left after repair" if rules.repair_invalid else "repair is off"
            out.add(
                row,
                rule,
                FindingSeverity.ERROR,
                f"invalid geometry: {text}; {why}",
                location=location,
            )
            continue
        note = Repair(
            type_before=geoms[row].geom_type,
            type_after=repaired[k].geom_type,
            area_before_m2=float(area_before[k]),
            area_after_m2=float(area_after[k]),
            dropped=dropped[k],
            made_type=made[k].geom_type,
        )
        out.add(
            row,
            rule,
            FindingSeverity.REPAIRED,
            f"invalid geometry: {text}; {note}",
            location=location,
            repair=note,
        )
        fixed[row] = repaired[k]
    return fixed
