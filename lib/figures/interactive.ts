/**
 * Interactive figures for a reader in `make notebook`: the figure as a live
 * plotly chart (zoom, hover) instead of a PNG. The plotly.js bundle comes from
 * the local package (node_modules/plotly.js-dist-min), never a CDN, and is sent
 * once per kernel session; later figures reuse `window.Plotly`.
 *
 * Headless runs (`make reproduce`) keep the static PNG, so executed notebooks
 * stay small and their exports byte-stable; `make notebook` sets
 * GEOREPRO_INTERACTIVE=1.
 */
import * as fs from "node:fs";
import { FigureSpec, figureSize } from "./spec";
import { envVar } from "../runtime/env";

export const INTERACTIVE_ENV = "GEOREPRO_INTERACTIVE";
export const interactiveRequested = (env: NodeJS.ProcessEnv = process.env): boolean =>
  /^(1|true|yes)$/i.test(envVar(INTERACTIVE_ENV, env) ?? "");

let bundleSent = false;
let counter = 0;

/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/<\//g, "<\\/")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/**
 * The bundle as a classic script that defines window.Plotly even where the page
 * has an AMD loader (the classic notebook loads require.js, and plotly's UMD
 * wrapper would otherwise register an anonymous AMD module instead).
 */
function bundleScript(): string {
  const src = fs.readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  return `<script type="text/javascript">(function (define, module, exports) {\n${src}\n}).call(window);</script>`;
}

/** HTML for one interactive figure; includes the bundle the first time in this process. */
export function interactiveHtml(spec: FigureSpec): string {
  const { width, height } = figureSize(spec.meta);
  const id = `georepro-${spec.meta.name}-${++counter}`;
  const fig = { data: spec.data, layout: { ...spec.layout, width, height }, config: { displaylogo: false, responsive: false } };
  const head = bundleSent ? "" : bundleScript();
  bundleSent = true;
  return `${head}<div id="${id}" class="georepro-figure" style="width:${width}px;height:${height}px"></div><script type="text/javascript">(function () { var f = ${scriptJson(fig)}; window.Plotly.newPlot(${scriptJson(id)}, f.data, f.layout, f.config); })();</script>`;
}
