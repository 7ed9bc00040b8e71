// Your account: who you are, changing your password (the current one required, the
// server's rules shown, its errors inline) and your API tokens (made, shown once, listed
// without secrets, revoked after confirmation).
import { type ApiError, get, post, request, requireRole, type User } from "./api";
import { confirmInPlace, fieldError, showApiError, showPasswordRules, when } from "./accountforms";
import { $, h, status, table } from "./dom";
import { label, t } from "./i18n";
import { renderHeader } from "./nav";

interface Token {
  id: number;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

const input = (id: string) => $(`#${id}`) as HTMLInputElement;
let minLength = 0;

function showWho(user: User): void {
  const facts: [string, string][] = [
    [t("Username"), user.username],
    [t("Role"), label("Role", user.role)],
    [t("Organisation"), user.organisation_code ?? t("none (national authority)")],
    [t("Victims' personal data"), user.personal_data ? t("granted") : t("not granted")],
  ];
  $("#who").replaceChildren(...facts.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
}

function checkPasswordForm(): boolean {
  const current = input("p-current").value;
  const next = input("p-new").value;
  return [
    fieldError("p-current", current ? "" : t("Enter your current password.")),
    fieldError("p-new", next.length >= minLength ? "" : t("Use at least {count} characters.", { count: minLength })),
    fieldError("p-confirm", input("p-confirm").value === next ? "" : t("The two new passwords differ.")),
  ].every(Boolean);
}

async function changePassword(): Promise<void> {
  if (!checkPasswordForm()) return;
  status(t("Changing your password…"));
  try {
    await post("/api/account/password", { current_password: input("p-current").value, new_password: input("p-new").value });
    ($("#password-form") as HTMLFormElement).reset();
    status(t("Your password is changed. Other browsers were signed out."), "ok");
  } catch (err) {
    showApiError(err, { current_password: "p-current", new_password: "p-new" });
  }
}

function showOnce(secret: string, name: string): void {
  const value = h("input", { id: "new-token-value", readonly: true, value: secret, "aria-label": t("The new token {name}", { name }), "aria-describedby": "new-token-warning" });
  const copy = h("button", { type: "button", id: "copy-token", text: t("Copy") });
  const done = h("button", { type: "button", id: "dismiss-token", text: t("I have copied it") });
  copy.addEventListener("click", async () => {
    value.select();
    try {
      await navigator.clipboard.writeText(secret);
      status(t("Token copied to the clipboard."), "ok");
    } catch {
      status(t("The browser refused the clipboard: the token is selected, copy it with Ctrl+C."), "error");
    }
  });
  done.addEventListener("click", () => {
    $("#new-token").replaceChildren();
    $("#t-label").focus();
  });
  $("#new-token").replaceChildren(
    h(
      "div",
      { class: "once", role: "alert" },
      h("p", { id: "new-token-warning" }, h("strong", { text: `${t("Copy this token now.")} ` }), t("It is shown only once: the server keeps only a fingerprint of it and cannot show it again. Store it like a password.")),
      h("div", { class: "row" }, value, copy, done),
    ),
  );
  value.focus();
  value.select();
}

async function createToken(): Promise<void> {
  const name = input("t-label").value.trim();
  if (!fieldError("t-label", name ? "" : t("Name the token, so you know which to revoke later."))) return;
  const expiry = ($("#t-expiry") as HTMLSelectElement).value;
  try {
    const made = await post<{ id: number; token: string }>("/api/auth/tokens", { label: name, valid_days: expiry === "never" ? null : Number(expiry) });
    ($("#token-form") as HTMLFormElement).reset();
    showOnce(made.token, name);
    await listTokens();
  } catch (err) {
    showApiError(err, { label: "t-label", valid_days: "t-expiry" });
  }
}

/** The token's state as a code (kept in data-state) and as the reader's words. */
function tokenState(token: Token): "active" | "expired" | "revoked" {
  if (token.revoked_at) return "revoked";
  if (token.expires_at && Date.parse(token.expires_at) <= Date.now()) return "expired";
  return "active";
}

function tokenStateText(token: Token): string {
  const state = tokenState(token);
  if (state === "revoked") return t("revoked {when}", { when: when(token.revoked_at) });
  return state === "expired" ? t("expired") : t("active");
}

function revokeButton(token: Token): HTMLElement {
  const name = token.label ?? `#${token.id}`;
  const b = h("button", { type: "button", "aria-label": t("Revoke token {name}", { name }), text: t("Revoke…") });
  b.addEventListener("click", () =>
    confirmInPlace(b, t("Revoke {name}? Scripts using it stop working.", { name }), t("Yes, revoke"), async () => {
      try {
        await request("DELETE", `/api/auth/tokens/${token.id}`);
        status(t("Token {name} is revoked.", { name }), "ok");
      } catch (err) {
        status((err as ApiError).message, "error");
      }
      await listTokens();
    }),
  );
  return b;
}

async function listTokens(): Promise<void> {
  const tokens = (await get<Token[]>("/api/auth/tokens")).reverse();
  if (!tokens.length) {
    $("#tokens").replaceChildren(h("p", { class: "note", text: t("You have no API tokens.") }));
    return;
  }
  const list = table(
    [t("Name"), t("Created"), t("Expires"), t("State"), ""],
    tokens.map((tk) => [tk.label ?? "—", when(tk.created_at), tk.expires_at ? when(tk.expires_at) : t("never"), tokenStateText(tk), tokenState(tk) === "active" ? revokeButton(tk) : ""]),
    t("Your tokens ({count}), newest first; their secrets are never shown again", { count: tokens.length }),
  );
  list.querySelectorAll("tbody tr").forEach((row, i) => {
    row.id = `token-${tokens[i].id}`;
    (row as HTMLElement).dataset.state = tokenState(tokens[i]);
  });
  $("#tokens").replaceChildren(list);
}

async function main(): Promise<void> {
  await renderHeader(); // the vocabulary first: everything below is written in the reader's language
  const user = await requireRole();
  if (!user) return;
  showWho(user);
  minLength = await showPasswordRules("password-rules");
  $("#password-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void changePassword();
  });
  $("#token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void createToken();
  });
  await listTokens();
  document.body.dataset.loaded = "true";
}

main().catch((e) => status(String(e), "error"));
