"""Placing rows that have no coordinates: their P-code or place name looked up in the
programme's gazetteer or administrative boundaries (OCHA common operational datasets: columns
such as ``ADM2_PCODE`` and ``ADM2_EN``), any file GDAL reads, as GICHD's archival-data
guidance does by joining to community points or boundaries ("Importing Archival Information
into IMSMA Core", https://gichd.github.io/imsma-core-doc/Data_Management/Importing_Archival_Data.html).

A P-code is matched exactly (ignoring case and spaces); a name exactly after normalising,
else by spelling (difflib, at least 0.85 alike) when one place is clearly closest. Names that
several places share are not guessed. Each match says how it was made.

>>> import geopandas as gpd
>>> from shapely import box
>>> gpd.GeoDataFrame({"ADM2_PCODE": ["AF0101", "AF0102"], "ADM2_EN": ["Kabul", "Paghman"]},
...                  geometry=[box(69, 34, 69.5, 34.5), box(68.5, 34, 69, 34.5)],
...                  crs=4326).to_file(tmp / "adm2.gpkg")
>>> gazetteer = Gazetteer.load(tmp / "adm2.gpkg")
>>> gazetteer.pcode_column, gazetteer.name_column
('ADM2_PCODE', 'ADM2_EN')
>>> [(m.pcode, m.method) for m in gazetteer.match(["af0101", None], [None, "Pagman"])]
[('AF0101', 'pcode'), ('AF0102', "name by spelling ('Pagman' ~ 'Paghman', 0.92)")]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from minewatch.errors import InvalidInput, Location
from minewatch.io.migration import open_source, read_rows
from minewatch.services.migration.matching import normalise

SPELLING_CUTOFF = 0.85


@dataclass(frozen=True)
class PlaceMatch:
    """Where a row was placed: the gazetteer entry's P-code and name, its geometry, and how
    it was matched (None when nothing matched; ``wanted`` says what was looked for).

    Examples
    --------
    >>> PlaceMatch(None, None, None, None, "Nowhere").found
    False
    """

    pcode: str | None
    name: str | None
    geometry: BaseGeometry | None
    method: str | None
    wanted: str = ""

    @property
    def found(self) -> bool:
        return self.method is not None


@dataclass
class Gazetteer:
    """Places by P-code and by name, from a boundaries or settlements file.

    Examples
    --------
    >>> from shapely import Point
    >>> g = Gazetteer("places", "PCODE", "NAME", {"X1": ("Alpha", Point(1, 2))})
    >>> g.match(["x1"], [None])[0].name
    'Alpha'
    """

    path: str
    pcode_column: str | None
    name_column: str | None
    places: dict[str, tuple[str | None, BaseGeometry | None]]  # P-code → name, geometry

    @classmethod
    def load(cls, path: str | Path, pcode: str | None = None, name: str | None = None) -> Gazetteer:
        """Read a gazetteer; the P-code and name columns are found (the deepest ``ADMn_PCODE``
        and its ``ADMn_EN``/``ADMn_NAME``) unless named."""
        source = open_source(path)
        table = source.catalogue.data_tables[0]
        rows = read_rows(source, table.name)
        columns = list(rows.frame.columns)
        pcode = pcode or _deepest(columns, r"adm(\d)_?pcode|pcode|p_code")
        name = name or _deepest(columns, r"adm(\d)_?(en|name)|name")
        if pcode is None and name is None:
            raise InvalidInput(
                "no P-code or name column among {columns}",
                Location(file=str(path)),
                columns=", ".join(columns),
            )
        places: dict[str, tuple[str | None, BaseGeometry | None]] = {}
        names = rows.frame[name].tolist() if name else [None] * len(rows)
        codes = rows.frame[pcode].tolist() if pcode else [f"#{i}" for i in range(len(rows))]
        for code, label, geometry in zip(codes, names, rows.geometries, strict=True):
            if code is not None and code == code:
                places[_code(code)] = (None if label is None else str(label), geometry)
        return cls(str(path), pcode, name, places)

    def match(self, pcodes: list[Any], names: list[Any]) -> list[PlaceMatch]:
        """Each row's place by P-code, else by name."""
        by_name: dict[str, list[str]] = {}
        for code, (label, _) in self.places.items():
            if label:
                by_name.setdefault(normalise(label), []).append(code)
        spellings = list(by_name)
        out = []
        for pcode, name in zip(pcodes, names, strict=True):
            out.append(self._one(pcode, name, by_name, spellings))
        return out

    def _one(
        self, pcode: Any, name: Any, by_name: dict[str, list[str]], spellings: list[str]
    ) -> PlaceMatch:
        if pcode is not None and pcode == pcode and str(pcode).strip():
            code = _code(pcode)
            if code in self.places:
                label, geometry = self.places[code]
                return PlaceMatch(code, label, geometry, "pcode")
        if name is None or name != name or not str(name).strip():
            return PlaceMatch(None, None, None, None, str(pcode or ""))
        wanted = normalise(str(name))
        codes = by_name.get(wanted, [])
        method = "name"
        if not codes:
            close = difflib.get_close_matches(wanted, spellings, n=2, cutoff=SPELLING_CUTOFF)
            if close:
                score = difflib.SequenceMatcher(None, wanted, close[0]).ratio()
                runner_up = (
                    difflib.SequenceMatcher(None, wanted, close[1]).ratio() if len(close) > 1 else 0
                )
                if score - runner_up >= 0.05:
                    codes = by_name[close[0]]
                    label = self.places[codes[0]][0]
                    method = f"name by spelling ({str(name)!r} ~ {label!r}, {score:.2f})"
        if len(codes) != 1:
            return PlaceMatch(None, None, None, None, str(name))
        label, geometry = self.places[codes[0]]
        return PlaceMatch(codes[0], label, geometry, method)


def _code(value: Any) -> str:
    return re.sub(r"\s+", "", str(value)).upper()


def _deepest(columns: list[str], pattern: str) -> str | None:
    found = []
    for column in columns:
        hit = re.fullmatch(pattern, column, flags=re.IGNORECASE)
        if hit:
            level = int(hit.group(1)) if hit.groups() and hit.group(1) else -1
            found.append((level, column))
    return max(found)[1] if found else None
