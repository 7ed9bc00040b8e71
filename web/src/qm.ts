// Quality management: the ISO 2859-1 sampling plan with its OC curve, the accept-on-zero
// sample size and the zero-find bounds, each with inline validation and the formula the
// server used. Percentages on the page become fractions for the API.
import { get } from "./api";
import { curves, legend } from "./charts";
import { $, h, status, table } from "./dom";
import { Form, onSubmit } from "./form";
import { formatNumber, t } from "./i18n";
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

const fixed = (v: number, digits = 4) => formatNumber(v, { maximumFractionDigits: digits });
const formula = (text: string) => h("p", { class: "note formula" }, h("strong", { text: `${t("Formula:")} ` }), text);

/** The inspection severity of ISO 2859-1, as the form's list names it. */
function severityText(code: string): string {
  if (code === "tightened") return t("tightened");
  if (code === "reduced") return t("reduced");
  return t("normal");
}

function done(result: string, message: string): void {
  document.body.dataset[result] = "true";
  status(message, "ok");
}

const plan = new Form("sp", ["lot_size", "level", "aql", "severity"]);

async function samplingPlan(): Promise<void> {
  plan.clear();
  const lot = plan.number("lot_size", t("the lot size"), 2, 1e9, false, true);
  const aql = plan.number("aql", t("the AQL"), 0, 1000, true);
  if (lot === null || aql === null) return;
  const params = new URLSearchParams({ lot_size: String(lot), aql: String(aql), level: plan.value("level"), severity: plan.value("severity") });
  try {
    const a = await get<{ plan: Plan; oc_curve: { percent_nonconforming: number; p_accept: number }[]; formula: string }>(`/api/qm/sampling-plan?${params}`);
    window.minewatch.plan = a;
    const p = a.plan;
    const counts = { n: p.sample_size, ac: p.acceptance_number, re: p.rejection_number };
    const colours = { [t("P(accept)")]: "#2166ac" };
    $("#sp-result").replaceChildren(
      h(
        "div",
        {},
        table(
          [t("Figure"), t("Value")],
          [
            [t("Code letter (Table 1)"), p.code_letter],
            [t("Plan row after the arrows"), p.plan_code_letter],
            [t("Sample size n"), h("span", { id: "sp-n", text: formatNumber(p.sample_size) })],
            [t("Acceptance number Ac"), h("span", { id: "sp-ac", text: formatNumber(p.acceptance_number) })],
            [t("Rejection number Re"), h("span", { id: "sp-re", text: formatNumber(p.rejection_number) })],
          ],
          t("Inspection: {severity}", { severity: severityText(p.severity) }),
        ),
        h("p", {
          id: "sp-summary",
          text: p.full_inspection
            ? t("Inspect {n} units (the whole lot); accept the lot with at most {ac} nonconforming, reject it with {re} or more.", counts)
            : t("Inspect {n} units; accept the lot with at most {ac} nonconforming, reject it with {re} or more.", counts),
        }),
        formula(a.formula),
      ),
      h(
        "figure",
        {},
        curves(
          t("Operating characteristic: probability of accepting a lot against its quality"),
          a.oc_curve.map((c) => c.percent_nonconforming),
          { [t("P(accept)")]: a.oc_curve.map((c) => c.p_accept) },
          colours,
          (v) => formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
          undefined,
          (v) => formatNumber(v / 100, { style: "percent", maximumFractionDigits: 1 }),
        ),
        legend(colours),
        h("figcaption", { text: t("OC curve: lot quality (% nonconforming units, x) against P(accept) (y)") }),
      ),
    );
    done("plan", t("Plan: n = {n}, Ac = {ac}, Re = {re}.", counts));
  } catch (err) {
    plan.fail(err);
  }
}

const aoz = new Form("aoz", ["units", "clean", "confidence"]);

async function acceptOnZero(): Promise<void> {
  aoz.clear();
  const units = aoz.number("units", t("the number of units"), 1, 1e7, false, true);
  const clean = aoz.number("clean", t("the clean percentage"), 0, 100, true);
  const confidence = aoz.number("confidence", t("the confidence"), 0, 100, true);
  if (units === null || clean === null || confidence === null) return;
  const params = new URLSearchParams({ units: String(units), clean_fraction: String(clean / 100), confidence: String(confidence / 100) });
  try {
    const a = await get<Record<string, number> & { formula: string }>(`/api/qm/accept-on-zero?${params}`);
    window.minewatch.acceptOnZero = a;
    $("#aoz-result").replaceChildren(
      h("p", { id: "aoz-answer", class: "card-value", text: t("Inspect n = {n} of {units} units", { n: a.sample_size, units: a.units }) }),
      h("p", {
        text: t(
          "If all {n} are clean, there is {achieved} confidence (at least {asked} asked) that at least {clean} of the {units} units are clean. D* = {dirty} dirty units would break that claim; a sample of {n} misses all of them with probability {miss}.",
          {
            n: a.sample_size,
            achieved: formatNumber(a.achieved_confidence, { style: "percent", maximumFractionDigits: 2 }),
            asked: formatNumber(confidence / 100, { style: "percent", maximumFractionDigits: 2 }),
            clean: formatNumber(clean / 100, { style: "percent", maximumFractionDigits: 2 }),
            units: a.units,
            dirty: a.dirty_limit,
            miss: fixed(a.miss_probability),
          },
        ),
      }),
      ...(a.unbounded_lot_sample_size !== undefined ? [h("p", { class: "note", text: t("An unbounded lot would need {n}.", { n: a.unbounded_lot_sample_size }) })] : []),
      formula(a.formula),
    );
    done("aoz", t("Accept on zero: n = {n}.", { n: a.sample_size }));
  } catch (err) {
    aoz.fail(err, { clean_fraction: "clean" });
  }
}

const zf = new Form("zf", ["fraction", "pod", "confidence", "prior_shape", "prior_rate"]);

async function zeroFind(): Promise<void> {
  zf.clear();
  const f = zf.number("fraction", t("the fraction searched"), 0, 100);
  const p = zf.number("pod", t("the probability of detection"), 0, 100);
  const y = zf.number("confidence", t("the confidence"), 0, 100, true);
  const params = new URLSearchParams();
  for (const name of ["prior_shape", "prior_rate"]) {
    if (!zf.value(name)) continue;
    const v = zf.number(name, name === "prior_shape" ? t("the prior shape") : t("the prior rate"), 0, 1e6, true);
    if (v !== null) params.set(name, String(v));
  }
  if (zf.value("prior_shape") !== "" && zf.value("prior_rate") === "") zf.error("prior_rate", t("Give the prior rate too, or clear the shape."));
  if (zf.value("prior_rate") !== "" && zf.value("prior_shape") === "") zf.error("prior_shape", t("Give the prior shape too, or clear the rate."));
  if (f === null || p === null || y === null || document.querySelector("#zf-form [aria-invalid='true']")) return;
  params.set("searched_fraction", String(f / 100));
  params.set("detection_probability", String(p / 100));
  params.set("confidence", String(y / 100));
  try {
    const a = await get<{ bounds: Record<string, number | string>[]; formula: string }>(`/api/qm/zero-find?${params}`);
    window.minewatch.zeroFind = a;
    const names: Record<string, string> = { poisson: t("Poisson (expected items)"), binomial: t("Binomial (count)"), "gamma-poisson": t("Gamma prior, posterior (count)") };
    $("#zf-result").replaceChildren(
      table(
        [t("Model"), t("Items left, upper bound"), t("in the unsearched part"), t("missed in the searched part")],
        a.bounds.map((b) => [
          names[String(b.model)] ?? String(b.model),
          h("span", { id: `zf-${b.model}`, text: fixed(Number(b.items_left_upper), 3) }),
          fixed(Number(b.unsearched_upper), 3),
          fixed(Number(b.missed_in_searched_upper), 3),
        ]),
        t("Upper bounds at {confidence} confidence, q = f·p = {q}", { confidence: formatNumber(y / 100, { style: "percent", maximumFractionDigits: 2 }), q: fixed((f / 100) * (p / 100)) }),
      ),
      formula(a.formula),
    );
    done("zf", t("Zero-find bounds computed."));
  } catch (err) {
    zf.fail(err, { searched_fraction: "fraction", detection_probability: "pod" });
  }
}

onSubmit("sp-form", samplingPlan);
onSubmit("aoz-form", acceptOnZero);
onSubmit("zf-form", zeroFind);
// The vocabulary first, so that the first plan is written in the reader's language.
void renderHeader().then(samplingPlan);
