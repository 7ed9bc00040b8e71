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
    chunks = pd.read_csv(
        source,
        sep=_csv_dialect(source),
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        chunksize=batch_size,
        usecols=mapping.source_columns,
    )
    next_number = 1
    for frame in chunks:
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


def _csv_geometries(
    frame: pd.DataFrame, mapping: Mapping, numbers: npt.NDArray[np.int64]
) -> tuple[GeometryArray, list[Finding]]:
    spec = mapping.geometry
    if spec is None:
        return np.full(len(frame), None, dtype=object), []
    if spec.wkt is not None:
        return _csv_wkt(frame[spec.wkt], spec.wkt, numbers, mapping.allow_missing_geometry)
    assert spec.x is not None and spec.y is not None
    return _csv_xy(frame, spec.x, spec.y, numbers, mapping.allow_missing_geometry)


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
