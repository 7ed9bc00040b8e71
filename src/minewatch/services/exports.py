"""Items out to a GIS file: GeoJSON, GeoPackage, a zipped Shapefile or CSV with WKT, chosen by
the file's suffix (:func:`minewatch.io.geodata.write_geodata`).

The items come through the workflow, as its actor may see them; a file leaves the system and
no grant follows it, so it never holds personal columns, whoever asks
(:meth:`minewatch.services.audited.AuditedWorkflow.items_frame`).
"""

from __future__ import annotations

from pathlib import Path

from minewatch.domain.queries import ItemQuery
from minewatch.io.geodata import write_geodata
from minewatch.services.audited import AuditedWorkflow


def export_items(workflow: AuditedWorkflow, query: ItemQuery, out: Path) -> tuple[int, Path]:
    """Write the items matching ``query`` to ``out`` (one layer named after their kind);
    returns how many were written and the file.

    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.domain.records import Kind
    >>> from minewatch.services.context import open_context
    >>> from minewatch.services.demo import load_demo
    >>> with open_context(str(tmp / "demo.gpkg"), create=True) as ctx:
    ...     workflow = ctx.workflow(local_admin())
    ...     load_demo(workflow, areas=5)
    ...     count, path = export_items(workflow, ItemQuery(Kind.HAZARDOUS_AREA), tmp / "areas.gpkg")
    >>> count, path.name
    (5, 'areas.gpkg')
    """
    frame = workflow.items_frame(query)
    return len(frame), write_geodata(frame, out, layer=query.kind.value)
