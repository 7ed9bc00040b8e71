"""Data-entry forms described from the domain's schema (each field's control, bounds, choices
with labels, help), the items a reference field may name, and a preview of a geometry as the
workflow would store it (area, repairs, warnings), so the page can show them before submit.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from minewatch.api.deps import Workflow
from minewatch.api.errors import HttpProblem, problems
from minewatch.api.geojson import parse_geometry
from minewatch.domain.records import Kind
from minewatch.services.form_checks import CHOICES_LIMIT, preview_geometry, reference_choices
from minewatch.services.form_schema import describe_form, describe_forms

router = APIRouter(prefix="/api/entry-forms", tags=["entry forms"])

#: The language of labels and help (an IETF tag such as fr); the vocabulary's default if unset.
Lang = Annotated[str | None, Query(max_length=20, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$")]


class GeometryIn(BaseModel):
    """A GeoJSON geometry (WGS84 longitude/latitude) to check as a report would carry it."""

    geometry: dict[str, Any]


@router.get("", summary="Every kind's data-entry form, described from the schema")
def all_forms(lang: Lang = None) -> list[dict[str, Any]]:
    return describe_forms(locale=lang)


@router.get("/{kind}", summary="One kind's data-entry form", responses=problems(422))
def one_form(kind: Kind, lang: Lang = None) -> dict[str, Any]:
    return describe_form(kind, locale=lang)


@router.get(
    "/{kind}/choices",
    summary="Items a reference field of this kind may name, by name or code",
    responses=problems(401, 403, 404),
)
def choices(
    kind: Kind,
    wf: Workflow,
    q: Annotated[str | None, Query(max_length=200, description="part of a name or code")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = CHOICES_LIMIT,
) -> list[dict[str, Any]]:
    return reference_choices(wf, kind, q, limit=limit)


@router.post(
    "/{kind}/geometry",
    summary="The geometry as a report of this kind would store it: area, repairs, warnings",
    responses=problems(400, 401, 403),
)
def geometry_preview(kind: Kind, body: GeometryIn, wf: Workflow) -> dict[str, Any]:
    geometry = parse_geometry(body.geometry, max_vertices=wf.rules.max_vertices)
    if geometry is None:
        raise HttpProblem(400, "send a GeoJSON geometry")
    return preview_geometry(kind, geometry, wf.rules, wf.boundary)
