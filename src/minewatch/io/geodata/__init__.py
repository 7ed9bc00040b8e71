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

Where things are: :mod:`.read` (:func:`read_batches`, :func:`read_boundary`), :mod:`.csv_reader`
(CSV with WKT or longitude/latitude columns), :mod:`.sources` (zips, layers, CSV dialects),
:mod:`.crs` (CRS and transformation to WGS84), :mod:`.geometries` (parsing WKB/WKT),
:mod:`.assemble` (rows into a batch: fields, ids), :mod:`.batch` (:class:`FeatureBatch`),
:mod:`.write` (:func:`write_geodata`) and :mod:`.rejects` (:class:`RejectCollector`). The names
below are the package's public interface, imported from here.

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

from minewatch.io.geodata.batch import FeatureBatch, FeatureRow, ImportRule
from minewatch.io.geodata.read import read_batches, read_boundary
from minewatch.io.geodata.rejects import RejectCollector
from minewatch.io.geodata.sources import LayerInfo, list_layers
from minewatch.io.geodata.write import write_geodata
from minewatch.io.mapping import load_mapping

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
