/**
 * One look for every figure: fonts, palette, margins, and the title block
 * ("title" + a subtitle naming the paper figure, the dataset and whether it is
 * synthetic). Fonts are ones Debian's chromium has (DejaVu/Liberation), so the
 * SVG text metrics are the same on every machine built by `make setup`.
 */
import { DEFAULT_WIDTH, type FigureMeta, type PlotlyObject } from "./spec";

/** Okabe–Ito colour-blind-safe palette. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
/** Paper values are drawn grey (and hatched for bars) so they never read as ours. */
export const PAPER_COLOR = "#8c8c8c";
export const FONT_FAMILY = "DejaVu Sans, Liberation Sans, sans-serif";

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length];

/** The subtitle: what it reproduces, on which data. */
export function subtitle(m: FigureMeta): string {
  const parts: string[] = [];
  parts.push(m.paperFigure ? `Reproduces ${m.paperFigure}` : "No paper counterpart");
  if (m.dataset) parts.push(`dataset: ${m.dataset}`);
  if (m.mixed) parts.push("real and SYNTHETIC cities (each named)");
  else if (m.synthetic) parts.push("synthetic data");
  return parts.join(" · ");
}

const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Greedy word wrap to at most `maxChars` per line (plotly does not wrap titles).
 * Character widths are estimated (DejaVu Sans averages ≈ 0.55 em), which is
 * enough to keep a line inside the image.
 */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + word.length > maxChars) (lines.push(cur), (cur = word));
    else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines.length ? lines : [""];
}

const TITLE_PX = 17;
const SUB_PX = 12;

/** Title + subtitle block, wrapped to the figure width; `top` is the margin it needs. */
export function titleBlock(m: FigureMeta, pad = 14): { text: string; top: number; pad: number } {
  const width = m.width ?? DEFAULT_WIDTH;
  const usable = width - 40;
  const title = wrapText(m.title, Math.floor(usable / (TITLE_PX * 0.6)));
  const sub = wrapText(subtitle(m), Math.floor(usable / (SUB_PX * 0.58)));
  const text = `${title.map(escapeHtml).join("<br>")}<br><span style="font-size:${SUB_PX}px;color:#555">${sub.map(escapeHtml).join("<br>")}</span>`;
  return { text, top: pad + 16 + title.length * 22 + sub.length * 16, pad };
}

const MARGIN_L = 70;

/**
 * Base layout every chart starts from; `extra` is merged on top (shallowly,
 * except `annotations`, which are appended to the title's).
 *
 * The title block is an annotation rather than plotly's `title`: plotly anchors a
 * multi-line title by its first line, so wrapped titles ran into the plot; an
 * annotation is anchored by its whole box (bottom = just above the plot area).
 */
export function baseLayout(m: FigureMeta, extra: PlotlyObject = {}, titlePad = 14): PlotlyObject {
  const head = titleBlock(m, titlePad);
  const { annotations, ...rest } = extra as { annotations?: PlotlyObject[] };
  const title: PlotlyObject = {
    text: head.text,
    xref: "paper",
    yref: "paper",
    x: 0,
    y: 1,
    xanchor: "left",
    yanchor: "bottom",
    xshift: -(MARGIN_L - 18),
    yshift: head.pad,
    align: "left",
    showarrow: false,
    font: { size: TITLE_PX },
  };
  return {
    font: { family: FONT_FAMILY, size: 13, color: "#222" },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: MARGIN_L, r: 30, t: head.top, b: 95 },
    // Legend pinned to the bottom of the image (container coordinates), below the x-axis title.
    legend: { orientation: "h", x: 0, xanchor: "left", yref: "container", y: 0.01, yanchor: "bottom" },
    colorway: PALETTE,
    ...rest,
    annotations: [title, ...(annotations ?? [])],
  };
}

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
