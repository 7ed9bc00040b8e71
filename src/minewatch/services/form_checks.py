"""What a form shows before it is sent: the geometry as the workflow would store it (its area,
every repair and warning the domain's rules would make, or why it would be refused), and the
items a reference field may name (organisations, gazetteer entries, hazardous areas), found
by name or code.

>>> import shapely
>>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
>>> preview = preview_geometry("hazardous_area", bowtie)
>>> preview["accepted"], preview["area_m2"], round(preview["stored_area_m2"])
(True, 0.0, 398692)
>>> [r["rule"] for r in preview["repairs"]]
['self_intersection']
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry import DEFAULT_RULES, GeometryRules
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, Record
from minewatch.services.form_labels import enum_label
from minewatch.services.records.geometries import check_geometries

if TYPE_CHECKING:
    from minewatch.services.records import Workflow

#: A note as :func:`check_geometries` writes it: "severity [rule]: message".
_NOTE = re.compile(r"^(?P<severity>\w+) \[(?P<rule>\w+)\]: (?P<message>.*)$", re.DOTALL)

#: How many items a picker shows at most: beyond that, the user types to narrow.
CHOICES_LIMIT = 50


def _area(geometry: BaseGeometry | None) -> float:
    if geometry is None:
        return 0.0
    value = float(ellipsoidal_area([geometry])[0])
    return 0.0 if np.isnan(value) else round(value, 1)


def preview_geometry(
    kind: Kind | str,
    geometry: BaseGeometry,
    rules: GeometryRules = DEFAULT_RULES,
    boundary: BaseGeometry | None = None,
) -> dict[str, Any]:
    """The geometry as a report of ``kind`` would store it, by the same rules the workflow
    applies: ``accepted`` (or the ``error`` that refuses it), the area drawn (``area_m2``)
    and stored (``stored_area_m2``), the ``repairs`` and ``warnings`` (rule and message), and
    the stored ``geometry`` (GeoJSON). A form asks the user to acknowledge any repair.

    Examples
    --------
    >>> square = shapely.box(30, 50, 30.01, 50.01)
    >>> p = preview_geometry(Kind.HAZARDOUS_AREA, square)
    >>> p["accepted"], round(p["area_m2"]), p["repairs"], p["warnings"]
    (True, 797383, [], [])
    >>> print(preview_geometry(Kind.HAZARDOUS_AREA, shapely.Point(30, 50))["error"])
    expected a polygon, got a Point
    """
    kind = Kind(kind)
    geoms, notes, errors = check_geometries(
        kind, np.array([geometry], dtype=object), rules, boundary
    )
    repairs: list[dict[str, str]] = []
    warnings: list[dict[str, str]] = []
    for note in notes[0]:
        match = _NOTE.match(note)
        if match is None:
            warnings.append({"rule": "", "message": note})
            continue
        entry = {"rule": match["rule"], "message": match["message"]}
        (repairs if match["severity"] == "repaired" else warnings).append(entry)
    stored = None if errors else geoms[0]
    return {
        "accepted": not errors,
        "error": errors.get(0),
        "area_m2": _area(geometry),
        "stored_area_m2": _area(stored) if stored is not None else None,
        "repairs": repairs,
        "warnings": warnings,
        "geometry": shapely.geometry.mapping(stored) if stored is not None else None,
    }


def _choice(record: Record) -> dict[str, Any]:
    """One item as a picker lists it: its code, a label people know it by, a detail line."""
    name = getattr(record, "name", None) or ""
    acronym = getattr(record, "acronym", None)
    label = f"{name} ({acronym})" if name and acronym else name or str(record.code)
    detail = [str(record.code)]
    level = getattr(record, "level", None)
    if level is not None:
        detail.append(enum_label(level))
    return {"code": record.code, "label": label, "detail": " · ".join(detail)}


def reference_choices(
    wf: Workflow, kind: Kind | str, text: str | None = None, *, limit: int = CHOICES_LIMIT
) -> list[dict[str, Any]]:
    """Items of ``kind`` a reference field may name, whose name, code, acronym or P-code
    contains ``text`` (any case), as the actor may see them, sorted by label.

    Examples
    --------
    >>> from minewatch.services.records import Workflow
    >>> from minewatch.domain.access import local_admin
    >>> wf = Workflow(demo_store(tmp), local_admin())
    >>> [(c["code"], c["label"]) for c in reference_choices(wf, "organisation", "org-000002")]
    [('ORG-000002', 'Demo Demining NGO (synthetic) (DDN)')]
    >>> reference_choices(wf, "organisation", "no such operator")
    []
    """
    needle = (text or "").strip().casefold()
    out = []
    for record in wf.list_items(ItemQuery(Kind(kind))):
        words = (
            record.code,
            getattr(record, "name", None),
            getattr(record, "acronym", None),
            getattr(record, "pcode", None),
        )
        if needle and not any(needle in str(w).casefold() for w in words if w):
            continue
        out.append(_choice(record))
    out.sort(key=lambda c: (str(c["label"]).casefold(), str(c["code"])))
    return out[:limit]
