// Field data: download the field forms (XLSForm), upload field-form exports and geodata
// files as drafts (with a dry run, and every rejected row shown with its reason; a geodata
// file is previewed first, with its columns, CRS and first rows on a map: preview.ts), and the
// links to the published open data. All work is the server's: this page only asks and shows.
import { ApiError, currentUser, get, request, type User } from "./api";
import { $, h, label, status, table } from "./dom";
import { renderHeader } from "./nav";
import { COMMON_CRS, chosenMapping, showPreview, type PreviewAnswer } from "./preview";

interface FieldForm {
  form_id: string;
  kind: string;
  title: string;
  description: string;
  version: string;
  href: string;
}

interface Rejected {
  file: string | null;
  row: number | string | null;
  field: string | null;
  reason: string;
  instance_id?: string | null;
}

interface SubmissionsAnswer {
  dry_run: boolean;
  committed: boolean;
  form: string;
  flavour: string;
  created: { code: string; kind: string; item_code: string | null; external_id: string | null }[];
  skipped: { instance_id: string; report: string }[];
  rejected: Rejected[];
  submissions: { instance_id: string; row: number | string; reports: number }[];
}

interface GeodataAnswer {
  dry_run: boolean;
  committed: boolean;
  kind: string;
  read: number;
  landed: number;
  item_codes: string[];
  skipped: { file: string; row: number; external_id: string; item_code: string | null }[];
  rejected: Rejected[];
  notes: { file: string; row: number | string | null; note: string }[];
}

const FIELDS = ["file", "kind", "id-column", "layer", "doi", "crs", "prj"];
let maxBytes = Infinity;
let prjText: string | null = null; // the CRS of the .prj given beside the file
let previewed = false; // the preview's column choices are sent with the upload

const input = (id: string) => $(`#u-${id}`) as HTMLInputElement;
const megabytes = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

function setError(name: string, message: string): boolean {
  const el = document.getElementById(`u-${name}-error`);
  if (!el) return !message;
  el.textContent = message;
  input(name).setAttribute("aria-invalid", message ? "true" : "false");
  return !message;
}

function isGeodata(): boolean {
  return input("type").value === "geodata";
}

function showUploadKind(): void {
  // The defaults of the CLI: a field export lands its good submissions; a geodata file is
  // all or nothing.
  input("keep-going").checked = !isGeodata();
  $("#u-geodata-fields").hidden = !isGeodata();
  $("#u-format-field").hidden = isGeodata();
  $("#u-preview").hidden = !isGeodata();
  clearPreview();
  $("#u-file-hint").textContent = isGeodata()
    ? "GeoJSON, GeoPackage, zipped Shapefile or CSV (a WKT column, or longitude/latitude, x/y or easting/northing columns). Preview to see the first rows on a map, choose other columns or the CRS, and see every rejected row before anything is written."
    : "KoboToolbox CSV, XLSX or JSON; ODK Central's .csv.zip or OData JSON.";
}

function clearPreview(): void {
  $("#u-preview-area").replaceChildren();
  previewed = false;
}

const prjProblem = () =>
  prjText !== null && !/^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\[/i.test(prjText) ? "This is not a .prj: it should start with PROJCS[ or GEOGCS[." : "";

/** The CRS typed or picked from the list ("EPSG:32636 WGS 84 / UTM zone 36N", "32636"). */
function typedCrs(): string {
  const code = input("crs").value.trim().split(/\s+/)[0] ?? "";
  return /^\d+$/.test(code) ? `EPSG:${code}` : code;
}

async function readPrj(): Promise<void> {
  const file = input("prj").files?.[0];
  prjText = file ? await file.text() : null;
  setError("prj", prjProblem());
  input("crs").disabled = prjText !== null;
  input("crs").placeholder = file ? `from ${file.name}` : "e.g. EPSG:32636";
}

function validate(): boolean {
  FIELDS.forEach((f) => setError(f, ""));
  const file = input("file").files?.[0];
  let ok = true;
  if (!file) ok = setError("file", "Choose the file to upload.") && ok;
  else if (file.size > maxBytes) ok = setError("file", `The file is ${megabytes(file.size)}; the server accepts up to ${megabytes(maxBytes)}. Import it with the command line.`) && ok;
  if (isGeodata() && !input("kind").value) ok = setError("kind", "Choose the kind of record.") && ok;
  if (isGeodata() && prjProblem()) ok = setError("prj", prjProblem()) && ok;
  return ok;
}

function formData(): FormData {
  const data = new FormData();
  data.append("file", input("file").files![0]);
  data.append("dry_run", String(input("dry-run").checked));
  data.append("keep_going", String(input("keep-going").checked));
  if (isGeodata()) {
    data.append("kind", input("kind").value);
    for (const [name, id] of [["id_column", "id-column"], ["layer", "layer"], ["date_of_information", "doi"]]) {
      if (input(id).value.trim()) data.append(name, input(id).value.trim());
    }
    const crs = prjText ?? typedCrs();
    if (crs) data.append("crs", crs);
    const mapping = previewed ? chosenMapping($("#u-preview-area")) : null;
    if (mapping) data.append("mapping", mapping);
  } else {
    data.append("format", input("format").value);
  }
  return data;
}

const where = (r: { row: number | string | null; file: string | null }) => `${r.file ?? ""}${r.row !== null && r.row !== "" ? `, row ${r.row}` : ""}`;

function rejectedTable(rejected: Rejected[]): HTMLElement {
  const t = table(
    ["Where", "Submission or field", "Reason"],
    rejected.map((r) => [where(r), [r.instance_id, r.field].filter(Boolean).join(" · ") || "—", r.reason]),
    `Rejected (${rejected.length})`,
  );
  t.id = "u-rejected";
  t.querySelectorAll("tbody tr").forEach((tr, i) => tr.setAttribute("id", `rejected-${i + 1}`));
  return t;
}

function verdict(a: { dry_run: boolean; committed: boolean; rejected: Rejected[] }, done: string, pending: string): string {
  if (a.dry_run) return `Dry run, nothing written: ${pending}.`;
  if (!a.committed) return `Nothing imported, because ${a.rejected.length} row(s) were rejected: fix them, or tick "Keep going". ${pending}.`;
  return `${done}.`;
}

function submissionsResult(a: SubmissionsAnswer): HTMLElement[] {
  const waiting = a.submissions.reduce((n, s) => n + s.reports, 0);
  const pending = `${a.submissions.length} submission(s) would become ${waiting} draft report(s)`;
  const done = `${a.created.length} draft report(s) created from ${a.submissions.length} submission(s) of ${a.form} (${a.flavour})`;
  const parts: HTMLElement[] = [
    h("p", { id: "u-summary", text: `${verdict(a, done, pending)} ${a.skipped.length} already imported, ${a.rejected.length} rejected.` }),
  ];
  if (a.created.length) {
    const t = table(
      ["Report", "Kind", "Item", "Submission"],
      a.created.map((r) => [h("a", { href: `/queue.html?saved=${r.code}`, text: r.code }), label(r.kind), r.item_code ?? "—", r.external_id ?? ""]),
      `Created drafts (${a.created.length})`,
    );
    t.id = "u-created";
    parts.push(t);
  } else if (a.submissions.length) {
    parts.push(table(["Submission", "Row", "Draft reports"], a.submissions.map((s) => [s.instance_id, String(s.row), String(s.reports)]), "Would be imported"));
  }
  if (a.skipped.length) {
    const t = table(["Submission", "Imported before as"], a.skipped.map((s) => [s.instance_id, s.report]), `Already imported, skipped (${a.skipped.length})`);
    t.id = "u-skipped";
    parts.push(t);
  }
  if (a.rejected.length) parts.push(rejectedTable(a.rejected));
  return parts;
}

function geodataResult(a: GeodataAnswer): HTMLElement[] {
  const pending = `${a.landed} of ${a.read} feature(s) would become draft ${label(a.kind)} reports`;
  const done = `${a.landed} of ${a.read} feature(s) imported as draft ${label(a.kind)} reports`;
  const parts: HTMLElement[] = [
    h("p", { id: "u-summary", text: `${verdict(a, done, pending)} ${a.skipped.length} already imported, ${a.rejected.length} rejected.` }),
  ];
  if (a.item_codes.length) {
    const t = table(["Item"], a.item_codes.map((c) => [c]), a.committed ? `Created drafts (${a.item_codes.length})` : "Would be imported");
    if (a.committed) t.id = "u-created";
    parts.push(t);
  }
  if (a.skipped.length) {
    const t = table(["Where", "Id", "Item"], a.skipped.map((s) => [where(s), s.external_id, s.item_code ?? "—"]), `Already imported, skipped (${a.skipped.length})`);
    t.id = "u-skipped";
    parts.push(t);
  }
  if (a.rejected.length) parts.push(rejectedTable(a.rejected));
  if (a.notes.length) parts.push(table(["Where", "Note"], a.notes.map((n) => [where(n), n.note]), `Notes: repairs and warnings (${a.notes.length})`));
  return parts;
}

function show(answer: SubmissionsAnswer | GeodataAnswer, geodata: boolean): void {
  const parts = geodata ? geodataResult(answer as GeodataAnswer) : submissionsResult(answer as SubmissionsAnswer);
  $("#u-results").replaceChildren(h("h3", { text: "Result" }), ...parts);
  window.minewatch = { ...window.minewatch, upload: answer };
  document.body.dataset.uploaded = String(Date.now());
}

function showError(e: ApiError): void {
  const field = { date_of_information: "doi", id_column: "id-column", crs: prjText ? "prj" : "crs" }[e.field ?? ""] ?? e.field ?? "";
  setError(FIELDS.includes(field) ? field : "file", e.status === 413 ? `The file is too large for the server (${e.message}).` : e.message);
}

async function preview(): Promise<void> {
  if (!validate()) return;
  const button = $("#u-preview") as HTMLButtonElement;
  button.disabled = true;
  status("Reading the file and checking every row (nothing is written)…");
  $("#u-results").replaceChildren();
  try {
    const { data } = await request<PreviewAnswer>("POST", "/api/intake/geodata/preview", formData());
    await showPreview($("#u-preview-area"), data);
    previewed = true;
    window.minewatch = { ...window.minewatch, preview: data };
    document.body.dataset.previewed = String(Date.now());
    status(data.rejected.length ? `Preview: ${data.rejected.length} row(s) would be rejected; see the table. Nothing written.` : "Preview: every row would be imported. Nothing written yet.", data.rejected.length ? "error" : "ok");
    $("#p-heading").focus();
  } catch (err) {
    const e = err as ApiError;
    clearPreview();
    showError(e);
    status(e.message, "error");
  } finally {
    button.disabled = false;
  }
}

async function upload(): Promise<void> {
  if (!validate()) return;
  const geodata = isGeodata();
  const button = $("#u-submit") as HTMLButtonElement;
  button.disabled = true;
  status("Uploading and checking…");
  try {
    const { data } = await request<SubmissionsAnswer | GeodataAnswer>("POST", geodata ? "/api/intake/geodata" : "/api/intake/submissions", formData());
    show(data, geodata);
    status(data.rejected.length ? "Done, with rejected rows: see the table below." : "Done.", data.rejected.length ? "error" : "ok");
  } catch (err) {
    const e = err as ApiError;
    if (e.body && Array.isArray(e.body.rejected)) {
      show(e.body, geodata); // all or nothing: the server lists every rejected row
    } else {
      $("#u-results").replaceChildren();
      showError(e);
    }
    status(e.message, "error");
  } finally {
    button.disabled = false;
  }
}

async function renderForms(): Promise<void> {
  const answer = await get<{ forms: FieldForm[]; max_upload_bytes: number }>("/api/forms");
  maxBytes = answer.max_upload_bytes;
  $("#forms-list").replaceChildren(
    table(
      ["Form", "Makes", "XLSForm"],
      answer.forms.map((f) => [
        // The version goes under the description: a fourth column made a phone's page scroll sideways.
        h("span", {}, h("strong", { text: f.title }), h("br"), h("span", { class: "note", text: f.description }), h("br"), h("span", { class: "note", text: `Version ${f.version}` })),
        label(f.kind),
        h("a", { href: f.href, download: `${f.form_id}.xlsx`, id: `form-${f.form_id}`, "aria-label": `Download ${f.title} (XLSForm)`, text: `${f.form_id}.xlsx` }),
      ]),
      `${answer.forms.length} forms, ready for KoboToolbox and ODK Central`,
    ),
  );
  const kinds = await get<{ kind: string }[]>("/api/kinds");
  input("kind").replaceChildren(...kinds.map((k) => h("option", { value: k.kind, text: label(k.kind), selected: k.kind === "hazardous_area" })));
}

async function renderPublish(): Promise<void> {
  const answer = await get<{ hxl: { kind: string; href: string }[]; package: string }>("/api/publish");
  $("#publish-list").replaceChildren(
    h(
      "ul",
      {},
      h("li", {}, h("a", { href: answer.package, id: "publish-package", download: true, text: "Public data package (zip)" })),
      ...answer.hxl.map((x) => h("li", {}, h("a", { href: x.href, id: `publish-${x.kind}`, download: true, text: `${label(x.kind)} (HXL CSV)` }))),
    ),
  );
}

function mayUpload(user: User): boolean {
  return user.signed_in && user.role !== "public";
}

async function main(): Promise<void> {
  void renderHeader();
  const user = await currentUser();
  await renderPublish();
  if (mayUpload(user)) {
    $("#forms-section").hidden = false;
    $("#upload-section").hidden = false;
    showUploadKind();
    input("type").addEventListener("change", showUploadKind);
    input("file").addEventListener("change", clearPreview);
    input("kind").addEventListener("change", clearPreview);
    input("prj").addEventListener("change", () => void readPrj());
    $("#u-preview").addEventListener("click", () => void preview());
    $("#u-crs-list").replaceChildren(...COMMON_CRS.map(([code, name]) => h("option", { value: `${code} ${name}` })));
    $("#upload-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void upload();
    });
    await renderForms();
  } else {
    status(user.signed_in ? "Field forms and uploads are for data workers: ask an administrator for an account." : "Sign in as a data worker to download the field forms and upload field data.");
  }
  document.body.dataset.loaded = "true";
}

main().catch((e) => status(String(e), "error"));
