/**
 * Speed of figure export: launching chromium (standalone vs the run's shared
 * browser), the first render in a fresh page (loads plotly.js, 3.6 MB), and
 * steady-state SVG / PNG renders of a grouped bar chart and a 2-city map.
 *
 *   node dist/bench/figures.js
 *
 * Prints one line per step; the figures are recorded in bench/README.md ("Figures").
 */
import { closeFigureBrowser, startSharedChromium, WS_ENV } from "../lib/figures/browser";
import { groupedBarSpec, predictionMapSpec } from "../lib/figures/charts";
import { renderPng, renderSvg } from "../lib/figures/render";
import { stream } from "../lib/runtime/rng";

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const line = (label: string, v: number, unit = "ms"): void =>
  void process.stdout.write(`${label.padEnd(52)} ${v.toFixed(1).padStart(8)} ${unit}\n`);

async function timed(label: string, f: () => Promise<unknown>, n = 1): Promise<void> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await f();
  line(n > 1 ? `${label} (mean of ${n})` : label, ms(t0) / n);
}

async function main(): Promise<void> {
  const bars = groupedBarSpec({
    name: "bench-bars",
    title: "Bench",
    paperFigure: "MRLF paper, Fig. 2",
    synthetic: true,
    categories: ["New York", "Melbourne", "Hong Kong"],
    series: ["MRLF", "w/o text", "w/o hashtags", "w/o image"].map((name, k) => ({
      name,
      values: [0.8 - 0.05 * k, 0.82 - 0.04 * k, 0.81 - 0.06 * k],
      errors: [0.01, 0.02, 0.01],
    })),
    yLabel: "Accuracy",
  });
  const rng = stream(1, "bench/figures");
  const city = (lat: number, lon: number) =>
    Array.from({ length: 100 }, () => ({
      truth: { lat: lat + rng.normal() * 0.02, lon: lon + rng.normal() * 0.02 },
      predicted: { lat: lat + rng.normal() * 0.02, lon: lon + rng.normal() * 0.02 },
    }));
  const map = predictionMapSpec({
    name: "bench-map",
    title: "Bench map",
    paperFigure: null,
    synthetic: true,
    width: 1100,
    panels: [
      { title: "New York", pairs: city(40.75, -73.98) },
      { title: "Hong Kong", pairs: city(22.3, 114.17) },
    ],
  });

  await timed("standalone: launch + page + plotly + first SVG", () => renderSvg(bars));
  await timed("SVG, grouped bars (4 series × 3 cities)", () => renderSvg(bars), 20);
  await timed("PNG 900×500, grouped bars", () => renderPng(bars), 20);
  await timed("SVG, prediction map (2 cities × 100 posts)", () => renderSvg(map), 10);
  await timed("PNG 1100×500, prediction map", () => renderPng(map), 10);
  await closeFigureBrowser();

  let t0 = process.hrtime.bigint();
  const shared = startSharedChromium();
  line("shared: start chromium with a DevTools endpoint", ms(t0));
  process.env[WS_ENV] = shared.wsEndpoint;
  try {
    await timed("shared: connect + page + plotly + first SVG", () => renderSvg(bars));
    await timed("shared: SVG, grouped bars", () => renderSvg(bars), 20);
    await closeFigureBrowser();
    await timed("shared: reconnect (next notebook) + first SVG", () => renderSvg(bars));
    await closeFigureBrowser();
  } finally {
    delete process.env[WS_ENV];
    t0 = process.hrtime.bigint();
    shared.stop();
    line("shared: stop", ms(t0));
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
