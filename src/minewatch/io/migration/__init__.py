"""Reading a programme's archive for migration: File Geodatabases (IMSMA Core, ArcGIS) with
their coded-value domains, field aliases, relationship classes and attachment tables; Esri
JSON feature-service dumps (paged); Survey123 exports and multi-sheet workbooks; CSV files;
Access databases through mdbtools; and any other file GDAL reads.

:func:`open_source` describes a source as a :class:`Catalogue` (tables, fields, domains,
relations) and :func:`read_rows` reads one table's rows, geometries in WGS84. The mapping
assistant and the migration itself are services (:mod:`minewatch.services.migration`).

Where things are: :mod:`.catalogue` (the description), :mod:`.filegdb`, :mod:`.esrijson`,
:mod:`.tabular` (workbooks, CSV, Access) and :mod:`.rows` (opening and reading).
"""

from minewatch.io.migration.catalogue import (
    Catalogue,
    CodedDomain,
    Relation,
    SourceField,
    SourceTable,
)
from minewatch.io.migration.rows import (
    Source,
    SourceRows,
    open_source,
    points_from_columns,
    read_rows,
)

__all__ = [
    "Catalogue",
    "CodedDomain",
    "Relation",
    "Source",
    "SourceField",
    "SourceRows",
    "SourceTable",
    "open_source",
    "points_from_columns",
    "read_rows",
]
