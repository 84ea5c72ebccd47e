/**
 * One unit of the experiment graph (lib/workflow/graph.ts), as Snakemake runs it:
 *
 *   node dist/scripts/unit.js --list [notebooks/NN-name.ipynb …]   the graph as JSON (the Snakefile reads it)
 *   node dist/scripts/unit.js <unit id> [notebook file]            run one unit, then write its marker
 *
 * A unit calls the same library functions the notebooks call, so what it writes
 * is the cache entry a notebook would otherwise compute (a notebook opened by
 * hand still computes whatever is missing). Its marker is written by rename
 * after everything it owns is complete: a unit that dies leaves no marker, only
 * finished cache entries (each completed by rename) and temporaries named with
 * its pid and host, which the next run removes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { writeFileAtomic, writeJsonAtomic } from "../lib/runtime/atomic";
import { envVar } from "../lib/runtime/env";
import { loadParams, seedList, type Params } from "../lib/runtime/params";
import { fromRoot, projectRoot } from "../lib/runtime/paths";
import { log, setLogFile } from "../lib/runtime/progress";
import { signalExitCode } from "../lib/runtime/interrupt";
import { mrlfCities } from "../lib/experiments/cities";
import { notebooksForRun } from "../lib/data/selection";
import { buildGraph, doneDir, markerOf, runKey, slug, type Unit } from "../lib/workflow/graph";
import { table2Models } from "../lib/studies/mrlf/plan";
import { mrlfStudy, type MrlfStudy } from "../lib/studies/mrlf/context";
import { learningRateChoice } from "../lib/studies/mrlf/tuning";
import { tuningCities, tunedModelsOn } from "../lib/studies/mrlf/table2";
import { fullMrlf, lateFusion } from "../lib/studies/mrlf/artifacts";
import { runUnitSystems } from "../lib/studies/mrlf/units";
import { gitCommit } from "../lib/runtime/provenance";
import { listNotebooks, notebookDependencies } from "./run-notebooks";

export interface GraphListing {
  /** Folder of this run's markers. */
  done: string;
  /** The commit the notebooks' and the report's markers name (lib/workflow/graph.ts: markerOf). */
  commit: string;
  root: string;
  units: Unit[];
}

/** The graph of a run over `notebooks` (default: the notebooks of this run's data). */
export function listGraph(params: Params, notebooks?: readonly string[], fine = true): GraphListing {
  const files = notebooks?.length ? notebooks.map((f) => path.resolve(f)) : notebooksForRun(params, listNotebooks());
  const units = buildGraph({
    notebooks: files.map((f) => ({ file: path.relative(projectRoot, f), after: notebookDependencies(f) })),
    cities: mrlfCities(params),
    seeds: seedList(params),
    tunedModels: table2Models(params.scale),
    fine,
  });
  return { done: doneDir(params, runKey(params, fromRoot("dist", "lib"))), commit: gitCommit().commit, root: projectRoot, units };
}

/** Per-notebook run summaries of the graph's notebook units, merged into the one report.ts reads. */
export const summaryPart = (params: Params, stem: string): string => path.join(params.outDir, "volatile", "summaries", `${stem}.json`);

function mergeSummaries(params: Params, stems: readonly string[]): void {
  const parts = stems.flatMap((s) => {
    try {
      return [JSON.parse(fs.readFileSync(summaryPart(params, s), "utf8"))];
    } catch {
      return [];
    }
  });
  if (!parts.length) return;
  const notebooks = parts.flatMap((p) => p.notebooks ?? []).sort((a, b) => (a.notebook < b.notebook ? -1 : 1));
  writeJsonAtomic(path.join(params.outDir, "volatile", "run-summary.json"), {
    params: parts[0].params,
    jobs: "snakemake",
    notebooks,
    // The wall time of this `make reproduce` (the driver's start, GEOREPRO_WORKFLOW_START), else the notebooks' sum.
    totalSeconds: Number(
      (envVar("GEOREPRO_WORKFLOW_START")
        ? (Date.now() - Number(envVar("GEOREPRO_WORKFLOW_START"))) / 1000
        : notebooks.reduce((t: number, n: { seconds: number }) => t + n.seconds, 0)
      ).toFixed(1),
    ),
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    cores: parts[0].cores,
  });
}

/** A study as notebook 02 builds it (the shared artifacts are 02's: lib/studies/mrlf/artifacts.ts). */
const studyFor = (params: Params): Promise<MrlfStudy> => mrlfStudy({ name: "02-mrlf", params, markdown: (md: string) => log("unit", md) });

/** Run a child (a notebook's runner) with this process's signals passed on; resolves with its exit status. */
function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"], env, cwd: projectRoot });
    // Ctrl-C reaches the child through the process group; a SIGTERM to this unit alone is passed on. Either way the child decides.
    const pass = (sig: NodeJS.Signals) => child.kill(sig);
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, pass);
    child.on("exit", (code, sig) => resolve(code ?? (sig ? signalExitCode(sig) : 1)));
  });
}

export async function runUnit(id: string, params: Params, notebook?: string): Promise<number> {
  const [kind, a, b, c] = id.split("/");
  if (kind === "nb") {
    const file = notebook ? path.resolve(projectRoot, notebook) : fromRoot("notebooks", `${a}.ipynb`);
    return runChild([fromRoot("dist", "scripts", "run-notebooks.js"), file], {
      ...process.env,
      GEOREPRO_RUN_SUMMARY: summaryPart(params, a),
    });
  }
  if (kind === "report") {
    // The notebooks of this graph: the report unit waits for each (its `after`).
    const graph = envVar("GEOREPRO_GRAPH")
      ? (JSON.parse(fs.readFileSync(envVar("GEOREPRO_GRAPH")!, "utf8")) as GraphListing)
      : listGraph(params);
    const report = graph.units.find((u) => u.id === "report");
    mergeSummaries(
      params,
      (report?.after ?? []).filter((u) => u.startsWith("nb/")).map((u) => u.slice(3)),
    );
    return runChild([fromRoot("dist", "scripts", "report.js")], process.env);
  }
  setLogFile(path.join(params.outDir, "volatile", "logs", "units", `${id.replace(/\//g, "_")}.log`));
  const study = await studyFor(params);
  const seed = Number(b);
  switch (kind) {
    case "prepare":
      return 0; // mrlfStudy prepared the cities and the cleaning
    case "features":
      await study.split(a, seed);
      return 0;
    case "lr": {
      const model = table2Models(params.scale).find((m) => slug(m) === a);
      if (!model) throw new Error(`unit ${id}: no Table II model "${a}" at scale ${params.scale}`);
      for (const city of tuningCities(study)) if (tunedModelsOn(study, city).includes(model)) await learningRateChoice(study, model, city);
      return 0;
    }
    case "full-mrlf":
      await fullMrlf(study, a, seed);
      return 0;
    case "late-fusion":
      await lateFusion(study, a, seed);
      return 0;
    case "runs":
      // runs/<notebook>/<city>/<seed>
      await runUnitSystems(study, a, b, Number(c));
      return 0;
    default:
      throw new Error(
        `unit: unknown unit "${id}" (units: prepare, features/CITY/SEED, lr/MODEL, full-mrlf/CITY/SEED, late-fusion/CITY/SEED, runs/NN-name/CITY/SEED, nb/NN-name, report)`,
      );
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const params = loadParams();
  if (args[0] === "--list") {
    process.stdout.write(JSON.stringify(listGraph(params, args.slice(1))) + "\n");
    return;
  }
  if (args.length < 1 || args.length > 2)
    throw new Error("usage: node dist/scripts/unit.js --list [notebooks…] | <unit id> [notebook file]");
  const [id, notebook] = args;
  const listing = envVar("GEOREPRO_GRAPH")
    ? (JSON.parse(fs.readFileSync(envVar("GEOREPRO_GRAPH")!, "utf8")) as GraphListing)
    : listGraph(params);
  const code = await runUnit(id, params, notebook);
  if (code === 0) writeFileAtomic(markerOf(listing.done, id, listing.commit), `${id}\n`);
  process.exitCode = code;
}

if (require.main === module)
  main().catch((e) => {
    process.stderr.write(`unit ${process.argv[2] ?? ""}: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
