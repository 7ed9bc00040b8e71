// The header every page shares: where you can go, who you are, and signing out.
import { currentUser, isReviewer, logout } from "./api";
import { h } from "./dom";
import "./style.css";

const LINKS: [string, string, (role: string) => boolean][] = [
  ["/", "Map", () => true],
  ["/dashboard.html", "Dashboards", () => true],
  ["/entry.html", "New report", (r) => r !== "public"],
  ["/queue.html", "Reports", (r) => r !== "public"],
  ["/intake.html", "Field data", () => true],
  ["/landrelease.html", "Land release", () => true],
  ["/qm.html", "Quality management", () => true],
  ["/priority.html", "Priorities", () => true],
  ["/residual.html", "Residual hazard", () => true],
  ["/treaty.html", "Treaties & policy", () => true],
  ["/admin.html", "Users & audit", (r) => r === "admin"],
];

export async function renderHeader(): Promise<void> {
  const header = document.getElementById("site-header");
  if (!header) return;
  const user = await currentUser().catch(() => null);
  const role = user?.role ?? "public";
  const here = location.pathname === "/index.html" ? "/" : location.pathname;
  const nav = h(
    "nav",
    { "aria-label": "Main" },
    h(
      "ul",
      {},
      ...LINKS.filter(([, , show]) => show(role)).map(([href, text]) =>
        h("li", {}, h("a", { href, "aria-current": href === here ? "page" : null, text })),
      ),
    ),
  );
  const who = h("div", { class: "who" });
  if (user?.signed_in) {
    const out = h("button", { type: "button", id: "logout", text: "Sign out" });
    out.addEventListener("click", async () => {
      await logout();
      location.href = "/login.html";
    });
    const roleText = isReviewer(user) ? user.role : `${user.role}, ${user.organisation_code ?? "no organisation"}`;
    who.append(h("a", { id: "whoami", href: "/account.html", title: "Your account", "aria-current": here === "/account.html" ? "page" : null, text: `${user.username} (${roleText.replace("_", " ")})` }), out);
  } else {
    who.append(h("a", { href: "/login.html", id: "login-link", text: "Sign in" }));
  }
  header.replaceChildren(h("a", { class: "brand", href: "/", text: "minewatch" }), nav, who);
}
