// The review screen's map: the proposed geometry (orange, hatched, dashed outline) over the
// item's current one (blue, solid outline), told apart by pattern and line as well as by
// colour, with a legend in words.
import type { Map as MapLibre } from "maplibre-gl";
import { bounds, createMap } from "./basemap";
import { h } from "./dom";
import { t } from "./i18n";

const PROPOSED = "#b35806";
const CURRENT = "#2166ac";
const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };

let map: MapLibre | null = null;
let element: HTMLElement | null = null;

/** The map's element: one for the page, moved into each report's view (the map library
 * keeps its canvas in it, so a new element would leave the map drawing into nothing). */
export function mapElement(): HTMLElement {
  element ??= h("div", { id: "review-map", class: "small-map", role: "region", "aria-label": t("Map of the proposed and current geometry") });
  return element;
}

/** Diagonal hatching, so the proposed area reads as different without colour vision. */
function hatch(): ImageData {
  const size = 8;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size < 2;
      data.set(on ? [0xb3, 0x58, 0x06, 200] : [0xff, 0xff, 0xff, 0], (y * size + x) * 4);
    }
  }
  return new ImageData(data, size, size);
}

function collection(geometry: GeoJSON.Geometry | null): GeoJSON.FeatureCollection {
  return geometry ? { type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry }] } : EMPTY;
}

async function ensureMap(): Promise<MapLibre> {
  if (map) return map;
  const m = await createMap(mapElement() as any, { keyboard: true });
  m.addImage("hatch", hatch());
  m.addSource("current", { type: "geojson", data: EMPTY });
  m.addSource("proposed", { type: "geojson", data: EMPTY });
  const polygons: any = ["!=", ["geometry-type"], "Point"];
  const points: any = ["==", ["geometry-type"], "Point"];
  m.addLayer({ id: "current-fill", type: "fill", source: "current", filter: polygons, paint: { "fill-color": CURRENT, "fill-opacity": 0.25 } });
  m.addLayer({ id: "current-line", type: "line", source: "current", filter: polygons, paint: { "line-color": CURRENT, "line-width": 2.5 } });
  m.addLayer({ id: "current-point", type: "circle", source: "current", filter: points, paint: { "circle-radius": 9, "circle-color": "#ffffff", "circle-stroke-color": CURRENT, "circle-stroke-width": 3 } });
  m.addLayer({ id: "proposed-fill", type: "fill", source: "proposed", filter: polygons, paint: { "fill-pattern": "hatch" } });
  m.addLayer({ id: "proposed-line", type: "line", source: "proposed", filter: polygons, paint: { "line-color": PROPOSED, "line-width": 3, "line-dasharray": [2, 1.5] } });
  m.addLayer({ id: "proposed-point", type: "circle", source: "proposed", filter: points, paint: { "circle-radius": 5, "circle-color": PROPOSED, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5 } });
  map = m;
  window.minewatch.map = m;
  return m;
}

/** The legend: a sample of each style with its meaning, in words. */
export function mapLegend(hasProposed: boolean, hasCurrent: boolean): HTMLElement {
  const swatch = (cls: string, on: boolean) => (on ? h("span", { class: `swatch ${cls}`, "aria-hidden": "true" }) : null);
  return h(
    "ul",
    { class: "legend inline", id: "review-legend" },
    h("li", {}, swatch("proposed", hasProposed), ` ${hasProposed ? t("Proposed (this report): hatched, dashed outline") : t("No new geometry in this report")}`),
    h("li", {}, swatch("current", hasCurrent), ` ${hasCurrent ? t("Current approved: solid outline") : t("No current geometry (a new item)")}`),
  );
}

/** Shows both geometries and frames them; the map is made once per page and reused. */
export async function showGeometries(proposed: GeoJSON.Geometry | null, current: GeoJSON.Geometry | null): Promise<void> {
  const m = await ensureMap();
  m.resize();
  const both = { type: "FeatureCollection", features: [...collection(proposed).features, ...collection(current).features] } as GeoJSON.FeatureCollection;
  (m.getSource("current") as any).setData(collection(current));
  (m.getSource("proposed") as any).setData(collection(proposed));
  const b = bounds(both);
  if (b) m.fitBounds(b, { padding: 40, maxZoom: 16, duration: 0 });
  // Drawn when the map is idle (or after 3 s on a slow machine), so that "loaded" means seen.
  await Promise.race([new Promise((done) => m.once("idle", done)), new Promise((done) => setTimeout(done, 3000))]);
}
