"""Reading longitude and latitude written by people: decimal degrees (with a decimal point
or comma) or degrees, minutes and seconds with hemisphere letters, as survey forms and
spreadsheets hold them.

>>> import pandas as pd
>>> values, problems = parse_degrees(
...     pd.Series(["30,5", "33°30'36\\"N", "N 33 30.6", "44 30 S", "12 75 00", "abc"]), "y")
>>> [round(float(v), 4) for v in values[:4]]
[30.5, 33.51, 33.51, -44.5]
>>> problems[4], problems[5]
('12 75 00: minutes and seconds must be below 60', "'abc' is not a coordinate")
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

_NUMBER = r"\d+(?:[.,]\d+)?"
#: Degrees, then optional minutes and seconds, each with an optional unit mark; a hemisphere
#: letter before or after; a sign before.
_DMS = (
    r"^\s*(?P<pre>[NSEWnsew])?\s*(?P<sign>[-+])?\s*"
    rf"(?P<d>{_NUMBER})\s*(?:°|º|˚|d|deg|:)?\s*"
    rf"(?:(?P<m>{_NUMBER})\s*(?:'|′|’|m|min|:)?\s*)?"
    rf"(?:(?P<s>{_NUMBER})\s*(?:\"|″|''|”|s|sec)?\s*)?"
    r"(?P<post>[NSEWnsew])?\s*$"
)
_AXIS_LETTERS = {"x": "EW", "y": "NS"}


def _number(column: pd.Series) -> npt.NDArray[np.float64]:
    cleaned = column.fillna("").astype(str).str.replace(",", ".", regex=False)
    return np.array(pd.to_numeric(cleaned, errors="coerce"), dtype=float)  # a writable copy


def parse_degrees(
    text: pd.Series, axis: Literal["x", "y"]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.object_]]:
    """Degrees from text cells, and for each cell that cannot be read, why (else None).

    Blank cells give NaN without a problem. ``axis`` says whether the column should hold
    longitudes ("x": E/W letters) or latitudes ("y": N/S); a letter of the other axis is
    reported, since it means the columns are swapped.
    """
    cells = text.fillna("").astype(str).str.strip()
    values = _number(cells.str.replace(",", ".", regex=False))
    problems = np.full(len(cells), None, dtype=object)
    todo = np.flatnonzero(np.isnan(values) & (cells != "").to_numpy())
    if len(todo) == 0:
        return values, problems
    parts = cells.iloc[todo].str.extract(_DMS)
    degrees, minutes, seconds = (_number(parts[k]) for k in ("d", "m", "s"))
    minutes, seconds = np.nan_to_num(minutes), np.nan_to_num(seconds)
    letter = parts["pre"].fillna(parts["post"]).fillna("").str.upper().to_numpy()
    negative = (parts["sign"] == "-").to_numpy() | np.isin(letter, ["S", "W"])
    parsed = np.where(negative, -1.0, 1.0) * (degrees + minutes / 60 + seconds / 3600)
    wrong_axis = np.array([bool(c) and c not in _AXIS_LETTERS[axis] for c in letter])
    out_of_range = (minutes >= 60) | (seconds >= 60)
    for k, row in enumerate(todo):
        raw = cells.iloc[row]
        if np.isnan(degrees[k]):
            problems[row] = f"{raw!r} is not a coordinate"
        elif out_of_range[k]:
            problems[row] = f"{raw}: minutes and seconds must be below 60"
        elif wrong_axis[k]:
            other = "latitude" if axis == "x" else "longitude"
            problems[row] = f"{raw}: a {other} ({letter[k]}) in this column: columns swapped?"
        else:
            values[row] = parsed[k]
    return values, problems
