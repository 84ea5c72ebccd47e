/**
 * Executes the notebooks headlessly, in order, with the real Jupyter client
 * (nbclient, via tools/execute_notebook.py) on the project-local tslab kernel.
 *
 *   node dist/scripts/run-notebooks.js [notebooks/NN-name.ipynb …]
 *
 * Executed copies go to <outDir>/notebooks/; per-notebook times to
 * <outDir>/volatile/run-summary.json. The first failing cell stops the run with
 * exit status 1 and a line naming the notebook and the cell.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "../lib/runtime/atomic";
import { describeParams, loadParams } from "../lib/runtime/params";
import { fromRoot, projectRoot } from "../lib/runtime/paths";
import { formatSeconds } from "../lib/runtime/progress";

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
  notebooks.forEach((nb, i) => {
    const name = path.basename(nb);
    process.stderr.write(`\n[${i + 1}/${notebooks.length}] ${name} (elapsed ${formatSeconds((Date.now() - t0) / 1000)})\n`);
    const start = Date.now();
    const r = spawnSync(PYTHON, [fromRoot("tools", "execute_notebook.py"), nb, path.join(outNb, name), "--timeout", process.env.GEOREPRO_CELL_TIMEOUT ?? "3600", "--label", path.relative(projectRoot, nb)], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, JUPYTER_PATH, GEOREPRO_ROOT: projectRoot, GEOREPRO_OUT: params.outDir },
      cwd: projectRoot,
    });
    const seconds = (Date.now() - start) / 1000;
    const status = r.status === 0 ? "ok" : "failed";
    results.push({ notebook: name, status, seconds: Number(seconds.toFixed(1)) });
    process.stderr.write(`[${i + 1}/${notebooks.length}] ${name}: ${status} in ${formatSeconds(seconds)}\n`);
    writeJsonAtomic(path.join(params.outDir, "volatile", "run-summary.json"), { params: describeParams(params), notebooks: results, totalSeconds: Number(((Date.now() - t0) / 1000).toFixed(1)) });
    if (status === "failed") {
      throw new Error(`run-notebooks: ${path.relative(projectRoot, nb)} failed (see the FAILED line above; partial output in ${path.relative(projectRoot, path.join(outNb, name))})`);
    }
  });
  process.stderr.write(`\nSummary (${formatSeconds((Date.now() - t0) / 1000)} total):\n`);
  for (const r of results) process.stderr.write(`  ${r.status.padEnd(6)} ${formatSeconds(r.seconds).padStart(8)}  ${r.notebook}\n`);
  return results;
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
