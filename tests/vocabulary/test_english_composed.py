"""No new sentence composed in English where a person reads it (issue 19): the services,
the domain, the analyses, the CLI and the Article 7 documents compose what the CLI, the API
and the documents show, so a phrase they build must come from the catalogues (``translate``,
a ``Message`` the front doors render, a label). The scan below finds the phrases that do
not (string literals and f-strings of two words or more that are neither catalogue messages
nor arguments of a call that takes them to the catalogues, nor docstrings, options' help
(Typer help stays English), or programmers' exceptions); what is left is counted per file and may only go down.

Counted when this check was added (issue 19, second pass), error messages composed in
place (f-strings) included: 511 phrases at the start of the pass, 388 after it
(``python tests/vocabulary/test_english_composed.py`` lists them); the migration
assistant's reasons, mapping comments and report page since: 45 fewer.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "minewatch"

#: The code that composes what a person reads in the scope of issue 19's second pass: the
#: services, the domain, the analyses, the Article 7 documents and the CLI (io/ has its own
#: check, test_error_messages).
SCOPE = ("services", "domain", "analysis", "cli", "charts/article7.py")
#: Files in the scope whose phrases are data, not messages: the synthetic demo programme's
#: records, the words the migration assistant matches column names against, the treaties'
#: quoted articles.
DATA = ("services/demo.py", "services/migration/matching.py", "domain/treaty/articles.py")

#: Calls whose text arguments go to the catalogues, are labels' keys, or are not for people.
_CARRIERS = {
    # catalogue messages, labels and errors (their templates are checked apart)
    "translate", "translate_plural", "_t", "say", "Message", "words_in", "label", "field_label",
    "InvalidInput", "NotFound", "Conflict", "PermissionDenied", "StaleVersion",
    "ServerUnavailable", "HttpProblem", "because",
    # programmers' errors and logs, options' help
    "ValueError", "TypeError", "KeyError", "RuntimeError", "AssertionError",
    "NotImplementedError", "LookupError", "AttributeError", "warn", "debug", "info",
    "warning", "exception", "Option", "Argument", "command", "Typer", "add_typer", "callback",
    # text for programs: SQL, regular expressions, dates, paths, HTTP
    "text", "compile", "match", "search", "sub", "fullmatch", "findall", "strptime",
    "strftime", "execute", "exec_driver_sql", "Field", "Query", "Path", "Header",
}  # fmt: skip
_ERRORS = {"InvalidInput", "NotFound", "Conflict", "PermissionDenied", "StaleVersion",
           "ServerUnavailable", "HttpProblem"}  # fmt: skip
_WORDS = re.compile(r"[A-Za-z][a-z]+(?:[ ,;:'’-]+[A-Za-z][a-z]+)+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _called(node: ast.Call) -> str | None:
    return getattr(node.func, "id", getattr(node.func, "attr", None))


def _is_english(text: str) -> bool:
    """Two words or more of letters, read as a phrase (not an identifier or a code)."""
    plain = _PLACEHOLDER.sub(" ", text)
    return bool(_WORDS.search(plain)) and " " in plain.strip()


def _fstring_text(node: ast.JoinedStr) -> str:
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


def english_literals(path: Path, catalogued: set[str]) -> list[tuple[int, str]]:
    """(line, text) of each English phrase composed in ``path`` (see the module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call) and _called(node) in _CARRIERS:
            for inner in ast.walk(node):
                skip.add(id(inner))
            if _called(node) in _ERRORS and node.args:
                # an error's message composed in place (an f-string) is English; its literal
                # templates are checked by test_error_messages
                first = node.args[1] if _called(node) == "HttpProblem" else node.args[0]
                if isinstance(first, ast.JoinedStr):
                    skip.discard(id(first))
        if isinstance(node, ast.keyword) and node.arg in {"help", "description", "summary"}:
            for inner in ast.walk(node.value):
                skip.add(id(inner))
        if isinstance(node, ast.Subscript):  # Annotated[..., typer.Option(help=...)]
            for inner in ast.walk(node.slice):
                if isinstance(inner, ast.Call):
                    for part in ast.walk(inner):
                        skip.add(id(part))
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                skip.add(id(part))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = _fstring_text(node)
        else:
            continue
        if text in catalogued or not _is_english(text):
            continue
        found.append((node.lineno, text))
    return sorted(found)


def scope_files(root: Path = SRC) -> list[Path]:
    files: list[Path] = []
    for part in SCOPE:
        where = root / part
        files += [where] if where.is_file() else sorted(where.rglob("*.py"))
    return [f for f in files if str(f.relative_to(root)) not in DATA]


def english_counts(root: Path = SRC, catalogued: set[str] | None = None) -> Counter[str]:
    """How many English phrases each file in the scope composes (by path under ``root``)."""
    if catalogued is None:
        from minewatch.vocabulary.sources import source_entries

        catalogued = {text for (_, text) in source_entries()}
    return Counter(
        {
            str(path.relative_to(root)): n
            for path in scope_files(root)
            if (n := len(english_literals(path, catalogued)))
        }
    )


def catalogue_texts(po: Path) -> set[str]:
    """The English texts of a catalogue file (for counting an older tree against its own)."""
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        return {m.id for m in read_po(handle) if isinstance(m.id, str) and m.id}


#: The English phrases each file may still compose (lower a number when you catalogue some;
#: a file not listed may compose none).
BUDGET = {
    "analysis/landrelease/accounting.py": 3,
    "analysis/landrelease/aggregates.py": 1,
    "analysis/landrelease/inputs.py": 2,
    "analysis/landrelease/issues.py": 13,
    "analysis/priority/indicators.py": 1,
    "analysis/priority/ranking.py": 1,
    "analysis/priority/records.py": 2,
    "analysis/release_report.py": 2,
    "analysis/release_statement.py": 6,
    "analysis/residual/closed_form.py": 5,
    "analysis/residual/design.py": 8,
    "analysis/residual/law.py": 8,
    "analysis/residual/monte_carlo.py": 1,
    "analysis/residual/update.py": 3,
    "charts/article7.py": 2,
    "cli/admin.py": 6,
    "cli/demo.py": 4,
    "cli/geodata.py": 4,
    "cli/intake.py": 12,
    "cli/landrelease.py": 3,
    "cli/migrate.py": 6,
    "cli/priority.py": 3,
    "cli/records.py": 3,
    "cli/residual.py": 7,
    "cli/serve.py": 1,
    "cli/tasks.py": 3,
    "cli/transfer.py": 5,
    "cli/treaty.py": 6,
    "cli/treaty_data.py": 5,
    "domain/accreditation.py": 2,
    "domain/consistency.py": 3,
    "domain/geometry/boundary.py": 3,
    "domain/geometry/check.py": 4,
    "domain/geometry/coordinates.py": 3,
    "domain/geometry/duplicates.py": 6,
    "domain/geometry/findings.py": 2,
    "domain/geometry/repair.py": 6,
    "domain/geometry/vertex_gaps.py": 1,
    "domain/policy.py": 9,
    "domain/treaty/article7.py": 2,
    "domain/treaty/ccm.py": 11,
    "domain/treaty/entry_into_force.py": 1,
    "domain/treaty/status.py": 3,
    "domain/treaty/withdrawal.py": 4,
    "services/accounts.py": 3,
    "services/country_profile.py": 1,
    "services/demo_context.py": 1,
    "services/disclosure.py": 2,
    "services/filecheck.py": 2,
    "services/imports/batch.py": 1,
    "services/imports/file.py": 1,
    "services/imports/mapping.py": 2,
    "services/intake.py": 6,
    "services/landrelease/reports.py": 1,
    "services/migration/outcome.py": 1,
    "services/migration/places.py": 1,
    "services/migration/table.py": 1,
    "services/priority/explain.py": 1,
    "services/priority/files.py": 1,
    "services/priority/grid.py": 2,
    "services/priority/ranking.py": 1,
    "services/publication.py": 2,
    "services/publish.py": 17,
    "services/qm.py": 7,
    "services/records/geometries.py": 3,
    "services/residual.py": 13,
    "services/residual_answers.py": 1,
    "services/tasking.py": 1,
    "services/treaty.py": 5,
    "services/treaty_groups.py": 1,
    "services/treaty_import.py": 2,
    "services/treaty_sources.py": 2,
    "services/treaty_update.py": 4,
}


def test_no_file_composes_more_english_than_before() -> None:
    counts = english_counts()
    grown = {f: (n, BUDGET.get(f, 0)) for f, n in counts.items() if n > BUDGET.get(f, 0)}
    assert not grown, (
        "new English phrases (found, allowed): catalogue them (translate / Message / label, "
        f"an entry in every locale's messages.po) — python tests/vocabulary/test_english_composed.py lists them: {grown}"
    )


def test_the_budget_follows_the_code_down() -> None:
    counts = english_counts()
    stale = {f: (counts.get(f, 0), n) for f, n in BUDGET.items() if counts.get(f, 0) < n}
    assert not stale, f"fewer English phrases now (found, allowed): lower BUDGET to match: {stale}"


def test_the_scan_sees_english_and_lets_catalogued_words_through(tmp_path: Path) -> None:
    module = tmp_path / "composed.py"
    module.write_text(
        '''"""A docstring in English is for programmers."""
def f(day, translate):
    """Also this one."""
    a = f"the update covering {day} is due"
    b = "the state withdrew"
    c = translate("the update covering {year} is due", None, year=day)
    d = "hazardous_area"
    raise ValueError(f"a bug, not a message: {day}")
''',
        encoding="utf-8",
    )
    found = english_literals(module, catalogued={"the state withdrew"})
    assert [text for _, text in found] == ["the update covering {} is due"]
    assert len(scope_files()) > 150  # the scope is read


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else SRC
    from minewatch.vocabulary.sources import source_entries

    catalogued = {text for (_, text) in source_entries()}
    if len(sys.argv) > 1:  # another tree: its own catalogue, plus the vocabulary's labels
        catalogued = {text for (c, text) in source_entries() if c is not None}
        catalogued |= catalogue_texts(root / "locale/en/LC_MESSAGES/messages.po")
    total = 0
    for path in scope_files(root):
        for line, text in english_literals(path, catalogued):
            total += 1
            print(f"{path.relative_to(root)}:{line}: {text[:100]!r}")
    print(total)
