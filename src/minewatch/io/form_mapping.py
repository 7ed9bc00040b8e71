"""How a form's questions become record fields: the mapping file.

Programmes customise forms (renamed questions, their own choice names, extra questions). A
mapping file in TOML says, per form id, which record kind a submission makes, which
question gives its Date of Information and geometry, and which question fills each field;
each repeat group either makes child records (victims of an accident, linked by
``accident_code``) or fills a list field (the evidence of a hazardous area).

The mapping for minewatch's own forms is derived from their definitions
(:func:`default_mapping`) and shipped as ``forms/xlsform/minewatch_default_mapping.toml``, a
template to copy and edit::

    [forms.my_accident_form]
    kind = "accident"
    date_of_information = ["date_accident"]
    geometry = ["gps"]
    organisation = "org"

    [forms.my_accident_form.fields]
    accident_date = "date_accident"
    device_category = { column = "device", values = { "AP" = "ap_mine", "AT" = "av_mine" } }

    [[forms.my_accident_form.repeats]]
    repeat = "casualties"
    kind = "victim"
    link = "accident_code"
    date_of_information = ["date_accident"]   # looked up in the row, then the submission
    [forms.my_accident_form.repeats.fields]
    sex = "casualty_sex"

Column names are question names (with or without their group path) or, for exports that
use labels as headers, the labels.

>>> m = default_mapping().forms["minewatch_accident"]
>>> m.kind.value, m.repeats[0].kind.value, m.repeats[0].link
('accident', 'victim', 'accident_code')
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from minewatch.domain.records import Kind
from minewatch.domain.schema import data_fields
from minewatch.errors import InvalidInput, Location
from minewatch.forms.definitions import FORMS
from minewatch.forms.model import FormDefinition, Group, Question
from minewatch.io.xlsform import FormSchema, QuestionInfo


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldRule(_Strict):
    """Where one field's value comes from. ``values`` recodes a programme's choice names to
    minewatch's; ``each`` turns each selected value of a select_multiple into an object
    ``{each: value}`` (e.g. blockages ``{"type": "road"}``)."""

    column: str
    each: str | None = None
    values: dict[str, str] = Field(default_factory=dict)


def _as_rule(value: str | FieldRule) -> FieldRule:
    return value if isinstance(value, FieldRule) else FieldRule(column=value)


class RepeatRule(_Strict):
    """A repeat group: child records of ``kind`` linked by ``link``, or the list field
    ``nested`` of the main record."""

    repeat: str
    kind: Kind | None = None
    link: str | None = None
    nested: str | None = None
    fields: dict[str, str | FieldRule] = Field(default_factory=dict)
    geometry: list[str] = Field(default_factory=list)
    date_of_information: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_target(self) -> RepeatRule:
        if (self.kind is None) == (self.nested is None):
            raise ValueError(f"repeat {self.repeat!r} needs exactly one of kind or nested")
        return self

    def rules(self) -> dict[str, FieldRule]:
        return {k: _as_rule(v) for k, v in self.fields.items()}


class FormMapping(_Strict):
    kind: Kind
    date_of_information: list[str]
    geometry: list[str] = Field(default_factory=list)
    organisation: str | None = None
    fields: dict[str, str | FieldRule] = Field(default_factory=dict)
    constants: dict[str, str] = Field(default_factory=dict)
    repeats: list[RepeatRule] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fields_exist(self) -> FormMapping:
        _check_fields(self.kind, [*self.fields, *self.constants])
        for rep in self.repeats:
            if rep.kind is not None:
                _check_fields(rep.kind, [*rep.fields, *([rep.link] if rep.link else [])])
        return self

    def rules(self) -> dict[str, FieldRule]:
        return {k: _as_rule(v) for k, v in self.fields.items()}

    def columns(self) -> set[str]:
        """Every column this mapping reads, to recognise a form from an export's headers."""
        cols = {r.column for r in self.rules().values()}
        cols.update(self.date_of_information, self.geometry, self.attachments)
        for rep in self.repeats:
            cols.update(r.column for r in rep.rules().values())
            cols.update(rep.geometry)
        return cols


def _check_fields(kind: Kind, names: list[str]) -> None:
    known = data_fields(kind)
    for name in names:
        if name.split(".")[0] not in known:
            raise ValueError(f"{kind.value} has no field {name!r}")


class MappingFile(_Strict):
    """Every form a programme imports, by form id (the XLSForm settings ``form_id``)."""

    forms: dict[str, FormMapping]

    def merged(self, other: MappingFile) -> MappingFile:
        """This mapping with ``other``'s forms added (``other`` wins on the same form id)."""
        return MappingFile(forms={**self.forms, **other.forms})


def load_mapping(path: Path) -> MappingFile:
    """A mapping file, validated; InvalidInput names the bad entry."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(
            "cannot read mapping: {problem}", Location(file=str(path)), problem=exc
        ) from None
    try:
        return MappingFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(
            "{entry}: {problem}", Location(file=str(path)), entry=where, problem=first["msg"]
        ) from None


# -- the default mapping, derived from the shipped forms ---------------------------------------


def _rule(q: Question) -> str | FieldRule:
    return FieldRule(column=q.name, each=q.each) if q.each else q.name


def _fields_of(items: tuple[Question | Group, ...]) -> dict[str, str | FieldRule]:
    """Field → rule for the questions outside repeats."""
    out: dict[str, str | FieldRule] = {}
    for item in items:
        if isinstance(item, Group):
            if not item.repeat:
                out.update(_fields_of(item.children))
        elif item.field:
            out[item.field] = _rule(item)
    return out


def _repeat_rule(group: Group) -> RepeatRule:
    fields = _fields_of(group.children)
    fields.update(dict(group.inherit))
    return RepeatRule(
        repeat=group.name,
        kind=group.child,
        link=group.link,
        nested=group.nested,
        fields=fields,
        geometry=list(group.geometry),
        date_of_information=list(group.date_of_information),
    )


def form_mapping(form: FormDefinition) -> FormMapping:
    """The mapping of one of minewatch's own forms."""
    return FormMapping(
        kind=form.kind,
        date_of_information=list(form.date_of_information),
        geometry=list(form.geometry),
        organisation=form.organisation,
        fields={**_fields_of(form.survey), **dict(form.extra_fields)},
        constants=dict(form.constants),
        repeats=[_repeat_rule(g) for g in form.repeats()],
        attachments=[q.name for q in form.questions() if q.type == "image"],
    )


def default_mapping() -> MappingFile:
    """The mapping of every form minewatch ships."""
    return MappingFile(forms={fid: form_mapping(f) for fid, f in FORMS.items()})


# -- writing TOML (the standard library only reads it) ------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _key(name: str) -> str:
    return name if name.replace("_", "").isalnum() else _toml_value(name)


def _scalars(data: dict[str, Any]) -> list[str]:
    return [
        f"{_key(k)} = {_toml_value(v)}"
        for k, v in data.items()
        if v not in (None, [], {}) and not isinstance(v, dict) and not _is_table_list(v)
    ]


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _plain_rules(rules: dict[str, str | FieldRule]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, str) else v.model_dump(exclude_defaults=True)
        for k, v in rules.items()
    }


def mapping_to_toml(mapping: MappingFile, header: str = "") -> str:
    """The mapping as TOML text that :func:`load_mapping` reads back unchanged."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    for form_id, form in mapping.forms.items():
        data = form.model_dump(mode="json", exclude={"fields", "repeats", "constants"})
        lines += ["", f"[forms.{form_id}]", *_scalars(data)]
        if form.constants:
            lines += ["", f"[forms.{form_id}.constants]", *_scalars(form.constants)]
        lines += ["", f"[forms.{form_id}.fields]"]
        lines += [f"{_key(k)} = {_toml_value(v)}" for k, v in _plain_rules(form.fields).items()]
        for rep in form.repeats:
            rep_data = rep.model_dump(mode="json", exclude={"fields"})
            lines += ["", f"[[forms.{form_id}.repeats]]", *_scalars(rep_data)]
            lines += [f"[forms.{form_id}.repeats.fields]"]
            lines += [f"{_key(k)} = {_toml_value(v)}" for k, v in _plain_rules(rep.fields).items()]
    return "\n".join(lines).lstrip("\n") + "\n"


DEFAULT_MAPPING_HEADER = """\
minewatch: mapping of its own field forms to record fields.
Generated from src/minewatch/forms/definitions.py by `minewatch forms build`: do not edit.
Copy it to map a customised form; see docs/field-forms.md."""


# -- a first mapping for a programme's own form -------------------------------------------------

#: Which repeats a main kind can have: child kinds, or nested list fields.
_CHILD_KINDS: dict[Kind, tuple[Kind, ...]] = {
    Kind.ACCIDENT: (Kind.VICTIM,),
    Kind.LAND_RELEASE_ACTIVITY: (Kind.RELEASE_PRODUCT, Kind.DEVICE_FIND),
}
_LINKS: dict[Kind, str] = {
    Kind.VICTIM: "accident_code",
    Kind.RELEASE_PRODUCT: "activity_code",
    Kind.DEVICE_FIND: "activity_code",
}
_POINT_TYPES = ("geopoint",)
_AREA_TYPES = ("geoshape", "geotrace")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _match_fields(kind: Kind, questions: list[QuestionInfo]) -> dict[str, str]:
    """Field → question, where a question's name or label names the field."""
    from minewatch.domain.schema import data_fields

    out: dict[str, str] = {}
    for name, spec in data_fields(kind).items():
        if spec.storage == "json":
            continue
        wanted = _norm(name)
        for q in questions:
            if q.type in ("group", "repeat", "note") or q.name in out.values():
                continue
            names = {_norm(q.name), *(_norm(label) for label in q.labels)}
            if wanted in names or any(n.endswith(wanted) for n in names):
                out[name] = q.name
                break
    return out


def _pick(questions: list[QuestionInfo], types: tuple[str, ...], hint: str = "") -> list[str]:
    found = [q.name for q in questions if q.type in types]
    return sorted(found, key=lambda n: hint not in n)


def suggest_mapping(schema: FormSchema, kind: Kind) -> FormMapping:
    """A first mapping of a programme's form to ``kind``, by question names and labels.

    Review it: it matches names, it does not understand them.
    """
    from minewatch.domain.records import record_type

    top = [q for q in schema.questions.values() if q.repeat is None]
    geometry_types = _POINT_TYPES if record_type(kind).geometry_type == "POINT" else _AREA_TYPES
    dates = _pick(top, ("date", "datetime", "today", "start"), "date")
    orgs = [q.name for q in top if "org" in q.name.lower()]
    repeats = []
    for repeat in schema.repeats:
        inner = [q for q in schema.questions.values() if q.repeat == repeat]
        best = max(
            ((len(_match_fields(child, inner)), child) for child in _CHILD_KINDS.get(kind, ())),
            default=(0, None),
        )
        if best[1] is None or best[0] == 0:
            continue
        child = best[1]
        child_types = _POINT_TYPES if record_type(child).geometry_type == "POINT" else _AREA_TYPES
        repeats.append(
            RepeatRule(
                repeat=repeat,
                kind=child,
                link=_LINKS[child],
                fields=dict(_match_fields(child, inner)),
                geometry=_pick(inner, child_types) if record_type(child).geometry_type else [],
                date_of_information=dates[:1],
            )
        )
    return FormMapping(
        kind=kind,
        date_of_information=dates[:1],
        geometry=_pick(top, geometry_types) if record_type(kind).geometry_type else [],
        organisation=orgs[0] if orgs else None,
        fields=dict(_match_fields(kind, top)),
        repeats=repeats,
        attachments=[
            q.name
            for q in schema.questions.values()
            if q.type in ("image", "audio", "video", "file")
        ],
    )


def suggestion_toml(schema: FormSchema, kind: Kind) -> str:
    """:func:`suggest_mapping` as TOML, with the questions it left unmapped listed."""
    mapping = suggest_mapping(schema, kind)
    used = mapping.columns() | ({mapping.organisation} if mapping.organisation else set())
    unmapped = [
        f"{q.path} ({q.type})"
        for q in schema.questions.values()
        if q.name not in used
        and q.type not in ("group", "repeat", "note", "start", "end")
        and not q.path.startswith("meta/")
    ]
    header = (
        f"First mapping of form {schema.form_id!r} to {kind.value}, suggested from question\n"
        "names and labels by `minewatch forms mapping`: check every line before importing.\n"
        "Questions not mapped:\n" + "\n".join(f"  {u}" for u in unmapped)
    )
    return mapping_to_toml(MappingFile(forms={schema.form_id: mapping}), header)
