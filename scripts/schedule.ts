/**
 * Which notebook to start next when a slot frees: list scheduling by critical
 * path (HLFET). Each notebook's priority is the longest chain of estimated
 * run time from its start to the end of the run — its own cost plus the
 * costliest chain of notebooks that wait for it — so the chain that decides
 * the run's length starts first, and short independent notebooks fill the
 * other slot. Declaration order only breaks ties.
 *
 * Costs: the previous run's times when its summary is at hand
 * (<out>/volatile/run-summary.json, same parameters), else COST_HINTS, else
 * the median hint. Only the order depends on them; results never do.
 */
import * as fs from "node:fs";

export interface Job {
  name: string;
  /** Notebooks (stems) that must finish first. */
  after: string[];
  /** Estimated seconds. */
  cost: number;
}

/**
 * Cold seconds per notebook at the default scale, three seeds: `make reproduce` on a fresh
 * machine (../shared/tools/fresh-machine, idle 2-core machine, commit 59e194c; 07 rounded up for
 * its 10 sweep seeds since). Only their ratios matter here: they order the run when no previous
 * run's summary is at hand.
 */
export const COST_HINTS: Record<string, number> = {
  "00-datasets": 54,
  "01-preprocessing": 389,
  "02-mrlf": 869,
  "03-ablation": 421,
  "04-fusion-variants": 813,
  "05-noisy-images": 61,
  "06-low-frequency-hashtags": 284,
  "07-nb-thresholds": 500,
  "08-elbow-k": 16,
};

/** Cost of each job: the previous run's seconds when known, else the hint, else the median hint. */
export function estimateCosts(
  names: readonly string[],
  previous: Record<string, number> = {},
  hints: Record<string, number> = COST_HINTS,
): Record<string, number> {
  const known = Object.values(hints).sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)] : 1;
  return Object.fromEntries(names.map((n) => [n, previous[n] ?? hints[n] ?? median]));
}

/** Seconds per notebook stem from a previous run's summary, when it ran with the same parameters. */
export function previousCosts(summaryFile: string, params: string): Record<string, number> {
  try {
    const s = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as {
      params?: string;
      notebooks?: { notebook: string; status: string; seconds: number }[];
    };
    if (s.params !== params || !Array.isArray(s.notebooks)) return {};
    return Object.fromEntries(s.notebooks.filter((n) => n.status === "ok").map((n) => [n.notebook.replace(/\.ipynb$/, ""), n.seconds]));
  } catch {
    return {};
  }
}

/** Longest chain of cost from each job to the end (its own cost included). Throws on a cycle. */
export function criticalPaths(jobs: readonly Job[]): Map<string, number> {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const dependents = new Map<string, string[]>(jobs.map((j) => [j.name, []]));
  for (const j of jobs) for (const d of j.after) if (byName.has(d)) dependents.get(d)!.push(j.name);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const path = (name: string): number => {
    const m = memo.get(name);
    if (m !== undefined) return m;
    if (visiting.has(name)) throw new Error(`schedule: dependency cycle through ${name}`);
    visiting.add(name);
    const v = byName.get(name)!.cost + Math.max(0, ...dependents.get(name)!.map(path));
    visiting.delete(name);
    memo.set(name, v);
    return v;
  };
  for (const j of jobs) path(j.name);
  return memo;
}

/**
 * Index in `pending` of the ready job to start next (highest critical path,
 * earlier in `pending` on ties), or −1 when none is ready.
 */
export function pickNext(
  pending: readonly Job[],
  done: ReadonlySet<string>,
  paths: ReadonlyMap<string, number>,
  inRun: ReadonlySet<string>,
): number {
  let best = -1;
  pending.forEach((j, i) => {
    if (!j.after.every((d) => done.has(d) || !inRun.has(d))) return;
    if (best < 0 || paths.get(j.name)! > paths.get(pending[best].name)!) best = i;
  });
  return best;
}

/** The schedule `slots` workers would follow with these costs: start and end per job (for the plan line and tests). */
export function simulate(jobs: readonly Job[], slots: number): { name: string; start: number; end: number }[] {
  const paths = criticalPaths(jobs);
  const inRun = new Set(jobs.map((j) => j.name));
  const pending = jobs.slice();
  const done = new Set<string>();
  const running: { name: string; start: number; end: number }[] = [];
  const out: { name: string; start: number; end: number }[] = [];
  let now = 0;
  while (pending.length || running.length) {
    let i: number;
    while (running.length < slots && (i = pickNext(pending, done, paths, inRun)) >= 0) {
      const j = pending.splice(i, 1)[0];
      running.push({ name: j.name, start: now, end: now + j.cost });
    }
    if (!running.length) throw new Error(`schedule: cannot start ${pending.map((p) => p.name).join(", ")}`);
    running.sort((a, b) => a.end - b.end || (a.name < b.name ? -1 : 1));
    const next = running.shift()!;
    now = next.end;
    done.add(next.name);
    out.push(next);
  }
  return out;
}
