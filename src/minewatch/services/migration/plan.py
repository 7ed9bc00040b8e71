"""The mapping assistant (``minewatch migrate plan``): for each table of a source, the kind of
record it becomes, its key, dates and parent link, each record field's source column (by
name, alias and content) and each value's translation (domain codes and free text to our
codes, tolerant of case and spelling), every choice with the reason it was made.

:func:`propose_plan` proposes; :func:`render_plan` writes the reviewable TOML file, a comment
above each choice; :func:`minewatch.io.migration.mapping.load_migration_mapping` reads it back.

>>> import pandas as pd
>>> from minewatch.io.migration import open_source
>>> with pd.ExcelWriter(tmp / "archive.xlsx") as book:
...     pd.DataFrame({"Hazard ID": ["H1", "H2"], "Status": ["Open", "cleared"],
...                   "Date of Information": ["2019-03-14", "2020-01-02"],
...                   "Marking": ["Signs", None]}).to_excel(book, sheet_name="Hazards", index=False)
>>> plan = propose_plan(open_source(tmp / "archive.xlsx"))
>>> hazards = plan.tables[0]
>>> hazards.kind, hazards.key, hazards.date_of_information
(<Kind.HAZARDOUS_AREA: 'hazardous_area'>, 'Hazard ID', 'Date of Information')
>>> [(f.target, f.column, dict(v.pairs() for v in f.values)) for f in hazards.fields]
[('status', 'Status', {'Open': 'open', 'cleared': 'released'})]
>>> hazards.extra_columns
['Marking']
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

import pandas as pd

from minewatch.domain.records import Kind
from minewatch.domain.schema import FieldSpec, data_fields
from minewatch.domain.text import Message
from minewatch.io.migration import Source, SourceTable, read_rows
from minewatch.io.migration.rows import OBJECT_ID
from minewatch.services.migration.matching import (
    CREATED_WORDS,
    DOI_WORDS,
    EDITED_WORDS,
    FALSE_WORDS,
    FIELD_WORDS,
    KIND_WORDS,
    KINDLESS_WORDS,
    TRUE_WORDS,
    VALUE_WORDS,
    X_WORDS,
    Y_WORDS,
    best_match,
    normalise,
    similarity,
)
from minewatch.vocabulary import field_label, label, shipped_locales

#: A name at least this alike is taken as a match; below it the assistant does not guess.
NAME_THRESHOLD = 0.8
#: A value's words at least this alike to a code's are taken as that code.
VALUE_THRESHOLD = 0.8
#: Distinct values read per column to propose value maps and judge content.
DISTINCT_LIMIT = 500
#: Columns with more distinct values than this are not searched for codes by content.
CONTENT_LIMIT = 60
_SEPARATORS = (";", ",", "|")


@dataclass(frozen=True)
class ValueProposal:
    """A source value (a stored code, or text) and the code of ours it becomes, and why;
    ``target`` None when nothing matched (the officer must add it).

    Examples
    --------
    >>> ValueProposal("APM", "ap_mines", "domain: 'Anti-personnel mines'").pairs()
    ('APM', 'ap_mines')
    """

    source: str
    target: Any
    reason: str
    rows: int = 0

    def pairs(self) -> tuple[str, Any]:
        return self.source, self.target


@dataclass
class FieldProposal:
    """A record field, the column it comes from, and why.

    Examples
    --------
    >>> FieldProposal("sex", "gender", "its name 'gender' matches 'gender' (1.00)").values
    []
    """

    target: str
    column: str
    reason: str
    values: list[ValueProposal] = field(default_factory=list)
    separator: str | None = None


@dataclass
class TableProposal:
    """What the assistant proposes for one source table.

    Examples
    --------
    >>> from minewatch.io.migration import SourceTable
    >>> TableProposal(SourceTable("Lookups", (), 4), None, "", skip_reason="no kind").kind is None
    True
    """

    table: SourceTable
    kind: Kind | None
    kind_reason: str
    key: str | None = None
    key_reason: str = ""
    date_of_information: str | None = None
    created: str | None = None
    edited: str | None = None
    link: tuple[str, str] | None = None  # parent table, our field
    link_reason: str = ""
    xy: tuple[str, str] | None = None
    repeated: int = 0  # rows whose key an earlier row has
    later_reports: bool = False  # land them as later reports of that item (IMSMA NG forms)
    fields: list[FieldProposal] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    skip_reason: str | None = None


@dataclass
class MigrationPlan:
    """Proposals for every table of a source, and what the reader noticed.

    Examples
    --------
    >>> MigrationPlan("archive.gdb", "filegdb", []).tables
    []
    """

    source: str
    format: str
    tables: list[TableProposal]
    notes: tuple[str, ...] = ()
    made: date = field(default_factory=date.today)


def propose_plan(source: Source) -> MigrationPlan:
    """Propose how every table of an opened source migrates.

    Examples
    --------
    >>> import pandas as pd
    >>> from minewatch.io.migration import open_source
    >>> pd.DataFrame({"QA ID": ["Q1"], "Visit Date": ["2021-02-03"]}).to_csv(
    ...     tmp / "qa_visits.csv", index=False)
    >>> proposal = propose_plan(open_source(tmp / "qa_visits.csv")).tables[0]
    >>> proposal.kind.value, [(f.target, f.column) for f in proposal.fields]
    ('quality_management_visit', [('visit_date', 'Visit Date')])
    """
    catalogue = source.catalogue
    proposals: list[TableProposal] = []
    attachments = set(catalogue.attachment_tables)
    for table in catalogue.tables:
        if table.name in attachments:
            proposals.append(
                TableProposal(
                    table,
                    None,
                    "",
                    skip_reason=Message("an attachment table: listed, not migrated"),
                )
            )
            continue
        if table.lookup:
            proposals.append(
                TableProposal(
                    table,
                    None,
                    "",
                    skip_reason=Message(
                        "a classification the other tables refer to: its names "
                        "translate their references, it is not records of its own"
                    ),
                )
            )
            continue
        proposals.append(_propose_table(source, table))
    kinds = {p.table.name: p.kind for p in proposals}
    for proposal in proposals:
        _propose_link(source, proposal, kinds)
    return MigrationPlan(str(source.path), catalogue.format, proposals, catalogue.notes)


def _label(table: SourceTable) -> str:
    return f"{table.name} ({table.alias})" if table.alias else table.name


def _field_label(table: SourceTable, column: str) -> str:
    described = table.field(column)
    alias = f' alias "{described.alias}"' if described and described.alias else ""
    domain = f" domain {described.domain}" if described and described.domain else ""
    return f"{column}{' (' + (alias + domain).strip() + ')' if alias or domain else ''}"


def _propose_table(source: Source, table: SourceTable) -> TableProposal:
    names = [table.name] + ([table.alias] if table.alias else [])
    if "." in table.name:  # a repeated part of another table's rows: named by its own tag
        names.insert(0, table.name.rsplit(".", 1)[1])
    candidates = {**KINDLESS_WORDS, **{k.value: w for k, w in KIND_WORDS.items()}}
    scored = [best_match(n, candidates) for n in names]
    kind_name, score, word = max(scored, key=lambda s: s[1])
    if kind_name is None or score < NAME_THRESHOLD:
        return TableProposal(
            table,
            None,
            "",
            skip_reason=Message(
                "its name {name!r} names no kind of record we know", name=_label(table)
            ),
        )
    if kind_name not in {k.value for k in Kind}:
        return TableProposal(
            table,
            None,
            "",
            skip_reason=Message(
                "its name {name!r} matches {word!r}: records minewatch has no kind for yet",
                name=_label(table),
                word=word,
            ),
        )
    kind = Kind(kind_name)
    why = Message(
        "the table's name {name!r} matches {word!r} ({score:.2f})",
        name=_label(table),
        word=word,
        score=score,
    )
    proposal = TableProposal(table, kind, why)
    rows = read_rows(source, table.name)
    used: set[str] = set()
    _propose_key(proposal, rows.frame, used)
    # IMSMA NG keeps every form of an item: the same GUID in several forms is its history.
    proposal.later_reports = proposal.repeated > 0 and source.catalogue.format == "maxml"
    proposal.date_of_information = _column_like(table, DOI_WORDS, used, dated=True)
    proposal.created = _column_like(table, CREATED_WORDS, used, dated=True)
    proposal.edited = _column_like(table, EDITED_WORDS, used, dated=True)
    if table.geometry_type is None:
        x = _column_like(table, X_WORDS, used, exact=True)
        y = _column_like(table, Y_WORDS, used, exact=True)
        proposal.xy = (x, y) if x and y else None
    for spec in data_fields(kind).values():
        found = _propose_field(source, table, rows.frame, kind, spec, used)
        if found is not None:
            proposal.fields.append(found)
            used.add(found.column)
    for relation in source.catalogue.parents_of(table.name):
        used.add(relation.child_key)
    proposal.extra_columns = [c for c in rows.frame.columns if c not in used and c != OBJECT_ID]
    return proposal


def _propose_key(proposal: TableProposal, frame: pd.DataFrame, used: set[str]) -> None:
    table = proposal.table
    if table.key:
        proposal.key = table.key
        proposal.key_reason = Message("the table's GlobalID: stable across exports")
        if "guid" not in table.key.lower() and "globalid" not in table.key.lower():
            proposal.key_reason = Message("the rows' own identifier: stable across exports")
    else:
        for column in frame.columns:
            values = frame[column]
            words = normalise(column).split()
            if ("id" in words or "localid" in words or column == OBJECT_ID) and (
                values.notna().all() and values.is_unique
            ):
                proposal.key = str(column)
                proposal.key_reason = Message(
                    "an id column whose values are all present and unique"
                )
                if column != OBJECT_ID:
                    break
        if proposal.key == OBJECT_ID:
            proposal.key_reason = Message(
                "GDAL's feature id (OBJECTID): stable only while the file is"
            )
    if proposal.key:
        used.add(proposal.key)
        keys = frame[proposal.key].dropna().astype(str).str.strip("{} ").str.upper()
        proposal.repeated = int(keys.duplicated().sum())


def _column_like(
    table: SourceTable, words: list[str], used: set[str], dated: bool = False, exact: bool = False
) -> str | None:
    best: tuple[float, str | None] = (0.0, None)
    for described in table.fields:
        if described.name in used or (
            dated and described.type not in (None, "text", "date", "datetime")
        ):
            continue
        for name in filter(None, (described.name, described.alias)):
            score = max(
                (1.0 if normalise(name) == normalise(w) else 0.0 if exact else similarity(name, w))
                for w in words
            )
            if score > best[0]:
                best = (score, described.name)
    if best[1] is not None and best[0] >= NAME_THRESHOLD + 0.05:
        used.add(best[1])
        return best[1]
    return None


def _propose_field(
    source: Source,
    table: SourceTable,
    frame: pd.DataFrame,
    kind: Kind,
    spec: FieldSpec,
    used: set[str],
) -> FieldProposal | None:
    words = [
        spec.name.replace("_", " "),
        *FIELD_WORDS.get(spec.name, []),
        *_field_labels(kind, spec.name),
    ]
    best: tuple[float, str, str] = (0.0, "", "")
    for described in table.fields:
        if described.name in used or described.name not in frame.columns:
            continue
        for via, name in (("name", described.name), ("alias", described.alias)):
            if not name:
                continue
            for word in words:
                score = similarity(name, word)
                if score > best[0]:
                    if via == "name":
                        why = Message(
                            "its name {name!r} matches {word!r} ({score:.2f})",
                            name=name,
                            word=word,
                            score=score,
                        )
                    else:
                        why = Message(
                            "its alias {name!r} matches {word!r} ({score:.2f})",
                            name=name,
                            word=word,
                            score=score,
                        )
                    best = (score, described.name, why)
    column, reason = best[1], best[2]
    if best[0] < NAME_THRESHOLD:
        if spec.enum is None:
            return None
        column, reason = _by_content(source, table, frame, spec, used)
        if not column:
            return None
    proposal = FieldProposal(spec.name, column, reason)
    if spec.enum is not None or spec.python_type is bool:
        _propose_values(source, table, frame, spec, proposal)
    return proposal


def _by_content(
    source: Source, table: SourceTable, frame: pd.DataFrame, spec: FieldSpec, used: set[str]
) -> tuple[str, str]:
    """The unused text column whose values best match the field's codes (at least 60 %)."""
    best = (0.0, "", "")
    for column in frame.columns:
        if column in used or column == OBJECT_ID:
            continue
        values = _distinct(source, table, frame, column)
        # A column of codes holds few distinct values; free text and keys are not looked at.
        if (
            not values
            or len(values) > CONTENT_LIMIT
            or not all(isinstance(v, str) for v, _, _ in values)
        ):
            continue
        matched = sum(
            1 for v, description, _ in values if _value_match(spec, description or v)[0] is not None
        )
        share = matched / len(values)
        if share > best[0]:
            best = (
                share,
                column,
                Message(
                    "{matched} of its {count} values are {field} codes",
                    matched=matched,
                    count=len(values),
                    field=spec.name,
                ),
            )
    return (best[1], best[2]) if best[0] >= 0.6 else ("", "")


def _distinct(
    source: Source, table: SourceTable, frame: pd.DataFrame, column: str
) -> list[tuple[Any, str | None, int]]:
    """Each distinct value (a domain's every code, or the column's values), its domain
    description, and how many rows hold it."""
    counts = Counter(
        v for v in frame[column].tolist() if v is not None and v == v and str(v).strip()
    )
    domain = source.catalogue.domain_of(table.name, column)
    if domain is not None:
        return [(code, text, counts.get(code, 0)) for code, text in domain.codes.items()]
    return [(value, None, n) for value, n in counts.most_common(DISTINCT_LIMIT)]


def _value_match(spec: FieldSpec, text: Any) -> tuple[Any, str]:
    """Our code for a source value's text, and why; (None, reason) when nothing matches."""
    return _cached_match(spec, str(text))


@functools.lru_cache(maxsize=65_536)
def _cached_match(spec: FieldSpec, text: str) -> tuple[Any, str]:
    if spec.python_type is bool:
        word = normalise(str(text))
        if word in TRUE_WORDS:
            return True, Message("{word!r} means yes", word=word)
        if word in FALSE_WORDS:
            return False, Message("{word!r} means no", word=word)
        return None, Message("neither yes nor no")
    assert spec.enum is not None
    members: list[Enum] = list(spec.enum)
    candidates = {
        str(m.value): [str(m.value), m.name, *VALUE_WORDS.get(str(m.value), []), *_labels(m)]
        for m in members
    }
    code, score, word = best_match(str(text), candidates)
    if code is None or score < VALUE_THRESHOLD:
        return None, Message(
            "like no {field} code (closest {code!r}, {score:.2f})",
            field=spec.name,
            code=code,
            score=score,
        )
    if normalise(word) in (normalise(code), normalise(str(spec.enum(code).name))):
        if score >= 1.0:
            return code, Message("the same words")
        return code, Message("like {word!r} ({score:.2f})", word=word, score=score)
    if score >= 1.0:
        return code, Message("a word for it: {word!r}", word=word)
    return code, Message("a word for it: {word!r} ({score:.2f})", word=word, score=score)


@functools.cache
def _labels(member: Enum) -> tuple[str, ...]:
    """The code's label in every shipped language: archives are kept in the programme's."""
    return tuple(dict.fromkeys(label(member, locale=code) for code in shipped_locales()))


@functools.cache
def _field_labels(kind: Kind, name: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(field_label(kind.value, name, locale=code) for code in shipped_locales())
    )


def _propose_values(
    source: Source,
    table: SourceTable,
    frame: pd.DataFrame,
    spec: FieldSpec,
    proposal: FieldProposal,
) -> None:
    distinct = _distinct(source, table, frame, proposal.column)
    if spec.many and not source.catalogue.domain_of(table.name, proposal.column):
        proposal.separator = next(
            (s for s in _SEPARATORS if any(s in str(v) for v, _, _ in distinct)), None
        )
        if proposal.separator is not None:
            parts: Counter[str] = Counter()
            for value, _, n in distinct:
                for part in str(value).split(proposal.separator):
                    if part.strip():
                        parts[part.strip()] += n
            distinct = [(p, None, n) for p, n in parts.most_common(DISTINCT_LIMIT)]
    for value, description, n in distinct:
        target, why = _value_match(spec, description or value)
        if description:
            origin = Message("domain: {description!r}", description=description)
        else:
            origin = Message("{count} row" if n == 1 else "{count} rows", count=n)
        reason = Message("{origin}; {why}", origin=origin, why=why)
        proposal.values.append(ValueProposal(str(value), target, reason, n))


def _propose_link(source: Source, proposal: TableProposal, kinds: dict[str, Kind | None]) -> None:
    """A child table (victims under accidents) links to its parent's item through the field
    named for the parent's kind (``accident_code``; an activity's is ``activity_code``): the
    first of its relationships whose parent migrates to a kind it has a field for."""
    if proposal.kind is None:
        return
    fields = data_fields(proposal.kind)
    for relation in source.catalogue.parents_of(proposal.table.name):
        parent_kind = kinds.get(relation.parent)
        if parent_kind is None:
            continue
        wanted = f"{parent_kind.value}_code"
        if wanted not in fields and parent_kind is Kind.LAND_RELEASE_ACTIVITY:
            wanted = "activity_code"
        if wanted not in fields and f"{wanted}s" in fields:  # a task order's areas
            wanted = f"{wanted}s"
        if wanted not in fields:
            continue
        proposal.link = (relation.parent, wanted)
        proposal.link_reason = Message(
            "relationship {name}: each row's {child_key} is the {parent_key} of a row of {parent}",
            name=relation.name,
            child_key=relation.child_key,
            parent_key=relation.parent_key,
            parent=relation.parent,
        )
        proposal.fields = [f for f in proposal.fields if f.target != wanted]
        return
