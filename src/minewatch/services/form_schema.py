"""The data-entry form of each kind of record, described from the domain's schema: what
control each field needs (a choice list, a number with its bounds, a date, a picker of
organisations or places, a table of rows, the sex-and-age grid), with human labels from
:mod:`minewatch.vocabulary` and the help the records declare. The web page renders any kind
from this description, so a new kind or field needs no new page; the same bounds are
enforced by :mod:`minewatch.domain.schema` whichever door a value comes through.

>>> form = describe_form("device_find")
>>> quantity = next(f for f in form["fields"] if f["name"] == "quantity")
>>> quantity["control"], quantity["integer"], quantity["minimum"]
('number', True, 1)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from minewatch.domain.records import Kind, SexAge, record_type
from minewatch.domain.schema import FieldSpec, data_fields, default_values, nested_field_specs
from minewatch.domain.schema.plain import to_plain
from minewatch.services import disclosure
from minewatch.services.form_labels import enum_label, field_label, kind_label, translated
from minewatch.vocabulary import field_help, sex_age_row_label
from minewatch.vocabulary.fields import REPORT_FIELD_HELP

#: Text fields that hold sentences rather than a word or a code: a multi-line box.
LONG_TEXT = frozenset({"description"})

#: The report's own fields, which every form asks for before the record's.
REPORT_FIELDS: tuple[dict[str, Any], ...] = (
    {
        "name": "date_of_information",
        "control": "date",
        "required": True,
        "help": REPORT_FIELD_HELP["date_of_information"],
    },
    {
        "name": "source",
        "control": "text",
        "required": False,
        "help": REPORT_FIELD_HELP["source"],
    },
)


def _nested_control(spec: FieldSpec, locale: str | None) -> dict[str, Any]:
    """A value made of sub-fields: one row of people by sex and age, or a table of rows."""
    columns = [
        _describe(spec.python_type.__name__, sub, None, locale)
        for sub in nested_field_specs(spec.python_type).values()
    ]
    if spec.python_type is SexAge:
        # A grid: sex and age across, and a row per further breakdown (girls_with_disability
        # is "girls" in the row "_with_disability"), so a phone shows four columns, not eight.
        suffixes = dict.fromkeys(c["name"].partition("_with_")[1:] for c in columns)
        rows = [
            {"suffix": "".join(parts), "label": sex_age_row_label("".join(parts), locale)}
            for parts in suffixes
        ]
        return {"control": "people_by_sex_age", "columns": columns, "rows": rows}
    return {"control": "rows", "columns": columns}


def _control(spec: FieldSpec, locale: str | None) -> dict[str, Any]:
    if dataclasses.is_dataclass(spec.python_type):
        return _nested_control(spec, locale)
    if spec.enum is not None:
        choices = [{"value": m.value, "label": enum_label(m, locale)} for m in spec.enum]
        return {"control": "multi_choice" if spec.many else "choice", "choices": choices}
    if spec.refers_to is not None and spec.many:  # several codes, typed with spaces between
        return {"control": "text", "refers_to": spec.refers_to, "many": True}
    if spec.refers_to is not None:
        return {"control": "reference", "refers_to": spec.refers_to, "max_length": spec.max_length}
    if spec.storage in ("integer", "real"):
        return {
            "control": "number",
            "integer": spec.storage == "integer",
            "minimum": spec.minimum,
            "maximum": spec.maximum,
        }
    if spec.storage == "boolean":
        choices = [
            {"value": "true", "label": translated("Yes", locale)},
            {"value": "false", "label": translated("No", locale)},
        ]
        return {"control": "choice", "choices": choices}
    if spec.storage in ("date", "datetime"):
        return {"control": spec.storage}
    control = "long_text" if spec.name in LONG_TEXT else "text"
    return {"control": control, "max_length": spec.max_length}


def _describe(owner: str, spec: FieldSpec, default: Any, locale: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": spec.name,
        "label": field_label(owner, spec.name, locale),
        "required": not spec.optional and default is None,
        "help": field_help(spec.help, locale) if spec.help else None,
        **_control(spec, locale),
    }
    if default is not None and default != () and not dataclasses.is_dataclass(default):
        out["default"] = to_plain(default)
    return out


def describe_form(kind: Kind | str, *, locale: str | None = None) -> dict[str, Any]:
    """The form for reports of ``kind``: the report's own fields, the record's fields in
    declaration order (personal ones marked), and the geometry it takes, if any.

    Each field has a ``control``: ``text``, ``long_text``, ``number`` (with ``integer``,
    ``minimum``, ``maximum``), ``date``, ``datetime``, ``choice`` or ``multi_choice`` (with
    ``choices``: value and label), ``reference`` (``refers_to`` a kind: pick one of its
    items), ``people_by_sex_age`` or ``rows`` (with ``columns``, each described the same way).

    Examples
    --------
    >>> form = describe_form(Kind.HAZARDOUS_AREA)
    >>> form["label"], form["geometry_type"], [f["name"] for f in form["report_fields"]]
    ('Hazardous area', 'MULTIPOLYGON', ['date_of_information', 'source'])
    >>> fields = {f["name"]: f for f in form["fields"]}
    >>> fields["hazard_types"]["control"], fields["hazard_types"]["choices"][0]["value"]
    ('multi_choice', 'ap_mines')
    >>> fields["organisation_code"]["control"], fields["organisation_code"]["refers_to"]
    ('reference', 'organisation')
    >>> fields["beneficiaries"]["control"], [c["name"] for c in fields["beneficiaries"]["columns"]][:4]
    ('people_by_sex_age', ['girls', 'boys', 'women', 'men'])
    >>> [r["label"] for r in fields["beneficiaries"]["rows"]]
    ['All', 'With disability']
    >>> fields["name"]["max_length"], fields["description"]["max_length"]
    (200, 10000)
    >>> [(c["name"], c["control"]) for c in fields["evidence"]["columns"]]
    [('type', 'choice'), ('source', 'choice'), ('note', 'text')]
    >>> fields["status"]["default"], fields["reported_area_m2"]["minimum"]
    ('open', 0)
    """
    kind = Kind(kind)
    defaults = default_values(kind)
    fields = []
    for spec in data_fields(kind).values():
        if spec.python_type is dict:  # a free-form object (what a migration kept): not typed
            continue
        described = _describe(kind.value, spec, defaults.get(spec.name), locale)
        described["personal"] = disclosure.is_personal(kind, spec.name)
        fields.append(described)
    report_fields = [
        {
            **f,
            "label": field_label("report", f["name"], locale),
            "help": field_help(f["help"], locale),
        }
        for f in REPORT_FIELDS
    ]
    return {
        "kind": kind.value,
        "label": kind_label(kind, locale),
        "geometry_type": record_type(kind).geometry_type,
        "report_fields": report_fields,
        "fields": fields,
    }


def describe_forms(*, locale: str | None = None) -> list[dict[str, Any]]:
    """Every kind's form, in the order of :class:`Kind` (which a page offers to choose from).

    Examples
    --------
    >>> [f["kind"] for f in describe_forms()][:3]
    ['organisation', 'location', 'hazardous_area']
    """
    return [describe_form(kind, locale=locale) for kind in Kind]
