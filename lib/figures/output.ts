/**
 * Write a figure to <outDir>/figures/NAME.{svg,png,json} and show it inline.
 *
 * The JSON holds the spec and metadata (title, paper figure, dataset,
 * synthetic, notes): results/README.md lists figures from it, and the figure
 * can be re-rendered (or opened interactively) without re-running the notebook.
 * Inline display is the PNG (a few tens of kB), so executed notebooks stay small;
 * in `make notebook` (GEOREPRO_INTERACTIVE=1) it is the interactive chart (interactive.ts).
 */
import * as path from "node:path";
import { writeFileAtomic } from "../runtime/atomic";
import { loadParams, type Params } from "../runtime/params";
import { runStamp, type RunStamp } from "../runtime/provenance";
import { tslabDisplay } from "../runtime/kernel";
import { log } from "../runtime/progress";
import { interactiveHtml, interactiveRequested } from "./interactive";
import { renderPng, renderSvg } from "./render";
import { FigureSpec, figureSize } from "./spec";

export interface FigureFiles {
  svg: string;
  png: string;
  json: string;
}

export interface WriteFigureOptions {
  /** Defaults to the run's outDir (GEOREPRO_OUT / params). */
  outDir?: string;
  /** Show inline under tslab (default true; outside a kernel nothing is shown). */
  display?: boolean;
  /** The run's parameters, for the stamp (default: loadParams()). */
  params?: Params;
}

/** The figure's JSON: its spec and metadata, stamped with the commit and run parameters (the report lists stale figures apart). */
export function figureJson(spec: FigureSpec, stamp?: RunStamp): string {
  const { width, height } = figureSize(spec.meta);
  return JSON.stringify({ ...spec.meta, ...(stamp ? { stamp } : {}), width, height, data: spec.data, layout: spec.layout }, null, 2) + "\n";
}

export async function writeFigure(spec: FigureSpec, opts: WriteFigureOptions = {}): Promise<FigureFiles> {
  const params = opts.params ?? loadParams();
  const outDir = opts.outDir ?? params.outDir;
  const dir = path.join(outDir, "figures");
  const files: FigureFiles = {
    svg: path.join(dir, `${spec.meta.name}.svg`),
    png: path.join(dir, `${spec.meta.name}.png`),
    json: path.join(dir, `${spec.meta.name}.json`),
  };
  const svg = await renderSvg(spec);
  const png = await renderPng(spec);
  writeFileAtomic(files.svg, svg);
  writeFileAtomic(files.png, png);
  writeFileAtomic(files.json, figureJson(spec, runStamp(params)));
  if (opts.display !== false) {
    const d = tslabDisplay();
    if (d && interactiveRequested()) d.html(interactiveHtml(spec));
    else if (d) d.png(png);
    else log("figures", `wrote ${path.relative(process.cwd(), files.png)}`);
  }
  return files;
}
