// Clearance priorities: pick a scenario, read the ranked list page by page, see the areas on
// the map coloured by score or band (and the H3 grid), explain one area's score indicator
// by indicator, see how the ranking moves with the weights, and download the list.
import type { ExpressionSpecification, GeoJSONSource, MapMouseEvent } from "maplibre-gl";
import { ApiError, get } from "./api";
import { bounds, createMap, maplibregl } from "./basemap";
import { $, h, label, scrollable, status, table } from "./dom";
import { renderHeader } from "./nav";

interface Weight { indicator: string; label: string; weight: number; share: number }
interface Scenario { name: string; description: string; weights: Weight[] }
interface Scenarios { default_scenario: string; missing_policy: string; scenarios: Scenario[] }
interface Coverage { indicator: string; label: string; weight_share: number; source: string; known: number; missing: number }
interface Area {
  rank: number;
  code: string;
  name: string | null;
  score: number;
  lis_points: number;
  lis_band: string;
  top_indicators: { indicator: string; label: string; contribution: number }[];
}
interface Ranking {
  scenario: string;
  as_of: string;
  numberMatched: number;
  numberReturned: number;
  areas: Area[];
  coverage: Coverage[];
  missing_policy: string;
}
interface Reason { indicator: string; label: string; value: number | null; unit: string; normalised: number; weight_share: number; contribution: number }
interface Explanation { code: string; name: string | null; rank: number; of: number; score: number; lis_points: number; lis_band: string; indicators: Reason[] }
interface Perturbation { indicator: string; step: number; weight: number; kendall_tau: number; top_k_kept: number; max_rank_shift: number }
interface Sensitivity {
  top_k: number;
  perturbations: Perturbation[];
  areas: { code: string; base_rank: number; best_rank: number; worst_rank: number; rank_range: number }[];
}

const PAGE = 20;
const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };
/** ColorBrewer YlOrRd: more intense means a higher priority. */
const SCORE_RAMP: ExpressionSpecification = ["interpolate", ["linear"], ["get", "score"], 0, "#ffffb2", 25, "#fecc5c", 50, "#fd8d3c", 75, "#f03b20", 100, "#bd0026"];
const GRID_RAMP: ExpressionSpecification = ["interpolate", ["linear"], ["get", "max_score"], 0, "#ffffb2", 50, "#fd8d3c", 100, "#bd0026"];
const BANDS: Record<string, string> = { low: "#fecc5c", medium: "#f03b20", high: "#800026" };
const BAND_COLOUR: ExpressionSpecification = ["match", ["get", "lis_band"], "low", BANDS.low, "medium", BANDS.medium, "high", BANDS.high, "#666666"];
const SOURCES: Record<string, string> = { store: "the store's records", context: "a context layer of the server", "not configured": "no context layer configured" };

/** Page state, exposed for scripts and the browser tests. */
interface PriorityState {
  map?: maplibregl.Map;
  scenarios?: Scenarios;
  ranking?: Ranking;
  explanation?: Explanation;
  sensitivity?: Sensitivity;
  offset: number;
  /** Increases with every ranking asked for, so that a slower, older answer is dropped. */
  asked: number;
}
const state: PriorityState = { offset: 0, asked: 0 };
window.minewatch = state;

const scenarioSelect = () => $("#p-scenario") as HTMLSelectElement;
const asOfInput = () => $("#p-as_of") as HTMLInputElement;
const fmt = (v: number, digits = 1) => v.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function query(extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams({ scenario: scenarioSelect().value });
  if (asOfInput().value) params.set("as_of", asOfInput().value);
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  return params.toString();
}

function setError(name: string, message: string): boolean {
  $(`#p-${name}-error`).textContent = message;
  $(`#p-${name}`).setAttribute("aria-invalid", message ? "true" : "false");
  return !message;
}

function validate(): boolean {
  setError("scenario", "");
  setError("as_of", "");
  const day = asOfInput().value;
  if (day && !(/^\d{4}-\d{2}-\d{2}$/.test(day) && Date.parse(day) >= Date.parse("1900-01-01"))) {
    return setError("as_of", "Enter a date after 1900 as YYYY-MM-DD, or leave it empty for today.");
  }
  return true;
}

function describeScenario(): void {
  const chosen = state.scenarios?.scenarios.find((s) => s.name === scenarioSelect().value);
  if (!chosen) return;
  const weights = chosen.weights.filter((w) => w.weight > 0).map((w) => `${w.label} ${Math.round(w.share * 100)}%`);
  $("#p-scenario-description").textContent = `${chosen.description} Weights: ${weights.join("; ")}.`;
}

async function loadScenarios(): Promise<void> {
  const answer = await get<Scenarios>("/api/priority/scenarios");
  state.scenarios = answer;
  const wanted = new URLSearchParams(location.search).get("scenario") ?? answer.default_scenario;
  scenarioSelect().replaceChildren(
    ...answer.scenarios.map((s) => h("option", { value: s.name, text: label(s.name), selected: s.name === wanted })),
  );
  describeScenario();
}

function coverage(r: Ranking): void {
  const missing = r.coverage.filter((c) => c.missing > 0);
  const rows = r.coverage.map((c) => [
    c.label,
    `${Math.round(c.weight_share * 100)}%`,
    SOURCES[c.source] ?? c.source,
    `${c.known} of ${c.known + c.missing}`,
  ]);
  $("#p-coverage").replaceChildren(
    missing.length
      ? h("p", { class: "note", id: "p-missing", text: `Unknown for some areas: ${missing.map((c) => c.label.toLowerCase()).join("; ")}. ${r.missing_policy[0].toUpperCase()}${r.missing_policy.slice(1)}.` })
      : h("p", { class: "note", id: "p-missing", text: "Every weighted indicator is known for every area." }),
    h("details", {}, h("summary", { text: "Where each indicator comes from" }), scrollable(table(["Indicator", "Weight", "Source", "Areas with a value"], rows))),
  );
}

function downloads(): void {
  const q = query();
  $("#p-downloads").replaceChildren(
    "Download the ranked list: ",
    h("a", { class: "button", id: "p-csv", href: `/api/priority/ranking.csv?${q}`, download: "", text: "CSV" }),
    h("a", { class: "button", id: "p-gpkg", href: `/api/priority/ranking.gpkg?${q}`, download: "", text: "GeoPackage" }),
    " · maps: ",
    h("a", { class: "button", id: "p-png", href: `/api/priority/ranking.png?${q}`, target: "_blank", text: "PNG" }),
    h("a", { class: "button", id: "p-html", href: `/api/priority/ranking.html?${q}`, target: "_blank", text: "HTML (offline)" }),
    h("a", { class: "button", id: "p-grid-png", href: `/api/priority/grid.png?${q}`, target: "_blank", text: "H3 grid PNG" }),
  );
}

function rankingTable(r: Ranking): void {
  const rows = r.areas.map((a) => {
    const explain = h("button", { type: "button", "aria-label": `Explain ${a.code}`, text: "Explain" });
    explain.addEventListener("click", () => void explainArea(a.code, true));
    const top = a.top_indicators.map((t) => `${t.label} (${fmt(t.contribution)})`).join("; ") || "none";
    return [
      String(a.rank),
      h("a", { href: `/item.html?kind=hazardous_area&code=${encodeURIComponent(a.code)}`, text: a.code }),
      a.name ?? "",
      fmt(a.score),
      `${a.lis_band} (${fmt(a.lis_points, 0)} points)`,
      top,
      explain,
    ];
  });
  const first = r.numberReturned ? state.offset + 1 : 0;
  const caption = `Areas ${first}–${state.offset + r.numberReturned} of ${r.numberMatched}, scenario ${label(r.scenario)}, accidents counted back from ${r.as_of}`;
  const t = table(["Rank", "Code", "Name", "Score", "LIS band", "Largest contributions (points)", ""], rows, caption);
  t.id = "p-ranking-table";
  t.querySelectorAll("tbody tr").forEach((tr, i) => (tr.id = `p-row-${r.areas[i].code}`));
  $("#p-ranking").replaceChildren(scrollable(t));
  $("#p-page").textContent = `Areas ${first}–${state.offset + r.numberReturned} of ${r.numberMatched}`;
  ($("#p-prev") as HTMLButtonElement).disabled = state.offset === 0;
  ($("#p-next") as HTMLButtonElement).disabled = state.offset + r.numberReturned >= r.numberMatched;
}

/** One row per weight: Kendall's tau at each change, then the worst top-list overlap and
 * the largest rank shift over all its changes. */
function sensitivityView(s: Sensitivity): void {
  const labels = Object.fromEntries((state.scenarios?.scenarios ?? []).flatMap((sc) => sc.weights.map((w) => [w.indicator, w.label])));
  const signed = (step: number) => `${step > 0 ? "+" : "−"}${Math.abs(Math.round(step * 100))}%`;
  const steps = [...new Set(s.perturbations.map((p) => p.step))];
  const indicators = [...new Set(s.perturbations.map((p) => p.indicator))];
  const rows = indicators.map((name) => {
    const mine = s.perturbations.filter((p) => p.indicator === name);
    const tau = (step: number) => mine.find((p) => p.step === step)?.kendall_tau.toFixed(3) ?? "";
    return [
      labels[name] ?? label(name),
      ...steps.map(tau),
      `${Math.round(Math.min(...mine.map((p) => p.top_k_kept)) * 100)}%`,
      String(Math.max(...mine.map((p) => p.max_rank_shift))),
    ];
  });
  const changes = table(
    ["Weight of", ...steps.map((step) => `τ at ${signed(step)}`), `Top ${s.top_k} kept (least)`, "Largest rank shift"],
    rows,
    "Kendall's τ between this ranking and the one with the weight changed",
  );
  changes.id = "p-sensitivity-changes";
  const ranges = table(
    ["Code", "Rank", "Best rank seen", "Worst rank seen"],
    s.areas.map((a) => [a.code, String(a.base_rank), String(a.best_rank), String(a.worst_rank)]),
    `Rank ranges of the first ${s.areas.length} areas`,
  );
  $("#p-sensitivity").replaceChildren(h("div", {}, scrollable(changes)), h("div", {}, scrollable(ranges)));
}

async function explainArea(code: string, focus: boolean): Promise<void> {
  try {
    const e = await get<Explanation>(`/api/priority/explain/${encodeURIComponent(code)}?${query()}`);
    state.explanation = e;
    const rows = e.indicators.map((r) => [
      r.label,
      r.value === null ? "unknown" : `${fmt(r.value, r.unit === "0-1" ? 2 : 0)} ${r.unit === "0-1" ? "" : r.unit}`.trim(),
      r.normalised.toFixed(2),
      `${Math.round(r.weight_share * 100)}%`,
      fmt(r.contribution),
    ]);
    const caption = `${e.code}${e.name ? ` (${e.name})` : ""}: rank ${e.rank} of ${e.of}, score ${fmt(e.score)} = the sum of the contributions; LIS band ${e.lis_band} (${fmt(e.lis_points, 0)} points)`;
    const t = table(["Indicator", "Value", "Normalised (0–1)", "Weight", "Contribution (points)"], rows, caption);
    t.id = "p-explain-table";
    $("#p-explain-body").replaceChildren(scrollable(t));
    document.querySelectorAll("#p-ranking tr.highlight").forEach((tr) => tr.classList.remove("highlight"));
    document.getElementById(`p-row-${code}`)?.classList.add("highlight");
    state.map?.setFilter("areas-selected", ["==", ["get", "code"], code]);
    if (focus) $("#p-explain").focus();
  } catch (err) {
    $("#p-explain-body").replaceChildren(h("p", { class: "error", role: "alert", text: `Could not explain ${code}: ${(err as Error).message}` }));
  }
}

function addLayers(map: maplibregl.Map): void {
  map.addSource("areas", { type: "geojson", data: EMPTY, promoteId: "code" });
  map.addSource("grid", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "grid-fill", type: "fill", source: "grid", layout: { visibility: "none" }, paint: { "fill-color": GRID_RAMP, "fill-opacity": 0.55 } });
  map.addLayer({ id: "grid-line", type: "line", source: "grid", layout: { visibility: "none" }, paint: { "line-color": "#7f2704", "line-width": 0.5 } });
  map.addLayer({ id: "areas-fill", type: "fill", source: "areas", paint: { "fill-color": SCORE_RAMP, "fill-opacity": 0.8 } });
  map.addLayer({ id: "areas-line", type: "line", source: "areas", paint: { "line-color": "#4a1486", "line-width": 1 } });
  map.addLayer({ id: "areas-selected", type: "line", source: "areas", filter: ["==", ["get", "code"], ""], paint: { "line-color": "#000000", "line-width": 3 } });
  map.on("click", "areas-fill", (e: MapMouseEvent & { features?: maplibregl.MapGeoJSONFeature[] }) => {
    const code = e.features?.[0]?.properties?.code;
    if (code) void explainArea(String(code), false);
  });
  map.on("mouseenter", "areas-fill", () => (map.getCanvas().style.cursor = "pointer"));
  map.on("mouseleave", "areas-fill", () => (map.getCanvas().style.cursor = ""));
}

function mapLegend(by: string): void {
  const swatch = (colour: string, text: string) => h("li", {}, h("span", { class: "swatch", style: `background:${colour}`, "aria-hidden": "true" }), ` ${text}`);
  const items = by === "band"
    ? Object.entries(BANDS).map(([band, colour]) => swatch(colour, `${band} band`))
    : [swatch("#ffffb2", "score 0"), swatch("#fd8d3c", "score 50"), swatch("#bd0026", "score 100")];
  $("#p-legend").replaceChildren(h("ul", { class: "legend inline", "aria-label": "Map legend" }, ...items));
}

function mapControls(map: maplibregl.Map): void {
  document.querySelectorAll<HTMLInputElement>("input[name='p-colour']").forEach((radio) =>
    radio.addEventListener("change", () => {
      map.setPaintProperty("areas-fill", "fill-color", radio.value === "band" ? BAND_COLOUR : SCORE_RAMP);
      mapLegend(radio.value);
    }),
  );
  const grid = $("#p-grid") as HTMLInputElement;
  grid.addEventListener("change", () => void showGrid(map, grid.checked));
  mapLegend("score");
}

async function showGrid(map: maplibregl.Map, show: boolean): Promise<void> {
  const visibility = show ? "visible" : "none";
  if (show) {
    try {
      const cells = await get<GeoJSON.FeatureCollection>(`/api/priority/grid?${query()}`);
      (map.getSource("grid") as GeoJSONSource).setData(cells);
      status(`H3 grid: ${cells.features.length} cell(s) holding ranked areas.`, "ok");
    } catch (err) {
      status(`Could not load the H3 grid: ${(err as Error).message}`, "error");
      return;
    }
  }
  for (const id of ["grid-fill", "grid-line"]) map.setLayoutProperty(id, "visibility", visibility);
}

async function loadPage(asked = state.asked): Promise<void> {
  const r = await get<Ranking>(`/api/priority/ranking?${query({ limit: PAGE, offset: state.offset })}`);
  if (asked !== state.asked) return;
  state.ranking = r;
  rankingTable(r);
}

async function rank(): Promise<void> {
  if (!validate()) return;
  status("Ranking…");
  state.offset = 0;
  const asked = ++state.asked;
  try {
    const [, areas, sensitivity] = await Promise.all([
      loadPage(asked),
      get<GeoJSON.FeatureCollection>(`/api/priority/ranking.geojson?${query()}`),
      get<Sensitivity>(`/api/priority/sensitivity?${query({ limit: PAGE })}`),
    ]);
    if (asked !== state.asked) return; // a newer ranking was asked for meanwhile
    const r = state.ranking as Ranking;
    coverage(r);
    downloads();
    state.sensitivity = sensitivity;
    sensitivityView(sensitivity);
    if (state.map) {
      (state.map.getSource("areas") as GeoJSONSource).setData(areas);
      const b = bounds(areas);
      if (b) state.map.fitBounds(b, { padding: 30, maxZoom: 13, duration: 0 });
      const grid = $("#p-grid") as HTMLInputElement;
      if (grid.checked) await showGrid(state.map, true);
    }
    const first = r.areas[0];
    if (first) await explainArea(state.explanation?.code ?? first.code, false);
    status(`${r.numberMatched} open areas ranked under scenario ${label(r.scenario)}.`, "ok");
    document.body.dataset.loaded = r.scenario;
  } catch (err) {
    if (asked !== state.asked) return;
    const e = err as ApiError;
    if (e.field === "scenario" || e.field === "as_of") setError(e.field, e.message);
    status(`Could not rank the areas: ${e.message}`, "error");
    document.body.dataset.loaded = "error";
  }
}

async function turnPage(delta: number): Promise<void> {
  state.offset = Math.max(0, state.offset + delta * PAGE);
  try {
    await loadPage();
    status(`Areas ${state.offset + 1}–${state.offset + (state.ranking?.numberReturned ?? 0)}.`, "ok");
  } catch (err) {
    status(`Could not load the page: ${(err as Error).message}`, "error");
  }
}

async function main(): Promise<void> {
  void renderHeader();
  $("#priority-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void rank();
  });
  scenarioSelect().addEventListener("change", () => {
    describeScenario();
    void rank();
  });
  $("#p-prev").addEventListener("click", () => void turnPage(-1));
  $("#p-next").addEventListener("click", () => void turnPage(1));
  await loadScenarios();
  const map = await createMap("priority-map");
  state.map = map;
  addLayers(map);
  mapControls(map);
  await rank();
}

main().catch((err: Error) => status(`Could not start the page: ${err.message}`, "error"));
