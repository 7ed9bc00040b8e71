// Residual-hazard curves: expected live mines and P(at least one live) over time, with their
// credible intervals, from the server's residual-hazard model.
import { ApiError, get } from "./api";
import { curves, legend } from "./charts";
import { $, h, status } from "./dom";
import { formatNumber, t } from "./i18n";
import { renderHeader } from "./nav";

interface Answer {
  mines: number;
  level: number;
  method: string;
  any_live_threshold: number;
  curve: Record<string, number[]>;
}

const FIELDS = ["mines", "sd_failure", "sd_timing", "sda_failure", "sda_timing", "days"];
const value = (name: string) => ($(`#r-${name}`) as HTMLInputElement).value.trim();

function setError(name: string, message: string): boolean {
  $(`#r-${name}-error`).textContent = message;
  $(`#r-${name}`).setAttribute("aria-invalid", message ? "true" : "false");
  return !message;
}

function validate(): boolean {
  FIELDS.forEach((f) => setError(f, ""));
  let ok = true;
  if (!/^\d+$/.test(value("mines")) || Number(value("mines")) < 1) ok = setError("mines", t("Enter a whole number of mines, at least 1.")) && ok;
  if (!value("sd_failure")) ok = setError("sd_failure", t("Enter the self-destruct failure probability.")) && ok;
  if (!value("sd_timing")) ok = setError("sd_timing", t("Enter the self-destruct timing.")) && ok;
  if (value("sda_failure") && !value("sda_timing")) ok = setError("sda_timing", t("Give the timing too, or clear the failure probability.")) && ok;
  const days = Number(value("days"));
  if (value("days") && !(days > 0)) ok = setError("days", t("Enter a positive number of days.")) && ok;
  return ok;
}

function firstBelow(days: number[], values: number[], threshold: number): number | null {
  const i = values.findIndex((v) => v < threshold);
  return i < 0 ? null : days[i];
}

async function draw(): Promise<void> {
  if (!validate()) return;
  const params = new URLSearchParams();
  for (const f of FIELDS) if (value(f)) params.set(f, value(f));
  status(t("Computing…"));
  try {
    const a = await get<Answer>(`/api/web/dashboard/residual?${params}`);
    const c = a.curve;
    const pct = formatNumber(a.level, { style: "percent", maximumFractionDigits: 0 });
    const lower = t("{bound} lower bound", { bound: pct });
    const upper = t("{bound} upper bound", { bound: pct });
    const expected = t("Expected");
    const probability = t("Probability");
    const live = { [expected]: "#b2182b", [lower]: "#ef8a62", [upper]: "#ef8a62" };
    const any = { [probability]: "#2166ac", [lower]: "#67a9cf", [upper]: "#67a9cf" };
    const bounds = (name: string) => name === lower || name === upper; // drawn dashed
    const clear = firstBelow(c.days, c.prob_any_live_upper, a.any_live_threshold);
    $("#residual-result").replaceChildren(
      h(
        "figure",
        {},
        curves(t("Expected live mines"), c.days, { [expected]: c.expected_live, [lower]: c.expected_live_lower, [upper]: c.expected_live_upper }, live, (v) => formatNumber(v, { maximumFractionDigits: 1 }), undefined, undefined, bounds),
        legend(live),
        h("figcaption", { text: t("Expected live mines of {count} ({method})", { count: a.mines, method: a.method }) }),
      ),
      h(
        "figure",
        {},
        curves(
          t("Probability that at least one mine is live"),
          c.days,
          { [probability]: c.prob_any_live, [lower]: c.prob_any_live_lower, [upper]: c.prob_any_live_upper },
          any,
          (v) => formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
          { value: a.any_live_threshold, label: t("clearance threshold {value}", { value: a.any_live_threshold }) },
          undefined,
          bounds,
        ),
        legend(any),
        h("figcaption", {
          id: "residual-summary",
          text:
            clear === null
              ? t("Even at the {bound} upper bound, P(at least one live) stays above {threshold} over these {days} days.", { bound: pct, threshold: a.any_live_threshold, days: Math.round(c.days[c.days.length - 1]) })
              : t("At the {bound} upper bound, P(at least one live) falls below {threshold} after about {days} days.", { bound: pct, threshold: a.any_live_threshold, days: Math.round(clear) }),
        }),
      ),
    );
    status(t("Curves for {count} mines.", { count: a.mines }), "ok");
    document.body.dataset.loaded = "true";
  } catch (err) {
    const e = err as ApiError;
    const field = { self_destruct: "sd_failure", self_deactivation: "sda_failure" }[e.field ?? ""] ?? e.field ?? "";
    if (FIELDS.includes(field)) setError(field, e.message);
    status(e.message, "error");
  }
}

$("#residual-form").addEventListener("submit", (e) => {
  e.preventDefault();
  void draw();
});
// The vocabulary first, so that the curves are drawn in the reader's language.
void renderHeader().then(draw);
