"""Submissions turned into draft reports, through a mapping.

Reading an export is :mod:`minewatch.io.form_exports`; this module maps each submission with
the form's mapping (:mod:`minewatch.io.form_mapping`). Each submission becomes one draft report
of the form's record kind plus one per repeat row that makes child records (victims, release
products, device finds), validated column by column with :func:`minewatch.domain.schema.coerce_columns`. A
submission with any bad answer is rejected whole, with its file, row, instance ID and the
question at fault, so that a victim is never imported without their accident.

Two ODK Collect instances of minewatch's accident form, the second with a bad answer:

>>> form = ('<data id="minewatch_accident"><accident><accident_date>2024-08-0{0}</accident_date>'
...         '<accident_location>35.2 48.6 0 0</accident_location></accident><victims>'
...         '<victim_type>civilian</victim_type><victim_sex>{1}</victim_sex>'
...         '<victim_outcome>injured</victim_outcome></victims>'
...         '<meta><instanceID>uuid:000{0}</instanceID></meta></data>')
>>> (tmp / "instances").mkdir()
>>> for day, sex in [(1, "female"), (2, "unsure")]:
...     _ = (tmp / "instances" / f"{day}.xml").write_text(form.format(day, sex))
>>> result = parse_export(tmp / "instances")
>>> result.accepted[0].main.external_id
'uuid:0001'
>>> print(result.rejected[0])
/...instances, row 2, field victims[1]/victim_sex (uuid:0002): 'unsure' is not one of: female, male, unknown
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind, record_type
from minewatch.domain.schema import (
    FieldSpec,
    coerce_columns,
    coerce_value,
    data_fields,
    to_plain,
)
from minewatch.domain.text import Message
from minewatch.errors import InvalidInput, Location
from minewatch.io.form_exports import (
    Answers,
    Attachment,
    Export,
    Flavour,
    Submission,
    is_blank,
    read_export,
)
from minewatch.io.form_mapping import FieldRule, FormMapping, MappingFile, RepeatRule
from minewatch.io.odk_geo import as_polygon, parse_geometry
from minewatch.io.xlsform import FormSchema, QuestionInfo, shipped_schema

__all__ = [
    "Attachment",
    "DraftReport",
    "Flavour",
    "ParsedExport",
    "Rejection",
    "SubmissionDrafts",
    "choose_form",
    "map_export",
    "parse_export",
    "read_export",
]


# -- choosing the mapping ------------------------------------------------------------------------


def choose_form(export: Export, mapping: MappingFile, form_id: str | None = None) -> str:
    """The form id whose mapping fits this export: given, stated in the submissions
    (Kobo's ``_xform_id_string``), named by the file (ODK's ``<form_id>.csv``), or the
    mapping that reads most of the export's columns."""
    if form_id is not None:
        if form_id not in mapping.forms:
            raise InvalidInput(
                "no mapping for form {form_id!r}; known: {forms}",
                Location(file=export.file),
                form_id=form_id,
                forms=", ".join(sorted(mapping.forms)),
            )
        return form_id
    stated = {s.form_id for s in export.submissions if s.form_id in mapping.forms}
    if len(stated) == 1:
        return str(stated.pop())
    hint = export.form_hint or ""
    named = [f for f in mapping.forms if hint == f or hint.startswith(f"{f}-")]
    if len(named) == 1:
        return named[0]
    scored = sorted(((_overlap(export, f, m), f) for f, m in mapping.forms.items()), reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    raise InvalidInput(
        "cannot tell which form this export comes from; pass --form", Location(file=export.file)
    )


def _overlap(export: Export, form_id: str, form: FormMapping) -> int:
    schema = shipped_schema(form_id)
    probe = Answers(dict.fromkeys(export.columns, "x"), aliases=schema.aliases() if schema else {})
    return sum(1 for c in form.columns() if probe.has(c))


# -- mapping submissions to drafts ---------------------------------------------------------------


@dataclass(frozen=True)
class DraftReport:
    """A draft report as an import proposes it: plain values, validated."""

    kind: Kind
    date_of_information: date
    changes: dict[str, Any]
    geometry: BaseGeometry | None
    external_id: str
    source: str
    organisation_code: str | None = None
    notes: tuple[str, ...] = ()
    link: str | None = None  # for a child record: the field that names its parent's code

    def as_dict(self) -> dict[str, Any]:
        """Plain data (geometry as WKT), e.g. for a JSON preview of an import."""
        return {
            "kind": self.kind.value,
            "date_of_information": self.date_of_information.isoformat(),
            "changes": to_plain(self.changes),
            "geometry": None if self.geometry is None else self.geometry.wkt,
            "external_id": self.external_id,
            "source": self.source,
            "organisation_code": self.organisation_code,
            "notes": list(self.notes),
            "link": self.link,
        }


@dataclass(frozen=True)
class SubmissionDrafts:
    """One accepted submission: its main report, its child reports, its files."""

    instance_id: str
    where: Location
    main: DraftReport
    children: tuple[DraftReport, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    #: this version's instance ID (``meta/instanceID``), which changes when the submission is
    #: edited on the server while ``instance_id`` stays
    version: str | None = None


@dataclass(frozen=True)
class Rejection:
    """A submission that was not imported, and why (file, row, instance ID, question)."""

    file: str
    row: int | str
    instance_id: str | None
    field: str | None
    reason: str

    @property
    def where(self) -> Location:
        return Location(file=self.file, row=self.row, field=self.field)

    def __str__(self) -> str:
        who = f" ({self.instance_id})" if self.instance_id else ""
        return f"{self.where}{who}: {self.reason}"


@dataclass
class ParsedExport:
    file: str
    flavour: Flavour
    form_id: str
    accepted: list[SubmissionDrafts]
    rejected: list[Rejection]


class _Reject(Exception):
    def __init__(self, column: str | None, reason: str) -> None:
        self.column = column
        self.reason = reason
        super().__init__(reason)


def _split_labels(text: str, choices: Mapping[str, str]) -> list[str]:
    """Choice names from a select_multiple exported as labels joined by spaces (labels may
    themselves contain spaces: the longest label that fits wins)."""
    labels = sorted(choices, key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        for label in labels:
            end = i + len(label)
            if label and text.startswith(label, i) and (end == len(text) or text[end] == " "):
                out.append(choices[label])
                i = end
                break
        else:
            end = text.find(" ", i)
            end = len(text) if end < 0 else end
            out.append(text[i:end])
            i = end
    return out


def _decode_choices(raw: Any, question: QuestionInfo | None) -> Any:
    """Choice labels (Kobo's default export) back to choice names."""
    if question is None or not question.choices or not isinstance(raw, str):
        return raw
    text = raw.strip()
    if not question.multiple:
        return question.choices.get(text, raw)
    names = set(question.choices.values())
    if all(t in names for t in text.split()):
        return text
    return " ".join(_split_labels(text, question.choices))


def _value(
    answers: Answers, rule: FieldRule, schema: FormSchema | None, *, own_only: bool = False
) -> Any:
    raw = answers.own(rule.column) if own_only else answers.get(rule.column)
    if is_blank(raw):
        return None
    question = schema.questions.get(rule.column) if schema else None
    if question is not None and question.type in _DATE_TYPES:
        raw = _from_epoch_ms(raw)
    raw = _decode_choices(raw, question)
    if rule.values:
        if isinstance(raw, str) and " " in raw.strip():
            raw = " ".join(rule.values.get(t, t) for t in raw.split())
        else:
            raw = rule.values.get(str(raw).strip(), raw)
    if rule.each:
        items = raw.split() if isinstance(raw, str) else list(raw)
        return [{rule.each: item} for item in items]
    return raw


def _set(changes: dict[str, Any], target: str, value: Any) -> None:
    if "." in target:
        outer, inner = target.split(".", 1)
        changes.setdefault(outer, {})[inner] = value
    else:
        changes[target] = value


def _changes(
    answers: Answers, rules: Mapping[str, FieldRule], schema: FormSchema | None
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for target, rule in rules.items():
        value = _value(answers, rule, schema)
        if value is not None:
            _set(changes, target, value)
    return changes


def _first(answers: Answers, columns: Iterable[str]) -> tuple[str | None, Any]:
    for column in columns:
        value = answers.get(column)
        if not is_blank(value):
            return column, value
    return None, None


def _doi(answers: Answers, columns: list[str]) -> date:
    column, raw = _first(answers, columns)
    if column is None:
        raise _Reject(columns[0] if columns else None, Message("no Date of Information (empty)"))
    try:
        return _coerce_date(raw)
    except ValueError:
        raise _Reject(column, Message("{value!r} is not a date", value=raw)) from None


_DATE_TYPES = frozenset({"date", "datetime", "dateTime", "today", "start", "end"})
_DATE = FieldSpec(name="date_of_information", storage="date", python_type=date)


def _coerce_date(raw: Any) -> date:
    """A date answer (``2024-05-01``, an ODK dateTime, an Excel date cell, or the epoch
    milliseconds ArcGIS layers store)."""
    value: date = coerce_value(_DATE, _from_epoch_ms(raw))
    return value


def _from_epoch_ms(raw: Any) -> Any:
    """ArcGIS (Survey123) stores dates as milliseconds since 1970; anything else unchanged."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and abs(raw) > 1e11:
        return datetime.fromtimestamp(raw / 1000, UTC).date().isoformat()
    return raw


def _geometry(
    kind: Kind, answers: Answers, columns: list[str]
) -> tuple[BaseGeometry | None, list[str]]:
    column, raw = _first(answers, columns)
    if column is None and columns and isinstance(answers.own("geometry"), Mapping):
        column, raw = "geometry", answers.own("geometry")  # a GeoJSON feature's own geometry
    if column is None:
        return None, []
    try:
        geom = parse_geometry(raw)
    except ValueError as exc:
        raise _Reject(column, Message("bad location: {problem}", problem=Message.of(exc))) from None
    expected = record_type(kind).geometry_type
    if expected is None:
        raise _Reject(column, Message("{kind} records have no location", kind=kind.value))
    if expected == "POINT":
        if geom.geom_type != "Point":
            raise _Reject(
                column,
                Message(
                    "{kind} needs a geopoint, got a {geometry}",
                    kind=kind.value,
                    geometry=geom.geom_type,
                ),
            )
        return geom, []
    try:
        polygon, note = as_polygon(geom)
    except ValueError as exc:
        raise _Reject(column, Message.of(exc)) from None
    return polygon, [note] if note else []


def _column_of(rules: Mapping[str, FieldRule], field_name: str) -> str:
    """The question behind a record field, to name it in a rejection."""
    rule = rules.get(field_name) or next(
        (r for t, r in rules.items() if t.split(".")[0] == field_name), None
    )
    return rule.column if rule else field_name


@dataclass
class _Unchecked:
    """A mapped submission whose values are not validated yet, and for each of its drafts
    (main first) the rules and repeat prefix that name a bad value's question."""

    index: int
    drafts: SubmissionDrafts
    rules: list[tuple[Mapping[str, FieldRule], str]]

    def draft(self, position: int) -> DraftReport:
        return self.drafts.main if position == 0 else self.drafts.children[position - 1]


def _validate(items: list[_Unchecked]) -> tuple[list[SubmissionDrafts], dict[int, _Reject]]:
    """Every draft's values validated column by column, one batch per record kind
    (:func:`minewatch.domain.schema.coerce_columns`); a submission with any bad value is
    rejected whole, naming the first."""
    by_kind: dict[Kind, list[tuple[int, int]]] = {}
    for i, item in enumerate(items):
        for j in range(1 + len(item.drafts.children)):
            by_kind.setdefault(item.draft(j).kind, []).append((i, j))
    clean: dict[tuple[int, int], dict[str, Any]] = {}
    failed: dict[int, _Reject] = {}
    for kind, refs in by_kind.items():
        changes = [items[i].draft(j).changes for i, j in refs]
        names = list(dict.fromkeys(n for c in changes for n in c))
        typed, errors = coerce_columns(kind, {n: [c.get(n) for c in changes] for n in names})
        for error in errors:
            i, j = refs[error.row]
            rules, prefix = items[i].rules[j]
            column = f"{prefix}{_column_of(rules, error.field)}"
            failed.setdefault(items[i].index, _Reject(column, error.message))
        for row, ref in enumerate(refs):
            clean[ref] = {n: to_plain(typed[n][row]) for n in changes[row]}
    accepted = []
    for i, item in enumerate(items):
        if item.index in failed:
            continue
        main = dataclasses.replace(item.drafts.main, changes=clean[(i, 0)])
        children = tuple(
            dataclasses.replace(child, changes=clean[(i, j)])
            for j, child in enumerate(item.drafts.children, start=1)
        )
        accepted.append(dataclasses.replace(item.drafts, main=main, children=children))
    return accepted, failed


def _with_organisation(kind: Kind, changes: dict[str, Any], org: str | None) -> dict[str, Any]:
    if org and "organisation_code" in data_fields(kind):
        changes.setdefault("organisation_code", org)
    return changes


def _nested_rows(
    sub: Submission, rep: RepeatRule, schema: FormSchema | None
) -> list[dict[str, Any]]:
    rules = rep.rules()
    rows = []
    for row in _rows(sub, rep, schema):
        # nested objects never borrow the submission's answers
        values = {
            t: v
            for t, r in rules.items()
            if (v := _value(row, r, schema, own_only=True)) is not None
        }
        if values:
            rows.append(values)
    return rows


def _attachments(
    sub: Submission, form: FormMapping, export: Export, context: _Context
) -> tuple[Attachment, ...]:
    """The files sent with a submission: from the API's list, or from the answers to the
    form's file questions; ``in_export`` when the export carries the file (ODK's media/)."""
    found = list(sub.attachments)
    if not found:
        for rows in [[sub.answers], *sub.repeats.values()]:
            for answers in rows:
                for question in form.attachments:
                    name = answers.own(question)  # a repeat row's files, not its submission's
                    if not is_blank(name):
                        url = answers.own(f"{question}_URL")
                        found.append(Attachment(str(name), question, str(url) if url else None))
    media = set(export.media)
    return tuple(
        dict.fromkeys(
            dataclasses.replace(
                a,
                url=a.url or context.attachment_url(sub.instance_id or "", a.filename),
                in_export=a.filename in media,
            )
            for a in found
        )
    )


@dataclass(frozen=True)
class _Context:
    """What every submission of one export is mapped with."""

    form_id: str
    schema: FormSchema | None
    #: e.g. "https://central.example.org/v1/projects/3/forms/{form}/submissions/{instance}/
    #: attachments/{filename}", for exports that list file names without their address
    attachments_url: str | None = None

    def attachment_url(self, instance: str, filename: str) -> str | None:
        if not self.attachments_url:
            return None
        return self.attachments_url.format(
            form=quote(self.form_id), instance=quote(instance), filename=quote(filename)
        )


def _rows(sub: Submission, rep: RepeatRule, schema: FormSchema | None) -> list[Answers]:
    labels = schema.aliases().get(rep.repeat, ()) if schema else ()
    return sub.repeat_rows(rep.repeat, labels)


def _map_submission(
    index: int, sub: Submission, form: FormMapping, export: Export, context: _Context
) -> _Unchecked:
    schema = context.schema
    if not sub.instance_id:
        raise _Reject("meta/instanceID", Message("the submission has no instance ID"))
    answers = sub.answers
    source = f"{export.flavour} export {Path(export.file).name} row {sub.row} ({sub.instance_id})"
    doi = _doi(answers, form.date_of_information)
    org = answers.get(form.organisation) if form.organisation else None
    org = str(org).strip() if not is_blank(org) else None
    rules = form.rules()
    changes = _changes(answers, rules, schema)
    changes.update(form.constants)
    for rep in form.repeats:
        if rep.nested:
            rows = _nested_rows(sub, rep, schema)
            if rows:
                changes[rep.nested] = rows
                rules.setdefault(rep.nested, FieldRule(column=rep.repeat))
    geometry, notes = _geometry(form.kind, answers, form.geometry)
    main = DraftReport(
        kind=form.kind,
        date_of_information=doi,
        changes=_with_organisation(form.kind, changes, org),
        geometry=geometry,
        external_id=sub.instance_id,
        source=source,
        organisation_code=org,
        notes=tuple(notes),
    )
    children = [
        child
        for rep in form.repeats
        if rep.kind is not None
        for child in _children(sub, rep, org, source, schema)
    ]
    drafts = SubmissionDrafts(
        instance_id=sub.instance_id,
        where=Location(file=export.file, row=sub.row),
        main=main,
        children=tuple(draft for draft, _rules in children),
        attachments=_attachments(sub, form, export, context),
        version=sub.version or sub.instance_id,
    )
    return _Unchecked(index, drafts, [(rules, ""), *(r for _d, r in children)])


def _children(
    sub: Submission, rep: RepeatRule, org: str | None, source: str, schema: FormSchema | None
) -> Iterator[tuple[DraftReport, tuple[Mapping[str, FieldRule], str]]]:
    assert rep.kind is not None
    rules = rep.rules()
    for i, row in enumerate(_rows(sub, rep, schema), start=1):
        prefix = f"{rep.repeat}[{i}]/"
        try:
            doi = _doi(row, rep.date_of_information)
            geometry, notes = _geometry(rep.kind, row, rep.geometry)
        except _Reject as exc:
            raise _Reject(f"{prefix}{exc.column}", exc.reason) from None
        changes = _with_organisation(rep.kind, _changes(row, rules, schema), org)
        draft = DraftReport(
            kind=rep.kind,
            date_of_information=doi,
            changes=changes,
            geometry=geometry,
            external_id=f"{sub.instance_id}/{rep.repeat}[{i}]",
            source=f"{source} {rep.repeat}[{i}]",
            organisation_code=org,
            notes=tuple(notes),
            link=rep.link,
        )
        yield draft, (rules, prefix)


def map_export(
    export: Export,
    mapping: MappingFile,
    form_id: str | None = None,
    schema: FormSchema | None = None,
    attachments_url: str | None = None,
) -> ParsedExport:
    """Every submission of an export as drafts, or as a rejection with its reason.

    ``schema`` (the form, see :mod:`minewatch.io.xlsform`) lets label headers and choice
    labels be read; minewatch's own forms bring theirs. ``attachments_url`` is a template
    (``{form}``, ``{instance}``, ``{filename}``) for the address of files the export names
    without one.
    """
    if form_id is None and schema is not None and schema.form_id in mapping.forms:
        form_id = schema.form_id
    chosen = choose_form(export, mapping, form_id)
    form = mapping.forms[chosen]
    schema = schema or shipped_schema(chosen)
    context = _Context(chosen, schema, attachments_url)
    aliases = schema.aliases() if schema else {}
    for sub in export.submissions:
        sub.answers.with_aliases(aliases)
        for rows in sub.repeats.values():
            for row in rows:
                row.with_aliases(aliases)
    unchecked: list[_Unchecked] = []
    failed: dict[int, _Reject] = {}
    seen: set[str] = set()
    for i, sub in enumerate(export.submissions):
        try:
            if sub.server_refusal:
                raise _Reject(None, sub.server_refusal)
            if sub.instance_id in seen:
                raise _Reject(
                    None,
                    Message(
                        "duplicate of an earlier row with {instance_id}",
                        instance_id=sub.instance_id,
                    ),
                )
            unchecked.append(_map_submission(i, sub, form, export, context))
            seen.add(sub.instance_id or "")
        except _Reject as exc:
            failed[i] = exc
    accepted, invalid = _validate(unchecked)
    failed.update(invalid)
    rejected = [
        Rejection(export.file, sub.row, sub.instance_id, failed[i].column, failed[i].reason)
        for i, sub in enumerate(export.submissions)
        if i in failed
    ]
    return ParsedExport(export.file, export.flavour, chosen, accepted, rejected)


def parse_export(
    path: Path,
    mapping: MappingFile | None = None,
    form_id: str | None = None,
    flavour: Flavour | None = None,
    schema: FormSchema | None = None,
    attachments_url: str | None = None,
) -> ParsedExport:
    """Read an export and map it (by default with minewatch's own forms' mapping)."""
    from minewatch.io.form_mapping import default_mapping

    export = read_export(path, flavour)
    return map_export(export, mapping or default_mapping(), form_id, schema, attachments_url)
