"""Reading files: :func:`read_batches` streams any supported file as batches (GDAL's Arrow
stream, or :mod:`.csv_reader` for CSV); :func:`read_boundary` reads a national boundary."""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely
from pyogrio.raw import open_arrow
from shapely.geometry.base import BaseGeometry

from minewatch.domain.geometry import Finding, FindingSeverity, Rule
from minewatch.errors import InvalidInput, Location
from minewatch.io.geodata.assemble import _build_batch, _IdRegister
from minewatch.io.geodata.batch import FeatureBatch, ImportRule, _finding, expected_geometry
from minewatch.io.geodata.crs import WGS84_CRS, _declared_crs, _Projector
from minewatch.io.geodata.csv_reader import _read_csv
from minewatch.io.geodata.geometries import _parse_geometries
from minewatch.io.geodata.sources import (
    _choose_layer,
    _gdal_path,
    _is_csv,
    _require,
    layer_info,
)
from minewatch.io.mapping import Mapping, check_columns

#: GeoJSON files up to this size are re-read as JSON to explain null geometries.
_GEOJSON_EXPLAIN_LIMIT = 256 * 1024 * 1024


def read_batches(
    path: str | Path,
    mapping: Mapping,
    *,
    layer: str | None = None,
    batch_size: int = 50_000,
) -> Iterator[FeatureBatch]:
    """Stream a file's features as :class:`FeatureBatch` objects.

    Parameters
    ----------
    path
        A GeoJSON, GeoPackage, Shapefile, zipped Shapefile (``.zip``) or CSV file.
    mapping
        How columns become fields (:func:`minewatch.io.mapping.load_mapping`).
    layer
        The layer to read (overrides ``mapping.layer``); needed when a file has several.
    batch_size
        Features per batch; memory grows with it, speed hardly after ~50,000.

    Raises
    ------
    InvalidInput
        The file cannot be opened, a mapped column is missing, the layer is ambiguous, or
        the file has no CRS and its coordinates are not longitude/latitude.
    """
    source = Path(path)
    _require(source)
    chosen = _choose_layer(source, layer or mapping.layer)
    if _is_csv(source):
        yield from _read_csv(source, mapping, batch_size)
    else:
        yield from _read_gdal(source, chosen, mapping, batch_size)


def _read_gdal(
    source: Path, layer: str | None, mapping: Mapping, batch_size: int
) -> Iterator[FeatureBatch]:
    gdal_path = _gdal_path(source)
    info = layer_info(source, layer)
    check_columns(mapping, [str(f) for f in info["fields"]], str(source))
    project = _Projector(source, _declared_crs(info["crs"], mapping, source))
    register = _IdRegister()
    explain = _NullExplainer(source, info["driver"])
    if mapping.geometry is not None:
        raise InvalidInput(
            "[geometry] columns apply to CSV files only; this file has its own geometry",
            Location(file=str(source)),
        )
    columns = mapping.source_columns
    next_number = 1
    with open_arrow(
        gdal_path,
        layer=layer,
        columns=columns,
        return_fids=True,
        batch_size=batch_size,
        use_pyarrow=True,
        datetime_as_string=True,
    ) as (meta, reader):
        geometry_column = meta["geometry_name"] or "wkb_geometry"
        fid_column = meta["fid_column"]
        while True:
            with warnings.catch_warnings(record=True) as gdal_said:
                warnings.simplefilter("always")
                record_batch = next(reader, None)
            if record_batch is None:
                return
            n = record_batch.num_rows
            numbers = np.arange(next_number, next_number + n, dtype=np.int64)
            next_number += n
            _require_utf8(record_batch, numbers, source)
            names = record_batch.schema.names
            fids = (
                record_batch.column(fid_column).to_numpy().astype(np.int64)
                if fid_column in names
                else numbers.copy()
            )
            wkb = np.full(n, None, dtype=object)
            if geometry_column in names:  # attribute-only tables have none
                wkb[:] = record_batch.column(geometry_column).to_numpy(zero_copy_only=False)
            extra = [c for c in (geometry_column, fid_column) if c in names]
            frame = record_batch.drop_columns(extra).to_pandas()
            geoms, findings = _parse_geometries(wkb, numbers, "wkb")
            if not mapping.allow_missing_geometry and expected_geometry(mapping) is not None:
                findings += explain(numbers[pd.isna(wkb)], [str(w.message) for w in gdal_said])
            yield _build_batch(
                source=source,
                layer=layer,
                mapping=mapping,
                frame=frame,
                geoms=geoms,
                wkb=wkb,
                numbers=numbers,
                fids=fids,
                findings=findings,
                project=project,
                register=register,
            )


def _require_utf8(batch: pa.RecordBatch, numbers: npt.NDArray[np.int64], source: Path) -> None:
    """InvalidInput naming the feature and field of the first text that is not UTF-8.

    GDAL hands GeoJSON and GeoPackage text to Arrow as it is in the file, and Arrow only
    finds invalid UTF-8 when it converts the column, as an error that names nothing. A full
    validation of the text columns is one pass over their bytes.
    """
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        try:
            column.validate(full=True)
        except pa.ArrowInvalid:
            raw = column.cast(pa.large_binary()).to_pylist()
            for row, value in enumerate(raw):
                try:
                    (value or b"").decode("utf-8")
                except UnicodeDecodeError as exc:
                    bad = value[exc.start : exc.end].hex(" ") if value else ""
                    raise InvalidInput(
                        "feature {feature}: {name} is not UTF-8 text (bytes {bad} at byte {start}); save the file as UTF-8",
                        Location(file=str(source), row=int(numbers[row]), field=name),
                        feature=numbers[row],
                        name=name,
                        bad=bad,
                        start=exc.start,
                    ) from None
            raise InvalidInput(
                "{name} is not UTF-8 text; save the file as UTF-8",
                Location(file=str(source), field=name),
                name=name,
            ) from None


@dataclass
class _NullExplainer:
    """Why a feature came without a geometry: null in the file, or something GDAL could not
    read (GeoJSON files are re-read as JSON to tell which, and to quote the bad geometry)."""

    source: Path
    driver: str

    def __call__(self, numbers: npt.NDArray[np.int64], gdal_said: list[str]) -> list[Finding]:
        findings = []
        for number in numbers:
            raw = self._raw_geometry(int(number))
            rule: str = Rule.NULL_GEOMETRY
            if raw is _UNKNOWN:
                detail = f" (GDAL said: {'; '.join(gdal_said)})" if gdal_said else ""
                message = f"the feature has no geometry{detail}"
            elif raw is None:
                message = "the feature's geometry is null in the file"
            else:
                quoted = json.dumps(raw)[:120]
                said = f": {'; '.join(gdal_said)}" if gdal_said else ""
                message = f"GDAL could not read the geometry {quoted}{said}"
                rule = ImportRule.UNREADABLE_GEOMETRY
            findings.append(_finding(rule, FindingSeverity.ERROR, number, message))
        return findings

    def _raw_geometry(self, number: int) -> Any:
        features = self._features()
        if features is None or number > len(features):
            return _UNKNOWN
        feature = features[number - 1]
        return feature.get("geometry") if isinstance(feature, dict) else _UNKNOWN

    @functools.cached_property
    def _feature_list(self) -> list[Any] | None:
        if self.driver != "GeoJSON" or self.source.stat().st_size > _GEOJSON_EXPLAIN_LIMIT:
            return None
        try:
            document = json.loads(self.source.read_text(encoding="utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return None
        features = document.get("features") if isinstance(document, dict) else None
        return features if isinstance(features, list) else None

    def _features(self) -> list[Any] | None:
        return self._feature_list


_UNKNOWN = object()


# -- boundary --------------------------------------------------------------------------------


def read_boundary(path: str | Path, layer: str | None = None) -> BaseGeometry:
    """The national boundary from any polygon file: every polygon of the layer, dissolved,
    in WGS84. InvalidInput if there is no polygon."""
    source = Path(path)
    _require(source)
    frame = pyogrio.read_dataframe(_gdal_path(source), layer=_choose_layer(source, layer))
    if frame.crs is not None:
        frame = frame.to_crs(WGS84_CRS)
    polygons = frame.geometry[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        raise InvalidInput("the boundary file has no polygons", Location(file=str(source)))
    boundary: BaseGeometry = shapely.union_all(shapely.make_valid(polygons.to_numpy()))
    return boundary
