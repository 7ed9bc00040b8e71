// Quality management: the ISO 2859-1 sampling plan with its OC curve, the accept-on-zero
// sample size and the zero-find bounds, each with inline validation and the formula the
// server used. Percentages on the page become fractions for the API.
import { get } from "./api";
import { curves, legend } from "./charts";
import { $, h, status, table } from "./dom";
import { Form, onSubmit } from "./form";
import { renderHeader } from "./nav";

interface Plan {
  code_letter: string;
  plan_code_letter: string;
  sample_size: number;
  acceptance_number: number;
  rejection_number: number;
  full_inspection: boolean;
  severity: string;
}

window.minewatch = window.minewatch ?? {};

const fixed = (v: number, digits = 4) => v.toLocaleString("en", { maximumFractionDigits: digits });
const formula = (text: string) => h("p", { class: "note formula" }, h("strong", { text: "Formula: " }), text);

function done(result: string, message: string): void {
  document.body.dataset[result] = "true";
  status(message, "ok");
}

const plan = new Form("sp", ["lot_size", "level", "aql", "severity"]);

async function samplingPlan(): Promise<void> {
  plan.clear();
  const lot = plan.number("lot_size", "the lot size", 2, 1e9, false, true);
  const aql = plan.number("aql", "the AQL", 0, 1000, true);
  if (lot === null || aql === null) return;
  const params = new URLSearchParams({ lot_size: String(lot), aql: String(aql), level: plan.value("level"), severity: plan.value("severity") });
  try {
    const a = await get<{ plan: Plan; oc_curve: { percent_nonconforming: number; p_accept: number }[]; formula: string }>(`/api/qm/sampling-plan?${params}`);
    window.minewatch.plan = a;
    const p = a.plan;
    const colours = { "P(accept)": "#2166ac" };
    $("#sp-result").replaceChildren(
      h(
        "div",
        {},
        table(
          ["Figure", "Value"],
          [
            ["Code letter (Table 1)", p.code_letter],
            ["Plan row after the arrows", p.plan_code_letter],
            ["Sample size n", h("span", { id: "sp-n", text: String(p.sample_size) })],
            ["Acceptance number Ac", h("span", { id: "sp-ac", text: String(p.acceptance_number) })],
            ["Rejection number Re", h("span", { id: "sp-re", text: String(p.rejection_number) })],
          ],
          `${p.severity} inspection`,
        ),
        h("p", {
          id: "sp-summary",
          text: `Inspect ${p.sample_size} units${p.full_inspection ? " (the whole lot)" : ""}; accept the lot with at most ${p.acceptance_number} nonconforming, reject it with ${p.rejection_number} or more.`,
        }),
        formula(a.formula),
      ),
      h(
        "figure",
        {},
        curves(
          "Operating characteristic: probability of accepting a lot against its quality",
          a.oc_curve.map((c) => c.percent_nonconforming),
          { "P(accept)": a.oc_curve.map((c) => c.p_accept) },
          colours,
          (v) => v.toFixed(2),
          undefined,
          (v) => `${fixed(v, 1)} %`,
        ),
        legend(colours),
        h("figcaption", { text: "OC curve: lot quality (% nonconforming units, x) against P(accept) (y)" }),
      ),
    );
    done("plan", `Plan: n = ${p.sample_size}, Ac = ${p.acceptance_number}, Re = ${p.rejection_number}.`);
  } catch (err) {
    plan.fail(err);
  }
}

const aoz = new Form("aoz", ["units", "clean", "confidence"]);

async function acceptOnZero(): Promise<void> {
  aoz.clear();
  const units = aoz.number("units", "the number of units", 1, 1e7, false, true);
  const clean = aoz.number("clean", "the clean percentage", 0, 100, true);
  const confidence = aoz.number("confidence", "the confidence", 0, 100, true);
  if (units === null || clean === null || confidence === null) return;
  const params = new URLSearchParams({ units: String(units), clean_fraction: String(clean / 100), confidence: String(confidence / 100) });
  try {
    const a = await get<Record<string, number> & { formula: string }>(`/api/qm/accept-on-zero?${params}`);
    window.minewatch.acceptOnZero = a;
    $("#aoz-result").replaceChildren(
      h("p", { id: "aoz-answer", class: "card-value", text: `Inspect n = ${a.sample_size} of ${a.units} units` }),
      h("p", {
        text: `If all ${a.sample_size} are clean, there is ${fixed(a.achieved_confidence * 100, 2)} % confidence (at least ${confidence} % asked) that at least ${clean} % of the ${a.units} units are clean. D* = ${a.dirty_limit} dirty units would break that claim; a sample of ${a.sample_size} misses all of them with probability ${fixed(a.miss_probability)}.`,
      }),
      ...(a.unbounded_lot_sample_size !== undefined ? [h("p", { class: "note", text: `An unbounded lot would need ${a.unbounded_lot_sample_size}.` })] : []),
      formula(a.formula),
    );
    done("aoz", `Accept on zero: n = ${a.sample_size}.`);
  } catch (err) {
    aoz.fail(err, { clean_fraction: "clean" });
  }
}

const zf = new Form("zf", ["fraction", "pod", "confidence", "prior_shape", "prior_rate"]);

async function zeroFind(): Promise<void> {
  zf.clear();
  const f = zf.number("fraction", "the fraction searched", 0, 100);
  const p = zf.number("pod", "the probability of detection", 0, 100);
  const y = zf.number("confidence", "the confidence", 0, 100, true);
  const params = new URLSearchParams();
  for (const name of ["prior_shape", "prior_rate"]) {
    if (!zf.value(name)) continue;
    const v = zf.number(name, name.replace("_", " "), 0, 1e6, true);
    if (v !== null) params.set(name, String(v));
  }
  if (zf.value("prior_shape") !== "" && zf.value("prior_rate") === "") zf.error("prior_rate", "Give the prior rate too, or clear the shape.");
  if (zf.value("prior_rate") !== "" && zf.value("prior_shape") === "") zf.error("prior_shape", "Give the prior shape too, or clear the rate.");
  if (f === null || p === null || y === null || document.querySelector("#zf-form [aria-invalid='true']")) return;
  params.set("searched_fraction", String(f / 100));
  params.set("detection_probability", String(p / 100));
  params.set("confidence", String(y / 100));
  try {
    const a = await get<{ bounds: Record<string, number | string>[]; formula: string }>(`/api/qm/zero-find?${params}`);
    window.minewatch.zeroFind = a;
    const names: Record<string, string> = { poisson: "Poisson (expected items)", binomial: "Binomial (count)", "gamma-poisson": "Gamma prior, posterior (count)" };
    $("#zf-result").replaceChildren(
      table(
        ["Model", "Items left, upper bound", "in the unsearched part", "missed in the searched part"],
        a.bounds.map((b) => [
          names[String(b.model)] ?? String(b.model),
          h("span", { id: `zf-${b.model}`, text: fixed(Number(b.items_left_upper), 3) }),
          fixed(Number(b.unsearched_upper), 3),
          fixed(Number(b.missed_in_searched_upper), 3),
        ]),
        `Upper bounds at ${y} % confidence, q = f·p = ${fixed((f / 100) * (p / 100))}`,
      ),
      formula(a.formula),
    );
    done("zf", "Zero-find bounds computed.");
  } catch (err) {
    zf.fail(err, { searched_fraction: "fraction", detection_probability: "pod" });
  }
}

void renderHeader();
onSubmit("sp-form", samplingPlan);
onSubmit("aoz-form", acceptOnZero);
onSubmit("zf-form", zeroFind);
void samplingPlan();
