/**
 * Estimates for one system, and for the paired difference between two systems
 * scored on the same test items, over G training runs — each with both levels
 * of uncertainty (./two-level.ts): the runs' spread and the test items'.
 *
 * A system's results are a list of test sets (one per run: a seed or a split),
 * each with per-item outcomes whose `ids` name the items (post ids, user ids).
 * The item part resamples the distinct items of all runs once per replicate
 * (./item-bootstrap.ts), so a user in several test sets gets one weight. Two
 * systems are *paired* when they list the same runs with the same items: then
 * every replicate weighs the items the same for both, and the interval of A − B
 * reflects only how differently the two systems do on the same items and runs
 * (Dietterich 1998; Koehn 2004 for NLP) — far narrower than comparing two
 * independent intervals.
 *
 * Item means (Acc, Mean km, Acc@…, and paired differences of them) over items
 * that are their own resampling units get that covariance in closed form
 * (./item-covariance.ts: the bootstrap's own, exact for one run and to first
 * order otherwise, without its Monte Carlo noise). The bootstrap stays where the
 * statistic is far from linear in the weights: clustered items (an owner with
 * 200 of a test set's 640 photos: the closed form's sd was 15 % short of the
 * bootstrap's, measured), macro scores over small classes and medians
 * (lib/metrics/weighted.ts says why). The bootstrap's stream is drawn the same either way, so a
 * median's interval does not depend on which means are estimated beside it.
 */
import { itemBootstrap, replicatesOf, resamplingUnits, type ItemBootstrapOptions } from "./item-bootstrap";
import { linearizedItemCovariance } from "./item-covariance";
import { checkOutcomes, METRICS, type MetricId, type Outcomes } from "../metrics/weighted";
import { exactPairedTest, type ExactTest } from "./exact";
import { twoLevel, type TwoLevelEstimate } from "./two-level";

export const DEFAULT_LEVEL = 0.95;

/** One run's outcomes: `testSet` names the seed / split it came from, e.g. "seed 2"; `outcomes.ids` name its items. */
export interface TestSetOutcomes {
  testSet: string;
  outcomes: Outcomes;
}
/** A system's outcomes over repeated runs. */
export type RepeatedOutcomes = readonly TestSetOutcomes[];

export interface EstimateOptions extends ItemBootstrapOptions {
  /** Confidence level (default 0.95). */
  level?: number;
}

export interface SystemEstimate extends TwoLevelEstimate {
  metric: MetricId;
  testSets: number;
  /** Items over all runs (an item in two runs counts twice). */
  items: number;
  /** Distinct items over all runs. */
  distinctItems: number;
  /** Distinct clusters (e.g. owners) when the items are resampled by cluster; null otherwise. */
  distinctClusters: number | null;
}

const clusteredCount = (
  r: { distinctItems: number; distinctUnits: number },
  clustered = r.distinctUnits !== r.distinctItems,
): number | null => (clustered ? r.distinctUnits : null);

function checkSystem(sys: RepeatedOutcomes, what: string): number[] {
  if (sys.length === 0) throw new Error(`${what}: no test sets`);
  const seen = new Set<string>();
  return sys.map((t) => {
    if (seen.has(t.testSet)) throw new Error(`${what}: test set "${t.testSet}" listed twice`);
    seen.add(t.testSet);
    const n = checkOutcomes(t.outcomes, `${what}: test set "${t.testSet}"`);
    if (!t.outcomes.ids)
      throw new Error(
        `${what}: test set "${t.testSet}": outcomes.ids: missing (name each item — post id, user id — so that items shared by runs are resampled once)`,
      );
    return n;
  });
}

const idsOf = (sys: RepeatedOutcomes): (readonly string[])[] => sys.map((t) => t.outcomes.ids!);

/** Every run's cluster ids when the outcomes name clusters (all runs or none), else undefined. */
function clustersOf(sys: RepeatedOutcomes, what: string): (readonly string[])[] | undefined {
  const named = sys.filter((t) => t.outcomes.clusters).length;
  if (named === 0) return undefined;
  if (named < sys.length) throw new Error(`${what}: outcomes.clusters: given for ${named} of ${sys.length} test sets (all or none)`);
  return sys.map((t) => t.outcomes.clusters!);
}

/** Run g's item influences ∂M/∂w_i (lib/metrics/weighted.ts), for a statistic that has them. */
type Influence = (g: number) => Float64Array;

interface ItemPart {
  /** statistic → run → its value on all of the run's items. */
  full: number[][];
  /** statistic → the G × G item covariance of the runs. */
  covariance: number[][][];
  distinctItems: number;
  distinctUnits: number;
}

/**
 * The item part of k statistics over G runs — `compute(g, w)` gives all k of run g with its item i
 * weighing w[i]; `influence[s]` is given where statistic s is an item mean — in closed form for item
 * means of unclustered items (./item-covariance.ts) and by the bootstrap for the rest (module comment).
 */
function itemPart(
  ids: readonly (readonly string[])[],
  clusters: readonly (readonly string[])[] | undefined,
  compute: (g: number, w: Float64Array) => readonly number[],
  influence: readonly (Influence | undefined)[],
  opts: ItemBootstrapOptions,
): ItemPart {
  replicatesOf(opts); // checked whether or not a statistic here needs the bootstrap
  const units = resamplingUnits(ids, clusters, "item covariance");
  const k = influence.length;
  const full: number[][] = new Array(k);
  const covariance: number[][][] = new Array(k);
  const plain = ids.map((x, g) => compute(g, new Float64Array(x.length).fill(1)));
  plain.forEach((v, g) =>
    v.forEach((x, s) => {
      if (!Number.isFinite(x)) throw new Error(`item covariance: statistic ${s} on run ${g} is ${x}`);
    }),
  );
  for (let s = 0; s < k; s++) full[s] = plain.map((v) => v[s]);
  const closedForm = influence.map((f) => (clusters ? undefined : f));
  closedForm.forEach((f, s) => {
    if (!f) return;
    covariance[s] = linearizedItemCovariance(
      units,
      ids.map((_, g) => f(g)),
    );
  });
  const resampled = closedForm.flatMap((f, s) => (f ? [] : [s]));
  if (resampled.length > 0) {
    const r = itemBootstrap(
      ids,
      (g, w) => {
        const v = compute(g, w);
        return resampled.map((s) => v[s]);
      },
      opts,
      clusters,
    );
    resampled.forEach((s, j) => (covariance[s] = r.covariance[j]));
  }
  return { full, covariance, distinctItems: units.distinctItems, distinctUnits: units.distinctUnits };
}

/** A metric's item influences on a system's runs, where the metric is an item mean. */
const influenceOf = (sys: RepeatedOutcomes, m: MetricId): Influence | undefined => {
  const f = METRICS[m].influence;
  return f ? (g) => f(sys[g].outcomes) : undefined;
};

/** The influences of A − B: A's minus B's. */
const differenceOf = (a: Influence | undefined, b: Influence | undefined): Influence | undefined =>
  a && b
    ? (g) => {
        const x = a(g);
        const y = b(g);
        return x.map((v, i) => v - y[i]);
      }
    : undefined;

/** Several metrics of one system, each with its two-level interval, from one set of item resamples. */
export function estimateMetrics<M extends MetricId>(
  sys: RepeatedOutcomes,
  metrics: readonly M[],
  opts: EstimateOptions,
): Record<M, SystemEstimate> {
  const sizes = checkSystem(sys, "estimate");
  const r = itemPart(
    idsOf(sys),
    clustersOf(sys, "estimate"),
    (g, w) => metrics.map((m) => METRICS[m].compute(sys[g].outcomes, w)),
    metrics.map((m) => influenceOf(sys, m)),
    opts,
  );
  const items = sizes.reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    metrics.map((m, s) => [
      m,
      {
        ...twoLevel(r.full[s], r.covariance[s], opts.level ?? DEFAULT_LEVEL),
        metric: m,
        testSets: sys.length,
        items,
        distinctItems: r.distinctItems,
        distinctClusters: clusteredCount(r),
      },
    ]),
  ) as unknown as Record<M, SystemEstimate>;
}

export const estimateMetric = (sys: RepeatedOutcomes, metric: MetricId, opts: EstimateOptions): SystemEstimate =>
  estimateMetrics(sys, [metric], opts)[metric];

export interface PairedComparison {
  metric: MetricId;
  a: TwoLevelEstimate;
  b: TwoLevelEstimate;
  /** A − B in the metric's units. */
  diff: TwoLevelEstimate;
  testSets: number;
  /** Items over all runs, and distinct items. */
  items: number;
  distinctItems: number;
  /** Distinct clusters (owners) when items are resampled by cluster; null otherwise. */
  distinctClusters: number | null;
  /** Exact test counting each distinct item (or cluster) once (null for metrics that do not decompose over items). */
  exact: ExactTest | null;
}

/** Throws unless a and b list the same test sets with the same items and true labels. */
export function checkPaired(a: RepeatedOutcomes, b: RepeatedOutcomes): number[] {
  const sa = checkSystem(a, "paired comparison: A");
  checkSystem(b, "paired comparison: B");
  if (a.length !== b.length) throw new Error(`paired comparison: A has ${a.length} test sets, B has ${b.length}`);
  a.forEach((ta, g) => {
    const tb = b[g];
    if (ta.testSet !== tb.testSet) throw new Error(`paired comparison: test set ${g} is "${ta.testSet}" for A but "${tb.testSet}" for B`);
    const x = ta.outcomes.truth,
      y = tb.outcomes.truth;
    if (x.length !== y.length) throw new Error(`paired comparison: test set "${ta.testSet}": A has ${x.length} items, B has ${y.length}`);
    const ia = ta.outcomes.ids!,
      ib = tb.outcomes.ids!;
    for (let i = 0; i < x.length; i++) {
      if (ia[i] !== ib[i])
        throw new Error(
          `paired comparison: test set "${ta.testSet}": item ${i} is "${ia[i]}" for A but "${ib[i]}" for B (not the same items)`,
        );
      if (x[i] !== y[i])
        throw new Error(
          `paired comparison: test set "${ta.testSet}": item ${i} has true label ${x[i]} for A but ${y[i]} for B (not the same items)`,
        );
    }
  });
  return sa;
}

export function comparePaired(a: RepeatedOutcomes, b: RepeatedOutcomes, metric: MetricId, opts: EstimateOptions): PairedComparison {
  const sizes = checkPaired(a, b);
  const f = METRICS[metric].compute;
  const ia = influenceOf(a, metric),
    ib = influenceOf(b, metric);
  const r = itemPart(
    idsOf(a),
    clustersOf(a, "paired comparison: A"),
    (g, w) => {
      const va = f(a[g].outcomes, w);
      const vb = f(b[g].outcomes, w);
      return [va, vb, va - vb];
    },
    [ia, ib, differenceOf(ia, ib)],
    opts,
  );
  const level = opts.level ?? DEFAULT_LEVEL;
  const [ea, eb, ed] = [0, 1, 2].map((s) => twoLevel(r.full[s], r.covariance[s], level));
  return {
    metric,
    a: ea,
    b: eb,
    diff: ed,
    testSets: a.length,
    items: sizes.reduce((s, n) => s + n, 0),
    distinctItems: r.distinctItems,
    distinctClusters: clusteredCount(r, clustersOf(a, "paired comparison: A") !== undefined),
    exact: exactPairedTest(a, b, metric),
  };
}
