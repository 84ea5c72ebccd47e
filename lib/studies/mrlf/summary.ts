/**
 * From runs to what tables and claims read: each system's per-post outcomes
 * over the seeds (RepeatedOutcomes, one test set per seed — a new split and a
 * new initialisation each), their estimates with two-level 95 % CIs and sd over
 * seeds (lib/stats), chance floors, and the table columns that show them.
 *
 * Metrics: Acc and Mean km (the paper's), and beside Mean the median km and
 * Acc@1 km — synthetic posts sit on their POI, so Mean km is a function of the
 * confusion matrix and a few long confusions dominate it.
 */
import { stream } from "../../runtime/rng";
import { comparedColumns, withPaper, type Cell, type Column } from "../../results/table";
import { estimateMetrics, type RepeatedOutcomes, type SystemEstimate } from "../../stats/paired";
import type { MetricId } from "../../metrics/weighted";
import { majorityClassPredictions, stratifiedRandomPredictions } from "../../stats/floors";
import { labelsOf, type CitySplit } from "../../experiments/split";
import { resultFromProbs, type RunResult } from "../../experiments/run";
import type { AccMean } from "../../papers/mrlf";

export const TABLE_METRICS = ["acc", "meanKm", "medianKm", "accAt1km"] as const satisfies readonly MetricId[];
export type TableMetric = (typeof TABLE_METRICS)[number];

/** One system's runs in one city as RepeatedOutcomes, in seed order ("seed 1", "seed 2", …). */
export function repeatedOutcomes(runs: readonly RunResult[], city: string, system: string): RepeatedOutcomes {
  const rs = runs.filter((r) => r.city === city && r.system === system).sort((a, b) => a.seed - b.seed);
  if (rs.length === 0) throw new Error(`repeatedOutcomes: no run of "${system}" in ${city}`);
  return rs.map((r) => ({ testSet: `seed ${r.seed}`, outcomes: r.outcomes }));
}

/** Outcomes by system label for one city (what claims.judge takes). */
export function systemsIn(runs: readonly RunResult[], city: string, systems: readonly string[]): Record<string, RepeatedOutcomes> {
  return Object.fromEntries(systems.map((s) => [s, repeatedOutcomes(runs, city, s)]));
}

export interface SystemSummary {
  city: string;
  system: string;
  estimates: Record<TableMetric, SystemEstimate>;
  seeds: number;
  items: number;
}

/** Estimates with CIs for every (city, system) present in `runs`; `name` names the bootstrap streams. */
export function summarise(runs: readonly RunResult[], rootSeed: number, name: string): SystemSummary[] {
  const keys: [string, string][] = [];
  for (const r of runs) if (!keys.some(([c, s]) => c === r.city && s === r.system)) keys.push([r.city, r.system]);
  return keys.map(([city, system]) => {
    const rep = repeatedOutcomes(runs, city, system);
    const estimates = estimateMetrics(rep, TABLE_METRICS, { rng: stream(rootSeed, `ci/${name}/${city}/${system}`) });
    return { city, system, estimates, seeds: rep.length, items: estimates.acc.items };
  });
}

export const findSummary = (s: readonly SystemSummary[], city: string, system: string): SystemSummary => {
  const x = s.find((r) => r.city === city && r.system === system);
  if (!x) throw new Error(`no summary for ${system} in ${city}`);
  return x;
};

/**
 * Columns: Acc and Mean km with 95 % CI, sd over seeds and (optionally) the paper's value and Δ; median km, Acc@1 km, seeds, test posts.
 */
export function metricColumns(withPaperColumns: boolean): Column[] {
  const metric = (key: string, label: string): Column[] => [
    ...(withPaperColumns ? comparedColumns(key, label, 3) : [{ key, label: `${label} (ours)`, digits: 3, source: "ours" as const }]),
    { key: `${key}_lo`, label: `${label} 95% CI lo`, digits: 3, source: "ours" },
    { key: `${key}_hi`, label: `${label} 95% CI hi`, digits: 3, source: "ours" },
    { key: `${key}_sd`, label: `${label} sd (seeds)`, digits: 3, source: "ours" },
  ];
  return [
    ...metric("acc", "Acc"),
    ...metric("mean_km", "Mean km"),
    { key: "median_km", label: "Median km", digits: 3, source: "ours" },
    { key: "acc_1km", label: "Acc@1 km", digits: 3, source: "ours" },
    { key: "seeds", label: "Seeds", digits: 0, source: "info" },
    { key: "test_posts", label: "Test posts (all seeds)", digits: 0, source: "info" },
  ];
}

/** The metric cells of one summary, with the paper's values beside when given. */
export function metricCells(s: SystemSummary, paper?: AccMean | null, withPaperColumns = true): Record<string, Cell> {
  const e = s.estimates;
  let row: Record<string, Cell> = {
    acc: e.acc.estimate,
    acc_lo: e.acc.ci.lo,
    acc_hi: e.acc.ci.hi,
    acc_sd: e.acc.runSd,
    mean_km: e.meanKm.estimate,
    mean_km_lo: e.meanKm.ci.lo,
    mean_km_hi: e.meanKm.ci.hi,
    mean_km_sd: e.meanKm.runSd,
    median_km: e.medianKm.estimate,
    acc_1km: e.accAt1km.estimate,
    seeds: s.seeds,
    test_posts: s.items,
  };
  if (withPaperColumns) {
    row = withPaper(row, "acc", paper?.acc ?? null);
    row = withPaper(row, "mean_km", paper?.meanKm ?? null);
  }
  return row;
}

export const MAJORITY = "Majority class";
export const STRATIFIED = "Stratified random";

/** The two chance floors for one split and seed, as runs (probabilities are one-hot predictions). */
export function floorRuns(split: CitySplit, seed: number, rootSeed: number): RunResult[] {
  const train = labelsOf(split, split.train);
  const n = split.test.length;
  const k = split.pois.length;
  const oneHot = (pred: Int32Array) => {
    const p = new Float32Array(n * k);
    pred.forEach((c, i) => (p[i * k + c] = 1));
    return p;
  };
  const make = (system: string, pred: Int32Array, note: string) =>
    resultFromProbs(split, system, seed, oneHot(pred), { fromCache: true, notes: [note], details: "" });
  return [
    make(MAJORITY, majorityClassPredictions(train, n), "Majority class: always the most frequent training location"),
    make(
      STRATIFIED,
      stratifiedRandomPredictions(train, n, stream(rootSeed, `floor/stratified/${split.city}/${seed}`)),
      "Stratified random: a location drawn from the training distribution",
    ),
  ];
}

/** Volatile training seconds of the runs that trained (cache hits excluded), for results/volatile/. */
export const trainingTimes = (runs: readonly RunResult[]) =>
  runs
    .filter((r) => r.trainSeconds !== undefined)
    .map((r) => ({ city: r.city, seed: r.seed, system: r.system, seconds: r.trainSeconds!, epochs: r.epochsRun ?? null }));
