// The data-entry form: a report's fields come from the API's schema (/api/kinds); its place
// is drawn on the map with terra-draw or imported from a GeoJSON file. Values are checked as
// they are typed, and the server's own validation errors are shown at the field they name.
import { TerraDraw, TerraDrawPointMode, TerraDrawPolygonMode } from "terra-draw";
import { TerraDrawMapLibreGLAdapter } from "terra-draw-maplibre-gl-adapter";
import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import { ApiError, get, post, request, requireRole, type User } from "./api";
import { bounds, createMap } from "./basemap";
import { $, h, label, status } from "./dom";
import { renderHeader } from "./nav";

interface FieldInfo {
  name: string;
  storage: string;
  many: boolean;
  personal: boolean;
  values: string[] | null;
}
interface KindInfo {
  kind: string;
  geometry_type: string | null;
  fields: FieldInfo[];
}
interface Report {
  code: string;
  kind: string;
  state: string;
  date_of_information: string;
  source: string | null;
  changes: Record<string, unknown>;
  geometry: GeoJSON.Geometry | null;
}

const SYSTEM = new Set(["id", "code", "version", "date_of_information", "external_id"]);
const JSON_EXAMPLES: Record<string, string> = {
  evidence: '[{"type": "eo_seen", "source": "seen", "note": "PMN-2 seen by farmer"}]',
  blockages: '[{"type": "agriculture"}]',
  beneficiaries: '{"girls": 0, "boys": 0, "women": 0, "men": 0}',
  non_conformities: '[{"severity": "minor", "description": "marking incomplete"}]',
};
const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };

let kinds: KindInfo[] = [];
let user: User;
let draw: TerraDraw | null = null;
let imported: GeoJSON.Geometry | null = null;
let editing: { code: string; etag: string } | null = null;

window.minewatch = window.minewatch ?? {};

const kindInfo = () => kinds.find((k) => k.kind === ($("#f-kind") as HTMLSelectElement).value)!;
const inputOf = (name: string) => document.getElementById(`f-${name}`) as HTMLInputElement | null;

function setError(name: string, message: string): boolean {
  const el = document.getElementById(`f-${name}-error`);
  if (el) el.textContent = message;
  inputOf(name)?.setAttribute("aria-invalid", message ? "true" : "false");
  return !message;
}

// --- fields from the schema --------------------------------------------------------------

function control(f: FieldInfo): HTMLElement {
  const id = `f-${f.name}`;
  const described = `${id}-error`;
  if (f.values && f.many) {
    return h(
      "fieldset",
      { id, class: "choices", "aria-describedby": described },
      h("legend", { text: label(f.name) }),
      ...f.values.map((v) =>
        h("label", {}, h("input", { type: "checkbox", name: f.name, value: v }), ` ${label(v)}`),
      ),
    );
  }
  if (f.values) {
    return h(
      "select",
      { id, name: f.name, "aria-describedby": described },
      h("option", { value: "", text: "— not recorded —" }),
      ...f.values.map((v) => h("option", { value: v, text: label(v) })),
    );
  }
  if (f.storage === "boolean") {
    return h(
      "select",
      { id, name: f.name, "aria-describedby": described },
      h("option", { value: "", text: "— not recorded —" }),
      h("option", { value: "true", text: "yes" }),
      h("option", { value: "false", text: "no" }),
    );
  }
  if (f.storage === "json" || f.name === "description") {
    return h("textarea", {
      id,
      name: f.name,
      rows: 3,
      "aria-describedby": described,
      placeholder: JSON_EXAMPLES[f.name] ?? "",
    });
  }
  // Numbers are text inputs with a numeric keyboard (type=number silently drops what it
  // cannot parse, so the user would never see why their value vanished).
  const type = { date: "date", datetime: "datetime-local" }[f.storage] ?? "text";
  const inputmode = { integer: "numeric", real: "decimal" }[f.storage] ?? null;
  return h("input", { id, name: f.name, type, inputmode, "aria-describedby": described });
}

function renderFields(): void {
  const info = kindInfo();
  const shown = info.fields.filter((f) => !SYSTEM.has(f.name) && f.storage !== "geometry" && (!f.personal || user.personal_data));
  const box = $("#fields");
  box.replaceChildren(
    ...shown.map((f) => {
      const c = control(f);
      const wrap = h("div", { class: "field", "data-field": f.name });
      if (c.tagName !== "FIELDSET") wrap.append(h("label", { for: c.id, text: label(f.name) }));
      if (f.personal) wrap.append(h("span", { class: "badge", text: "personal data" }));
      wrap.append(c, h("p", { class: "error", id: `f-${f.name}-error`, "aria-live": "polite" }));
      c.addEventListener("change", () => validateField(f));
      c.addEventListener("blur", () => validateField(f));
      return wrap;
    }),
  );
  const org = inputOf("organisation_code");
  if (org && user.role === "data_worker" && user.organisation_code) {
    org.value = user.organisation_code;
    org.readOnly = true;
  }
  $("#geometry-section").hidden = !info.geometry_type;
  setDrawMode();
}

function rawValue(f: FieldInfo): string | string[] {
  if (f.values && f.many) {
    return [...document.querySelectorAll<HTMLInputElement>(`input[name="${f.name}"]:checked`)].map((i) => i.value);
  }
  return (inputOf(f.name)?.value ?? "").trim();
}

/** The field's value as the API takes it, or undefined when blank; throws with a message. */
function parsed(f: FieldInfo): unknown {
  const raw = rawValue(f);
  if (Array.isArray(raw)) return raw.length ? raw : undefined;
  if (raw === "") return undefined;
  if (f.storage === "integer") {
    if (!/^-?\d+$/.test(raw)) throw new Error("Enter a whole number.");
    return Number(raw);
  }
  if (f.storage === "real") {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error("Enter a number.");
    if (n < 0 && f.name.endsWith("_m2")) throw new Error("An area cannot be negative.");
    return n;
  }
  if (f.storage === "json") {
    try {
      return JSON.parse(raw);
    } catch {
      throw new Error(`Enter valid JSON, for example ${JSON_EXAMPLES[f.name] ?? "{}"}.`);
    }
  }
  if (f.storage === "boolean") return raw === "true";
  return raw;
}

function validateField(f: FieldInfo): boolean {
  try {
    parsed(f);
    return setError(f.name, "");
  } catch (e) {
    return setError(f.name, (e as Error).message);
  }
}

function validateDate(): boolean {
  const value = (inputOf("date_of_information") as HTMLInputElement).value;
  if (!value) return setError("date_of_information", "Enter the date the information describes.");
  if (value > new Date().toISOString().slice(0, 10)) return setError("date_of_information", "The date cannot be in the future.");
  return setError("date_of_information", "");
}

// --- geometry: draw or import ----------------------------------------------------------------

function drawnGeometry(): GeoJSON.Geometry | null {
  if (imported) return imported;
  if (!draw) return null;
  const features = draw.getSnapshot().filter((f) => f.properties.mode !== "select");
  const polygons = features.filter((f) => f.geometry.type === "Polygon" && !(f.properties as any).currentlyDrawing);
  const points = features.filter((f) => f.geometry.type === "Point");
  if (kindInfo().geometry_type === "POINT") return points.length ? points[points.length - 1].geometry : null;
  if (polygons.length === 0) return null;
  if (polygons.length === 1 || kindInfo().geometry_type === "POLYGON") return polygons[polygons.length - 1].geometry;
  return { type: "MultiPolygon", coordinates: polygons.map((p) => (p.geometry as GeoJSON.Polygon).coordinates) };
}

function describeGeometry(): void {
  const g = drawnGeometry();
  window.minewatch.geometry = g;
  const text = !g
    ? "Nothing drawn yet."
    : g.type === "Point"
      ? `Point at ${g.coordinates.map((c) => c.toFixed(5)).join(", ")}.`
      : g.type === "Polygon"
        ? `Polygon with ${g.coordinates[0].length - 1} corners${imported ? " (imported)" : ""}.`
        : `${g.type}${imported ? " (imported)" : ""}.`;
  $("#geometry-summary").textContent = text;
  if (g) setError("geometry", "");
}

function setDrawMode(): void {
  if (!draw) return;
  const mode = kindInfo().geometry_type === "POINT" ? "point" : "polygon";
  if (draw.getMode() !== mode) draw.setMode(mode);
}

function showImported(map: MapLibreMap, g: GeoJSON.Geometry | null): void {
  const fc: GeoJSON.FeatureCollection = g ? { type: "FeatureCollection", features: [{ type: "Feature", geometry: g, properties: {} }] } : EMPTY;
  (map.getSource("imported") as GeoJSONSource).setData(fc);
  const b = bounds(fc);
  if (b) map.fitBounds(b, { padding: 40, maxZoom: 15, duration: 0 });
}

function geometryOf(json: any): { geometry: GeoJSON.Geometry; properties: Record<string, unknown> } {
  if (json?.type === "FeatureCollection") {
    if (!json.features?.length) throw new Error("The file has no features.");
    if (json.features.length > 1) throw new Error(`The file has ${json.features.length} features; import one at a time.`);
    return geometryOf(json.features[0]);
  }
  if (json?.type === "Feature") return { geometry: json.geometry, properties: json.properties ?? {} };
  if (json?.type && "coordinates" in json) return { geometry: json, properties: {} };
  throw new Error("This is not GeoJSON (a Feature, FeatureCollection or geometry).");
}

function fillFields(values: Record<string, unknown>): void {
  for (const f of kindInfo().fields) {
    if (!(f.name in values) || values[f.name] === null) continue;
    const v = values[f.name];
    if (f.values && f.many && Array.isArray(v)) {
      document.querySelectorAll<HTMLInputElement>(`input[name="${f.name}"]`).forEach((i) => (i.checked = v.includes(i.value)));
    } else if (inputOf(f.name)) {
      inputOf(f.name)!.value = typeof v === "object" ? JSON.stringify(v) : String(v);
    }
  }
}

async function setUpMap(): Promise<void> {
  const map = await createMap("draw-map");
  window.minewatch.map = map;
  map.addSource("imported", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "imported-fill", type: "fill", source: "imported", paint: { "fill-color": "#3182bd", "fill-opacity": 0.35 } });
  map.addLayer({ id: "imported-line", type: "line", source: "imported", paint: { "line-color": "#08519c", "line-width": 2 } });
  map.addLayer({ id: "imported-point", type: "circle", source: "imported", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 6, "circle-color": "#08519c" } });
  const existing = await get<GeoJSON.FeatureCollection>("/api/items/hazardous_area?limit=1000").catch(() => EMPTY);
  const b = bounds(existing);
  if (b) map.fitBounds(b, { padding: 40, maxZoom: 12, duration: 0 });
  draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map }),
    modes: [new TerraDrawPolygonMode(), new TerraDrawPointMode()],
  });
  draw.start();
  setDrawMode();
  window.minewatch.draw = draw;
  draw.on("finish", () => {
    imported = null;
    showImported(map, null);
    describeGeometry();
  });
  $("#clear-geometry").addEventListener("click", () => {
    draw?.clear();
    imported = null;
    showImported(map, null);
    describeGeometry();
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
      describeGeometry();
      status(`Imported ${file.name}.`, "ok");
    } catch (e) {
      setError("geometry", `Could not import ${file.name}: ${(e as Error).message}`);
    }
  });
  describeGeometry();
  window.minewatch.mapReady = true;
}

// --- saving -----------------------------------------------------------------------------------

function collect(): { changes: Record<string, unknown>; valid: boolean } {
  const changes: Record<string, unknown> = {};
  let valid = validateDate();
  for (const f of kindInfo().fields) {
    if (!document.querySelector(`[data-field="${f.name}"]`)) continue;
    try {
      const v = parsed(f);
      if (v !== undefined) changes[f.name] = v;
      setError(f.name, "");
    } catch (e) {
      valid = setError(f.name, (e as Error).message) && valid;
    }
  }
  if (kindInfo().geometry_type && !drawnGeometry()) {
    valid = setError("geometry", kindInfo().geometry_type === "POINT" ? "Place the point on the map." : "Draw the area on the map or import a GeoJSON file.") && valid;
  }
  return { changes, valid };
}

async function save(andSubmit: boolean): Promise<void> {
  const { changes, valid } = collect();
  if (!valid) {
    status("Some fields need attention.", "error");
    (document.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
    return;
  }
  const geometry = kindInfo().geometry_type ? drawnGeometry() : null;
  const date = (inputOf("date_of_information") as HTMLInputElement).value;
  const source = (inputOf("source") as HTMLInputElement).value.trim() || null;
  try {
    let report: Report;
    if (editing) {
      const answer = await request<Report>("PUT", `/api/reports/${editing.code}`, { changes, geometry, date_of_information: date }, { "If-Match": editing.etag });
      report = answer.data;
    } else {
      const organisation_code = user.role === "data_worker" ? user.organisation_code : null;
      report = (await request<Report>("POST", "/api/reports", { kind: kindInfo().kind, date_of_information: date, changes, geometry, source, organisation_code })).data;
    }
    if (andSubmit) report = await post<Report>(`/api/reports/${report.code}/submit`);
    status(`Report ${report.code} ${andSubmit ? "submitted for review" : "saved as a draft"}.`, "ok");
    document.body.dataset.saved = report.code;
    window.minewatch.saved = report;
    setTimeout(() => (location.href = `/queue.html?saved=${report.code}`), 600);
  } catch (err) {
    const e = err as ApiError;
    if (e.status === 412) status("Someone else changed this draft since you opened it. Reload to see their version, then edit again.", "error");
    else if (e.field && (document.getElementById(`f-${e.field}-error`) || e.field === "geometry")) {
      setError(e.field, e.message);
      status("The server found a problem with one field.", "error");
    } else status(e.message, "error");
  }
}

async function loadForEdit(code: string): Promise<void> {
  const answer = await request<Report>("GET", `/api/reports/${code}`);
  const report = answer.data;
  if (report.state !== "draft") {
    status(`${code} is ${report.state}; only drafts can be edited.`, "error");
    ($("#report-form") as HTMLFormElement).inert = true;
  }
  editing = { code, etag: answer.etag ?? "" };
  $("#entry-title").textContent = `Edit ${code}`;
  ($("#f-kind") as HTMLSelectElement).value = report.kind;
  ($("#f-kind") as HTMLSelectElement).disabled = true;
  renderFields();
  fillFields(report.changes);
  (inputOf("date_of_information") as HTMLInputElement).value = report.date_of_information;
  (inputOf("source") as HTMLInputElement).value = report.source ?? "";
  if (report.geometry) {
    imported = report.geometry;
    showImported(window.minewatch.map, report.geometry);
    describeGeometry();
  }
}

async function main(): Promise<void> {
  void renderHeader();
  const who = await requireRole("data_worker", "reviewer", "admin");
  if (!who) {
    status("Your role cannot create reports.", "error");
    return;
  }
  user = who;
  kinds = await get<KindInfo[]>("/api/kinds");
  const select = $("#f-kind") as HTMLSelectElement;
  select.replaceChildren(...kinds.map((k) => h("option", { value: k.kind, text: label(k.kind) })));
  select.value = new URLSearchParams(location.search).get("kind") ?? "hazardous_area";
  select.addEventListener("change", () => {
    draw?.clear();
    imported = null;
    renderFields();
    describeGeometry();
  });
  renderFields();
  (inputOf("date_of_information") as HTMLInputElement).value = new Date().toISOString().slice(0, 10);
  inputOf("date_of_information")!.addEventListener("change", validateDate);
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
