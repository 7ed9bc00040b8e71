"""The proposed migration mapping as a TOML file to review: one section per source table,
a comment above every choice saying why it was made, unmatched values and columns kept as
``extra`` listed where the officer will look for them.

>>> import pandas as pd
>>> from minewatch.io.migration import open_source
>>> from minewatch.io.migration.mapping import load_migration_mapping
>>> from minewatch.services.migration.plan import propose_plan
>>> with pd.ExcelWriter(tmp / "archive.xlsx") as book:
...     pd.DataFrame({"Accident ID": ["A1"], "Accident Date": ["2018-05-02"]}).to_excel(
...         book, sheet_name="Accidents", index=False)
>>> text = render_plan(propose_plan(open_source(tmp / "archive.xlsx")))
>>> print(text[text.index("[tables.Accidents]"):].split("\\n\\n")[0])
[tables.Accidents]
# Accidents → accident: the table's name 'Accidents' matches 'accident' (1.00)
kind = "accident"
# key: an id column whose values are all present and unique; re-runs skip rows landed before
key = "Accident ID"
# no Date of Information column: the record's own date, else the edit or
# creation date, else the run's --date
>>> load_migration_mapping(tomllib.loads(text)).tables["Accidents"].fields["accident_date"].column
'Accident Date'
"""

from __future__ import annotations

import json
import tomllib  # noqa: F401  (the example reads the text back)
from typing import Any

from minewatch.services.migration.plan import FieldProposal, MigrationPlan, TableProposal


def _q(text: Any) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(text), ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _q(value)


def render_plan(plan: MigrationPlan) -> str:
    """The TOML text of a plan, with a comment explaining each choice.

    Examples
    --------
    >>> from minewatch.services.migration.plan import MigrationPlan
    >>> print(render_plan(MigrationPlan("empty.gdb", "filegdb", [])).splitlines()[-1])
    source = "empty.gdb"
    """
    lines = [
        f"# Migration mapping for {plan.source} ({plan.format}), proposed by `minewatch migrate plan`",
        f"# on {plan.made.isoformat()}. Review every choice: edit a kind, a column or a value, or",
        "# set skip = true for a table. Columns mapped to no field are kept with each record as",
        "# 'extra' (set extra = false to drop them). Then: minewatch migrate run SOURCE --mapping FILE",
        *(f"# The reader noticed: {note}" for note in plan.notes),
        f"source = {_q(plan.source)}",
        "",
    ]
    for table in plan.tables:
        lines += _table(table)
    return "\n".join(lines).rstrip() + "\n"


def _section(table: str, *path: str) -> str:
    return "[" + ".".join(["tables", _key(table), *(_key(p) for p in path)]) + "]"


def _key(name: str) -> str:
    bare = name.replace("_", "").replace("-", "").isalnum() and name.isascii()
    return name if bare else _q(name)


def _table(proposal: TableProposal) -> list[str]:
    name = proposal.table.name
    lines = [_section(name)]
    if proposal.kind is None:
        return [
            *lines,
            f"# {name}: {proposal.skip_reason}; name a kind to migrate it",
            "skip = true",
            "",
        ]
    lines += [
        f"# {name} → {proposal.kind.value}: {proposal.kind_reason}",
        f"kind = {_q(proposal.kind.value)}",
    ]
    if proposal.key:
        lines += [
            f"# key: {proposal.key_reason}; re-runs skip rows landed before",
            f"key = {_q(proposal.key)}",
        ]
    else:
        lines += ["# key: none found; rows are keyed by their number (re-run only the same file)"]
    if proposal.later_reports:
        lines += [
            f"# rows naming an item an earlier row names ({proposal.repeated}): later Data Entry",
            '# Forms of one item, each landing as a later report of it ("reject" refuses them)',
            'repeated_key = "later_report"',
        ]
    elif proposal.repeated:
        lines.append(f"# rows repeating a key ({proposal.repeated}) will be rejected")
    for label, column, why in (
        ("date_of_information", proposal.date_of_information, "each report's Date of Information"),
        ("created", proposal.created, "when the source created the row (kept in extra)"),
        ("edited", proposal.edited, "when the source last edited the row (kept in extra)"),
    ):
        if column:
            lines += [f"# {why}", f"{label} = {_q(column)}"]
        elif label == "date_of_information":
            lines += [
                "# no Date of Information column: the record's own date, else the edit or",
                "# creation date, else the run's --date",
            ]
    if proposal.extra_columns:
        lines.append(f"# kept as extra: {', '.join(proposal.extra_columns)}")
    lines.append("")
    if proposal.link:
        parent, target = proposal.link
        lines += [
            _section(name, "link"),
            f"# {proposal.link_reason}",
            f"parent = {_q(parent)}",
            f"field = {_q(target)}",
            "",
        ]
    if proposal.xy:
        lines += [
            _section(name, "geometry"),
            '# points from these columns; add crs = "EPSG:…" if they are not longitude/latitude',
            f"x = {_q(proposal.xy[0])}",
            f"y = {_q(proposal.xy[1])}",
            "",
        ]
    for found in proposal.fields:
        lines += _field(name, found)
    return lines


def _field(table: str, found: FieldProposal) -> list[str]:
    lines = [
        _section(table, "fields", found.target),
        f"# ← {found.column}: {found.reason}",
        f"column = {_q(found.column)}",
    ]
    if found.separator:
        lines += [
            f"# several values a cell, separated by {found.separator!r}",
            f"separator = {_q(found.separator)}",
        ]
    if found.values:
        lines += ["", _section(table, "fields", found.target, "values")]
        for value in found.values:
            if value.target is None:
                lines.append(f"# {_q(value.source)} = ?  ({value.reason}: write the code it means)")
            else:
                lines.append(f"{_q(value.source)} = {_value(value.target)}  # {value.reason}")
    lines.append("")
    return lines
