"""What the migration web page shows and sends: the assistant's plan as plain data with
every explanation (the same choices the TOML file comments on), the mapping as the officer
edited it read back from its text with the line of any mistake, and the run, whose real
(not dry) form only an administrator may start.
"""

from __future__ import annotations

import tomllib
from typing import Any

from minewatch.errors import InvalidInput, Location
from minewatch.io.migration.mapping import MigrationMapping, load_migration_mapping
from minewatch.services.migration.plan import MigrationPlan, TableProposal
from minewatch.services.migration.render import render_plan
from minewatch.vocabulary import render

#: How the edited mapping is named in messages (it has no file of its own on the page).
MAPPING_NAME = "mapping.toml"


def _said(reason: str | None, locale: str | None) -> str | None:
    """A reason in ``locale``'s language (a Message translated, plain text as it is)."""
    return None if reason is None else render(reason, locale)


def _table(proposal: TableProposal, locale: str | None) -> dict[str, Any]:
    return {
        "table": proposal.table.name,
        "alias": proposal.table.alias,
        "rows": proposal.table.rows,
        "geometry_type": proposal.table.geometry_type,
        "kind": proposal.kind.value if proposal.kind else None,
        "kind_reason": _said(proposal.kind_reason, locale),
        "skip_reason": _said(proposal.skip_reason, locale),
        "key": proposal.key,
        "key_reason": _said(proposal.key_reason, locale),
        "date_of_information": proposal.date_of_information,
        "link": list(proposal.link) if proposal.link else None,
        "link_reason": _said(proposal.link_reason, locale),
        "fields": [
            {
                "target": f.target,
                "column": f.column,
                "reason": _said(f.reason, locale),
                "values": [
                    {
                        "source": v.source,
                        "target": v.target,
                        "reason": _said(v.reason, locale),
                        "rows": v.rows,
                    }
                    for v in f.values
                ],
            }
            for f in proposal.fields
        ],
        "extra_columns": list(proposal.extra_columns),
    }


def plan_answer(plan: MigrationPlan, locale: str | None = None) -> dict[str, Any]:
    """The plan as plain data: per table its kind, key, link, fields and values, each with
    the reason it was chosen (in ``locale``'s language; keys and codes as they are); the
    reader's notes; and the mapping's TOML text to edit, its comments in that language too.

    Examples
    --------
    >>> import pandas as pd
    >>> pd.DataFrame({"HazID": ["H1"], "Status": ["Open"]}).to_csv(tmp / "hazards.csv", index=False)
    >>> from minewatch.services.migration import plan_migration
    >>> answer = plan_answer(plan_migration(tmp / "hazards.csv"))
    >>> table = answer["tables"][0]
    >>> table["kind"], table["key"], table["fields"][0]["target"], table["fields"][0]["values"][0]
    ('hazardous_area', 'HazID', 'status', {'source': 'Open', 'target': 'open', 'reason': '1 row; the same words', 'rows': 1})
    >>> mapping_from_text(answer["mapping"]).tables["hazards"].kind.value
    'hazardous_area'
    """
    return {
        "source": plan.source,
        "format": plan.format,
        "notes": list(plan.notes),
        "tables": [_table(t, locale) for t in plan.tables],
        "mapping": render_plan(plan, locale),
    }


def mapping_from_text(text: str) -> MigrationMapping:
    """The mapping an officer edited, checked: InvalidInput names the line of a TOML mistake
    and the key of a wrong value.

    Examples
    --------
    >>> mapping_from_text('[tables.Hazards]\\nkind = "hazard"').tables
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: mapping.toml: invalid migration mapping: tables.Hazards.kind: ...
    >>> mapping_from_text('[tables.Hazards\\nkind = 1')
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: mapping.toml: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 16)
    """
    where = Location(file=MAPPING_NAME)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("not valid TOML: {error}", where, error=str(exc)) from None
    try:
        return load_migration_mapping(data)
    except InvalidInput as exc:
        raise InvalidInput(exc.template, where, **exc.params) from None
