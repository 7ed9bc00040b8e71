"""National configuration: the choices a national mine action authority makes.

Weights, thresholds and the "all reasonable effort" criteria are not constants of the
code. They live in one TOML file validated by pydantic. The shipped file
``minewatch/data/config/default.toml`` documents every default. A programme's own file
may override any subset of it, and unknown keys are refused.

>>> cfg = load_config()
>>> cfg.landrelease.area_tolerance_fraction, cfg.geometry.max_vertex_gap_m
(0.05, 5000.0)
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from minewatch.domain.geometry import GeometryRules
from minewatch.domain.records import EvidenceSource, EvidenceType
from minewatch.errors import InvalidInput, Location

_DEFAULT = ("minewatch.data.config", "default.toml")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassificationConfig(_Section):
    """Weighted evidence matrix for suggesting SHA or CHA (see default.toml)."""

    cha_threshold: float = Field(gt=0.0, le=1.0)
    sha_threshold: float = Field(gt=0.0, le=1.0)
    require_direct_evidence_for_cha: bool
    direct_evidence: frozenset[EvidenceType]
    type_weights: dict[EvidenceType, float]
    source_factors: dict[EvidenceSource, float]

    @model_validator(mode="after")
    def _complete(self) -> ClassificationConfig:
        for name, table, keys in (
            ("type_weights", self.type_weights, EvidenceType),
            ("source_factors", self.source_factors, EvidenceSource),
        ):
            missing = sorted(k.value for k in keys if k not in table)
            if missing:
                raise ValueError(f"{name} needs a value for {', '.join(missing)}")
            bad = sorted(k.value for k, v in table.items() if not 0.0 <= v <= 1.0)
            if bad:
                raise ValueError(f"{name} must be in [0, 1]: {', '.join(bad)}")
        return self


class AllReasonableEffortConfig(_Section):
    """The authority's criteria before cancelling land by non-technical survey."""

    min_informants: int = Field(ge=0)
    require_site_visit: bool
    require_records_check: bool
    max_survey_age_days: int = Field(ge=0)
    forbid_direct_evidence: bool
    max_evidence_strength: float = Field(gt=0.0, le=1.0)


class GeometryConfig(GeometryRules):
    """The geometry checks' thresholds (:class:`~minewatch.domain.geometry.GeometryRules`)
    plus the national boundary file that positions are checked against."""

    national_boundary: Path | None = None


class LandReleaseConfig(_Section):
    area_tolerance_fraction: float = Field(ge=0.0)


class DisplayConfig(_Section):
    large_area_unit: Literal["ha", "km2"] = "ha"
    default_language: str = Field(default="en", pattern=r"^[a-z]{2,3}([_-][A-Za-z0-9]+)?$")


class PullSourceConfig(_Section):
    """One KoboToolbox project or ODK Central form that ``minewatch intake pull`` reads.

    Secrets are never written here: ``token_env`` / ``password_env`` name the environment
    variable that holds the KoboToolbox API token or the ODK Central password, or
    ``credentials_file`` names a file (readable by the pulling account only) whose first line
    is the secret; a relative path is read from this file's folder.
    """

    server: Literal["kobo", "odk"]
    url: str = Field(pattern=r"^https?://[^\s]+$")
    asset: str | None = None  # KoboToolbox: the project's asset uid
    project: int | None = Field(default=None, ge=1)  # ODK Central: the project's id
    xml_form_id: str | None = None  # ODK Central: the form's xmlFormId
    email: str | None = None  # ODK Central: the web user's e-mail
    form: str | None = None  # the mapping's form id, when the server's differs
    token_env: str | None = None
    password_env: str | None = None
    credentials_file: Path | None = None
    page_size: int = Field(default=1000, ge=1, le=1000)
    timeout_s: float = Field(default=60.0, gt=0.0)

    @model_validator(mode="after")
    def _complete(self) -> PullSourceConfig:
        if self.server == "kobo" and not self.asset:
            raise ValueError("a KoboToolbox source needs asset (the project's uid)")
        if self.server == "odk" and not (self.project and self.xml_form_id and self.email):
            raise ValueError("an ODK Central source needs project, xml_form_id and email")
        secret = self.password_env if self.server == "odk" else self.token_env
        if not (secret or self.credentials_file):
            needed = "password_env" if self.server == "odk" else "token_env"
            raise ValueError(f"no credentials: give {needed} or credentials_file")
        return self


class IntakeConfig(_Section):
    """Field-data servers to pull from, by a name of the programme's choosing."""

    sources: dict[str, PullSourceConfig] = Field(default_factory=dict)


class NationalConfig(_Section):
    """The whole national configuration, one section per concern."""

    classification: ClassificationConfig
    all_reasonable_effort: AllReasonableEffortConfig
    geometry: GeometryConfig
    landrelease: LandReleaseConfig
    display: DisplayConfig = DisplayConfig()
    intake: IntakeConfig = IntakeConfig()
    priority: dict[str, Any] = Field(default_factory=dict)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}", Location(file=source)) from None


def default_config_text() -> str:
    """The shipped default TOML, comments included (a template for programmes)."""
    return resources.files(_DEFAULT[0]).joinpath(_DEFAULT[1]).read_text(encoding="utf-8")


def load_config(path: str | Path | None = None) -> NationalConfig:
    """Load the national configuration: the shipped defaults, overridden by ``path``.

    A relative ``geometry.national_boundary`` is resolved against the file's folder.

    Raises
    ------
    InvalidInput
        If the file is missing, is not TOML, or breaks a rule; the message names the key.
    """
    data = _read_toml(default_config_text(), "default.toml")
    source = "default.toml"
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise InvalidInput("configuration file not found", Location(file=str(file)))
        source = str(file)
        data = _deep_merge(data, _read_toml(file.read_text(encoding="utf-8"), source))
        boundary = data.get("geometry", {}).get("national_boundary")
        if isinstance(boundary, str) and not Path(boundary).is_absolute():
            data["geometry"]["national_boundary"] = str(file.parent / boundary)
        for server in data.get("intake", {}).get("sources", {}).values():
            secret = server.get("credentials_file") if isinstance(server, dict) else None
            if isinstance(secret, str) and not Path(secret).is_absolute():
                server["credentials_file"] = str(file.parent / secret)
    try:
        return NationalConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(
            f"{first['msg']} ({len(exc.errors())} problem(s) in total)",
            Location(file=source, field=where or None),
        ) from None
