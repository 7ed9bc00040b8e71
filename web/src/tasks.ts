// The tasking board: every task order in a column per status (the workflow's order), each
// with its areas, priority and due date, and the moves its status allows for whoever may
// make them; reviewers (the authority) issue tasks here too. Every word through i18n.ts.
import { currentUser, get, isReviewer, post, type User } from "./api";
import { $, h, status } from "./dom";
import { formatDate, formatNumber, label, t } from "./i18n";
import { renderHeader } from "./nav";

interface Task {
  code: string;
  name: string | null;
  organisation_code: string | null;
  organisation: string | null;
  hazardous_area_codes: string[];
  activity_type: string | null;
  method: string | null;
  priority_rank: number | null;
  priority_score: number | null;
  due_date: string | null;
  status: string;
  status_date: string | null;
  status_reason: string | null;
  overdue: boolean;
  next: string[];
}
interface Board {
  columns: { status: string; tasks: Task[] }[];
  total: number;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const NEEDS_REASON = new Set(["suspended", "cancelled"]);
const AUTHORITY_ONLY = new Set(["completed", "cancelled"]);
window.minewatch = window.minewatch ?? {};

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The moves this user may make on a task: the authority all, the tasked organisation's data workers the others. */
function movesFor(user: User, task: Task): string[] {
  if (isReviewer(user)) return task.next;
  if (user.role === "data_worker" && user.organisation_code === task.organisation_code) {
    return task.next.filter((s) => !AUTHORITY_ONLY.has(s));
  }
  return [];
}

function moveForm(user: User, task: Task): HTMLElement | null {
  const moves = movesFor(user, task);
  if (!moves.length) return null;
  const id = `move-${task.code}`;
  const select = h("select", { id: `${id}-status` }, ...moves.map((s) => h("option", { value: s, text: label("TaskStatus", s) })));
  const day = h("input", { id: `${id}-date`, value: today(), inputmode: "numeric", autocomplete: "off", size: 10 });
  const reason = h("input", { id: `${id}-reason`, autocomplete: "off" });
  const error = h("p", { class: "error", id: `${id}-error`, "aria-live": "polite" });
  const form = h(
    "form",
    { class: "task-move", "aria-label": t("Move {code}", { code: task.code }) },
    h("label", { for: select.id, text: t("New status") }),
    select,
    h("label", { for: day.id, text: t("On (YYYY-MM-DD)") }),
    day,
    h("label", { for: reason.id, text: t("Reason (needed to suspend or cancel)") }),
    reason,
    h("button", { type: "submit", text: t("Move") }),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!ISO_DAY.test(day.value.trim())) return void (error.textContent = t("Give the date as YYYY-MM-DD."));
    if (NEEDS_REASON.has(select.value) && !reason.value.trim()) return void (error.textContent = t("Say why."));
    try {
      await post(`/api/tasks/${encodeURIComponent(task.code)}/status`, { status: select.value, date: day.value.trim(), reason: reason.value.trim() || null });
      status(isReviewer(user) ? t("{code} moved.", { code: task.code }) : t("{code}: the move waits for review.", { code: task.code }), "ok");
      await load(user);
    } catch (err) {
      error.textContent = (err as Error).message;
    }
  });
  return form;
}

function card(user: User, task: Task): HTMLElement {
  const areas = h("span", {}, ...task.hazardous_area_codes.flatMap((c, i) => [i ? " " : "", h("span", { class: "nowrap", text: c })]));
  const facts: [string, string | HTMLElement][] = [
    [t("Organisation"), task.organisation ?? task.organisation_code ?? "—"],
    [t("Hazardous areas"), areas],
    [t("Work"), [label("ActivityType", task.activity_type), label("ActivityMethod", task.method)].filter(Boolean).join(" · ") || "—"],
    [t("Priority"), task.priority_rank ? t("rank {rank} (score {score})", { rank: task.priority_rank, score: formatNumber(task.priority_score ?? 0, { maximumFractionDigits: 2 }) }) : "—"],
    [t("Due"), task.due_date ? formatDate(task.due_date) : "—"],
    [t("Since"), task.status_date ? formatDate(task.status_date) : "—"],
  ];
  if (task.status_reason) facts.push([t("Reason"), task.status_reason]);
  return h(
    "article",
    { class: `task-card${task.overdue ? " overdue" : ""}`, "data-code": task.code },
    h("h3", {}, h("a", { href: `/item.html?kind=task_order&code=${encodeURIComponent(task.code)}`, text: task.code }), task.name ? ` ${task.name}` : ""),
    task.overdue ? h("p", { class: "badge warn", text: t("Overdue") }) : null,
    h("dl", {}, ...facts.flatMap(([k, v]) => [h("dt", { text: k }), typeof v === "string" ? h("dd", { text: v }) : h("dd", {}, v)])),
    moveForm(user, task),
  );
}

async function load(user: User): Promise<void> {
  const organisation = ($("#organisation") as HTMLInputElement).value.trim();
  const board = await get<Board>(`/api/tasks${organisation ? `?organisation=${encodeURIComponent(organisation)}` : ""}`);
  window.minewatch.board = board;
  $("#board").replaceChildren(
    ...board.columns.map((column) =>
      h(
        "section",
        { class: "task-column", "aria-labelledby": `col-${column.status}` },
        h("h2", { id: `col-${column.status}` }, label("TaskStatus", column.status), h("span", { class: "count", text: ` (${formatNumber(column.tasks.length)})` })),
        column.tasks.length ? h("div", { class: "task-list" }, ...column.tasks.map((task) => card(user, task))) : h("p", { class: "note", text: t("None") }),
      ),
    ),
  );
  status(t("Task orders: {count}.", { count: board.total }), "ok");
  document.body.dataset.loaded = "true";
}

function issueForm(user: User): void {
  if (!isReviewer(user)) return;
  $("#issue").hidden = false;
  const type = $("#issue-type") as HTMLSelectElement;
  const method = $("#issue-method") as HTMLSelectElement;
  type.replaceChildren(h("option", { value: "", text: "—" }), ...["non_technical_survey", "technical_survey", "clearance", "eod_spot_task"].map((v) => h("option", { value: v, text: label("ActivityType", v) })));
  method.replaceChildren(h("option", { value: "", text: "—" }), ...["manual", "mechanical", "animal_detection", "combined", "desk", "other"].map((v) => h("option", { value: v, text: label("ActivityMethod", v) })));
  ($("#issue-date") as HTMLInputElement).value = today();
  $("#issue-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (id: string) => ($(`#issue-${id}`) as HTMLInputElement).value.trim();
    const areas = value("areas").split(/\s+/).filter(Boolean);
    if (!areas.length || !value("organisation")) return status(t("Give the areas and the organisation."), "error");
    if (!ISO_DAY.test(value("date")) || (value("due") && !ISO_DAY.test(value("due")))) return status(t("Give the date as YYYY-MM-DD."), "error");
    try {
      const made = await post<{ code: string }>("/api/tasks", {
        hazardous_area_codes: areas,
        organisation_code: value("organisation"),
        activity_type: value("type") || null,
        method: value("method") || null,
        issue_date: value("date"),
        due_date: value("due") || null,
        name: value("name") || null,
      });
      status(t("{code} issued.", { code: made.code }), "ok");
      await load(user);
    } catch (err) {
      status((err as Error).message, "error");
    }
  });
}

async function main(): Promise<void> {
  await renderHeader();
  const user = await currentUser();
  issueForm(user);
  $("#filter").addEventListener("submit", (event) => {
    event.preventDefault();
    void load(user).catch((err: Error) => status(err.message, "error"));
  });
  await load(user);
}

main().catch((err: Error) => status(t("Could not start the page: {error}", { error: err.message }), "error"));
