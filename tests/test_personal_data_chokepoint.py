"""Architecture: one module owns the personal-data rule (``services/disclosure.py``).

No other module of the package may name a personal field or use the tools that tell them
apart (``personal_fields``, ``redact``, a field spec's ``.personal``): a module that needs
to show, filter, search or export records asks :mod:`minewatch.services.disclosure`, so a
new endpoint or export cannot leak personal data by forgetting a filter.

Names shared with ordinary fields of other kinds (a victim's ``name`` and an area's
``name``) cannot be told apart as text, so for them only the tools are checked; names that
are personal wherever they occur (``contact``, ``medical_details``) are checked as text too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from minewatch.domain.records import RECORD_TYPES
from minewatch.domain.records.personal import personal_fields
from minewatch.domain.schema import field_specs

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "minewatch"

#: Where knowing personal fields is the module's job, and why.
ALLOWED = {
    "services/disclosure.py": "the one place the rule lives",
    "domain/records/personal.py": "defines the fields and marks them personal",
    "domain/schema/specs.py": "carries the mark into each field's spec",
    "forms/accident.py": "the accident form asks for them (input, never output)",
    "forms/victim_assistance.py": "the victim assistance form asks for its notes (input, never output)",
    "services/demo.py": "writes the synthetic demo's made-up values (input)",
    "store/migrations/versions/0001_initial.py": "a frozen snapshot of the schema",
    "store/migrations/versions/0011_authority_and_assistance.py": "a frozen snapshot of the schema",
    "vocabulary/fields.py": "labels each field's name for people (words, never values)",
}
TOOLS = {"personal_fields", "redact"}


def _personal_everywhere() -> set[str]:
    personal = set().union(*(personal_fields(t) for t in RECORD_TYPES.values()))
    ordinary = {
        name
        for kind in RECORD_TYPES
        for name, spec in field_specs(kind).items()
        if not spec.personal
    }
    return personal - ordinary


def _offences(path: Path, literal_names: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in TOOLS:
            found.append(f"{line}: uses {node.id}")
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in TOOLS:
            found.append(f"{line}: imports {node.name}")
        elif isinstance(node, ast.Attribute) and (
            node.attr in TOOLS or node.attr == "personal" or node.attr in literal_names
        ):
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.Constant) and node.value in literal_names:
            found.append(f"{line}: names {node.value!r}")
    return found


def test_only_the_disclosure_module_names_personal_fields() -> None:
    literal_names = _personal_everywhere()
    assert literal_names, "the check would be empty"
    offences = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in ALLOWED:
            continue
        if found := _offences(path, literal_names):
            offences[relative] = found
    assert not offences, f"ask minewatch.services.disclosure instead: {offences}"


def test_the_check_finds_an_offence(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.py"
    leaky.write_text(
        "from minewatch.domain.records.personal import personal_fields\n"
        "frame.drop(columns=['medical_details'])\n"
        "if spec.personal: pass\n"
    )
    found = _offences(leaky, _personal_everywhere())
    assert len(found) == 3, found


def test_every_allowed_module_exists() -> None:
    assert all((PACKAGE / m).is_file() for m in ALLOWED), "stale entry in ALLOWED"
