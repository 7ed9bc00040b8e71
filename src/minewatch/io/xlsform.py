"""Any XLSForm, read through pyxform: its questions, labels and choice lists.

KoboToolbox exports labels by default — headers such as ``Accident/Date of the accident``
and answers such as ``Anti-personnel mine`` — so the importer needs the form to turn them
back into question and choice names. For minewatch's own forms the shipped ``.xlsx`` is read;
for a programme's own form, pass its XLSForm (``--xlsform``). Every language's labels are
accepted.

>>> schema = shipped_schema("minewatch_accident")
>>> schema.questions["victim_sex"].choices["Female"], schema.questions["victim_sex"].repeat
('female', 'victims')
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minewatch.errors import InvalidInput, Location
from minewatch.forms.model import FORM_CONTEXT, Choice, Group, Question

_SELECTS = ("select one", "select all that apply", "select_one", "select_multiple")


@dataclass(frozen=True)
class QuestionInfo:
    name: str
    type: str
    path: str
    labels: tuple[str, ...] = ()
    choices: dict[str, str] = field(default_factory=dict)  # choice label or name → name
    repeat: str | None = None

    @property
    def multiple(self) -> bool:
        return self.type in ("select all that apply", "select_multiple")


@dataclass(frozen=True)
class FormSchema:
    """What an importer needs to know of a form: its id and its questions by name."""

    form_id: str
    title: str
    questions: dict[str, QuestionInfo]

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Question name → its labels, for exports whose headers are labels."""
        return {n: q.labels for n, q in self.questions.items() if q.labels}

    @property
    def repeats(self) -> list[str]:
        return [n for n, q in self.questions.items() if q.type == "repeat"]


def _labels(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, Mapping):
        return tuple(dict.fromkeys(str(v).strip() for v in raw.values() if v))
    return (str(raw).strip(),) if raw else ()


def _choice_map(options: list[Mapping[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for option in options:
        name = str(option.get("name", ""))
        out.setdefault(name, name)
        for label in _labels(option.get("label")):
            out.setdefault(label, name)
    return out


def _walk(
    children: list[Mapping[str, Any]],
    choices: Mapping[str, list[Mapping[str, Any]]],
    prefix: str = "",
    repeat: str | None = None,
) -> Iterator[QuestionInfo]:
    for child in children:
        name = str(child.get("name", ""))
        kind = str(child.get("type", ""))
        path = f"{prefix}{name}"
        options = child.get("choices") or choices.get(str(child.get("itemset") or ""), [])
        yield QuestionInfo(
            name=name,
            type=kind,
            path=path,
            labels=_labels(child.get("label")),
            choices=_choice_map(options) if kind in _SELECTS else {},
            repeat=repeat,
        )
        if kind in ("group", "repeat"):
            inner_repeat = name if kind == "repeat" else repeat
            yield from _walk(child.get("children", []), choices, f"{path}/", inner_repeat)


def schema_from_json(form: Mapping[str, Any]) -> FormSchema:
    """The schema of a form in pyxform's JSON representation."""
    questions: dict[str, QuestionInfo] = {}
    for q in _walk(form.get("children", []), form.get("choices") or {}):
        questions.setdefault(q.name, q)
    return FormSchema(
        form_id=str(form.get("id_string") or form.get("name") or ""),
        title=str(form.get("title") or ""),
        questions=questions,
    )


def read_xlsform(path: Path) -> FormSchema:
    """Parse an XLSForm (``.xlsx``, ``.xls``, ``.csv``, ``.md``) with pyxform."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import parse_file_to_json

    if not path.exists():
        raise InvalidInput("no such XLSForm: {path}", Location(file=str(path)), path=path)
    try:
        return schema_from_json(parse_file_to_json(str(path)))
    except (PyXFormError, ValueError, KeyError) as exc:
        raise InvalidInput(
            "not a valid XLSForm: {problem}", Location(file=str(path)), problem=exc
        ) from None


def check_xlsform(path: Path) -> list[str]:
    """pyxform's conversion of the form to an XForm: its warnings, or InvalidInput."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    if not path.exists():
        raise InvalidInput("no such XLSForm: {path}", Location(file=str(path)), path=path)
    warnings: list[str] = []
    try:
        convert(str(path), warnings=warnings)
    except (PyXFormError, ValueError, KeyError) as exc:
        raise InvalidInput(
            "pyxform rejects the form: {problem}", Location(file=str(path)), problem=exc
        ) from None
    return warnings


def _definition_questions(
    items: tuple[Question | Group, ...],
    lists: Mapping[str, tuple[Choice, ...]],
    prefix: str = "",
    repeat: str | None = None,
) -> Iterator[QuestionInfo]:
    for item in items:
        path = f"{prefix}{item.name}"
        if isinstance(item, Group):
            kind = "repeat" if item.repeat else "group"
            yield QuestionInfo(item.name, kind, path, _every_language(item.label), {}, repeat)
            inner = item.name if item.repeat else repeat
            yield from _definition_questions(item.children, lists, f"{path}/", inner)
            continue
        options = lists.get(item.choices or "", ())
        choices = {c.name: c.name for c in options}
        for option in options:
            for label in _every_language(option.label, option.context):
                choices.setdefault(label, option.name)
        labels = _every_language(item.label)
        yield QuestionInfo(item.name, item.type, path, labels, choices, repeat)


def _every_language(text: str, context: str = FORM_CONTEXT) -> tuple[str, ...]:
    """A shipped form's label in every shipped language, English first (Kobo exports the
    labels of whichever language the user chose)."""
    if not text:
        return ()
    from minewatch.forms.build import form_text
    from minewatch.vocabulary import shipped_locales

    return tuple(dict.fromkeys(form_text(text, code, context) for code in shipped_locales()))


@functools.cache
def shipped_schema(form_id: str) -> FormSchema | None:
    """The schema of one of minewatch's own forms, straight from its definition (the shipped
    ``.xlsx`` is generated from it, and a test keeps the two equal)."""
    from minewatch.forms.definitions import FORMS

    form = FORMS.get(form_id)
    if form is None:
        return None
    questions: dict[str, QuestionInfo] = {}
    for q in _definition_questions(form.survey, form.choice_lists):
        questions.setdefault(q.name, q)
    return FormSchema(form.form_id, form.title, questions)
