// One item: its current approved state, where it is, and every approved report that made it.
import { get } from "./api";
import { bounds, createMap } from "./basemap";
import { $, h, scrollable, status, table } from "./dom";
import { fieldLabel, formatArea, formatDate, label, t, valueLabel } from "./i18n";
import { displayValue, readableRows } from "./values";
import { renderHeader } from "./nav";

interface HistoryEntry {
  report: {
    code: string;
    action: string;
    date_of_information: string;
    created_by: string | null;
    decided_by: string | null;
    decided_at: string | null;
    changes: Record<string, unknown>;
  };
  state: Record<string, unknown>;
}

/** What the land release accounting says of a hazardous area, beside its register status. */
async function releaseRow(code: string): Promise<[string, string][]> {
  try {
    const page = await get<{ areas: Record<string, unknown>[] }>(`/api/landrelease/areas?area=${encodeURIComponent(code)}`);
    const [row] = page.areas;
    if (!row) return [];
    const released = Number(row.released_m2 ?? 0);
    const original = Number(row.original_m2 ?? 0);
    const words = t("{progress}: {released} of {original}, {remaining} remaining", {
      progress: label("ReleaseProgress", String(row.progress ?? "not_released")),
      released: formatArea(released),
      original: formatArea(original),
      remaining: formatArea(Number(row.remaining_m2 ?? 0)),
    });
    return [[t("Land release (the accounting)"), words]];
  } catch {
    return []; // the accounting needs the release products, which not every reader may see
  }
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary (labels) in the reader's language, before drawing
  const params = new URLSearchParams(location.search);
  const kind = params.get("kind") ?? "";
  const code = params.get("code") ?? "";
  if (!kind || !code) {
    status(t("Open an item from the map or the reports list."), "error");
    return;
  }
  $("#item-title").replaceChildren(`${label("Kind", kind)} `, h("span", { class: "nowrap", text: code }));
  document.title = `${code} · minewatch`;
  const feature = await get<GeoJSON.Feature>(`/api/items/${kind}/${encodeURIComponent(code)}`);
  const props = feature.properties ?? {};
  $("#current").replaceChildren(
    scrollable(table([t("Field"), t("Value")], [...(kind === "hazardous_area" ? await releaseRow(code) : []), ...readableRows(kind, props)])),
  );
  const history = await get<HistoryEntry[]>(`/api/items/${kind}/${encodeURIComponent(code)}/history`);
  $("#history").replaceChildren(
    scrollable(table(
      [t("Report"), t("Date of Information"), t("Action"), t("Reported by"), t("Approved by"), t("Approved at"), t("Changes")],
      history.map((e) => [
        e.report.code,
        formatDate(e.report.date_of_information),
        valueLabel("action", e.report.action),
        e.report.created_by ?? "",
        e.report.decided_by ?? "",
        e.report.decided_at?.slice(0, 16).replace("T", " ") ?? "",
        h("ul", { class: "changes" }, ...Object.entries(e.report.changes).map(([k, v]) => h("li", {}, `${fieldLabel(kind, k)}: `, displayValue(k, v)))),
      ]),
      t("{count} report", { count: history.length }),
    )),
  );
  if (feature.geometry) {
    const fc: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [feature] };
    const map = await createMap("item-map");
    map.addSource("item", { type: "geojson", data: fc });
    map.addLayer({ id: "item-fill", type: "fill", source: "item", filter: ["!=", ["geometry-type"], "Point"], paint: { "fill-color": "#d7301f", "fill-opacity": 0.4 } });
    map.addLayer({ id: "item-point", type: "circle", source: "item", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 7, "circle-color": "#d7301f" } });
    const b = bounds(fc);
    if (b) map.fitBounds(b, { padding: 30, maxZoom: 14, duration: 0 });
  } else {
    $("#item-map").hidden = true;
  }
  document.body.dataset.loaded = "true";
}

main().catch((e) => status(t("Could not load the item: {error}", { error: e.message }), "error"));
