// Dashboards: land release progress, casualties by year, sex, age and type (staff only),
// victim assistance coverage (staff only), the treaty timeline and a world map of treaty status on a chosen date.
import { ApiError, currentUser, get } from "./api";
import type { ExpressionSpecification } from "maplibre-gl";
import { createMap, maplibregl } from "./basemap";
import { legend, lines, stackedBars } from "./charts";
import { $, areaColumn, fmtAreaIn, h, scrollable, status, table } from "./dom";
import { formatArea, formatDate, formatNumber, label, labelled, t } from "./i18n";
import { renderHeader } from "./nav";
import { PRODUCT_TYPE, RELEASE_PROGRESS } from "./styles";

interface Totals {
  count: number;
  area_m2: number;
}
interface AreaGroup {
  progress: "not_released" | "partly_released" | "released";
  status: string;
  classification: string;
  count: number;
  original_m2: number;
  remaining_m2: number;
}
interface LandRelease {
  hazardous_areas: AreaGroup[];
  released_by_year: (Totals & { year: number; product_type: string })[];
  released_undated: Totals | null;
  balance: Record<string, number> | null;
}
interface Casualty {
  year: number | null;
  sex: string;
  age_band: string;
  category: string;
  outcome: string;
  count: number;
}

/** A row of GET /api/assistance/coverage (domain.assistance): survivors per year, kind of
 * assistance ("any": any kind) and stage, by sex, age and disability. */
interface Coverage {
  year: number | null;
  assistance_type: string;
  stage: "needed" | "referred" | "received";
  people: number;
  female: number;
  male: number;
  children: number;
  with_disability: number;
  disability_not_recorded: number;
}
/** A row of the household members reached (indirect beneficiaries). */
interface Household {
  year: number | null;
  girls: number;
  boys: number;
  women: number;
  men: number;
  total: number;
}

// The Landmine Monitor's casualty categories; "unknown" is shown as such, never as civilian.
const VICTIM_COLOURS: Record<string, string> = {
  civilian: "#e08214",
  security_forces: "#7f7f7f",
  non_state_armed_group: "#b2182b",
  deminer: "#542788",
  unknown: "#d9d9d9",
};
const TREATY_COLOURS: Record<string, string> = {
  bound: "#1b7837",
  "consented, not yet in force": "#7fbf7b",
  "withdrawal pending": "#f46d43",
  withdrawn: "#a50026",
  signed: "#fee08b",
  "not bound": "#d9d9d9",
};

window.minewatch = window.minewatch ?? {};

function sum<T>(rows: T[], pick: (r: T) => number): number {
  return rows.reduce((s, r) => s + pick(r), 0);
}

/** The title of a card of the land release balance. */
function balanceTitle(part: string): string {
  if (part === "original") return t("Balance: original area");
  if (part === "remaining") return t("Balance: remaining");
  return t("Balance: {part}", { part: label("ProductType", part) });
}

function card(id: string, title: string, value: string): HTMLElement {
  return h("div", { class: "card", id }, h("p", { class: "card-title", text: title }), h("p", { class: "card-value", text: value }));
}

// What the accounting measured of each area (not its register status): an area whose
// products cover it is released even while a report still calls it open.
const PROGRESS: Record<AreaGroup["progress"], string> = RELEASE_PROGRESS;

async function landRelease(): Promise<void> {
  const data = await get<LandRelease>("/api/web/dashboard/land-release");
  window.minewatch.landRelease = data;
  const ha = data.hazardous_areas;
  const open = ha.filter((r) => r.progress !== "released");
  const done = ha.filter((r) => r.progress === "released");
  const released = data.released_by_year;
  const b = data.balance;
  $("#lr-cards").replaceChildren(
    card("card-ha-count", t("Hazardous areas recorded"), formatNumber(sum(ha, (r) => r.count))),
    // Still open: the land the accounting has not released, so it equals "remaining".
    card("card-ha-open", t("Still open"), `${formatNumber(sum(open, (r) => r.count))} · ${formatArea(sum(open, (r) => r.remaining_m2))}`),
    card("card-ha-released", t("Fully released"), t("{count} areas", { count: sum(done, (r) => r.count) })),
    // The land release accounting's figures: overlapping products count once.
    card("card-released", t("Land released"), formatArea(b?.released_m2 ?? 0)),
  );
  if (b) {
    $("#lr-cards").append(
      ...["original", "cancelled", "reduced", "cleared", "remaining"].map((k) =>
        card(`card-balance-${k}`, balanceTitle(k), formatArea(b[`${k}_m2`] ?? 0)),
      ),
    );
  }
  const original = areaColumn(ha.map((r) => r.original_m2));
  const remaining = areaColumn(ha.map((r) => r.remaining_m2));
  $("#lr-table").replaceChildren(
    scrollable(
      table(
        [t("Release"), t("Register status"), t("Class"), t("Areas"), t("Original ({unit})", { unit: original.unit }), t("Remaining ({unit})", { unit: remaining.unit })],
        ha.map((r) => [
          h("span", {}, h("span", { class: "swatch square", style: `background:${PROGRESS[r.progress] ?? "#888"}`, "aria-hidden": "true" }), ` ${label("ReleaseProgress", r.progress)}`),
          label("HazardStatus", r.status),
          label("HazardClass", r.classification),
          formatNumber(r.count),
          original.fmt(r.original_m2),
          remaining.fmt(r.remaining_m2),
        ]),
        t("Hazardous areas by release progress (the accounting) and register status"),
      ),
    ),
  );
  const years = [...new Set(released.map((r) => r.year))].sort();
  const series: Record<string, number[]> = {};
  for (const type of Object.keys(PRODUCT_TYPE)) {
    series[type] = years.map((y) => sum(released.filter((r) => r.year === y && r.product_type === type), (r) => r.area_m2));
  }
  const fig = $("#lr-chart");
  fig.querySelectorAll("svg, ul, p.note").forEach((e) => e.remove());
  if (years.length) {
    fig.prepend(stackedBars(t("Land released per year (hectares)"), years.map(String), labelled("ProductType", series), labelled("ProductType", PRODUCT_TYPE), (v) => fmtAreaIn(v, "ha"), 0), legend(labelled("ProductType", PRODUCT_TYPE)));
  } else fig.prepend(h("p", { class: "note", text: t("No release products approved yet.") }));
  if (data.released_undated) {
    const u = data.released_undated;
    fig.append(h("p", { class: "note", text: t("Not in the chart: {area} released by products with no release date ({count}).", { area: formatArea(u.area_m2), count: u.count }) }));
  }
}

/** Figures about people, for signed-in staff only: ``url``'s answer, or null after saying
 * ``why`` in ``body`` to anyone else (the server answers 401/403/404 to them as well). */
async function staffFigures<T>(body: HTMLElement, url: string, why: string): Promise<T | null> {
  const staffOnly = () => body.replaceChildren(h("p", { class: "note", text: why }));
  if (!(await currentUser()).signed_in) {
    staffOnly();
    return null;
  }
  try {
    return await get<T>(url);
  } catch (err) {
    const e = err as ApiError;
    if (e.status === 401 || e.status === 404 || e.status === 403) {
      staffOnly();
      return null;
    }
    throw err;
  }
}

async function casualties(): Promise<void> {
  const body = $("#cas-body");
  const data = await staffFigures<{ rows: Casualty[]; total: number }>(
    body,
    "/api/web/dashboard/casualties",
    t("Casualty figures are shown to signed-in staff only, because age, sex and place can identify a victim in a small community."),
  );
  if (!data) return;
  if (!data.total) {
    body.replaceChildren(h("p", { class: "note", text: t("No casualties recorded.") }));
    return;
  }
  const rows = data.rows;
  const years = [...new Set(rows.map((r) => (r.year === null ? "unknown" : String(r.year))))].sort();
  const byType: Record<string, number[]> = {};
  for (const t of Object.keys(VICTIM_COLOURS)) {
    byType[t] = years.map((y) => sum(rows.filter((r) => String(r.year ?? "unknown") === y && r.category === t), (r) => r.count));
  }
  // The casualty figures' columns: sex and outcome are the victim's fields, category its victim type.
  const enums: Partial<Record<keyof Casualty, string>> = { sex: "Sex", category: "VictimType", age_band: "AgeGroup" };
  // Each breakdown's header is the casualty dimension's label (age_band is the dimension age_group).
  const DIMENSIONS: Partial<Record<keyof Casualty, string>> = { sex: "sex", category: "category", age_band: "age_group" };
  const breakdown = (key: keyof Casualty, title: string) => {
    const values = [...new Set(rows.map((r) => String(r[key])))].sort();
    return table(
      [label("CasualtyDimension", DIMENSIONS[key] ?? key), label("Outcome", "killed"), label("Outcome", "injured"), t("Outcome unknown"), t("Total")],
      values.map((v) => {
        const sel = rows.filter((r) => String(r[key]) === v);
        const killed = sum(sel.filter((r) => r.outcome === "killed"), (r) => r.count);
        const injured = sum(sel.filter((r) => r.outcome === "injured"), (r) => r.count);
        const unknown = sum(sel.filter((r) => r.outcome === "unknown"), (r) => r.count);
        return [label(enums[key] ?? "", v), formatNumber(killed), formatNumber(injured), formatNumber(unknown), formatNumber(killed + injured + unknown)];
      }),
      title,
    );
  };
  body.replaceChildren(
    h("div", { class: "cards" }, card("card-casualties", t("Casualties recorded"), formatNumber(data.total))),
    h("figure", {}, stackedBars(t("Casualties per year by type"), years.map((y) => (y === "unknown" ? t("Year not recorded") : y)), labelled("VictimType", byType), labelled("VictimType", VICTIM_COLOURS)), legend(labelled("VictimType", VICTIM_COLOURS)), h("figcaption", { text: t("Casualties per year of their accident by the Landmine Monitor's categories; unknown stays unknown") })),
    h("div", { class: "columns three" }, breakdown("sex", t("By sex")), breakdown("age_band", t("By age (child: under 18)")), breakdown("category", t("By category"))),
  );
}

/** Victim assistance coverage, as the CLI's `minewatch assistance coverage` and its CSV give
 * it: for staff only (counts by sex, age and disability can identify a survivor). */
async function assistanceCoverage(): Promise<void> {
  const body = $("#va-body");
  const data = await staffFigures<{ rows: Coverage[]; household: Household[] }>(
    body,
    "/api/assistance/coverage",
    t("Victim assistance figures are shown to signed-in staff only."),
  );
  if (!data) return;
  if (!data.rows.length) {
    body.replaceChildren(h("p", { class: "note", text: t("No victim assistance recorded.") }));
    return;
  }
  const yearOf = (y: number | null) => (y === null ? t("Year not recorded") : String(y));
  const kindOf = (k: string) => (k === "any" ? t("Any assistance") : label("AssistanceType", k));
  const stages = ["needed", "referred", "received"] as const;
  // One row per year and kind of assistance, one column per stage: the path from need to service.
  const keys = [...new Set(data.rows.map((r) => `${r.year ?? ""}|${r.assistance_type}`))];
  const byKind = keys.map((key) => {
    const rows = data.rows.filter((r) => `${r.year ?? ""}|${r.assistance_type}` === key);
    const people = (stage: string) => formatNumber(rows.find((r) => r.stage === stage)?.people ?? 0);
    return [yearOf(rows[0].year), kindOf(rows[0].assistance_type), ...stages.map(people)];
  });
  const received = data.rows.filter((r) => r.assistance_type === "any" && r.stage === "received");
  body.replaceChildren(
    h(
      "div",
      { class: "columns" },
      scrollable(table([t("Year"), t("Assistance"), ...stages.map((s) => label("ServiceStatus", s))], byKind, t("Survivors per kind of assistance, from need to service"))),
      scrollable(
        table(
          [t("Year"), t("People"), t("Female"), t("Male"), t("Children"), t("With disability"), t("Disability not recorded")],
          received.map((r) => [yearOf(r.year), ...[r.people, r.female, r.male, r.children, r.with_disability, r.disability_not_recorded].map((n) => formatNumber(n))]),
          t("Survivors who received assistance, by sex, age and disability"),
        ),
      ),
    ),
    data.household.length
      ? scrollable(
          table(
            [t("Year"), t("Girls"), t("Boys"), t("Women"), t("Men"), t("Total")],
            data.household.map((r) => [yearOf(r.year), ...[r.girls, r.boys, r.women, r.men, r.total].map((n) => formatNumber(n))]),
            t("Household members reached (indirect)"),
          ),
        )
      : h("p", { class: "note", text: t("No household members recorded as reached.") }),
    h("p", {}, h("a", { href: "/api/assistance/coverage.csv", download: "assistance-coverage.csv" }, t("Download the coverage as CSV"))),
  );
}

async function treatyTimeline(): Promise<void> {
  const data = await get<{ dates: string[]; series: { instrument: string; definition: string; counts: number[] }[]; status_as_at: string }>(
    "/api/web/dashboard/treaty/timeline",
  );
  const inForce = data.series.filter((s) => s.definition === "in-force");
  const series = Object.fromEntries(inForce.map((s) => [label("Instrument", s.instrument), s.counts]));
  const colours = labelled("Instrument", { apmbc: "#1b7837", "ccw-ap2": "#2166ac" });
  const fig = $("#treaty-timeline");
  fig.prepend(lines(t("States parties over time"), data.dates, series, colours), legend(colours));
  fig.append(h("p", { class: "note", text: t("Depositary data as at {date}.", { date: formatDate(data.status_as_at) }) }));
  ($("#treaty-date") as HTMLInputElement).value = data.status_as_at;
}

async function treatyMap(map: maplibregl.Map): Promise<void> {
  const instrument = ($("#treaty-instrument") as HTMLSelectElement).value;
  const on = ($("#treaty-date") as HTMLInputElement).value;
  const data = await get<{ states: { iso3: string; status: string; state: string }[]; counts: Record<string, number> }>(
    `/api/web/dashboard/treaty/status?instrument=${instrument}${on ? `&date=${on}` : ""}`,
  );
  const colourOf: any[] = ["match", ["get", "iso3"]];
  for (const s of data.states) if (s.iso3 && s.iso3 !== "-99") colourOf.push(s.iso3, TREATY_COLOURS[s.status] ?? "#ffffff");
  colourOf.push("#ffffff");
  map.setPaintProperty("land", "fill-color", colourOf.length > 3 ? (colourOf as ExpressionSpecification) : "#ffffff");
  $("#treaty-counts").replaceChildren(
    table(
      [t("Status"), t("States")],
      Object.entries(data.counts).map(([k, v]) => [h("span", {}, h("span", { class: "swatch square", style: `background:${TREATY_COLOURS[k] ?? "#fff"}`, "aria-hidden": "true" }), ` ${label("StatusKind", k)}`), formatNumber(v)]),
      t("Status on {date}", { date: formatDate(on) }),
    ),
    h("p", { class: "note", text: t("Small states are not drawn at this scale; the counts include them.") }),
  );
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary (labels) in the reader's language, before drawing
  const results = await Promise.allSettled([landRelease(), casualties(), assistanceCoverage(), treatyTimeline()]);
  const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
  if (failed.length) status(t("Some figures could not be loaded: {errors}", { errors: failed.map((f) => f.reason?.message).join("; ") }), "error");
  const map = await createMap("treaty-map", { zoom: 0.4, center: [10, 25] }, false);
  window.minewatch.treatyMap = map;
  await treatyMap(map);
  $("#treaty-form").addEventListener("submit", (e) => {
    e.preventDefault();
    treatyMap(map).catch((err) => status(err.message, "error"));
  });
  document.body.dataset.loaded = "true";
}

main().catch((e) => status(String(e), "error"));
