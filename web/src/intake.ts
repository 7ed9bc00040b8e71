// Field data: download the field forms (XLSForm), upload field-form exports and geodata
// files as drafts (with a dry run, and every rejected row shown with its reason; a geodata
// file is previewed first, with its columns, CRS and first rows on a map: preview.ts), and the
// links to the published open data. All work is the server's: this page only asks and shows.
import { ApiError, currentUser, get, request, type User } from "./api";
import { $, h, status, table } from "./dom";
import { parseDate } from "./formfields";
import { formatNumber, label, t } from "./i18n";
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
const megabytes = (n: number) => t("{size} MB", { size: formatNumber(n / 1048576, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });

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
    ? t("GeoJSON, GeoPackage, zipped Shapefile or CSV (a WKT column, or longitude/latitude, x/y or easting/northing columns). Preview to see the first rows on a map, choose other columns or the CRS, and see every rejected row before anything is written.")
    : t("KoboToolbox CSV, XLSX or JSON; ODK Central's .csv.zip or OData JSON.");
}

function clearPreview(): void {
  $("#u-preview-area").replaceChildren();
  previewed = false;
}

const prjProblem = () =>
  prjText !== null && !/^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\[/i.test(prjText) ? t("This is not a .prj: it should start with PROJCS[ or GEOGCS[.") : "";

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
  input("crs").placeholder = file ? t("from {file}", { file: file.name }) : t("e.g. EPSG:32636");
}

function validate(): boolean {
  FIELDS.forEach((f) => setError(f, ""));
  const file = input("file").files?.[0];
  let ok = true;
  if (!file) ok = setError("file", t("Choose the file to upload.")) && ok;
  else if (file.size > maxBytes) ok = setError("file", t("The file is {size}; the server accepts up to {limit}. Import it with the command line.", { size: megabytes(file.size), limit: megabytes(maxBytes) })) && ok;
  if (isGeodata() && !input("kind").value) ok = setError("kind", t("Choose the kind of record.")) && ok;
  if (isGeodata() && prjProblem()) ok = setError("prj", prjProblem()) && ok;
  if (isGeodata()) {
    try {
      parseDate(input("doi").value); // an ISO day (YYYY-MM-DD), never the browser's mm/dd/yyyy
    } catch (err) {
      ok = setError("doi", (err as Error).message) && ok;
    }
  }
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
      const value = id === "doi" ? (parseDate(input(id).value) ?? "") : input(id).value.trim();
      if (value) data.append(name, value);
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

const where = (r: { row: number | string | null; file: string | null }) =>
  r.row !== null && r.row !== "" ? t("{file}, row {row}", { file: r.file ?? "", row: String(r.row) }) : (r.file ?? "");

function rejectedTable(rejected: Rejected[]): HTMLElement {
  const rows = table(
    [t("Where"), t("Submission or field"), t("Reason")],
    rejected.map((r) => [where(r), [r.instance_id, r.field].filter(Boolean).join(" · ") || "—", r.reason]),
    t("Rejected ({count})", { count: rejected.length }),
  );
  rows.id = "u-rejected";
  rows.querySelectorAll("tbody tr").forEach((tr, i) => tr.setAttribute("id", `rejected-${i + 1}`));
  return rows;
}

function verdict(a: { dry_run: boolean; committed: boolean; rejected: Rejected[] }, done: string, pending: string): string {
  if (a.dry_run) return t("Dry run, nothing written: {outcome}.", { outcome: pending });
  if (!a.committed) return t("Nothing imported, because rows were rejected ({count}): fix them, or tick “Keep going”. {outcome}.", { count: a.rejected.length, outcome: pending });
  return `${done}.`;
}

/** "Already imported: 2 · rejected: 1." */
const tally = (a: { skipped: unknown[]; rejected: unknown[] }) =>
  t("Already imported: {skipped} · rejected: {rejected}.", { skipped: a.skipped.length, rejected: a.rejected.length });

function submissionsResult(a: SubmissionsAnswer): HTMLElement[] {
  const waiting = a.submissions.reduce((n, s) => n + s.reports, 0);
  const pending = t("submissions: {count}; they would become draft reports: {reports}", { count: a.submissions.length, reports: waiting });
  const done = t("Draft reports created: {count}, from submissions of {form} ({flavour}): {submissions}", { count: a.created.length, form: a.form, flavour: a.flavour, submissions: a.submissions.length });
  const parts: HTMLElement[] = [h("p", { id: "u-summary", text: `${verdict(a, done, pending)} ${tally(a)}` })];
  if (a.created.length) {
    const created = table(
      [t("Report"), t("Kind"), t("Item"), t("Submission")],
      a.created.map((r) => [h("a", { href: `/queue.html?saved=${r.code}`, text: r.code }), label("Kind", r.kind), r.item_code ?? "—", r.external_id ?? ""]),
      t("Created drafts ({count})", { count: a.created.length }),
    );
    created.id = "u-created";
    parts.push(created);
  } else if (a.submissions.length) {
    parts.push(table([t("Submission"), t("Row"), t("Draft reports")], a.submissions.map((s) => [s.instance_id, String(s.row), formatNumber(s.reports)]), t("Would be imported")));
  }
  if (a.skipped.length) {
    const skipped = table([t("Submission"), t("Imported before as")], a.skipped.map((s) => [s.instance_id, s.report]), t("Already imported, skipped ({count})", { count: a.skipped.length }));
    skipped.id = "u-skipped";
    parts.push(skipped);
  }
  if (a.rejected.length) parts.push(rejectedTable(a.rejected));
  return parts;
}

function geodataResult(a: GeodataAnswer): HTMLElement[] {
  const counts = { landed: a.landed, read: a.read, kind: label("Kind", a.kind) };
  const pending = t("{landed} of {read} features would become draft reports ({kind})", counts);
  const done = t("{landed} of {read} features imported as draft reports ({kind})", counts);
  const parts: HTMLElement[] = [h("p", { id: "u-summary", text: `${verdict(a, done, pending)} ${tally(a)}` })];
  if (a.item_codes.length) {
    const items = table([t("Item")], a.item_codes.map((c) => [c]), a.committed ? t("Created drafts ({count})", { count: a.item_codes.length }) : t("Would be imported"));
    if (a.committed) items.id = "u-created";
    parts.push(items);
  }
  if (a.skipped.length) {
    const skipped = table([t("Where"), t("Id"), t("Item")], a.skipped.map((s) => [where(s), s.external_id, s.item_code ?? "—"]), t("Already imported, skipped ({count})", { count: a.skipped.length }));
    skipped.id = "u-skipped";
    parts.push(skipped);
  }
  if (a.rejected.length) parts.push(rejectedTable(a.rejected));
  if (a.notes.length) parts.push(table([t("Where"), t("Note")], a.notes.map((n) => [where(n), n.note]), t("Notes: repairs and warnings ({count})", { count: a.notes.length })));
  return parts;
}

function show(answer: SubmissionsAnswer | GeodataAnswer, geodata: boolean): void {
  const parts = geodata ? geodataResult(answer as GeodataAnswer) : submissionsResult(answer as SubmissionsAnswer);
  $("#u-results").replaceChildren(h("h3", { text: t("Result") }), ...parts);
  window.minewatch = { ...window.minewatch, upload: answer };
  document.body.dataset.uploaded = String(Date.now());
}

function showError(e: ApiError): void {
  const field = { date_of_information: "doi", id_column: "id-column", crs: prjText ? "prj" : "crs" }[e.field ?? ""] ?? e.field ?? "";
  setError(FIELDS.includes(field) ? field : "file", e.status === 413 ? t("The file is too large for the server ({error}).", { error: e.message }) : e.message);
}

async function preview(): Promise<void> {
  if (!validate()) return;
  const button = $("#u-preview") as HTMLButtonElement;
  button.disabled = true;
  status(t("Reading the file and checking every row (nothing is written)…"));
  $("#u-results").replaceChildren();
  try {
    const { data } = await request<PreviewAnswer>("POST", "/api/intake/geodata/preview", formData());
    await showPreview($("#u-preview-area"), data);
    previewed = true;
    window.minewatch = { ...window.minewatch, preview: data };
    document.body.dataset.previewed = String(Date.now());
    status(
      data.rejected.length
        ? t("Preview: rows that would be rejected: {count}; see the table. Nothing written.", { count: data.rejected.length })
        : t("Preview: every row would be imported. Nothing written yet."),
      data.rejected.length ? "error" : "ok",
    );
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
  status(t("Uploading and checking…"));
  try {
    const { data } = await request<SubmissionsAnswer | GeodataAnswer>("POST", geodata ? "/api/intake/geodata" : "/api/intake/submissions", formData());
    show(data, geodata);
    status(data.rejected.length ? t("Done, with rejected rows: see the table below.") : t("Done."), data.rejected.length ? "error" : "ok");
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
      [t("Form"), t("Makes"), "XLSForm"],
      answer.forms.map((f) => [
        // The version goes under the description: a fourth column made a phone's page scroll sideways.
        // The title comes in the page's language; the description is the form's English (not yet catalogued).
        h("span", {}, h("strong", { text: f.title }), h("br"), h("span", { class: "note", translate: "no", lang: "en", dir: "auto", text: f.description }), h("br"), h("span", { class: "note", text: t("Version {version}", { version: f.version }) })),
        label("Kind", f.kind),
        h("a", { href: f.href, download: `${f.form_id}.xlsx`, id: `form-${f.form_id}`, "aria-label": t("Download {title} (XLSForm)", { title: f.title }), text: `${f.form_id}.xlsx` }),
      ]),
      t("Forms ready for KoboToolbox and ODK Central: {count}", { count: answer.forms.length }),
    ),
  );
  const kinds = await get<{ kind: string }[]>("/api/kinds");
  input("kind").replaceChildren(...kinds.map((k) => h("option", { value: k.kind, text: label("Kind", k.kind), selected: k.kind === "hazardous_area" })));
}

async function renderPublish(): Promise<void> {
  const answer = await get<{ hxl: { kind: string; href: string }[]; package: string }>("/api/publish");
  $("#publish-list").replaceChildren(
    h(
      "ul",
      {},
      h("li", {}, h("a", { href: answer.package, id: "publish-package", download: true, text: t("Public data package (zip)") })),
      ...answer.hxl.map((x) => h("li", {}, h("a", { href: x.href, id: `publish-${x.kind}`, download: true, text: t("{kind} (HXL CSV)", { kind: label("Kind", x.kind) }) }))),
    ),
  );
}

interface PullSource {
  name: string;
  server: "kobo" | "odk";
  url: string;
  what: string;
  ready: boolean;
  last_pull: { at: string; by: string; watermark: string | null; submissions: number } | null;
}

interface PullAnswer {
  source: string;
  fetched: number;
  watermark: string | null;
  files_saved: string[];
  files_not_fetched: { row: number; file: string; reason: string }[];
  intake: (SubmissionsAnswer & { edited: Record<string, string>; waiting: Record<string, string> }) | null;
}

const SERVERS: Record<string, string> = { kobo: "KoboToolbox", odk: "ODK Central" };

async function renderSources(): Promise<void> {
  const { sources } = await get<{ sources: PullSource[] }>("/api/intake/sources");
  $("#pull-full-field").hidden = sources.length === 0;
  if (sources.length === 0) {
    $("#pull-sources").replaceChildren(h("p", { class: "note", text: t("No field-data server is named in the national configuration ([intake.sources]; see the documentation on pulling).") }));
    return;
  }
  const rows = sources.map((s) => [
    s.name,
    `${SERVERS[s.server] ?? s.server} · ${s.what}`,
    s.last_pull ? t("{when} by {user}", { when: s.last_pull.at.slice(0, 16).replace("T", " "), user: s.last_pull.by }) : t("never"),
    s.last_pull?.watermark ?? "",
    s.ready ? t("ready") : t("not set on the server"),
    h("span", {}, pullButton(s, true), " ", pullButton(s, false)),
  ]);
  $("#pull-sources").replaceChildren(
    table([t("Source"), t("Server and project"), t("Last pull"), t("Next pull starts at"), t("Credentials"), ""], rows, t("Field-data servers")),
  );
}

function pullButton(source: PullSource, dryRun: boolean): HTMLButtonElement {
  const id = `pull-${dryRun ? "check" : "now"}-${source.name}`;
  const text = dryRun ? t("Check (dry run)") : t("Pull now");
  const button = h("button", { type: "button", class: dryRun ? null : "primary", id, text, disabled: !source.ready });
  button.addEventListener("click", () => void pull(source.name, dryRun));
  return button;
}

async function pull(name: string, dryRun: boolean): Promise<void> {
  const form = new FormData();
  form.set("dry_run", String(dryRun));
  form.set("full", String(($("#pull-full") as HTMLInputElement).checked));
  const area = $("#pull-results");
  area.replaceChildren(h("p", { text: t("Asking {source}…", { source: name }) }));
  try {
    const { data } = await request<PullAnswer>("POST", `/api/intake/sources/${encodeURIComponent(name)}/pull`, form);
    const intake = data.intake;
    const lines = [
      t("{count} submissions fetched", { count: formatNumber(data.fetched) }),
      intake
        ? t("{created} draft reports, {edited} edits, {skipped} already imported, {rejected} rejected", {
            created: formatNumber(intake.created.length),
            edited: formatNumber(Object.keys(intake.edited).length),
            skipped: formatNumber(intake.skipped.length),
            rejected: formatNumber(intake.rejected.length),
          })
        : "",
      dryRun ? t("Dry run: nothing was written.") : t("{count} files saved", { count: formatNumber(data.files_saved.length) }),
    ].filter(Boolean);
    const rejected = (intake?.rejected ?? []).map((r) => [String(r.row ?? ""), r.instance_id ?? "", r.field ?? "", r.reason]);
    area.replaceChildren(
      ...lines.map((line) => h("p", { text: line })),
      ...(rejected.length ? [table([t("Row"), t("Instance"), t("Field"), t("Reason")], rejected, t("Rejected submissions"))] : []),
    );
    if (!dryRun) await renderSources();
  } catch (e) {
    area.replaceChildren(h("p", { class: "error", text: e instanceof ApiError ? e.message : String(e) }));
  }
}

function mayUpload(user: User): boolean {
  return user.signed_in && user.role !== "public";
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary first: everything below is in the reader's language
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
    $("#pull-section").hidden = false;
    await renderSources();
  } else {
    status(user.signed_in ? t("Field forms and uploads are for data workers: ask an administrator for an account.") : t("Sign in as a data worker to download the field forms and upload field data."));
  }
  document.body.dataset.loaded = "true";
}

main().catch((e) => status(String(e), "error"));
