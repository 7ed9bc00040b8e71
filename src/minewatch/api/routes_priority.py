"""Clearance prioritisation over HTTP: the configured scenarios, the ranked list (JSON,
GeoJSON, CSV, GeoPackage), one area's explanation, the sensitivity of the ranking to the
weights, and the H3 grid for the map.

Every route ranks the store's open, approved hazardous areas through
:func:`minewatch.services.priority.rank_store`, exactly as ``minewatch priority rank
--store`` does. Context layers (population raster, roads, …) come only from the national
configuration's ``[priority.context]``; a caller can never name a file on the server. The
ranking is recomputed on each request, with no cache (docs/priority-web.md gives the
measured cost and why).

Only counts leave: the victims indicator is the number of victims of nearby accidents, as
the open-data package publishes per accident, never a person's details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from minewatch.api.deps import National, Workflow
from minewatch.api.errors import problems
from minewatch.api.geojson import GEOJSON
from minewatch.api.language import request_locale
from minewatch.api.params import Day, page_links
from minewatch.charts import priority as charts
from minewatch.domain.records import Kind
from minewatch.priority_config import PriorityConfig
from minewatch.services import disclosure
from minewatch.services import priority as service
from minewatch.services.audited import AuditedWorkflow

#: Staff only: every route reads the store as the caller.
router = APIRouter(prefix="/api/priority", tags=["prioritisation"], responses=problems(401, 403))

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
    "png": "image/png",
    "html": "text/html; charset=utf-8",
}
#: Maps open in the browser; lists are saved.
_DISPOSITION = {"csv": "attachment", "gpkg": "attachment", "png": "inline", "html": "inline"}


@dataclass
class Scoring:
    """Which scenario, and the day accidents are counted back from."""

    scenario: Annotated[
        str | None, Query(max_length=100, description="scenario name (default: the configured)")
    ] = None
    as_of: Annotated[
        Day | None, Query(description="day accidents are counted back from (default: today)")
    ] = None

    def ranked(
        self, wf: AuditedWorkflow, config: PriorityConfig
    ) -> tuple[gpd.GeoDataFrame, service.PriorityRequest]:
        """The store's ranking under this scenario (of the server's configuration), and the
        request that made it."""
        disclosure.check_kind_visible(wf.actor, Kind.HAZARDOUS_AREA)
        request = service.PriorityRequest(
            config=config,
            inputs=service.with_context(service.PriorityInputs(), config),
            scenario=self.scenario,
            as_of=self.as_of or date.today(),
        )
        return service.rank_store(wf.store, request), request


@dataclass
class Selection(Scoring):
    """A scoring, and which of the ranked areas to list (their national ranks kept)."""

    organisation_code: Annotated[
        str | None, Query(max_length=100, description="only this organisation's areas")
    ] = None
    location_code: Annotated[
        str | None, Query(max_length=100, description="only areas of this location code")
    ] = None

    def ranked(
        self, wf: AuditedWorkflow, config: PriorityConfig
    ) -> tuple[gpd.GeoDataFrame, service.PriorityRequest]:
        ranked, request = super().ranked(wf, config)
        kept = service.filter_ranked(
            ranked, organisation_code=self.organisation_code, location_code=self.location_code
        )
        return kept, request


Scored = Annotated[Scoring, Depends()]
Selected = Annotated[Selection, Depends()]
Resolution = Annotated[
    int | None, Query(ge=0, le=15, description="H3 resolution (default: configured)")
]

#: How many of an area's largest contributions the list shows.
TOP_INDICATORS = 3

#: What the GeoJSON map layer carries of each ranked area.
MAP_COLUMNS = ["code", "name", "rank", "score", "lis_points", "lis_band", "geometry"]


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, NaN and missing as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    return value


def _weighted(ranked: pd.DataFrame) -> list[str]:
    """The indicators the scenario weighs: those the scoring gave a contribution column."""
    columns = [str(c) for c in ranked.columns]
    return [c.removeprefix("contribution_") for c in columns if c.startswith("contribution_")]


def _row(row: pd.Series, names: list[str]) -> dict[str, Any]:
    contributions = sorted(((float(row[f"contribution_{n}"]), n) for n in names), reverse=True)[
        :TOP_INDICATORS
    ]
    return {
        "rank": int(row["rank"]),
        "code": str(row["code"]),
        **{k: _plain(row.get(k)) for k in service.DESCRIPTIVE},
        "score": float(row["score"]),
        "lis_points": float(row["lis_points"]),
        "lis_band": str(row["lis_band"]),
        "indicators": {n: _plain(row[n]) for n in names},
        "top_indicators": [
            {"indicator": n, "label": service.indicator_label(n), "contribution": c}
            for c, n in contributions
            if c > 0
        ],
    }


def _missing_policy(config: PriorityConfig) -> str:
    return {
        "lowest": "unknown values score 0 after normalisation",
        "median": "unknown values score the median of the known ones",
    }[config.missing]


@router.get("/scenarios", summary="The configured scenarios, LIS bands and context layers")
def scenarios(wf: Workflow, national: National) -> dict[str, Any]:
    """The weighted scenarios of the national configuration (each weight with its share),
    the Landmine-Impact-Survey-style points and bands, and which context layers the server
    has (by name only: where they are stays on the server)."""
    disclosure.check_kind_visible(wf.actor, Kind.HAZARDOUS_AREA)
    config = national.priority
    context = config.context.model_dump()
    return {
        "default_scenario": config.default_scenario,
        "normalisation": config.normalisation,
        "missing": config.missing,
        "missing_policy": _missing_policy(config),
        "scenarios": [
            {
                "name": name,
                "description": scenario.description,
                "weights": [
                    {
                        "indicator": indicator,
                        "label": service.indicator_label(indicator),
                        "weight": weight,
                        "share": weight / sum(scenario.weights.values()),
                    }
                    for indicator, weight in scenario.weights.items()
                ],
            }
            for name, scenario in config.scenarios.items()
        ],
        "lis": config.lis.model_dump(mode="json"),
        "context_layers": {name: value is not None for name, value in context.items()},
        "grid_resolution": config.grid.resolution,
    }


@router.get("/ranking", summary="Open hazardous areas ranked under a scenario (paged)")
def ranking(
    wf: Workflow,
    national: National,
    request: Request,
    selection: Selected,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    """Rank 1 is the highest priority. Each row has its score (0-100), LIS points and band,
    each weighted indicator's value and its largest contributions. ``coverage`` says, per
    indicator, where values come from and how many areas have none; filters keep the
    national ranks."""
    ranked, req = selection.ranked(wf, national.priority)
    names = _weighted(ranked)
    page = ranked.iloc[offset : offset + limit]
    return {
        "scenario": req.scenario_name,
        "as_of": req.as_of.isoformat(),
        "numberMatched": len(ranked),
        "numberReturned": len(page),
        "areas": [_row(row, names) for _, row in page.iterrows()],
        "coverage": service.coverage(ranked, req),
        "missing_policy": _missing_policy(req.config),
        "links": page_links(request.url, offset, limit, len(page), len(ranked), "application/json"),
    }


@router.get(
    "/ranking.{form}",
    summary="The ranked list as a GeoJSON layer, a CSV or GeoPackage file, or a PNG or HTML map",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}, **{media: {} for media in MEDIA.values()}}}},
)
def ranking_file(
    request: Request,
    form: Literal["geojson", "csv", "gpkg", "png", "html"],
    wf: Workflow,
    national: National,
    selection: Selected,
) -> Response:
    """``ranking.geojson``: each area's polygon with its rank, score and band (for maps);
    ``ranking.csv`` (one row per area by rank, with its representative point) and
    ``ranking.gpkg`` (a layer ``ranked`` that QGIS opens) hold every indicator, normalised
    value and contribution, as ``minewatch priority rank --csv/--gpkg`` writes them;
    ``ranking.png`` and ``ranking.html`` (self-contained, opens offline) are the map of
    scores that ``--png/--html`` write, the highest priorities labelled."""
    ranked, req = selection.ranked(wf, national.priority)
    if form == "geojson":
        frame = ranked[[c for c in MAP_COLUMNS if c in ranked]]
        return Response(frame.to_json(na="null", drop_id=True), media_type=GEOJSON)
    if form == "png" or form == "html":
        content = charts.ranking_map(ranked, form, request_locale(request))
    else:
        content = service.ranked_file(ranked, form)
    return _file(
        content,
        form,
        f"priority-{req.scenario_name}-{req.as_of.isoformat()}",
    )


def _file(content: bytes, form: str, stem: str) -> Response:
    return Response(
        content,
        media_type=MEDIA[form],
        headers={"Content-Disposition": f'{_DISPOSITION[form]}; filename="{stem}.{form}"'},
    )


@router.get("/explain/{code}", summary="Why one area scored what it did", responses=problems(404))
def explain(code: str, wf: Workflow, national: National, scoring: Scored) -> dict[str, Any]:
    """Each weighted indicator's value, normalised value (0-1), weight share and
    contribution (points out of 100; they add up to the score), largest first."""
    ranked, req = scoring.ranked(wf, national.priority)
    reasons = service.explain(ranked, code, req)
    row = ranked[ranked["code"].astype(str) == code].iloc[0]
    return {
        "scenario": req.scenario_name,
        "as_of": req.as_of.isoformat(),
        "code": code,
        "name": _plain(row.get("name")),
        "rank": int(row["rank"]),
        "of": len(ranked),
        "score": float(row["score"]),
        "lis_points": float(row["lis_points"]),
        "lis_band": str(row["lis_band"]),
        "indicators": [{k: _plain(v) for k, v in r.items()} for r in reasons.to_dict("records")],
    }


@router.get("/sensitivity", summary="How the ranking moves as each weight moves alone")
def sensitivity(
    wf: Workflow,
    national: National,
    scoring: Scored,
    limit: Annotated[int, Query(ge=1, le=1000, description="areas listed, by rank")] = 20,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    """One-at-a-time: each weight times (1 + step) for the configured steps. Per change,
    Kendall's tau against the base ranking, the share of the top k kept and the largest
    rank shift; per area (paged by base rank), the best and worst rank seen."""
    ranked, req = scoring.ranked(wf, national.priority)
    result = service.sensitivity(ranked, req)
    areas = result.areas.iloc[offset : offset + limit]
    return {
        "scenario": req.scenario_name,
        "top_k": min(req.config.sensitivity.top_k, len(ranked)),
        "steps": list(req.config.sensitivity.steps),
        "perturbations": [
            {k: _plain(v) for k, v in r.items()} for r in result.perturbations.to_dict("records")
        ],
        "numberMatched": len(result.areas),
        "areas": [{k: _plain(v) for k, v in r.items()} for r in areas.to_dict("records")],
    }


@router.get(
    "/grid",
    summary="Scores and impact on H3 cells (GeoJSON), for the national map",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}},
)
def grid(
    wf: Workflow,
    national: National,
    scoring: Scored,
    resolution: Resolution = None,
) -> Response:
    """Per cell: ``n_areas``, the areas' surface, residual hazard and people split among
    their cells, and the ``max_score`` and ``mean_score`` of the areas in it."""
    ranked, req = scoring.ranked(wf, national.priority)
    cells = service.grid(ranked, req.config, resolution)
    return Response(cells.to_json(na="null", drop_id=True), media_type=GEOJSON)


@router.get(
    "/grid.{form}",
    summary="The H3 grid as a PNG or offline HTML map of one surface",
    response_class=Response,
    responses={200: {"content": {MEDIA["png"]: {}, MEDIA["html"]: {}}}},
)
def grid_map(
    request: Request,
    form: Literal["png", "html"],
    wf: Workflow,
    national: National,
    scoring: Scored,
    resolution: Resolution = None,
    column: Annotated[
        str, Query(description="The surface to map: a column of /grid, e.g. n_areas")
    ] = "max_score",
) -> Response:
    """The cells filled by ``column`` (``max_score`` by default), as
    ``minewatch priority grid --png/--html`` draws them."""
    ranked, req = scoring.ranked(wf, national.priority)
    cells = service.grid(ranked, req.config, resolution)
    stem = f"priority-grid-{column}-{req.as_of.isoformat()}"
    service.check_grid_column(cells, column)
    return _file(charts.grid_map(cells, form, column, request_locale(request)), form, stem)
