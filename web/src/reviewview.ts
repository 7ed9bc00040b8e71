// The review document drawn as a person reads it: human labels for fields and codes,
// formatted numbers, areas and dates, tables for evidence and beneficiaries, names for the
// organisations and places a report refers to, and the repairs said loudly.
import { h } from "./dom";
import { fieldLabel, formatArea, formatDate, formatNumber, label, t } from "./i18n";

export interface Column { field: string; enum: string | null }
export interface FieldView {
  field: string;
  enum: string | null;
  shape: "value" | "list" | "table" | "people" | "mapping";
  in_report: boolean;
  reported: unknown;
  current: unknown;
  after: unknown;
  change: "added" | "changed" | "removed" | "unchanged" | "withheld";
  superseded: boolean;
  columns: Column[];
  nested: string | null;
}
export interface NoteView {
  severity: string;
  rule: string | null;
  message: string;
  area_before_m2: number | null;
  area_after_m2: number | null;
  area_change_m2: number | null;
  related: string | null;
  measure: number | null;
}
export interface Summary { type: string; vertices: number; bbox: number[]; centroid: number[]; area_m2?: number }
export interface ReportRow {
  code: string;
  kind: string;
  item_code: string | null;
  action: string;
  state: string;
  date_of_information: string;
  organisation_code: string | null;
  created_by: string | null;
  created_at: string | null;
  submitted_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  source: string | null;
}
export interface ReviewDoc {
  report: ReportRow & { geometry_summary: Summary | null };
  fields: FieldView[];
  geometry: { proposed: GeoJSON.Geometry | null; current: GeoJSON.Geometry | null; proposed_summary: Summary | null; current_summary: Summary | null };
  notes: NoteView[];
  overlaps: NoteView[];
  history: ReportRow[];
  names: Record<string, string>;
  newer_information: string | null;
  may_decide: boolean;
}

const CODE = /^[A-Z]+-\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T.*)?$/;
const when = (iso: string | null) => (iso ? `${formatDate(iso)} ${iso.slice(11, 16)}`.trim() : "");

/** A code of another item with its name: "Demo NGO (ORG-000002)". */
export function named(code: string | null, names: Record<string, string>): string {
  if (!code) return "";
  return names[code] ? `${names[code]} (${code})` : code;
}

function scalar(kind: string, f: FieldView, v: unknown, names: Record<string, string>, enumName = f.enum): string {
  if (v === null || v === undefined || v === "") return "";
  if (enumName) return label(enumName, String(v));
  if (typeof v === "boolean") return v ? t("Yes") : t("No");
  if (typeof v === "number") return f.field.endsWith("_m2") ? formatArea(v) : formatNumber(v);
  const text = String(v);
  if (CODE.test(text)) return named(text, names);
  if (DATE.test(text)) return formatDate(text);
  return text;
}

/** One value of a field, as an element: text, a list, a table or a sex/age grid. */
export function valueOf(kind: string, f: FieldView, v: unknown, names: Record<string, string>): Node {
  if (f.change === "withheld") return h("em", { class: "withheld", text: t("Withheld (personal data)") });
  const blank = () => h("span", { class: "blank", text: "—", "aria-label": t("none") });
  if (f.shape === "list") {
    const items = Array.isArray(v) ? v : [];
    return items.length ? h("ul", { class: "plain" }, ...items.map((x) => h("li", { text: scalar(kind, f, x, names) }))) : blank();
  }
  if (f.shape === "table") {
    const rows = Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
    if (!rows.length) return blank();
    const nested = f.nested ?? f.field;
    return h(
      "table",
      { class: "inner" },
      h("thead", {}, h("tr", {}, ...f.columns.map((c) => h("th", { scope: "col", text: fieldLabel(nested, c.field) })))),
      h("tbody", {}, ...rows.map((r) => h("tr", {}, ...f.columns.map((c) => h("td", { text: scalar(kind, { ...f, field: c.field }, r[c.field], names, c.enum) || "—" }))))),
    );
  }
  if (f.shape === "people") {
    const p = (v ?? {}) as Record<string, number>;
    const keys = Object.keys(p);
    const total = keys.reduce((s, k) => s + (Number(p[k]) || 0), 0);
    if (!total) return blank();
    const nested = f.nested ?? "sex_age";
    return h(
      "table",
      { class: "inner people" },
      h("thead", {}, h("tr", {}, ...keys.map((k) => h("th", { scope: "col", text: fieldLabel(nested, k) })), h("th", { scope: "col", text: t("Total") }))),
      h("tbody", {}, h("tr", {}, ...keys.map((k) => h("td", { class: "num", text: formatNumber(p[k]) })), h("td", { class: "num", text: formatNumber(total) }))),
    );
  }
  if (f.shape === "mapping") {
    // named values kept from a migrated source, shown as they came (never "[object Object]")
    const entries = v && typeof v === "object" ? Object.entries(v as Record<string, unknown>) : [];
    if (!entries.length) return blank();
    return h("dl", { class: "facts" }, ...entries.flatMap(([k, x]) => [h("dt", { text: k }), h("dd", { text: x === null || x === undefined ? "—" : typeof x === "object" ? JSON.stringify(x) : String(x) })]));
  }
  const text = scalar(kind, f, v, names);
  return text ? document.createTextNode(text) : blank();
}

const changeText = (change: FieldView["change"]): string =>
  ({ added: t("Added"), changed: t("Changed"), removed: t("Removed"), unchanged: t("Unchanged"), withheld: t("Withheld") })[change];

function changeBadge(f: FieldView): HTMLElement {
  const text = f.superseded ? t("Overridden by newer information") : changeText(f.change);
  return h("span", { class: `change change-${f.superseded ? "superseded" : f.change}`, text });
}

/** The field-by-field difference: what approval changes, old → new, and what the report
 * says that newer information overrides. */
export function differenceTable(doc: ReviewDoc): HTMLElement {
  const kind = doc.report.kind;
  const shown = doc.fields.filter((f) => f.change !== "unchanged" || f.in_report);
  const rest = doc.fields.filter((f) => !shown.includes(f) && f.current !== null);
  const row = (f: FieldView) =>
    h(
      "tr",
      { "data-field": f.field, "data-change": f.superseded ? "superseded" : f.change },
      h("th", { scope: "row", text: fieldLabel(kind, f.field) }),
      h("td", { "data-label": t("Current") }, valueOf(kind, f, f.current, doc.names)),
      h("td", { "data-label": t("After approval") }, valueOf(kind, f, f.after, doc.names), f.superseded ? h("p", { class: "note", text: t("This report says: {value}", { value: String(valueOf(kind, f, f.reported, doc.names).textContent ?? "") }) }) : null),
      h("td", { "data-label": t("Change") }, changeBadge(f)),
    );
  const head = h("thead", {}, h("tr", {}, ...[t("Field"), t("Current"), t("After approval"), t("Change")].map((x) => h("th", { scope: "col", text: x }))));
  const table = shown.length
    ? h("table", { class: "diff cards-on-phone", id: "diff" }, h("caption", { text: t("What approval changes") }), head, h("tbody", {}, ...shown.map(row)))
    : h("p", { class: "note", text: t("This report changes no field.") });
  const unchanged = rest.length
    ? h(
        "details",
        { class: "unchanged" },
        h("summary", { text: t("{count} other field, unchanged", { count: rest.length }) }),
        h("table", { class: "diff" }, h("tbody", {}, ...rest.map((f) => h("tr", {}, h("th", { scope: "row", text: fieldLabel(kind, f.field) }), h("td", {}, valueOf(kind, f, f.current, doc.names)))))),
      )
    : null;
  return h("div", {}, table, unchanged);
}

/** Repairs first and loudly (what was drawn, what is stored), then the other findings. */
export function findings(doc: ReviewDoc): HTMLElement {
  const repairs = doc.notes.filter((n) => n.severity === "repaired");
  const others = [...doc.notes.filter((n) => n.severity !== "repaired"), ...doc.overlaps];
  const currentArea = doc.geometry.current_summary?.area_m2;
  const boxes = repairs.map((n) => {
    const areas =
      n.area_before_m2 !== null && n.area_after_m2 !== null
        ? h(
            "p",
            { class: "areas" },
            h("span", {}, `${t("Area as drawn")}: `, h("strong", { text: formatArea(n.area_before_m2) })),
            h("span", { "aria-hidden": "true", text: " → " }),
            h("span", {}, `${t("area stored")}: `, h("strong", { text: formatArea(n.area_after_m2) })),
            n.area_change_m2 !== null ? h("span", { class: "delta", text: ` (${n.area_change_m2 >= 0 ? "+" : "−"}${formatArea(Math.abs(n.area_change_m2))})` }) : null,
          )
        : null;
    return h(
      "div",
      { class: "alert repair", role: "note", "data-rule": n.rule ?? "" },
      h("p", { class: "alert-title" }, h("strong", { text: `${t("Geometry repaired on entry")}: ${label("Rule", n.rule ?? "")}` })),
      areas,
      currentArea !== undefined ? h("p", { text: `${t("The current record's area")}: ${formatArea(currentArea)}` }) : null,
      h("p", { class: "note", text: n.message }),
      h("p", { text: t("Check the hatched outline on the map before approving: the repair may not be what the author meant.") }),
    );
  });
  const severityText = (n: NoteView) => (n.severity === "note" ? t("Note") : label("FindingSeverity", n.severity));
  const table = others.length
    ? h(
        "table",
        { id: "findings-table", class: "cards-on-phone" },
        h("caption", { text: t("Findings") }),
        h("thead", {}, h("tr", {}, ...[t("Severity"), t("Rule"), t("Finding")].map((x) => h("th", { scope: "col", text: x })))),
        h(
          "tbody",
          {},
          ...others.map((n) =>
            h(
              "tr",
              { "data-severity": n.severity },
              h("td", { "data-label": t("Severity"), text: severityText(n) }),
              h("td", { "data-label": t("Rule"), text: n.rule ? label("Rule", n.rule) : "—" }),
              h("td", { "data-label": t("Finding"), text: n.related ? `${n.message} (${named(n.related, doc.names)})` : n.message }),
            ),
          ),
        ),
      )
    : null;
  const none = !repairs.length && !others.length ? h("p", { class: "note", text: t("No findings: nothing was repaired or flagged when this report was entered.") }) : null;
  return h("div", {}, ...boxes, table, none);
}

/** Proposed and current geometry side by side: type, vertices, area, centre. */
export function geometryTable(doc: ReviewDoc): HTMLElement {
  const { proposed_summary: p, current_summary: c } = doc.geometry;
  const cell = (s: Summary | null, f: (s: Summary) => string) => h("td", { text: s ? f(s) : "—" });
  const rows: [string, (s: Summary) => string][] = [
    [t("Type"), (s) => s.type],
    [t("Vertices"), (s) => formatNumber(s.vertices)],
    [t("Area"), (s) => (s.area_m2 !== undefined ? formatArea(s.area_m2) : "—")],
    [t("Centre (lon, lat)"), (s) => s.centroid.map((x) => x.toFixed(5)).join(", ")],
  ];
  return h(
    "table",
    { id: "geometry-table" },
    h("caption", { text: t("Geometry") }),
    h("thead", {}, h("tr", {}, h("td", {}), h("th", { scope: "col", text: t("Proposed") }), h("th", { scope: "col", text: t("Current") }))),
    h("tbody", {}, ...rows.map(([name, f]) => h("tr", {}, h("th", { scope: "row", text: name }), cell(p, f), cell(c, f)))),
  );
}

/** Every report about the item, oldest information first; this one marked. */
export function historyTable(doc: ReviewDoc): HTMLElement {
  if (!doc.history.length) return h("p", { class: "note", text: t("No other report about this item.") });
  return h(
    "table",
    { id: "history-table", class: "cards-on-phone" },
    h("caption", { text: t("Reports about this item") }),
    h("thead", {}, h("tr", {}, ...[t("Report"), t("Date of information"), t("Action"), t("State"), t("Reported by"), t("Decided by"), t("Reason")].map((x) => h("th", { scope: "col", text: x })))),
    h(
      "tbody",
      {},
      ...doc.history.map((r) =>
        h(
          "tr",
          { class: r.code === doc.report.code ? "highlight" : null, "aria-current": r.code === doc.report.code ? "true" : null },
          h("th", { scope: "row", class: "code", text: r.code }),
          h("td", { "data-label": t("Date of information"), class: "nowrap", text: formatDate(r.date_of_information) }),
          h("td", { "data-label": t("Action"), text: label("ReportAction", r.action) }),
          h("td", { "data-label": t("State"), text: label("ReportState", r.state) }),
          h("td", { "data-label": t("Reported by"), text: `${r.created_by ?? ""} ${when(r.submitted_at ?? r.created_at)}`.trim() }),
          h("td", { "data-label": t("Decided by"), text: r.decided_by ? `${r.decided_by} ${when(r.decided_at)}` : "—" }),
          h("td", { "data-label": t("Reason"), text: r.decision_reason ?? "—" }),
        ),
      ),
    ),
  );
}

/** Who sent it, for which organisation, when, about what. */
export function facts(doc: ReviewDoc): HTMLElement {
  const r = doc.report;
  const item = r.item_code ? `${label("Kind", r.kind)} ${r.item_code}` : label("Kind", r.kind);
  const pairs: [string, string][] = [
    [t("Item"), `${item} (${r.action === "create" ? t("new item") : t("update")})`],
    [t("Date of information"), formatDate(r.date_of_information)],
    [t("Reported by"), r.created_by ?? ""],
    [t("Organisation"), named(r.organisation_code, doc.names) || "—"],
    [t("Submitted"), when(r.submitted_at)],
    [t("State"), label("ReportState", r.state)],
    [t("Source"), r.source ?? "—"],
  ];
  return h("dl", { class: "facts" }, ...pairs.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
}
