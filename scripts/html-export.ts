/**
 * HTML copies of executed notebooks, for reading without Jupyter:
 * <outDir>/notebooks/NN-name.ipynb → <outDir>/html/NN-name.html through
 * Debian's `jupyter nbconvert --to html` (figures are inline PNGs, so the HTML
 * is self-contained; the template's optional CDN scripts are not needed to read it).
 *
 *   node dist/scripts/html-export.js [results/notebooks/NN-name.ipynb …]   (default: all)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadParams } from "../lib/runtime/params";
import { tmpTag } from "../lib/runtime/interrupt";
import { envVar } from "../lib/runtime/env";

export const JUPYTER = envVar("GEOREPRO_JUPYTER") ?? "/usr/bin/jupyter";

export interface HtmlExport {
  notebook: string;
  html: string | null;
  /** Why there is no HTML (null when it was written). */
  error: string | null;
}

/** Convert one executed notebook; never throws (a missing HTML copy must not fail a run). */
export function exportHtml(executedNotebook: string, htmlDir: string): HtmlExport {
  const stem = path.basename(executedNotebook).replace(/\.ipynb$/, "");
  const html = path.join(htmlDir, `${stem}.html`);
  if (!fs.existsSync(executedNotebook))
    return { notebook: executedNotebook, html: null, error: `no executed notebook at ${executedNotebook}` };
  if (!fs.existsSync(JUPYTER))
    return { notebook: executedNotebook, html: null, error: `${JUPYTER} not found; run \`make apt\` (jupyter-nbconvert)` };
  fs.mkdirSync(htmlDir, { recursive: true });
  const tmpStem = `.${stem}.${tmpTag()}`; // pid and host: an interrupted export is swept (lib/runtime/interrupt.ts)
  const r = spawnSync(JUPYTER, ["nbconvert", "--to", "html", "--output-dir", htmlDir, "--output", tmpStem, executedNotebook], {
    encoding: "utf8",
  });
  const tmp = path.join(htmlDir, `${tmpStem}.html`);
  if (r.status !== 0 || !fs.existsSync(tmp)) {
    fs.rmSync(tmp, { force: true });
    const why =
      (r.stderr ?? "")
        .split("\n")
        .filter((l) => l.trim())
        .slice(-1)[0] ?? `exit status ${r.status}`;
    return { notebook: executedNotebook, html: null, error: `nbconvert failed: ${why}` };
  }
  fs.renameSync(tmp, html);
  return { notebook: executedNotebook, html, error: null };
}

export function exportAllHtml(outDir: string, notebooks?: string[]): HtmlExport[] {
  const nbDir = path.join(outDir, "notebooks");
  const list =
    notebooks ??
    (fs.existsSync(nbDir)
      ? fs
          .readdirSync(nbDir)
          .filter((f) => f.endsWith(".ipynb"))
          .sort()
          .map((f) => path.join(nbDir, f))
      : []);
  return list.map((nb) => exportHtml(nb, path.join(outDir, "html")));
}

if (require.main === module) {
  const outDir = loadParams().outDir;
  const args = process.argv.slice(2).map((a) => path.resolve(a));
  let bad = 0;
  for (const r of exportAllHtml(outDir, args.length ? args : undefined)) {
    if (r.error) bad++;
    process.stderr.write(r.error ? `html-export: ${r.notebook}: ${r.error}\n` : `html-export: wrote ${r.html}\n`);
  }
  process.exit(bad ? 1 : 0);
}
