"""What to rank and how (:class:`PriorityRequest`): the prioritisation configuration
(:func:`configured`), the context files it names (:func:`with_context`), the scenario, the day
and where the indicators are computed.

>>> PriorityRequest(config=configured()).scenario_name
'balanced'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from minewatch.io.priority import FileLayer, PriorityInputs
from minewatch.priority_config import PriorityConfig, load_priority_config


@dataclass(frozen=True)
class PriorityRequest:
    """What to rank and how. ``dask`` is None (in-process), ``"local"`` (Dask's threads) or
    a scheduler address such as ``"tcp://10.0.0.5:8786"``.

    Examples
    --------
    >>> request = PriorityRequest(config=configured(), scenario="casualties")
    >>> request.scenario_name, request.dask
    ('casualties', None)
    """

    config: PriorityConfig
    inputs: PriorityInputs = field(default_factory=PriorityInputs)
    scenario: str | None = None
    as_of: date = field(default_factory=date.today)
    dask: str | None = None
    npartitions: int | None = None

    @property
    def scenario_name(self) -> str:
        return self.scenario or self.config.default_scenario


def configured(path: str | Path | None = None) -> PriorityConfig:
    """The prioritisation configuration in the file at ``path`` (a prioritisation TOML, or
    a national one with a [priority] section), else the shipped illustrative defaults.

    The server and the CLI's store commands take it from the national configuration
    through :mod:`minewatch.services.context` instead; this reads a file a user names.

    >>> configured().default_scenario
    'balanced'
    """
    return load_priority_config(path) if path else load_priority_config()


def with_context(inputs: PriorityInputs, config: PriorityConfig) -> PriorityInputs:
    """``inputs`` completed by the configuration's context files, for every layer (and the
    population raster) that ``inputs`` does not name itself.

    Examples
    --------
    >>> from minewatch.io.priority import PriorityInputs
    >>> inputs = with_context(PriorityInputs(), configured())
    >>> inputs.population, inputs.layers   # the shipped configuration names no context files
    (None, {})
    """
    files = config.context
    layers: dict[str, Any] = {n: FileLayer.parse(v) for n, v in files.layers().items()}
    layers.update(inputs.layers)
    return PriorityInputs(inputs.population or files.population, layers)
