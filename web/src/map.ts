// The map page: approved hazardous areas (coloured by release progress, the land release
// accounting's, as on the dashboard; outlined by classification; filtered by hazard type),
// release products, device finds and accidents; a slider shows
// every layer as its approved reports described it on a past date.
import type { FilterSpecification, GeoJSONSource, MapMouseEvent } from "maplibre-gl";
import { get } from "./api";
import { bounds, createMap, maplibregl } from "./basemap";
import { $, h, status } from "./dom";
import { formatDate, formatNumber, label, locale, t } from "./i18n";
import { readableRows } from "./values";
import { renderHeader } from "./nav";
import { FIND_CATEGORY, HAZARD_TYPES, PRODUCT_TYPE, RELEASE_PROGRESS, matchColour } from "./styles";

const KINDS = ["hazardous_area", "release_product", "device_find", "accident", "task_order"] as const;
type LayerKind = (typeof KINDS)[number];
const LAYERS: Record<LayerKind, string[]> = {
  hazardous_area: ["ha-fill", "ha-line-cha", "ha-line-sha", "ha-centre"],
  release_product: ["rp-fill", "rp-line"],
  device_find: ["df-circle"],
  accident: ["acc-circle"],
  task_order: ["task-line"],
};
/** Task orders still to be done: the map shows these (completed and cancelled ones are history). */
const OPEN_TASKS = ["issued", "accepted", "in_progress", "suspended"];
const DAY = 86_400_000;

/** A layer's title in the reader's language (the legend, the toggles, the status line). */
function layerTitle(kind: LayerKind): string {
  switch (kind) {
    case "hazardous_area":
      return t("Hazardous areas");
    case "release_product":
      return t("Release products");
    case "device_find":
      return t("Device finds");
    case "accident":
      return t("Accidents");
    case "task_order":
      return t("Open task orders");
  }
}
const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };

/** What the page exposes for scripts and the browser tests: the map and the loaded layers. */
interface MapPageState {
  map?: maplibregl.Map;
  data: Record<string, GeoJSON.FeatureCollection>;
  asOf: string | null;
}
const state: MapPageState = { data: {}, asOf: null };
window.minewatch = state;

function addLayers(map: maplibregl.Map): void {
  for (const kind of KINDS) map.addSource(kind, { type: "geojson", data: EMPTY, promoteId: "code" });
  map.addLayer({
    id: "rp-fill",
    type: "fill",
    source: "release_product",
    paint: { "fill-color": matchColour("product_type", PRODUCT_TYPE), "fill-opacity": 0.45 },
  });
  map.addLayer({ id: "rp-line", type: "line", source: "release_product", paint: { "line-color": "#2b5f8a", "line-width": 1 } });
  map.addLayer({
    id: "ha-fill",
    type: "fill",
    source: "hazardous_area",
    paint: { "fill-color": matchColour("release_progress", RELEASE_PROGRESS), "fill-opacity": 0.5 },
  });
  map.addLayer({
    id: "ha-line-cha",
    type: "line",
    source: "hazardous_area",
    filter: ["==", ["get", "classification"], "CHA"],
    paint: { "line-color": "#67000d", "line-width": 2 },
  });
  map.addLayer({
    id: "ha-line-sha",
    type: "line",
    source: "hazardous_area",
    filter: ["==", ["get", "classification"], "SHA"],
    paint: { "line-color": "#67000d", "line-width": 1.5, "line-dasharray": [2, 2] },
  });
  map.addLayer({
    id: "df-circle",
    type: "circle",
    source: "device_find",
    paint: {
      "circle-radius": 5,
      "circle-color": matchColour("category", FIND_CATEGORY),
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1,
    },
  });
  // At small scales an area is a few pixels wide and lies under the finds made in it: a
  // marker at its centre, coloured by release progress, shows it until its outline is large enough.
  map.addSource("hazardous_area_centre", { type: "geojson", data: EMPTY });
  map.addLayer({
    id: "ha-centre",
    type: "circle",
    source: "hazardous_area_centre",
    filter: ["<", ["zoom"], ["get", "outline_zoom"]],
    paint: {
      "circle-radius": 7,
      "circle-color": matchColour("release_progress", RELEASE_PROGRESS),
      "circle-stroke-color": "#67000d",
      "circle-stroke-width": 2,
    },
  });
  map.addLayer({
    id: "task-line",
    type: "line",
    source: "task_order",
    filter: ["in", ["get", "status"], ["literal", OPEN_TASKS]],
    paint: { "line-color": "#1b4f9c", "line-width": 3, "line-dasharray": [1, 1] },
  });
  map.addLayer({
    id: "acc-circle",
    type: "circle",
    source: "accident",
    paint: { "circle-radius": 7, "circle-color": "#000000", "circle-stroke-color": "#ffd700", "circle-stroke-width": 2 },
  });
}

/** Where to mark each area at small scales: the centre of its bounding box, and the zoom from
 * which its outline is at least MIN_OUTLINE_PX across (a 512 px world at zoom 0). */
const MIN_OUTLINE_PX = 24;
function centres(fc: GeoJSON.FeatureCollection): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  for (const f of fc.features) {
    const b = bounds({ type: "FeatureCollection", features: [f] });
    if (!b) continue;
    const [w, s, e, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    const size = Math.max(e - w, n - s, 1e-9);
    const outlineZoom = Math.log2((MIN_OUTLINE_PX * 360) / (512 * size));
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [(w + e) / 2, (s + n) / 2] }, properties: { ...f.properties, outline_zoom: outlineZoom } });
  }
  return { type: "FeatureCollection", features };
}

async function fetchLayer(kind: LayerKind, asOf: string | null): Promise<GeoJSON.FeatureCollection> {
  const url = asOf ? `/api/web/layers/${kind}?date=${asOf}` : `/api/items/${kind}?limit=10000`;
  const fc = await get<GeoJSON.FeatureCollection>(url);
  if (kind === "hazardous_area") {
    // Released, partly or not, as the land release accounting measures it (the dashboard's
    // numbers), not the status a report last gave the register.
    const { progress } = await get<{ progress: Record<string, string> }>(`/api/web/release-progress${asOf ? `?date=${asOf}` : ""}`);
    for (const f of fc.features) if (f.properties) f.properties.release_progress = progress[String(f.properties.code)] ?? null;
  }
  return fc;
}

async function load(map: maplibregl.Map, asOf: string | null): Promise<void> {
  status(asOf ? t("Loading the state as known on {date}…", { date: formatDate(asOf) }) : t("Loading the current state…"));
  const collections = await Promise.all(KINDS.map((k) => fetchLayer(k, asOf)));
  KINDS.forEach((kind, i) => {
    state.data[kind] = collections[i];
    (map.getSource(kind) as GeoJSONSource).setData(collections[i]);
  });
  (map.getSource("hazardous_area_centre") as GeoJSONSource).setData(centres(state.data.hazardous_area));
  state.asOf = asOf;
  const shown = (k: LayerKind, fc: GeoJSON.FeatureCollection) =>
    k === "task_order" ? fc.features.filter((f) => OPEN_TASKS.includes(String(f.properties?.status))).length : fc.features.length;
  const counts = new Intl.ListFormat(locale(), { type: "unit" }).format(
    KINDS.map((k, i) => t("{name}: {count}", { name: layerTitle(k), count: shown(k, collections[i]) })),
  );
  status(asOf ? t("As known on {date}: {counts}.", { date: formatDate(asOf), counts }) : t("Current state: {counts}.", { counts }), "ok");
  document.body.dataset.loaded = asOf ?? "current";
}

function layerToggles(map: maplibregl.Map): void {
  const box = $("#layer-toggles");
  for (const kind of KINDS) {
    const input = h("input", { type: "checkbox", id: `show-${kind}`, checked: true });
    input.addEventListener("change", () => {
      for (const id of LAYERS[kind]) map.setLayoutProperty(id, "visibility", input.checked ? "visible" : "none");
    });
    box.append(h("label", { for: `show-${kind}` }, input, ` ${layerTitle(kind)}`));
  }
}

function typeFilter(map: maplibregl.Map): void {
  const box = $("#type-filter");
  const inputs = HAZARD_TYPES.map((t) => h("input", { type: "checkbox", id: `type-${t}`, value: t, checked: true }));
  const none = h("input", { type: "checkbox", id: "type-none", checked: true });
  const apply = () => {
    const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
    const any: any[] = chosen.map((t) => ["in", t, ["get", "hazard_types"]]);
    if (none.checked) any.push(["==", ["length", ["get", "hazard_types"]], 0]);
    const filter = ["any", ...any] as FilterSpecification;
    map.setFilter("ha-fill", filter);
    map.setFilter("ha-line-cha", ["all", ["==", ["get", "classification"], "CHA"], filter] as FilterSpecification);
    map.setFilter("ha-line-sha", ["all", ["==", ["get", "classification"], "SHA"], filter] as FilterSpecification);
    map.setFilter("ha-centre", ["all", ["<", ["zoom"], ["get", "outline_zoom"]], filter] as FilterSpecification);
  };
  [...inputs, none].forEach((i) => i.addEventListener("change", apply));
  inputs.forEach((i) => box.append(h("label", { for: i.id }, i, ` ${label("HazardType", i.value)}`)));
  box.append(h("label", { for: "type-none" }, none, ` ${t("Not recorded")}`));
}

function legend(): void {
  // Each palette is keyed by the codes of one enumeration: the legend shows their labels.
  const swatches = (title: string, enumName: string, palette: Record<string, string>, shape = "square") =>
    h(
      "div",
      {},
      h("h2", { text: title }),
      h(
        "ul",
        { class: "legend" },
        ...Object.entries(palette).map(([k, c]) =>
          h("li", {}, h("span", { class: `swatch ${shape}`, style: `background:${c}`, "aria-hidden": "true" }), ` ${label(enumName, k)}`),
        ),
      ),
    );
  $("#legend").replaceChildren(
    swatches(t("Hazardous areas: release progress"), "ReleaseProgress", RELEASE_PROGRESS),
    h("p", { class: "note", text: t("Solid outline: confirmed (CHA); dashed: suspected (SHA). At small scales a circle with a dark red ring marks each area's centre.") }),
    swatches(layerTitle("release_product"), "ProductType", PRODUCT_TYPE),
    swatches(layerTitle("device_find"), "OrdnanceCategory", FIND_CATEGORY, "round"),
    h("h2", { text: layerTitle("task_order") }),
    h("p", { class: "note", text: t("Dotted blue outline: a task order issued, accepted, in progress or suspended (the tasking board lists them).") }),
  );
}

function popups(map: maplibregl.Map): void {
  const clickable = ["acc-circle", "df-circle", "ha-centre", "ha-fill", "rp-fill", "task-line"];
  map.on("click", (e: MapMouseEvent) => {
    const [f] = map.queryRenderedFeatures(e.point, { layers: clickable });
    if (!f) return;
    const kind = (f.source === "hazardous_area_centre" ? "hazardous_area" : f.source) as LayerKind;
    const code = String(f.properties?.code);
    // The loaded feature, not the map's copy: the map flattens lists and objects to text.
    const feature = state.data[kind]?.features.find((x) => x.properties?.code === code);
    const props = { ...(feature?.properties ?? {}) } as Record<string, unknown>;
    delete props.code;
    const rows = readableRows(kind, props)
      .filter(([, v]) => v !== "—")
      .slice(0, 10)
      .map(([k, v]) => h("tr", {}, h("th", { scope: "row", text: k }), h("td", {}, v)));
    const content = h(
      "div",
      { class: "popup" },
      h("h2", { text: `${label("Kind", kind)} ${code}` }),
      h("table", {}, h("tbody", {}, ...rows)),
      h("a", { href: `/item.html?kind=${kind}&code=${encodeURIComponent(code)}`, text: t("Details and history") }),
    );
    new maplibregl.Popup({ maxWidth: "320px" }).setLngLat(e.lngLat).setDOMContent(content).addTo(map);
  });
  for (const id of clickable) {
    map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
  }
}

function earliestDate(): Date {
  let min = Date.now() - 10 * 365 * DAY;
  for (const fc of Object.values(state.data)) {
    for (const f of fc.features) {
      const d = Date.parse(String(f.properties?.date_of_information ?? ""));
      if (!Number.isNaN(d) && d < min) min = d;
    }
  }
  return new Date(min);
}

function timeSlider(map: maplibregl.Map): void {
  const slider = $("#asof") as HTMLInputElement;
  const output = $("#asof-value");
  const start = earliestDate();
  const days = Math.ceil((Date.now() - start.getTime()) / DAY);
  slider.max = String(days);
  slider.value = String(days);
  const dateAt = (v: number) => new Date(start.getTime() + v * DAY).toISOString().slice(0, 10);
  let timer: number | undefined;
  slider.addEventListener("input", () => {
    const v = Number(slider.value);
    const current = v >= days;
    output.textContent = current ? t("today (current state)") : formatDate(dateAt(v));
    slider.setAttribute("aria-valuetext", output.textContent);
    clearTimeout(timer);
    timer = window.setTimeout(() => load(map, current ? null : dateAt(v)).catch(fail), 250);
  });
  $("#asof-now").addEventListener("click", () => {
    slider.value = String(days);
    slider.dispatchEvent(new Event("input"));
  });
}

function fail(err: Error): void {
  status(t("Could not load the map data: {error}", { error: err.message }), "error");
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary first: the controls and legend are in the reader's language
  const map = await createMap("map");
  state.map = map;
  addLayers(map);
  layerToggles(map);
  typeFilter(map);
  legend();
  popups(map);
  await load(map, null);
  const b = bounds(state.data.hazardous_area ?? { type: "FeatureCollection", features: [] });
  if (b) map.fitBounds(b, { padding: 60, maxZoom: 13, duration: 0 });
  timeSlider(map);
}

main().catch(fail);
