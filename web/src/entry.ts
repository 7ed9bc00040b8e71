// The data-entry page: any kind's form, rendered from the server's description of it
// (/api/entry-forms, built from the domain schema; formfields.ts draws the controls). Its place is
// drawn on the map beside the areas already recorded, or imported from a GeoJSON file; before
// anything is sent the server previews the geometry as it would store it (area, repairs,
// warnings), and a repair must be acknowledged. Errors are shown next to the field they name.
import { TerraDraw, TerraDrawPointMode, TerraDrawPolygonMode } from "terra-draw";
import { TerraDrawMapLibreGLAdapter } from "terra-draw-maplibre-gl-adapter";
import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import { ApiError, get, post, request, requireRole, type User } from "./api";
import { bounds, createMap } from "./basemap";
import { $, h, status } from "./dom";
import { formatArea, label, locale, t } from "./i18n";
import { fillField, parseNumber, readField, renderField, setError, setPicker, type FieldDesc, type FormDesc } from "./formfields";
import { renderHeader } from "./nav";

interface Report {
  code: string;
  kind: string;
  state: string;
  date_of_information: string;
  source: string | null;
  changes: Record<string, unknown>;
  geometry: GeoJSON.Geometry | null;
}
interface Preview {
  accepted: boolean;
  error: string | null;
  area_m2: number;
  stored_area_m2: number | null;
  repairs: { rule: string; message: string }[];
  warnings: { rule: string; message: string }[];
  geometry: GeoJSON.Geometry | null;
}

const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };

let forms: FormDesc[] = [];
let user: User;
let draw: TerraDraw | null = null;
let imported: GeoJSON.Geometry | null = null;
let editing: { code: string; etag: string } | null = null;
let preview: Preview | null = null;
let previewing: Promise<void> | null = null;

window.minewatch = window.minewatch ?? {};

const form = () => forms.find((k) => k.kind === ($("#f-kind") as HTMLSelectElement).value)!;
const inputOf = (name: string) => document.getElementById(`f-${name}`) as HTMLInputElement | null;
const allFields = (): FieldDesc[] => [...form().report_fields, ...form().fields];

// --- the fields ----------------------------------------------------------------------------

function renderFields(): void {
  const info = form();
  $("#report-fields").replaceChildren(...info.report_fields.map(renderField));
  const shown = info.fields.filter((f) => !f.personal || user.personal_data);
  $("#fields").replaceChildren(...shown.map(renderField));
  for (const f of allFields()) {
    const box = document.querySelector(`[data-field="${f.name}"]`);
    // Checked as focus leaves the field, except towards a Save button: a message appearing
    // then would move the button from under the pointer and the click would be lost (Save
    // checks every field anyway).
    box?.addEventListener("focusout", (e) => {
      if (!((e as FocusEvent).relatedTarget as Element | null)?.closest?.(".actions")) validateField(f);
    });
    box?.addEventListener("change", (e) => {
      if ((e.target as Element).matches("select, input[type=checkbox]")) validateField(f);
    });
  }
  const org = inputOf("organisation_code");
  if (org && user.role === "data_worker" && user.organisation_code) {
    void setPicker(org, "organisation", user.organisation_code);
    org.readOnly = true;
  }
  const today = new Date().toISOString().slice(0, 10);
  (inputOf("date_of_information") as HTMLInputElement).value = today;
  $("#geometry-section").hidden = !info.geometry_type;
  $("#typed-point").hidden = info.geometry_type !== "POINT";
  $("#draw-help").textContent = info.geometry_type === "POINT"
    ? t("Click on the map to place the point; click again elsewhere to move it.")
    : t("Click on the map to place each corner; click the first corner again to close the polygon. Draw several polygons for a multi-part area.");
  $("#entry-title").textContent = editing ? t("Edit {code}", { code: editing.code }) : t("New report: {kind}", { kind: info.label });
  setDrawMode();
}

function validateField(f: FieldDesc): boolean {
  try {
    const v = readField(f);
    if (f.required && v === undefined) return setError(f.name, t("Enter “{what}”.", { what: f.label }));
    if (f.name === "date_of_information" && typeof v === "string" && v > new Date().toISOString().slice(0, 10)) {
      return setError(f.name, t("The date of information cannot be in the future."));
    }
    return setError(f.name, "");
  } catch (e) {
    return setError(f.name, (e as Error).message);
  }
}

// --- geometry: draw or import, and the server's preview -----------------------------------

function drawnGeometry(): GeoJSON.Geometry | null {
  if (imported) return imported;
  if (!draw) return null;
  const features = draw.getSnapshot().filter((f) => f.properties.mode !== "select");
  const polygons = features.filter((f) => f.geometry.type === "Polygon" && !(f.properties as any).currentlyDrawing);
  const points = features.filter((f) => f.geometry.type === "Point");
  if (form().geometry_type === "POINT") return points.length ? points[points.length - 1].geometry : null;
  if (polygons.length === 0) return null;
  if (polygons.length === 1 || form().geometry_type === "POLYGON") return polygons[polygons.length - 1].geometry;
  return { type: "MultiPolygon", coordinates: polygons.map((p) => (p.geometry as GeoJSON.Polygon).coordinates) };
}

function showPreview(g: GeoJSON.Geometry | null, p: Preview | null): void {
  const box = $("#geometry-preview");
  const ack = $("#repair-ack") as HTMLElement;
  ($("#ack-repair") as HTMLInputElement).checked = false;
  ack.hidden = true;
  if (!g) {
    box.replaceChildren(h("p", { class: "note", text: t("Nothing drawn yet.") }));
    return;
  }
  if (!p) {
    box.replaceChildren(h("p", { class: "note", text: t("Checking the geometry…") }));
    return;
  }
  const lines: HTMLElement[] = [];
  if (g.type === "Point") {
    lines.push(h("p", { text: t("Point at {lon}, {lat} (longitude, latitude).", { lon: (g.coordinates as number[])[0].toFixed(5), lat: (g.coordinates as number[])[1].toFixed(5) }) }));
  } else if (p.accepted) {
    lines.push(h("p", {}, "Area: ", h("strong", { id: "geometry-area", text: formatArea(p.stored_area_m2 ?? p.area_m2) }), imported ? " (imported)" : ""));
  }
  if (!p.accepted) setError("geometry", t("This geometry cannot be saved: {error}", { error: p.error ?? "" }));
  else setError("geometry", "");
  for (const r of p.repairs) {
    lines.push(h("p", { class: "warning repair" }, h("strong", { text: `${t("Will be repaired:")} ` }), `${formatArea(p.area_m2)} → ${formatArea(p.stored_area_m2 ?? 0)}. `, r.message));
  }
  for (const w of p.warnings) lines.push(h("p", { class: "warning", text: `Check: ${w.message}` }));
  box.replaceChildren(...lines);
  ack.hidden = p.repairs.length === 0;
}

async function describeGeometry(): Promise<void> {
  const g = drawnGeometry();
  window.minewatch.geometry = g;
  preview = null;
  if (g) setError("geometry", "");
  showPreview(g, null);
  if (!g) return;
  const run = (async () => {
    try {
      const p = await post<Preview>(`/api/entry-forms/${form().kind}/geometry`, { geometry: g });
      if (JSON.stringify(drawnGeometry()) !== JSON.stringify(g)) return; // drawn again meanwhile
      preview = p;
      showPreview(g, p);
      if (p.geometry && p.repairs.length) showRepaired(window.minewatch.map, p.geometry);
    } catch (e) {
      setError("geometry", (e as ApiError).message);
    }
  })();
  previewing = run;
  await run;
  window.minewatch.preview = preview;
}

function setDrawMode(): void {
  if (!draw) return;
  const mode = form().geometry_type === "POINT" ? "point" : "polygon";
  if (draw.getMode() !== mode) draw.setMode(mode);
}

function setSource(map: MapLibreMap, name: string, g: GeoJSON.Geometry | null): GeoJSON.FeatureCollection {
  const fc: GeoJSON.FeatureCollection = g ? { type: "FeatureCollection", features: [{ type: "Feature", geometry: g, properties: {} }] } : EMPTY;
  (map.getSource(name) as GeoJSONSource | undefined)?.setData(fc);
  return fc;
}

function showImported(map: MapLibreMap, g: GeoJSON.Geometry | null): void {
  const b = bounds(setSource(map, "imported", g));
  setSource(map, "repaired", null);
  if (b) map.fitBounds(b, { padding: 40, maxZoom: 15, duration: 0 });
}

function showRepaired(map: MapLibreMap | undefined, g: GeoJSON.Geometry | null): void {
  if (map) setSource(map, "repaired", g);
}

function geometryOf(json: any): { geometry: GeoJSON.Geometry; properties: Record<string, unknown> } {
  if (json?.type === "FeatureCollection") {
    if (!json.features?.length) throw new Error(t("The file has no features."));
    if (json.features.length > 1) throw new Error(`The file has ${json.features.length} features; import one at a time.`);
    return geometryOf(json.features[0]);
  }
  if (json?.type === "Feature") return { geometry: json.geometry, properties: json.properties ?? {} };
  if (json?.type && "coordinates" in json) return { geometry: json, properties: {} };
  throw new Error(t("This is not GeoJSON (a Feature, FeatureCollection or geometry)."));
}

function fillFields(values: Record<string, unknown>): void {
  for (const f of allFields()) if (f.name in values) fillField(f, values[f.name]);
}

async function addExistingAreas(map: MapLibreMap): Promise<GeoJSON.FeatureCollection> {
  const existing = await get<GeoJSON.FeatureCollection>("/api/items/hazardous_area?limit=10000").catch(() => EMPTY);
  map.addSource("existing", { type: "geojson", data: existing });
  map.addLayer({ id: "existing-fill", type: "fill", source: "existing", paint: { "fill-color": "#b2182b", "fill-opacity": 0.15 } });
  map.addLayer({ id: "existing-line", type: "line", source: "existing", paint: { "line-color": "#b2182b", "line-width": 1.5, "line-dasharray": [2, 1] } });
  // At a national zoom areas are a few pixels: a dot at each keeps them in sight.
  map.addLayer({ id: "existing-dot", type: "circle", source: "existing", maxzoom: 11, paint: { "circle-radius": 4, "circle-color": "#b2182b", "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
  window.minewatch.existingAreas = existing.features.length;
  return existing;
}

async function setUpMap(): Promise<void> {
  const map = await createMap("draw-map");
  window.minewatch.map = map;
  const existing = await addExistingAreas(map);
  for (const [name, colour] of [["imported", "#3182bd"], ["repaired", "#e6550d"]]) {
    map.addSource(name, { type: "geojson", data: EMPTY });
    map.addLayer({ id: `${name}-fill`, type: "fill", source: name, paint: { "fill-color": colour, "fill-opacity": 0.3 } });
    map.addLayer({ id: `${name}-line`, type: "line", source: name, paint: { "line-color": colour, "line-width": 2 } });
    map.addLayer({ id: `${name}-point`, type: "circle", source: name, filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 6, "circle-color": colour } });
  }
  const b = bounds(existing);
  if (b) map.fitBounds(b, { padding: 40, maxZoom: 12, duration: 0 });
  draw = new TerraDraw({ adapter: new TerraDrawMapLibreGLAdapter({ map }), modes: [new TerraDrawPolygonMode(), new TerraDrawPointMode()] });
  draw.start();
  setDrawMode();
  window.minewatch.draw = draw;
  draw.on("finish", () => {
    imported = null;
    showImported(map, null);
    void describeGeometry();
  });
  $("#clear-geometry").addEventListener("click", () => {
    draw?.clear();
    imported = null;
    showImported(map, null);
    void describeGeometry();
  });
  $("#import-geojson").addEventListener("change", async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const { geometry, properties } = geometryOf(JSON.parse(await file.text()));
      draw?.clear();
      imported = geometry;
      showImported(map, geometry);
      fillFields(properties);
      status(`Imported ${file.name}.`, "ok");
      await describeGeometry();
    } catch (e) {
      setError("geometry", `Could not import ${file.name}: ${(e as Error).message}`);
    }
  });
  typedPoint(map);
  window.minewatch.setGeometry = async (g: GeoJSON.Geometry) => {
    draw?.clear();
    imported = g;
    showImported(map, g);
    await describeGeometry();
  };
  showPreview(null, null);
  window.minewatch.mapReady = true;
}

/** The point typed as latitude and longitude, for whoever cannot click on the map (the
 * keyboard, a screen reader) or has the coordinates from a GPS: placed like an imported one. */
function typedPoint(map: MapLibreMap): void {
  const lat = $("#typed-lat") as HTMLInputElement;
  const lon = $("#typed-lon") as HTMLInputElement;
  const read = (input: HTMLInputElement, label: string, limit: number): number => {
    const n = parseNumber({ name: input.id, label, control: "number", minimum: -limit, maximum: limit } as FieldDesc, input.value);
    if (n === undefined) throw new Error(t("Type both the latitude and the longitude."));
    return n;
  };
  const place = async (): Promise<void> => {
    let point: [number, number];
    try {
      point = [read(lon, t("Longitude"), 180), read(lat, t("Latitude"), 90)];
    } catch (e) {
      setError("geometry", t("{problem} (latitude −90 to 90, longitude −180 to 180, in decimal degrees)", { problem: (e as Error).message }));
      return;
    }
    setError("geometry", "");
    draw?.clear();
    imported = { type: "Point", coordinates: point };
    showImported(map, imported);
    map.jumpTo({ center: point, zoom: Math.max(map.getZoom(), 13) });
    await describeGeometry();
  };
  $("#typed-place").addEventListener("click", () => void place());
  for (const input of [lat, lon]) {
    input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault(); // Enter places the point; it does not save the whole form
      void place();
    });
  }
}

// --- saving --------------------------------------------------------------------------------

function collect(): { changes: Record<string, unknown>; valid: boolean } {
  const changes: Record<string, unknown> = {};
  let valid = true;
  for (const f of form().fields) {
    if (!document.querySelector(`[data-field="${f.name}"]`)) continue;
    valid = validateField(f) && valid;
    try {
      const v = readField(f);
      if (v !== undefined) changes[f.name] = v;
    } catch {
      /* shown by validateField */
    }
  }
  for (const f of form().report_fields) valid = validateField(f) && valid;
  const g = drawnGeometry();
  if (form().geometry_type && !g && !editing) {
    valid = setError("geometry", form().geometry_type === "POINT" ? "Place the point on the map." : "Draw the area on the map or import a GeoJSON file.") && valid;
  } else if (g && preview && !preview.accepted) {
    valid = false;
  } else if (g && preview?.repairs.length && !($("#ack-repair") as HTMLInputElement).checked) {
    valid = setError("geometry", t("The geometry will be repaired: look at the repaired outline and tick the box to accept it, or redraw it.")) && valid;
  }
  return { changes, valid };
}

async function save(andSubmit: boolean): Promise<void> {
  if (previewing) await previewing;
  const { changes, valid } = collect();
  if (!valid) {
    status(t("Some fields need attention."), "error");
    (document.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
    return;
  }
  const geometry = form().geometry_type ? drawnGeometry() : null;
  const date = readField(form().report_fields[0]) as string;
  const source = (inputOf("source")?.value ?? "").trim() || null;
  try {
    let report: Report;
    if (editing) {
      report = (await request<Report>("PUT", `/api/reports/${editing.code}`, { changes, geometry, date_of_information: date }, { "If-Match": editing.etag })).data;
    } else {
      const organisation_code = user.role === "data_worker" ? user.organisation_code : null;
      report = (await request<Report>("POST", "/api/reports", { kind: form().kind, date_of_information: date, changes, geometry, source, organisation_code })).data;
    }
    if (andSubmit) report = await post<Report>(`/api/reports/${report.code}/submit`);
    status(andSubmit ? t("Report {code} submitted for review.", { code: report.code }) : t("Report {code} saved as a draft.", { code: report.code }), "ok");
    document.body.dataset.saved = report.code;
    window.minewatch.saved = report;
    setTimeout(() => (location.href = `/queue.html?saved=${report.code}`), 600);
  } catch (err) {
    const e = err as ApiError;
    const field = (e.field ?? "").split(".")[0];
    if (e.status === 412) status(t("Someone else changed this draft since you opened it. Reload to see their version, then edit again."), "error");
    else if (field && document.getElementById(`f-${field}-error`)) {
      setError(field, e.message);
      status(t("The server found a problem with one field."), "error");
      (document.querySelector(`[data-field="${field}"] input, [data-field="${field}"] select, #f-${field}`) as HTMLElement | null)?.focus();
    } else status(e.message, "error");
  }
}

async function loadForEdit(code: string): Promise<void> {
  const answer = await request<Report>("GET", `/api/reports/${code}`);
  const report = answer.data;
  if (report.state !== "draft") {
    status(t("{code} is {state}; only drafts can be edited.", { code, state: label("ReportState", report.state) }), "error");
    ($("#report-form") as HTMLFormElement).inert = true;
  }
  editing = { code, etag: answer.etag ?? "" };
  ($("#f-kind") as HTMLSelectElement).value = report.kind;
  ($("#f-kind") as HTMLSelectElement).disabled = true;
  renderFields();
  fillFields({ ...report.changes, date_of_information: report.date_of_information, source: report.source });
  if (report.geometry) {
    imported = report.geometry;
    showImported(window.minewatch.map, report.geometry);
    await describeGeometry();
  }
}

async function main(): Promise<void> {
  await renderHeader(); // loads the vocabulary: the forms come in the reader's language
  const who = await requireRole("data_worker", "reviewer", "admin");
  if (!who) {
    status(t("Your role cannot create reports."), "error");
    return;
  }
  user = who;
  forms = await get<FormDesc[]>(`/api/entry-forms?lang=${encodeURIComponent(locale())}`);
  const select = $("#f-kind") as HTMLSelectElement;
  select.replaceChildren(...forms.map((k) => h("option", { value: k.kind, text: k.label })));
  select.value = new URLSearchParams(location.search).get("kind") ?? "hazardous_area";
  if (!select.value) select.value = "hazardous_area";
  select.addEventListener("change", () => {
    draw?.clear();
    imported = null;
    renderFields();
    void describeGeometry();
  });
  renderFields();
  window.minewatch.formReady = true;
  await setUpMap();
  const code = new URLSearchParams(location.search).get("report");
  if (code) await loadForEdit(code);
  ($("#report-form") as HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    void save(submitter?.value === "submit");
  });
}

main().catch((e) => status(String(e), "error"));
