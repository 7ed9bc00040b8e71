// Treaties & policy: one state's status on a date under each instrument with the dates that
// explain it, the article quoted behind each and the source of every fact; the count of
// states parties on that date; upcoming deadlines; national policy versions, each version's
// provisions and a diff between two. Everything comes from /api/treaty/* (services/treaty.py).
import { ApiError, get } from "./api";
import { $, h, status, table } from "./dom";
import { parseDate } from "./formfields";
import { formatDate, formatNumber, label, t } from "./i18n";
import { renderHeader } from "./nav";
import "./treaty.css";

interface Provision {
  cite: string;
  text: string;
  source: string;
}
interface Sourced {
  source: string;
  source_url: string;
}
interface Participation extends Sourced {
  status_as_at: string;
  signature: string | null;
  consent: string | null;
  consent_type: string | null;
  entry_into_force: string | null;
  entry_into_force_basis: string;
  entry_into_force_provision: Provision | null;
  entry_into_force_fact_source: string | null;
}
interface Withdrawal extends Sourced {
  received: string;
  notification: string;
  notification_date: string | null;
  stated_effective: string | null;
  stated_condition: string;
  expiry: string;
  effective: string | null;
  condition: string;
  provision: Provision;
  armed_conflict_inputs: { engaged: boolean; since: string; until: string | null; source: string }[];
}
interface Deadline {
  state: string;
  instrument: string;
  kind: string;
  due: string;
  article: string;
  basis: string;
  article_text: string;
}
interface InstrumentStatus {
  instrument: string;
  instrument_title: string;
  status: string;
  label: string;
  data_status_as_at: string | null;
  projected: boolean;
  list_source: Sourced & { status_as_at: string };
  participation: Participation | null;
  withdrawal: Withdrawal | null;
  communications: (Sourced & { received: string; notification: string; kind: string; summary: string; legal_character: string; legal_character_source: string })[];
  obligations: Deadline[];
}
interface StatusAnswer {
  state: string;
  iso3: string;
  on: string;
  instruments: InstrumentStatus[];
}
interface Count {
  instrument: string;
  definition: string;
  states_parties: number;
  explanation: string;
  states: { state: string; label: string }[];
}
interface PolicyVersion {
  version: string;
  effective: string;
  announced: string | null;
  kind: string;
  title: string;
  sources: string;
  note: string;
  unverified_claims: string;
}
interface Freshness {
  status_as_at: string | null;
  projected: boolean;
  note: string;
}
interface Table<T> {
  count: number;
  rows: T[];
  freshness: Freshness;
}

// Stored codes through the vocabulary: instruments, status kinds, count definitions,
// consent types, conditions, provision statuses, policy dimensions and changes, deadlines.
const instrument = (code: string) => label("Instrument", code);
const statusKind = (code: string) => label("StatusKind", code);

window.minewatch = window.minewatch ?? {};
const input = (id: string) => $(id) as HTMLInputElement;
const select = (id: string) => $(id) as HTMLSelectElement;

function setError(id: string, message: string): void {
  $(`#${id}-error`).textContent = message;
  $(`#${id}`).setAttribute("aria-invalid", message ? "true" : "false");
}

// The treaty data's own words (citations, quoted articles, summaries, policy texts) are shown
// as the sources state them, marked translate="no": only the page's words are translated.
// The shipped data is in English: its direction follows its text (dir="auto").
const asStated = (text: string) => h("span", { translate: "no", lang: "en", dir: "auto", text });

/** A source as a link when it has an address, with its citation as the text. */
function source(s: Sourced, prefix = `${t("Source:")} `): HTMLElement {
  const cited = s.source_url ? h("a", { href: s.source_url, rel: "noopener", class: "source-link", translate: "no", lang: "en", dir: "auto", text: s.source }) : asStated(s.source);
  return h("p", { class: "source" }, prefix, cited);
}

/** The provision a date comes from, quoted, folded under its citation. */
function quoted(p: Provision): HTMLElement {
  return h(
    "details",
    { class: "provision" },
    h("summary", { text: t("Text of {cite}", { cite: p.cite }) }),
    h("figure", { translate: "no", lang: "en", dir: "auto" }, h("blockquote", { text: p.text }), h("figcaption", { text: p.source })),
  );
}

function fact(term: string, ...value: (Node | string | null)[]): HTMLElement[] {
  return [h("dt", { text: term }), h("dd", {}, ...value)];
}

function participationFacts(p: Participation): HTMLElement[] {
  const basis = p.entry_into_force_provision
    ? quoted(p.entry_into_force_provision)
    : h("p", { class: "note", text: p.entry_into_force_fact_source ? t("Sourced date of effect: {source}", { source: p.entry_into_force_fact_source }) : p.entry_into_force_basis });
  return [
    ...fact(t("Signature"), p.signature ? formatDate(p.signature) : t("none on record")),
    ...fact(t("Consent to be bound"), p.consent ? `${formatDate(p.consent)} (${label("ConsentType", p.consent_type)})` : t("none on record")),
    ...fact(t("Entry into force for the state"), h("strong", { text: p.entry_into_force ? formatDate(p.entry_into_force) : t("unknown") }), ` — ${p.entry_into_force_basis}`, basis),
  ];
}

function withdrawalFacts(w: Withdrawal): HTMLElement[] {
  const inputs = w.armed_conflict_inputs.length
    ? w.armed_conflict_inputs
        .map((c) => {
          const span = { since: formatDate(c.since), until: formatDate(c.until), source: c.source };
          if (c.engaged) return c.until ? t("engaged from {since} to {until} ({source})", span) : t("engaged from {since} ({source})", span);
          return c.until ? t("not engaged from {since} to {until} ({source})", span) : t("not engaged from {since} ({source})", span);
        })
        .join("; ")
    : t("no sourced armed-conflict input");
  const notice = w.notification_date
    ? t("{received}, depositary notification {notification} of {date}", { received: formatDate(w.received), notification: w.notification, date: formatDate(w.notification_date) })
    : t("{received}, depositary notification {notification}", { received: formatDate(w.received), notification: w.notification });
  const stated = t("period ends {expiry}; the depositary states {date}", { expiry: formatDate(w.expiry), date: w.stated_effective ? formatDate(w.stated_effective) : t("no date") });
  return [
    ...fact(t("Withdrawal received"), notice, source(w)),
    ...fact(t("Withdrawal takes effect"), h("strong", { text: w.effective ? formatDate(w.effective) : t("pending") }), ` — ${stated}${w.stated_condition ? `, ${w.stated_condition}` : ""}`, quoted(w.provision)),
    ...fact(t("Armed-conflict condition"), label("ConditionAssessment", w.condition), h("p", { class: "note", text: t("Inputs: {inputs}.", { inputs }) })),
  ];
}

function obligations(rows: Deadline[]): HTMLElement | null {
  if (!rows.length) return null;
  return h(
    "details",
    {},
    h("summary", { text: t("Obligations computed for this date ({count})", { count: rows.length }) }),
    table(
      [t("Obligation"), t("Due"), t("Article"), t("Basis")],
      rows.map((d) => [label("DeadlineKind", d.kind), formatDate(d.due), h("span", { title: d.article_text, text: d.article, translate: "no", lang: "en" }), d.basis]),
    ),
  );
}

function instrumentCard(s: InstrumentStatus): HTMLElement {
  const facts = [
    ...fact(
      t("Status"),
      h("strong", { class: `treaty-status status-${s.status.replaceAll(" ", "-").replaceAll(",", "")}`, text: statusKind(s.status) }),
      s.label.includes("provisionally") ? ` — ${t("applying Art. 1(1) provisionally (Art. 18)")}` : null,
    ),
    ...(s.participation ? participationFacts(s.participation) : fact(t("Participation"), t("Not in the depositary's list of participants."))),
    ...(s.withdrawal ? withdrawalFacts(s.withdrawal) : []),
    ...s.communications.flatMap((c) =>
      fact(
        t("Communication ({kind})", { kind: c.kind }),
        `${formatDate(c.received)}${c.notification ? `, ${c.notification}` : ""}: `,
        asStated(c.summary),
        source(c),
        c.legal_character ? h("p", { class: "legal-character" }, h("strong", { text: `${t("Legal character:")} ` }), asStated(`${c.legal_character} (${c.legal_character_source})`)) : null,
      ),
    ),
  ];
  return h(
    "article",
    { class: "treaty-card", "data-instrument": s.instrument, "aria-labelledby": `card-${s.instrument}` },
    h("h3", { id: `card-${s.instrument}`, text: instrument(s.instrument) }),
    s.projected ? h("p", { class: "projection", text: t("Projection: this date is after the data's status as at {date}.", { date: formatDate(s.data_status_as_at) }) }) : null,
    h("dl", { class: "facts" }, ...facts),
    obligations(s.obligations),
    source(s.participation ?? s.list_source, `${t("Participants list (status as at {date}):", { date: formatDate(s.list_source.status_as_at) })} `),
  );
}

function query(params: Record<string, string | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "" && v !== false) q.set(k, String(v));
  return q.toString();
}

async function showStatus(): Promise<void> {
  const state = input("#t-state").value.trim();
  const on = chosenDate();
  setError("t-state", state ? "" : t("Choose a state."));
  if (!state) return;
  try {
    const answer = await get<StatusAnswer>(`/api/treaty/status?${query({ state, date: on, strict_conditions: input("#t-strict").checked })}`);
    window.minewatch.treatyStatus = answer;
    input("#t-state").value = answer.state;
    $("#status-result").replaceChildren(
      h("p", { id: "status-summary", text: t("{state} ({iso3}) on {date}", { state: answer.state, iso3: answer.iso3, date: formatDate(answer.on) }) }),
      h(
        "p",
        { class: "profile-links" },
        h("a", { href: `/api/treaty/profile/${encodeURIComponent(answer.iso3 || answer.state)}.html?date=${answer.on}`, text: t("Country profile") }),
        " · ",
        h("a", { href: `/api/treaty/profile/${encodeURIComponent(answer.iso3 || answer.state)}.pdf?date=${answer.on}`, text: t("Country profile (PDF)") }),
      ),
      h("div", { class: "treaty-cards" }, ...answer.instruments.map(instrumentCard)),
    );
    history.replaceState(null, "", `?${query({ state: answer.state, date: answer.on })}${location.hash}`);
  } catch (err) {
    const e = err as ApiError;
    setError(e.field === "date" ? "t-date" : "t-state", e.message);
    $("#status-result").replaceChildren();
    throw err;
  }
}

async function showCounts(): Promise<void> {
  const on = chosenDate();
  const answer = await get<{ on: string; counts: Count[]; freshness: Freshness }>(`/api/treaty/count?${query({ date: on })}`);
  const counts = answer.counts;
  $("#count-result").replaceChildren(
    freshness(answer.freshness),
    scrolling(table(
      [t("Instrument"), t("Definition"), t("States parties")],
      counts.map((c) => [instrument(c.instrument), h("span", {}, h("strong", { text: label("CountDefinition", c.definition) }), `: ${t(c.explanation)}`), h("span", { class: "count", "data-count": `${c.instrument}:${c.definition}`, text: formatNumber(c.states_parties) })]),
      t("States parties on {date}", { date: formatDate(answer.on) }),
    ), t("States parties")),
    ...counts.map((c) => h("details", {}, h("summary", { text: t("States counted ({count}): {instrument}, {definition}", { count: c.states_parties, instrument: instrument(c.instrument), definition: label("CountDefinition", c.definition) }) }), h("p", { text: c.states.map((s) => s.state).join(", ") }))),
    h("p", {}, h("a", { href: `/api/treaty/count?${query({ date: on, format: "csv" })}`, text: t("Download the states counted (CSV)") })),
  );
}

/** The data's "status as at" under an answer, and a projection warning when the answer is
 * for a later date (from the API's ``freshness``). */
function freshness(f: Freshness): HTMLElement {
  const asAt = t("Data status as at {date}.", { date: f.status_as_at ? formatDate(f.status_as_at) : t("unknown") });
  return f.projected
    ? h("p", {
        class: "projection freshness",
        // The depositary's projection note is the catalogue's; a policy record's own note is its data.
        text: `${asAt} ${f.note.startsWith("projection: the depositary") ? t("Answers for later dates are projections, which notifications received since then can change.") : f.note}`,
      })
    : h("p", { class: "freshness note", text: asAt });
}

/** A long table in a box of its own that scrolls, reachable and scrollable by keyboard. */
function scrolling(content: HTMLElement, name: string): HTMLElement {
  return h("div", { class: "scroll-box", tabindex: "0", role: "region", "aria-label": name }, content);
}

async function showDeadlines(): Promise<void> {
  const onlyState = input("#d-only-state").checked ? input("#t-state").value.trim() : "";
  const params = { date: chosenDate(), days: select("#d-days").value, state: onlyState };
  const answer = await get<Table<Deadline>>(`/api/treaty/deadlines?${query(params)}`);
  $("#deadlines-result").replaceChildren(
    freshness(answer.freshness),
    answer.rows.length
      ? scrolling(table(
          [t("Due"), t("State"), t("Instrument"), t("What"), t("Article"), t("Basis")],
          answer.rows.map((d) => [formatDate(d.due), d.state, instrument(d.instrument), label("DeadlineKind", d.kind), h("span", { title: d.article_text, text: d.article, translate: "no", lang: "en" }), d.basis]),
          t("Deadlines: {count}", { count: answer.count }),
        ), t("Deadlines table"))
      : h("p", { text: t("No deadlines in this period.") }),
    h("p", {}, h("a", { href: `/api/treaty/deadlines?${query({ ...params, format: "csv" })}`, text: t("Download as CSV") })),
  );
}

// --- groups ---

interface GroupRow {
  state: string;
  instrument: string;
  label: string;
  member_since: string;
  membership: string;
  membership_source: string;
}
interface GroupSummary {
  instrument: string;
  status: string;
  states: number;
  members: string;
}

async function loadGroups(): Promise<void> {
  const groups = (await get<{ groups: { name: string; members_today: unknown[] }[] }>("/api/treaty/groups")).groups;
  select("#g-group").replaceChildren(...groups.map((g) => h("option", { value: g.name, text: t("{group} (members today: {count})", { group: g.name, count: g.members_today.length }) })));
}

async function showGroup(): Promise<void> {
  const group = select("#g-group").value;
  if (!group) return;
  const on = chosenDate();
  const answer = await get<Table<GroupRow> & { group: string; on: string; summary: GroupSummary[] }>(`/api/treaty/status?${query({ group, date: on })}`);
  window.minewatch.treatyGroup = answer;
  $("#group-result").replaceChildren(
    freshness(answer.freshness),
    scrolling(table(
      [t("Instrument"), t("Status"), t("Members"), t("Which")],
      answer.summary.map((r) => [instrument(r.instrument), statusKind(r.status), h("span", { class: "count", "data-group-count": `${r.instrument}:${r.status}`, text: formatNumber(r.states) }), r.members]),
      t("{group} on {date}: who is bound by what", { group: answer.group, date: formatDate(answer.on) }),
    ), t("Members")),
    h("details", {}, h("summary", { text: t("Each member, with the source of its membership (rows: {count})", { count: answer.count }) }),
      scrolling(table(
        [t("State"), t("Instrument"), t("Status"), t("Member since"), t("Membership source")],
        answer.rows.map((r) => [r.state, instrument(r.instrument), statusKind(r.label.split(";")[0]), r.membership === "member" ? formatDate(r.member_since) : t("{date} (date uncertain)", { date: r.member_since }), r.membership_source]),
      ), t("Group members table"))),
    h("p", {}, h("a", { href: `/api/treaty/status?${query({ group, date: on, format: "csv" })}`, text: t("Download as CSV") })),
  );
}

// --- national policy ---

let versions: PolicyVersion[] = [];

async function loadPolicyRecords(): Promise<void> {
  const records = (await get<{ records: { name: string; state: string; versions: number }[] }>("/api/treaty/policy")).records;
  select("#p-record").replaceChildren(...records.map((r) => h("option", { value: r.name, text: t("{state} (versions: {count})", { state: r.state, count: r.versions }) })));
  await loadVersions();
}

async function loadVersions(): Promise<void> {
  const name = select("#p-record").value;
  const answer = await get<Table<PolicyVersion> & { legal_floor: string; in_force: string | null }>(`/api/treaty/policy/${encodeURIComponent(name)}/versions?${query({ date: chosenDate() })}`);
  versions = answer.rows;
  $("#p-floor").replaceChildren(asStated(answer.legal_floor), freshness(answer.freshness));
  $("#p-timeline").replaceChildren(
    ...versions.map((v) => {
      const button = h("button", { type: "button", "data-version": v.version, "aria-pressed": "false" }, h("time", { datetime: v.effective, text: formatDate(v.effective) }), asStated(v.title));
      button.addEventListener("click", () => void showVersion(v.version).catch(report));
      return h("li", { class: v.version === answer.in_force ? "in-force" : null }, button, v.version === answer.in_force ? h("span", { class: "badge in-force-badge", text: t("in force on the date") }) : null);
    }),
  );
  const options = () => versions.map((v) => h("option", { value: v.version, text: `${formatDate(v.effective)} — ${v.version}` }));
  select("#p-before").replaceChildren(...options());
  select("#p-after").replaceChildren(...options());
  const current = answer.in_force ?? versions[versions.length - 1]?.version;
  if (current) await showVersion(current);
}

function versionMeta(v: PolicyVersion): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    ...fact(t("Effective"), formatDate(v.effective)),
    ...fact(t("Announced"), v.announced ? formatDate(v.announced) : t("not recorded")),
    ...fact(t("Kind"), v.kind === "replaces" ? t("replaces the policy (what it does not state is unconfirmed)") : t("amends the previous version (what it does not state carries over)")),
    ...fact(t("Sources"), asStated(v.sources)),
    ...(v.note ? fact(t("Note"), asStated(v.note)) : []),
    ...(v.unverified_claims ? fact(t("Unverified"), h("span", { class: "badge unverified", text: t("unverified") }), " ", asStated(v.unverified_claims)) : []),
  );
}

async function showVersion(id: string): Promise<void> {
  const name = select("#p-record").value;
  const answer = await get<Table<Record<string, string>> & { version: PolicyVersion }>(`/api/treaty/policy/${encodeURIComponent(name)}/${encodeURIComponent(id)}`);
  for (const b of document.querySelectorAll<HTMLButtonElement>("#p-timeline button")) b.setAttribute("aria-pressed", String(b.dataset.version === id));
  const i = versions.findIndex((v) => v.version === id);
  select("#p-after").value = id;
  select("#p-before").value = versions[Math.max(0, i - 1)]?.version ?? id;
  $("#p-version").replaceChildren(
    h("h3", { id: "p-version-title", translate: "no", text: `${answer.version.title} (${id})` }),
    versionMeta(answer.version),
    scrolling(table(
      [t("Dimension"), t("Provision"), t("Status"), t("Stated in"), t("Sources")],
      answer.rows.map((r) => [label("PolicyDimension", r.dimension), r.value ? asStated(r.value) : h("em", { text: t("no source confirms this") }), h("span", { class: `badge provision-${r.status}`, text: label("ProvisionStatus", r.status) }), asStated(r.stated_in), asStated(r.sources)]),
      t("Provisions of {version}", { version: id }),
    ), t("Provision")),
  );
}

/** A provision in a diff: its value and status, or plainly that no source confirms it. */
function stated(value: string, status: string): Node {
  if (status === "unconfirmed") return h("em", { text: t("no source confirms this") });
  return h("span", {}, asStated(value), " ", h("span", { class: `badge provision-${status}`, text: label("ProvisionStatus", status) }));
}

async function showDiff(): Promise<void> {
  const name = select("#p-record").value;
  const before = select("#p-before").value;
  const after = select("#p-after").value;
  $("#p-diff-error").textContent = "";
  try {
    const answer = await get<Table<Record<string, string>>>(`/api/treaty/policy/${encodeURIComponent(name)}/diff?${query({ before, after })}`);
    $("#p-diff").replaceChildren(
      scrolling(table(
        [t("Dimension"), t("Change"), t("Before ({version})", { version: before }), t("After ({version})", { version: after }), t("Sources after")],
        answer.rows.map((r) => [label("PolicyDimension", r.dimension), h("span", { class: `change change-${r.change.replaceAll(" ", "-")}`, text: label("PolicyChange", r.change) }), stated(r.before, r.before_status), stated(r.after, r.after_status), asStated(r.after_sources)]),
        t("What changed from {before} to {after}", { before, after }),
      ), t("Change")),
    );
  } catch (err) {
    $("#p-diff-error").textContent = (err as Error).message;
    throw err;
  }
}

// --- wiring ---

function report(err: unknown): void {
  status((err as Error).message, "error");
}

/** The date box's day (ISO, checked: never the browser's mm/dd/yyyy); "" for today. */
function chosenDate(): string {
  try {
    return parseDate(input("#t-date").value) ?? "";
  } catch (err) {
    setError("t-date", (err as Error).message);
    throw err;
  }
}

async function refreshDate(): Promise<void> {
  try {
    chosenDate();
  } catch {
    return; // the date box says what is wrong
  }
  status(t("Loading…"));
  const jobs = [showCounts(), showDeadlines(), loadVersions(), showGroup()];
  if (input("#t-state").value.trim()) jobs.unshift(showStatus());
  const failed = (await Promise.allSettled(jobs)).filter((r) => r.status === "rejected") as PromiseRejectedResult[];
  if (failed.length) status(failed.map((f) => f.reason?.message).join("; "), "error");
  else status(t("Answers for {date}.", { date: chosenDate() || t("today") }), "ok");
}

async function loadStates(): Promise<void> {
  const answer = await get<{ states: { name: string; iso3: string }[]; status_as_at: Record<string, string> }>("/api/treaty/states");
  const asAt = [...new Set(Object.values(answer.status_as_at))].map((d) => formatDate(d)).join(", ");
  $("#as-at-date").textContent = ` ${t("(here: {dates})", { dates: asAt })}`;
  const states = answer.states;
  $("#t-states").replaceChildren(...states.map((s) => h("option", { value: s.name, label: `${s.name} (${s.iso3})` })));
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary first: everything below is in the reader's language
  const params = new URLSearchParams(location.search);
  input("#t-state").value = params.get("state") ?? "";
  input("#t-date").value = params.get("date") ?? new Date().toISOString().slice(0, 10);
  await Promise.all([loadStates(), loadPolicyRecords(), loadGroups()]);
  const askedGroup = params.get("group");
  if (askedGroup) select("#g-group").value = askedGroup;
  $("#status-form").addEventListener("submit", (e) => {
    e.preventDefault();
    setError("t-date", "");
    void refreshDate();
  });
  $("#group-form").addEventListener("submit", (e) => {
    e.preventDefault();
    showGroup().catch(report);
  });
  $("#deadlines-form").addEventListener("submit", (e) => {
    e.preventDefault();
    showDeadlines().catch(report);
  });
  select("#p-record").addEventListener("change", () => void loadVersions().catch(report));
  $("#p-diff-form").addEventListener("submit", (e) => {
    e.preventDefault();
    showDiff().catch(report);
  });
  await refreshDate();
  document.body.dataset.loaded = "true";
}

main().catch(report);
