"""The geometries reports may carry, by the domain's geometry rules: :func:`check_geometries`
repairs what it can (each repair a note on the report, never silent) and names the first error
of each row it cannot accept.

>>> import shapely
>>> check_geometries(Kind.DEVICE_FIND, np.array([shapely.Point(30, 50, 120)]))[1]
[('repaired [z_dropped]: the Z (height) coordinates were dropped',)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain.geometry import DEFAULT_RULES, FindingSeverity, GeometryRules
from minewatch.domain.geometry import check_geometries as domain_check
from minewatch.domain.records import Kind, record_type


def check_geometries(
    kind: Kind,
    geometries: np.ndarray,
    rules: GeometryRules = DEFAULT_RULES,
    boundary: BaseGeometry | None = None,
) -> tuple[np.ndarray, list[tuple[str, ...]], dict[int, str]]:
    """The geometries reports may carry for ``kind``: (geometries as repaired, notes per row,
    {row: first error}), by the geometry rules of :mod:`minewatch.domain.geometry`. Rows
    without a geometry are left alone (an update need not move its item). Repairs and
    warnings become notes on the report, never silent.

    Examples
    --------
    >>> import shapely
    >>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
    >>> geoms, notes, errors = check_geometries(
    ...     Kind.HAZARDOUS_AREA, np.array([bowtie, shapely.Point(30, 50), None]))
    >>> geoms[0].geom_type, errors, geoms[2]
    ('MultiPolygon', {1: 'expected a polygon, got a Point'}, None)
    >>> notes[0]
    ('repaired [self_intersection]: invalid geometry: Self-intersection; repaired with make_valid:
     Polygon → MultiPolygon; area 0 m² → 398,692 m²',)
    """
    out = np.asarray(geometries, dtype=object).copy()
    notes: list[tuple[str, ...]] = [()] * len(out)
    errors: dict[int, str] = {}
    rows = np.flatnonzero(~shapely.is_missing(out))
    expected = record_type(kind).geometry_type
    if expected is None:
        return out, notes, {int(i): f"{kind.value} records have no geometry" for i in rows}
    with_z = rows[np.asarray(shapely.has_z(out[rows]), dtype=bool)] if len(rows) else rows
    if len(with_z):  # stored geometry is 2-D lon/lat; heights are not part of the record
        out[with_z] = shapely.force_2d(out[with_z])
        for i in with_z.tolist():
            notes[i] = ("repaired [z_dropped]: the Z (height) coordinates were dropped",)
    check = domain_check(
        out[rows],
        rows.tolist(),
        rules=rules,
        boundary=boundary,
        expected="point" if expected == "POINT" else "polygon",
    )
    out[rows] = check.geometries
    for finding in check.findings:
        row = int(finding.record)  # type: ignore[arg-type]
        if finding.severity is FindingSeverity.ERROR:
            errors.setdefault(row, finding.message)
        else:
            notes[row] = (
                *notes[row],
                note_text(finding.severity.value, finding.rule, finding.message),
            )
    if expected == "POLYGON":  # a one-part multipolygon is a polygon; more parts are not
        for i in rows:
            geom = out[i]
            if geom is not None and geom.geom_type == "MultiPolygon":
                if len(geom.geoms) == 1:
                    out[i] = geom.geoms[0]
                else:
                    errors.setdefault(
                        int(i), f"{kind.value} needs one polygon, got {len(geom.geoms)} parts"
                    )
    return out, notes, errors


def note_text(severity: str, rule: str, message: str) -> str:
    """The note a finding leaves on a report: ``severity [rule]: message`` (read back by
    :func:`read_note`).

    >>> note_text("warning", "vertex_gap", "vertices 2.1 km apart")
    'warning [vertex_gap]: vertices 2.1 km apart'
    """
    return f"{severity} [{rule}]: {message}"


_NOTE = re.compile(r"^(?P<severity>[a-z_]+) \[(?P<rule>[a-z_]+)\]: (?P<message>.*)$", re.S)
_AREAS = re.compile(r"area (?P<before>[\d,.]+) m² → (?P<after>[\d,.]+) m²")


@dataclass(frozen=True)
class NoteView:
    """One note on a report, read: its severity (``repaired``, ``warning``, ``error``, or
    ``note`` for free text such as an intake's attachments), the rule, the message, and for
    a repair the areas before and after in m²; ``related`` and ``measure`` name the other
    item and the size of the problem for findings between two geometries.

    >>> NoteView("note", None, "photo.jpg attached").area_change_m2 is None
    True
    """

    severity: str
    rule: str | None
    message: str
    area_before_m2: float | None = None
    area_after_m2: float | None = None
    related: str | None = None
    measure: float | None = None

    @property
    def area_change_m2(self) -> float | None:
        """How much area the repair added (negative: removed), or None."""
        if self.area_before_m2 is None or self.area_after_m2 is None:
            return None
        return self.area_after_m2 - self.area_before_m2


def read_note(note: str) -> NoteView:
    """A report's note as :class:`NoteView`: what :func:`note_text` wrote, with the areas
    before and after a repair (:class:`~minewatch.domain.geometry.findings.Repair`), or
    free text as it is.

    Examples
    --------
    >>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
    >>> _, notes, _ = check_geometries(Kind.HAZARDOUS_AREA, np.array([bowtie]))
    >>> view = read_note(notes[0][0])
    >>> view.severity, view.rule, view.area_before_m2, view.area_after_m2
    ('repaired', 'self_intersection', 0.0, 398692.0)
    >>> read_note("attachment photo.jpg").severity
    'note'
    """
    match = _NOTE.match(note)
    if match is None:
        return NoteView("note", None, note)
    areas = _AREAS.search(match["message"])
    return NoteView(
        match["severity"],
        match["rule"],
        match["message"],
        area_before_m2=float(areas["before"].replace(",", "")) if areas else None,
        area_after_m2=float(areas["after"].replace(",", "")) if areas else None,
    )


def note_sentence(note: str) -> str:
    """A report's note as a person reads it: the rule's code, kept for programs by
    :func:`read_note`, left out.

    >>> note_sentence("warning [vertex_gap]: vertices 2.1 km apart")
    'Warning: vertices 2.1 km apart'
    >>> note_sentence("photo.jpg attached")
    'photo.jpg attached'
    """
    view = read_note(note)
    if view.rule is None:
        return view.message
    return f"{view.severity.capitalize()}: {view.message}"
