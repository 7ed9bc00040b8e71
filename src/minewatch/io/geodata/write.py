"""Writing records to GeoJSON, GeoPackage, (zipped) Shapefile or CSV: :func:`write_geodata`."""

from __future__ import annotations

import csv
import json
import tempfile
import zipfile
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from minewatch.domain.cells import safe_frame, safe_row
from minewatch.errors import InvalidInput, Location
from minewatch.io.geodata.crs import WGS84_CRS

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
            "unknown export format {suffix!r}; use one of {formats}",
            Location(file=str(target)),
            suffix=target.suffix,
            formats=", ".join(FORMATS),
        )
    if not target.parent.exists():
        raise InvalidInput(
            "folder {parent} does not exist", Location(file=str(target)), parent=target.parent
        )
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
    safe_frame(table).to_csv(target, index=False, encoding="utf-8")


def _write_shapefile(frame: gpd.GeoDataFrame, target: Path, name: str) -> None:
    geometry_name = frame.geometry.name
    columns = [c for c in frame.columns if c != geometry_name]
    renames = shapefile_field_names(columns)
    shortened = frame.rename(columns=renames)
    types = set(frame.geometry.dropna().geom_type.str.removeprefix("Multi"))
    if len(types) > 1:
        raise InvalidInput(
            "a Shapefile holds one geometry type, these records have {types}: export them to GeoPackage or GeoJSON, or one type at a time",
            Location(file=str(target)),
            types=sorted(types),
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
        with listing.open("w", newline="", encoding="utf-8") as fh:
            # Field names come from the data, so the listing is CSV-quoted and made safe.
            csv.writer(fh).writerows(
                safe_row(pair) for pair in [("field", "shapefile_field"), *renames.items()]
            )
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, part.name)
