/**
 * Seeded nonparametric bootstrap over test items (Efron & Tibshirani 1993),
 * for results repeated over several test sets (one per seed or split).
 *
 * Each replicate resamples, within every test set g, n_g items with
 * replacement, evaluates the statistics on each resampled test set and pools
 * them by the mean over test sets — the same pooling as the point estimate
 * (mean over seeds of the metric on all items). Resampling *within* each test
 * set keeps the design: a seed's items are only ever compared with that seed's
 * predictions. The interval therefore describes the uncertainty that comes
 * from which test items were drawn, averaged over the seeds' splits and
 * initialisations; the spread *between* seeds is reported beside it as the sd.
 *
 * Several statistics can share one set of resamples (a vector statistic):
 * that is what makes a comparison *paired* (./paired.ts).
 *
 * Test sets on the *same* items (seeds that vary only the initialisation on one
 * fixed test fold, e.g. GeoText's official fold 5) are not independent samples
 * of items: `groups` names such test sets, and every replicate draws one
 * resample per group and applies it to each of its test sets. Without it, ten
 * seeds on the same users would narrow the interval by ≈ √10 as if ten
 * different test sets had been drawn.
 */
import type { Rng } from "../runtime/rng";
import { indexSampler, samplerFromState, type IndexSampler } from "./resample";
import { percentileInterval, type Interval } from "./interval";
import { meanSd } from "./summary";

export const DEFAULT_REPLICATES = 2000;
export const DEFAULT_LEVEL = 0.95;

export interface BootstrapOptions {
  /** The named stream that decides every resample (same name → same intervals). */
  rng: Rng;
  /** Number of bootstrap replicates (default 2,000). */
  replicates?: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /**
   * Group of each test set (same length as the test sets); test sets in one
   * group hold the same items in the same order and share every resample.
   * Default: every test set its own group (independent resamples).
   */
  groups?: readonly number[];
  /**
   * Another thread that computes the second half of the replicates of the same
   * statistics (./parallel.ts), starting from the sampler's state after the
   * first half's draws: the same replicates, in half the time.
   */
  helper?: ReplicateHelper | null;
}

/** Replicates [from, to) of the same statistics on another thread (see BootstrapOptions.helper). */
export interface ReplicateHelper {
  start(state: Int32Array, from: number, to: number): void;
  /** Per statistic, the values of replicates from..to−1. */
  finish(): Float64Array[];
}

export interface Estimate {
  /** Mean over test sets of the statistic on all items. */
  estimate: number;
  /** Percentile bootstrap interval of that mean. */
  ci: Interval;
  /** The statistic on each test set (all items). */
  perTestSet: number[];
  /** Sample sd of perTestSet (0 for one test set). */
  sd: number;
}

export interface BootstrapResult {
  /** One Estimate per statistic. */
  estimates: Estimate[];
  /** Replicate values per statistic (for intervals at other levels). */
  replicates: Float64Array[];
}

/**
 * Replicates [b0, b1) into reps[s][b − offset]: per replicate, each group's
 * leader draws its items, every test set is scored on its group's draw, and
 * the statistics are pooled by the mean over test sets (in test-set order).
 */
export function replicateRange(
  sizes: readonly number[],
  leaders: readonly number[],
  statistics: (g: number, idx: Int32Array) => readonly number[],
  sampler: IndexSampler,
  b0: number,
  b1: number,
  reps: Float64Array[],
  offset: number,
): void {
  const G = sizes.length;
  const k = reps.length;
  const bufs = sizes.map((n) => new Int32Array(n));
  for (let b = b0; b < b1; b++) {
    for (let g = 0; g < G; g++) {
      const first = leaders[g];
      const idx = first === g ? sampler.draw(sizes[g], bufs[g]) : bufs[first];
      const v = statistics(g, idx);
      for (let s = 0; s < k; s++) reps[s][b - offset] += v[s] / G;
    }
  }
}

/**
 * `statistics(g, idx)` returns the k statistics of test set g on items `idx`
 * (k fixed across calls). Test sets are given by their sizes.
 */
export function bootstrapTestSets(
  sizes: readonly number[],
  statistics: (g: number, idx: Int32Array) => readonly number[],
  opts: BootstrapOptions,
): BootstrapResult {
  if (sizes.length === 0) throw new Error("bootstrap: no test sets");
  sizes.forEach((n, g) => {
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`bootstrap: test set ${g}: size ${n} is not a positive integer`);
  });
  const B = opts.replicates ?? DEFAULT_REPLICATES;
  const level = opts.level ?? DEFAULT_LEVEL;
  if (!(Number.isInteger(B) && B >= 100)) throw new Error(`bootstrap: replicates must be an integer ≥ 100, got ${B}`);
  const G = sizes.length;
  const full = sizes.map((n, g) =>
    statistics(
      g,
      Int32Array.from({ length: n }, (_, i) => i),
    ),
  );
  const k = full[0].length;
  full.forEach((v, g) => {
    if (v.length !== k) throw new Error(`bootstrap: test set ${g} gave ${v.length} statistics, test set 0 gave ${k}`);
    v.forEach((x, s) => {
      if (!Number.isFinite(x)) throw new Error(`bootstrap: statistic ${s} on test set ${g} is ${x}`);
    });
  });
  const groups = opts.groups ?? sizes.map((_, g) => g);
  if (groups.length !== G) throw new Error(`bootstrap: ${groups.length} groups for ${G} test sets`);
  const leader = new Map<number, number>(); // group → its first test set
  groups.forEach((grp, g) => {
    const first = leader.get(grp);
    if (first === undefined) leader.set(grp, g);
    else if (sizes[first] !== sizes[g])
      throw new Error(`bootstrap: test sets ${first} and ${g} share group ${grp} but hold ${sizes[first]} and ${sizes[g]} items`);
  });
  const reps = Array.from({ length: k }, () => new Float64Array(B));
  const sampler = indexSampler(opts.rng);
  const leaders = sizes.map((_, g) => leader.get(groups[g])!);
  let split = B;
  if (opts.helper) {
    // The helper starts where the first half's draws end: every replicate draws each group's items once.
    split = B >> 1;
    const perReplicate = sizes.reduce((a, n, g) => a + (leaders[g] === g ? n : 0), 0);
    const jumped = samplerFromState(sampler.state());
    jumped.jump(split * perReplicate);
    opts.helper.start(jumped.state(), split, B);
  }
  replicateRange(sizes, leaders, statistics, sampler, 0, split, reps, 0);
  if (opts.helper) {
    const rest = opts.helper.finish();
    for (let s = 0; s < k; s++) reps[s].set(rest[s], split);
  }
  const estimates = Array.from({ length: k }, (_, s) => {
    const perTestSet = full.map((v) => v[s]);
    const { mean, sd } = meanSd(perTestSet);
    return { estimate: mean, ci: percentileInterval(reps[s], level), perTestSet, sd };
  });
  return { estimates, replicates: reps };
}
