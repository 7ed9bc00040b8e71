// Small, dependency-free SVG charts (stacked bars and lines). Every chart is an image with
// a text alternative, and the dashboards print the same figures as a table beside it.

import { formatDate, formatNumber, t } from "./i18n";

const NS = "http://www.w3.org/2000/svg";
const W = 640;
const H = 260;
const M = { top: 16, right: 16, bottom: 36, left: 76 };

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function frame(title: string): SVGSVGElement {
  // Axes run left to right in every language (years, days, amounts grow to the right), so a
  // right-to-left page keeps its charts' geometry: the labels anchor where they are drawn.
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, class: "chart", direction: "ltr" }) as SVGSVGElement;
  svg.append(el("title", {}, title));
  return svg;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((c) => c >= v) ?? v;
}

/** A maximum for counts: four equal whole steps, so that no tick reads "1.25 people". */
export function countMax(v: number, least = 4): number {
  const step = Math.max(1, Math.ceil(niceMax(Math.max(v, least)) / 4));
  return step * 4;
}

function yAxis(svg: SVGSVGElement, max: number, fmt: (v: number) => string): (v: number) => number {
  const y = (v: number) => H - M.bottom - (v / max) * (H - M.top - M.bottom);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    svg.append(el("line", { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(el("text", { x: M.left - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, fmt(v)));
  }
  return y;
}

export function legend(colours: Record<string, string>): HTMLElement {
  const ul = document.createElement("ul");
  ul.className = "legend inline";
  for (const [name, colour] of Object.entries(colours)) {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = "swatch square";
    sw.style.background = colour;
    sw.setAttribute("aria-hidden", "true");
    li.append(sw, ` ${name}`);
    ul.append(li);
  }
  return ul;
}

/** Bars per category (x), stacked by series; ``values[series][i]`` belongs to ``categories[i]``. */
export function stackedBars(
  title: string,
  categories: string[],
  values: Record<string, number[]>,
  colours: Record<string, string>,
  fmt: (v: number) => string = (v) => formatNumber(v),
  minMax = 4, // counts (minMax > 0): at least 0..minMax, in whole steps
): SVGSVGElement {
  const svg = frame(title);
  const totals = categories.map((_, i) => Object.values(values).reduce((s, arr) => s + (arr[i] ?? 0), 0));
  const top = Math.max(0, ...totals);
  const y = yAxis(svg, minMax > 0 ? countMax(top, minMax) : niceMax(top), fmt);
  const step = Math.min(90, (W - M.left - M.right) / Math.max(1, categories.length));
  categories.forEach((cat, i) => {
    let base = 0;
    const x = M.left + i * step + step * 0.15;
    for (const [series, arr] of Object.entries(values)) {
      const v = arr[i] ?? 0;
      if (v > 0) {
        const rect = el("rect", { x, width: step * 0.7, y: y(base + v), height: y(base) - y(base + v), fill: colours[series] ?? "#888" });
        rect.append(el("title", {}, `${cat}, ${series}: ${fmt(v)}`));
        svg.append(rect);
      }
      base += v;
    }
    if (categories.length <= 24 || i % Math.ceil(categories.length / 24) === 0) {
      svg.append(el("text", { x: x + step * 0.35, y: H - M.bottom + 16, "text-anchor": "middle", class: "tick" }, cat));
    }
  });
  return svg;
}

/** Lines over a shared x axis of ISO dates. */
export function lines(title: string, dates: string[], series: Record<string, number[]>, colours: Record<string, string>): SVGSVGElement {
  const svg = frame(title);
  const max = countMax(Math.max(0, ...Object.values(series).flat()));
  const y = yAxis(svg, max, (v) => formatNumber(v));
  const times = dates.map((d) => Date.parse(d));
  const t0 = times[0];
  const t1 = times[times.length - 1];
  const x = (v: number) => M.left + ((v - t0) / Math.max(1, t1 - t0)) * (W - M.left - M.right);
  for (const [name, values] of Object.entries(series)) {
    const d = values.map((v, i) => `${i ? "L" : "M"}${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`).join("");
    const path = el("path", { d, fill: "none", stroke: colours[name] ?? "#333", "stroke-width": 2 });
    path.append(el("title", {}, t("{name}: {value} on {date}", { name, value: values[values.length - 1], date: formatDate(dates[dates.length - 1]) })));
    svg.append(path);
  }
  const first = new Date(t0).getUTCFullYear();
  const last = new Date(t1).getUTCFullYear();
  for (let year = first; year <= last; year += Math.max(1, Math.ceil((last - first) / 8))) {
    const tx = x(Date.UTC(year, 0, 1));
    if (tx >= M.left) svg.append(el("text", { x: tx, y: H - M.bottom + 16, "text-anchor": "middle", class: "tick" }, String(year)));
  }
  return svg;
}

/** Lines over a numeric x axis (days unless ``xfmt`` labels it otherwise), optionally with a
 * horizontal reference line; the series ``dashed`` answers true for (bounds) are thin and dashed. */
export function curves(
  title: string,
  xs: number[],
  series: Record<string, number[]>,
  colours: Record<string, string>,
  yfmt: (v: number) => string,
  reference?: { value: number; label: string },
  xfmt: (v: number) => string = (v) => t("{days} d", { days: Math.round(v) }),
  dashed: (name: string) => boolean = () => false,
): SVGSVGElement {
  const svg = frame(title);
  const max = niceMax(Math.max(0, ...Object.values(series).flat()));
  const y = yAxis(svg, max, yfmt);
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  const x = (v: number) => M.left + ((v - x0) / Math.max(1e-9, x1 - x0)) * (W - M.left - M.right);
  for (const [name, values] of Object.entries(series)) {
    const d = values.map((v, i) => `${i ? "L" : "M"}${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}`).join("");
    const thin = dashed(name);
    const path = el("path", { d, fill: "none", stroke: colours[name] ?? "#333", "stroke-width": thin ? 1 : 2, "stroke-dasharray": thin ? "4 3" : "none" });
    path.append(el("title", {}, name));
    svg.append(path);
  }
  if (reference && reference.value <= max) {
    svg.append(el("line", { x1: M.left, x2: W - M.right, y1: y(reference.value), y2: y(reference.value), stroke: "#a50026", "stroke-dasharray": "2 2" }));
    svg.append(el("text", { x: W - M.right, y: y(reference.value) - 4, "text-anchor": "end", class: "tick" }, reference.label));
  }
  for (let i = 0; i <= 6; i++) {
    const v = x0 + ((x1 - x0) * i) / 6;
    svg.append(el("text", { x: x(v), y: H - M.bottom + 16, "text-anchor": "middle", class: "tick" }, xfmt(v)));
  }
  return svg;
}
