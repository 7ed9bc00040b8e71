// The one place the web UI talks to the server: JSON in and out, the CSRF header on every
// change (read from the readable minewatch_csrf cookie the login sets), and errors turned
// into ApiError with the server's message and, for invalid input, the field it names.
import { chosenLanguage } from "./i18n";

export interface User {
  username: string;
  role: "public" | "data_worker" | "reviewer" | "admin";
  organisation_code: string | null;
  personal_data: boolean;
  signed_in: boolean;
  logins_open?: boolean;
  language?: string | null;
}

declare global {
  interface Window {
    /** Page state exposed for scripts and the browser tests (the map, loaded data). */
    minewatch: any;
  }
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public field: string | null = null,
    /** The whole answer, for errors that carry more than a message (an import's rejections). */
    public body: any = null,
  ) {
    super(message);
  }
}

function csrfToken(): string {
  const match = document.cookie.split("; ").find((c) => c.startsWith("minewatch_csrf="));
  return match ? decodeURIComponent(match.slice("minewatch_csrf=".length)) : "";
}

export async function request<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ data: T; etag: string | null }> {
  const init: RequestInit = { method, headers: { Accept: "application/json", ...languageHeader(), ...headers }, credentials: "same-origin" };
  if (method !== "GET" && method !== "HEAD") {
    (init.headers as Record<string, string>)["X-CSRF-Token"] = csrfToken();
  }
  if (body instanceof FormData) {
    init.body = body; // the browser sets the multipart Content-Type with its boundary
  } else if (body !== undefined) {
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text }; // a proxy's or the server's plain-text error
  }
  if (!response.ok) {
    throw new ApiError(response.status, describe(data, response.statusText), fieldOf(data), data);
  }
  return { data: data as T, etag: response.headers.get("ETag") };
}

/** The page's language, so that the server's answers (titles, refusals) are in it too: the
 * one chosen on this browser, else the one the vocabulary was loaded in (it sets <html dir>). */
function languageHeader(): Record<string, string> {
  const lang = chosenLanguage() ?? (document.documentElement.dir ? document.documentElement.lang : null);
  return lang ? { "Accept-Language": lang } : {};
}

function describe(data: any, fallback: string): string {
  if (!data) return fallback;
  if (typeof data.detail === "string") return data.detail;
  if (Array.isArray(data.detail)) {
    // FastAPI's own validation errors: [{loc: [...], msg: ...}]
    return data.detail.map((d: any) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ");
  }
  return fallback;
}

function fieldOf(data: any): string | null {
  if (data?.location?.field) return data.location.field;
  if (Array.isArray(data?.detail) && data.detail[0]?.loc) {
    const loc = data.detail[0].loc as string[];
    return loc[loc.length - 1] ?? null;
  }
  return null;
}

export const get = <T = unknown>(path: string) => request<T>("GET", path).then((r) => r.data);
export const post = <T = unknown>(path: string, body?: unknown) =>
  request<T>("POST", path, body ?? {}).then((r) => r.data);

let me: Promise<User> | null = null;

/** Who the server thinks we are (the public when not signed in); asked once per page. */
export function currentUser(): Promise<User> {
  me ??= get<User>("/api/auth/me");
  return me;
}

export async function login(username: string, password: string): Promise<User> {
  const answer = await post<{ user: User }>("/api/auth/login", { username, password });
  me = Promise.resolve(answer.user);
  return answer.user;
}

export async function logout(): Promise<void> {
  await post("/api/auth/logout");
  me = null;
}

/** Sends the browser to the login page unless someone at least ``role`` is signed in. */
export async function requireRole(...roles: User["role"][]): Promise<User | null> {
  const user = await currentUser();
  if (!user.signed_in) {
    location.href = `/login.html?next=${encodeURIComponent(location.pathname + location.search)}`;
    return null;
  }
  return roles.length === 0 || roles.includes(user.role) ? user : null;
}

export const isReviewer = (u: User) => u.role === "reviewer" || u.role === "admin";
