// The header every page shares: where you can go, who you are, the language, and signing
// out. It loads the vocabulary first, so every page's words are in the reader's language.
import { currentUser, isReviewer, logout, request } from "./api";
import { h } from "./dom";
import { chosenLanguage, currentVocabulary, label, LANGUAGE_KEY, loadVocabulary, t, translateStatic } from "./i18n";
import "./style.css";

const LINKS: [string, string, (role: string) => boolean][] = [
  ["/", "Map", () => true],
  ["/dashboard.html", "Dashboards", () => true],
  ["/entry.html", "New report", (r) => r !== "public"],
  ["/queue.html", "Reports", (r) => r !== "public"],
  ["/intake.html", "Field data", () => true],
  ["/landrelease.html", "Land release", () => true],
  ["/tasks.html", "Tasking", () => true],
  ["/qm.html", "Quality management", () => true],
  ["/priority.html", "Priorities", () => true],
  ["/residual.html", "Residual hazard", () => true],
  ["/treaty.html", "Treaties & policy", () => true],
  ["/migration.html", "Migration", (r) => r === "reviewer" || r === "admin"],
  ["/admin.html", "Users & audit", (r) => r === "admin"],
];

function languagePicker(signedIn: boolean): HTMLElement {
  const vocabulary = currentVocabulary();
  const select = h("select", { id: "language", "aria-label": t("Language") }) as HTMLSelectElement;
  for (const [code, name] of Object.entries(vocabulary.languages)) {
    const option = h("option", { value: code, lang: code, text: name }) as HTMLOptionElement;
    option.selected = code === vocabulary.locale;
    select.append(option);
  }
  select.addEventListener("change", async () => {
    try {
      localStorage.setItem(LANGUAGE_KEY, select.value);
    } catch {
      /* private mode: the account (or the browser) decides */
    }
    if (signedIn) await request("PUT", "/api/account/language", { language: select.value }).catch(() => null);
    location.reload();
  });
  return h("label", { class: "lang-picker" }, h("span", { class: "visually-hidden", text: t("Language") }), select);
}

export async function renderHeader(): Promise<void> {
  const header = document.getElementById("site-header");
  const user = await currentUser().catch(() => null);
  // The account's choice, unless this browser chose one (the picker sets both).
  await loadVocabulary(chosenLanguage() ?? user?.language ?? null);
  translateStatic();
  if (!header) return;
  const role = user?.role ?? "public";
  const here = location.pathname === "/index.html" ? "/" : location.pathname;
  const nav = h(
    "nav",
    { "aria-label": t("Main") },
    h(
      "ul",
      {},
      ...LINKS.filter(([, , show]) => show(role)).map(([href, text]) =>
        h("li", {}, h("a", { href, "aria-current": href === here ? "page" : null, text: t(text) })),
      ),
    ),
  );
  const who = h("div", { class: "who" });
  if (user?.signed_in) {
    const out = h("button", { type: "button", id: "logout", text: t("Sign out") });
    out.addEventListener("click", async () => {
      await logout();
      location.href = "/login.html";
    });
    const roleText = isReviewer(user)
      ? label("Role", user.role)
      : `${label("Role", user.role)}, ${user.organisation_code ?? t("no organisation")}`;
    who.append(h("a", { id: "whoami", href: "/account.html", title: t("Your account"), "aria-current": here === "/account.html" ? "page" : null, text: `${user.username} (${roleText})` }), out);
  } else {
    who.append(h("a", { href: "/login.html", id: "login-link", text: t("Sign in") }));
  }
  who.prepend(languagePicker(Boolean(user?.signed_in)));
  header.replaceChildren(h("a", { class: "brand", href: "/", text: "minewatch" }), nav, who);
}
