"""Importing a GIS file into the store: every feature accounted for.

Each feature becomes a report creating an item (approved at once by a reviewer's import,
or left submitted/draft for review). The whole import is one all-or-nothing block of the
workflow (:meth:`minewatch.services.records.Workflow.all_or_nothing`): every feature
lands, or none does and the :class:`ImportReport` lists each rejected feature (file,
feature number, field, reason). With ``keep_going`` the good features land and the rejected
ones are listed (and written to a reject file, as they were in the source, with reasons).
Re-importing the same file is idempotent: a feature whose external id was imported before
is skipped and says so. A ``dry_run`` does everything, in the same transaction, and then
rolls it back: the report says what an import would do, with every check the real one makes.

>>> from datetime import date
>>> from minewatch.io.mapping import Mapping, load_mapping
>>> from minewatch.services.records import Workflow
>>> import geopandas as gpd
>>> from shapely import box
>>> from minewatch.domain.access import local_admin
>>> from minewatch.store import open_store
>>> areas = gpd.GeoDataFrame({"ref": ["A1", "A2"], "state": ["open", "mined?"]}, crs=4326,
...                          geometry=[box(30, -1, 30.01, -0.99), box(30.02, -1, 30.03, -0.99)])
>>> areas.to_file(tmp / "areas.geojson")
>>> workflow = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
>>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "ref",
...                         "fields": {"status": "state"}})
>>> report = import_file(workflow, tmp / "areas.geojson", mapping,
...                      date_of_information=date(2024, 5, 1), keep_going=True)
>>> report.landed, report.item_codes
(1, ['HA-000001'])
>>> print(report.rejected[0])
/...areas.geojson, row 2, field status: column state: 'mined?' is not one of: open,
suspended, closed, released

The package re-exports what its callers use: :func:`import_file` and
:func:`within_upload_limit` (:mod:`.file`, one batch at a time in :mod:`.batch`), the
outcome types (:mod:`.outcome`), :func:`mapping_by_field_names` and :func:`chosen_mapping`
(:mod:`.mapping`), :func:`preview_file` (:mod:`.preview`, a dry run shown before an upload); and
:func:`minewatch.io.mapping.load_mapping` and its ``Mapping``, which the CLI and the API may not
import from ``io`` themselves.
"""

from minewatch.io.mapping import Mapping, load_mapping
from minewatch.services.imports.file import import_file, within_upload_limit
from minewatch.services.imports.mapping import chosen_mapping, mapping_by_field_names
from minewatch.services.imports.outcome import ImportRefused, ImportReport, Skipped
from minewatch.services.imports.preview import Preview, preview_file

__all__ = [
    "ImportRefused",
    "ImportReport",
    "Mapping",
    "Preview",
    "Skipped",
    "chosen_mapping",
    "import_file",
    "load_mapping",
    "mapping_by_field_names",
    "preview_file",
    "within_upload_limit",
]
