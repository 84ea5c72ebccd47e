/**
 * Executes the notebooks headlessly with the real Jupyter client (nbclient, via
 * tools/execute_notebook.py) on the project-local tslab kernel.
 *
 *   node dist/scripts/run-notebooks.js [notebooks/NN-name.ipynb …]
 *
 * `make reproduce` does not use this runner for the whole run: it runs the
 * experiment graph on Snakemake (scripts/workflow.ts), whose notebook units call
 * it with one notebook each. Given several, it runs up to GEOREPRO_JOBS at once
 * (default 2), in the given order, each after the notebooks it declares in its
 * metadata (`georepro.after`, from a `// georepro:after NN-name` line in its
 * source). Results do not depend on the order: every notebook is deterministic
 * and shares work only through content-keyed caches (two notebooks needing the
 * same missing entry at once both compute it; the first rename wins).
 *
 * Executed copies go to <outDir>/notebooks/; per-notebook times to
 * <outDir>/volatile/run-summary.json. A failing cell stops the run (no new
 * notebook starts; running ones finish) with exit status 1 and a line naming
 * the notebook and the cell.
 *
 * One headless chromium serves the figures of the whole run (its DevTools
 * address reaches the kernels in GEOREPRO_CHROMIUM_WS; see lib/figures/browser.ts),
 * and each executed notebook is also exported to <outDir>/html/ (scripts/html-export.ts).
 *
 * Ctrl-C or SIGTERM stops the run: no new notebook starts, each running one's
 * kernel is stopped by its driver (tools/execute_notebook.py), whatever a stopped
 * kernel left half-written is removed (lib/runtime/interrupt.ts), and one line
 * says which notebooks finished and which did not; the exit status is 128 + the
 * signal's number. Finished cache entries stay, so the next run resumes from
 * them. A run also clears what an earlier, harder-killed run left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "../lib/runtime/atomic";
import { describeCompute, describeParams, loadParams, type Params } from "../lib/runtime/params";
import { forcedBackend, PROBE_ENV, probeGpu, trainerMode } from "../lib/runtime/device";
import { interruptedLine, signalExitCode, sweepAbandoned } from "../lib/runtime/interrupt";
import { fromRoot, projectRoot } from "../lib/runtime/paths";
import { formatSeconds } from "../lib/runtime/progress";
import { SharedChromium, startSharedChromium, WS_ENV } from "../lib/figures/browser";
import { exportHtml } from "./html-export";
import { describeDataForRun, missingRealData, notebooksForRun } from "../lib/data/selection";
import { envVar } from "../lib/runtime/env";

export const JUPYTER = envVar("GEOREPRO_JUPYTER") ?? "/usr/bin/jupyter";
export const PYTHON = envVar("GEOREPRO_PYTHON") ?? "/usr/bin/python3";
export const JUPYTER_PATH = fromRoot(".jupyter", "share", "jupyter");

export interface NotebookResult {
  notebook: string;
  status: "ok" | "failed" | "interrupted";
  seconds: number;
}

/** Thrown by runNotebooks when a signal stopped the run; its message is the one line. */
export class RunInterrupted extends Error {
  constructor(
    message: string,
    readonly signal: NodeJS.Signals,
  ) {
    super(message);
  }
}

/** The run's stop signal: set by the first SIGINT/SIGTERM/SIGHUP, passed on to the drivers. */
interface StopState {
  signal: NodeJS.Signals | null;
  drivers: Set<ChildProcess>;
}

function preflight(): void {
  const kernel = path.join(JUPYTER_PATH, "kernels", "tslab", "kernel.json");
  if (!fs.existsSync(PYTHON))
    throw new Error(`run-notebooks: ${PYTHON} not found; run \`make setup\` (installs Debian's python3-nbclient)`);
  if (!fs.existsSync(kernel)) throw new Error(`run-notebooks: no tslab kernel at ${kernel}; run \`make setup\``);
  if (!fs.existsSync(fromRoot("dist", "lib", "index.d.ts")))
    throw new Error("run-notebooks: the library is not built (dist/lib missing); run `make build`");
}

export function listNotebooks(dir = fromRoot("notebooks")): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The notebooks a notebook must wait for (its `metadata.georepro.after`). */
export function notebookDependencies(file: string): string[] {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { metadata?: { georepro?: { after?: unknown } } };
  const after = nb.metadata?.georepro?.after ?? [];
  if (!Array.isArray(after) || !after.every((a) => typeof a === "string"))
    throw new Error(`run-notebooks: ${file}: metadata.georepro.after: expected a list of notebook names`);
  return after as string[];
}

export function jobCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = envVar("GEOREPRO_JOBS", env);
  if (raw === undefined || raw === "") return Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`run-notebooks: GEOREPRO_JOBS: expected a positive integer (got ${JSON.stringify(raw)})`);
  return n;
}

export async function runNotebooks(notebooks: string[]): Promise<NotebookResult[]> {
  preflight();
  for (const nb of notebooks) if (!fs.existsSync(nb)) throw new Error(`run-notebooks: no such notebook: ${nb}`);
  const params = loadParams();
  const outNb = path.join(params.outDir, "notebooks");
  const results: NotebookResult[] = [];
  const t0 = Date.now();
  const jobs = jobCount();
  process.stderr.write(`run-notebooks: ${notebooks.length} notebook(s), ${jobs} at a time; ${describeParams(params)}\n`);
  process.stderr.write(`run-notebooks: ${describeDataForRun(params)}\n`);
  // Real data a default run reads but this machine lacks: named, with the one command that fetches each (the notebooks say so too and go
  // on).
  if (params.data === null)
    for (const line of missingRealData(params.manifestDir)) process.stderr.write(`run-notebooks: missing real data: ${line}\n`);
  process.stderr.write(`run-notebooks: ${describeCompute(params)}\n`);
  // The kernels reuse this probe instead of each looking for a GPU again.
  if (trainerMode() !== "engine" && !forcedBackend()) process.env[PROBE_ENV] ??= JSON.stringify(probeGpu());
  const leftovers = sweepAbandoned([params.cacheDir, params.outDir]);
  if (leftovers.length)
    process.stderr.write(`run-notebooks: removed ${leftovers.length} temporary file(s) and lock(s) an interrupted earlier run left\n`);
  const stop: StopState = { signal: null, drivers: new Set() };
  const onSignal = (sig: NodeJS.Signals) => {
    if (stop.signal) return;
    stop.signal = sig;
    // Ctrl-C reached the drivers too; a SIGTERM sent to the runner alone did not. A driver takes the first.
    for (const d of stop.drivers) d.kill("SIGTERM");
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const sig of signals) process.on(sig, onSignal);
  const browser = startFigureBrowser();
  try {
    await runScheduled(notebooks, jobs, params, outNb, results, t0, browser, stop);
  } finally {
    browser?.stop();
    for (const sig of signals) process.off(sig, onSignal);
  }
  results.sort((a, b) => (a.notebook < b.notebook ? -1 : 1));
  const stem = (f: string) => path.basename(f).replace(/\.ipynb$/, "");
  if (stop.signal) {
    const done = new Map(results.map((r) => [stem(r.notebook), r]));
    const line = interruptedLine(
      stop.signal,
      {
        finished: results.filter((r) => r.status === "ok").map((r) => stem(r.notebook)),
        failed: results.filter((r) => r.status === "failed").map((r) => stem(r.notebook)),
        stopped: results
          .filter((r) => r.status === "interrupted")
          .map((r) => ({ name: stem(r.notebook), where: stoppedAt.get(r.notebook) })),
        notStarted: notebooks.map(stem).filter((n) => !done.has(n)),
      },
      formatSeconds((Date.now() - t0) / 1000),
      "`make reproduce`",
    );
    throw new RunInterrupted(`run-notebooks: ${line}`, stop.signal);
  }
  process.stderr.write(`\nSummary (${formatSeconds((Date.now() - t0) / 1000)} total):\n`);
  for (const r of results) process.stderr.write(`  ${r.status.padEnd(6)} ${formatSeconds(r.seconds).padStart(8)}  ${r.notebook}\n`);
  const failed = results.find((r) => r.status === "failed");
  if (failed)
    throw new Error(
      `run-notebooks: notebooks/${failed.notebook} failed (see the FAILED line above; partial output in ${path.relative(projectRoot, path.join(outNb, failed.notebook))})`,
    );
  return results;
}

/** Where each interrupted notebook stopped ("cell 3/9"), from its driver's state file. */
const stoppedAt = new Map<string, string>();

/** The run's one chromium for figures; without it each notebook launches its own. */
function startFigureBrowser(): SharedChromium | null {
  if (envVar(WS_ENV)) return null; // the caller already provides one
  try {
    const b = startSharedChromium();
    // chromium runs in its own process group, so Ctrl-C does not reach it: the run stops it
    // (runNotebooks' finally, also after a signal), and so does any other exit.
    process.on("exit", () => b.stop());
    process.stderr.write(`run-notebooks: figures render in one headless chromium (pid ${b.pid})\n`);
    return b;
  } catch (e) {
    process.stderr.write(`run-notebooks: warning: ${(e as Error).message}; notebooks will launch their own browser for figures\n`);
    return null;
  }
}

/** The driver's state file for `nb`: its kernel's pid and the cell it runs (tools/execute_notebook.py). */
const stateFile = (params: Params, nb: string): string =>
  path.join(params.outDir, "volatile", "run-state", `${path.basename(nb, ".ipynb")}.json`);

function readState(file: string): { kernel_pid?: number; cell?: number; cells?: number } {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return {};
  }
}

function executeOne(nb: string, params: Params, outNb: string, browser: SharedChromium | null, stop: StopState): Promise<number> {
  const name = path.basename(nb);
  const state = stateFile(params, nb);
  fs.rmSync(state, { force: true });
  fs.mkdirSync(path.dirname(state), { recursive: true });
  return new Promise((resolve) => {
    const child = spawn(
      PYTHON,
      [
        fromRoot("tools", "execute_notebook.py"),
        nb,
        path.join(outNb, name),
        "--timeout",
        envVar("GEOREPRO_CELL_TIMEOUT") ?? "3600",
        "--label",
        path.relative(projectRoot, nb),
        "--state",
        state,
        "--quiet-interrupt",
      ],
      {
        stdio: ["ignore", "inherit", "inherit"],
        // Kernel connection files stay in the project, like the kernelspec: nothing user-global is written.
        env: {
          ...process.env,
          JUPYTER_PATH,
          JUPYTER_RUNTIME_DIR: fromRoot(".jupyter", "runtime"),
          GEOREPRO_ROOT: projectRoot,
          GEOREPRO_OUT: params.outDir,
          ...(browser ? { [WS_ENV]: browser.wsEndpoint } : {}),
        },
        cwd: projectRoot,
      },
    );
    stop.drivers.add(child);
    if (stop.signal) child.kill("SIGTERM"); // the signal came while it was starting
    child.on("error", (e) => {
      process.stderr.write(`run-notebooks: cannot start ${PYTHON}: ${e.message}\n`);
      stop.drivers.delete(child);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      stop.drivers.delete(child);
      // Whatever its kernel left half-written (a stopped or crashed kernel) goes now; the driver made sure it is gone.
      const s = readState(state);
      if (s.kernel_pid) sweepAbandoned([params.cacheDir, params.outDir], { pids: [s.kernel_pid] });
      if (s.cell && s.cells) stoppedAt.set(name, `cell ${s.cell}/${s.cells}`);
      fs.rmSync(state, { force: true });
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function runScheduled(
  notebooks: string[],
  jobs: number,
  params: Params,
  outNb: string,
  results: NotebookResult[],
  t0: number,
  browser: SharedChromium | null,
  stop: StopState,
): Promise<void> {
  const stem = (f: string) => path.basename(f).replace(/\.ipynb$/, "");
  const selected = new Set(notebooks.map(stem));
  // Dependencies on notebooks outside this run only order the run; they are not run.
  const deps = new Map(notebooks.map((nb) => [stem(nb), notebookDependencies(nb).filter((d) => selected.has(d))]));
  /** The first pending notebook whose dependencies have finished, or −1. */
  const pickNext = (pending: readonly string[], done: ReadonlySet<string>): number =>
    pending.findIndex((nb) => deps.get(stem(nb))!.every((d) => done.has(d)));
  const pending = notebooks.slice();
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failed = false;
  let started = 0;
  const total = notebooks.length;
  const launch = (nb: string) => {
    const name = path.basename(nb);
    const k = ++started;
    process.stderr.write(`\n[${k}/${total}] ${name} (elapsed ${formatSeconds((Date.now() - t0) / 1000)})\n`);
    const start = Date.now();
    const p = executeOne(nb, params, outNb, browser, stop).then((code) => {
      const seconds = (Date.now() - start) / 1000;
      // A notebook the signal stopped is neither ok nor a failure of its own; one that ended 0 finished.
      const status = code === 0 ? "ok" : stop.signal ? "interrupted" : "failed";
      if (status === "failed") failed = true;
      results.push({ notebook: name, status, seconds: Number(seconds.toFixed(1)) });
      if (!stop.signal) {
        process.stderr.write(`[${k}/${total}] ${name}: ${status} in ${formatSeconds(seconds)}\n`);
        const html = exportHtml(path.join(outNb, name), path.join(params.outDir, "html"));
        if (html.error) process.stderr.write(`[${k}/${total}] ${name}: warning: no HTML copy (${html.error})\n`);
      }
      const sorted = results.slice().sort((a, b) => (a.notebook < b.notebook ? -1 : 1));
      // A graph unit runs one notebook and names its own part (scripts/unit.ts merges them).
      writeJsonAtomic(envVar("GEOREPRO_RUN_SUMMARY") || path.join(params.outDir, "volatile", "run-summary.json"), {
        params: describeParams(params),
        jobs,
        notebooks: sorted,
        totalSeconds: Number(((Date.now() - t0) / 1000).toFixed(1)),
        loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
        cores: os.cpus().length,
      });
      done.add(stem(nb));
      running.delete(stem(nb));
    });
    running.set(stem(nb), p);
  };
  while (pending.length || running.size) {
    if (stop.signal && running.size === 0) break;
    if (!failed && !stop.signal)
      for (let i: number; running.size < jobs && (i = pickNext(pending, done)) >= 0;) launch(pending.splice(i, 1)[0]);
    if ((failed || stop.signal) && running.size === 0) break;
    if (running.size === 0) {
      // Only possible with a dependency cycle or a dependency that can never finish.
      throw new Error(
        `run-notebooks: cannot schedule ${pending.map((p) => path.basename(p)).join(", ")}: their georepro.after dependencies never finish (a cycle?)`,
      );
    }
    await Promise.race(running.values());
  }
}

if (require.main === module) {
  try {
    const args = process.argv.slice(2);
    // Without a list: every notebook, or with DATA=… the ones that fit its kind (lib/data/selection.ts).
    runNotebooks(args.length ? args.map((a) => path.resolve(a)) : notebooksForRun(loadParams(), listNotebooks())).catch((e) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(e instanceof RunInterrupted ? signalExitCode(e.signal) : 1);
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
