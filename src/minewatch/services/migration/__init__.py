"""Migrating a programme's history (issue 16): ``minewatch migrate plan`` proposes a mapping
(:func:`plan_migration`), the officer edits it, and ``minewatch migrate run`` lands it.

Where things are: :mod:`.matching` (how names and values are recognised), :mod:`.plan` (the
proposals), :mod:`.render` (the reviewable TOML file).

>>> import pandas as pd
>>> pd.DataFrame({"Victim ID": ["V1", "V2"], "Gender": ["F", "m"]}).to_csv(
...     tmp / "victims.csv", index=False)
>>> plan = plan_migration(tmp / "victims.csv", tmp / "mapping.toml")
>>> plan.tables[0].kind.value, (tmp / "mapping.toml").exists()
('victim', True)
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from minewatch.io.migration import open_source
from minewatch.io.migration.mapping import load_migration_mapping
from minewatch.services.migration.plan import MigrationPlan, propose_plan
from minewatch.services.migration.render import render_plan


def plan_migration(source: str | Path, out: str | Path | None = None) -> MigrationPlan:
    """Propose how every table of ``source`` migrates; with ``out``, write the mapping file
    (checked by reading it back, so what is written always loads).

    Examples
    --------
    >>> import pandas as pd
    >>> pd.DataFrame({"HazID": ["H1"], "Status": ["Open"]}).to_csv(tmp / "hazards.csv", index=False)
    >>> plan_migration(tmp / "hazards.csv").tables[0].fields[0].values[0].target
    'open'
    """
    plan = propose_plan(open_source(source))
    if out is not None:
        text = render_plan(plan)
        load_migration_mapping(tomllib.loads(text))
        Path(out).write_text(text, encoding="utf-8")
    return plan


__all__ = ["MigrationPlan", "plan_migration"]
