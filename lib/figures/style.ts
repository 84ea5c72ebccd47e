/**
 * One look for every figure: fonts, palette, margins, and the title block
 * ("title" + a subtitle naming the paper figure, the dataset and whether it is
 * synthetic). Fonts are ones Debian's chromium has (DejaVu/Liberation), so the
 * SVG text metrics are the same on every machine built by `make setup`.
 */
import type { FigureMeta, PlotlyObject } from "./spec";

/** Okabe–Ito colour-blind-safe palette. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
/** Paper values are drawn grey (and hatched for bars) so they never read as ours. */
export const PAPER_COLOR = "#8c8c8c";
export const FONT_FAMILY = "DejaVu Sans, Liberation Sans, sans-serif";

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length];

/** The subtitle line: what it reproduces, on which data. */
export function subtitle(m: FigureMeta): string {
  const parts: string[] = [];
  parts.push(m.paperFigure ? `Reproduces ${m.paperFigure}` : "No paper counterpart");
  if (m.dataset) parts.push(`dataset: ${m.dataset}`);
  if (m.synthetic) parts.push("synthetic data");
  return parts.join(" · ");
}

const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Base layout every chart starts from; `extra` is merged on top (shallowly). */
export function baseLayout(m: FigureMeta, extra: PlotlyObject = {}): PlotlyObject {
  return {
    title: {
      text: `${escapeHtml(m.title)}<br><span style="font-size:12px;color:#555">${escapeHtml(subtitle(m))}</span>`,
      x: 0.02,
      xanchor: "left",
      font: { size: 17 },
    },
    font: { family: FONT_FAMILY, size: 13, color: "#222" },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 70, r: 30, t: 80, b: 95 },
    // Legend pinned to the bottom of the image (container coordinates), below the x-axis title.
    legend: { orientation: "h", x: 0, xanchor: "left", yref: "container", y: 0.01, yanchor: "bottom" },
    colorway: PALETTE,
    ...extra,
  };
}

/** A y/x axis with light grid lines and a title. */
/** Integer steps for small integer x values (thresholds, epochs), instead of 3.5, 4.5, … */
export function integerTicks(xs: readonly unknown[]): PlotlyObject {
  const nums = xs.filter((x): x is number => typeof x === "number");
  if (nums.length === 0 || nums.length !== xs.length || !nums.every(Number.isInteger)) return {};
  const span = Math.max(...nums) - Math.min(...nums);
  return span <= 20 ? { dtick: 1 } : {};
}

export const axis = (title: string, extra: PlotlyObject = {}): PlotlyObject => ({
  title: { text: escapeHtml(title) },
  showline: true,
  linecolor: "#444",
  gridcolor: "#e5e5e5",
  zeroline: false,
  ticks: "outside",
  automargin: true,
  ...extra,
});
