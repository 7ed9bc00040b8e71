"""Migrating a programme's history (issue 16): ``minewatch migrate plan`` proposes a mapping
(:func:`plan_migration`), the officer edits it, and ``minewatch migrate run`` lands it.

Where things are: :mod:`.matching` (how names and values are recognised), :mod:`.plan` (the
proposals), :mod:`.render` (the reviewable TOML file), :mod:`.run` and :mod:`.table` (the
migration), :mod:`.places` (the gazetteer), :mod:`.outcome` (what it did), and here the
front doors' entry points: :func:`plan_migration`, :func:`migrate`, :func:`write_report`,
:func:`read_report` and :func:`store_counts`.

>>> import pandas as pd
>>> pd.DataFrame({"Victim ID": ["V1", "V2"], "Gender": ["F", "m"]}).to_csv(
...     tmp / "victims.csv", index=False)
>>> plan = plan_migration(tmp / "victims.csv", tmp / "mapping.toml")
>>> plan.tables[0].kind.value, (tmp / "mapping.toml").exists()
('victim', True)
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from minewatch.domain.access import Role
from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput, Location, PermissionDenied
from minewatch.io.migration import open_source
from minewatch.io.migration.mapping import MigrationMapping, load_migration_mapping
from minewatch.services.migration.outcome import MigrationOutcome, MigrationRefused
from minewatch.services.migration.places import Gazetteer
from minewatch.services.migration.plan import MigrationPlan, propose_plan
from minewatch.services.migration.render import render_plan
from minewatch.services.migration.run import run_migration
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, Repository


def plan_migration(
    source: str | Path, out: str | Path | None = None, locale: str | None = None
) -> MigrationPlan:
    """Propose how every table of ``source`` migrates; with ``out``, write the mapping file
    (checked by reading it back, so what is written always loads), its comments in
    ``locale``'s language.

    Examples
    --------
    >>> import pandas as pd
    >>> pd.DataFrame({"HazID": ["H1"], "Status": ["Open"]}).to_csv(tmp / "hazards.csv", index=False)
    >>> plan_migration(tmp / "hazards.csv").tables[0].fields[0].values[0].target
    'open'
    """
    plan = propose_plan(open_source(source))
    if out is not None:
        text = render_plan(plan, locale)
        load_migration_mapping(tomllib.loads(text))
        Path(out).write_text(text, encoding="utf-8")
    return plan


def migrate(
    workflow: Workflow,
    source: str | Path,
    mapping: str | Path | MigrationMapping,
    *,
    gazetteer: str | Path | None = None,
    date_of_information: date | None = None,
    dry_run: bool = False,
    keep_going: bool = False,
) -> MigrationOutcome:
    """Run a migration from its mapping file, or a mapping already read (see
    :func:`.run.run_migration`); ``gazetteer`` places rows without coordinates by the
    mapping's ``place`` columns. Only an administrator may run one for real (a dry run needs
    a reviewer: the rows land as approved reports); a real run is written to the audit log
    with what it landed.

    Examples
    --------
    >>> import pandas as pd
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> pd.DataFrame({"HazID": ["H1"], "Status": ["Open"]}).to_csv(tmp / "hazards.csv", index=False)
    >>> plan = plan_migration(tmp / "hazards.csv", tmp / "hazards.toml")
    >>> workflow = Workflow(open_store(str(tmp / "m.gpkg"), create=True), local_admin())
    >>> migrate(workflow, tmp / "hazards.csv", tmp / "hazards.toml", dry_run=True).tables[0].landed
    1
    >>> workflow.store.count_items(ItemQuery(Kind.HAZARDOUS_AREA))   # a dry run writes nothing
    0
    """
    needed = Role.REVIEWER if dry_run else Role.ADMIN
    if not workflow.actor.at_least(needed):
        user = workflow.actor.username
        if dry_run:
            raise PermissionDenied("{user} may not check a migration", user=user)
        raise PermissionDenied("{user} may not run a migration", user=user)
    places = None if gazetteer is None else Gazetteer.load(gazetteer)
    read = mapping if isinstance(mapping, MigrationMapping) else load_migration_mapping(mapping)
    outcome = run_migration(
        workflow,
        source,
        read,
        gazetteer=places,
        date_of_information=date_of_information,
        dry_run=dry_run,
        keep_going=keep_going,
    )
    accounts = getattr(workflow, "accounts", None)
    if outcome.committed and accounts is not None:
        with workflow.store.transaction():
            accounts.audit(
                workflow.actor,
                "migrate",
                f"migration:{Path(source).name}",
                tables=len(outcome.tables),
                landed=outcome.landed,
                rejected=len(outcome.rejected),
            )
    return outcome


def write_report(outcome: MigrationOutcome, path: str | Path) -> dict[str, Any]:
    """Write the migration report as JSON; returns what was written.

    Examples
    --------
    >>> written = write_report(MigrationOutcome("archive.gdb", "amina"), tmp / "report.json")
    >>> read_report(tmp / "report.json") == written
    True
    """
    data = outcome.as_dict()
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return data


def read_report(path: str | Path) -> dict[str, Any]:
    """A migration report written by :func:`write_report`.

    Examples
    --------
    >>> (tmp / "bad.json").write_text("[]")
    2
    >>> read_report(tmp / "bad.json")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: .../bad.json: not a migration report (no 'tables')
    """
    where = Location(file=str(path))
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput("report not found", where) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("not JSON: {problem}", where, problem=exc) from None
    if not isinstance(data, dict) or "tables" not in data:
        raise InvalidInput("not a migration report (no 'tables')", where)
    return data


def store_counts(store: Repository, report: dict[str, Any]) -> dict[str, int]:
    """For each table of a report, how many of the items it says landed the store holds
    (equal to ``landed`` unless something was deleted or the report belongs elsewhere).

    Examples
    --------
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "empty.gpkg"), create=True)
    >>> store_counts(store, {"tables": [{"table": "Hazards", "kind": "hazardous_area",
    ...                                  "item_codes": ["HA-000001"]}]})
    {'Hazards': 0}
    """
    out = {}
    for table in report.get("tables", []):
        codes = list(table.get("item_codes") or [])
        if table.get("kind") is None:
            continue
        held = 0
        for start in range(0, len(codes), 10_000):
            chunk = codes[start : start + 10_000]
            held += store.count_items(ItemQuery(Kind(table["kind"]), codes=chunk))
        out[str(table["table"])] = held
    return out


__all__ = [
    "MigrationOutcome",
    "MigrationPlan",
    "MigrationRefused",
    "migrate",
    "plan_migration",
    "read_report",
    "store_counts",
    "write_report",
]
