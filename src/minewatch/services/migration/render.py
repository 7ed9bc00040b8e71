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
# no Date of Information column: the record's own date, else the edit or creation date,
# else the run's --date
>>> load_migration_mapping(tomllib.loads(text)).tables["Accidents"].fields["accident_date"].column
'Accident Date'
"""

from __future__ import annotations

import json
import textwrap
import tomllib  # noqa: F401  (the example reads the text back)
from collections.abc import Callable
from typing import Any

from minewatch.domain.text import Message
from minewatch.services.migration.plan import FieldProposal, MigrationPlan, TableProposal
from minewatch.vocabulary import render

#: A comment's words in the reader's language (a Message rendered in the plan's locale).
Say = Callable[[Message], str]

#: How wide a comment of several sentences is wrapped (TOML keys and values are not).
_WIDTH = 92


def _q(text: Any) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(text), ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _q(value)


def render_plan(plan: MigrationPlan, locale: str | None = None) -> str:
    """The TOML text of a plan, with a comment explaining each choice in ``locale``'s
    language (English without one); keys, codes and column names stay as they are.

    Examples
    --------
    >>> from minewatch.services.migration.plan import MigrationPlan
    >>> print(render_plan(MigrationPlan("empty.gdb", "filegdb", [])).splitlines()[-1])
    source = "empty.gdb"
    >>> print(render_plan(MigrationPlan("empty.gdb", "filegdb", []), "fr").splitlines()[0][:50])
    # Correspondance de migration pour empty.gdb (file
    """

    def say(message: Message) -> str:
        return render(message, locale)

    header = Message(
        "Migration mapping for {source} ({format}), proposed by `minewatch migrate plan` on "
        "{day}. Review every choice: edit a kind, a column or a value, or set skip = true for a "
        "table. Columns mapped to no field are kept with each record as 'extra' (set extra = "
        "false to drop them). Then: minewatch migrate run SOURCE --mapping FILE",
        source=plan.source,
        format=plan.format,
        day=plan.made.isoformat(),
    )
    lines = [
        *_comment(say(header)),
        *(f"# {say(Message('The reader noticed: {note}', note=note))}" for note in plan.notes),
        f"source = {_q(plan.source)}",
        "",
    ]
    for table in plan.tables:
        lines += _table(table, say)
    return "\n".join(lines).rstrip() + "\n"


def _comment(text: str) -> list[str]:
    """``text`` as TOML comment lines: a long sentence wrapped, a note kept on one line."""
    return textwrap.wrap(
        text, _WIDTH - 2, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False
    ) or ["#"]


def _section(table: str, *path: str) -> str:
    return "[" + ".".join(["tables", _key(table), *(_key(p) for p in path)]) + "]"


def _key(name: str) -> str:
    bare = name.replace("_", "").replace("-", "").isalnum() and name.isascii()
    return name if bare else _q(name)


def _table(proposal: TableProposal, say: Say) -> list[str]:
    name = proposal.table.name
    lines = [_section(name)]
    if proposal.kind is None:
        skipped = Message(
            "{table}: {reason}; name a kind to migrate it", table=name, reason=proposal.skip_reason
        )
        return [*lines, f"# {say(skipped)}", "skip = true", ""]
    lines += [
        f"# {name} → {proposal.kind.value}: {say(_as_message(proposal.kind_reason))}",
        f"kind = {_q(proposal.kind.value)}",
    ]
    if proposal.key:
        keyed = Message(
            "key: {reason}; re-runs skip rows landed before",
            reason=_as_message(proposal.key_reason),
        )
        lines += [f"# {say(keyed)}", f"key = {_q(proposal.key)}"]
    else:
        unkeyed = Message(
            "key: none found; rows are keyed by their number (re-run only the same file)"
        )
        lines.append(f"# {say(unkeyed)}")
    if proposal.later_reports:
        later = Message(
            "rows naming an item an earlier row names ({count}): later Data Entry Forms of one "
            'item, each landing as a later report of it ("reject" refuses them)',
            count=proposal.repeated,
        )
        lines += [*_comment(say(later)), 'repeated_key = "later_report"']
    elif proposal.repeated:
        repeated = Message(
            "rows repeating a key ({count}) will be rejected", count=proposal.repeated
        )
        lines.append(f"# {say(repeated)}")
    for label, column, why in (
        (
            "date_of_information",
            proposal.date_of_information,
            Message("each report's Date of Information"),
        ),
        ("created", proposal.created, Message("when the source created the row (kept in extra)")),
        ("edited", proposal.edited, Message("when the source last edited the row (kept in extra)")),
    ):
        if column:
            lines += [f"# {say(why)}", f"{label} = {_q(column)}"]
        elif label == "date_of_information":
            undated = Message(
                "no Date of Information column: the record's own date, else the edit or "
                "creation date, else the run's --date"
            )
            lines += _comment(say(undated))
    if proposal.extra_columns:
        extra = Message("kept as extra: {columns}", columns=", ".join(proposal.extra_columns))
        lines.append(f"# {say(extra)}")
    lines.append("")
    if proposal.link:
        parent, target = proposal.link
        lines += [
            _section(name, "link"),
            f"# {say(_as_message(proposal.link_reason))}",
            f"parent = {_q(parent)}",
            f"field = {_q(target)}",
            "",
        ]
    if proposal.xy:
        pointed = Message(
            'points from these columns; add crs = "EPSG:…" if they are not longitude/latitude'
        )
        lines += [
            _section(name, "geometry"),
            f"# {say(pointed)}",
            f"x = {_q(proposal.xy[0])}",
            f"y = {_q(proposal.xy[1])}",
            "",
        ]
    for found in proposal.fields:
        lines += _field(name, found, say)
    return lines


def _as_message(reason: str) -> Message:
    """A reason as a Message (a plan made by hand may give plain English text)."""
    return reason if isinstance(reason, Message) else Message(reason)


def _field(table: str, found: FieldProposal, say: Say) -> list[str]:
    lines = [
        _section(table, "fields", found.target),
        f"# ← {found.column}: {say(_as_message(found.reason))}",
        f"column = {_q(found.column)}",
    ]
    if found.separator:
        separated = Message(
            "several values a cell, separated by {separator!r}", separator=found.separator
        )
        lines += [f"# {say(separated)}", f"separator = {_q(found.separator)}"]
    if found.values:
        lines += ["", _section(table, "fields", found.target, "values")]
        for value in found.values:
            reason = say(_as_message(value.reason))
            if value.target is None:
                unknown = Message("{reason}: write the code it means", reason=reason)
                lines.append(f"# {_q(value.source)} = ?  ({say(unknown)})")
            else:
                lines.append(f"{_q(value.source)} = {_value(value.target)}  # {reason}")
    lines.append("")
    return lines
