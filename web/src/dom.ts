// Small DOM helpers: build elements without innerHTML (no injection from data), and
// announce status messages to screen readers through one live region per page.

import { currentVocabulary, formatNumber, t as tr, unitLabel } from "./i18n";

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | number | null | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

export function $(selector: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`no element ${selector}`);
  return el;
}

export function status(message: string, kind: "info" | "error" | "ok" = "info"): void {
  const region = document.getElementById("status");
  if (!region) return;
  region.textContent = message;
  region.dataset.kind = kind;
}

// A number, a measure, an ISO date or a record code: one value that must not wrap
// ("2027-04-\n30", "HA-\n000001"), so its cell keeps it on one line.
// (An ISO date on a right-to-left page comes isolated: LRI … PDI, see i18n.formatDate.)
const ONE_VALUE = /^(?:[-−+]?[\d,.]+(?:\s?(?:m²|ha|km²|%|m|km|d|h))?|\u2066?\d{4}-\d{2}-\d{2}\u2069?(?:[ T]\d{2}:\d{2})?|[A-Z]{2,4}-\d{4,})$/;

function cell(c: Child): HTMLTableCellElement {
  const text = typeof c === "string" ? c : c instanceof HTMLAnchorElement ? c.textContent ?? "" : "";
  return h("td", { class: ONE_VALUE.test(text.trim()) ? "value" : null }, c);
}

export function table(headers: string[], rows: Child[][], caption?: string): HTMLTableElement {
  return h(
    "table",
    {},
    caption ? h("caption", { text: caption }) : null,
    h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map(cell)))),
  );
}

/** A wide table scrolls inside its own box instead of widening the page (a phone is 390 px). */
/* A focusable, named region, so a keyboard can scroll it (axe: scrollable-region-focusable). */
export const scrollable = (t: HTMLElement) =>
  h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t.querySelector("caption")?.textContent || tr("Table") }, t);

// Areas, through the vocabulary (i18n.ts): m² below one hectare, above it the national
// configuration's unit. A table column takes one unit, its largest value's, for every row.
export type AreaUnit = "m2" | "ha" | "km2";
const PER_UNIT: Record<AreaUnit, number> = { m2: 1, ha: 1e4, km2: 1e6 };
const DIGITS: Record<AreaUnit, number> = { m2: 0, ha: 1, km2: 2 }; // as formatArea writes them

export function fmtAreaIn(m2: number, unit: AreaUnit): string {
  const digits = DIGITS[unit];
  return `${formatNumber(m2 / PER_UNIT[unit], { minimumFractionDigits: digits, maximumFractionDigits: digits })}\u00a0${unitLabel(unit)}`;
}

/** The unit of a column of areas (its largest value's), its symbol, and a formatter in it. */
export function areaColumn(values: number[]): { unit: string; fmt: (m2: number) => string } {
  const largest = Math.max(0, ...values.map((v) => Math.abs(v)).filter(Number.isFinite));
  const unit: AreaUnit = largest < PER_UNIT.ha ? "m2" : currentVocabulary().large_area_unit;
  return { unit: unitLabel(unit), fmt: (m2: number) => fmtAreaIn(m2, unit) };
}
