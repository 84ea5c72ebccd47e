/**
 * REFERENCE ONLY — the one-level bootstrap as committed at 1e0f07c
 * (lib/stats/bootstrap.ts `bootstrapTestSets`, with the percentile interval of
 * lib/stats/interval.ts), kept verbatim so that test/stats/two-level.test.ts
 * can show that it under-covers on a two-level model while the interval that
 * replaced it (lib/stats/two-level.ts) covers. Nothing in lib/ uses it.
 */
import type { Rng } from "../../lib/runtime/rng";
import { indexSampler } from "../../lib/stats/resample";
import { meanSd } from "../../lib/stats/summary";

export interface Interval {
  lo: number;
  hi: number;
  level: number;
}

export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error("quantile: no values");
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const i = Math.floor(h);
  if (i + 1 >= n) return sorted[n - 1];
  return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
}

export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): Interval {
  if (!(level > 0 && level < 1)) throw new Error(`percentileInterval: level must be in (0, 1), got ${level}`);
  const sorted = Float64Array.from(replicates).sort();
  for (let i = 0; i < sorted.length; i++)
    if (!Number.isFinite(sorted[i])) throw new Error(`percentileInterval: replicate ${i} is not finite`);
  const tail = (1 - level) / 2;
  return { lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail), level };
}
const DEFAULT_REPLICATES = 2000;
const DEFAULT_LEVEL = 0.95;

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
  const bufs = sizes.map((n) => new Int32Array(n));
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < G; g++) {
      const first = leader.get(groups[g])!;
      const idx = first === g ? sampler.draw(sizes[g], bufs[g]) : bufs[first];
      const v = statistics(g, idx);
      for (let s = 0; s < k; s++) reps[s][b] += v[s] / G;
    }
  }
  const estimates = Array.from({ length: k }, (_, s) => {
    const perTestSet = full.map((v) => v[s]);
    const { mean, sd } = meanSd(perTestSet);
    return { estimate: mean, ci: percentileInterval(reps[s], level), perTestSet, sd };
  });
  return { estimates, replicates: reps };
}
