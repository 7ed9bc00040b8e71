"""Spreadsheet cells that cannot run: the one rule every CSV and XLSX writer applies.

A spreadsheet (Excel, LibreOffice Calc, Google Sheets) opening a CSV runs a cell that begins
with ``=``, ``+``, ``-`` or ``@`` as a formula, and Excel also does so after leading blanks
or quotes; ``=HYPERLINK(...)`` leaks data when clicked and ``=cmd|'/c calc'!A1`` (DDE) runs a
program. Names, notes and codes come from field teams' forms and uploaded files, so an
export must never hand such text to a spreadsheet as a formula (OWASP "CSV Injection";
ASVS 5.0 requirement 1.2.10 adds tab and NUL as leading characters, and OWASP carriage
return).

The rule, after OWASP: a text cell whose first character is ``= + - @``, tab, carriage
return, line feed or NUL — or whose first character after leading blanks and double quotes
is ``= + - @`` — gets a single quote in front, which spreadsheets read as "this is text".
A cell that already begins with a single quote is text to a spreadsheet, so the rule is
idempotent. Text that is a plain decimal number (``-3.5``, ``+1e3``) is left alone: a
spreadsheet reads it as that number, not as a formula, and a negative balance must stay a
number. Numbers, booleans, dates and ``None`` are not text and pass unchanged. (CSV quoting
itself — separators and quotes inside a value — is the ``csv`` module's and pandas' job.)

Readers of our own CSV files get the quote back as part of the text; that is the cost of the
rule, and why the quote is added only where a spreadsheet would otherwise compute.

>>> safe_cell("=HYPERLINK(\\"http://evil\\", \\"x\\")")
'\\'=HYPERLINK("http://evil", "x")'
>>> safe_cell("-2+3"), safe_cell("-3"), safe_cell(-3.5), safe_cell("Mine Action Centre")
("'-2+3", '-3', -3.5, 'Mine Action Centre')
>>> safe_cell('  "@SUM(A1:A9)'), safe_cell(safe_cell("=1+1"))
('\\'  "@SUM(A1:A9)', "'=1+1")
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # pandas only for safe_frame: the CLI's light commands never load it
    import pandas as pd

#: Characters that make a spreadsheet compute a cell (OWASP CSV Injection).
FORMULA_STARTS = "=+-@"
#: Control characters that are dangerous as a cell's very first character.
CONTROL_STARTS = "\t\r\n\0"

# Leading blanks and double quotes are skipped before deciding a cell is a formula; a
# leading single quote is not, since it is the marker this module adds.
_DANGER = re.compile(rf"[{re.escape(CONTROL_STARTS)}]|[\s\"]*[{re.escape(FORMULA_STARTS)}]")
# A plain decimal number, as a spreadsheet reads one: it computes nothing.
_NUMBER = re.compile(r" *[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)? *")

K = TypeVar("K")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would compute ``text`` rather than show it.

    >>> formula_like("@SUM(1+1)"), formula_like("+cmd|' /C calc'!A0"), formula_like("-3.5")
    (True, True, False)
    >>> formula_like("\\tanything"), formula_like("a=b"), formula_like(""), formula_like("'=1")
    (True, False, False, False)
    """
    return _DANGER.match(text) is not None and _NUMBER.fullmatch(text) is None


def safe_cell(value: Any) -> Any:
    """``value`` as a cell a spreadsheet shows but never computes (see the module's rule).

    Only text changes, and only text that :func:`formula_like` flags: it gains a leading
    single quote. Everything else, numbers included, is returned as it is.

    >>> safe_cell("+255 700 000 000"), safe_cell(7), safe_cell(None)
    ("'+255 700 000 000", 7, None)
    """
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """One CSV row (a header or data) with every cell made safe.

    >>> safe_row(["code", "=1+1", -2])
    ['code', "'=1+1", -2]
    """
    return [safe_cell(v) for v in row]


def safe_record(record: Mapping[K, Any]) -> dict[K, Any]:
    """A ``csv.DictWriter`` row with every value made safe. The header row too, when the
    column names come from data: ``writer.writerow(safe_record({c: c for c in columns}))``.

    >>> safe_record({"name": "@x", "n": -1})
    {'name': "'@x", 'n': -1}
    """
    return {k: safe_cell(v) for k, v in record.items()}


def safe_records(records: Iterable[Mapping[K, Any]]) -> Iterator[dict[K, Any]]:
    """:func:`safe_record` over many rows, lazily.

    Examples
    --------
    >>> list(safe_records([{"name": "=HYPERLINK(1)"}, {"name": "HA north"}]))
    [{'name': "'=HYPERLINK(1)"}, {'name': 'HA north'}]
    """
    return (safe_record(r) for r in records)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` to hand to ``to_csv``: text cells and column names made safe,
    numeric columns untouched (``-3.5`` stays a number).

    >>> import pandas as pd
    >>> table = safe_frame(pd.DataFrame({"note": ["=2+5", "ok"], "balance": [-3.5, 2.0]}))
    >>> table["note"].tolist(), table["balance"].tolist()
    (["'=2+5", 'ok'], [-3.5, 2.0])
    """
    import pandas as pd

    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            out.isetitem(position, column.map(safe_cell, na_action="ignore").array)
    out.columns = _safe_labels(out.columns)
    return out


def _safe_labels(labels: pd.Index) -> pd.Index:
    import pandas as pd

    if isinstance(labels, pd.MultiIndex):
        return labels
    return pd.Index([safe_cell(c) for c in labels], name=labels.name)
