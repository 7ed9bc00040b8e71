// Sign in, then go back where the user came from (only to a path on this server).
import { ApiError, currentUser, login } from "./api";
import { $, status } from "./dom";
import { t } from "./i18n";
import { renderHeader } from "./nav";

function nextPage(): string {
  const next = new URLSearchParams(location.search).get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function fieldError(id: string, message: string): boolean {
  $(`#${id}-error`).textContent = message;
  $(`#${id}`).setAttribute("aria-invalid", message ? "true" : "false");
  return !message;
}

async function main(): Promise<void> {
  await renderHeader();
  const me = await currentUser();
  if (me.logins_open === false) {
    status(t("No administrator exists yet: create one on the server with `minewatch user create-admin STORE NAME`."), "error");
  }
}

// The form is ours before anything is awaited: submitted while the header was still
// loading, the browser's own GET put the password in the address (and the server's log).
function handleSubmit(): void {
  const form = $("#login-form") as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = ($("#username") as HTMLInputElement).value.trim();
    const password = ($("#password") as HTMLInputElement).value;
    const ok = [
      fieldError("username", username ? "" : t("Enter your username.")),
      fieldError("password", password ? "" : t("Enter your password.")),
    ].every(Boolean);
    if (!ok) return;
    status(t("Signing in…"));
    try {
      await login(username, password);
      location.href = nextPage();
    } catch (err) {
      const e = err as ApiError;
      status(e.status === 401 ? t("Wrong username or password.") : e.message, "error");
    }
  });
}

handleSubmit();
main().catch((e) => status(String(e), "error"));
