"""``minewatch migrate run``: every table of a source, through its mapping, into approved
reports of one migration, in one all-or-nothing block (a dry run rolls it back).

>>> import pandas as pd
>>> from minewatch.domain.access import local_admin
>>> from minewatch.io.migration.mapping import load_migration_mapping
>>> from minewatch.services.records import Workflow
>>> from minewatch.store import open_store
>>> pd.DataFrame({"AccID": ["A1", "A2"], "Accident date": ["2018-05-02", "2019-07-01"],
...               "x": [30.1, 30.2], "y": [-1.1, -1.2], "Village": ["Alpha", None]}).to_csv(
...     tmp / "accidents.csv", index=False)
>>> mapping = load_migration_mapping({"tables": {"accidents": {
...     "kind": "accident", "key": "AccID", "geometry": {"x": "x", "y": "y"},
...     "fields": {"accident_date": "Accident date"}}}})
>>> workflow = Workflow(open_store(str(tmp / "store.gpkg"), create=True), local_admin("amina"))
>>> outcome = run_migration(workflow, tmp / "accidents.csv", mapping)
>>> table = outcome.tables[0]
>>> table.landed, table.item_codes, outcome.by
(2, ['ACC-000001', 'ACC-000002'], 'amina')
>>> item = workflow.store.get_item("accident", "ACC-000001")
>>> item.date_of_information, item.extra
(datetime.date(2018, 5, 2), {'Village': 'Alpha'})
>>> run_migration(workflow, tmp / "accidents.csv", mapping).tables[0].skipped  # re-run
[(1, 'A1', 'ACC-000001'), (2, 'A2', 'ACC-000002')]
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from minewatch.domain.reports import utcnow
from minewatch.domain.text import Message
from minewatch.errors import InvalidInput, Location
from minewatch.io.migration import open_source
from minewatch.io.migration.mapping import MigrationMapping
from minewatch.services.migration.outcome import MigrationOutcome, MigrationRefused, TableOutcome
from minewatch.services.migration.places import Gazetteer
from minewatch.services.migration.table import RunContext, migrate_table
from minewatch.services.records import Workflow


def run_migration(
    workflow: Workflow,
    source: str | Path,
    mapping: MigrationMapping,
    *,
    date_of_information: date | None = None,
    gazetteer: Gazetteer | None = None,
    dry_run: bool = False,
    keep_going: bool = False,
) -> MigrationOutcome:
    """Migrate every table the mapping does not skip, parents before their children.

    Each row becomes an approved report by the person running it (``workflow.actor``),
    citing its source (file, table, row and key), dated by its own Date of Information; a
    row whose key landed before is skipped, so a re-run adds only what is new. Without
    ``keep_going`` one rejected row refuses the whole migration (:class:`MigrationRefused`,
    nothing written, every rejection listed); with it the good rows land. ``dry_run`` checks
    everything and writes nothing. ``date_of_information`` is for rows with no date at all
    (default: today).

    Examples
    --------
    >>> import pandas as pd
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.io.migration.mapping import load_migration_mapping
    >>> from minewatch.store import open_store
    >>> pd.DataFrame({"VicID": ["V1", "V2"], "Sex": ["F", "x?"]}).to_csv(
    ...     tmp / "victims.csv", index=False)
    >>> mapping = load_migration_mapping({"tables": {"victims": {
    ...     "kind": "victim", "key": "VicID",
    ...     "fields": {"sex": {"column": "Sex", "values": {"F": "female"}}}}}})
    >>> workflow = Workflow(open_store(str(tmp / "v.gpkg"), create=True), local_admin())
    >>> outcome = run_migration(workflow, tmp / "victims.csv", mapping, dry_run=True)
    >>> outcome.committed, outcome.tables[0].landed, str(outcome.rejected[0])
    (False, 1, "victims.csv/victims, row 2, field sex: column Sex: 'x?' is not one of: female, male, unknown")
    """
    opened = open_source(source)
    outcome = MigrationOutcome(
        str(source), workflow.actor.username, dry_run=dry_run, started=utcnow()
    )
    outcome.notes = list(opened.catalogue.notes)
    outcome.attachments = opened.catalogue.attachment_tables
    unknown = sorted(set(mapping.tables) - {t.name for t in opened.catalogue.tables})
    if unknown:
        names = ", ".join(t.name for t in opened.catalogue.tables)
        raise InvalidInput(
            "the mapping names table(s) {unknown}; the source has: {names}",
            Location(file=str(source)),
            unknown=", ".join(unknown),
            names=names,
        )
    context = RunContext(opened, date_of_information or date.today(), gazetteer)
    with workflow.all_or_nothing(dry_run=dry_run):
        for name in mapping.order():
            table_mapping = mapping.tables[name]
            table = TableOutcome(name, table_mapping.kind.value if table_mapping.kind else None)
            outcome.tables.append(table)
            if table_mapping.skip:
                table.skipped_table = Message("skip = true in the mapping")
                table.read = opened.catalogue.table(name).rows
                continue
            # Written as it goes, so children link to their parents' new items; a refusal
            # below rolls every table back.
            migrate_table(workflow, context, name, table_mapping, table, write=True)
        if outcome.rejected and not (keep_going or dry_run):
            outcome.finished = utcnow()
            for table in outcome.tables:
                table.landed, table.item_codes, table.sample = 0, [], []
                table.updated = 0
            raise MigrationRefused(outcome)
    outcome.committed = not dry_run
    outcome.finished = utcnow()
    return outcome
