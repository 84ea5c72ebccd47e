/**
 * Executes the notebooks headlessly, in order, with the real Jupyter client
 * (nbclient, via tools/execute_notebook.py) on the project-local tslab kernel.
 *
 *   node dist/scripts/run-notebooks.js [notebooks/NN-name.ipynb …]
 *
 * Executed copies go to <outDir>/notebooks/; per-notebook times to
 * <outDir>/volatile/run-summary.json. The first failing cell stops the run with
 * exit status 1 and a line naming the notebook and the cell.
 *
 * One headless chromium serves the figures of the whole run (its DevTools
 * address reaches the kernels in GEOREPRO_CHROMIUM_WS; see lib/figures/browser.ts),
 * and each executed notebook is also exported to <outDir>/html/ (scripts/html-export.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "../lib/runtime/atomic";
import { describeParams, loadParams } from "../lib/runtime/params";
import { fromRoot, projectRoot } from "../lib/runtime/paths";
import { formatSeconds } from "../lib/runtime/progress";
import { SharedChromium, startSharedChromium, WS_ENV } from "../lib/figures/browser";
import { exportHtml } from "./html-export";

export const JUPYTER = process.env.GEOREPRO_JUPYTER ?? "/usr/bin/jupyter";
export const PYTHON = process.env.GEOREPRO_PYTHON ?? "/usr/bin/python3";
export const JUPYTER_PATH = fromRoot(".jupyter", "share", "jupyter");

export interface NotebookResult {
  notebook: string;
  status: "ok" | "failed";
  seconds: number;
}

function preflight(): void {
  const kernel = path.join(JUPYTER_PATH, "kernels", "tslab", "kernel.json");
  if (!fs.existsSync(PYTHON)) throw new Error(`run-notebooks: ${PYTHON} not found; run \`make setup\` (installs Debian's python3-nbclient)`);
  if (!fs.existsSync(kernel)) throw new Error(`run-notebooks: no tslab kernel at ${kernel}; run \`make setup\``);
  if (!fs.existsSync(fromRoot("dist", "lib", "index.d.ts"))) throw new Error("run-notebooks: the library is not built (dist/lib missing); run `make build`");
}

export function listNotebooks(dir = fromRoot("notebooks")): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export function runNotebooks(notebooks: string[]): NotebookResult[] {
  preflight();
  for (const nb of notebooks) if (!fs.existsSync(nb)) throw new Error(`run-notebooks: no such notebook: ${nb}`);
  const params = loadParams();
  const outNb = path.join(params.outDir, "notebooks");
  const results: NotebookResult[] = [];
  const t0 = Date.now();
  process.stderr.write(`run-notebooks: ${notebooks.length} notebook(s); ${describeParams(params)}\n`);
  const browser = startFigureBrowser();
  try {
    runEach(notebooks, params, outNb, results, t0, browser);
  } finally {
    browser?.stop();
  }
  process.stderr.write(`\nSummary (${formatSeconds((Date.now() - t0) / 1000)} total):\n`);
  for (const r of results) process.stderr.write(`  ${r.status.padEnd(6)} ${formatSeconds(r.seconds).padStart(8)}  ${r.notebook}\n`);
  return results;
}

/** The run's one chromium for figures; without it each notebook launches its own. */
function startFigureBrowser(): SharedChromium | null {
  if (process.env[WS_ENV]) return null; // the caller already provides one
  try {
    const b = startSharedChromium();
    process.on("exit", () => b.stop());
    // chromium runs in its own process group, so Ctrl-C does not reach it: stop it ourselves.
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
      process.once(sig, () => {
        b.stop();
        process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[sig]);
      });
    process.stderr.write(`run-notebooks: figures render in one headless chromium (pid ${b.pid})\n`);
    return b;
  } catch (e) {
    process.stderr.write(`run-notebooks: warning: ${(e as Error).message}; notebooks will launch their own browser for figures\n`);
    return null;
  }
}

function runEach(notebooks: string[], params: ReturnType<typeof loadParams>, outNb: string, results: NotebookResult[], t0: number, browser: SharedChromium | null): void {
  notebooks.forEach((nb, i) => {
    const name = path.basename(nb);
    process.stderr.write(`\n[${i + 1}/${notebooks.length}] ${name} (elapsed ${formatSeconds((Date.now() - t0) / 1000)})\n`);
    const start = Date.now();
    const r = spawnSync(PYTHON, [fromRoot("tools", "execute_notebook.py"), nb, path.join(outNb, name), "--timeout", process.env.GEOREPRO_CELL_TIMEOUT ?? "3600", "--label", path.relative(projectRoot, nb)], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, JUPYTER_PATH, GEOREPRO_ROOT: projectRoot, GEOREPRO_OUT: params.outDir, ...(browser ? { [WS_ENV]: browser.wsEndpoint } : {}) },
      cwd: projectRoot,
    });
    const seconds = (Date.now() - start) / 1000;
    const status = r.status === 0 ? "ok" : "failed";
    results.push({ notebook: name, status, seconds: Number(seconds.toFixed(1)) });
    process.stderr.write(`[${i + 1}/${notebooks.length}] ${name}: ${status} in ${formatSeconds(seconds)}\n`);
    const html = exportHtml(path.join(outNb, name), path.join(params.outDir, "html"));
    if (html.error) process.stderr.write(`[${i + 1}/${notebooks.length}] ${name}: warning: no HTML copy (${html.error})\n`);
    writeJsonAtomic(path.join(params.outDir, "volatile", "run-summary.json"), { params: describeParams(params), notebooks: results, totalSeconds: Number(((Date.now() - t0) / 1000).toFixed(1)) });
    if (status === "failed") {
      throw new Error(`run-notebooks: ${path.relative(projectRoot, nb)} failed (see the FAILED line above; partial output in ${path.relative(projectRoot, path.join(outNb, name))})`);
    }
  });
}

if (require.main === module) {
  try {
    const args = process.argv.slice(2);
    runNotebooks(args.length ? args.map((a) => path.resolve(a)) : listNotebooks());
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
