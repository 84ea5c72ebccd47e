/**
 * Metrics as functions of per-item outcomes over a subset of items, so that a
 * bootstrap can recompute them on resampled items (./bootstrap.ts) and two
 * systems can be compared on the same items (./paired.ts).
 *
 * An item is one test post (MRLF) or one test user (local words). Definitions
 * follow the papers and lib/metrics/: Acc = share predicted exactly; Mean /
 * median km = distance from the predicted location's centre to the item's own
 * coordinates; Acc@161 = share within 161 km (100 miles, the GeoText
 * convention); Acc@1 km for posts; macro precision / recall / F1 = mean over the
 * classes present in the (resampled) truth or predictions, 0 where a
 * denominator is 0 — scikit-learn's `average="macro", zero_division=0`.
 */
export interface Outcomes {
  /** True class per item. */
  truth: Int32Array;
  /** Predicted class per item. */
  predicted: Int32Array;
  /** Error in km per item (predicted centre → the item's coordinates), when known. */
  errorKm?: Float64Array;
}

export type MetricId = "acc" | "meanKm" | "medianKm" | "accAt161" | "accAt1km" | "macroPrecision" | "macroRecall" | "macroF1";

export interface MetricSpec {
  id: MetricId;
  label: string;
  /** "proportion" metrics are shown in percentage points when differenced. */
  unit: "proportion" | "km";
  /** Which way is better. */
  better: "higher" | "lower";
  /** The metric over the items `idx` (indices may repeat: a bootstrap resample). */
  compute(o: Outcomes, idx: ArrayLike<number>): number;
}

/** Check one system's outcomes; returns the item count. */
export function checkOutcomes(o: Outcomes, what = "outcomes"): number {
  const n = o.truth.length;
  if (n === 0) throw new Error(`${what}: no items`);
  if (o.predicted.length !== n) throw new Error(`${what}: ${o.predicted.length} predictions for ${n} true labels`);
  if (o.errorKm && o.errorKm.length !== n) throw new Error(`${what}: ${o.errorKm.length} errors (km) for ${n} items`);
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

/** Per-item 0/1 flags, computed once per outcomes object and condition (a bootstrap asks for them 2,000 times). */
const flagMemo = new WeakMap<object, Map<string, Uint8Array>>();
function flags(o: Outcomes, key: string, make: () => Uint8Array): Uint8Array {
  let m = flagMemo.get(o);
  if (!m) flagMemo.set(o, (m = new Map()));
  let f = m.get(key);
  if (!f) m.set(key, (f = make()));
  return f;
}

function shareOf(idx: ArrayLike<number>, ok: Uint8Array): number {
  let c = 0;
  for (let j = 0; j < idx.length; j++) c += ok[idx[j]];
  return c / idx.length;
}

const correct = (o: Outcomes): Uint8Array =>
  flags(o, "correct", () => Uint8Array.from({ length: o.truth.length }, (_, i) => (o.truth[i] === o.predicted[i] ? 1 : 0)));
const within = (o: Outcomes, km: number, e: Float64Array): Uint8Array =>
  flags(o, `within ${km}`, () => Uint8Array.from(e, (x) => (x <= km ? 1 : 0)));

/** Items in ascending order of their errors (once per outcomes object). */
const orderMemo = new WeakMap<Float64Array, Int32Array>();
function ascending(e: Float64Array): Int32Array {
  let ord = orderMemo.get(e);
  if (!ord) {
    ord = Int32Array.from({ length: e.length }, (_, i) => i).sort((a, b) => e[a] - e[b]);
    orderMemo.set(e, ord);
  }
  return ord;
}

let multiplicity = new Int32Array(0);
/**
 * The median of e over the items idx (with repeats): the values at ranks m−1
 * and m of the sorted multiset, found by walking the items in error order with
 * each one's multiplicity — the same number as sorting the resampled values,
 * in O(items) instead of O(n log n).
 */
function medianOver(e: Float64Array, idx: ArrayLike<number>): number {
  const n = idx.length;
  if (multiplicity.length < e.length) multiplicity = new Int32Array(e.length);
  const mult = multiplicity;
  for (let j = 0; j < n; j++) mult[idx[j]]++;
  const ord = ascending(e);
  const m = n >> 1;
  const want = n % 2 ? m : m - 1; // rank of the lower of the two middle values
  let seen = 0;
  let lo = NaN;
  let hi = NaN;
  for (let q = 0; q < ord.length; q++) {
    const c = mult[ord[q]];
    if (c === 0) continue;
    if (Number.isNaN(lo) && seen + c > want) lo = e[ord[q]];
    if (seen + c > m) {
      hi = e[ord[q]];
      break;
    }
    seen += c;
  }
  for (let j = 0; j < n; j++) mult[idx[j]] = 0;
  return n % 2 ? hi : (lo + hi) / 2;
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

/** Macro precision, recall and F1 over the classes present in the resampled truth or predictions. */
export function macroScores(o: Outcomes, idx: ArrayLike<number>): { precision: number; recall: number; f1: number } {
  const K = labelCount(o);
  const tp = new Int32Array(K);
  const pc = new Int32Array(K);
  const tc = new Int32Array(K);
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j];
    const t = o.truth[i];
    const p = o.predicted[i];
    tc[t]++;
    pc[p]++;
    if (t === p) tp[t]++;
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
  return { precision: sp / classes, recall: sr / classes, f1: sf / classes };
}

export const METRICS: Record<MetricId, MetricSpec> = {
  acc: {
    id: "acc",
    label: "Acc",
    unit: "proportion",
    better: "higher",
    compute: (o, idx) => shareOf(idx, correct(o)),
  },
  meanKm: {
    id: "meanKm",
    label: "Mean km",
    unit: "km",
    better: "lower",
    compute: (o, idx) => {
      const e = needKm(o, "meanKm");
      let s = 0;
      for (let j = 0; j < idx.length; j++) s += e[idx[j]];
      return s / idx.length;
    },
  },
  medianKm: {
    id: "medianKm",
    label: "Median km",
    unit: "km",
    better: "lower",
    compute: (o, idx) => medianOver(needKm(o, "medianKm"), idx),
  },
  accAt161: {
    id: "accAt161",
    label: "Acc@161",
    unit: "proportion",
    better: "higher",
    compute: (o, idx) => {
      const e = needKm(o, "accAt161");
      return shareOf(idx, within(o, 161, e));
    },
  },
  accAt1km: {
    id: "accAt1km",
    label: "Acc@1 km",
    unit: "proportion",
    better: "higher",
    compute: (o, idx) => {
      const e = needKm(o, "accAt1km");
      return shareOf(idx, within(o, 1, e));
    },
  },
  macroPrecision: {
    id: "macroPrecision",
    label: "Macro P",
    unit: "proportion",
    better: "higher",
    compute: (o, idx) => macroScores(o, idx).precision,
  },
  macroRecall: {
    id: "macroRecall",
    label: "Macro R",
    unit: "proportion",
    better: "higher",
    compute: (o, idx) => macroScores(o, idx).recall,
  },
  macroF1: { id: "macroF1", label: "Macro F1", unit: "proportion", better: "higher", compute: (o, idx) => macroScores(o, idx).f1 },
};

export const allItems = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** A metric on every item. */
export const metricOf = (o: Outcomes, id: MetricId): number => METRICS[id].compute(o, allItems(checkOutcomes(o)));
