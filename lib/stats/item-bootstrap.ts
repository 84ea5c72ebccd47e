/**
 * The item part of the uncertainty of a result repeated over G training runs
 * (seeds or splits): a seeded bootstrap over the DISTINCT test items of all
 * runs, each drawn once per replicate.
 *
 * Runs may share items: ten seeds on GeoText's fold 5 test the same 1,850
 * users; ten 80/20 splits drawn from one pool put a user in about two test
 * sets; MRLF's per-seed splits of one city overlap partially. The items are
 * the one factor (Owen 2007, "The pigeonhole bootstrap", Ann. Appl. Stat. 1:
 * each factor of a crossed design is resampled once per replicate), so a
 * replicate draws N items with replacement from the union of the N distinct
 * item ids — multinomial counts c_j — and run g's statistic is evaluated with
 * its own items weighted by their counts (./metrics.ts: weighted metrics).
 * A user in two test sets thus gets one weight, used in both; two systems on
 * the same run see the same weights (a paired comparison: ./paired.ts).
 *
 * Clustered items. Where items are not independent draws — a Flickr owner's
 * photos share coordinates, tags and a camera, and owner-grouped splits put
 * all of an owner's photos in one test set — the unit of the bootstrap is the
 * cluster (Davison & Hinkley 1997 §3.8, resampling the top level of a nested
 * design; Field & Welsh 2007, "Bootstrapping clustered data", JRSS B 69): a
 * replicate draws the distinct clusters with replacement and every item takes
 * its cluster's count as its weight. Resampling the photos of a few owners as
 * if they were independent would understate the item variance.
 *
 * What comes out is the G × G covariance C of the run statistics over
 * replicates: the item sampling covariance given the trained models. Runs on
 * disjoint items give a diagonal C (their entry is set to 0 exactly, not left to
 * the bootstrap's noise); runs on one fixed test set give a C whose entries are
 * all about equal. ./two-level.ts adds the training variance. For item means
 * over unclustered items, ./item-covariance.ts gives this C in closed form (what
 * ./paired.ts uses for them); the bootstrap stays for clustered items, macro
 * scores and medians.
 */
import type { Rng } from "../runtime/rng";
import { indexSampler } from "./resample";

export const DEFAULT_REPLICATES = 2000;

export interface ItemBootstrapOptions {
  /** The named stream that decides every resample (same name → same result). */
  rng: Rng;
  /** Replicates (default 2,000). */
  replicates?: number;
}

export interface ItemBootstrap {
  /** Number of distinct items over all runs. */
  distinctItems: number;
  /** Number of distinct resampling units (clusters; = distinctItems without clusters). */
  distinctUnits: number;
  /** Items per run. */
  runSizes: number[];
  /** statistic s → run g → its value on all of run g's items (unit weights). */
  full: number[][];
  /** statistic s → the G × G covariance over replicates of the run values. */
  covariance: number[][][];
  replicates: number;
}

/** The replicates asked for (default 2,000); an error unless an integer ≥ 50. */
export function replicatesOf(opts: Pick<ItemBootstrapOptions, "replicates">): number {
  const B = opts.replicates ?? DEFAULT_REPLICATES;
  if (!(Number.isInteger(B) && B >= 50)) throw new Error(`item bootstrap: replicates must be an integer ≥ 50, got ${B}`);
  return B;
}

/**
 * `runs[g]` lists run g's item ids (each at most once per run). `statistics(g, w)`
 * returns the k statistics of run g with its item i weighing w[i] (k fixed).
 * `clusters[g][i]`, when given, names the cluster of run g's item i (the same item
 * is in the same cluster in every run): clusters are then the resampling units.
 */
export function itemBootstrap(
  runs: readonly (readonly string[])[],
  statistics: (g: number, w: Float64Array) => readonly number[],
  opts: ItemBootstrapOptions,
  clusters?: readonly (readonly string[])[],
): ItemBootstrap {
  const G = runs.length;
  if (G === 0) throw new Error("item bootstrap: no runs");
  const B = replicatesOf(opts);
  const { slots, distinctItems, distinctUnits: N } = resamplingUnits(runs, clusters, "item bootstrap");
  const full = runs.map((ids, g) => statistics(g, new Float64Array(ids.length).fill(1)));
  const k = full[0].length;
  full.forEach((v, g) => {
    if (v.length !== k) throw new Error(`item bootstrap: run ${g} gave ${v.length} statistics, run 0 gave ${k}`);
    v.forEach((x, s) => {
      if (!Number.isFinite(x)) throw new Error(`item bootstrap: statistic ${s} on run ${g} is ${x}`);
    });
  });
  const reps = Array.from({ length: k }, () => Array.from({ length: G }, () => new Float64Array(B)));
  const sampler = indexSampler(opts.rng);
  const draws = new Int32Array(N);
  const counts = new Float64Array(N);
  const w = slots.map((s) => new Float64Array(s.length));
  for (let b = 0; b < B; b++) {
    // A replicate whose draw leaves some run without a single item is redrawn (likely only for tiny test sets).
    for (let attempt = 0; ; attempt++) {
      if (attempt === 1000)
        throw new Error(
          `item bootstrap: the test sets are too small to resample (${N} units, sizes ${slots.map((s) => s.length).join("/")})`,
        );
      counts.fill(0);
      sampler.draw(N, draws);
      for (let i = 0; i < N; i++) counts[draws[i]]++;
      let ok = true;
      for (let g = 0; g < G && ok; g++) {
        let W = 0;
        const s = slots[g];
        for (let i = 0; i < s.length; i++) W += w[g][i] = counts[s[i]];
        ok = W > 0;
      }
      if (ok) break;
    }
    for (let g = 0; g < G; g++) {
      const v = statistics(g, w[g]);
      for (let s = 0; s < k; s++) reps[s][g][b] = v[s];
    }
  }
  // Two runs without a common unit have covariance 0 by construction (their statistics read disjoint
  // counts; the multinomial's fixed total cancels in a weighted mean to first order): their bootstrap
  // covariance would be pure noise, which the two-level SE would add. It is set to 0.
  const shares = runs.map((_, g) => runs.map((__, h) => g === h || sharesItem(slots[g], slots[h], N)));
  const covariance = reps.map((byRun) => covarianceMatrix(byRun).map((row, g) => row.map((v, h) => (shares[g][h] ? v : 0))));
  return {
    distinctItems,
    distinctUnits: N,
    runSizes: slots.map((s) => s.length),
    full: transpose(full, k),
    covariance,
    replicates: B,
  };
}

/** Every run's items as indices of their resampling units (distinct items, or their clusters). */
export interface ResamplingUnits {
  /** slots[g][i]: the unit of run g's item i, in 0 … distinctUnits − 1. */
  slots: Int32Array[];
  distinctItems: number;
  distinctUnits: number;
}

/**
 * Index the distinct resampling units of G runs: each distinct item, or — with `clusters` — each
 * distinct cluster (the same item must be in the same cluster in every run). `what` names the
 * caller in errors.
 */
export function resamplingUnits(
  runs: readonly (readonly string[])[],
  clusters: readonly (readonly string[])[] | undefined,
  what: string,
): ResamplingUnits {
  if (clusters && (clusters.length !== runs.length || clusters.some((c, g) => c.length !== runs[g].length)))
    throw new Error(`${what}: clusters: one cluster id per item of every run`);
  const items = new Set<string>();
  const clusterOf = new Map<string, string>();
  const index = new Map<string, number>();
  const slots = runs.map((ids, g) => {
    if (ids.length === 0) throw new Error(`${what}: run ${g} has no items`);
    const seen = new Set<string>();
    return Int32Array.from(ids, (id, i) => {
      if (seen.has(id)) throw new Error(`${what}: run ${g}: item "${id}" listed twice (an item is in a test set once)`);
      seen.add(id);
      items.add(id);
      let unit = id;
      if (clusters) {
        unit = clusters[g][i];
        const before = clusterOf.get(id);
        if (before !== undefined && before !== unit)
          throw new Error(`${what}: item "${id}" is in cluster "${before}" in one run and "${unit}" in run ${g}`);
        clusterOf.set(id, unit);
      }
      let j = index.get(unit);
      if (j === undefined) index.set(unit, (j = index.size));
      return j;
    });
  });
  return { slots, distinctItems: items.size, distinctUnits: index.size };
}

/** Whether two runs (as distinct-item indices) have an item in common. */
function sharesItem(a: Int32Array, b: Int32Array, N: number): boolean {
  const seen = new Uint8Array(N);
  for (let i = 0; i < a.length; i++) seen[a[i]] = 1;
  for (let i = 0; i < b.length; i++) if (seen[b[i]]) return true;
  return false;
}

const transpose = (m: readonly (readonly number[])[], k: number): number[][] => Array.from({ length: k }, (_, s) => m.map((row) => row[s]));

/** Sample covariance (divisor B − 1) between the rows of `x` (one row per run, B columns). */
export function covarianceMatrix(x: readonly Float64Array[]): number[][] {
  const G = x.length;
  const B = x[0].length;
  const means = x.map((r) => r.reduce((a, v) => a + v, 0) / B);
  const C = Array.from({ length: G }, () => new Array<number>(G).fill(0));
  for (let g = 0; g < G; g++)
    for (let h = g; h < G; h++) {
      let s = 0;
      const a = x[g],
        c = x[h];
      for (let b = 0; b < B; b++) s += (a[b] - means[g]) * (c[b] - means[h]);
      C[g][h] = C[h][g] = s / (B - 1);
    }
  return C;
}
