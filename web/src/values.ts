// A record's values as a person reads them: lists and tables instead of JSON, areas in their
// unit, codes of other records as links (organisations and locations by name), yes/no for
// booleans, and nothing of the store's internals (the UUID, the version counter).
import { get } from "./api";
import { h } from "./dom";
import { fieldLabel, formatArea, formatNumber, valueLabel } from "./i18n";

/** Properties that say nothing to a reader: the store's identifier and version counter. */
export const INTERNAL_FIELDS = new Set(["id", "version", "geometry"]);

const PREFIX_KIND: Record<string, string> = {
  ORG: "organisation",
  LOC: "location",
  HA: "hazardous_area",
  LRA: "land_release_activity",
  RP: "release_product",
  DF: "device_find",
  ACC: "accident",
  RE: "risk_education_session",
  QM: "quality_management_visit",
  STR: "scatterable_strike",
  ACR: "accreditation",
  TSK: "task_order",
  VA: "victim_assistance",
  VIC: "victim",
};
const CODE = /^([A-Z]{2,3})-\d{4,}$/;
const CODE_WORD = /^[a-z0-9]+(?:_[a-z0-9]+)+$|^[a-z]+$/;
const names = new Map<string, Promise<string | null>>();

/** The name of an organisation or location (fetched once per code), or null. */
function nameOf(kind: string, code: string): Promise<string | null> {
  const key = `${kind}/${code}`;
  if (!names.has(key)) {
    names.set(
      key,
      get<GeoJSON.Feature>(`/api/items/${kind}/${encodeURIComponent(code)}`)
        .then((f) => (f.properties?.name ? String(f.properties.name) : null))
        .catch(() => null),
    );
  }
  return names.get(key)!;
}

function codeLink(code: string): HTMLElement {
  const kind = PREFIX_KIND[CODE.exec(code)?.[1] ?? ""];
  if (!kind) return h("span", { text: code });
  const link = h("a", { href: `/item.html?kind=${kind}&code=${encodeURIComponent(code)}`, text: code });
  if (kind === "organisation" || kind === "location") {
    void nameOf(kind, code).then((name) => {
      if (name) link.textContent = `${name} (${code})`;
    });
    return h("span", {}, link); // a name, which may wrap (a bare code is kept on one line)
  }
  return link;
}

/** A stored code of ``field`` by its label (a free text stays as written). */
function word(field: string, v: unknown): string {
  const text = String(v);
  return CODE_WORD.test(text) ? valueLabel(field, text) : text;
}

/** One entry of a list of objects (evidence, blockages): its type, then its other parts. */
function entry(kind: string, o: Record<string, unknown>): string {
  const { type, ...rest } = o;
  const parts = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${fieldLabel(kind, k)}: ${word(`${kind}.${k}`, v)}`);
  return [type === undefined ? null : word(`${kind}.type`, type), ...parts].filter(Boolean).join(", ");
}

/** The nested kind a list field holds (evidence → evidence, blockages → blockage). */
const NESTED: Record<string, string> = { evidence: "evidence", blockages: "blockage", beneficiaries: "sex_age", non_conformities: "non_conformity" };

/** A value rendered for reading (``field`` decides areas and codes). */
export function displayValue(field: string, v: unknown): Node | string {
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return field.endsWith("_m2") ? formatArea(v) : formatNumber(v);
  if (typeof v === "string") return CODE.test(v) ? codeLink(v) : field === "description" || field === "name" ? v : word(field, v);
  const nested = NESTED[field] ?? field;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== "object" || x === null)) return v.map((x) => word(field, x)).join(", ");
    return h("ul", { class: "changes" }, ...v.map((x) => h("li", { text: typeof x === "object" && x ? entry(nested, x as Record<string, unknown>) : word(field, x) })));
  }
  if (typeof v === "object") {
    const parts = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== undefined);
    return parts.map(([k, x]) => `${fieldLabel(nested, k)} ${typeof x === "number" ? formatNumber(x) : word(k, x)}`).join(" · ");
  }
  return String(v);
}

/** Field/value rows of a record of ``kind``, internals left out, each field by its label. */
export function readableRows(kind: string, props: Record<string, unknown>): [string, Node | string][] {
  return Object.entries(props)
    .filter(([k]) => !INTERNAL_FIELDS.has(k))
    .map(([k, v]) => [fieldLabel(kind, k), displayValue(k, v)]);
}
