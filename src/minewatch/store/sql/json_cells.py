"""JSON cells for the bulk path, encoded column by column: a report's ``changes`` object is
built from its fields' values, each distinct value of a field encoded once (a file's rows
repeat the same few categories, dates and codes), and the text is what ``json.dumps`` writes,
so a cell reads back the same whichever path wrote it.

>>> changes_json({"category": ["mine", "mine", None], "depth_cm": [5, 5.0, 7]}, 3)
['{"category": "mine", "depth_cm": 5}', '{"category": "mine", "depth_cm": 5.0}', '{"category": null, "depth_cm": 7}']
>>> changes_json({}, 2), json_texts([None, [], {"a": "é"}])
(['{}', '{}'], [None, '[]', '{"a": "é"}'])
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: One encoder for every cell: ``json.dumps`` with options builds a new encoder per call,
#: which was a third of the cost of writing a migration's ``extra`` objects.
encode = json.JSONEncoder(ensure_ascii=False).encode


def json_texts(values: Iterable[Any]) -> list[str | None]:
    """Each value as JSON text (None stays None: SQL NULL); empty lists and objects, what most
    reports' notes are, without the encoder."""
    return [
        None if v is None else ("[]" if isinstance(v, list) else "{}") if not v else encode(v)
        for v in values
    ]


def changes_json(columns: Mapping[str, Sequence[Any]], rows: int) -> list[str]:
    """One JSON object per row from plain values given column by column (every row has every
    field, None as null), in the columns' order."""
    if not columns:
        return ["{}"] * rows
    members = [_members(name, values) for name, values in columns.items()]
    return ["{" + ", ".join(parts) + "}" for parts in zip(*members, strict=True)]


def _members(name: str, values: Sequence[Any]) -> list[str]:
    """``"name": value`` for each row, each distinct value encoded once."""
    prefix = encode(name) + ": "
    try:
        table: dict[Any, str] = dict.fromkeys(values, "")
    except TypeError:  # lists or objects (a multi-choice field): encode each as it is
        return [prefix + encode(v) for v in values]
    if len(_NUMBERS.intersection(set(map(type, values)))) > 1:
        # 1, 1.0 and True are one key but three texts: encode each as it is
        return [prefix + encode(v) for v in values]
    for value in table:
        table[value] = prefix + encode(value)
    return list(map(table.__getitem__, values))


_NUMBERS = frozenset((bool, int, float))
