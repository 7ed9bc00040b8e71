// Migration: upload a programme's archive, read the assistant's proposed mapping with the
// reason for each choice, edit the mapping's TOML (checked by the server), run a dry run and
// read its report, then (an administrator) migrate for real. The server does all the work
// (services/migration through /api/migration/*); this page only asks and shows.
import { ApiError, currentUser, request, type User } from "./api";
import { $, h, scrollable, status, table } from "./dom";
import { fieldLabel, formatNumber, label, t, valueLabel } from "./i18n";
import { renderHeader } from "./nav";

interface ValueChoice { source: string; target: string | null; reason: string; rows: number }
interface FieldChoice { target: string; column: string; reason: string; values: ValueChoice[] }
interface TableChoice {
  table: string;
  alias: string | null;
  rows: number;
  kind: string | null;
  kind_reason: string;
  skip_reason: string | null;
  key: string | null;
  key_reason: string;
  link: [string, string] | null;
  link_reason: string;
  fields: FieldChoice[];
  extra_columns: string[];
}
interface PlanAnswer { file: string; format: string; notes: string[]; tables: TableChoice[]; mapping: string }
interface Rejected { file: string | null; table: string; row: number | string | null; field: string | null; reason: string }
interface TableReport {
  table: string;
  kind: string | null;
  skipped_table: string | null;
  read: number;
  landed: number;
  skipped: number;
  rejected_count: number;
  transformed: { field: string; column: string; from: string; to: string; rows: number }[];
  rejected: Rejected[];
}
interface Report { dry_run: boolean; committed: boolean; notes: string[]; tables: TableReport[] }

const input = (id: string) => $(`#m-${id}`) as HTMLInputElement;
let planned: File | null = null; // the archive the shown plan was made from

function setError(name: string, message: string): void {
  $(`#m-${name}-error`).textContent = message;
  input(name).setAttribute("aria-invalid", message ? "true" : "false");
}

const kindText = (kind: string | null) => (kind ? label("Kind", kind) : t("not migrated"));

function tableChoice(c: TableChoice, i: number): HTMLElement {
  const heading = h("h3", { id: `m-table-${i}`, text: t("{table} (rows: {rows})", { table: c.alias ? `${c.table} (${c.alias})` : c.table, rows: formatNumber(c.rows) }) });
  const facts = h(
    "dl",
    {},
    h("dt", { text: t("Becomes") }),
    h("dd", {}, h("strong", { text: kindText(c.kind) }), " — ", c.skip_reason ?? c.kind_reason),
    h("dt", { text: t("Identified by") }),
    h("dd", { text: c.key ? `${c.key} — ${c.key_reason}` : c.key_reason || t("no column: re-runs cannot tell rows apart") }),
    c.link ? h("dt", { text: t("Belongs to") }) : null,
    c.link ? h("dd", { text: `${c.link[0]} (${c.link[1]}) — ${c.link_reason}` }) : null,
  );
  const parts: HTMLElement[] = [heading, facts];
  if (c.fields.length) {
    const fields = table(
      [t("Field"), t("Column"), t("Why"), t("Values")],
      c.fields.map((f) => [
        // the field's label, and its name as the mapping text writes it
        h("span", {}, fieldLabel(c.kind ?? "", f.target), h("br"), h("code", { text: f.target })),
        f.column,
        f.reason,
        f.values.length
          ? h("ul", {}, ...f.values.map((v) => h("li", { text: v.target === null ? t("{source} → not matched: map it in the text below", { source: v.source }) : `${v.source} → ${valueLabel(f.target, String(v.target))} (${v.reason})` })))
          : "—",
      ]),
      t("Fields of {table}", { table: c.table }),
    );
    parts.push(scrollable(fields));
  }
  if (c.extra_columns.length) parts.push(h("p", { class: "note", text: t("Kept with each record as extra: {columns}", { columns: c.extra_columns.join(", ") }) }));
  return h("section", { class: "m-table", "aria-labelledby": `m-table-${i}` }, ...parts);
}

function showPlan(plan: PlanAnswer): void {
  $("#m-notes").replaceChildren(...(plan.notes.length ? [h("ul", {}, ...plan.notes.map((n) => h("li", { text: n })))] : []));
  $("#m-tables").replaceChildren(...plan.tables.map(tableChoice));
  input("mapping").value = plan.mapping;
  for (const id of ["plan", "mapping", "run"]) $(`#m-${id}-section`).hidden = false;
  $("#m-report").replaceChildren();
  $("#m-check-result").textContent = "";
  window.minewatch = { ...window.minewatch, plan };
  document.body.dataset.planned = String(Date.now());
}

async function propose(): Promise<void> {
  setError("file", "");
  const file = input("file").files?.[0];
  if (!file) return setError("file", t("Choose the archive to migrate."));
  const data = new FormData();
  data.append("file", file);
  const button = $("#m-plan") as HTMLButtonElement;
  button.disabled = true;
  status(t("Reading the archive and proposing a mapping (nothing is written)…"));
  try {
    const answer = await request<PlanAnswer>("POST", "/api/migration/plan", data);
    planned = file;
    showPlan(answer.data);
    status(t("Mapping proposed; tables: {count}. Review it below.", { count: answer.data.tables.length }), "ok");
    $("#h-m-plan").focus();
  } catch (err) {
    const e = err as ApiError;
    setError("file", e.message);
    status(e.message, "error");
  } finally {
    button.disabled = false;
  }
}

async function checkMapping(): Promise<boolean> {
  setError("mapping", "");
  const data = new FormData();
  data.append("mapping", input("mapping").value);
  try {
    const { data: answer } = await request<{ tables: { table: string; kind: string | null; skip: boolean }[] }>("POST", "/api/migration/mapping", data);
    const migrated = answer.tables.filter((x) => !x.skip && x.kind);
    $("#m-check-result").textContent = t("The mapping reads well; tables to migrate: {count}.", { count: migrated.length });
    return true;
  } catch (err) {
    const e = err as ApiError;
    setError("mapping", e.message);
    $("#m-check-result").textContent = "";
    input("mapping").focus();
    return false;
  }
}

function where(r: Rejected): string {
  return r.row !== null && r.row !== "" ? t("{file}, row {row}", { file: r.table, row: String(r.row) }) : r.table;
}

function showReport(report: Report): void {
  const summary = table(
    [t("Table"), t("Kind"), t("Read"), t("Landed"), t("Landed before, skipped"), t("Rejected")],
    report.tables.map((x) => [x.table, x.skipped_table ? t("left out: {reason}", { reason: x.skipped_table }) : kindText(x.kind), formatNumber(x.read), formatNumber(x.landed), formatNumber(x.skipped), formatNumber(x.rejected_count)]),
    report.dry_run ? t("Dry run: what would happen (nothing written)") : report.committed ? t("Migrated") : t("Nothing migrated: rows were rejected"),
  );
  summary.id = "m-summary";
  const parts: HTMLElement[] = [h("h3", { id: "h-m-report", tabindex: "-1", text: t("Migration report") }), scrollable(summary)];
  const rejected = report.tables.flatMap((x) => x.rejected);
  if (rejected.length) {
    const rows = table([t("Where"), t("Field"), t("Reason")], rejected.slice(0, 500).map((r) => [where(r), r.field ?? "—", r.reason]), t("Rejected ({count})", { count: rejected.length }));
    rows.id = "m-rejected";
    parts.push(scrollable(rows));
  }
  const changed = report.tables.flatMap((x) => x.transformed.map((c) => ({ ...c, table: x.table })));
  if (changed.length) {
    parts.push(scrollable(table([t("Table"), t("Field"), t("Column"), t("Value"), t("Became"), t("Rows")], changed.slice(0, 500).map((c) => [c.table, c.field, c.column, c.from, c.to, formatNumber(c.rows)]), t("Values transformed ({count})", { count: changed.length }))));
  }
  if (report.notes.length) parts.push(h("ul", {}, ...report.notes.map((n) => h("li", { text: n }))));
  $("#m-report").replaceChildren(...parts);
  window.minewatch = { ...window.minewatch, report };
  document.body.dataset.reported = String(Date.now());
}

async function run(dryRun: boolean): Promise<void> {
  if (!planned || !(await checkMapping())) return;
  const data = new FormData();
  data.append("file", planned);
  data.append("mapping", input("mapping").value);
  data.append("dry_run", String(dryRun));
  data.append("keep_going", String(input("keep-going").checked));
  const buttons = ["dry-run", "run"].map((id) => $(`#m-${id}`) as HTMLButtonElement);
  buttons.forEach((b) => (b.disabled = true));
  status(dryRun ? t("Checking every row (nothing is written)…") : t("Migrating…"));
  try {
    const { data: report } = await request<Report>("POST", "/api/migration/run", data);
    showReport(report);
    const landed = report.tables.reduce((n, x) => n + x.landed, 0);
    status(dryRun ? t("Dry run done; rows that would land: {count}. Nothing written.", { count: landed }) : t("Migrated; rows landed as approved reports: {count}.", { count: landed }), "ok");
  } catch (err) {
    const e = err as ApiError;
    if (e.body && Array.isArray(e.body.tables)) showReport(e.body as Report);
    status(e.message, "error");
  } finally {
    buttons[0].disabled = false;
    buttons[1].disabled = !input("confirm").checked;
    $("#h-m-report")?.focus();
  }
}

function mayPlan(user: User): boolean {
  return user.signed_in && (user.role === "reviewer" || user.role === "admin");
}

async function main(): Promise<void> {
  await renderHeader();
  const user = await currentUser();
  if (mayPlan(user)) {
    $("#m-upload-section").hidden = false;
    $("#m-real").hidden = user.role !== "admin";
    $("#m-upload-form").addEventListener("submit", (e) => {
      e.preventDefault();
      void propose();
    });
    input("file").addEventListener("change", () => setError("file", ""));
    $("#m-check").addEventListener("click", () => void checkMapping());
    $("#m-dry-run").addEventListener("click", () => void run(true));
    $("#m-run").addEventListener("click", () => void run(false));
    input("confirm").addEventListener("change", () => (($("#m-run") as HTMLButtonElement).disabled = !input("confirm").checked));
  } else {
    status(user.signed_in ? t("Migration is for reviewers and administrators.") : t("Sign in as a reviewer or administrator to migrate an archive."));
  }
  document.body.dataset.loaded = "true";
}

main().catch((e) => status(String(e), "error"));
