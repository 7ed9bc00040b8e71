// The geodata upload's preview: before anything is written, the server reads the file as
// it would import it (a dry run) and answers with its columns, the mapping it used (the
// columns it found by name, or those chosen here), its first rows in WGS84 and every
// rejected row. This module shows that answer: a map of the first rows, a table to choose
// each field's column, the geometry's columns and CRS (an EPSG code, or the file's .prj),
// and the rejected rows. intake.ts owns the form and the final upload.
import type { GeoJSONSource } from "maplibre-gl";
import { bounds, createMap, maplibregl } from "./basemap";
import { h, table } from "./dom";
import { fieldLabel, formatNumber, loadVocabulary, t } from "./i18n";

export interface PreviewRejected {
  file: string | null;
  row: number | string | null;
  field: string | null;
  reason: string;
}

export interface PreviewAnswer {
  kind: string;
  geometry_type: string | null;
  columns: string[];
  layers: string[];
  layer: string | null;
  file_crs: string | null;
  fields: string[];
  mapping: { fields: Record<string, string>; id_column: string | null; geometry: Record<string, string> | null; crs: string | null };
  proposed_geometry: Record<string, string> | null;
  sample: GeoJSON.FeatureCollection;
  read: number;
  landed: number;
  rejected: PreviewRejected[];
  notes: { file: string; row: number | string | null; note: string }[];
}

/** CRSs a mine action programme commonly meets; the input accepts any EPSG code or WKT. */
export const COMMON_CRS: [string, string][] = [
  ["EPSG:4326", "WGS 84, longitude/latitude (GPS)"],
  ["EPSG:3857", "Web Mercator"],
  ["EPSG:4258", "ETRS89, longitude/latitude"],
  ["EPSG:32634", "WGS 84 / UTM zone 34N"],
  ["EPSG:32635", "WGS 84 / UTM zone 35N"],
  ["EPSG:32636", "WGS 84 / UTM zone 36N"],
  ["EPSG:32637", "WGS 84 / UTM zone 37N"],
  ["EPSG:32638", "WGS 84 / UTM zone 38N"],
  ["EPSG:32642", "WGS 84 / UTM zone 42N (Afghanistan)"],
  ["EPSG:32648", "WGS 84 / UTM zone 48N (Cambodia, Laos)"],
  ["EPSG:32633", "WGS 84 / UTM zone 33N"],
  ["EPSG:32632", "WGS 84 / UTM zone 32N"],
  ["EPSG:32735", "WGS 84 / UTM zone 35S"],
  ["EPSG:32736", "WGS 84 / UTM zone 36S"],
  ["EPSG:32737", "WGS 84 / UTM zone 37S"],
  ["EPSG:20136", "Adindan / UTM zone 36N"],
  ["EPSG:22992", "Egypt 1907 / Red Belt"],
  ["EPSG:2100", "GGRS87 / Greek Grid"],
  ["EPSG:3765", "HTRS96 / Croatia TM"],
  ["EPSG:31276", "MGI / Balkans zone 6"],
  ["EPSG:6384", "Ukraine: UCS-2000 / Ukraine TM zone 10"],
];

const NONE = "";
const select = (id: string, name: string, options: string[], chosen: string | null, empty: string) =>
  h(
    "select",
    { id, "aria-label": name },
    h("option", { value: NONE, text: empty }),
    ...options.map((c) => h("option", { value: c, text: c, selected: c === chosen })),
  );

/** The mapping chosen in the preview's controls, as the API's ``mapping`` JSON. */
export function chosenMapping(container: HTMLElement): string | null {
  const fields: Record<string, string> = {};
  container.querySelectorAll<HTMLSelectElement>("select[data-field]").forEach((s) => {
    fields[s.dataset.field!] = s.value;
  });
  if (!Object.keys(fields).length) return null;
  const value = (id: string) => (container.querySelector<HTMLSelectElement>(`#${id}`)?.value ?? "") || null;
  const wkt = value("p-wkt");
  const x = value("p-x");
  const y = value("p-y");
  const geometry = wkt ? { wkt } : x || y ? { x, y } : null;
  return JSON.stringify(geometry ? { fields, geometry } : { fields });
}

function mappingTable(a: PreviewAnswer): HTMLElement {
  const rows = a.fields.map((f) => [
    h("label", { for: `p-field-${f}`, text: fieldLabel(a.kind, f) }),
    (() => {
      const s = select(`p-field-${f}`, fieldLabel(a.kind, f), a.columns, a.mapping.fields[f] ?? null, t("— not imported —"));
      s.dataset.field = f;
      return s;
    })(),
  ]);
  const mapping = table([t("Field"), t("Column in the file")], rows, t("Columns: which column fills each field"));
  mapping.id = "p-mapping";
  return mapping;
}

function geometryControls(a: PreviewAnswer): HTMLElement | null {
  if (a.proposed_geometry === null && a.mapping.geometry === null) return null; // not a CSV
  const g = a.mapping.geometry ?? {};
  const found = a.proposed_geometry
    ? t("Found by name: {columns}.", { columns: Object.entries(a.proposed_geometry).map(([k, v]) => `${k} = ${v}`).join(", ") })
    : t("No geometry column found by name: choose it here.");
  const field = (id: string, text: string, chosen: string | null, empty: string) =>
    h("div", { class: "field" }, h("label", { for: id, text }), select(id, text, a.columns, chosen, empty));
  return h(
    "fieldset",
    { id: "p-geometry", class: "choices" },
    h("legend", { text: t("Geometry columns") }),
    h("p", { class: "note", text: `${found} ${t("Either one WKT column, or an x column (longitude or easting) and a y column (latitude or northing).")}` }),
    h(
      "div",
      { class: "columns three" },
      field("p-wkt", t("WKT column"), g.wkt ?? null, t("— none —")),
      field("p-x", t("X: longitude or easting"), g.x ?? null, t("— none —")),
      field("p-y", t("Y: latitude or northing"), g.y ?? null, t("— none —")),
    ),
  );
}

let previewMap: maplibregl.Map | null = null;

async function drawSample(container: HTMLElement, sample: GeoJSON.FeatureCollection): Promise<void> {
  previewMap?.remove();
  previewMap = await createMap(container.id, { zoom: 1 });
  previewMap.addSource("sample", { type: "geojson", data: sample });
  const ok = ["!", ["get", "rejected"]];
  const colour = ["case", ok, "#1b6b2f", "#a50026"] as unknown as maplibregl.ExpressionSpecification;
  previewMap.addLayer({ id: "p-fill", type: "fill", source: "sample", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": colour, "fill-opacity": 0.35 } });
  previewMap.addLayer({ id: "p-line", type: "line", source: "sample", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": colour, "line-width": 2 } });
  previewMap.addLayer({
    id: "p-point",
    type: "circle",
    source: "sample",
    filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-color": colour, "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 1.5 },
  });
  const b = bounds(sample);
  if (b) previewMap.fitBounds(b, { padding: 40, maxZoom: 15, duration: 0 });
  (previewMap.getSource("sample") as GeoJSONSource).setData(sample);
}

const where = (r: PreviewRejected) => (r.row !== null && r.row !== "" ? t("row {row}", { row: String(r.row) }) : (r.file ?? ""));

/** The preview, drawn into ``container``; resolves once its map has loaded. */
export async function showPreview(container: HTMLElement, a: PreviewAnswer): Promise<void> {
  await loadVocabulary();
  const shown = a.sample.features.length;
  const drawn = a.sample.features.filter((f) => f.geometry).length;
  const rejected = a.rejected.length;
  const summary = t("Preview, nothing written: rows read: {read}; would be imported: {landed}; rejected: {rejected}.", { read: a.read, landed: a.landed, rejected });
  const chosen = a.mapping.crs ? (a.mapping.crs.length > 40 ? t("the CRS of the .prj given") : a.mapping.crs) : null;
  const crsNote = a.file_crs
    ? t("The file declares its CRS: {crs}.", { crs: a.file_crs })
    : chosen
      ? t("Coordinates read in {crs}, shown here in WGS 84.", { crs: chosen })
      : t("The file declares no CRS: coordinates are read as WGS 84 longitude/latitude unless you choose one above.");
  const mapBox = h("div", { id: "p-map", class: "small-map", role: "region", "aria-label": t("Map of the first rows ({count}): green would be imported, red rejected", { count: shown }) });
  container.replaceChildren(
    h("h3", { id: "p-heading", text: t("Preview"), tabindex: "-1" }),
    h("p", { id: "p-summary", text: summary }),
    h("figure", {}, mapBox, h("figcaption", { class: "note", text: t("The first rows ({count}), with a geometry: {drawn}. Green would be imported, red is rejected.", { count: shown, drawn }) })),
    h("p", { class: "note", id: "p-crs-note", text: crsNote }),
    geometryControls(a) ?? "",
    h("details", { open: a.landed === 0 || undefined }, h("summary", { text: t("Columns: which column fills each field") }), mappingTable(a)),
    rejected
      ? (() => {
          const rows = table(
            [t("Where"), t("Field"), t("Reason")],
            a.rejected.map((r) => [where(r), r.field ? fieldLabel(a.kind, r.field) : "—", r.reason]),
            t("Rejected rows ({count})", { count: rejected }),
          );
          rows.id = "p-rejected";
          return h("div", { class: "rejected-box", tabindex: "0", role: "region", "aria-label": t("Rejected rows ({count})", { count: rejected }) }, rows);
        })()
      : h("p", { class: "note", text: t("No row rejected.") }),
  );
  await drawSample(mapBox, a.sample);
}
