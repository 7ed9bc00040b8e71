"""Reading CSV files whose geometry is a WKT column or longitude/latitude columns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from minewatch.domain.geometry import Finding, FindingSeverity, GeometryArray, Rule
from minewatch.errors import InvalidInput, Location
from minewatch.io.coordinates import parse_degrees
from minewatch.io.geodata.assemble import _build_batch, _IdRegister
from minewatch.io.geodata.batch import FeatureBatch, ImportRule, _finding, expected_geometry
from minewatch.io.geodata.crs import WGS84_CRS, _declared_crs, _Projector
from minewatch.io.geodata.geometries import _parse_geometries
from minewatch.io.geodata.sources import _csv_dialect, _csv_header
from minewatch.io.mapping import Mapping, check_columns


def _read_csv(source: Path, mapping: Mapping, batch_size: int) -> Iterator[FeatureBatch]:
    if mapping.geometry is None and expected_geometry(mapping) is not None:
        raise InvalidInput(
            "a CSV needs [geometry] in the mapping: wkt = COLUMN, or x = LON and y = LAT",
            Location(file=str(source)),
        )
    check_columns(mapping, _csv_header(source), str(source))
    crs_text = mapping.geometry.crs if mapping.geometry else None
    declared = _declared_crs(crs_text, mapping, source) or WGS84_CRS
    project = _Projector(source, declared)
    register = _IdRegister()
    next_number = 1
    for frame in _chunks(source, mapping.source_columns, batch_size):
        n = len(frame)
        numbers = np.arange(next_number, next_number + n, dtype=np.int64)
        next_number += n
        geoms, findings = _csv_geometries(frame, mapping, numbers)
        wkb = np.asarray(shapely.to_wkb(geoms), dtype=object)
        yield _build_batch(
            source=source,
            layer=None,
            mapping=mapping,
            frame=frame.reset_index(drop=True),
            geoms=geoms,
            wkb=wkb,
            numbers=numbers,
            fids=numbers.copy(),
            findings=findings,
            project=project,
            register=register,
        )


def _chunks(source: Path, columns: list[str], batch_size: int) -> Iterator[pd.DataFrame]:
    """The CSV's rows as text, ``batch_size`` at a time; undecodable bytes or broken rows
    (pandas finds them only when it reads the block that holds them) as InvalidInput
    naming the line."""
    sep = _csv_dialect(source)
    chunks: Iterator[pd.DataFrame] | None = None
    while True:
        try:
            if chunks is None:
                chunks = iter(
                    pd.read_csv(
                        source,
                        sep=sep,
                        dtype=str,
                        keep_default_na=False,
                        encoding="utf-8-sig",
                        chunksize=batch_size,
                        usecols=columns,
                    )
                )
            frame = next(chunks, None)
        except UnicodeDecodeError:
            line, at = _first_undecodable(source)
            raise InvalidInput(
                "line {line} is not UTF-8 text (byte {at} of the line): save it as CSV UTF-8",
                Location(file=str(source), row=line),
                line=line,
                at=at,
            ) from None
        except pd.errors.ParserError as exc:
            raise InvalidInput(
                "not a readable CSV: {problem}", Location(file=str(source)), problem=exc
            ) from None
        if frame is None:
            return
        yield frame


def _first_undecodable(source: Path) -> tuple[int, int]:
    """The line number (1-based, the header is line 1) and byte offset in it of the first
    byte that is not UTF-8; read again only when pandas has found one."""
    with source.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, exc.start
    return 0, 0


def _csv_geometries(
    frame: pd.DataFrame, mapping: Mapping, numbers: npt.NDArray[np.int64]
) -> tuple[GeometryArray, list[Finding]]:
    spec = mapping.geometry
    if spec is None:
        return np.full(len(frame), None, dtype=object), []
    # A kind without a geometry (organisations, victims) may still come with an empty wkt
    # column, as minewatch's own CSV export writes one for every kind: blank is not missing.
    allow_missing = mapping.allow_missing_geometry or expected_geometry(mapping) is None
    if spec.wkt is not None:
        return _csv_wkt(frame[spec.wkt], spec.wkt, numbers, allow_missing)
    assert spec.x is not None and spec.y is not None
    return _csv_xy(frame, spec.x, spec.y, numbers, allow_missing)


def _csv_wkt(
    column: pd.Series, name: str, numbers: npt.NDArray[np.int64], allow_missing: bool
) -> tuple[GeometryArray, list[Finding]]:
    text = column.str.strip().to_numpy(dtype=object)
    blank = text == ""
    text[blank] = None
    geoms, findings = _parse_geometries(text, numbers, "wkt", column=name)
    if not allow_missing:
        findings += [
            _finding(
                Rule.NULL_GEOMETRY,
                FindingSeverity.ERROR,
                numbers[row],
                f"column {name} is empty: the row has no geometry",
            )
            for row in np.flatnonzero(blank)
        ]
    return geoms, findings


def _csv_xy(
    frame: pd.DataFrame, x: str, y: str, numbers: npt.NDArray[np.int64], allow_missing: bool
) -> tuple[GeometryArray, list[Finding]]:
    """Points from longitude/latitude columns, in decimal degrees (a decimal comma is
    accepted) or degrees, minutes and seconds (see :mod:`minewatch.io.coordinates`)."""
    findings: list[Finding] = []
    numeric: dict[str, npt.NDArray[np.float64]] = {}
    blank: dict[str, npt.NDArray[np.bool_]] = {}
    axes: tuple[tuple[str, Literal["x", "y"]], ...] = ((x, "x"), (y, "y"))
    for name, axis in axes:
        numeric[name], problems = parse_degrees(frame[name], axis)
        blank[name] = (frame[name].fillna("").str.strip() == "").to_numpy()
        for row in np.flatnonzero(pd.notna(problems)):
            findings.append(
                _finding(
                    ImportRule.UNREADABLE_GEOMETRY,
                    FindingSeverity.ERROR,
                    numbers[row],
                    f"column {name}: {problems[row]}",
                    field=name,
                )
            )
    unusable = np.isnan(numeric[x]) | np.isnan(numeric[y])
    both_blank = blank[x] & blank[y]
    one_blank = (blank[x] | blank[y]) & ~both_blank
    missing_message = {
        "both": f"columns {x} and {y} are empty: the row has no position",
        "one": f"one of columns {x} and {y} is empty",
    }
    for which, mask in (("both", both_blank & ~allow_missing), ("one", one_blank)):
        for row in np.flatnonzero(mask):
            findings.append(
                _finding(
                    Rule.NULL_GEOMETRY, FindingSeverity.ERROR, numbers[row], missing_message[which]
                )
            )
    geoms = np.asarray(shapely.points(numeric[x], numeric[y]), dtype=object)
    geoms[unusable] = None
    return geoms, findings
