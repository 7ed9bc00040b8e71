"""Opening a source file: the path GDAL reads (zips in place), its layers, and a CSV's
delimiter and header."""

from __future__ import annotations

import csv
import functools
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio

from minewatch.errors import InvalidInput, Location

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


@dataclass(frozen=True)
class LayerInfo:
    """One layer of a source file."""

    name: str
    geometry_type: str | None
    features: int
    crs: str | None
    fields: tuple[str, ...]


def _stamp(source: Path) -> tuple[int, int]:
    """What tells one version of a file from another: its modification time and size."""
    status = source.stat()
    return status.st_mtime_ns, status.st_size


# GDAL parses a whole GeoJSON file each time it opens one (seconds for 25 MB), and an import
# asks for its layers and their fields several times before reading: keep the answers for
# the few files last seen, keyed on their version.
@functools.lru_cache(maxsize=8)
def _layer_names(gdal_path: str, stamp: tuple[int, int]) -> list[tuple[str, str | None]]:
    return [(str(n), None if g is None else str(g)) for n, g in pyogrio.list_layers(gdal_path)]


@functools.lru_cache(maxsize=8)
def _read_info(gdal_path: str, layer: str | None, stamp: tuple[int, int]) -> dict[str, Any]:
    return dict(pyogrio.read_info(gdal_path, layer=layer))


def layer_info(source: Path, layer: str | None) -> dict[str, Any]:
    """GDAL's description of one layer (``pyogrio.read_info``), remembered for the file's
    current version."""
    return _read_info(_gdal_path(source), layer, _stamp(source))


def list_layers(path: str | Path) -> list[LayerInfo]:
    """The layers of a file, with their geometry type, feature count, CRS and fields.

    A GeoPackage may hold several layers; :func:`read_batches` then needs one named (in the
    mapping or its ``layer`` argument).
    """
    source = Path(path)
    _require(source)
    if _is_csv(source):
        header = _csv_header(source)
        with source.open("rb") as handle:  # lines, not text: the reader checks the encoding
            rows = sum(1 for _ in handle) - 1
        return [LayerInfo(source.stem, None, max(rows, 0), None, tuple(header))]
    try:
        names = _layer_names(_gdal_path(source), _stamp(source))
        infos = [layer_info(source, name) for name, _ in names]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InvalidInput(
            "GDAL cannot open the file: {problem}", Location(file=str(source)), problem=exc
        ) from None
    except UnicodeDecodeError as exc:  # pyogrio decodes layer and field names as UTF-8
        raise InvalidInput(
            "a layer or field name is not UTF-8 text (byte {byte!r}); save the file as UTF-8",
            Location(file=str(source)),
            byte=exc.object[exc.start : exc.end],
        ) from None
    except UnboundLocalError:  # pyogrio 0.13's answer to a CRS (.prj) that is not UTF-8
        raise InvalidInput(
            "the file's coordinate reference system (.prj) is not UTF-8 text; "
            "save it again, or give the CRS in the mapping",
            Location(file=str(source)),
        ) from None
    out = []
    for (name, geometry_type), info in zip(names, infos, strict=True):
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
                "no layer {layer!r}; the file has: {names}",
                Location(file=str(source)),
                layer=layer,
                names=", ".join(names),
            )
        return layer
    if len(names) > 1:
        raise InvalidInput(
            "the file has {count} layers ({names}): choose one with 'layer'",
            Location(file=str(source)),
            count=len(names),
            names=", ".join(names),
        )
    return names[0] if names else None


def _csv_dialect(source: Path) -> str:
    """The delimiter of a CSV file, guessed from its first lines (comma by default)."""
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(64 * 1024)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "not a UTF-8 text CSV (byte {start}): save it as CSV UTF-8",
            Location(file=str(source)),
            start=exc.start,
        ) from None
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_header(source: Path) -> list[str]:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle, delimiter=_csv_dialect(source)), [])
