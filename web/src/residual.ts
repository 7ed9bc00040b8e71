// Residual-hazard curves: expected live mines and P(at least one live) over time, with their
// credible intervals, from the server's residual-hazard model.
import { ApiError, get } from "./api";
import { curves, legend } from "./charts";
import { $, h, status } from "./dom";
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
  if (!/^\d+$/.test(value("mines")) || Number(value("mines")) < 1) ok = setError("mines", "Enter a whole number of mines, at least 1.") && ok;
  if (!value("sd_failure")) ok = setError("sd_failure", "Enter the self-destruct failure probability.") && ok;
  if (!value("sd_timing")) ok = setError("sd_timing", "Enter the self-destruct timing.") && ok;
  if (value("sda_failure") && !value("sda_timing")) ok = setError("sda_timing", "Give the timing too, or clear the failure probability.") && ok;
  const days = Number(value("days"));
  if (value("days") && !(days > 0)) ok = setError("days", "Enter a positive number of days.") && ok;
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
  status("Computing…");
  try {
    const a = await get<Answer>(`/api/web/dashboard/residual?${params}`);
    const c = a.curve;
    const pct = `${Math.round(a.level * 100)}%`;
    const live = { expected: "#b2182b", [`${pct} lower bound`]: "#ef8a62", [`${pct} upper bound`]: "#ef8a62" };
    const any = { probability: "#2166ac", [`${pct} lower bound `]: "#67a9cf", [`${pct} upper bound `]: "#67a9cf" };
    const clear = firstBelow(c.days, c.prob_any_live_upper, a.any_live_threshold);
    $("#residual-result").replaceChildren(
      h(
        "figure",
        {},
        curves("Expected live mines", c.days, { expected: c.expected_live, [`${pct} lower bound`]: c.expected_live_lower, [`${pct} upper bound`]: c.expected_live_upper }, live, (v) => v.toLocaleString("en", { maximumFractionDigits: 1 })),
        legend(live),
        h("figcaption", { text: `Expected live mines of ${a.mines} (${a.method})` }),
      ),
      h(
        "figure",
        {},
        curves(
          "Probability that at least one mine is live",
          c.days,
          { probability: c.prob_any_live, [`${pct} lower bound `]: c.prob_any_live_lower, [`${pct} upper bound `]: c.prob_any_live_upper },
          any,
          (v) => v.toFixed(2),
          { value: a.any_live_threshold, label: `clearance threshold ${a.any_live_threshold}` },
        ),
        legend(any),
        h("figcaption", {
          id: "residual-summary",
          text:
            clear === null
              ? `Even at the ${pct} upper bound, P(at least one live) stays above ${a.any_live_threshold} over these ${Math.round(c.days[c.days.length - 1])} days.`
              : `At the ${pct} upper bound, P(at least one live) falls below ${a.any_live_threshold} after about ${clear.toFixed(0)} days.`,
        }),
      ),
    );
    status(`Curves for ${a.mines} mines.`, "ok");
    document.body.dataset.loaded = "true";
  } catch (err) {
    const e = err as ApiError;
    const field = { self_destruct: "sd_failure", self_deactivation: "sda_failure" }[e.field ?? ""] ?? e.field ?? "";
    if (FIELDS.includes(field)) setError(field, e.message);
    status(e.message, "error");
  }
}

void renderHeader();
$("#residual-form").addEventListener("submit", (e) => {
  e.preventDefault();
  void draw();
});
void draw();
