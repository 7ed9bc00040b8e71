// Clearance priorities: pick a scenario, read the ranked list page by page, see the areas on
// the map coloured by score or band (and the H3 grid), explain one area's score indicator
// by indicator, see how the ranking moves with the weights, and download the list.
import type { ExpressionSpecification, GeoJSONSource, MapMouseEvent } from "maplibre-gl";
import { ApiError, get } from "./api";
import { bounds, createMap, maplibregl } from "./basemap";
import { $, h, scrollable, status, table } from "./dom";
import { formatDate, formatNumber, label, t } from "./i18n";
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
/** Where an indicator's values come from, as the coverage table says it. */
function sourceText(source: string): string {
  if (source === "store") return t("the store's records");
  if (source === "context") return t("a context layer of the server");
  if (source === "not configured") return t("no context layer configured");
  return source;
}

/** A scenario's name: the vocabulary's label for the shipped ones, a programme's own as written. */
const scenarioName = (name: string) => label("PriorityScenario", name);
const indicatorName = (code: string) => label("PriorityIndicator", code);
const bandName = (band: string) => label("LisBand", band);
const percent = (share: number) => formatNumber(share, { style: "percent", maximumFractionDigits: 0 });

/** An indicator's value in its unit, as the reader's language writes it. */
function valueText(value: number, unit: string): string {
  if (unit === "0-1") return formatNumber(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (unit === "m") return formatNumber(value, { style: "unit", unit: "meter", maximumFractionDigits: 0 });
  const n = formatNumber(value, { maximumFractionDigits: 0 });
  if (unit === "people") return t("{count} people", { count: n });
  if (unit === "accidents") return t("{count} accidents", { count: n });
  if (unit === "kinds") return t("{count} kinds", { count: n });
  if (unit === "items") return t("{count} items", { count: formatNumber(value, { maximumFractionDigits: 2 }) });
  return `${n} ${unit}`;
}

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
const fmt = (v: number, digits = 1) => formatNumber(v, { maximumFractionDigits: digits, minimumFractionDigits: digits });

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
    return setError("as_of", t("Enter a date after 1900 as YYYY-MM-DD, or leave it empty for today."));
  }
  return true;
}

function describeScenario(): void {
  const chosen = state.scenarios?.scenarios.find((s) => s.name === scenarioSelect().value);
  if (!chosen) return;
  const weights = chosen.weights.filter((w) => w.weight > 0).map((w) => `${indicatorName(w.indicator)} ${percent(w.share)}`);
  // The description is the national configuration's own text (the shipped ones are catalogued).
  $("#p-scenario-description").textContent = `${t(chosen.description)} ${t("Weights: {weights}.", { weights: weights.join("; ") })}`;
}

async function loadScenarios(): Promise<void> {
  const answer = await get<Scenarios>("/api/priority/scenarios");
  state.scenarios = answer;
  const wanted = new URLSearchParams(location.search).get("scenario") ?? answer.default_scenario;
  scenarioSelect().replaceChildren(
    ...answer.scenarios.map((s) => h("option", { value: s.name, text: scenarioName(s.name), selected: s.name === wanted })),
  );
  describeScenario();
}

/** The server's rule for unknown values, as a sentence in the reader's language. */
function missingPolicy(policy: string): string {
  if (policy.startsWith("unknown values score 0")) return t("Unknown values score 0 after normalisation.");
  if (policy.startsWith("unknown values score the median")) return t("Unknown values score the median of the known ones.");
  return policy;
}

function coverage(r: Ranking): void {
  const missing = r.coverage.filter((c) => c.missing > 0);
  const rows = r.coverage.map((c) => [
    indicatorName(c.indicator),
    percent(c.weight_share),
    sourceText(c.source),
    t("{known} of {total}", { known: c.known, total: c.known + c.missing }),
  ]);
  $("#p-coverage").replaceChildren(
    missing.length
      ? h("p", { class: "note", id: "p-missing", text: `${t("Unknown for some areas: {indicators}.", { indicators: missing.map((c) => indicatorName(c.indicator)).join("; ") })} ${missingPolicy(r.missing_policy)}` })
      : h("p", { class: "note", id: "p-missing", text: t("Every weighted indicator is known for every area.") }),
    h("details", {}, h("summary", { text: t("Where each indicator comes from") }), scrollable(table([t("Indicator"), t("Weight"), t("Source"), t("Areas with a value")], rows))),
  );
}

function downloads(): void {
  const q = query();
  $("#p-downloads").replaceChildren(
    `${t("Download the ranked list:")} `,
    h("a", { class: "button", id: "p-csv", href: `/api/priority/ranking.csv?${q}`, download: "", text: "CSV" }),
    h("a", { class: "button", id: "p-gpkg", href: `/api/priority/ranking.gpkg?${q}`, download: "", text: "GeoPackage" }),
    ` · ${t("maps:")} `,
    h("a", { class: "button", id: "p-png", href: `/api/priority/ranking.png?${q}`, target: "_blank", text: "PNG" }),
    h("a", { class: "button", id: "p-html", href: `/api/priority/ranking.html?${q}`, target: "_blank", text: t("HTML (offline)") }),
    h("a", { class: "button", id: "p-grid-png", href: `/api/priority/grid.png?${q}`, target: "_blank", text: t("H3 grid PNG") }),
  );
}

function rankingTable(r: Ranking): void {
  const rows = r.areas.map((a) => {
    const explain = h("button", { type: "button", "aria-label": t("Explain {code}", { code: a.code }), text: t("Explain") });
    explain.addEventListener("click", () => void explainArea(a.code, true));
    const top = a.top_indicators.map((i) => `${indicatorName(i.indicator)} (${fmt(i.contribution)})`).join("; ") || t("none");
    return [
      formatNumber(a.rank),
      h("a", { href: `/item.html?kind=hazardous_area&code=${encodeURIComponent(a.code)}`, text: a.code }),
      a.name ?? "",
      fmt(a.score),
      t("{band} ({points} points)", { band: bandName(a.lis_band), points: fmt(a.lis_points, 0) }),
      top,
      explain,
    ];
  });
  const first = r.numberReturned ? state.offset + 1 : 0;
  const span = { first, last: state.offset + r.numberReturned, total: r.numberMatched };
  const caption = t("Areas {first}–{last} of {total}, scenario {scenario}, accidents counted back from {date}", { ...span, scenario: scenarioName(r.scenario), date: formatDate(r.as_of) });
  const ranked = table([t("Rank"), t("Code"), t("Name"), t("Score"), t("LIS band"), t("Largest contributions (points)"), ""], rows, caption);
  ranked.id = "p-ranking-table";
  ranked.querySelectorAll("tbody tr").forEach((tr, i) => (tr.id = `p-row-${r.areas[i].code}`));
  $("#p-ranking").replaceChildren(scrollable(ranked));
  $("#p-page").textContent = t("Areas {first}–{last} of {total}", span);
  ($("#p-prev") as HTMLButtonElement).disabled = state.offset === 0;
  ($("#p-next") as HTMLButtonElement).disabled = state.offset + r.numberReturned >= r.numberMatched;
}

/** One row per weight: Kendall's tau at each change, then the worst top-list overlap and
 * the largest rank shift over all its changes. */
function sensitivityView(s: Sensitivity): void {
  const signed = (step: number) => formatNumber(step, { style: "percent", maximumFractionDigits: 0, signDisplay: "exceptZero" });
  const steps = [...new Set(s.perturbations.map((p) => p.step))];
  const indicators = [...new Set(s.perturbations.map((p) => p.indicator))];
  const rows = indicators.map((name) => {
    const mine = s.perturbations.filter((p) => p.indicator === name);
    const tau = (step: number) => {
      const found = mine.find((p) => p.step === step);
      return found ? formatNumber(found.kendall_tau, { minimumFractionDigits: 3, maximumFractionDigits: 3 }) : "";
    };
    return [indicatorName(name), ...steps.map(tau), percent(Math.min(...mine.map((p) => p.top_k_kept))), formatNumber(Math.max(...mine.map((p) => p.max_rank_shift)))];
  });
  const changes = table(
    [t("Weight of"), ...steps.map((step) => t("τ at {change}", { change: signed(step) })), t("Top {count} kept (least)", { count: s.top_k }), t("Largest rank shift")],
    rows,
    t("Kendall's τ between this ranking and the one with the weight changed"),
  );
  changes.id = "p-sensitivity-changes";
  const ranges = table(
    [t("Code"), t("Rank"), t("Best rank seen"), t("Worst rank seen")],
    s.areas.map((a) => [a.code, formatNumber(a.base_rank), formatNumber(a.best_rank), formatNumber(a.worst_rank)]),
    t("Rank ranges of the first areas ({count})", { count: s.areas.length }),
  );
  $("#p-sensitivity").replaceChildren(h("div", {}, scrollable(changes)), h("div", {}, scrollable(ranges)));
}

async function explainArea(code: string, focus: boolean): Promise<void> {
  try {
    const e = await get<Explanation>(`/api/priority/explain/${encodeURIComponent(code)}?${query()}`);
    state.explanation = e;
    const rows = e.indicators.map((r) => [
      indicatorName(r.indicator),
      r.value === null ? t("unknown") : valueText(r.value, r.unit),
      formatNumber(r.normalised, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      percent(r.weight_share),
      fmt(r.contribution),
    ]);
    const caption = t("{area}: rank {rank} of {of}, score {score} = the sum of the contributions; LIS band {band} ({points} points)", {
      area: e.name ? `${e.code} (${e.name})` : e.code,
      rank: e.rank,
      of: e.of,
      score: fmt(e.score),
      band: bandName(e.lis_band),
      points: fmt(e.lis_points, 0),
    });
    const explained = table([t("Indicator"), t("Value"), t("Normalised (0–1)"), t("Weight"), t("Contribution (points)")], rows, caption);
    explained.id = "p-explain-table";
    $("#p-explain-body").replaceChildren(scrollable(explained));
    document.querySelectorAll("#p-ranking tr.highlight").forEach((tr) => tr.classList.remove("highlight"));
    document.getElementById(`p-row-${code}`)?.classList.add("highlight");
    state.map?.setFilter("areas-selected", ["==", ["get", "code"], code]);
    if (focus) $("#p-explain").focus();
  } catch (err) {
    $("#p-explain-body").replaceChildren(h("p", { class: "error", role: "alert", text: t("Could not explain {code}: {error}", { code, error: (err as Error).message }) }));
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
    ? Object.entries(BANDS).map(([band, colour]) => swatch(colour, t("{band} band", { band: bandName(band) })))
    : [0, 50, 100].map((score, i) => swatch(["#ffffb2", "#fd8d3c", "#bd0026"][i], t("score {score}", { score })));
  $("#p-legend").replaceChildren(h("ul", { class: "legend inline", "aria-label": t("Map legend") }, ...items));
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
      status(t("H3 grid: cells holding ranked areas: {count}.", { count: cells.features.length }), "ok");
    } catch (err) {
      status(t("Could not load the H3 grid: {error}", { error: (err as Error).message }), "error");
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
  status(t("Ranking…"));
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
    status(t("Open areas ranked under scenario {scenario}: {count}.", { scenario: scenarioName(r.scenario), count: r.numberMatched }), "ok");
    document.body.dataset.loaded = r.scenario;
  } catch (err) {
    if (asked !== state.asked) return;
    const e = err as ApiError;
    if (e.field === "scenario" || e.field === "as_of") setError(e.field, e.message);
    status(t("Could not rank the areas: {error}", { error: e.message }), "error");
    document.body.dataset.loaded = "error";
  }
}

async function turnPage(delta: number): Promise<void> {
  state.offset = Math.max(0, state.offset + delta * PAGE);
  try {
    await loadPage();
    status(t("Areas {first}–{last}.", { first: state.offset + 1, last: state.offset + (state.ranking?.numberReturned ?? 0) }), "ok");
  } catch (err) {
    status(t("Could not load the page: {error}", { error: (err as Error).message }), "error");
  }
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary first: everything below is in the reader's language
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

main().catch((err: Error) => status(t("Could not start the page: {error}", { error: err.message }), "error"));
