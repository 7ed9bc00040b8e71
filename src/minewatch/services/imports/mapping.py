"""A mapping for a file whose columns are already named as the kind's fields
(:func:`mapping_by_field_names`), for uploads that send no mapping; a CSV finds its geometry
in a ``wkt`` or longitude/latitude column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from minewatch.domain.records import Kind
from minewatch.domain.schema import data_fields
from minewatch.errors import InvalidInput, Location
from minewatch.io.geodata import list_layers
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
    fields = {f: f for f in data_fields(kind) if f in chosen.fields}
    mapping: dict[str, Any] = {
        "kind": kind.value,
        "layer": chosen.name,
        "id_column": id_column,
        "fields": fields,
    }
    if path.suffix.lower() == ".csv":
        mapping["geometry"] = _csv_geometry_columns(list(chosen.fields), path)
    return load_mapping(mapping)


#: Column names a CSV's geometry is found under without a mapping (case ignored): WKT as
#: ``minewatch export`` writes it, or a longitude/latitude pair.
_CSV_WKT = ("wkt", "geometry")


_CSV_XY = (("longitude", "latitude"), ("lon", "lat"), ("x", "y"))


def _csv_geometry_columns(columns: list[str], path: Path) -> dict[str, str]:
    """The CSV's geometry columns, by name; InvalidInput names what was looked for."""
    by_name = {c.lower(): c for c in columns}
    for name in _CSV_WKT:
        if name in by_name:
            return {"wkt": by_name[name]}
    for x, y in _CSV_XY:
        if x in by_name and y in by_name:
            return {"x": by_name[x], "y": by_name[y]}
    raise InvalidInput(
        "a CSV needs its geometry in a wkt column, or in longitude and latitude columns",
        Location(str(path), field="geometry"),
    )
