// The review screen: one submitted report at a time, everything needed to decide on it
// (GET /api/reports/{code}/review), approve with a confirmation or reject with a reason,
// then on to the next report of the queue. Keyboard first: j/k (or →/←) move through the
// queue, a approves, r rejects, ? lists the keys.
import { ApiError, get, isReviewer, post, requireRole } from "./api";
import { $, h, status } from "./dom";
import { formatDate, label, t } from "./i18n";
import { renderHeader } from "./nav";
import { mapElement, mapLegend, showGeometries } from "./reviewmap";
import "./review.css";
import { differenceTable, facts, findings, geometryTable, historyTable, type ReviewDoc } from "./reviewview";

interface Listed { code: string }

const page: { queue: string[]; code: string | null; doc: ReviewDoc | null; busy: boolean } = { queue: [], code: null, doc: null, busy: false };
window.minewatch = page;

const keys = (): [string, string][] => [
  ["j  →", t("Next report in the queue")],
  ["k  ←", t("Previous report in the queue")],
  ["a", t("Approve (asks to confirm)")],
  ["r", t("Reject (asks for the reason)")],
  ["?", t("This list of keys")],
  ["Esc", t("Close a dialog without acting")],
];

async function loadQueue(): Promise<void> {
  const { reports } = await get<{ reports: Listed[] }>("/api/reports?state=submitted&limit=1000");
  page.queue = reports.map((r) => r.code);
}

function go(code: string | null): void {
  const url = new URL(location.href);
  if (code) url.searchParams.set("report", code);
  else url.searchParams.delete("report");
  history.replaceState(null, "", url);
  void show(code);
}

function step(by: number): void {
  if (!page.queue.length) return;
  const at = page.code ? page.queue.indexOf(page.code) : -1;
  const next = at < 0 ? 0 : at + by;
  if (next < 0 || next >= page.queue.length) {
    status(by > 0 ? t("This is the last report in the queue.") : t("This is the first report in the queue."), "info");
    return;
  }
  go(page.queue[next]);
}

function bar(): HTMLElement {
  const at = page.code ? page.queue.indexOf(page.code) : -1;
  const nav = (text: string, key: string, by: number, disabled: boolean) => {
    const b = h("button", { type: "button", "aria-keyshortcuts": key, disabled, text });
    b.addEventListener("click", () => step(by));
    return b;
  };
  const where = at >= 0 ? t("Report {n} of {count} waiting for review", { n: at + 1, count: page.queue.length }) : t("{count} reports waiting for review", { count: page.queue.length });
  const help = h("button", { type: "button", "aria-keyshortcuts": "?", id: "help-open", text: t("Keys (?)") });
  help.addEventListener("click", openHelp);
  return h(
    "div",
    { class: "row" },
    h("a", { href: "/queue.html", text: t("All reports") }),
    h("span", { id: "queue-position", text: where }),
    nav(t("← Previous (k)"), "k ArrowLeft", -1, at <= 0),
    nav(t("Next (j) →"), "j ArrowRight", 1, at < 0 || at >= page.queue.length - 1),
    help,
  );
}

function decisionButtons(doc: ReviewDoc): HTMLElement {
  const box = h("div", { class: "row decide", id: "decide" });
  if (!doc.may_decide) {
    const why = doc.report.state !== "submitted" ? t("This report is {state}: nothing to decide.", { state: label("ReportState", doc.report.state) }) : t("You may not decide on this report (your own, or your role).");
    box.append(h("p", { class: "note", text: why }));
    return box;
  }
  const approve = h("button", { type: "button", class: "primary", id: "approve", "aria-keyshortcuts": "a", text: t("Approve… (a)") });
  const reject = h("button", { type: "button", class: "danger", id: "reject", "aria-keyshortcuts": "r", text: t("Reject… (r)") });
  approve.addEventListener("click", openApprove);
  reject.addEventListener("click", openReject);
  box.append(approve, reject);
  return box;
}

function render(doc: ReviewDoc): void {
  const r = doc.report;
  // Codes never break at their hyphen (RPT-000312 on one line, even on a phone).
  const code = (text: string) => h("span", { class: "code", text });
  $("#review-title").replaceChildren(`${t("Review")} `, code(r.code), `: ${label("Kind", r.kind)} `, r.item_code ? code(r.item_code) : "");
  document.title = `${t("Review")} ${r.code} · minewatch`;
  const warnings: HTMLElement[] = [];
  if (doc.newer_information) {
    warnings.push(
      h("div", { class: "alert info", role: "note", id: "late-report" }, h("p", { text: t("This report's information dates from {doi}, older than the newest approved report ({newer}): where both set a field, the newer value stays.", { doi: formatDate(r.date_of_information), newer: formatDate(doc.newer_information) }) })),
    );
  }
  const hasProposed = !!doc.geometry.proposed;
  const hasCurrent = !!doc.geometry.current;
  const mapSection = hasProposed || hasCurrent
    ? h("section", { "aria-labelledby": "h-map", class: "review-map" }, h("h2", { id: "h-map", text: t("Where") }), mapElement(), mapLegend(hasProposed, hasCurrent), geometryTable(doc))
    : h("section", { "aria-labelledby": "h-map" }, h("h2", { id: "h-map", text: t("Where") }), h("p", { class: "note", text: t("Neither this report nor the item has a geometry.") }));
  $("#review").replaceChildren(
    facts(doc),
    ...warnings,
    decisionButtons(doc),
    h("section", { "aria-labelledby": "h-findings", id: "findings" }, h("h2", { id: "h-findings", text: t("Findings and repairs") }), findings(doc)),
    h(
      "div",
      { class: "columns review-columns" },
      h("section", { "aria-labelledby": "h-diff" }, h("h2", { id: "h-diff", text: t("Difference from the current record") }), differenceTable(doc)),
      mapSection,
    ),
    h("section", { "aria-labelledby": "h-history" }, h("h2", { id: "h-history", text: t("History") }), historyTable(doc)),
  );
}

/** Draws the geometries once the report's view is in the page (the map needs its size). */
async function drawMap(doc: ReviewDoc): Promise<void> {
  if (doc.geometry.proposed || doc.geometry.current) await showGeometries(doc.geometry.proposed, doc.geometry.current);
}

async function show(code: string | null): Promise<void> {
  $("#review-bar").replaceChildren(bar());
  page.code = code;
  page.doc = null;
  document.body.dataset.loaded = "false";
  if (!code) {
    $("#review-title").textContent = t("Review");
    $("#review").replaceChildren(h("p", { class: "note", id: "queue-empty", text: t("No report is waiting for review.") }), h("p", {}, h("a", { href: "/queue.html", text: t("Back to all reports") })));
    document.body.dataset.loaded = "true";
    $("#review-title").focus();
    return;
  }
  try {
    const doc = await get<ReviewDoc>(`/api/reports/${encodeURIComponent(code)}/review`);
    if (page.code !== code) return; // the reviewer moved on meanwhile
    page.doc = doc;
    $("#review-bar").replaceChildren(bar());
    render(doc);
    $("#review-title").focus();
    await drawMap(doc);
  } catch (err) {
    status(`${code}: ${(err as ApiError).message}`, "error");
  }
  document.body.dataset.loaded = "true";
}

function dialog(id: string): HTMLDialogElement {
  return $(id) as HTMLDialogElement;
}

function openApprove(): void {
  const doc = page.doc;
  if (!doc?.may_decide || page.busy) return;
  const changed = doc.fields.filter((f) => f.change !== "unchanged" && f.change !== "withheld" && !f.superseded).length;
  const repairs = doc.notes.filter((n) => n.severity === "repaired").length;
  const item = doc.report.item_code ?? label("Kind", doc.report.kind);
  $("#approve-title").textContent = t("Approve {code}?", { code: doc.report.code });
  $("#approve-summary").textContent = [
    t("It changes {count} field of {item}.", { count: changed, item }),
    doc.geometry.proposed ? t("It replaces the geometry.") : "",
    repairs ? t("Its geometry was repaired on entry: check the map.") : "",
    t("Approved reports cannot be changed."),
  ].filter(Boolean).join(" ");
  dialog("#approve-dialog").showModal();
  $("#approve-confirm").focus();
}

function openReject(): void {
  const doc = page.doc;
  if (!doc?.may_decide || page.busy) return;
  $("#reject-title").textContent = t("Reject {code}", { code: doc.report.code });
  const reason = $("#reject-reason") as HTMLTextAreaElement;
  reason.value = "";
  reason.removeAttribute("aria-invalid");
  $("#reject-error").textContent = "";
  dialog("#reject-dialog").showModal();
  reason.focus();
}

function openHelp(): void {
  $("#help-keys").replaceChildren(...keys().flatMap(([k, what]) => [h("dt", {}, h("kbd", { text: k })), h("dd", { text: what })]));
  dialog("#help-dialog").showModal();
  $("#help-close").focus();
}

async function decide(verb: "approve" | "reject", body?: unknown): Promise<void> {
  const code = page.code;
  if (!code || page.busy) return;
  page.busy = true;
  try {
    const done = await post<{ state: string; item_code: string | null }>(`/api/reports/${encodeURIComponent(code)}/${verb}`, body);
    const at = page.queue.indexOf(code);
    await loadQueue();
    const next = page.queue[Math.min(Math.max(at, 0), page.queue.length - 1)] ?? null;
    status(t("{code} is now {state}.", { code, state: label("ReportState", done.state) }) + (next ? ` ${t("Next: {code}.", { code: next })}` : ` ${t("The queue is empty.")}`), "ok");
    go(next);
  } catch (err) {
    status(`${code}: ${(err as ApiError).message}`, "error");
  } finally {
    page.busy = false;
  }
}

function wireDialogs(): void {
  const approve = dialog("#approve-dialog");
  approve.addEventListener("close", () => {
    if (approve.returnValue === "approve") void decide("approve");
    else $("#approve")?.focus();
  });
  const reject = dialog("#reject-dialog");
  const reason = $("#reject-reason") as HTMLTextAreaElement;
  $("#reject-form").addEventListener("submit", (e) => {
    const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value === "cancel") return;
    if (!reason.value.trim()) {
      e.preventDefault();
      $("#reject-error").textContent = t("Give the reason, so the author knows what to correct.");
      reason.setAttribute("aria-invalid", "true");
      reason.focus();
    }
  });
  reason.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      $("#reject-confirm").click();
    }
  });
  reject.addEventListener("close", () => {
    if (reject.returnValue === "reject" && reason.value.trim()) void decide("reject", { reason: reason.value.trim() });
    else $("#reject")?.focus();
    reject.returnValue = "";
  });
  dialog("#help-dialog").addEventListener("close", () => $("#help-open")?.focus());
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || !!el.closest(".maplibregl-map");
}

function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  if (document.querySelector("dialog[open]")) return;
  const actions: Record<string, () => void> = {
    j: () => step(1),
    ArrowRight: () => step(1),
    k: () => step(-1),
    ArrowLeft: () => step(-1),
    a: openApprove,
    r: openReject,
    "?": openHelp,
  };
  const act = actions[e.key];
  if (!act) return;
  e.preventDefault();
  act();
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary in the account's language first, as on every page
  const who = await requireRole();
  if (!who) return;
  if (who.role === "public") {
    status(t("Reports are internal: ask an administrator for a data worker or reviewer account."), "error");
    return;
  }
  if (!isReviewer(who)) status(t("You may read reports here; a reviewer decides on them."), "info");
  wireDialogs();
  document.addEventListener("keydown", onKey);
  await loadQueue();
  const asked = new URLSearchParams(location.search).get("report");
  go(asked ?? page.queue[0] ?? null);
}

main().catch((e) => status(String(e), "error"));
