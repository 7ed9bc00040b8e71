"""A mapping for a file whose columns are already named as the kind's fields
(:func:`mapping_by_field_names`), for uploads that send no mapping; a CSV finds its geometry
in a ``wkt`` or longitude/latitude column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from minewatch.domain.records import Kind, record_type
from minewatch.domain.schema import data_fields
from minewatch.errors import InvalidInput, Location
from minewatch.io.geodata import LayerInfo, list_layers
from minewatch.io.mapping import Mapping, load_mapping


def mapping_by_field_names(
    path: Path, kind: Kind, layer: str | None = None, id_column: str | None = None
) -> Mapping:
    """Without a mapping file, the columns named like the record's fields map onto them.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> frame = gpd.GeoDataFrame({"name": ["Hill 4"], "status": ["open"], "owner": ["x"]},
    ...                          geometry=[box(30, -1, 30.01, -0.99)], crs=4326)
    >>> frame.to_file(tmp / "areas.gpkg", layer="areas")
    >>> mapping = mapping_by_field_names(tmp / "areas.gpkg", Kind.HAZARDOUS_AREA)
    >>> mapping.layer, sorted(mapping.fields)
    ('areas', ['name', 'status'])
    """
    return chosen_mapping(path, kind, layer=layer, id_column=id_column)


def chosen_mapping(
    path: Path,
    kind: Kind,
    *,
    layer: str | None = None,
    id_column: str | None = None,
    fields: dict[str, str] | None = None,
    geometry: dict[str, str] | None = None,
    crs: str | None = None,
) -> Mapping:
    """The mapping a person chose on the upload page: ``fields`` (record field → column;
    an empty column leaves the field out) and a CSV's ``geometry`` columns (``wkt``, or
    ``x`` and ``y``) replace what :func:`mapping_by_field_names` finds by name; ``crs``
    (``EPSG:32636``, or a .prj's WKT) is the coordinates' CRS, for a CSV, or the CRS
    assumed when the file declares none.

    Examples
    --------
    >>> _ = (tmp / "finds.csv").write_text("Ref;Type;E;N\\nF1;ap_mine;535535;5583225\\n")
    >>> mapping = chosen_mapping(tmp / "finds.csv", Kind.DEVICE_FIND, id_column="Ref",
    ...     fields={"category": "Type"}, geometry={"x": "E", "y": "N"}, crs="EPSG:32636")
    >>> mapping.fields["category"].column, mapping.geometry.x, mapping.geometry.crs
    ('Type', 'E', 'EPSG:32636')
    """
    csv = path.suffix.lower() == ".csv"
    chosen = _layer(path, layer)
    columns = list(chosen.fields)
    if fields is None:
        # The Date of Information is taken by name too, so that a file minewatch exported
        # imports back with each record's own date rather than today's.
        by_name = [*data_fields(kind), "date_of_information"]
        fields = {f: f for f in by_name if f in columns}
    where = csv_geometry_columns(columns) if csv else None
    if csv and geometry:
        where = {k: v for k, v in geometry.items() if k in ("wkt", "x", "y") and v}
    spatial = record_type(kind).geometry_type is not None
    if csv and not where and spatial:
        _csv_geometry_columns(columns, path)  # raises, naming what was looked for
    mapping: dict[str, Any] = {
        "kind": kind.value,
        "layer": chosen.name,
        "id_column": id_column or None,
        "fields": {f: c for f, c in fields.items() if c},
    }
    if csv and where:
        mapping["geometry"] = {**where, "crs": crs or None}
    elif crs:
        mapping["assumed_crs"] = crs
    return load_mapping(mapping)


def _layer(path: Path, layer: str | None) -> LayerInfo:
    """The layer named, or the file's only one; InvalidInput lists them when it has several."""
    layers = list_layers(path)
    chosen = next(
        (li for li in layers if li.name == layer), layers[0] if len(layers) == 1 else None
    )
    if chosen is None:
        names = ", ".join(li.name for li in layers)
        raise InvalidInput(
            f"the file has several layers ({names}): choose one with the layer option",
            Location(str(path), field="layer"),
        )
    return chosen


#: Column names a CSV's geometry is found under without a mapping, compared without case,
#: spaces or punctuation: WKT as ``minewatch export`` and QGIS write it, or an x/y pair
#: (longitude and latitude, or a projected CRS's easting and northing, as ArcGIS's "Add XY
#: Coordinates" names them ``POINT_X``/``POINT_Y``). Kobo's geopoint columns end in
#: ``_longitude``/``_latitude``, hence the suffixes.
_CSV_WKT = ("wkt", "geometry", "wktgeom", "geom", "thegeom", "shape", "geometrywkt")
_CSV_X = ("longitude", "long", "lon", "lng", "x", "pointx", "xcoord", "coordx", "easting", "east")
_CSV_Y = ("latitude", "lat", "y", "pointy", "ycoord", "coordy", "northing", "north")
_CSV_XY_SUFFIXES = (("longitude", "latitude"), ("lon", "lat"), ("easting", "northing"))


def _squeezed(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def csv_geometry_columns(columns: list[str]) -> dict[str, str] | None:
    """The columns a CSV's geometry is in, found by their names: ``{"wkt": column}`` or
    ``{"x": column, "y": column}``; None when no name says so.

    >>> csv_geometry_columns(["Name", "Latitude", "LONG"])
    {'x': 'LONG', 'y': 'Latitude'}
    >>> csv_geometry_columns(["id", "POINT_X", "POINT_Y"])
    {'x': 'POINT_X', 'y': 'POINT_Y'}
    >>> csv_geometry_columns(["ref", "WKT"]), csv_geometry_columns(["_gps_longitude", "_gps_latitude"])
    ({'wkt': 'WKT'}, {'x': '_gps_longitude', 'y': '_gps_latitude'})
    >>> csv_geometry_columns(["name", "status"]) is None
    True
    """
    by_name: dict[str, str] = {}
    for column in columns:
        by_name.setdefault(_squeezed(column), column)
    for name in _CSV_WKT:
        if name in by_name:
            return {"wkt": by_name[name]}
    x = next((by_name[n] for n in _CSV_X if n in by_name), None)
    y = next((by_name[n] for n in _CSV_Y if n in by_name), None)
    if x is not None and y is not None:
        return {"x": x, "y": y}
    for x_end, y_end in _CSV_XY_SUFFIXES:
        xs = [c for n, c in by_name.items() if n.endswith(x_end)]
        ys = [c for n, c in by_name.items() if n.endswith(y_end)]
        if len(xs) == 1 and len(ys) == 1:
            return {"x": xs[0], "y": ys[0]}
    return None


def _csv_geometry_columns(columns: list[str], path: Path) -> dict[str, str]:
    """The CSV's geometry columns, by name; InvalidInput names what was looked for."""
    found = csv_geometry_columns(columns)
    if not columns:
        raise InvalidInput("the file is empty: no header row", Location(str(path)))
    if found is None:
        raise InvalidInput(
            "no geometry column found: a CSV needs a WKT column (wkt, geometry), or x and y "
            "columns (longitude and latitude, lon and lat, POINT_X and POINT_Y, easting and "
            f"northing); it has: {', '.join(columns) or 'no columns'}",
            Location(str(path), field="geometry"),
        )
    return found
