"""The migration report as one offline HTML page (no script, no address outside the file):
per source table, rows read, landed, skipped as landed before and rejected, whether the store
holds what landed, what was transformed, every rejection (file, table, row, field, reason),
places found and not found, and a sample of landed rows drawn in an inline SVG map to check
by eye.

>>> page = migration_report_html({"source": "archive.gdb", "by": "amina", "dry_run": False,
...     "committed": True, "tables": [{"table": "Hazards", "kind": "hazardous_area", "read": 1,
...     "landed": 1, "skipped": 0, "rejected_count": 0, "transformed": [], "rejected": [],
...     "places": {}, "unmatched_places": {}, "sample": [{"item_code": "HA-000001", "row": 1,
...     "key": "H1", "lon": 30.0, "lat": -1.0, "wkt": "POINT (30 -1)"}]}]})
>>> "<svg" in page and "HA-000001" in page and "http" not in page.replace("http://www.w3.org", "")
True
"""

from __future__ import annotations

import html
from typing import Any

import shapely

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.bad{color:#a40000}.ok{color:#1d6b1d}
svg{border:1px solid #ccc;background:#fafafa}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _rows(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _map(sample: list[dict[str, Any]], width: int = 640, height: int = 360) -> str:
    """The sample's geometries in longitude/latitude, scaled to fit, each labelled."""
    geoms = [(s, shapely.from_wkt(s["wkt"])) for s in sample if s.get("wkt")]
    if not geoms:
        return "<p>No landed row of this table has a geometry.</p>"
    xmin, ymin, xmax, ymax = shapely.total_bounds([g for _, g in geoms])
    span = max(xmax - xmin, ymax - ymin, 1e-6)
    pad = 20

    def xy(x: float, y: float) -> tuple[float, float]:
        return (
            pad + (x - xmin) / span * (min(width, height) - 2 * pad),
            height - pad - (y - ymin) / span * (min(width, height) - 2 * pad),
        )

    shapes = []
    for item, geom in geoms:
        for part in shapely.get_parts(
            shapely.get_exterior_ring(shapely.get_parts(geom))
            if geom.geom_type.endswith("Polygon")
            else [geom]
        ):
            coords = shapely.get_coordinates(part)
            if len(coords) == 1:
                cx, cy = xy(*coords[0])
                shapes.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="#a40000"/>')
            else:
                points = " ".join("{:.1f},{:.1f}".format(*xy(x, y)) for x, y in coords)
                shapes.append(f'<polyline points="{points}" fill="#a4000033" stroke="#a40000"/>')
        lx, ly = xy(item["lon"], item["lat"])
        shapes.append(
            f'<text x="{lx + 5:.1f}" y="{ly - 5:.1f}" font-size="10">{_e(item["item_code"])}</text>'
        )
    corner = f"lon {xmin:.5f}…{xmin + span:.5f}, lat {ymin:.5f}…{ymin + span:.5f}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="sample of landed rows">{"".join(shapes)}</svg>'
        f"<p>Frame: {_e(corner)} (WGS84). Open the items in QGIS or the map to compare with the source.</p>"
    )


def migration_report_html(
    report: dict[str, Any], store_counts: dict[str, int] | None = None
) -> str:
    """The report's page; ``store_counts`` (table → items the store holds of those that
    landed) adds a check that the store agrees with the report."""
    state = (
        "dry run: nothing was written"
        if report.get("dry_run")
        else ("committed" if report.get("committed") else "refused: nothing was written")
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Migration report: {_e(report.get('source'))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Migration of {_e(report.get('source'))}</h1>",
        f"<p>Run by {_e(report.get('by'))}, {_e(report.get('started'))} to {_e(report.get('finished'))}; {_e(state)}.</p>",
    ]
    for note in report.get("notes") or []:
        parts.append(f"<p class='bad'>{_e(note)}</p>")
    if report.get("attachment_tables"):
        parts.append(
            f"<p>Attachment tables (listed, not migrated): {_e(', '.join(report['attachment_tables']))}</p>"
        )
    summary = []
    later = any(t.get("later_reports") for t in report.get("tables", []))
    for t in report.get("tables", []):
        held = "" if store_counts is None else store_counts.get(t["table"], 0)
        summary.append(
            [
                t["table"],
                t.get("kind") or "skipped",
                t["read"],
                t["landed"],
                t.get("transformed_rows", 0),
                *([t.get("later_reports", 0)] if later else []),
                t["skipped"],
                t["rejected_count"],
                held,
            ]
        )
    header = [
        "table",
        "becomes",
        "read",
        "landed",
        "of them with a value transformed",
        *(["later reports of those items"] if later else []),
        "skipped (landed before)",
        "rejected",
    ]
    parts.append(
        "<h2>Tables</h2>"
        + _rows(
            header + (["store holds"] if store_counts is not None else []),
            [r if store_counts is not None else r[:-1] for r in summary],
        )
    )
    for t in report.get("tables", []):
        parts.append(
            f"<h2 id='{_e(t['table'])}'>{_e(t['table'])} → {_e(t.get('kind') or 'skipped')}</h2>"
        )
        if t.get("skipped_table"):
            parts.append(f"<p>Skipped: {_e(t['skipped_table'])}.</p>")
            continue
        if t["transformed"]:
            parts.append(
                "<h3>Transformed</h3>"
                + _rows(
                    ["field", "column", "from", "to", "rows"],
                    [
                        [x["field"], x["column"], x["from"], x["to"], x["rows"]]
                        for x in t["transformed"]
                    ],
                )
            )
        if t["rejected"]:
            parts.append(
                "<h3 class='bad'>Rejected</h3>"
                + _rows(
                    ["file", "table", "row", "field", "reason"],
                    [
                        [r["file"], r["table"], r["row"], r["field"], r["reason"]]
                        for r in t["rejected"]
                    ],
                )
            )
        if t.get("places") or t.get("unmatched_places"):
            parts.append(
                "<h3>Places without coordinates</h3>"
                + _rows(["matched by", "rows"], [[k, v] for k, v in t["places"].items()])
            )
            if t["unmatched_places"]:
                parts.append(
                    "<p class='bad'>Not found in the gazetteer:</p>"
                    + _rows(
                        ["name or P-code", "rows"],
                        [[k, v] for k, v in t["unmatched_places"].items()],
                    )
                )
        if t["sample"]:
            parts.append("<h3>Sample to check on a map</h3>" + _map(t["sample"]))
            parts.append(
                _rows(
                    ["item", "row", "key", "lon", "lat"],
                    [[s["item_code"], s["row"], s["key"], s["lon"], s["lat"]] for s in t["sample"]],
                )
            )
    parts.append("</body></html>")
    return "\n".join(parts)
