// The map style every map starts from: the bundled Natural Earth countries (served by the
// API, no network), or a raster tile URL when the server is configured with one. No text
// labels, because glyphs would have to come from a font server.
import * as maplibregl from "maplibre-gl";
import type { StyleSpecification } from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import "maplibre-gl/dist/maplibre-gl.css";
import { get } from "./api";

maplibregl.setWorkerUrl(workerUrl);

export interface WebConfig {
  title: string;
  basemap: { tile_url: string | null; attribution: string; countries: string };
  layers: string[];
}

let config: Promise<WebConfig> | null = null;
export function webConfig(): Promise<WebConfig> {
  config ??= get<WebConfig>("/api/web/config");
  return config;
}

/** The style: countries on a plain sea, or, with ``tiles`` and a configured tile URL, the
 * raster tiles instead (the countries stay as borders above them). */
export function baseStyle(cfg: WebConfig, tiles = true): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {
      countries: { type: "geojson", data: cfg.basemap.countries, attribution: "Natural Earth (public domain)" },
    },
    layers: [
      { id: "sea", type: "background", paint: { "background-color": "#dbe7f0" } },
      { id: "land", type: "fill", source: "countries", paint: { "fill-color": "#f4f1ea" } },
      { id: "borders", type: "line", source: "countries", paint: { "line-color": "#9a9486", "line-width": 0.6 } },
    ],
  };
  if (tiles && cfg.basemap.tile_url) {
    style.sources.tiles = {
      type: "raster",
      tiles: [cfg.basemap.tile_url],
      tileSize: 256,
      attribution: cfg.basemap.attribution,
    };
    style.layers.splice(2, 0, { id: "tiles", type: "raster", source: "tiles" });
  }
  return style;
}

export async function createMap(container: string, options: Partial<maplibregl.MapOptions> = {}, tiles = true) {
  const cfg = await webConfig();
  const map = new maplibregl.Map({
    container,
    style: baseStyle(cfg, tiles),
    center: [20, 20],
    zoom: 1.3,
    attributionControl: { compact: true },
    ...options,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  await new Promise<void>((resolve) => map.once("load", () => resolve()));
  return map;
}

/** The bounds of every coordinate of a FeatureCollection, or null when it is empty. */
export function bounds(fc: GeoJSON.FeatureCollection): maplibregl.LngLatBounds | null {
  const b = new maplibregl.LngLatBounds();
  let any = false;
  const visit = (c: any) => {
    if (typeof c[0] === "number") {
      b.extend(c as [number, number]);
      any = true;
    } else c.forEach(visit);
  };
  for (const f of fc.features) if (f.geometry && "coordinates" in f.geometry) visit(f.geometry.coordinates);
  return any ? b : null;
}

export { maplibregl };
