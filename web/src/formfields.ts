// Form fields rendered from the server's description of a kind (/api/entry-forms/{kind}, built
// from the domain schema): every control, its label and help, its bounds and choices come
// from there, so no page lists fields by hand. Each field has an error paragraph
// #f-<name>-error (aria-describedby) where the browser's checks and the server's land.
import { get } from "./api";
import { h } from "./dom";
import { formatNumber, t } from "./i18n";

export interface Choice {
  value: string;
  label: string;
}
export interface FieldDesc {
  name: string;
  label: string;
  control: "text" | "long_text" | "number" | "date" | "datetime" | "choice" | "multi_choice" | "reference" | "people_by_sex_age" | "rows";
  required: boolean;
  help: string | null;
  personal?: boolean;
  default?: unknown;
  choices?: Choice[];
  integer?: boolean;
  minimum?: number | null;
  maximum?: number | null;
  /** The most characters a text field holds (the server refuses more). */
  max_length?: number | null;
  refers_to?: string;
  columns?: FieldDesc[];
  rows?: { suffix: string; label: string }[];
}
export interface FormDesc {
  kind: string;
  label: string;
  geometry_type: string | null;
  report_fields: FieldDesc[];
  fields: FieldDesc[];
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

export const errorId = (name: string) => `f-${name}-error`;

/** Sets (or with "" clears) the error shown next to field ``name``; returns whether it is fine. */
export function setError(name: string, message: string): boolean {
  const el = document.getElementById(errorId(name));
  if (el) el.textContent = message;
  document.querySelectorAll(`[data-field="${name}"] input, [data-field="${name}"] select, [data-field="${name}"] textarea, #f-${name}`).forEach((i) => i.setAttribute("aria-invalid", message ? "true" : "false"));
  return !message;
}

/** "Whole number, at least 1" — what a number field takes, said once from its bounds. */
export function numberHint(f: FieldDesc): string {
  const lo = f.minimum ?? null;
  const hi = f.maximum ?? null;
  const bounds = { lo: formatNumber(lo), hi: formatNumber(hi) };
  if (f.integer) {
    if (lo !== null && hi !== null) return t("Whole number from {lo} to {hi}", bounds);
    if (lo !== null) return t("Whole number, at least {lo}", bounds);
    if (hi !== null) return t("Whole number, at most {hi}", bounds);
    return t("Whole number");
  }
  if (lo !== null && hi !== null) return t("Number from {lo} to {hi}", bounds);
  if (lo !== null) return t("Number, at least {lo}", bounds);
  if (hi !== null) return t("Number, at most {hi}", bounds);
  return t("Number");
}

/** A number typed by a person ("1,5", " 3 ") checked against the field; throws the message. */
export function parseNumber(f: FieldDesc, raw: string): number | undefined {
  const text = raw.trim().replace(/\s/g, "");
  if (text === "") return undefined;
  // "1,500" is a thousand and a half to some and one and a half to others: ask.
  const typed = raw.trim();
  if (text.includes(",")) throw new Error(t("Write the number without commas, with a point for decimals (for example 1500 or 1.5), not “{text}”.", { text: typed }));
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(t("{hint}: “{text}” is not a number.", { hint: numberHint(f), text: typed }));
  const n = Number(text);
  if (f.integer && !Number.isInteger(n)) throw new Error(t("{hint}: enter a whole number.", { hint: numberHint(f) }));
  if (f.minimum != null && n < f.minimum) throw new Error(f.minimum === 0 ? t("Cannot be negative.") : t("At least {lo}.", { lo: formatNumber(f.minimum) }));
  if (f.maximum != null && n > f.maximum) throw new Error(t("At most {hi}.", { hi: formatNumber(f.maximum) }));
  return n;
}

/** A date as YYYY-MM-DD (2024-3-1 is made 2024-03-01); throws when it is not a real day. */
export function parseDate(raw: string): string | undefined {
  const text = raw.trim();
  if (text === "") return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) throw new Error(t("Write the date as YYYY-MM-DD, for example 2024-03-01 (not “{text}”).", { text }));
  const iso = `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw new Error(t("{text} is not a day of the calendar.", { text }));
  return iso;
}

function numberInput(id: string, f: FieldDesc, describedBy: string): HTMLInputElement {
  // A text box with a numeric keyboard: type=number silently drops what it cannot parse,
  // so the person would never learn why their value vanished.
  return h("input", { id, name: f.name, type: "text", inputmode: f.integer ? "numeric" : "decimal", autocomplete: "off", "aria-describedby": describedBy }) as HTMLInputElement;
}

function selectOf(id: string, f: FieldDesc, describedBy: string | null, blank = t("— not recorded —")): HTMLSelectElement {
  const select = h("select", { id, name: f.name, "aria-describedby": describedBy }, h("option", { value: "", text: blank }), ...(f.choices ?? []).map((c) => h("option", { value: c.value, text: c.label }))) as HTMLSelectElement;
  if (f.default !== undefined) select.value = String(f.default);
  return select;
}

// --- nested values: the sex-and-age grid and tables of rows -----------------------------

function peopleGrid(f: FieldDesc, describedBy: string): HTMLElement {
  const cols = f.columns ?? [];
  const rows = f.rows ?? [{ suffix: "", label: "" }];
  // Sex and age across; a row per breakdown (all people, those with a disability, ...).
  const base = cols.filter((c) => !rows.some((r) => r.suffix && c.name.endsWith(r.suffix)));
  const body = rows.map((r) => {
    const total = h("output", { id: `f-${f.name}${r.suffix}-total`, text: "0" });
    const inputs = base.flatMap((b) => {
      const c = cols.find((x) => x.name === b.name + r.suffix);
      if (!c) return [];
      const input = numberInput(`f-${f.name}-${c.name}`, { ...c, integer: true }, describedBy);
      input.setAttribute("aria-label", `${f.label}: ${c.label}`);
      input.dataset.column = c.name;
      return [input];
    });
    const sum = () => (total.textContent = String(inputs.reduce((s, i) => s + (Number(i.value) > 0 ? Number(i.value) : 0), 0)));
    inputs.forEach((i) => i.addEventListener("input", sum));
    return h("tr", {}, rows.length > 1 ? h("th", { scope: "row", text: r.label }) : null, ...inputs.map((i) => h("td", {}, i)), h("td", {}, total));
  });
  return h(
    "div",
    { class: "rows-field" },
    h(
      "table",
      { class: "grid people", id: `f-${f.name}` },
      h("caption", { text: f.label }),
      h("thead", {}, h("tr", {}, rows.length > 1 ? h("td", {}) : null, ...base.map((c) => h("th", { scope: "col", text: c.label })), h("th", { scope: "col", text: t("Total") }))),
      h("tbody", {}, ...body),
    ),
  );
}

function rowCell(f: FieldDesc, c: FieldDesc, row: number): HTMLElement {
  const id = `f-${f.name}-${row}-${c.name}`;
  const el = c.choices ? selectOf(id, c, null, t("— choose —")) : (h("input", { id, name: c.name, type: "text", maxlength: c.max_length }) as HTMLInputElement);
  el.dataset.column = c.name;
  el.setAttribute("aria-label", `${f.label} ${row + 1}: ${c.label}`);
  return el;
}

function rowsTable(f: FieldDesc): HTMLElement {
  const cols = f.columns ?? [];
  const body = h("tbody", {});
  const renumber = () => [...body.children].forEach((tr, i) => ((tr.firstElementChild as HTMLElement).textContent = String(i + 1)));
  const add = (values: Record<string, unknown> = {}) => {
    const row = body.children.length;
    const cells = cols.map((c) => rowCell(f, c, row));
    cells.forEach((el) => {
      const v = values[(el as HTMLElement).dataset.column!];
      if (v != null) (el as HTMLInputElement).value = String(v);
    });
    const remove = h("button", { type: "button", class: "link", text: t("Remove"), "aria-label": t("Remove {what} {row}", { what: f.label, row: row + 1 }) });
    const tr = h("tr", { class: "entry-row" }, h("td", { text: String(row + 1) }), ...cells.map((el) => h("td", {}, el)), h("td", {}, remove));
    remove.addEventListener("click", () => {
      tr.remove();
      renumber();
    });
    body.append(tr);
  };
  const wrap = h(
    "div",
    { class: "rows-field" },
    h(
      "table",
      { class: "grid rows", id: `f-${f.name}` },
      h("caption", { text: f.label }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "#" }), ...cols.map((c) => h("th", { scope: "col", text: c.label + (c.required ? " *" : "") })), h("th", { scope: "col", text: "" }))),
      body,
    ),
    h("button", { type: "button", class: "add-row", id: `f-${f.name}-add`, text: t("Add a row: {what}", { what: f.label }) }),
  );
  wrap.querySelector("button.add-row")!.addEventListener("click", () => add());
  (wrap as any).addRow = add;
  return wrap;
}

// --- reference pickers -------------------------------------------------------------------

const choiceCache = new Map<string, Promise<{ code: string; label: string; detail: string }[]>>();

function choicesOf(kind: string, q: string) {
  const key = `${kind}?${q}`;
  if (!choiceCache.has(key)) choiceCache.set(key, get(`/api/entry-forms/${kind}/choices?limit=50${q ? `&q=${encodeURIComponent(q)}` : ""}`));
  return choiceCache.get(key)!;
}

/** A searchable picker: type part of a name or code, choose from the list; the code is kept. */
function picker(id: string, f: FieldDesc, describedBy: string): HTMLElement {
  const list = h("datalist", { id: `${id}-list` });
  const input = h("input", { id, name: f.name, type: "search", list: `${id}-list`, autocomplete: "off", placeholder: t("Type a name or code"), "aria-describedby": describedBy }) as HTMLInputElement;
  const chosen = h("span", { class: "note chosen", id: `${id}-chosen` });
  const fill = async () => {
    const options = await choicesOf(f.refers_to!, input.value.includes(" — ") ? "" : input.value.trim());
    list.replaceChildren(...options.map((o) => h("option", { value: `${o.label} — ${o.code}`, text: o.detail })));
  };
  input.addEventListener("focus", () => void fill());
  input.addEventListener("input", () => {
    input.dataset.code = "";
    chosen.textContent = "";
    void fill();
  });
  input.addEventListener("change", () => {
    const m = / — ([A-Z]+-[\w-]+)$/.exec(input.value);
    input.dataset.code = m ? m[1] : "";
  });
  return h("div", { class: "picker" }, input, list, chosen);
}

/** Puts an item's code in a picker, showing the item's name where it is known. */
export async function setPicker(input: HTMLInputElement, kind: string, code: string): Promise<void> {
  input.dataset.code = code;
  input.value = code;
  const found = (await choicesOf(kind, code).catch(() => [])).find((o) => o.code === code);
  if (found) input.value = `${found.label} — ${found.code}`;
}

// --- one field ---------------------------------------------------------------------------

export function renderField(f: FieldDesc): HTMLElement {
  const id = `f-${f.name}`;
  const err = errorId(f.name);
  const helpId = `${id}-help`;
  const describedBy = f.help || f.control === "number" ? `${helpId} ${err}` : err;
  let control: HTMLElement;
  switch (f.control) {
    case "multi_choice":
      control = h("fieldset", { id, class: "choices", "aria-describedby": describedBy }, h("legend", { text: f.label }), ...(f.choices ?? []).map((c) => h("label", {}, h("input", { type: "checkbox", name: f.name, value: c.value }), ` ${c.label}`)));
      break;
    case "choice":
      control = selectOf(id, f, describedBy);
      break;
    case "number":
      control = numberInput(id, f, describedBy);
      break;
    case "date":
      control = h("input", { id, name: f.name, type: "text", inputmode: "numeric", placeholder: "YYYY-MM-DD", autocomplete: "off", "aria-describedby": describedBy });
      break;
    case "datetime":
      control = h("input", { id, name: f.name, type: "text", placeholder: "YYYY-MM-DD HH:MM", autocomplete: "off", "aria-describedby": describedBy });
      break;
    case "reference":
      control = picker(id, f, describedBy);
      break;
    case "people_by_sex_age":
      control = peopleGrid(f, describedBy);
      break;
    case "rows":
      control = rowsTable(f);
      break;
    case "long_text":
      control = h("textarea", { id, name: f.name, rows: 3, maxlength: f.max_length, "aria-describedby": describedBy });
      break;
    default:
      control = h("input", { id, name: f.name, type: "text", maxlength: f.max_length, "aria-describedby": describedBy });
  }
  const wrap = h("div", { class: `field field-${f.control}`, "data-field": f.name, "data-control": f.control });
  const labelled = ["multi_choice", "people_by_sex_age", "rows"].includes(f.control);
  if (!labelled) wrap.append(h("label", { for: id }, f.label, f.required ? h("span", { class: "req", text: ` ${t("(required)")}` }) : null));
  if (f.personal) wrap.append(h("span", { class: "badge", text: t("personal data") }));
  const help = [f.help, f.control === "number" ? numberHint(f) : null].filter(Boolean).join(". ");
  if (help) wrap.append(h("p", { class: "note help", id: helpId, text: help }));
  wrap.append(control, h("p", { class: "error", id: err, "aria-live": "polite" }));
  return wrap;
}

// --- reading values back ----------------------------------------------------------------

const q = <T extends Element>(root: ParentNode, sel: string) => root.querySelector(sel) as T | null;

/** The field's value as the API takes it (undefined when blank); throws the message to show. */
export function readField(f: FieldDesc, root: ParentNode = document): unknown {
  const el = q<HTMLInputElement>(root, `#f-${f.name}`);
  switch (f.control) {
    case "multi_choice": {
      const v = [...root.querySelectorAll<HTMLInputElement>(`input[name="${f.name}"]:checked`)].map((i) => i.value);
      return v.length ? v : undefined;
    }
    case "number":
      return parseNumber(f, el?.value ?? "");
    case "date":
      return parseDate(el?.value ?? "");
    case "choice": {
      const v = el?.value ?? "";
      if (v === "") return undefined;
      return v === "true" ? true : v === "false" ? false : v;
    }
    case "reference": {
      const text = (el?.value ?? "").trim();
      if (text === "") return undefined;
      if (!el?.dataset.code) throw new Error(t("Choose from the list: nothing in “{what}” matches “{text}”.", { what: f.label, text }));
      return el.dataset.code;
    }
    case "people_by_sex_age": {
      const out: Record<string, number> = {};
      for (const c of f.columns ?? []) {
        const raw = q<HTMLInputElement>(root, `#f-${f.name}-${c.name}`)?.value ?? "";
        try {
          const n = parseNumber({ ...c, integer: true }, raw);
          if (n !== undefined) out[c.name] = n;
        } catch (e) {
          throw new Error(`${c.label}: ${(e as Error).message}`);
        }
      }
      return Object.keys(out).length ? out : undefined;
    }
    case "rows": {
      const rows: Record<string, unknown>[] = [];
      root.querySelectorAll(`#f-${f.name} tbody tr`).forEach((tr, i) => {
        const row: Record<string, unknown> = {};
        tr.querySelectorAll<HTMLInputElement>("[data-column]").forEach((cell) => {
          if (cell.value.trim() !== "") row[cell.dataset.column!] = cell.value.trim();
        });
        if (!Object.keys(row).length) return; // an empty row is no row
        for (const c of f.columns ?? []) {
          if (c.required && !(c.name in row)) throw new Error(t("Row {row}: choose “{what}”.", { row: i + 1, what: c.label }));
        }
        rows.push(row);
      });
      return rows.length ? rows : undefined;
    }
    default: {
      const v = (el?.value ?? "").trim();
      return v === "" ? undefined : v;
    }
  }
}

/** Shows a stored value in its field (an edited draft, a GeoJSON file's properties). */
export function fillField(f: FieldDesc, value: unknown, root: ParentNode = document): void {
  if (value === null || value === undefined) return;
  const el = q<HTMLInputElement>(root, `#f-${f.name}`);
  if (f.control === "multi_choice" && Array.isArray(value)) {
    root.querySelectorAll<HTMLInputElement>(`input[name="${f.name}"]`).forEach((i) => (i.checked = value.includes(i.value)));
  } else if (f.control === "people_by_sex_age" && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const cell = q<HTMLInputElement>(root, `#f-${f.name}-${k}`);
      if (cell && v !== null) {
        cell.value = String(v);
        cell.dispatchEvent(new Event("input")); // the row's total
      }
    }
  } else if (f.control === "rows" && Array.isArray(value)) {
    const wrap = q<HTMLElement>(root, `[data-field="${f.name}"] .rows-field`) as any;
    for (const row of value) wrap?.addRow(row);
  } else if (f.control === "reference" && el) {
    void setPicker(el, f.refers_to!, String(value));
  } else if (el) {
    el.value = String(value);
  }
}
