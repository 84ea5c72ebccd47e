/**
 * `make reproduce`: the experiment graph (lib/workflow/graph.ts, workflow/Snakefile) run by
 * Snakemake, on this machine's cores or, with CLUSTER=slurm, as Slurm jobs.
 *
 *   node dist/scripts/workflow.js [notebooks/NN-name.ipynb …]     (CLUSTER=local|slurm, CORES=n)
 *
 * Snakemake's working directory is <cache>/workflow: its metadata (.snakemake/), the graph file
 * and the Slurm logs stay out of notebooks/ and out of the project root, whose new entries would
 * reach the tslab kernels' file watcher. It runs without Snakemake's directory lock (--nolock):
 * units complete their cache entries and markers by rename, so two runs at once only repeat work.
 *
 * Ctrl-C or SIGTERM: Snakemake and every local unit get SIGINT (on Slurm, Snakemake cancels its
 * jobs with scancel); each notebook's driver stops its kernel; whatever a stopped process left
 * half-written is removed; one line says which units finished and which did not. The next run
 * starts only the units without a marker. A failing unit lets the others go on (keep-going);
 * the report is still written and lists what ran.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeJsonAtomic } from "../lib/runtime/atomic";
import { envVar } from "../lib/runtime/env";
import { describeCompute, describeParams, loadParams, type Params } from "../lib/runtime/params";
import { forcedBackend, PROBE_ENV, probeGpu, trainerMode } from "../lib/runtime/device";
import { signalExitCode, sweepAbandoned } from "../lib/runtime/interrupt";
import { fromRoot, projectRoot } from "../lib/runtime/paths";
import { formatSeconds } from "../lib/runtime/progress";
import { markerOf, unitsFine, type Unit } from "../lib/workflow/graph";
import { listGraph } from "./unit";

export const SNAKEMAKE = envVar("GEOREPRO_SNAKEMAKE") ?? "snakemake";

export type Cluster = "local" | "slurm";

export function clusterOf(env: NodeJS.ProcessEnv = process.env): Cluster {
  const c = env.CLUSTER || "local";
  if (c !== "local" && c !== "slurm") throw new Error(`workflow: CLUSTER: expected local or slurm (got ${JSON.stringify(c)})`);
  return c;
}

export function coresOf(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CORES;
  if (!raw) return os.availableParallelism?.() ?? os.cpus().length;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`workflow: CORES: expected a positive integer (got ${JSON.stringify(raw)})`);
  return n;
}

/** "finished: 00-datasets, 01-preprocessing + 6 of 9 training units" — notebooks by name, other units counted. */
export function describeUnits(units: readonly Unit[], total: readonly Unit[]): string {
  const nbs = units.filter((u) => u.id.startsWith("nb/")).map((u) => u.id.slice(3));
  const report = units.some((u) => u.id === "report") ? ["report"] : [];
  const others = units.filter((u) => !u.id.startsWith("nb/") && u.id !== "report");
  const allOthers = total.filter((u) => !u.id.startsWith("nb/") && u.id !== "report").length;
  const parts = [...nbs, ...report].join(", ");
  const counted = others.length ? `${others.length} of ${allOthers} training/data units` : "";
  return [parts, counted].filter(Boolean).join(" + ") || "none";
}

export interface WorkflowResult {
  code: number;
  finished: string[];
  notFinished: string[];
  signal: NodeJS.Signals | null;
}

export async function runWorkflow(notebooks: readonly string[], params: Params = loadParams()): Promise<WorkflowResult> {
  const cluster = clusterOf();
  const cores = coresOf();
  const t0 = Date.now();
  if (trainerMode() !== "engine" && !forcedBackend()) process.env[PROBE_ENV] ??= JSON.stringify(probeGpu());
  const listing = listGraph(params, notebooks, unitsFine(envVar("GEOREPRO_UNITS"), cluster, cores));
  const work = path.join(params.cacheDir, "workflow");
  fs.mkdirSync(path.join(work, "slurm"), { recursive: true });
  const graphFile = path.join(work, `graph-${path.basename(listing.done)}.json`);
  writeJsonAtomic(graphFile, listing);
  const leftovers = sweepAbandoned([params.cacheDir, params.outDir]);
  if (leftovers.length) process.stderr.write(`workflow: removed ${leftovers.length} temporary file(s) an interrupted earlier run left\n`);
  const isDone = (u: Unit) => fs.existsSync(markerOf(listing.done, u.id, listing.commit));
  const before = listing.units.filter(isDone).length;
  process.stderr.write(
    `workflow: ${listing.units.length} units (${before} already done), Snakemake on ${cluster === "slurm" ? "Slurm (sbatch)" : `${cores} core(s)`}; ${describeParams(params)}\n` +
      `workflow: ${describeCompute(params)}\n` +
      `workflow: markers in ${path.relative(projectRoot, listing.done)}, Snakemake's log in ${path.relative(projectRoot, path.join(work, ".snakemake", "log"))}\n`,
  );
  const args = [
    "--snakefile",
    fromRoot("workflow", "Snakefile"),
    "--profile",
    fromRoot("workflow", "profiles", cluster),
    "--directory",
    work,
    "--config",
    `graph=${graphFile}`,
    "--nolock",
    "--quiet",
    "rules",
    ...(cluster === "local" ? ["--cores", String(cores)] : ["--cores", String(cores), "--local-cores", "1"]),
  ];
  let signal: NodeJS.Signals | null = null;
  // Its own process group: a signal reaches Snakemake and its local units together, and only through us.
  const child = spawn(SNAKEMAKE, args, {
    cwd: work,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GEOREPRO_WORKFLOW_START: String(t0) }, // the report's total wall time
  });
  const log = fs.createWriteStream(path.join(work, "last-run.log"));
  // Everything goes to last-run.log; the terminal gets the units' own output and one line per finished
  // unit, not Snakemake's scheduler chatter; after a signal, only the one line below.
  const QUIET =
    /^(Select jobs to execute\.\.\.|Building DAG of jobs\.\.\.|Using shell: .*|Provided cores: .*|Rules claiming more threads .*|Nothing to be done.*|Complete log: .*|Removing output files of failed job .*|Will exit after finishing currently running jobs.*|Exiting because a job execution failed.*)$/;
  const pass = () => {
    let rest = "";
    return (chunk: Buffer) => {
      log.write(chunk);
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop()!;
      for (const l of lines) if (!signal && !QUIET.test(l.trim())) process.stderr.write(l + "\n");
    };
  };
  child.stdout!.on("data", pass());
  child.stderr!.on("data", pass());
  const seen = new Set(listing.units.filter(isDone).map((u) => u.id));
  const progress = setInterval(() => {
    for (const u of listing.units)
      if (!seen.has(u.id) && isDone(u)) {
        seen.add(u.id);
        if (!signal)
          process.stderr.write(
            `workflow: [${seen.size}/${listing.units.length}] ${u.id} done (elapsed ${formatSeconds((Date.now() - t0) / 1000)})\n`,
          );
      }
  }, 1000);
  const onSignal = (sig: NodeJS.Signals) => {
    if (signal) return;
    signal = sig;
    try {
      process.kill(-child.pid!, "SIGINT"); // Snakemake's Ctrl-C: it stops (or scancels) its jobs and exits
    } catch {
      /* already gone */
    }
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const s of signals) process.on(s, onSignal);
  const code: number = await new Promise((resolve) => {
    child.on("error", (e) => {
      process.stderr.write(`workflow: cannot start ${SNAKEMAKE}: ${e.message}; run \`make setup\` (Debian's snakemake)\n`);
      resolve(127);
    });
    child.on("exit", (c, s) => resolve(c ?? (s ? signalExitCode(s) : 1)));
  });
  for (const s of signals) process.off(s, onSignal);
  clearInterval(progress);
  await new Promise((r) => log.end(r));
  // A unit stopped by the signal (or killed) may have left temporaries: this host's dead writers' go now.
  sweepAbandoned([params.cacheDir, params.outDir]);
  const finished = listing.units.filter(isDone);
  const notFinished = listing.units.filter((u) => !isDone(u));
  const elapsed = formatSeconds((Date.now() - t0) / 1000);
  const ids = new Set(finished.map((u) => u.id));
  if (signal) {
    process.stderr.write(
      `workflow: interrupted by ${signal} after ${elapsed} — finished: ${describeUnits(finished, listing.units)}; not finished: ${describeUnits(notFinished, listing.units)}. Finished units are cached and nothing half-written was left: \`make reproduce\` resumes from them.\n`,
    );
    return { code: signalExitCode(signal), finished: [...ids], notFinished: notFinished.map((u) => u.id), signal };
  }
  if (code !== 0 || notFinished.length) {
    process.stderr.write(
      `workflow: failed after ${elapsed} (Snakemake exit ${code}) — not finished: ${describeUnits(notFinished, listing.units)}; Snakemake's log: ${path.relative(projectRoot, path.join(work, "last-run.log"))}\n`,
    );
    // The report is written even when a unit failed: it lists what ran.
    if (!ids.has("report")) spawnSync(process.execPath, [fromRoot("dist", "scripts", "report.js")], { stdio: "inherit", env: process.env });
    return { code: code || 1, finished: [...ids], notFinished: notFinished.map((u) => u.id), signal: null };
  }
  process.stderr.write(`workflow: ${listing.units.length} units done in ${elapsed} (${listing.units.length - before} ran now)\n`);
  return { code: 0, finished: [...ids], notFinished: [], signal: null };
}

if (require.main === module)
  runWorkflow(process.argv.slice(2))
    .then((r) => process.exit(r.code))
    .catch((e) => {
      process.stderr.write(`workflow: ${(e as Error).message}\n`);
      process.exit(1);
    });
