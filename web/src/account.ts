// Your account: who you are, changing your password (the current one required, the
// server's rules shown, its errors inline) and your API tokens (made, shown once, listed
// without secrets, revoked after confirmation).
import { type ApiError, get, post, request, requireRole, type User } from "./api";
import { confirmInPlace, fieldError, showApiError, showPasswordRules, when } from "./accountforms";
import { $, h, label, status, table } from "./dom";
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
    ["Username", user.username],
    ["Role", label(user.role)],
    ["Organisation", user.organisation_code ?? "none (national authority)"],
    ["Victims' personal data", user.personal_data ? "granted" : "not granted"],
  ];
  $("#who").replaceChildren(...facts.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
}

function checkPasswordForm(): boolean {
  const current = input("p-current").value;
  const next = input("p-new").value;
  return [
    fieldError("p-current", current ? "" : "Enter your current password."),
    fieldError("p-new", next.length >= minLength ? "" : `Use at least ${minLength} characters.`),
    fieldError("p-confirm", input("p-confirm").value === next ? "" : "The two new passwords differ."),
  ].every(Boolean);
}

async function changePassword(): Promise<void> {
  if (!checkPasswordForm()) return;
  status("Changing your password…");
  try {
    await post("/api/account/password", { current_password: input("p-current").value, new_password: input("p-new").value });
    ($("#password-form") as HTMLFormElement).reset();
    status("Your password is changed. Other browsers were signed out.", "ok");
  } catch (err) {
    showApiError(err, { current_password: "p-current", new_password: "p-new" });
  }
}

function showOnce(secret: string, name: string): void {
  const value = h("input", { id: "new-token-value", readonly: true, value: secret, "aria-label": `The new token ${name}`, "aria-describedby": "new-token-warning" });
  const copy = h("button", { type: "button", id: "copy-token", text: "Copy" });
  const done = h("button", { type: "button", id: "dismiss-token", text: "I have copied it" });
  copy.addEventListener("click", async () => {
    value.select();
    try {
      await navigator.clipboard.writeText(secret);
      status("Token copied to the clipboard.", "ok");
    } catch {
      status("The browser refused the clipboard: the token is selected, copy it with Ctrl+C.", "error");
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
      h("p", { id: "new-token-warning" }, h("strong", { text: "Copy this token now. " }), "It is shown only once: the server keeps only a fingerprint of it and cannot show it again. Store it like a password."),
      h("div", { class: "row" }, value, copy, done),
    ),
  );
  value.focus();
  value.select();
}

async function createToken(): Promise<void> {
  const name = input("t-label").value.trim();
  if (!fieldError("t-label", name ? "" : "Name the token, so you know which to revoke later.")) return;
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

function tokenState(t: Token): string {
  if (t.revoked_at) return `revoked ${when(t.revoked_at)}`;
  if (t.expires_at && Date.parse(t.expires_at) <= Date.now()) return "expired";
  return "active";
}

function revokeButton(t: Token): HTMLElement {
  const name = t.label ?? `#${t.id}`;
  const b = h("button", { type: "button", "aria-label": `Revoke token ${name}`, text: "Revoke…" });
  b.addEventListener("click", () =>
    confirmInPlace(b, `Revoke ${name}? Scripts using it stop working.`, "Yes, revoke", async () => {
      try {
        await request("DELETE", `/api/auth/tokens/${t.id}`);
        status(`Token ${name} is revoked.`, "ok");
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
    $("#tokens").replaceChildren(h("p", { class: "note", text: "You have no API tokens." }));
    return;
  }
  const t = table(
    ["Name", "Created", "Expires", "State", ""],
    tokens.map((tk) => [tk.label ?? "—", when(tk.created_at), tk.expires_at ? when(tk.expires_at) : "never", tokenState(tk), tokenState(tk) === "active" ? revokeButton(tk) : ""]),
    `Your tokens (${tokens.length}), newest first; their secrets are never shown again`,
  );
  t.querySelectorAll("tbody tr").forEach((row, i) => {
    row.id = `token-${tokens[i].id}`;
    (row as HTMLElement).dataset.state = tokenState(tokens[i]).split(" ")[0];
  });
  $("#tokens").replaceChildren(t);
}

async function main(): Promise<void> {
  void renderHeader();
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
