/**
 * Metrics as functions of per-item outcomes and per-item *weights*, so that a
 * bootstrap can recompute them on resampled items (./item-bootstrap.ts: a
 * replicate gives each distinct item a multinomial count, and an item counted
 * twice weighs twice) and two systems can be compared on the same items
 * (./paired.ts). With unit weights every metric is the plain one.
 *
 * An item is one test post (MRLF) or one test user (local words). Definitions
 * follow the papers and lib/metrics/, with item i weighing w_i ≥ 0 (W = Σ w_i):
 *
 *   Acc          = Σ w_i 1[ŷ_i = y_i] / W
 *   Mean km      = Σ w_i e_i / W            (e_i: km from the predicted centre to the item)
 *   Median km    = the weighted median of e (smallest e_(j) whose cumulative weight ≥ W/2;
 *                  the midpoint of two order statistics when it is exactly W/2 — with unit
 *                  weights, numpy's median)
 *   Acc@161      = Σ w_i 1[e_i ≤ 161] / W   (100 miles, the GeoText convention); Acc@1 km likewise
 *   macro P/R/F1 = the mean over the classes present in the (weighted) truth or predictions of
 *                  per-class precision tp_c/(tp_c + fp_c), recall tp_c/(tp_c + fn_c) and F1, the
 *                  counts being sums of weights; 0 where a denominator is 0 — scikit-learn's
 *                  `average="macro", zero_division=0` (with sample_weight: the same sums).
 *
 * `ids` names each item (post id, user id): the same id in two test sets is
 * the same item, which is what lets test sets that share users be resampled
 * with one weight per user.
 *
 * Influence. The item means (Acc, Mean km, Acc@…) give `influence(o)`, their
 * derivative ∂M/∂w_i = (v_i − M)/n at unit weights (summing to 0), from which
 * lib/stats/item-covariance.ts computes the bootstrap's item covariance in
 * closed form. The macro scores and the median give none, on purpose: they are
 * far from linear in the weights where classes are small. Measured on one test
 * set of 1,850 users over Zipf-sized classes, the derivative of macro P/R/F1
 * (as ratios of weighted class counts, K held) understated the bootstrap's sd by
 * 1–8 % with 49 classes and by 31–40 % with 378 (GeoText's cities: most classes
 * hold a few test users, and resampling makes them appear and vanish).
 */
export interface Outcomes {
  /** True class per item. */
  truth: Int32Array;
  /** Predicted class per item. */
  predicted: Int32Array;
  /** Error in km per item (predicted centre → the item's coordinates), when known. */
  errorKm?: Float64Array;
  /** Stable id per item (post id, user id): one item in several test sets is one item. */
  ids?: readonly string[];
  /**
   * The resampling unit of each item when items are not independent draws — one Flickr owner's photos share
   * coordinates, tags and a camera — so a replicate draws owners, and every item of an owner takes the owner's
   * weight (./item-bootstrap.ts). Absent: each item is its own unit.
   */
  clusters?: readonly string[];
}

export type MetricId = "acc" | "meanKm" | "medianKm" | "accAt161" | "accAt1km" | "macroPrecision" | "macroRecall" | "macroF1";

export interface MetricSpec {
  id: MetricId;
  label: string;
  /** "proportion" metrics are shown in percentage points when differenced. */
  unit: "proportion" | "km";
  /** Which way is better. */
  better: "higher" | "lower";
  /** The metric with item i weighing w[i] ≥ 0 (Σ w > 0). */
  compute(o: Outcomes, w: ArrayLike<number>): number;
  /**
   * The metric is a weighted mean of a per-item value (Acc, Mean km, Acc@…): the
   * value of item i, for the exact sign test over distinct items (./exact.ts). Absent
   * for medians and macro scores, which do not decompose over items.
   */
  perItem?(o: Outcomes, i: number): number;
  /** For an item mean: ∂metric/∂w_i at unit weights, for every item (module comment). */
  influence?(o: Outcomes): Float64Array;
}

/** Check one system's outcomes; returns the item count. */
export function checkOutcomes(o: Outcomes, what = "outcomes"): number {
  const n = o.truth.length;
  if (n === 0) throw new Error(`${what}: no items`);
  if (o.predicted.length !== n) throw new Error(`${what}: ${o.predicted.length} predictions for ${n} true labels`);
  if (o.errorKm && o.errorKm.length !== n) throw new Error(`${what}: ${o.errorKm.length} errors (km) for ${n} items`);
  if (o.ids && o.ids.length !== n) throw new Error(`${what}: ${o.ids.length} item ids for ${n} items`);
  if (o.clusters && o.clusters.length !== n) throw new Error(`${what}: ${o.clusters.length} cluster ids for ${n} items`);
  for (let i = 0; i < n; i++) {
    if (o.truth[i] < 0 || o.predicted[i] < 0)
      throw new Error(`${what}: item ${i}: labels must be non-negative (truth ${o.truth[i]}, predicted ${o.predicted[i]})`);
    if (o.errorKm && !(o.errorKm[i] >= 0)) throw new Error(`${what}: item ${i}: errorKm: ${o.errorKm[i]} is not a distance`);
  }
  return n;
}

const needKm = (o: Outcomes, id: MetricId): Float64Array => {
  if (!o.errorKm) throw new Error(`metric ${id}: these outcomes have no errorKm (no coordinates)`);
  return o.errorKm;
};

/** Σ w_i v(i) / Σ w_i. */
function weightedMean(w: ArrayLike<number>, v: (i: number) => number): number {
  let s = 0,
    W = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    s += wi * v(i);
    W += wi;
  }
  if (!(W > 0)) throw new Error("metric: the weights sum to 0 (no item to score)");
  return s / W;
}

/** Item order by value, computed once per values array (a bootstrap evaluates the median thousands of times). */
const sortedOrder = new WeakMap<ArrayLike<number>, Int32Array>();
function orderOf(values: ArrayLike<number>): Int32Array {
  let o = sortedOrder.get(values);
  if (!o) {
    o = Int32Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
    if (typeof values === "object") sortedOrder.set(values, o);
  }
  return o;
}

/** Weighted median (see the module comment); with unit weights, numpy's median. */
export function weightedMedian(values: ArrayLike<number>, w: ArrayLike<number>): number {
  const order = orderOf(values);
  let W = 0;
  for (let i = 0; i < w.length; i++) W += w[i];
  if (!(W > 0)) throw new Error("metric: the weights sum to 0 (no item to score)");
  let cum = 0;
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    if (w[i] === 0) continue;
    cum += w[i];
    if (cum === W / 2) {
      // Exactly half the weight at or below this item: the midpoint with the next item that has weight.
      for (let k = j + 1; k < order.length; k++) if (w[order[k]] > 0) return (values[i] + values[order[k]]) / 2;
      return values[i];
    }
    if (cum > W / 2) return values[i];
  }
  return values[order[order.length - 1]];
}

/**
 * The median of a list: the weighted median with unit weights (numpy's median: the middle value, or
 * the mean of the two middle values). An empty list has no median: an error, never NaN.
 */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0) throw new Error("median: an empty list has no median");
  return weightedMedian(xs, unitWeights(xs.length));
}

const maxLabel = new WeakMap<Outcomes, number>();
function labelCount(o: Outcomes): number {
  let k = maxLabel.get(o);
  if (k === undefined) {
    k = 0;
    for (let i = 0; i < o.truth.length; i++) k = Math.max(k, o.truth[i] + 1, o.predicted[i] + 1);
    maxLabel.set(o, k);
  }
  return k;
}

/** Macro precision, recall and F1 over the classes present in the weighted truth or predictions. */
export function macroScores(o: Outcomes, w: ArrayLike<number>): { precision: number; recall: number; f1: number } {
  const K = labelCount(o);
  const tp = new Float64Array(K);
  const pc = new Float64Array(K);
  const tc = new Float64Array(K);
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const t = o.truth[i];
    const p = o.predicted[i];
    tc[t] += wi;
    pc[p] += wi;
    if (t === p) tp[t] += wi;
  }
  let sp = 0,
    sr = 0,
    sf = 0,
    classes = 0;
  for (let c = 0; c < K; c++) {
    if (tc[c] === 0 && pc[c] === 0) continue;
    classes++;
    const prec = pc[c] > 0 ? tp[c] / pc[c] : 0;
    const rec = tc[c] > 0 ? tp[c] / tc[c] : 0;
    sp += prec;
    sr += rec;
    sf += prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
  }
  if (classes === 0) throw new Error("metric: the weights sum to 0 (no item to score)");
  return { precision: sp / classes, recall: sr / classes, f1: sf / classes };
}

const correct = (o: Outcomes, i: number): number => (o.truth[i] === o.predicted[i] ? 1 : 0);

/**
 * A metric that is the weighted mean of a per-item value: `compute`, `perItem` (the exact tests) and
 * `influence` (the closed-form item covariance), all from the one value. `valueOf(o)` checks what it
 * needs once and returns item i's value.
 */
function itemMean(spec: Pick<MetricSpec, "id" | "label" | "unit" | "better">, valueOf: (o: Outcomes) => (i: number) => number): MetricSpec {
  const compute = (o: Outcomes, w: ArrayLike<number>): number => weightedMean(w, valueOf(o));
  return {
    ...spec,
    compute,
    perItem: (o, i) => valueOf(o)(i),
    // (v_i − M)/n, M the plain mean as `compute` gives it.
    influence: (o) => {
      const n = o.truth.length;
      const v = valueOf(o);
      const m = compute(o, unitWeights(n));
      return Float64Array.from({ length: n }, (_, i) => (v(i) - m) / n);
    },
  };
}

/** Item i's km error ≤ `km`: 1 or 0. */
const within =
  (id: MetricId, km: number) =>
  (o: Outcomes): ((i: number) => number) => {
    const e = needKm(o, id);
    return (i) => (e[i] <= km ? 1 : 0);
  };

export const METRICS: Record<MetricId, MetricSpec> = {
  acc: itemMean({ id: "acc", label: "Acc", unit: "proportion", better: "higher" }, (o) => (i) => correct(o, i)),
  meanKm: itemMean({ id: "meanKm", label: "Mean km", unit: "km", better: "lower" }, (o) => {
    const e = needKm(o, "meanKm");
    return (i) => e[i];
  }),
  medianKm: {
    id: "medianKm",
    label: "Median km",
    unit: "km",
    better: "lower",
    compute: (o, w) => weightedMedian(needKm(o, "medianKm"), w),
  },
  accAt161: itemMean({ id: "accAt161", label: "Acc@161", unit: "proportion", better: "higher" }, within("accAt161", 161)),
  accAt1km: itemMean({ id: "accAt1km", label: "Acc@1 km", unit: "proportion", better: "higher" }, within("accAt1km", 1)),
  macroPrecision: {
    id: "macroPrecision",
    label: "Macro P",
    unit: "proportion",
    better: "higher",
    compute: (o, w) => macroScores(o, w).precision,
  },
  macroRecall: {
    id: "macroRecall",
    label: "Macro R",
    unit: "proportion",
    better: "higher",
    compute: (o, w) => macroScores(o, w).recall,
  },
  macroF1: {
    id: "macroF1",
    label: "Macro F1",
    unit: "proportion",
    better: "higher",
    compute: (o, w) => macroScores(o, w).f1,
  },
};

/** Unit weights for n items: the plain metric. */
export const unitWeights = (n: number): Float64Array => new Float64Array(n).fill(1);

/** A metric on every item. */
export const metricOf = (o: Outcomes, id: MetricId): number => METRICS[id].compute(o, unitWeights(checkOutcomes(o)));
