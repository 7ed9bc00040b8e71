"""National configuration of clearance prioritisation: indicator radii, scenario weights,
the Landmine-Impact-Survey-style bands, sensitivity steps and the H3 grid resolution.

Every value here is a programme's choice, not a fact: the shipped defaults in
``minewatch/data/config/priority.toml`` are illustrative starting points, documented there,
and a national authority replaces them with its own file (``--config my.toml``).

>>> config = load_priority_config()
>>> config.scenarios[config.default_scenario].weights["population"] > 0
True
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from minewatch.domain.records import BlockageType, HazardType
from minewatch.errors import InvalidInput, Location

#: Indicators a scenario may weight. Distances are scored by proximity (closer = higher);
#: every other indicator is scored so that more means a higher clearance priority.
SCORED_INDICATORS: tuple[str, ...] = (
    "population",
    "settlement_distance_m",
    "road_distance_m",
    "school_distance_m",
    "health_distance_m",
    "water_distance_m",
    "agricultural_share",
    "accidents",
    "victims",
    "blockages",
    "residual_risk",
    "beneficiaries",
)

#: The distance indicators and the context layer each is measured to.
DISTANCE_LAYERS: dict[str, str] = {
    "settlement_distance_m": "settlements",
    "road_distance_m": "roads",
    "school_distance_m": "schools",
    "health_distance_m": "health",
    "water_distance_m": "water",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorSettings(_Strict):
    """How the indicators are measured."""

    population_radius_m: float = Field(default=1000.0, gt=0)
    accident_radius_m: float = Field(default=2000.0, gt=0)
    accident_period_years: float = Field(default=5.0, gt=0)
    distance_cap_m: float = Field(default=10_000.0, gt=0)
    metric_crs: str | None = None
    batch_size: int = Field(default=10_000, ge=1)


class Scenario(_Strict):
    """One weighting of the indicators; weights are relative (they are divided by their sum)."""

    description: str = ""
    weights: dict[str, float]

    @model_validator(mode="after")
    def _known_positive(self) -> Scenario:
        unknown = sorted(set(self.weights) - set(SCORED_INDICATORS))
        if unknown:
            raise ValueError(f"unknown indicators {unknown}; known: {list(SCORED_INDICATORS)}")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("weights must not be negative")
        if sum(self.weights.values()) <= 0:
            raise ValueError("at least one weight must be positive")
        return self


class LisBands(_Strict):
    """Points thresholds: a score below ``medium_from`` is low, below ``high_from`` medium."""

    medium_from: float = 6.0
    high_from: float = 11.0

    @model_validator(mode="after")
    def _ordered(self) -> LisBands:
        if not self.medium_from < self.high_from:
            raise ValueError("medium_from must be below high_from")
        return self


class LisSettings(_Strict):
    """A points score in the manner of the Landmine Impact Surveys: points for the kind of
    hazard, for each blocked resource and for each recent victim, then banded."""

    points_per_hazard_type: dict[HazardType, float] = Field(default_factory=dict)
    points_per_blockage_type: dict[BlockageType, float] = Field(default_factory=dict)
    points_per_recent_victim: float = Field(default=2.0, ge=0)
    bands: LisBands = Field(default_factory=LisBands)


class SensitivitySettings(_Strict):
    """One-at-a-time perturbations: each weight times (1 + step), the others unchanged."""

    steps: tuple[float, ...] = (-0.5, -0.25, 0.25, 0.5)
    top_k: int = Field(default=20, ge=1)

    @model_validator(mode="after")
    def _above_minus_one(self) -> SensitivitySettings:
        if any(s <= -1 for s in self.steps):
            raise ValueError("steps must be above -1 (a weight cannot go negative)")
        return self


class GridSettings(_Strict):
    resolution: int = Field(default=7, ge=0, le=15)


class ContextFiles(_Strict):
    """Context layers on the machine that ranks: a population raster and vector layers
    (``file.gpkg`` or ``file.gpkg:layer``). The server ranks the store's areas with them,
    since HTTP callers may not name server files; the CLI uses them when no option names
    the layer. A relative path is resolved against the folder of the file that names it.
    Accidents are not here: the store's own accidents are used."""

    population: str | None = None
    settlements: str | None = None
    roads: str | None = None
    schools: str | None = None
    health: str | None = None
    water: str | None = None
    agriculture: str | None = None

    def resolved(self, folder: Path) -> ContextFiles:
        """The same files with relative paths made absolute against ``folder``."""
        return self.model_copy(
            update={
                name: str(folder / value) if not Path(value).is_absolute() else value
                for name, value in self.model_dump().items()
                if value is not None
            }
        )

    def layers(self) -> dict[str, str]:
        """The vector layers named (every field but the population raster)."""
        named = self.model_dump(exclude={"population"})
        return {name: value for name, value in named.items() if value is not None}


class PriorityConfig(_Strict):
    """The whole prioritisation configuration of a programme."""

    indicators: IndicatorSettings = Field(default_factory=IndicatorSettings)
    normalisation: Literal["minmax", "rank"] = "minmax"
    missing: Literal["lowest", "median"] = "lowest"
    default_scenario: str
    scenarios: dict[str, Scenario]
    lis: LisSettings = Field(default_factory=LisSettings)
    sensitivity: SensitivitySettings = Field(default_factory=SensitivitySettings)
    grid: GridSettings = Field(default_factory=GridSettings)
    context: ContextFiles = Field(default_factory=ContextFiles)

    @model_validator(mode="after")
    def _default_exists(self) -> PriorityConfig:
        if self.default_scenario not in self.scenarios:
            raise ValueError(f"default_scenario {self.default_scenario!r} is not a scenario")
        return self

    def scenario(self, name: str | None) -> Scenario:
        """The named scenario (the default one when ``name`` is None)."""
        key = name or self.default_scenario
        if key not in self.scenarios:
            raise InvalidInput(
                f"no scenario {key!r}; configured: {sorted(self.scenarios)}",
                Location(field="scenario"),
            )
        return self.scenarios[key]


def load_priority_config(path: str | Path | None = None) -> PriorityConfig:
    """The configuration from a TOML file, or the shipped illustrative defaults."""
    if path is None:
        text = (
            resources.files("minewatch.data")
            .joinpath("config/priority.toml")
            .read_text(encoding="utf-8")
        )
        name = "priority.toml (shipped)"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(
                f"cannot read configuration: {exc}", Location(file=str(path))
            ) from None
        name = str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}", Location(file=name)) from None
    section = raw.get("priority", raw)
    try:
        config = PriorityConfig.model_validate(section)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(first["msg"], Location(file=name, field=field or None)) from None
    return config if path is None else _with_context_in(config, Path(path).parent)


def _with_context_in(config: PriorityConfig, folder: Path) -> PriorityConfig:
    return config.model_copy(update={"context": config.context.resolved(folder)})


def _merged(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if key == "scenarios":
            out[key] = dict(value)  # a programme's scenarios replace the illustrative ones
        elif isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def priority_config_from_national(
    section: Mapping[str, Any], folder: Path | None = None
) -> PriorityConfig:
    """The ``[priority]`` section of the national configuration (``minewatch.config``),
    over the shipped defaults: keys it sets win, and its scenarios, if any, replace the
    illustrative ones. An empty section gives the shipped defaults. Relative context files
    are resolved against ``folder`` (the national configuration's own folder).

    >>> priority_config_from_national({"normalisation": "rank"}).normalisation
    'rank'
    """
    shipped = load_priority_config().model_dump(mode="json")
    try:
        config = PriorityConfig.model_validate(_merged(shipped, section))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "priority." + ".".join(str(p) for p in first["loc"])
        raise InvalidInput(first["msg"], Location(field=field)) from None
    return config if folder is None else _with_context_in(config, folder)
