"""Geometries as read: WKB or WKT parsed (unclosed rings closed and reported, anything
unreadable kept as a finding), made 2-D and transformed to WGS84."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry import (
    Expected,
    Finding,
    FindingSeverity,
    GeometryArray,
    Repair,
    Rule,
)
from minewatch.io.geodata.batch import ImportRule, _finding
from minewatch.io.geodata.crs import _Projector

_READERS: dict[str, Callable[..., Any]] = {"wkb": shapely.from_wkb, "wkt": shapely.from_wkt}


def _parse_geometries(
    raw: npt.NDArray[np.object_],
    numbers: npt.NDArray[np.int64],
    encoding: Literal["wkb", "wkt"],
    column: str | None = None,
) -> tuple[GeometryArray, list[Finding]]:
    """Shapely geometries from WKB or WKT; unclosed rings are closed (and reported),
    anything else GEOS cannot read becomes None with the reason."""
    read = _READERS[encoding]
    geoms = np.asarray(read(raw, on_invalid="ignore"), dtype=object)
    findings: list[Finding] = []
    for row in np.flatnonzero(shapely.is_missing(geoms) & pd.notna(raw)):
        try:
            read(raw[row])
            reason = "GEOS could not read it"
        except shapely.errors.GEOSException as exc:
            reason = str(exc).split(": ", 1)[-1]
        fixed = read(raw[row], on_invalid="fix") if "closed" in reason else None
        if fixed is not None and not fixed.is_empty:
            geoms[row] = fixed
            area = float(ellipsoidal_area([fixed])[0])
            findings.append(
                _finding(
                    Rule.UNCLOSED_RING,
                    FindingSeverity.REPAIRED,
                    numbers[row],
                    f"{reason}: closed the ring by repeating its first vertex",
                    repair=Repair(fixed.geom_type, fixed.geom_type, area, area),
                )
            )
            continue
        quoted = (
            f"column {column}: {str(raw[row])[:80]!r} is not WKT"
            if column
            else ("the geometry cannot be read")
        )
        findings.append(
            _finding(
                ImportRule.UNREADABLE_GEOMETRY,
                FindingSeverity.ERROR,
                numbers[row],
                f"{quoted}: {reason}",
            )
        )
    return geoms, findings


def _normalise(geoms: GeometryArray, expected: Expected) -> GeometryArray:
    """2-D geometries; for point records, a one-part MultiPoint becomes its Point."""
    geoms = np.asarray(shapely.force_2d(geoms), dtype=object)
    if expected == "point":
        single = (shapely.get_type_id(geoms) == 4) & (shapely.get_num_geometries(geoms) == 1)
        geoms[single] = shapely.get_geometry(geoms[single], 0)
    return geoms


def _transform(
    geoms: GeometryArray, project: _Projector, numbers: npt.NDArray[np.int64]
) -> tuple[GeometryArray, list[Finding]]:
    present = ~shapely.is_missing(geoms)
    out = geoms.copy()
    out[present] = project(geoms[present])
    findings = []
    coords, owner = shapely.get_coordinates(out[present], return_index=True)
    if project.transformer is not None and len(coords):
        bad = np.bincount(owner, ~np.isfinite(coords).all(axis=1), int(present.sum())) > 0
        for row in np.flatnonzero(present)[bad]:
            findings.append(
                _finding(
                    ImportRule.UNTRANSFORMABLE_GEOMETRY,
                    FindingSeverity.ERROR,
                    numbers[row],
                    "the geometry cannot be transformed to WGS84 (outside the CRS's area?)",
                )
            )
            out[row] = None
    return out, findings
