"""Every error message raised with a literal text is in the catalogues (so it reaches the
API and CLI in the reader's language), and is raised as a template with its values apart
rather than formatted in place: in the folders of ``TEMPLATED`` a message composed in
English where it is raised (an f-string, ``.format``, ``+`` or ``%``) fails."""

from __future__ import annotations

import ast
from pathlib import Path

from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.vocabulary.problems import UNREADABLE, error_text
from minewatch.vocabulary.sources import placeholders, source_entries

ROOT = Path(__file__).resolve().parents[2] / "src" / "minewatch"
#: The classes whose first text argument (HttpProblem: second) a person reads.
ERRORS = {"InvalidInput", "NotFound", "Conflict", "PermissionDenied", "StaleVersion"}
#: Where every message a person reads is a template: the file readers and importers (issue 19).
TEMPLATED = ("io/", "services/migration/")
#: The field checks whose ``ValueError`` (and FieldError: its second argument) a person reads
#: as the reason a value was rejected: raised with a ``Message``, never a finished sentence.
_VALUE = {"ValueError": 0, "FieldError": 1}
FIELD_CHECKS = {
    "domain/schema/": _VALUE,
    "domain/records/values.py": _VALUE,
    "io/odk_geo.py": _VALUE,
    "io/forms.py": {**_VALUE, "_Reject": 1},  # a form submission's rejected answers
    "io/mapping.py": {"CellError": 3},  # a file's rejected cells (pydantic words its ValueErrors)
    "services/migration/": {"Rejection": 1},  # a migrated table's rejected rows
}


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _raised_messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            position = 1 if name == "HttpProblem" else 0 if name in ERRORS | {"Message"} else None
            if position is None or len(node.args) <= position:
                continue
            for text in _literals(node.args[position]):
                found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _composed(node: ast.expr) -> bool:
    """A message put together in place: an f-string, ``"..." + x``, ``"..." % x``,
    ``"...".format(...)``, or either branch of a conditional."""
    if isinstance(node, ast.IfExp):
        return _composed(node.body) or _composed(node.orelse)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    return isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "format"


def composed_messages(
    folders: tuple[str, ...] = TEMPLATED, checks: dict[str, dict[str, int]] = FIELD_CHECKS
) -> list[str]:
    """Where an error is raised with a message composed in English: errors in ``folders``,
    and the ValueErrors of the field checks in ``checks``."""
    positions = dict.fromkeys(ERRORS | {"ServerUnavailable"}, 0)
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        looked = positions if relative.startswith(folders) else {}
        for prefix, names in checks.items():
            if relative.startswith(prefix):
                looked = {**looked, **names}
        if not looked:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            at = looked.get(getattr(node.func, "id", getattr(node.func, "attr", "")))
            if at is not None and len(node.args) > at and _composed(node.args[at]):
                found.append(f"{relative}:{node.lineno}")
    return found


def test_messages_of_file_readers_and_field_checks_are_templates() -> None:
    assert not composed_messages(), (
        "raise these as a template with named values, InvalidInput('no layer {layer!r}', "
        "where, layer=name) or ValueError(Message('{value!r} is not yes/no', value=value)), "
        "and catalogue the template in all five languages"
    )


def test_the_composed_message_check_can_fail() -> None:
    tree = ast.parse('raise InvalidInput(f"no layer {name}", where)')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    assert _composed(call.args[0])
    assert not _composed(ast.parse('"no layer {name}"', mode="eval").body)
    assert _composed(ast.parse('"a" if x else "b {0}".format(y)', mode="eval").body)


def test_every_literal_error_message_is_catalogued() -> None:
    english = {ident for (context, ident) in source_entries() if context is None}
    raised = _raised_messages()
    assert len(raised) > 150  # the parse finds them
    missing = {text: where for text, where in raised.items() if text not in english}
    assert not missing, (
        "add these to locale/en/LC_MESSAGES/messages.po, then translate them "
        f"(scripts/update_catalogues.py): {missing}"
    )


def test_every_template_fills_only_its_own_placeholders() -> None:
    for text, where in _raised_messages().items():
        names = placeholders(text)
        assert not names & {"message", "locale", "context"}, where  # translate()'s own names


def test_what_pydantic_could_not_read_is_catalogued() -> None:
    english = {ident for (context, ident) in source_entries() if context is None}
    assert set(UNREADABLE.values()) <= english


def test_errors_in_each_language_with_english_as_raised() -> None:
    missing = NotFound("no report {code}", code="RPT-000009")
    assert str(missing) == error_text(missing, "en") == "no report RPT-000009"
    assert error_text(missing, "es") == "no hay informe RPT-000009"
    bad = InvalidInput("a date is required", Location(file="a.csv", row=4, field="date"))
    assert str(bad) == "a.csv, row 4, field date: a date is required"
    assert error_text(bad, "uk") == "a.csv, рядок 4, поле date: потрібна дата"
    plain = InvalidInput("a message nobody catalogued", Location(field="x"))
    assert error_text(plain, "fr") == "champ x : a message nobody catalogued"
