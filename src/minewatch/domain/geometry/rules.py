"""The thresholds a national programme chooses for the geometry checks
(:class:`GeometryRules`, part of the national configuration), and their defaults.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GeometryRules(BaseModel):
    """The thresholds a national programme chooses for the geometry checks (part of the
    national configuration; every default is documented in docs/geodata.md).

    Examples
    --------
    >>> rules = GeometryRules(max_vertex_gap_m=1_000, vertex_gap_severity="error")
    >>> rules.max_vertex_gap_m, rules.repair_invalid
    (1000.0, True)
    >>> GeometryRules(duplicate_iou=1.5)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for GeometryRules
    ...
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_vertex_gap_m: float = Field(
        default=5_000.0,
        gt=0,
        description="Consecutive vertices further apart than this are reported.",
    )
    vertex_gap_severity: Literal["error", "warning"] = "warning"
    duplicate_iou: float = Field(
        default=0.99,
        gt=0,
        le=1,
        description="Two areas whose intersection over union reaches this are duplicates.",
    )
    duplicate_distance_m: float = Field(
        default=1.0, ge=0, description="Two points closer than this (geodesic) are duplicates."
    )
    min_overlap_m2: float = Field(
        default=1.0,
        ge=0,
        description="Overlaps smaller than this are digitising noise, not reported.",
    )
    boundary_tolerance_m: float = Field(
        default=0.0, ge=0, description="How far outside the national boundary a position may lie."
    )
    outside_boundary_severity: Literal["error", "warning"] = "error"
    repair_invalid: bool = Field(
        default=True,
        description="Repair invalid polygons with make_valid (reported), or reject them.",
    )
    max_vertices: int = Field(
        default=100_000,
        ge=4,
        description="A geometry with more vertices than this is refused before any other "
        "check: one walked or surveyed hazard polygon has hundreds, and a million-vertex "
        "polygon costs the server memory and every reader a slow answer.",
    )


DEFAULT_RULES = GeometryRules()
