/**
 * Estimates with bootstrap CIs for one system, and for the paired difference
 * between two systems scored on the same test items.
 *
 * A system's results are a list of test sets (one per seed or split), each
 * with per-item outcomes. Two systems are *paired* when they list the same
 * test sets with the same items in the same order: then every bootstrap
 * resample draws the same items for both, and the CI of A − B reflects only
 * how differently the two systems do on the same items — far narrower than
 * comparing two independent CIs (Dietterich 1998; Koehn 2004 for NLP).
 */
import { bootstrapTestSets, type BootstrapOptions, type Estimate } from "./bootstrap";
import { checkOutcomes, METRICS, type MetricId, type Outcomes } from "./metrics";
import { discordant, mcnemarExact, type McNemar } from "./mcnemar";
import { percentileInterval, type Interval } from "./interval";
import { replicateHelper } from "./parallel";
import { DEFAULT_REPLICATES } from "./bootstrap";

/** One test set's outcomes: `testSet` names the seed / split it came from, e.g. "seed 2". */
export interface TestSetOutcomes {
  testSet: string;
  outcomes: Outcomes;
  /**
   * Names the set of test items when several test sets share it (e.g. seeds on
   * one fixed official test fold): test sets naming the same items share every
   * bootstrap resample (./bootstrap.ts). Absent: the test set's items are its own.
   */
  items?: string;
}
/** A system's outcomes over repeated test sets. */
export type RepeatedOutcomes = readonly TestSetOutcomes[];

export interface SystemEstimate extends Estimate {
  metric: MetricId;
  testSets: number;
  /** Items over all test sets. */
  items: number;
}

/** Bootstrap group of each test set: test sets that name the same `items` share one. */
export function itemGroups(sys: RepeatedOutcomes): number[] {
  const ids = new Map<string, number>();
  return sys.map((t, g) => {
    if (t.items === undefined) return -(g + 1);
    const id = ids.get(t.items) ?? ids.size;
    ids.set(t.items, id);
    return id;
  });
}

/** The first test set of each test set's group (the one that draws the group's resample). */
const leadersOf = (groups: readonly number[]): number[] => groups.map((grp) => groups.indexOf(grp));

function checkSystem(sys: RepeatedOutcomes, what: string): number[] {
  if (sys.length === 0) throw new Error(`${what}: no test sets`);
  const seen = new Set<string>();
  return sys.map((t) => {
    if (seen.has(t.testSet)) throw new Error(`${what}: test set "${t.testSet}" listed twice`);
    seen.add(t.testSet);
    return checkOutcomes(t.outcomes, `${what}: test set "${t.testSet}"`);
  });
}

/** Several metrics of one system from one set of resamples. */
export function estimateMetrics<M extends MetricId>(
  sys: RepeatedOutcomes,
  metrics: readonly M[],
  opts: BootstrapOptions,
): Record<M, SystemEstimate> {
  const sizes = checkSystem(sys, "estimate");
  const groups = itemGroups(sys);
  const helper = replicateHelper(
    { kind: "metrics", metrics: [...metrics], systems: [sys.map((t) => t.outcomes)], sizes, leaders: leadersOf(groups) },
    opts.replicates ?? DEFAULT_REPLICATES,
  );
  const r = bootstrapTestSets(sizes, (g, idx) => metrics.map((m) => METRICS[m].compute(sys[g].outcomes, idx)), {
    ...opts,
    groups,
    helper,
  });
  const items = sizes.reduce((a, b) => a + b, 0);
  return Object.fromEntries(metrics.map((m, i) => [m, { ...r.estimates[i], metric: m, testSets: sys.length, items }])) as unknown as Record<
    M,
    SystemEstimate
  >;
}

export const estimateMetric = (sys: RepeatedOutcomes, metric: MetricId, opts: BootstrapOptions): SystemEstimate =>
  estimateMetrics(sys, [metric], opts)[metric];

export interface PairedComparison {
  metric: MetricId;
  a: Estimate;
  b: Estimate;
  /** A − B in the metric's units. */
  diff: Estimate;
  /** Bootstrap replicates of A − B (for intervals at other levels); not serialised. */
  diffReplicates: Float64Array;
  testSets: number;
  items: number;
  /**
   * Exact McNemar test on the pooled discordant items (accuracy only; absent when
   * test sets share items, as pooling the same users over seeds would count them repeatedly).
   */
  mcnemar?: McNemar;
}

/** Throws unless a and b list the same test sets with the same true labels. */
export function checkPaired(a: RepeatedOutcomes, b: RepeatedOutcomes): number[] {
  const sa = checkSystem(a, "paired comparison: A");
  checkSystem(b, "paired comparison: B");
  if (a.length !== b.length) throw new Error(`paired comparison: A has ${a.length} test sets, B has ${b.length}`);
  a.forEach((ta, g) => {
    const tb = b[g];
    if (ta.testSet !== tb.testSet) throw new Error(`paired comparison: test set ${g} is "${ta.testSet}" for A but "${tb.testSet}" for B`);
    if (ta.items !== tb.items)
      throw new Error(`paired comparison: test set "${ta.testSet}" names items "${ta.items}" for A but "${tb.items}" for B`);
    const x = ta.outcomes.truth,
      y = tb.outcomes.truth;
    if (x.length !== y.length) throw new Error(`paired comparison: test set "${ta.testSet}": A has ${x.length} items, B has ${y.length}`);
    for (let i = 0; i < x.length; i++)
      if (x[i] !== y[i])
        throw new Error(
          `paired comparison: test set "${ta.testSet}": item ${i} has true label ${x[i]} for A but ${y[i]} for B (not the same items)`,
        );
  });
  return sa;
}

export function comparePaired(a: RepeatedOutcomes, b: RepeatedOutcomes, metric: MetricId, opts: BootstrapOptions): PairedComparison {
  const sizes = checkPaired(a, b);
  const f = METRICS[metric].compute;
  const groups = itemGroups(a);
  const helper = replicateHelper(
    { kind: "paired", metrics: [metric], systems: [a.map((t) => t.outcomes), b.map((t) => t.outcomes)], sizes, leaders: leadersOf(groups) },
    opts.replicates ?? DEFAULT_REPLICATES,
  );
  const r = bootstrapTestSets(
    sizes,
    (g, idx) => {
      const va = f(a[g].outcomes, idx);
      const vb = f(b[g].outcomes, idx);
      return [va, vb, va - vb];
    },
    { ...opts, groups, helper },
  );
  let mcnemar: McNemar | undefined;
  const independentItems = a.every((t) => t.items === undefined) || new Set(a.map((t) => t.items)).size === a.length;
  if (metric === "acc" && independentItems) {
    let bb = 0,
      cc = 0;
    a.forEach((t, g) => {
      const d = discordant(t.outcomes.truth, t.outcomes.predicted, b[g].outcomes.predicted);
      bb += d.b;
      cc += d.c;
    });
    mcnemar = mcnemarExact(bb, cc);
  }
  return {
    metric,
    a: r.estimates[0],
    b: r.estimates[1],
    diff: r.estimates[2],
    diffReplicates: r.replicates[2],
    testSets: a.length,
    items: sizes.reduce((s, n) => s + n, 0),
    ...(mcnemar ? { mcnemar } : {}),
  };
}

/** The CI of A − B at another level (e.g. a Bonferroni level), from the same replicates. */
export const diffInterval = (c: PairedComparison, level: number): Interval => percentileInterval(c.diffReplicates, level);
