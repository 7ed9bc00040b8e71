// The one vocabulary of the web pages: labels of stored codes and fields, the interface's
// messages, and numbers, dates and areas written as the chosen language writes them. The
// labels and messages come from the server (GET /api/vocabulary, minewatch.vocabulary and
// its catalogues); nothing here keeps a table of its own. Stored codes never change with
// the language, only what is shown.
//
//   await loadVocabulary();              // once, before a page draws
//   label("HazardType", "uxo_axo")       // "Unexploded or abandoned ordnance"
//   fieldLabel("hazardous_area", "reported_area_m2")
//   t("{count} reports waiting for review", { count: 3 })
//   formatArea(25_000)                   // "2.5 ha" (or km², as the national configuration says)

export type Messages = Record<string, string | Record<string, string>>;

export interface Vocabulary {
  locale: string;
  direction: "ltr" | "rtl";
  languages: Record<string, string>;
  enums: Record<string, Record<string, string>>;
  fields: Record<string, Record<string, string>>;
  units: Record<string, string>;
  field_units: Record<string, string>;
  /** The enumeration each field (column) name holds codes of: hazard_types → HazardType. */
  field_enums: Record<string, string>;
  messages: Messages;
  large_area_unit: "ha" | "km2";
}

/** The language a person chose on this browser (the picker), sent as ?lang=. */
export const LANGUAGE_KEY = "minewatch.lang";

const EMPTY: Vocabulary = {
  locale: "en",
  direction: "ltr",
  languages: { en: "English" },
  enums: {},
  fields: {},
  units: { m2: "m²", ha: "ha", km2: "km²" },
  field_units: {},
  field_enums: {},
  messages: {},
  large_area_unit: "ha",
};

let vocabulary: Vocabulary = EMPTY;
let loading: Promise<Vocabulary> | null = null;

function humanise(code: string): string {
  const text = code.replaceAll("_", " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The language chosen on this browser, if any (else the server follows the account and Accept-Language). */
export function chosenLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    return null;
  }
}

/** Load the vocabulary once per page and set <html lang dir>; later calls share the first. */
export function loadVocabulary(lang: string | null = chosenLanguage()): Promise<Vocabulary> {
  if (loading) return loading;
  const query = lang ? `?lang=${encodeURIComponent(lang)}` : "";
  loading = fetch(`/api/vocabulary${query}`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : EMPTY))
    .catch(() => EMPTY)
    .then((v: Vocabulary) => {
      vocabulary = { ...EMPTY, ...v };
      document.documentElement.lang = vocabulary.locale;
      document.documentElement.dir = vocabulary.direction;
      return vocabulary;
    });
  return loading;
}

/** The vocabulary loaded so far (English placeholders before loadVocabulary resolves). */
export function currentVocabulary(): Vocabulary {
  return vocabulary;
}

export function locale(): string {
  return vocabulary.locale;
}

/** The label of a stored code: label("HazardType", "uxo_axo"). */
export function label(enumName: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === "") return "";
  return vocabulary.enums[enumName]?.[code] ?? humanise(String(code));
}

/** The label of a code stored in a field, through the enumeration that field holds:
 * valueLabel("hazard_types", "uxo_axo"); a field of no enumeration gets the code humanised. */
export function valueLabel(field: string, code: string | null | undefined): string {
  return label(vocabulary.field_enums[field] ?? "", code);
}

/** A record keyed by codes of one enumeration, keyed by their labels instead (a chart's
 * series and colours, whose keys its legend shows): labelled("ProductType", {cleared: …}). */
export function labelled<T>(enumName: string, byCode: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(byCode).map(([code, value]) => [label(enumName, code), value]));
}

/** The label of a field of a kind of record or nested value: fieldLabel("victim", "age"). */
export function fieldLabel(kind: string, field: string): string {
  return vocabulary.fields[kind]?.[field] ?? humanise(field);
}

/** An interface message in the chosen language, {placeholders} filled; plural messages
 * choose their form for params.count by the language's rules (Intl.PluralRules). */
export function t(msgid: string, params: Record<string, string | number> = {}): string {
  const entry = vocabulary.messages[msgid];
  let text: string;
  if (entry === undefined) {
    text = msgid;
  } else if (typeof entry === "string") {
    text = entry;
  } else {
    const count = Number(params.count ?? 0);
    const category = new Intl.PluralRules(vocabulary.locale).select(count);
    text = entry[category] ?? entry.other ?? msgid;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(value) : value;
  });
}

/** A number as the chosen language writes it. */
export function formatNumber(value: number | null | undefined, options: Intl.NumberFormatOptions = {}): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  return new Intl.NumberFormat(vocabulary.locale, { maximumFractionDigits: 2, ...options }).format(value);
}

/** A date: ISO yyyy-mm-dd by default (never the browser's mm/dd/yyyy), or the language's
 * own long form with style "long". Accepts "2024-05-01", an ISO timestamp or a Date. */
export function formatDate(value: string | Date | null | undefined, style: "iso" | "long" = "iso"): string {
  if (value === null || value === undefined || value === "") return "";
  if (style === "iso") {
    const iso = typeof value === "string" ? value.slice(0, 10) : value.toISOString().slice(0, 10);
    // In a right-to-left sentence the bidirectional algorithm would show 2026-02-03 as
    // 03-02-2026: the ISO date is isolated left to right (LRI … PDI), as it is written.
    return vocabulary.direction === "rtl" ? `\u2066${iso}\u2069` : iso;
  }
  const date = typeof value === "string" ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  return new Intl.DateTimeFormat(vocabulary.locale, { dateStyle: "long", timeZone: "UTC" }).format(date);
}

/** An area given in m²: m² below one hectare, then ha or km² as the national
 * configuration says (large_area_unit), the number written as the language writes it. */
export function formatArea(m2: number | null | undefined, unit: "ha" | "km2" | null = null): string {
  if (m2 === null || m2 === undefined || Number.isNaN(m2)) return "";
  const units = vocabulary.units;
  if (Math.abs(m2) < 1e4) return `${formatNumber(m2, { maximumFractionDigits: 0 })} ${units.m2 ?? "m²"}`;
  const large = unit ?? vocabulary.large_area_unit;
  if (large === "km2") return `${formatNumber(m2 / 1e6, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${units.km2 ?? "km²"}`;
  return `${formatNumber(m2 / 1e4, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${units.ha ?? "ha"}`;
}

/** The symbol of a unit code ("m2" → "m²"). */
export function unitLabel(unit: string): string {
  return vocabulary.units[unit] ?? unit;
}

const TRANSLATED_ATTRIBUTES = ["placeholder", "title", "aria-label", "alt"];
const SKIPPED = new Set(["SCRIPT", "STYLE", "CODE", "PRE", "KBD", "SAMP"]);

/** Translate the words written in a page's HTML (its English is the message id): every
 * text node and the placeholder, title, aria-label and alt attributes under root, and the
 * document's title. Runs once, before the page draws its data, so data is never looked up.
 * Whitespace around a text is kept; text not in the catalogue stays as written. */
export function translateStatic(root: ParentNode = document.body): void {
  if (vocabulary.locale === "en") return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement && SKIPPED.has(node.parentElement.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const texts: Text[] = [];
  while (walker.nextNode()) texts.push(walker.currentNode as Text);
  for (const node of texts) {
    const raw = node.data;
    const key = raw.replace(/\s+/g, " ").trim();
    if (!key || typeof vocabulary.messages[key] !== "string") continue;
    const lead = raw.match(/^\s*/)?.[0] ?? "";
    const tail = raw.match(/\s*$/)?.[0] ?? "";
    node.data = `${lead ? " " : ""}${t(key)}${tail ? " " : ""}`;
  }
  const elements = root instanceof Element ? [root, ...root.querySelectorAll("*")] : [...root.querySelectorAll("*")];
  for (const element of elements) {
    for (const name of TRANSLATED_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value && typeof vocabulary.messages[value.replace(/\s+/g, " ").trim()] === "string") {
        element.setAttribute(name, t(value.replace(/\s+/g, " ").trim()));
      }
    }
  }
  const [page, ...rest] = document.title.split(" · ");
  if (page && typeof vocabulary.messages[page] === "string") document.title = [t(page), ...rest].join(" · ");
}
