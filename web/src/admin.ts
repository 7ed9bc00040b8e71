// Users & audit, for administrators: the users (role, organisation, personal-data grant,
// active flag; saved row by row, the server's refusals shown in the row), a form for a new
// user, and the audit log with the filters the API offers, paged newest first. Others get
// the server's refusal: the page asks the API, never decides access itself.
import { ApiError, get, post, request, requireRole, type User } from "./api";
import { fieldError, showApiError, showPasswordRules, when } from "./accountforms";
import { $, h, scrollable, status } from "./dom";
import { parseDate } from "./formfields";
import { label as codeLabel, formatNumber, t } from "./i18n";
import { renderHeader } from "./nav";

interface Account {
  username: string;
  role: User["role"];
  organisation_code: string | null;
  personal_data: boolean;
  active: boolean;
  created_at: string;
}

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

// The roles in order of rank; their names are the vocabulary's (codeLabel("Role", …)).
const ROLE_CODES: User["role"][] = ["public", "data_worker", "reviewer", "admin"];
const PAGE = 50;
const PERSONAL_READ = "read_personal_data";
const audit = { offset: 0, query: new URLSearchParams() };
const value = (id: string) => ($(`#${id}`) as HTMLInputElement).value.trim();

function roleSelect(selected: string, attrs: Record<string, string>): HTMLSelectElement {
  const select = h("select", attrs, ...ROLE_CODES.map((v) => h("option", { value: v, text: codeLabel("Role", v), selected: v === selected })));
  return select;
}

function userRow(u: Account, n: number): HTMLTableRowElement {
  const role = roleSelect(u.role, { "aria-label": t("Role of {name}", { name: u.username }) });
  const org = h("input", { value: u.organisation_code ?? "", maxlength: 100, "aria-label": t("Organisation of {name}", { name: u.username }) });
  const personal = h("input", { type: "checkbox", checked: u.personal_data, "aria-label": t("{name} may see personal data", { name: u.username }) });
  const active = h("input", { type: "checkbox", checked: u.active, "aria-label": t("{name} is active", { name: u.username }) });
  const error = h("p", { class: "inline-error", id: `user-error-${n}`, "aria-live": "polite" });
  const save = h("button", { type: "button", "aria-label": t("Save {name}", { name: u.username }), "aria-describedby": error.id, text: t("Save") });
  const reset = () => {
    role.value = u.role;
    org.value = u.organisation_code ?? "";
    personal.checked = u.personal_data;
    active.checked = u.active;
  };
  save.addEventListener("click", async () => {
    const changes: Record<string, unknown> = {};
    if (role.value !== u.role) changes.role = role.value;
    if (org.value.trim() !== (u.organisation_code ?? "")) changes.organisation_code = org.value.trim() || null;
    if (personal.checked !== u.personal_data) changes.personal_data = personal.checked;
    if (active.checked !== u.active) changes.active = active.checked;
    if (!Object.keys(changes).length) {
      error.textContent = t("Nothing changed in this row.");
      return;
    }
    try {
      await request("PATCH", `/api/users/${encodeURIComponent(u.username)}`, changes);
      // Reload first: "saved" is said once the table shows what is stored (and the rows a
      // user may act on next are the new ones).
      await Promise.all([loadUsers(), loadAudit()]);
      status(t("{name} saved; changed: {fields}.", { name: u.username, fields: Object.keys(changes).map(detailLabel).join(", ") }), "ok");
    } catch (err) {
      const e = err as ApiError;
      if (e.status === 403 || e.status === 409) reset(); // refused outright: show what is stored
      error.textContent = e.message;
      status(t("{name} was not changed: {error}", { name: u.username, error: e.message }), "error");
      save.focus();
    }
  });
  return h(
    "tr",
    { "data-username": u.username, class: u.active ? null : "inactive" },
    h("th", { scope: "row", text: u.username }),
    h("td", {}, role),
    h("td", {}, org),
    h("td", {}, personal),
    h("td", {}, active),
    h("td", { text: when(u.created_at) }),
    h("td", {}, save, error),
  );
}

async function loadUsers(): Promise<Account[]> {
  const users = await get<Account[]>("/api/users");
  const head = [t("Username"), t("Role"), t("Organisation"), t("Personal data"), t("Active"), t("Created"), ""];
  $("#users").replaceChildren(
    scrollable(h(
      "table",
      { id: "users-table" },
      h("caption", { text: t("Users: {count}", { count: users.length }) }),
      h("thead", {}, h("tr", {}, ...head.map((text) => h("th", { scope: "col", text })))),
      h("tbody", {}, ...users.map(userRow)),
    )),
  );
  $("#a-users").replaceChildren(...users.map((u) => h("option", { value: u.username })));
  return users;
}

async function createUser(): Promise<void> {
  const ids = ["u-username", "u-password", "u-role", "u-org"];
  ids.forEach((id) => fieldError(id, ""));
  const role = value("u-role");
  const ok = [
    fieldError("u-username", value("u-username") ? "" : t("Enter a username.")),
    fieldError("u-password", ($("#u-password") as HTMLInputElement).value ? "" : t("Set an initial password.")),
    fieldError("u-org", role === "data_worker" && !value("u-org") ? t("A data worker belongs to an organisation.") : ""),
  ].every(Boolean);
  if (!ok) return;
  const body = {
    username: value("u-username"),
    password: ($("#u-password") as HTMLInputElement).value,
    role,
    organisation_code: value("u-org") || null,
    personal_data: ($("#u-personal") as HTMLInputElement).checked,
  };
  try {
    const made = await post<Account>("/api/users", body);
    ($("#new-user-form") as HTMLFormElement).reset();
    await Promise.all([loadUsers(), loadAudit()]);
    status(t("User {name} created as {role}.", { name: made.username, role: codeLabel("Role", made.role) }), "ok");
  } catch (err) {
    showApiError(err, { username: "u-username", password: "u-password", role: "u-role", organisation_code: "u-org" });
  }
}

/** An audit detail's key and value as a person reads them (the vocabulary's labels). */
const detailLabel = (key: string) => codeLabel("AuditDetail", key);
function detailValue(key: string, v: unknown): string {
  if (typeof v === "boolean") return v ? t("yes") : t("no");
  if (typeof v === "number") return formatNumber(v);
  if (key === "role") return codeLabel("Role", String(v));
  if (key === "kind") return codeLabel("Kind", String(v));
  if (key === "state") return codeLabel("ReportState", String(v));
  if (Array.isArray(v)) return v.join(", ");
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${detailLabel(k)}: ${detailValue(k, v)}`)
    .join("; ");
}

function auditRow(e: AuditEntry): HTMLTableRowElement {
  const personal = e.action === PERSONAL_READ;
  return h(
    "tr",
    { id: `audit-${e.id}`, "data-action": e.action, class: personal ? "personal-read" : null },
    h("td", { text: when(e.at) }),
    h("td", { text: e.actor }),
    h("td", {}, personal ? h("span", { class: "badge", text: t("personal data read") }) : codeLabel("AuditAction", e.action)),
    h("td", { text: e.target ?? "—" }),
    h("td", { text: detailText(e.detail) }),
  );
}

async function loadAudit(): Promise<void> {
  const params = new URLSearchParams(audit.query);
  params.set("limit", String(PAGE + 1)); // one more than shown tells whether there is an older page
  params.set("offset", String(audit.offset));
  const entries = await get<AuditEntry[]>(`/api/audit?${params}`);
  const shown = entries.slice(0, PAGE);
  const head = [t("When"), t("Who"), t("Action"), t("Target"), t("Detail")];
  $("#audit").replaceChildren(
    shown.length
      ? scrollable(h(
          "table",
          { id: "audit-table" },
          h("caption", { text: t("Audit entries, newest first") }),
          h("thead", {}, h("tr", {}, ...head.map((text) => h("th", { scope: "col", text })))),
          h("tbody", {}, ...shown.map(auditRow)),
        ))
      : h("p", { class: "note", text: t("No entries match these filters.") }),
  );
  ($("#a-prev") as HTMLButtonElement).disabled = audit.offset === 0;
  ($("#a-next") as HTMLButtonElement).disabled = entries.length <= PAGE;
  $("#a-page").textContent = shown.length ? t("Entries {first}–{last}", { first: audit.offset + 1, last: audit.offset + shown.length }) : "";
  document.body.dataset.auditLoaded = String(Date.now());
}

function auditFilters(): URLSearchParams | null {
  let since = "";
  let until = "";
  try {
    since = parseDate(value("a-since")) ?? "";
    fieldError("a-since", "");
  } catch (err) {
    fieldError("a-since", (err as Error).message);
    return null;
  }
  try {
    until = parseDate(value("a-until")) ?? "";
  } catch (err) {
    fieldError("a-until", (err as Error).message);
    return null;
  }
  if (!fieldError("a-until", since && until && until < since ? t("The end day is before the start day.") : "")) return null;
  const query = new URLSearchParams();
  const filters: [string, string][] = [["user", value("a-user")], ["action", value("a-action")], ["about", value("a-about")], ["since", since], ["until", until]];
  for (const [k, v] of filters) if (v) query.set(k, v);
  return query;
}

/**
 * The actions the log holds, asked again whenever filters are applied (not on every page:
 * the server reads the whole log for them, ~0.2 s per 300,000 entries); the choice is kept.
 */
async function refreshActions(): Promise<void> {
  const select = $("#a-action") as HTMLSelectElement;
  const chosen = select.value;
  const actions = await get<string[]>("/api/audit/actions");
  const text = (a: string) => (a === PERSONAL_READ ? t("read personal data (victims)") : codeLabel("AuditAction", a));
  select.replaceChildren(h("option", { value: "", text: t("any action") }), ...actions.map((a) => h("option", { value: a, text: text(a) })));
  select.value = chosen;
}

async function setUpAudit(): Promise<void> {
  const page = (delta: number) => async () => {
    audit.offset = Math.max(0, audit.offset + delta);
    await loadAudit().catch((err) => showApiError(err, {}));
  };
  $("#a-prev").addEventListener("click", page(-PAGE));
  $("#a-next").addEventListener("click", page(PAGE));
  $("#audit-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const query = auditFilters();
    if (!query) return;
    audit.query = query;
    audit.offset = 0;
    Promise.all([loadAudit(), refreshActions()]).catch((err) => showApiError(err, { since: "a-since", until: "a-until" }));
  });
  await Promise.all([loadAudit(), refreshActions()]);
}

function refuse(err: ApiError): void {
  $("#refusal").replaceChildren(
    h(
      "div",
      { class: "refusal", role: "alert", id: "admin-refusal" },
      h("p", {}, h("strong", { text: t("Users & audit is for administrators only.") })),
      h("p", { text: t("The server answered: {message}", { message: err.message }) }),
      h("p", {}, t("Your own account (password, API tokens) is on "), h("a", { href: "/account.html", text: t("your Account page") }), "."),
    ),
  );
  document.body.dataset.loaded = "refused";
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary first: everything below is in the reader's language
  const user = await requireRole();
  if (!user) return;
  try {
    await loadUsers();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return refuse(err);
    throw err;
  }
  $("#admin-body").hidden = false;
  $("#u-role").replaceChildren(...ROLE_CODES.map((v) => h("option", { value: v, text: codeLabel("Role", v), selected: v === "data_worker" })));
  await showPasswordRules("u-rules");
  $("#new-user-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void createUser();
  });
  await setUpAudit();
  document.body.dataset.loaded = "true";
}

main().catch((e) => status(String(e), "error"));
