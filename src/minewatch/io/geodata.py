"""Reading and writing geodata files through GDAL (pyogrio): GeoJSON, GeoPackage, zipped
Shapefile and CSV (WKT or longitude/latitude columns).

Reading streams: :func:`read_batches` yields :class:`FeatureBatch` objects of at most
``batch_size`` features, read as Arrow batches so a million-point GeoPackage never sits in
memory at once. Each batch holds, per feature, its number in the file, its external id, the
record fields (through a :class:`~minewatch.io.mapping.Mapping`) and its geometry in WGS84.
No feature is ever dropped: a feature whose geometry is null, unreadable or cannot be
transformed, or whose cells do not fit their fields, is kept with its findings and marked
``rejected``, so the importer can report file, feature number, field and reason.

Writing (:func:`write_geodata`) exports a GeoDataFrame of records to any of the same formats;
the caller applies its filters first.

>>> import geopandas as gpd, shapely, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> frame = gpd.GeoDataFrame({"code": ["HA-000001"], "status": ["open"]},
...                          geometry=[shapely.box(30, 50, 30.01, 50.01)], crs="EPSG:4326")
>>> path = write_geodata(frame, folder / "areas.gpkg", layer="hazardous_area")
>>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "code",
...                         "fields": {"status": "status"}})
>>> batch = next(read_batches(path, mapping))
>>> batch.external_ids.tolist(), batch.values["status"].tolist(), bool(batch.rejected[0])
(['HA-000001'], ['open'], False)
"""

from __future__ import annotations

import csv
import functools
import json
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyogrio
import shapely
from pyogrio.raw import open_arrow
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry import (
    DEFAULT_RULES,
    Expected,
    Finding,
    FindingSeverity,
    GeometryArray,
    GeometryRules,
    Repair,
    Rule,
    check_geometries,
)
from minewatch.domain.records import record_type
from minewatch.errors import InvalidInput, Location
from minewatch.io.coordinates import parse_degrees
from minewatch.io.mapping import Mapping, apply_mapping, check_columns, load_mapping

__all__ = [
    "FeatureBatch",
    "FeatureRow",
    "ImportRule",
    "LayerInfo",
    "RejectCollector",
    "list_layers",
    "load_mapping",
    "read_batches",
    "read_boundary",
    "write_geodata",
]

WGS84_CRS = CRS.from_epsg(4326)

#: GeoJSON files up to this size are re-read as JSON to explain null geometries.
_GEOJSON_EXPLAIN_LIMIT = 256 * 1024 * 1024


class ImportRule(StrEnum):
    """Rules about a feature's cells and identity (the geometry rules are
    :class:`minewatch.domain.geometry.Rule`)."""

    UNREADABLE_GEOMETRY = "unreadable_geometry"
    UNTRANSFORMABLE_GEOMETRY = "untransformable_geometry"
    FIELD_VALUE = "field_value"
    MISSING_ID = "missing_id"
    DUPLICATE_ID = "duplicate_id"


@dataclass(frozen=True)
class LayerInfo:
    """One layer of a source file."""

    name: str
    geometry_type: str | None
    features: int
    crs: str | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class FeatureRow:
    """One feature of a batch, as an importer turns it into a report: its number and FID in
    the file, its external id, its mapped field values (plain, None for blanks), its WGS84
    geometry and its findings."""

    number: int
    fid: int
    external_id: str | None
    values: dict[str, Any]
    geometry: BaseGeometry | None
    findings: tuple[Finding, ...]
    rejected: bool


@dataclass
class FeatureBatch:
    """Up to ``batch_size`` consecutive features of one layer.

    ``feature_numbers`` count features from 1 in the order GDAL reads them (for a CSV, the
    data row, header not counted); ``fids`` are GDAL's feature ids (a GeoPackage's primary
    key). ``values`` has one column per mapped record field, in plain values as reports
    hold them. ``geometries`` are shapely geometries in WGS84 (None where missing,
    unreadable, or rejected by a geometry rule). ``findings`` name the feature by its number; ``rejected`` marks features with
    an error finding.
    """

    source: str
    layer: str | None
    mapping: Mapping
    feature_numbers: npt.NDArray[np.int64]
    fids: npt.NDArray[np.int64]
    external_ids: npt.NDArray[np.object_]
    values: pd.DataFrame
    geometries: GeometryArray
    findings: list[Finding] = field(default_factory=list)
    rejected: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.feature_numbers)

    def location(self, finding: Finding) -> Location:
        """Where a finding was made, for :class:`minewatch.errors.InvalidInput` and reject
        reports: file, feature number and field."""
        return Location(file=self.source, row=finding.record, field=finding.field)

    def checked(
        self, rules: GeometryRules = DEFAULT_RULES, boundary: BaseGeometry | None = None
    ) -> FeatureBatch:
        """This batch with the geometry rules applied to every feature whose geometry was
        read: repairs applied to ``geometries``, findings added, errors rejected.

        Pairwise rules (duplicates, overlaps) need every record, not one batch: run
        :func:`minewatch.domain.geometry.find_duplicates_and_overlaps` on the whole import.
        """
        expected = expected_geometry(self.mapping)
        if expected is None:
            return self
        readable = ~self._geometry_problem()
        if self.mapping.allow_missing_geometry:
            readable &= ~shapely.is_missing(self.geometries)
        rows = np.flatnonzero(readable)
        check = check_geometries(
            self.geometries[rows],
            self.feature_numbers[rows].tolist(),
            rules=rules,
            boundary=boundary,
            expected=expected,
        )
        geometries = self.geometries.copy()
        geometries[rows] = check.geometries
        rejected = self.rejected.copy()
        rejected[rows] |= check.rejected
        findings = sorted([*self.findings, *check.findings], key=_by_record)
        return replace(self, geometries=geometries, findings=findings, rejected=rejected)

    def rows(self, *, rejected: bool = False) -> Iterator[FeatureRow]:
        """The accepted features one by one (or, with ``rejected=True``, every feature),
        each with its own findings.

        >>> import geopandas as gpd, shapely, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "synthetic.geojson"
        >>> frame = gpd.GeoDataFrame({"ID": ["A"], "STATUS": ["open"]}, crs="EPSG:4326",
        ...                          geometry=[shapely.box(30, 50, 30.01, 50.01)])
        >>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "ID",
        ...                         "fields": {"status": "STATUS"}})
        >>> batch = next(read_batches(write_geodata(frame, path), mapping)).checked()
        >>> [(r.number, r.external_id, r.values) for r in batch.rows()]
        [(1, 'A', {'status': 'open'})]
        """
        by_record: dict[object, list[Finding]] = {}
        for finding in self.findings:
            by_record.setdefault(finding.record, []).append(finding)
        records = self.values.to_dict("records")
        for row in range(len(self)):
            if self.rejected[row] and not rejected:
                continue
            number = int(self.feature_numbers[row])
            yield FeatureRow(
                number=number,
                fid=int(self.fids[row]),
                external_id=self.external_ids[row],
                values={str(k): v for k, v in records[row].items()},
                geometry=self.geometries[row],
                findings=tuple(by_record.get(number, ())),
                rejected=bool(self.rejected[row]),
            )

    def _geometry_problem(self) -> npt.NDArray[np.bool_]:
        numbers = {
            f.record
            for f in self.findings
            if f.rule in _GEOMETRY_READ_RULES and f.severity is FindingSeverity.ERROR
        }
        return np.isin(self.feature_numbers, np.array(sorted(numbers, key=str)))


#: Rules under which reading already rejected a feature's geometry.
_GEOMETRY_READ_RULES = frozenset(
    {
        Rule.NULL_GEOMETRY,
        ImportRule.UNREADABLE_GEOMETRY,
        ImportRule.UNTRANSFORMABLE_GEOMETRY,
    }
)


def _by_record(finding: Finding) -> int:
    return int(finding.record) if isinstance(finding.record, int) else 0


def expected_geometry(mapping: Mapping) -> Expected:
    """The geometry a record kind holds: "polygon", "point" or None (no geometry)."""
    kind_type = record_type(mapping.kind).geometry_type
    if kind_type is None:
        return None
    return "point" if kind_type == "POINT" else "polygon"


# -- sources ---------------------------------------------------------------------------------


#: Files GDAL can open from inside a zip archive, besides Shapefiles.
_ZIPPED_DATA = (".gpkg", ".geojson", ".json")


def _gdal_path(path: Path) -> str:
    """The path GDAL opens. A zip is read in place through /vsizip/, from the folder that
    holds its Shapefile(s) (archives often wrap them in a folder) or from its one GeoPackage
    or GeoJSON file."""
    if path.suffix.lower() != ".zip":
        return str(path)
    root = f"/vsizip/{path.resolve()}"
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.startswith("__MACOSX/")]
    except zipfile.BadZipFile:
        raise InvalidInput("not a zip archive", Location(file=str(path))) from None
    folders = {str(Path(n).parent) for n in names if n.lower().endswith(".shp")}
    if len(folders) == 1:
        folder = folders.pop()
        return root if folder == "." else f"{root}/{folder}"
    data = [n for n in names if n.lower().endswith(_ZIPPED_DATA)]
    if not folders and len(data) == 1:
        return f"{root}/{data[0]}"
    return root


def _is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".txt")


def _require(path: Path) -> None:
    if not path.exists():
        raise InvalidInput("file not found", Location(file=str(path)))


def list_layers(path: str | Path) -> list[LayerInfo]:
    """The layers of a file, with their geometry type, feature count, CRS and fields.

    A GeoPackage may hold several layers; :func:`read_batches` then needs one named (in the
    mapping or its ``layer`` argument).
    """
    source = Path(path)
    _require(source)
    if _is_csv(source):
        header = _csv_header(source)
        with source.open(encoding="utf-8-sig") as handle:
            rows = sum(1 for _ in handle) - 1
        return [LayerInfo(source.stem, None, max(rows, 0), None, tuple(header))]
    try:
        names = pyogrio.list_layers(_gdal_path(source))
    except pyogrio.errors.DataSourceError as exc:
        raise InvalidInput(
            f"GDAL cannot open the file: {exc}", Location(file=str(source))
        ) from None
    out = []
    for name, geometry_type in names:
        info = pyogrio.read_info(_gdal_path(source), layer=name)
        out.append(
            LayerInfo(
                name=str(name),
                geometry_type=None if geometry_type is None else str(geometry_type),
                features=int(info["features"]),
                crs=info["crs"],
                fields=tuple(str(f) for f in info["fields"]),
            )
        )
    return out


def _choose_layer(source: Path, layer: str | None) -> str | None:
    if _is_csv(source):
        return None
    layers = list_layers(source)
    names = [info.name for info in layers]
    if layer is not None:
        if layer not in names:
            raise InvalidInput(
                f"no layer {layer!r}; the file has: {', '.join(names)}", Location(file=str(source))
            )
        return layer
    if len(names) > 1:
        raise InvalidInput(
            f"the file has {len(names)} layers ({', '.join(names)}): choose one with 'layer'",
            Location(file=str(source)),
        )
    return names[0] if names else None


# -- CRS -------------------------------------------------------------------------------------


def _parse_crs(text: str, source: Path) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise InvalidInput(f"unknown CRS {text!r}: {exc}", Location(file=str(source))) from None


def _lonlat_plausible(geoms: GeometryArray) -> bool:
    """Whether any coordinate could be a longitude/latitude (an empty sample could be)."""
    coords = shapely.get_coordinates(geoms)
    if len(coords) == 0:
        return True
    ok = (np.abs(coords[:, 0]) <= 180) & (np.abs(coords[:, 1]) <= 90)
    return bool(ok.any())


@dataclass
class _Projector:
    """Transforms batches to WGS84; the CRS is settled on the first batch when the file
    declares none (lon/lat-looking coordinates are taken as WGS84, anything else is an
    error unless the mapping gives ``assumed_crs``)."""

    source: Path
    declared: CRS | None
    transformer: Transformer | None = None
    settled: bool = False

    def __call__(self, geoms: GeometryArray) -> GeometryArray:
        if not self.settled:
            self._settle(geoms)
        if self.transformer is None:
            return geoms
        return np.asarray(shapely.transform(geoms, self._transform), dtype=np.object_)

    def _transform(self, coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        assert self.transformer is not None
        x, y = self.transformer.transform(coords[:, 0], coords[:, 1], errcheck=False)
        return np.column_stack([x, y])

    def _settle(self, geoms: GeometryArray) -> None:
        self.settled = True
        if self.declared is None:
            if not _lonlat_plausible(geoms):
                raise InvalidInput(
                    "the file declares no CRS and its coordinates are not longitude/latitude; "
                    "add a .prj or give 'assumed_crs' in the mapping (e.g. EPSG:32636)",
                    Location(file=str(self.source)),
                )
            return
        if self.declared.equals(WGS84_CRS, ignore_axis_order=True):
            return
        self.transformer = Transformer.from_crs(self.declared, WGS84_CRS, always_xy=True)


def _declared_crs(crs_text: str | None, mapping: Mapping, source: Path) -> CRS | None:
    if crs_text:
        return _parse_crs(crs_text, source)
    if mapping.assumed_crs:
        return _parse_crs(mapping.assumed_crs, source)
    return None


# -- geometry parsing ------------------------------------------------------------------------


def _finding(
    rule: str, severity: FindingSeverity, number: int, message: str, **extra: Any
) -> Finding:
    return Finding(rule, severity, int(number), message, **extra)


_READERS: dict[str, Callable[..., Any]] = {"wkb": shapely.from_wkb, "wkt": shapely.from_wkt}


def _parse_geometries(
    raw: npt.NDArray[np.object_],
    numbers: npt.NDArray[np.int64],
    encoding: Literal["wkb", "wkt"],
    column: str | None = None,
) -> tuple[GeometryArray, list[Finding]]:
    """Shapely geometries from WKB or WKT; unclosed rings are closed (and reported),
    anything else GEOS cannot read becomes None with the reason."""
    read = _READERS[encoding]
    geoms = np.asarray(read(raw, on_invalid="ignore"), dtype=object)
    findings: list[Finding] = []
    for row in np.flatnonzero(shapely.is_missing(geoms) & pd.notna(raw)):
        try:
            read(raw[row])
            reason = "GEOS could not read it"
        except shapely.errors.GEOSException as exc:
            reason = str(exc).split(": ", 1)[-1]
        fixed = read(raw[row], on_invalid="fix") if "closed" in reason else None
        if fixed is not None and not fixed.is_empty:
            geoms[row] = fixed
            area = float(ellipsoidal_area([fixed])[0])
            findings.append(
                _finding(
                    Rule.UNCLOSED_RING,
                    FindingSeverity.REPAIRED,
                    numbers[row],
                    f"{reason}: closed the ring by repeating its first vertex",
                    repair=Repair(fixed.geom_type, fixed.geom_type, area, area),
                )
            )
            continue
        quoted = (
            f"column {column}: {str(raw[row])[:80]!r} is not WKT"
            if column
            else ("the geometry cannot be read")
        )
        findings.append(
            _finding(
                ImportRule.UNREADABLE_GEOMETRY,
                FindingSeverity.ERROR,
                numbers[row],
                f"{quoted}: {reason}",
            )
        )
    return geoms, findings


def _normalise(geoms: GeometryArray, expected: Expected) -> GeometryArray:
    """2-D geometries; for point records, a one-part MultiPoint becomes its Point."""
    geoms = np.asarray(shapely.force_2d(geoms), dtype=object)
    if expected == "point":
        single = (shapely.get_type_id(geoms) == 4) & (shapely.get_num_geometries(geoms) == 1)
        geoms[single] = shapely.get_geometry(geoms[single], 0)
    return geoms


def _transform(
    geoms: GeometryArray, project: _Projector, numbers: npt.NDArray[np.int64]
) -> tuple[GeometryArray, list[Finding]]:
    present = ~shapely.is_missing(geoms)
    out = geoms.copy()
    out[present] = project(geoms[present])
    findings = []
    coords, owner = shapely.get_coordinates(out[present], return_index=True)
    if project.transformer is not None and len(coords):
        bad = np.bincount(owner, ~np.isfinite(coords).all(axis=1), int(present.sum())) > 0
        for row in np.flatnonzero(present)[bad]:
            findings.append(
                _finding(
                    ImportRule.UNTRANSFORMABLE_GEOMETRY,
                    FindingSeverity.ERROR,
                    numbers[row],
                    "the geometry cannot be transformed to WGS84 (outside the CRS's area?)",
                )
            )
            out[row] = None
    return out, findings


# -- reading ---------------------------------------------------------------------------------


@dataclass
class _IdRegister:
    """External ids seen so far in this file, to find repeats across batches."""

    hashes: npt.NDArray[np.uint64] = field(default_factory=lambda: np.zeros(0, np.uint64))
    numbers: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    def repeats(
        self, ids: npt.NDArray[np.object_], numbers: npt.NDArray[np.int64]
    ) -> list[tuple[int, int]]:
        """(row, earlier feature number) for each id already used; then remember these."""
        present = pd.notna(ids)
        hashes = pd.util.hash_array(ids.astype(object)).astype(np.uint64)
        out: list[tuple[int, int]] = []
        order = np.argsort(self.hashes, kind="stable")
        sorted_hashes = self.hashes[order]
        pos = np.searchsorted(sorted_hashes, hashes)
        pos_ok = pos < len(sorted_hashes)
        earlier = np.zeros(len(ids), dtype=bool)
        earlier[pos_ok] = sorted_hashes[pos[pos_ok]] == hashes[pos_ok]
        first_in_batch = ~pd.Series(hashes).duplicated().to_numpy()
        first_row = pd.Series(np.arange(len(ids))).groupby(hashes).transform("min").to_numpy()
        for row in np.flatnonzero(present & (earlier | ~first_in_batch)):
            if earlier[row]:
                out.append((int(row), int(self.numbers[order[pos[row]]])))
            else:
                out.append((int(row), int(numbers[first_row[row]])))
        keep = present & first_in_batch & ~earlier
        self.hashes = np.concatenate([self.hashes, hashes[keep]])
        self.numbers = np.concatenate([self.numbers, numbers[keep]])
        return out


def _content_ids(frame: pd.DataFrame, wkb: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """A stable id from a feature's content (its mapped columns and geometry), for files
    without an id column: the same feature always gets the same id."""
    geometry_bytes = np.where(pd.isna(wkb), b"", wkb).astype(object)
    hashes = np.asarray(pd.util.hash_array(geometry_bytes), dtype=np.uint64)
    if len(frame.columns):
        columns = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
        with np.errstate(over="ignore"):
            hashes = (hashes * np.uint64(1_000_003)) ^ columns.astype(np.uint64)
    return np.asarray(np.char.mod("sha:%016x", hashes), dtype=object)


def _external_ids(
    mapping: Mapping,
    frame: pd.DataFrame,
    wkb: npt.NDArray[np.object_],
    numbers: npt.NDArray[np.int64],
    register: _IdRegister,
) -> tuple[npt.NDArray[np.object_], list[Finding]]:
    findings: list[Finding] = []
    if mapping.id_column:
        raw = frame[mapping.id_column].astype(object)
        text = raw.where(raw.isna(), raw.astype(str).str.strip())
        text = text.where(text != "", None)
        ids = np.array(text.to_numpy(dtype=object), dtype=object)
        for row in np.flatnonzero(pd.isna(ids)):
            findings.append(
                _finding(
                    ImportRule.MISSING_ID,
                    FindingSeverity.ERROR,
                    numbers[row],
                    f"column {mapping.id_column} is empty: the feature has no external id",
                    field=mapping.id_column,
                )
            )
            ids[row] = None
    else:
        ids = _content_ids(frame, wkb)
    for repeat, earlier in register.repeats(ids, numbers):
        what = (
            f"external id {ids[repeat]!r} is also feature {earlier}'s"
            if mapping.id_column
            else f"identical to feature {earlier} (same fields and geometry)"
        )
        findings.append(
            _finding(
                ImportRule.DUPLICATE_ID,
                FindingSeverity.ERROR,
                numbers[repeat],
                what,
                field=mapping.id_column,
            )
        )
    return ids, findings


def _build_batch(
    *,
    source: Path,
    layer: str | None,
    mapping: Mapping,
    frame: pd.DataFrame,
    geoms: GeometryArray,
    wkb: npt.NDArray[np.object_],
    numbers: npt.NDArray[np.int64],
    fids: npt.NDArray[np.int64],
    findings: list[Finding],
    project: _Projector,
    register: _IdRegister,
) -> FeatureBatch:
    expected = expected_geometry(mapping)
    geoms = _normalise(geoms, expected)
    geoms, transform_findings = _transform(geoms, project, numbers)
    findings = findings + transform_findings
    values, cell_errors = apply_mapping(mapping, frame)
    for error in cell_errors:
        findings.append(
            _finding(
                ImportRule.FIELD_VALUE,
                FindingSeverity.ERROR,
                numbers[error.row],
                error.message,
                field=error.field,
            )
        )
    ids, id_findings = _external_ids(mapping, frame, wkb, numbers, register)
    findings.extend(id_findings)
    findings.sort(key=_by_record)
    rejected = np.isin(
        numbers,
        np.array(
            [f.record for f in findings if f.severity is FindingSeverity.ERROR], dtype=np.int64
        ),
    )
    return FeatureBatch(
        source=str(source),
        layer=layer,
        mapping=mapping,
        feature_numbers=numbers,
        fids=fids,
        external_ids=ids,
        values=values.reset_index(drop=True),
        geometries=geoms,
        findings=findings,
        rejected=rejected,
    )


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
    info = pyogrio.read_info(gdal_path, layer=layer)
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
        except (ValueError, UnicodeDecodeError):
            return None
        features = document.get("features") if isinstance(document, dict) else None
        return features if isinstance(features, list) else None

    def _features(self) -> list[Any] | None:
        return self._feature_list


_UNKNOWN = object()


# -- CSV -------------------------------------------------------------------------------------


def _csv_dialect(source: Path) -> str:
    """The delimiter of a CSV file, guessed from its first lines (comma by default)."""
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(64 * 1024)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"not a UTF-8 text CSV (byte {exc.start}): save it as CSV UTF-8",
            Location(file=str(source)),
        ) from None
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_header(source: Path) -> list[str]:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle, delimiter=_csv_dialect(source)), [])


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


# -- writing ---------------------------------------------------------------------------------

#: The formats :func:`write_geodata` writes, by file suffix.
FORMATS: dict[str, str] = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GPKG",
    ".zip": "ESRI Shapefile",
    ".shp": "ESRI Shapefile",
    ".csv": "CSV",
}

#: Shapefile (dBase) field names hold at most this many bytes.
SHAPEFILE_NAME_LIMIT = 10


def _plain_cell(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=_plain_cell, ensure_ascii=False)
    if value is not None and not isinstance(value, str | int | float | bool | bytes):
        return str(value)
    return value


def _plain_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Object columns (enums, dates, lists, dicts, UUIDs) as text every format can hold, in
    WGS84."""
    out = frame.copy()
    for name in out.columns:
        if name != out.geometry.name and out[name].dtype == object:
            out[name] = out[name].map(_plain_cell, na_action="ignore")
    if out.crs is None:
        out = out.set_crs(WGS84_CRS)
    elif not CRS(out.crs).equals(WGS84_CRS, ignore_axis_order=True):
        out = out.to_crs(WGS84_CRS)
    return out


def shapefile_field_names(names: list[str]) -> dict[str, str]:
    """Unique Shapefile field names of at most 10 characters for these columns.

    Names that fit stay; longer ones are cut to 10, and a cut that collides with a name
    already taken ends in ``_1``, ``_2`` … instead.

    >>> shapefile_field_names(["code", "organisation_code", "organisation_type"])
    {'code': 'code', 'organisation_code': 'organisati', 'organisation_type': 'organisa_1'}
    """
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in names:
        short = name[:SHAPEFILE_NAME_LIMIT]
        counter = 0
        while short.lower() in taken:
            counter += 1
            suffix = f"_{counter}"
            short = name[: SHAPEFILE_NAME_LIMIT - len(suffix)] + suffix
        taken.add(short.lower())
        out[name] = short
    return out


def write_geodata(
    frame: gpd.GeoDataFrame,
    path: str | Path,
    *,
    layer: str | None = None,
) -> Path:
    """Write records to a file whose suffix chooses the format.

    ``.geojson``/``.json`` GeoJSON, ``.gpkg`` GeoPackage (``layer`` names the table; other
    layers in the file stay), ``.zip`` zipped Shapefile (with ``field_names.csv`` listing the
    full name behind each shortened field), ``.shp`` plain Shapefile, ``.csv`` CSV with the
    geometry as WKT in a ``wkt`` column. Enums, dates, lists and dicts are written as text
    (lists and dicts as JSON). Returns the path written.
    """
    target = Path(path)
    driver = FORMATS.get(target.suffix.lower())
    if driver is None:
        raise InvalidInput(
            f"unknown export format {target.suffix!r}; use one of {', '.join(FORMATS)}",
            Location(file=str(target)),
        )
    if not target.parent.exists():
        raise InvalidInput(f"folder {target.parent} does not exist", Location(file=str(target)))
    plain = _plain_frame(frame)
    name = layer or target.stem
    if driver == "CSV":
        _write_csv(plain, target)
    elif driver == "ESRI Shapefile":
        _write_shapefile(plain, target, name)
    else:
        pyogrio.write_dataframe(plain, target, layer=name, driver=driver)
    return target


def _write_csv(frame: gpd.GeoDataFrame, target: Path) -> None:
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    table["wkt"] = shapely.to_wkt(frame.geometry.to_numpy(), rounding_precision=-1)
    table.to_csv(target, index=False, encoding="utf-8")


def _write_shapefile(frame: gpd.GeoDataFrame, target: Path, name: str) -> None:
    geometry_name = frame.geometry.name
    columns = [c for c in frame.columns if c != geometry_name]
    renames = shapefile_field_names(columns)
    shortened = frame.rename(columns=renames)
    types = set(frame.geometry.dropna().geom_type.str.removeprefix("Multi"))
    if len(types) > 1:
        raise InvalidInput(
            f"a Shapefile holds one geometry type, these records have {sorted(types)}: "
            "export them to GeoPackage or GeoJSON, or one type at a time",
            Location(file=str(target)),
        )
    options = {"ENCODING": "UTF-8"}
    if target.suffix.lower() == ".shp":
        pyogrio.write_dataframe(
            shortened, target, driver="ESRI Shapefile", promote_to_multi=True, **options
        )
        return
    with tempfile.TemporaryDirectory() as folder:
        shp = Path(folder) / f"{name}.shp"
        pyogrio.write_dataframe(
            shortened, shp, driver="ESRI Shapefile", promote_to_multi=True, **options
        )
        listing = Path(folder) / "field_names.csv"
        listing.write_text(
            "field,shapefile_field\n" + "".join(f"{k},{v}\n" for k, v in renames.items()),
            encoding="utf-8",
        )
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, part.name)


# -- rejects ---------------------------------------------------------------------------------


@dataclass
class RejectCollector:
    """Collects the rejected features of an import, batch by batch, and writes them back out
    as they were in the source (every column, the geometry where GDAL could read it) with
    the reasons, so a user can fix the file and import it again.

    >>> import geopandas as gpd, shapely, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> frame = gpd.GeoDataFrame({"HAZ_ID": ["A", "B"], "STATUS": ["open", "lost"]},
    ...     geometry=[shapely.box(30, 50, 30.01, 50.01)] * 2, crs="EPSG:4326")
    >>> source = write_geodata(frame, folder / "synthetic.gpkg")
    >>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "HAZ_ID",
    ...                         "fields": {"status": "STATUS"}})
    >>> rejects = RejectCollector(source)
    >>> for batch in read_batches(source, mapping):
    ...     rejects.add(batch)
    >>> out = rejects.write(folder / "rejects.csv")
    >>> import pandas as pd
    >>> pd.read_csv(out)[["reject_feature", "HAZ_ID", "reject_reasons"]].to_dict("records")
    [{'reject_feature': 2, 'HAZ_ID': 'B', 'reject_reasons': "status: [field_value] column STATUS: 'lost' is not one of: open, suspended, closed, released"}]
    """

    source: Path
    layer: str | None = None
    numbers: list[int] = field(default_factory=list)
    fids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def add(self, batch: FeatureBatch) -> None:
        """Remember the rejected features of one batch and why they were rejected."""
        self.layer = batch.layer
        by_feature: dict[object, list[str]] = {}
        for finding in batch.findings:
            if finding.severity is FindingSeverity.ERROR:
                by_feature.setdefault(finding.record, []).append(
                    f"{finding.field}: [{finding.rule}] {finding.message}"
                )
        for row in np.flatnonzero(batch.rejected):
            number = int(batch.feature_numbers[row])
            self.numbers.append(number)
            self.fids.append(int(batch.fids[row]))
            self.reasons.append(" | ".join(by_feature.get(number, ["rejected"])))

    def __len__(self) -> int:
        return len(self.numbers)

    def write(self, target: str | Path) -> Path:
        """Write the rejected features to ``target`` (any format :func:`write_geodata`
        writes; CSV opens in a spreadsheet) with ``reject_feature`` and ``reject_reasons``
        columns first."""
        frame = self._source_rows()
        frame.insert(0, "reject_reasons", self.reasons)
        frame.insert(0, "reject_feature", self.numbers)
        return write_geodata(frame, target)

    def _source_rows(self) -> gpd.GeoDataFrame:
        if _is_csv(self.source):
            wanted = set(self.numbers)
            chunks = pd.read_csv(
                self.source,
                sep=_csv_dialect(self.source),
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                chunksize=100_000,
            )
            start = 1
            rows = []
            for chunk in chunks:
                positions = np.arange(start, start + len(chunk))
                rows.append(chunk[np.isin(positions, list(wanted))])
                start += len(chunk)
            table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
            return gpd.GeoDataFrame(table, geometry=[None] * len(table), crs=WGS84_CRS)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's, already in the reasons
            frame = pyogrio.read_dataframe(
                _gdal_path(self.source), layer=self.layer, fids=np.array(self.fids, dtype=np.int64)
            )
        if frame.crs is not None and not CRS(frame.crs).equals(WGS84_CRS, ignore_axis_order=True):
            frame = frame.to_crs(WGS84_CRS)
        return frame.reset_index(drop=True)
