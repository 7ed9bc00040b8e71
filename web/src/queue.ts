// The approval queue: reports awaiting review (approve, or reject with a reason), the
// organisation's drafts (edit, submit), rejected reports (reopen) and recent decisions.
import { ApiError, get, isReviewer, post, requireRole, type User } from "./api";
import { $, h, scrollable, status } from "./dom";
import { formatDate, formatNumber, label, t } from "./i18n";
import { renderHeader } from "./nav";

interface Report {
  code: string;
  kind: string;
  item_code: string | null;
  action: string;
  state: string;
  date_of_information: string;
  created_by: string | null;
  organisation_code: string | null;
  decided_by: string | null;
  decision_reason: string | null;
}

let user: User;

// Titles and empty-list notes are functions: they read the vocabulary once it is loaded.
const SECTIONS: { state: string; title: () => string; empty: () => string }[] = [
  { state: "submitted", title: () => t("Awaiting review"), empty: () => t("No report is waiting for review.") },
  { state: "draft", title: () => t("Drafts"), empty: () => t("No drafts.") },
  { state: "rejected", title: () => t("Rejected"), empty: () => t("No rejected reports.") },
  { state: "approved", title: () => t("Recently approved"), empty: () => t("Nothing approved yet.") },
];

function actions(r: Report): HTMLElement {
  const box = h("div", { class: "row" });
  const mine = r.created_by === user.username;
  if (r.state === "draft") {
    box.append(h("a", { class: "button", href: `/entry.html?report=${r.code}`, text: t("Edit") }));
    box.append(button(t("Submit {code}", { code: r.code }), t("Submit"), () => act(r, "submit")));
  }
  if (r.state === "submitted") {
    // Decisions are taken on the review screen, with the content, map, difference and
    // findings in view (and a confirmation), never blind from this list.
    const decides = isReviewer(user) && (!mine || user.role === "admin");
    box.append(h("a", { class: decides ? "button primary" : "button", href: `/review.html?report=${r.code}`, "aria-label": t("Review {code}", { code: r.code }), text: decides ? t("Review…") : t("View") }));
  }
  if (r.state === "rejected") box.append(button(t("Reopen {code}", { code: r.code }), t("Reopen as draft"), () => act(r, "reopen")));
  if (r.item_code && r.state === "approved") {
    box.append(h("a", { href: `/item.html?kind=${r.kind}&code=${r.item_code}`, text: t("History") }));
  }
  return box;
}

function button(name: string, text: string, onClick: () => void, cls = ""): HTMLButtonElement {
  const b = h("button", { type: "button", class: cls, "aria-label": name, text });
  b.addEventListener("click", onClick);
  return b;
}

async function act(r: Report, verb: string, body?: unknown): Promise<void> {
  try {
    const done = await post<Report>(`/api/reports/${r.code}/${verb}`, body);
    status(
      done.item_code
        ? t("{code} is now {state} (item {item}).", { code: r.code, state: label("ReportState", done.state), item: done.item_code })
        : t("{code} is now {state}.", { code: r.code, state: label("ReportState", done.state) }),
      "ok",
    );
    await render();
  } catch (err) {
    status(`${r.code}: ${(err as ApiError).message}`, "error");
  }
}

async function section(s: (typeof SECTIONS)[number]): Promise<HTMLElement> {
  const limit = s.state === "approved" ? 20 : 200;
  const { reports } = await get<{ reports: Report[] }>(`/api/reports?state=${s.state}&limit=${limit}`);
  const saved = new URLSearchParams(location.search).get("saved");
  const body = reports.length
    ? scrollable(h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ...[t("Report"), t("Kind"), t("Item"), t("Date of Information"), t("By"), t("Organisation"), t("Decision"), ""].map((text) => h("th", { scope: "col", text })))),
        h(
          "tbody",
          {},
          ...reports.map((r) =>
            h(
              "tr",
              { id: `report-${r.code}`, class: r.code === saved ? "highlight" : null, "data-state": r.state },
              h("th", { scope: "row", text: r.code }),
              h("td", { text: `${label("Kind", r.kind)} (${label("ReportAction", r.action)})` }),
              h("td", { text: r.item_code ?? "—" }),
              h("td", { class: "value", text: formatDate(r.date_of_information) }),
              h("td", { text: r.created_by ?? "" }),
              h("td", { text: r.organisation_code ?? "—" }),
              h("td", { text: r.decision_reason ? `${r.decided_by}: ${r.decision_reason}` : (r.decided_by ?? "") }),
              h("td", {}, actions(r)),
            ),
          ),
        ),
      ))
    : h("p", { class: "note", text: s.empty() });
  const start =
    s.state === "submitted" && reports.length && isReviewer(user)
      ? h("p", {}, h("a", { class: "button primary", id: "start-review", href: `/review.html?report=${reports[0].code}`, text: t("Review the queue, one report at a time") }))
      : null;
  return h("section", { "aria-labelledby": `h-${s.state}`, id: `queue-${s.state}` }, h("h2", { id: `h-${s.state}`, text: `${s.title()} (${formatNumber(reports.length)})` }), start, body);
}

async function render(): Promise<void> {
  const order = isReviewer(user) ? SECTIONS : [SECTIONS[1], SECTIONS[2], SECTIONS[0], SECTIONS[3]];
  const parts = await Promise.all(order.map(section));
  $("#queues").replaceChildren(...parts);
  document.body.dataset.loaded = "true";
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary first: everything below is in the reader's language
  const who = await requireRole();
  if (!who) return;
  user = who;
  if (who.role === "public") {
    status(t("Reports are internal: ask an administrator for a data worker or reviewer account."), "error");
    return;
  }
  await render();
}

main().catch((e) => status(String(e), "error"));
