"""What an upload would do, before anything is written (:func:`preview_file`): the file's
columns and CRS, the mapping proposed or chosen, the first rows as they would land (in
WGS84, for a map) and every rejected row of the whole file, from a dry run.

>>> SAMPLE_ROWS
100
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import shapely

from minewatch.domain.records import Kind, record_type
from minewatch.domain.reports import ReportState
from minewatch.io.geodata import list_layers, read_batches
from minewatch.io.mapping import Mapping, mappable_fields
from minewatch.services.imports.file import import_file
from minewatch.services.imports.mapping import csv_geometry_columns
from minewatch.services.imports.outcome import ImportReport
from minewatch.services.records import Workflow

#: How many of the file's first rows a preview shows on its map.
SAMPLE_ROWS = 100


@dataclass
class Preview:
    """A dry run of one upload, with what a person needs to correct its mapping.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.imports import chosen_mapping
    >>> from minewatch.store import open_store
    >>> _ = (tmp / "areas.csv").write_text("name,wkt\\nA,POINT (30 50)\\n")
    >>> workflow = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> mapping = chosen_mapping(tmp / "areas.csv", Kind.HAZARDOUS_AREA)
    >>> preview = preview_file(workflow, tmp / "areas.csv", mapping)
    >>> preview.columns, preview.report.landed, str(preview.report.rejected[0])
    (['name', 'wkt'], 0, '/...areas.csv, row 1, field geometry: expected a polygon, got a Point')
    """

    kind: Kind
    columns: list[str]
    layers: list[str]
    file_crs: str | None
    mapping: Mapping
    proposed_geometry: dict[str, str] | None
    report: ImportReport
    sample: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self, locale: str | None = None) -> dict[str, Any]:
        """JSON for the upload page: ``sample`` is a GeoJSON FeatureCollection whose
        features carry their ``row``, whether it is ``rejected`` and the mapped values;
        reasons in ``locale``."""
        geometry = self.mapping.geometry
        return {
            "kind": self.kind.value,
            "geometry_type": record_type(self.kind).geometry_type,
            "columns": self.columns,
            "layers": self.layers,
            "layer": self.mapping.layer,
            "file_crs": self.file_crs,
            "fields": list(mappable_fields(self.kind)),
            "mapping": {
                "fields": {f: s.column for f, s in self.mapping.fields.items() if s.column},
                "id_column": self.mapping.id_column,
                "geometry": (
                    geometry.model_dump(exclude_none=True, exclude={"crs"}) if geometry else None
                ),
                "crs": (geometry.crs if geometry else self.mapping.assumed_crs),
            },
            "proposed_geometry": self.proposed_geometry,
            "sample": {"type": "FeatureCollection", "features": self.sample},
            **self.report.as_dict(locale),
        }


def preview_file(
    workflow: Workflow,
    path: str | Path,
    mapping: Mapping,
    *,
    date_of_information: date | None = None,
    max_features: int | None = None,
    sample_rows: int = SAMPLE_ROWS,
) -> Preview:
    """Everything an import of ``path`` under ``mapping`` would do, written nowhere: a dry
    run of :func:`import_file` (every rejected row of the file, with its field and reason)
    and the first ``sample_rows`` rows as they would land.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.imports import chosen_mapping
    >>> from minewatch.store import ItemQuery, open_store
    >>> _ = (tmp / "finds.csv").write_text(
    ...     "Ref;category;Latitude;LONG\\nF1;ap_mine;50,4;30,5\\nF2;ap_mine;95;30,5\\n")
    >>> workflow = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> mapping = chosen_mapping(tmp / "finds.csv", Kind.DEVICE_FIND, id_column="Ref")
    >>> preview = preview_file(workflow, tmp / "finds.csv", mapping)
    >>> answer = preview.as_dict()
    >>> answer["mapping"]["geometry"], answer["read"], answer["landed"], answer["committed"]
    ({'x': 'LONG', 'y': 'Latitude'}, 2, 1, False)
    >>> [(f["properties"]["row"], f["properties"]["rejected"]) for f in answer["sample"]["features"]]
    [(1, False), (2, True)]
    >>> answer["sample"]["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [30.5, 50.4]}
    >>> answer["rejected"][0]["row"], answer["rejected"][0]["field"]
    (2, 'geometry')
    >>> workflow.store.count_items(ItemQuery(Kind.DEVICE_FIND))
    0
    """
    source = Path(path)
    layers = list_layers(source)
    chosen = next((li for li in layers if li.name == mapping.layer), layers[0])
    report = import_file(
        workflow,
        source,
        mapping,
        layer=mapping.layer,
        date_of_information=date_of_information,
        state=ReportState.DRAFT,
        dry_run=True,
        max_features=max_features,
    )
    csv = source.suffix.lower() == ".csv"
    return Preview(
        kind=mapping.kind,
        columns=list(chosen.fields),
        layers=[li.name for li in layers],
        file_crs=chosen.crs,
        mapping=mapping,
        proposed_geometry=csv_geometry_columns(list(chosen.fields)) if csv else None,
        report=report,
        sample=_sample(source, mapping, report, sample_rows),
    )


def _sample(
    source: Path, mapping: Mapping, report: ImportReport, rows: int
) -> list[dict[str, Any]]:
    """The first ``rows`` features as GeoJSON in WGS84 (no geometry where it is missing or
    is not longitude/latitude, as a projected row without its CRS), marked where the dry
    run rejected them."""
    batch = next(iter(read_batches(source, mapping, layer=mapping.layer, batch_size=rows)), None)
    if batch is None:
        return []
    rejected = {r.where.row for r in report.rejected if r.where.file == batch.source}
    values = json.loads(batch.values.to_json(orient="records", date_format="iso"))
    features = []
    for i, number in enumerate(batch.feature_numbers.tolist()):
        geom = batch.geometries[i]
        missing = geom is None or shapely.is_empty(geom) or not _lonlat(geom)
        features.append(
            {
                "type": "Feature",
                "geometry": None if missing else json.loads(shapely.to_geojson(geom)),
                "properties": {
                    "row": int(number),
                    "rejected": int(number) in rejected or bool(batch.rejected[i]),
                    "values": values[i] if i < len(values) else {},
                },
            }
        )
    return features


def _lonlat(geom: Any) -> bool:
    """Whether every coordinate is a longitude/latitude (a map cannot draw the others)."""
    x0, y0, x1, y1 = shapely.bounds(geom)
    return bool(-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90)
