// Land release: the totals and their check (original = the sum of the parts), the balance
// of each hazardous area with its flags and release statements, the breakdown by year,
// organisation and method, the data-quality issues, and an evidence-based SHA/CHA
// suggestion. Every figure comes from /api/landrelease and /api/qm.
import { get, post } from "./api";
import { legend, stackedBars } from "./charts";
import { $, areaColumn, fmtAreaIn, h, scrollable, status, table } from "./dom";
import { fieldLabel, formatArea, formatNumber, label, labelled, t } from "./i18n";
import { Form, onSubmit } from "./form";
import { renderHeader } from "./nav";
import { PRODUCT_TYPE, RELEASE_PROGRESS } from "./styles";

type Row = Record<string, number | string | string[] | null>;
interface AreasPage {
  columns: string[];
  areas: Row[];
  totals: Record<string, number>;
  numberMatched: number;
  numberReturned: number;
}
interface Settings {
  type_weights: Record<string, number>;
  source_factors: Record<string, number>;
  direct_evidence: string[];
}

const PAGE = 20;
const PARTS_EXCLUDED = new Set(["original_m2", "released_m2"]);
window.minewatch = window.minewatch ?? {};

const filter = new Form("lr", ["organisation", "location", "start", "end"]);
let offset = 0;

function query(extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams(extra);
  for (const name of ["organisation", "location", "start", "end"]) if (filter.value(name)) params.set(name, filter.value(name));
  return params;
}

/** A figure of the accounting (original_m2, cancelled_m2 … remaining_m2) by its label: the
 * product types and "released" are the vocabulary's codes, original and remaining its messages. */
function heading(column: string): string {
  const part = column.replace(/_m2$/, "");
  if (part === "original") return t("Original area");
  if (part === "remaining") return t("Remaining");
  if (part === "released") return label("ReleaseProgress", part);
  return label("ProductType", part);
}

/** A breakdown's key column (year, organisation_code, activity_type, method) and its values. */
const KEY_KIND = "land_release_activity";
const keyHeading = (key: string) => (key === "year" ? t("Year") : fieldLabel(KEY_KIND, key));
const KEY_ENUM: Record<string, string> = { activity_type: "ActivityType", method: "ActivityMethod" };
const keyValue = (key: string, value: unknown) => (KEY_ENUM[key] ? label(KEY_ENUM[key], String(value ?? "")) : String(value ?? "—"));

function totals(page: AreasPage): void {
  const all = page.totals;
  const parts = page.columns.filter((c) => !PARTS_EXCLUDED.has(c));
  const sum = parts.reduce((s, c) => s + (all[c] ?? 0), 0);
  const original = all.original_m2 ?? 0;
  $("#lr-totals").replaceChildren(
    ...["original_m2", ...parts].map((c) =>
      h("div", { class: "card", id: `lr-total-${c.replace(/_m2$/, "")}` }, h("p", { class: "card-title", text: heading(c) }), h("p", { class: "card-value", text: formatArea(all[c] ?? 0), "data-m2": String(all[c] ?? 0) })),
    ),
  );
  const balanced = Math.abs(original - sum) <= 1e-6 * Math.max(1, original);
  const check = $("#lr-check");
  check.textContent = `${t("Hazardous areas: {count}.", { count: page.numberMatched })} ${heading("original_m2")} ${formatArea(original)} ${balanced ? "=" : "≠"} ${parts.map(heading).join(" + ")} = ${formatArea(sum)}`;
  check.dataset.balanced = String(balanced);
}

function statementLinks(row: Row): HTMLElement | string {
  const code = String(row.hazardous_area_code);
  const released = Number(row.original_m2) - Number(row.remaining_m2);
  if (!(released > 0.01)) return "";
  const link = (fmt: string) => h("a", { href: `/api/landrelease/statements/${encodeURIComponent(code)}.${fmt}`, "aria-label": t("Release statement of {code} ({format})", { code, format: fmt.toUpperCase() }), text: fmt.toUpperCase() });
  return h("span", {}, link("html"), " · ", link("pdf"));
}

function flags(row: Row): HTMLElement | string {
  const list = (row.flags as string[]) ?? [];
  return list.length ? h("span", {}, ...list.map((f) => h("span", { class: "badge", text: label("Issue", f) }))) : t("none");
}

// The accounting's word for each area: released once its products cover it, whatever the
// register's status still says.
const PROGRESS_COLOURS = RELEASE_PROGRESS;

function progress(row: Row): HTMLElement {
  const value = String(row.progress ?? "not_released");
  return h("span", { class: "progress", "data-progress": value }, h("span", { class: "swatch square", style: `background:${PROGRESS_COLOURS[value] ?? "#888"}`, "aria-hidden": "true" }), ` ${label("ReleaseProgress", value)}`);
}

function areasTable(page: AreasPage): void {
  const figures = page.columns;
  const columns = Object.fromEntries(figures.map((c) => [c, areaColumn(page.areas.map((r) => Number(r[c] ?? 0)))]));
  const rows = page.areas.map((r) => {
    const code = String(r.hazardous_area_code);
    return [
      h("a", { href: `/item.html?kind=hazardous_area&code=${encodeURIComponent(code)}`, text: code }),
      progress(r),
      ...figures.map((c) => columns[c].fmt(Number(r[c] ?? 0))),
      flags(r),
      statementLinks(r),
    ];
  });
  const balance = table(
    [t("Area"), t("Release"), ...figures.map((c) => `${heading(c)} (${columns[c].unit})`), t("Flags"), t("Release statement")],
    rows,
    t("Balance of each area, {first}–{last} of {total}", { first: offset + 1, last: offset + page.numberReturned, total: page.numberMatched }),
  );
  balance.id = "lr-areas-table";
  $("#lr-areas").replaceChildren(page.numberMatched ? scrollable(balance) : h("p", { class: "note", text: t("No approved hazardous area matches.") }));
  ($("#lr-prev") as HTMLButtonElement).disabled = offset === 0;
  ($("#lr-next") as HTMLButtonElement).disabled = offset + page.numberReturned >= page.numberMatched;
  $("#lr-page-info").textContent = page.numberMatched ? t("Page {page} of {pages}", { page: Math.floor(offset / PAGE) + 1, pages: Math.ceil(page.numberMatched / PAGE) }) : "";
}

async function loadAreas(): Promise<void> {
  const page = await get<AreasPage>(`/api/landrelease/areas?${query({ offset: String(offset), limit: String(PAGE) })}`);
  window.minewatch.areas = page;
  totals(page);
  areasTable(page);
}

function breakdownTable(rows: Row[], keys: string[], caption: string): HTMLTableElement {
  const figures = ["cancelled_m2", "reduced_m2", "cleared_m2", "released_m2"];
  const columns = Object.fromEntries(figures.map((c) => [c, areaColumn(rows.map((r) => Number(r[c] ?? 0)))]));
  return table(
    [...keys.map(keyHeading), ...figures.map((c) => `${heading(c)} (${columns[c].unit})`)],
    rows.map((r) => [...keys.map((k) => keyValue(k, r[k])), ...figures.map((c) => columns[c].fmt(Number(r[c] ?? 0)))]),
    caption,
  );
}

async function loadBreakdown(): Promise<void> {
  const params = query();
  params.delete("start");
  params.delete("end");
  const report = await get<{ tables: Record<string, Row[]> }>(`/api/landrelease/report?${params}`);
  window.minewatch.report = report;
  const years = report.tables.by_year;
  const series = Object.fromEntries(Object.keys(PRODUCT_TYPE).map((type) => [type, years.map((r) => Number(r[`${type}_m2`] ?? 0))]));
  $("#lr-breakdown").replaceChildren(
    years.length
      ? h("figure", {}, stackedBars(t("Land released per year (hectares)"), years.map((r) => String(r.year)), labelled("ProductType", series), labelled("ProductType", PRODUCT_TYPE), (v) => fmtAreaIn(v, "ha"), 0), legend(labelled("ProductType", PRODUCT_TYPE)), h("figcaption", { text: t("Land released per year of release, by how it was released (all periods)") }))
      : h("p", { class: "note", text: t("No land released yet.") }),
    h(
      "div",
      { class: "columns three" },
      scrollable(breakdownTable(years, ["year"], t("By year"))),
      scrollable(breakdownTable(report.tables.by_organisation, ["organisation_code"], t("By organisation"))),
      scrollable(breakdownTable(report.tables.by_method, ["activity_type", "method"], t("By activity and method"))),
    ),
  );
}

/** An issue as a sentence of the vocabulary; the accounting's technical note (GEOS, make_valid,
 * grid sizes) stays folded away under "Detail", for whoever checks the data. */
function issue(i: Row): HTMLElement {
  const detail = String(i.detail ?? "");
  return h("span", {}, label("Issue", String(i.issue)), detail ? h("details", { class: "issue-detail" }, h("summary", { text: t("Detail") }), h("p", { class: "note", text: detail })) : null);
}

async function loadIssues(): Promise<void> {
  const { issues } = await get<{ issues: Row[] }>(`/api/landrelease/issues?${query()}`);
  const shown = issues.slice(0, 100);
  $("#lr-issues").replaceChildren(
    issues.length
      ? scrollable(table(
          [t("Area"), t("Record"), t("Issue"), t("Measured"), t("Typed in")],
          shown.map((i) => [String(i.hazardous_area_code), `${label("Kind", String(i.record_kind))} ${i.code}`, issue(i), i.measured_m2 === null ? "" : formatArea(Number(i.measured_m2)), i.reported_m2 === null ? "" : formatArea(Number(i.reported_m2))]),
          issues.length > shown.length ? t("Issues: {count}, the first {shown} shown", { count: issues.length, shown: shown.length }) : t("Issues: {count}", { count: issues.length }),
        ))
      : h("p", { class: "note", text: t("No data-quality issues.") }),
  );
}

async function refresh(): Promise<void> {
  filter.clear();
  if (filter.value("start") && filter.value("end") && filter.value("start") > filter.value("end")) {
    filter.error("start", t("The period starts after it ends."));
    return;
  }
  status(t("Computing the accounting…"));
  try {
    await Promise.all([loadAreas(), loadBreakdown(), loadIssues()]);
    status(t("Land release accounting loaded."), "ok");
    document.body.dataset.loaded = "true";
  } catch (err) {
    filter.fail(err);
  }
}

// ---------------------------------------------------------------- classification

function matrix(settings: Settings): HTMLTableElement {
  const sources = Object.keys(settings.source_factors);
  const rows = Object.entries(settings.type_weights).map(([type, weight]) => [
    h("span", {}, label("EvidenceType", type), settings.direct_evidence.includes(type) ? h("span", { class: "badge", text: t("direct") }) : null, ` ${t("(weight {weight})", { weight: formatNumber(weight) })}`),
    ...sources.map((source) => h("input", { type: "checkbox", name: "evidence", value: `${type}|${source}`, id: `cl-${type}-${source}`, "aria-label": `${label("EvidenceType", type)}, ${label("EvidenceSource", source)}` })),
  ]);
  const grid = table([t("Evidence"), ...sources.map((s) => `${label("EvidenceSource", s)} (×${formatNumber(settings.source_factors[s])})`)], rows, t("Evidence type × how it became known"));
  grid.id = "cl-table";
  return grid;
}

function showSuggestion(a: Record<string, any>): void {
  const two = (v: unknown) => formatNumber(Number(v), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const rows = (a.matrix as Record<string, any>[]).map((m) => [label("EvidenceType", m.type), label("EvidenceSource", m.source), two(m.strength), m.direct ? t("yes") : t("no")]);
  const suggested = a.suggestion === "none" ? t("No hazardous area supported") : label("HazardClass", a.suggestion);
  $("#cl-result").replaceChildren(
    h("p", { id: "cl-answer", class: "card-value", text: a.suggestion === "none" ? suggested : t("{suggestion}, confidence {confidence}", { suggestion: suggested, confidence: two(a.confidence) }) }),
    ...(a.recorded_classification ? [h("p", { text: t("{code} is recorded as {classification}.", { code: a.hazardous_area_code, classification: label("HazardClass", a.recorded_classification) }) })] : []),
    h("p", { text: a.rationale }),
    ...(rows.length
      ? [table([t("Evidence"), t("Source"), t("Strength"), t("Direct")], rows, t("Evidence strength {strength}, direct {direct} (SHA from {sha}, CHA from {cha})", { strength: two(a.evidence_strength), direct: two(a.direct_strength), sha: two(a.sha_threshold), cha: two(a.cha_threshold) }))]
      : []),
    h("p", { class: "note formula" }, h("strong", { text: `${t("Formula:")} ` }), a.formula),
  );
  document.body.dataset.classified = a.suggestion;
  status(t("Suggestion: {suggestion}.", { suggestion: suggested }), "ok");
}

async function classifyEvidence(): Promise<void> {
  const evidence = [...document.querySelectorAll<HTMLInputElement>("#cl-table input:checked")].map((c) => {
    const [type, source] = c.value.split("|");
    return { type, source };
  });
  try {
    showSuggestion(await post("/api/qm/classify", { evidence }));
  } catch (err) {
    status((err as Error).message, "error");
  }
}

const areaForm = new Form("cl", ["area"]);

async function classifyArea(): Promise<void> {
  areaForm.clear();
  const code = areaForm.value("area");
  if (!code) {
    areaForm.error("area", t("Enter a hazardous area code."));
    return;
  }
  try {
    showSuggestion(await get(`/api/qm/classify/${encodeURIComponent(code)}`));
  } catch (err) {
    areaForm.error("area", (err as Error).message);
    status((err as Error).message, "error");
  }
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary (labels) in the reader's language, before drawing
  onSubmit("lr-filter", async () => {
    offset = 0;
    await refresh();
  });
  $("#lr-prev").addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE);
    void loadAreas();
  });
  $("#lr-next").addEventListener("click", () => {
    offset += PAGE;
    void loadAreas();
  });
  onSubmit("cl-form", classifyEvidence);
  onSubmit("cl-area-form", classifyArea);
  $("#cl-matrix").replaceChildren(scrollable(matrix(await get<Settings>("/api/qm/classification-settings"))));
  await refresh();
}

main().catch((e) => status(String(e), "error"));
