"""Where prioritisation finds its configuration and context layers (SYNTHETIC files): the
national configuration's [priority.context], relative to that file, with the CLI's own
options winning."""

from __future__ import annotations

from pathlib import Path

import pytest

from minewatch.errors import InvalidInput
from minewatch.io.priority import FileLayer, PriorityInputs
from minewatch.priority_config import load_priority_config
from minewatch.services import priority as service
from minewatch.services.context import load_configuration


def test_national_configuration_names_context_files_relative_to_itself(tmp_path: Path) -> None:
    national = tmp_path / "conf" / "national.toml"
    national.parent.mkdir()
    national.write_text(
        '[priority]\nnormalisation = "rank"\n[priority.context]\n'
        'population = "pop.tif"\nroads = "osm.gpkg:roads"\nwater = "/data/water.gpkg"\n'
    )
    config = load_configuration(national).priority
    assert config.normalisation == "rank"
    assert config.context.population == str(national.parent / "pop.tif")
    assert config.context.layers() == {
        "roads": str(national.parent / "osm.gpkg:roads"),
        "water": "/data/water.gpkg",
    }
    inputs = service.with_context(PriorityInputs(), config)
    assert inputs.population == str(national.parent / "pop.tif")
    assert inputs.layers["roads"] == FileLayer(str(national.parent / "osm.gpkg"), "roads")


def test_options_win_over_configured_files(tmp_path: Path) -> None:
    file = tmp_path / "priority.toml"
    file.write_text(
        '[priority]\ndefault_scenario = "s"\n[priority.scenarios.s.weights]\npopulation = 1\n'
        '[priority.context]\npopulation = "pop.tif"\nroads = "roads.gpkg"\n'
    )
    config = service.configured(str(file))
    given = PriorityInputs("mine.tif", {"roads": FileLayer("my_roads.gpkg")})
    inputs = service.with_context(given, config)
    assert inputs.population == "mine.tif"
    assert inputs.layers["roads"] == FileLayer("my_roads.gpkg")
    assert service.with_context(PriorityInputs(), load_priority_config()).layers == {}


def test_unknown_context_layer_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "priority.toml"
    file.write_text('[priority]\ndefault_scenario = "s"\n[priority.scenarios.s.weights]\n'
                    'population = 1\n[priority.context]\nrivers = "r.gpkg"\n')  # fmt: skip
    with pytest.raises(InvalidInput) as err:
        service.configured(str(file))
    assert err.value.where.field == "context.rivers"
    assert err.value.where.file == str(file)
