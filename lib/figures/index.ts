/**
 * Figures for the reproduced paper figures, all made the same way:
 *
 *   import { figures } from "georepro";
 *   await figures.groupedBar({
 *     name: "fig2-mrlf-ablation", title: "Ablation: accuracy per city",
 *     paperFigure: "MRLF paper, Fig. 2", synthetic: true, dataset: "synthetic-instagram",
 *     categories: ["New York", "Melbourne", "Hong Kong"],
 *     series: [{ name: "MRLF", values: [0.81, 0.84, 0.83], errors: [0.01, 0.02, 0.01] },
 *              { name: "MRLF (paper)", values: [0.828, 0.860, 0.847], kind: "paper" }],
 *     yLabel: "Accuracy", yRange: [0, 1],
 *   });
 *   // → shows the PNG inline; writes results/figures/fig2-mrlf-ablation.{svg,png,json}
 *
 * Every function validates its input (errors name the figure and the field),
 * renders in headless Chromium, writes SVG + PNG + JSON under <outDir>/figures/
 * (writeFigure returns their paths). `*Spec` builders return the plotly spec without
 * rendering (for tests or custom tweaks); `writeFigure(spec)` renders any spec.
 */
import {
  elbowSpec,
  ElbowOptions,
  ForestOptions,
  forestSpec,
  GroupedBarOptions,
  groupedBarSpec,
  LineOptions,
  lineSpec,
  PredictionMapOptions,
  predictionMapSpec,
  panelBox,
  TrainingCurvesOptions,
  trainingCurvesSpec,
} from "./charts";
import { writeFigure, WriteFigureOptions } from "./output";
import { outlinesWithin } from "../geo/outlines";
import type { FigureSpec } from "./spec";

export * from "./charts";
export { type FigureMeta, type FigureSpec, type PlotlyObject, validateMeta } from "./spec";
export { renderSvg, renderPng } from "./render";
export { writeFigure, figureJson, type FigureFiles, type WriteFigureOptions } from "./output";
export { closeFigureBrowser, startSharedChromium, type SharedChromium } from "./browser";
export { PALETTE, PAPER_COLOR } from "./style";

/**
 * Write a figure's files and show it. Resolves to nothing, so that a notebook
 * cell ending with a figure prints no file list (writeFigure returns the paths).
 */
const show = (spec: FigureSpec, w?: WriteFigureOptions): Promise<void> => writeFigure(spec, w).then(() => undefined);

/** Grouped bars: one group per category (city, dataset), one bar per series (variant, method). */
export const groupedBar = (o: GroupedBarOptions, w?: WriteFigureOptions): Promise<void> => show(groupedBarSpec(o), w);
/** Lines over x (threshold sweeps: accuracy vs N1 / N2, low-frequency hashtag cut-off). */
export const lines = (o: LineOptions, w?: WriteFigureOptions): Promise<void> => show(lineSpec(o), w);
/** The k-means elbow: SSE against k, with the chosen k marked. */
export const elbow = (o: ElbowOptions, w?: WriteFigureOptions): Promise<void> => show(elbowSpec(o), w);
/** Loss and accuracy per epoch, side by side. */
export const trainingCurves = (o: TrainingCurvesOptions, w?: WriteFigureOptions): Promise<void> => show(trainingCurvesSpec(o), w);
/** Predicted vs true POIs per city, errors drawn as lines, over coastlines and borders from world-atlas (no CDN). */
export const predictionMap = (o: PredictionMapOptions, w?: WriteFigureOptions): Promise<void> =>
  show(
    predictionMapSpec({
      ...o,
      panels: o.panels.map((p) => (p.outlines || p.pairs.length === 0 ? p : { ...p, outlines: outlinesWithin(panelBox(p.pairs)) })),
    }),
    w,
  );
/** A forest plot: effects with CIs per row, a zero line, the paper's own effect beside ours. */
export const forest = (o: ForestOptions, w?: WriteFigureOptions): Promise<void> => show(forestSpec(o), w);
