"""Opening a source (:func:`open_source`: which reader, and its :class:`Catalogue`) and reading
one table's rows (:func:`read_rows`) with their geometries in WGS84 longitude/latitude."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
import shapely.errors
from pyproj import CRS, Transformer

from minewatch.errors import InvalidInput, Location
from minewatch.io.migration.catalogue import Catalogue, SourceField, SourceTable
from minewatch.io.migration.esrijson import esri_pages, is_esri_json, read_esri_catalogue
from minewatch.io.migration.filegdb import SYSTEM_COLUMNS, read_filegdb_catalogue
from minewatch.io.migration.maxml import is_maxml_source, maxml_files, read_maxml
from minewatch.io.migration.maxml_tables import maxml_tables
from minewatch.io.migration.tabular import (
    ACCESS_SUFFIXES,
    WORKBOOK_SUFFIXES,
    read_tables,
    tabular_catalogue,
)

WGS84 = CRS.from_epsg(4326)
#: The column that holds each GDAL feature's id (ArcGIS's OBJECTID, a Shapefile's FID).
OBJECT_ID = "OBJECTID"


@dataclass
class SourceRows:
    """One table's rows: the attributes as stored (coded values still codes), each row's
    number in the table (1-based, the order GDAL or the file gives) and its geometry in WGS84
    (None where it has none)."""

    table: SourceTable
    frame: pd.DataFrame
    numbers: np.ndarray
    geometries: np.ndarray
    origins: list[str] | None = None  # where each row is, when rows are not lines (maXML)
    #: rows (0-based) whose geometry could not be read, and why
    geometry_problems: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)


@dataclass
class Source:
    """An opened source: its catalogue, and the tables of a tabular or maXML source kept in
    memory (they are read whole to be described) with their geometries, if any."""

    path: Path
    catalogue: Catalogue
    tables: dict[str, pd.DataFrame] | None = None
    geometries: dict[str, np.ndarray] | None = None
    origins: dict[str, list[str]] | None = None


def open_source(path: str | Path) -> Source:
    """Open a File Geodatabase (``.gdb`` folder or zipped), an Esri JSON dump (a file or a
    folder of pages), IMSMA NG maXML (a file, or a folder or zip of them), a workbook, CSV
    file(s), an Access database, or any file GDAL reads.

    Examples
    --------
    >>> import pandas as pd
    >>> with pd.ExcelWriter(tmp / "survey.xlsx") as book:
    ...     pd.DataFrame({"GlobalID": ["a1"], "x": [30.1], "y": [-1.2]}).to_excel(
    ...         book, sheet_name="accident", index=False)
    ...     pd.DataFrame({"ParentGlobalID": ["a1", "a1"], "sex": ["F", "M"]}).to_excel(
    ...         book, sheet_name="victims", index=False)
    >>> source = open_source(tmp / "survey.xlsx")
    >>> [(t.name, t.rows) for t in source.catalogue.tables], source.catalogue.relations[0].parent
    ([('accident', 1), ('victims', 2)], 'accident')
    """
    source = Path(path)
    if not source.exists():
        raise InvalidInput("file not found", Location(file=str(source)))
    suffix = source.suffix.lower()
    if suffix == ".gdb" or (suffix == ".zip" and _zipped_gdb(source)):
        return Source(source, read_filegdb_catalogue(_gdal_path(source), source))
    if (suffix in (".json", ".esrijson") or source.is_dir()) and is_esri_json(source):
        return Source(source, read_esri_catalogue(source))
    if is_maxml_source(source):
        read = maxml_tables(source, read_maxml(maxml_files(source)))
        return Source(source, read.catalogue, read.frames, read.geometries, read.origins)
    if (
        suffix in WORKBOOK_SUFFIXES
        or suffix in ACCESS_SUFFIXES
        or suffix in (".csv", ".zip")
        or (source.is_dir() and any(source.glob("*.csv")))
    ):
        tables = read_tables(source)
        fmt = (
            "access"
            if suffix in ACCESS_SUFFIXES
            else "workbook"
            if suffix in WORKBOOK_SUFFIXES
            else "csv"
        )
        return Source(source, tabular_catalogue(source, tables, fmt), tables)
    return Source(source, _gdal_catalogue(source))


def _zipped_gdb(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(".gdb/" in n for n in archive.namelist())
    except zipfile.BadZipFile:
        return False


def _gdal_path(path: Path) -> str:
    """The path GDAL opens: a zipped geodatabase is read in place through /vsizip/ (kept as
    text: a ``Path`` would fold the ``//`` of ``/vsizip//tmp/…`` and GDAL would not find it)."""
    if path.suffix.lower() != ".zip":
        return str(path)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        folder = next(n for n in archive.namelist() if ".gdb/" in n)
    return f"/vsizip/{path.resolve()}/{folder.split('.gdb/')[0]}.gdb"


def _gdal_catalogue(path: Path) -> Catalogue:
    where = Location(file=str(path))
    try:
        layers = pyogrio.list_layers(str(path))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InvalidInput("GDAL cannot open the file: {problem}", where, problem=exc) from None
    tables = []
    for name, geometry in layers:
        info = pyogrio.read_info(str(path), layer=str(name))
        fields = tuple(SourceField(str(f)) for f in info["fields"])
        key = next((f.name for f in fields if f.name.lower() == "globalid"), None)
        tables.append(
            SourceTable(str(name), fields, int(info["features"]), geometry and str(geometry), key)
        )
    return Catalogue(str(path), "gdal", tuple(tables))


def read_rows(source: Source, table: str) -> SourceRows:
    """Every row of one table, geometries in WGS84.

    Tabular sources have no geometry of their own: :func:`points_from_columns` makes points
    from coordinate columns.
    """
    described = source.catalogue.table(table)
    if source.tables is not None:
        frame = source.tables[table]
        kept = None if source.geometries is None else source.geometries.get(table)
        geoms = np.full(len(frame), None, dtype=object) if kept is None else kept
        origins = None if source.origins is None else source.origins.get(table)
        return SourceRows(described, frame, np.arange(1, len(frame) + 1), geoms, origins)
    if source.catalogue.format == "esrijson":
        pages = [_gdal_frame(p, None) for p in esri_pages(source.path)]
        problems, offset = {}, 0
        for page in pages:
            problems.update({offset + r: why for r, why in page.attrs["geometry_problems"].items()})
            offset += len(page)
        frame = pd.concat(pages, ignore_index=True) if len(pages) > 1 else pages[0]
        frame.attrs["geometry_problems"] = problems
    else:
        path = _gdal_path(source.path) if source.catalogue.format == "filegdb" else source.path
        frame = _gdal_frame(path, table)
    geometry = frame.pop("geometry") if "geometry" in frame.columns else None
    geoms = np.full(len(frame), None, dtype=object)
    if geometry is not None:
        crs = getattr(geometry, "crs", None)
        values = geometry.to_numpy()
        geoms = values if crs is None or CRS(crs) == WGS84 else _to_wgs84(values, CRS(crs))
    problems = frame.attrs.get("geometry_problems", {})
    frame = frame.drop(columns=[c for c in frame.columns if c in SYSTEM_COLUMNS and c != OBJECT_ID])
    rows = SourceRows(described, frame, np.arange(1, len(frame) + 1), geoms)
    rows.geometry_problems = dict(problems)
    return rows


def _gdal_frame(path: Path | str, layer: str | None) -> pd.DataFrame:
    """A layer's rows as GDAL reads them (curves made straight by GDAL, M values dropped).
    A geometry shapely cannot take (a multipatch read as a TIN) becomes None, with the reason
    in ``frame.attrs["geometry_problems"]`` (0-based row: reason), so its row is rejected
    with it instead of the whole table failing."""
    where = Location(file=str(path), field=layer)
    problems: dict[int, str] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "M values are not supported"
            try:
                frame: pd.DataFrame = pyogrio.read_dataframe(
                    str(path), layer=layer, fid_as_index=True
                )
            except shapely.errors.GEOSException:
                frame = pyogrio.read_dataframe(
                    str(path), layer=layer, fid_as_index=True, on_invalid="ignore"
                )
                problems = _unreadable_geometries(path, layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InvalidInput("GDAL cannot read it: {problem}", where, problem=exc) from None
    # The feature id (ArcGIS's OBJECTID) identifies a row when it has no GlobalID.
    if OBJECT_ID not in frame.columns:
        frame.insert(0, OBJECT_ID, frame.index.to_numpy())
    frame = frame.reset_index(drop=True)
    frame.attrs["geometry_problems"] = problems
    return frame


def _unreadable_geometries(path: Path | str, layer: str | None) -> dict[int, str]:
    """The rows whose geometry (as WKB) shapely cannot read, and why."""
    _, _, wkb, _ = pyogrio.raw.read(str(path), layer=layer, columns=[])
    problems = {}
    for row, blob in enumerate(wkb):
        if blob is None:
            continue
        try:
            shapely.from_wkb(blob)
        except shapely.errors.GEOSException as exc:
            problems[row] = f"its geometry cannot be read as points, lines or polygons ({exc})"
    return problems


def _to_wgs84(geoms: np.ndarray, crs: CRS) -> np.ndarray:
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
    return np.asarray(
        shapely.transform(
            geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        ),
        dtype=object,
    )


def points_from_columns(
    frame: pd.DataFrame, x: str, y: str, crs: str | None = None
) -> tuple[np.ndarray, dict[int, str]]:
    """Points from longitude/latitude (or projected x/y in ``crs``) columns, in WGS84, and
    the rows whose coordinates are not numbers (0-based row: reason). Blank cells give None.

    Examples
    --------
    >>> frame = pd.DataFrame({"lon": ["30.5", None, "east"], "lat": ["-1.25", None, "-1"]})
    >>> points, problems = points_from_columns(frame, "lon", "lat")
    >>> points[0].wkt, points[1], problems
    ('POINT (30.5 -1.25)', None, {2: "lon: 'east' is not a number"})
    """
    problems: dict[int, str] = {}
    xs = pd.to_numeric(frame[x], errors="coerce").to_numpy(dtype=float)
    ys = pd.to_numeric(frame[y], errors="coerce").to_numpy(dtype=float)
    for column, values in ((x, xs), (y, ys)):
        raw = frame[column]
        for row in np.flatnonzero(np.isnan(values) & raw.notna().to_numpy()).tolist():
            problems.setdefault(row, f"{column}: {raw.iloc[row]!r} is not a number")
    if crs is not None and CRS(crs) != WGS84:
        xs, ys = Transformer.from_crs(CRS(crs), WGS84, always_xy=True).transform(xs, ys)
    points = np.asarray(shapely.points(xs, ys), dtype=object)
    points[np.isnan(xs) | np.isnan(ys)] = None
    return points, problems
