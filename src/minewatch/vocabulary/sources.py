"""Every text the catalogues translate, in English: the interface's messages (the English
catalogue lists them) and the labels of codes, fields and units (the vocabulary's tables),
each with its message context. A language's catalogue is complete when it translates all of
them; ``scripts/update_catalogues.py`` adds the missing ones to every catalogue.

>>> entries = source_entries()
>>> ("HazardType", "Unexploded or abandoned ordnance") in entries, (None, "Approve") in entries
(True, True)
"""

from __future__ import annotations

import re

from minewatch.vocabulary.catalogue import DEFAULT_LOCALE, read_catalogue
from minewatch.vocabulary.enums import ENUM_LABELS
from minewatch.vocabulary.fields import (
    FIELD_LABELS,
    KIND_FIELD_LABELS,
    REPORT_FIELD_HELP,
    SEX_AGE_ROWS,
    UNITS,
)
from minewatch.vocabulary.labels import FIELD_CONTEXT, HELP_CONTEXT, UNIT_CONTEXT

#: A message id: its English text, or (singular, plural) for a message with plural forms.
MessageId = str | tuple[str, str]

_PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")  # {name}, {name!r}, {value:.1f}


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message fills.

    Examples
    --------
    >>> sorted(placeholders("{count} areas in {place}"))
    ['count', 'place']
    """
    return set(_PLACEHOLDER.findall(text))


def source_entries() -> dict[tuple[str | None, str], MessageId]:
    """Every source text by (context, English singular): interface messages first, in the
    English catalogue's order, then the labels of codes, fields and units."""
    entries: dict[tuple[str | None, str], MessageId] = {}
    for message in read_catalogue(DEFAULT_LOCALE):
        if not message.id:
            continue
        ident = message.id
        if isinstance(ident, tuple | list):
            singular, plural = str(ident[0]), str(ident[1])
            entries[(message.context, singular)] = (singular, plural)
        else:
            entries[(message.context, ident)] = ident
    for enum_name, labels in ENUM_LABELS.items():
        for text in labels.values():
            entries[(enum_name, text)] = text
    field_texts = [*FIELD_LABELS.values(), *SEX_AGE_ROWS.values()]
    for overrides in KIND_FIELD_LABELS.values():
        field_texts.extend(overrides.values())
    for text in field_texts:
        entries[(FIELD_CONTEXT, text)] = text
    for symbol in UNITS.values():
        entries[(UNIT_CONTEXT, symbol)] = symbol
    for text in help_texts():
        entries[(HELP_CONTEXT, text)] = text
    return entries


def help_texts() -> list[str]:
    """Every field's help a form shows, in English: the report's own fields' and those the
    records and their nested values declare.

    Examples
    --------
    >>> "Expected live items left, from the residual-hazard model" in help_texts()
    True
    """
    import dataclasses

    from minewatch.domain.records import Kind
    from minewatch.domain.schema import FieldSpec, data_fields, nested_field_specs

    texts = dict.fromkeys(REPORT_FIELD_HELP.values())

    def walk(specs: dict[str, FieldSpec]) -> None:
        for spec in specs.values():
            if spec.help:
                texts[spec.help] = None
            nested = spec.python_type
            if isinstance(nested, type) and dataclasses.is_dataclass(nested):
                walk(nested_field_specs(nested))

    for kind in Kind:
        walk(data_fields(kind))
    return list(texts)
