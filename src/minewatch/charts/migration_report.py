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

from minewatch.vocabulary import direction, normalise_locale, render, translate

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.bad{color:#a40000}.ok{color:#1d6b1d}
svg{border:1px solid #ccc;background:#fafafa}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _said(text: Any, locale: str | None) -> str:
    """What a run composed (a note, a reason) in ``locale``'s language: a Message as the
    catalogues say it; plain text read back from a report's JSON translated when it is a
    catalogued sentence of its own, else as it is (English)."""
    if text is None or isinstance(text, int | float):
        return "" if text is None else str(text)
    return render(text, locale) if hasattr(text, "template") else translate(str(text), locale)


def _rows(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _map(
    sample: list[dict[str, Any]], locale: str | None, width: int = 640, height: int = 360
) -> str:
    """The sample's geometries in longitude/latitude, scaled to fit, each labelled."""
    geoms = [(s, shapely.from_wkt(s["wkt"])) for s in sample if s.get("wkt")]
    if not geoms:
        return f"<p>{_e(translate('No landed row of this table has a geometry.', locale))}</p>"
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
    frame = translate(
        "Frame: {corner} (WGS84). Open the items in QGIS or the map to compare with the source.",
        locale,
        corner=corner,
    )
    described = _e(translate("sample of landed rows", locale))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{described}">{"".join(shapes)}</svg>'
        f"<p>{_e(frame)}</p>"
    )


def migration_report_html(
    report: dict[str, Any], store_counts: dict[str, int] | None = None, locale: str | None = None
) -> str:
    """The report's page in ``locale``'s language (English without one: its words come from
    the catalogues; tables, codes, keys and the source's values stay as they are);
    ``store_counts`` (table → items the store holds of those that landed) adds a check that
    the store agrees with the report.

    >>> page = migration_report_html({"source": "a.csv", "by": "amina", "committed": True,
    ...     "tables": []}, locale="fr")
    >>> "<h1>Migration de a.csv</h1>" in page, "lang='fr'" in page
    (True, True)
    >>> skipped = {"table": "Lookups", "read": 4, "landed": 0, "skipped": 0, "rejected_count": 0,
    ...     "skipped_table": "skip = true in the mapping"}   # as read back from the JSON
    >>> "<p>Ignorée : skip = true dans la correspondance.</p>" in migration_report_html(
    ...     {"source": "a.csv", "tables": [skipped]}, locale="fr")
    True
    """

    def _t(message: str, **values: Any) -> str:
        return translate(message, locale, **values)

    code = normalise_locale(locale)
    if report.get("dry_run"):
        state = _t("dry run: nothing was written")
    else:
        state = _t("committed") if report.get("committed") else _t("refused: nothing was written")
    source = report.get("source")
    run = _t(
        "Run by {by}, {started} to {finished}; {state}.",
        by=report.get("by"),
        started=report.get("started"),
        finished=report.get("finished"),
        state=state,
    )
    parts = [
        f"<!doctype html><html lang='{code}' dir='{direction(code)}'><head><meta charset='utf-8'>",
        f"<title>{_e(_t('Migration report: {source}', source=source))}</title>"
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{_e(_t('Migration of {source}', source=source))}</h1>",
        f"<p>{_e(run)}</p>",
    ]
    for note in report.get("notes") or []:
        parts.append(f"<p class='bad'>{_e(_said(note, locale))}</p>")
    if report.get("attachment_tables"):
        attached = _t(
            "Attachment tables (listed, not migrated): {tables}",
            tables=", ".join(report["attachment_tables"]),
        )
        parts.append(f"<p>{_e(attached)}</p>")
    summary = []
    skipped = _t("skipped")
    later = any(table.get("later_reports") for table in report.get("tables", []))
    for table in report.get("tables", []):
        held = "" if store_counts is None else store_counts.get(table["table"], 0)
        summary.append(
            [
                table["table"],
                table.get("kind") or skipped,
                table["read"],
                table["landed"],
                table.get("transformed_rows", 0),
                *([table.get("later_reports", 0)] if later else []),
                table["skipped"],
                table["rejected_count"],
                held,
            ]
        )
    header = [
        _t("table"),
        _t("becomes"),
        _t("read"),
        _t("landed"),
        _t("of them with a value transformed"),
        *([_t("later reports of those items")] if later else []),
        _t("skipped (landed before)"),
        _t("rejected"),
    ]
    parts.append(
        f"<h2>{_e(_t('Tables'))}</h2>"
        + _rows(
            header + ([_t("store holds")] if store_counts is not None else []),
            [r if store_counts is not None else r[:-1] for r in summary],
        )
    )
    for table in report.get("tables", []):
        name = table["table"]
        becomes = table.get("kind") or skipped
        parts.append(f"<h2 id='{_e(name)}'>{_e(name)} → {_e(becomes)}</h2>")
        if table.get("skipped_table"):
            why = _t("Skipped: {reason}.", reason=_said(table["skipped_table"], locale))
            parts.append(f"<p>{_e(why)}</p>")
            continue
        if table["transformed"]:
            parts.append(
                f"<h3>{_e(_t('Transformed'))}</h3>"
                + _rows(
                    [_t("field"), _t("column"), _t("from"), _t("to"), _t("rows")],
                    [
                        [x["field"], x["column"], x["from"], x["to"], x["rows"]]
                        for x in table["transformed"]
                    ],
                )
            )
        if table["rejected"]:
            parts.append(
                f"<h3 class='bad'>{_e(_t('Rejected'))}</h3>"
                + _rows(
                    [_t("file"), _t("table"), _t("row"), _t("field"), _t("reason")],
                    [
                        [r["file"], r["table"], r["row"], r["field"], _said(r["reason"], locale)]
                        for r in table["rejected"]
                    ],
                )
            )
        if table.get("places") or table.get("unmatched_places"):
            parts.append(
                f"<h3>{_e(_t('Places without coordinates'))}</h3>"
                + _rows(
                    [_t("matched by"), _t("rows")], [[k, v] for k, v in table["places"].items()]
                )
            )
            if table["unmatched_places"]:
                parts.append(
                    f"<p class='bad'>{_e(_t('Not found in the gazetteer:'))}</p>"
                    + _rows(
                        [_t("name or P-code"), _t("rows")],
                        [[k, v] for k, v in table["unmatched_places"].items()],
                    )
                )
        if table["sample"]:
            parts.append(
                f"<h3>{_e(_t('Sample to check on a map'))}</h3>" + _map(table["sample"], locale)
            )
            parts.append(
                _rows(
                    [_t("item"), _t("row"), _t("key"), "lon", "lat"],
                    [
                        [s["item_code"], s["row"], s["key"], s["lon"], s["lat"]]
                        for s in table["sample"]
                    ],
                )
            )
    parts.append("</body></html>")
    return "\n".join(parts)
