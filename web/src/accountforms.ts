// What the account and administration pages share: inline field errors (the message beside
// the field, aria-invalid for screen readers), the server's password rules shown before
// anyone types, and a confirmation asked in place rather than in a modal dialog, so keyboard
// users stay where they were.
import { ApiError, get } from "./api";
import { $, h, status } from "./dom";
import { t } from "./i18n";
import "./accounts.css";

/** Shows (or clears, for "") the error under the input `#id`; true when there is none. */
export function fieldError(id: string, message: string): boolean {
  $(`#${id}-error`).textContent = message;
  $(`#${id}`).setAttribute("aria-invalid", message ? "true" : "false");
  return !message;
}

/**
 * An API error beside the field it names (`fields` maps the API's field name to an input
 * id), else in the page's status region. Focuses the field, so the user lands on it.
 */
export function showApiError(err: unknown, fields: Record<string, string>): void {
  const e = err instanceof ApiError ? err : new ApiError(0, String(err));
  const id = e.field ? fields[e.field] : undefined;
  if (id) {
    fieldError(id, e.message);
    $(`#${id}`).focus();
  }
  status(e.message, "error");
}

interface PasswordRules {
  min_length: number;
  max_length: number;
  rules: string[];
}

/** Fills the list `#listId` with the server's password rules; returns the minimum length. */
export async function showPasswordRules(listId: string): Promise<number> {
  const rules = await get<PasswordRules>("/api/account/password-rules");
  $(`#${listId}`).replaceChildren(...rules.rules.map((text) => h("li", { text })));
  return rules.min_length;
}

/**
 * Replaces `trigger` with "question [confirm] [Cancel]" and focuses the confirm button;
 * Cancel (or Escape) puts the trigger back and focuses it again.
 */
export function confirmInPlace(trigger: HTMLElement, question: string, confirmText: string, onConfirm: () => void): void {
  const yes = h("button", { type: "button", class: "danger", text: confirmText });
  const no = h("button", { type: "button", text: t("Cancel") });
  const box = h("span", { class: "confirm", role: "group", "aria-label": question }, h("span", { text: question }), yes, no);
  const restore = () => {
    box.replaceWith(trigger);
    trigger.focus();
  };
  yes.addEventListener("click", onConfirm);
  no.addEventListener("click", restore);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") restore();
  });
  trigger.replaceWith(box);
  yes.focus();
}

/** "2026-11-24 15:51" from an ISO timestamp (UTC as the server sends it). */
export const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—");
