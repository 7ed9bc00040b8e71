// Inline validation for the calculator forms: each input ``#<prefix>-<name>`` has an error
// paragraph ``#<prefix>-<name>-error`` (aria-describedby), flagged with aria-invalid, so a
// screen reader announces what is wrong and where. Errors from the server land on the
// field they name.
import { ApiError } from "./api";
import { $, status } from "./dom";
import { formatNumber, t } from "./i18n";

export class Form {
  constructor(
    private prefix: string,
    private fields: string[],
  ) {}

  value(name: string): string {
    return ($(`#${this.prefix}-${name}`) as HTMLInputElement).value.trim();
  }

  /** Sets (or with "" clears) a field's error; returns whether the field is fine. */
  error(name: string, message: string): boolean {
    $(`#${this.prefix}-${name}-error`).textContent = message;
    $(`#${this.prefix}-${name}`).setAttribute("aria-invalid", message ? "true" : "false");
    return !message;
  }

  clear(): void {
    this.fields.forEach((f) => this.error(f, ""));
  }

  /** A number within [min, max] (open ends when ``open``), or an inline error naming
   * ``what`` (already in the reader's language). A decimal comma is read as a point. */
  number(name: string, what: string, min: number, max: number, open = false, whole = false): number | null {
    const text = this.value(name);
    const v = Number(/^[-+]?\d+,\d+$/.test(text) ? text.replace(",", ".") : text);
    const inside = open ? v > min && v < max : v >= min && v <= max;
    if (!text || !Number.isFinite(v) || !inside || (whole && !Number.isInteger(v))) {
      const params = { min: formatNumber(min), max: formatNumber(max), what };
      const message = whole
        ? open
          ? t("Enter a whole number between {min} and {max} for {what}.", params)
          : t("Enter a whole number from {min} to {max} for {what}.", params)
        : open
          ? t("Enter a number between {min} and {max} for {what}.", params)
          : t("Enter a number from {min} to {max} for {what}.", params);
      this.error(name, message);
      return null;
    }
    return v;
  }

  /** Shows a server error on the field it names (``fieldOf`` maps API names to ours). */
  fail(err: unknown, fieldOf: Record<string, string> = {}): void {
    const e = err as ApiError;
    const field = fieldOf[e.field ?? ""] ?? e.field ?? "";
    if (this.fields.includes(field)) this.error(field, e.message);
    status(e.message, "error");
  }
}

/** The first submit runs ``run``; later ones again (Enter in any field submits). */
export function onSubmit(formId: string, run: () => Promise<void>): void {
  $(`#${formId}`).addEventListener("submit", (ev) => {
    ev.preventDefault();
    void run();
  });
}
