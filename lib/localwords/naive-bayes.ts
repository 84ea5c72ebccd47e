/**
 * Naive Bayes location classifier (local-words paper, Sect. 2.4, Eq. 1–5), in
 * two readings selected by `reading`:
 *
 * - "printed" — the equations exactly as printed:
 *     P(l_j)       = |U_tr,j| / |U_tr|                                     (1)
 *     P(w_i | l_j) = (f_{w_i,l_j} + 1) / (Σ_j' f_{w_i,l_j'} + |L|)         (3, Laplace-smoothed Eq. 2)
 *     P(l_j | u)   = P(l_j) · Π_{w_i ∈ u, f_{w_i,l_j} > 0} P(w_i | l_j)      (4)
 *     l(u)         = argmax_j P(l_j | u)                                   (5)
 *   A word's count is normalised over *locations* (Eq. 2/3), and the product
 *   runs only over the user's words seen at l_j in training. Eq. 4 indexes word
 *   types (w_i), so each distinct word of the user contributes once — our
 *   reading of an equation that does not mention multiplicities.
 *
 * - "multinomial" — the standard multinomial NB (scikit-learn MultinomialNB,
 *   alpha = 1): P(w | l) = (f_{w,l} + α) / (Σ_w' f_{w',l} + α·|V|), and the user's
 *   counts are exponents: log P(l|u) ∝ log P(l) + Σ_w x_w log P(w|l).
 *
 * Scores are log-probabilities; ties go to the lowest label index (as numpy's
 * argmax). Labels are in Corpus order (sorted, as scikit-learn's classes_).
 */
import { SparseDoc, labelWordCounts } from "./corpus";

export type NbReading = "printed" | "multinomial";
export const NB_READINGS: readonly NbReading[] = ["printed", "multinomial"];

export interface NbOptions {
  reading: NbReading;
  /** Laplace/Lidstone smoothing (the paper: 1). */
  alpha?: number;
  /** Feature mask over the vocabulary (1 = use the word); default all words. */
  features?: Uint8Array;
}

export interface NbModel {
  reading: NbReading;
  alpha: number;
  nLabels: number;
  nWords: number;
  logPrior: Float64Array;
  /**
   * What prediction multiplies a user's word by, word-major (score[w * L + l]) so
   * the per-term loop over labels is contiguous:
   *   multinomial: log P(w | l);
   *   printed:     log P(w | l) where f_{w,l} > 0, else 0 (Eq. 4's index set folded in).
   * 0 for masked-out words.
   */
  score: Float64Array;
  features: Uint8Array;
}

export function describeReading(r: NbReading): string {
  return r === "printed"
    ? "NB as printed (Eq. 2–4: counts normalised over locations, product over the user's words seen at the location)"
    : "standard multinomial NB (counts normalised over each location's vocabulary, as scikit-learn MultinomialNB)";
}

/**
 * The label-major count buffer is temporary: reuse one across fits (up to 16 MB)
 * so repeated fits (the wrapper, sweeps, benches) do not churn 2 MB+ ArrayBuffers,
 * which in a process with a large heap triggers full garbage collections.
 */
let scratchCounts = new Float64Array(0);
const SCRATCH_MAX = 2 * 1024 * 1024; // elements (16 MB)
function countScratch(size: number): Float64Array {
  if (size > SCRATCH_MAX) return new Float64Array(size);
  if (scratchCounts.length < size) scratchCounts = new Float64Array(size);
  const view = scratchCounts.subarray(0, size);
  view.fill(0);
  return view;
}

/** log(c + α) for small integer counts c, computed once per fit (same values as calling Math.log each time). */
const LOG_TABLE_SIZE = 256;

/**
 * Fit. Counts are accumulated label-major (each user writes into one row of V
 * cells, which stays in cache), then transposed into the word-major score matrix
 * while being turned into scores. Most f_{w,l} are 0 and most others are small
 * integers, so the logarithms come from a per-fit table of log(c + α); the values
 * are bit-identical to calling Math.log for each cell.
 */
export function fitNb(docs: readonly SparseDoc[], nLabels: number, nWords: number, opts: NbOptions): NbModel {
  const alpha = opts.alpha ?? 1;
  if (!(alpha > 0)) throw new Error(`naive-bayes: alpha must be > 0, got ${alpha}`);
  if (docs.length === 0) throw new Error("naive-bayes: no training users");
  const features = opts.features ?? new Uint8Array(nWords).fill(1);
  if (features.length !== nWords) throw new Error(`naive-bayes: features mask has ${features.length} entries, vocabulary has ${nWords}`);
  const L = nLabels;
  const V = nWords;
  const classCount = new Float64Array(L);
  const byLabel = countScratch(L * V); // f[l * V + w]
  for (let k = 0; k < docs.length; k++) {
    const d = docs[k];
    const y = d.y;
    if (!(y >= 0 && y < L)) throw new Error(`naive-bayes: user ${d.id}: y: label index ${y} is outside 0..${L - 1}`);
    classCount[y]++;
    const terms = d.terms;
    const counts = d.counts;
    const o = y * V;
    for (let i = 0; i < terms.length; i++) {
      const w = terms[i];
      if (w < V) byLabel[o + w] += counts[i];
    }
  }
  const logPrior = new Float64Array(L);
  for (let l = 0; l < L; l++) logPrior[l] = Math.log(classCount[l] / docs.length);
  const logTable = new Float64Array(LOG_TABLE_SIZE);
  for (let c = 0; c < LOG_TABLE_SIZE; c++) logTable[c] = Math.log(c + alpha);
  const logC = (c: number) => (c < LOG_TABLE_SIZE && (c | 0) === c ? logTable[c] : Math.log(c + alpha));
  const score = new Float64Array(V * L);
  if (opts.reading === "printed") {
    const logDenomTable = new Float64Array(LOG_TABLE_SIZE);
    for (let c = 0; c < LOG_TABLE_SIZE; c++) logDenomTable[c] = Math.log(c + alpha * L);
    for (let w = 0, base = 0; w < V; w++, base += L) {
      if (!features[w]) continue;
      let total = 0;
      for (let l = 0, o = w; l < L; l++, o += V) total += byLabel[o];
      const denom = total < LOG_TABLE_SIZE && (total | 0) === total ? logDenomTable[total] : Math.log(total + alpha * L);
      for (let l = 0, o = w; l < L; l++, o += V) {
        const c = byLabel[o];
        if (c > 0) score[base + l] = logC(c) - denom;
      }
    }
  } else {
    let nFeatures = 0;
    for (let w = 0; w < V; w++) nFeatures += features[w];
    const denom = new Float64Array(L);
    const zeroScore = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      let t = 0;
      const o = l * V;
      for (let w = 0; w < V; w++) if (features[w]) t += byLabel[o + w];
      denom[l] = Math.log(t + alpha * nFeatures);
      zeroScore[l] = logTable[0] - denom[l];
    }
    for (let w = 0, base = 0; w < V; w++, base += L) {
      if (!features[w]) continue;
      for (let l = 0, o = w; l < L; l++, o += V) {
        const c = byLabel[o];
        score[base + l] = c > 0 ? logC(c) - denom[l] : zeroScore[l];
      }
    }
  }
  return { reading: opts.reading, alpha, nLabels: L, nWords: V, logPrior, score, features };
}

/** Scratch for the product below: one user's usable terms (row offsets and weights). */
interface Scratch {
  base: Int32Array;
  x: Float64Array;
}
const newScratch = (n: number): Scratch => ({ base: new Int32Array(n), x: new Float64Array(n) });

/**
 * out = logPrior + Σ_terms x_w · score[w, ·]: a sparse row times the dense
 * word-major matrix, four terms per pass over the labels (one load/store of out
 * per four terms).
 */
function accumulate(m: NbModel, d: SparseDoc, out: Float64Array, scratch: Scratch): Scratch {
  const L = m.nLabels;
  const V = m.nWords;
  const sc = m.score;
  const feat = m.features;
  const terms = d.terms;
  const counts = d.counts;
  const byCount = m.reading === "multinomial";
  if (scratch.base.length < terms.length) scratch = newScratch(terms.length);
  const B = scratch.base;
  const X = scratch.x;
  let n = 0;
  for (let i = 0; i < terms.length; i++) {
    const w = terms[i];
    if (w >= V || feat[w] === 0) continue;
    B[n] = w * L;
    X[n] = byCount ? counts[i] : 1;
    n++;
  }
  out.set(m.logPrior);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b0 = B[i], b1 = B[i + 1], b2 = B[i + 2], b3 = B[i + 3];
    const x0 = X[i], x1 = X[i + 1], x2 = X[i + 2], x3 = X[i + 3];
    for (let l = 0; l < L; l++) out[l] += x0 * sc[b0 + l] + x1 * sc[b1 + l] + x2 * sc[b2 + l] + x3 * sc[b3 + l];
  }
  for (; i < n; i++) {
    const b = B[i];
    const x = X[i];
    for (let l = 0; l < L; l++) out[l] += x * sc[b + l];
  }
  return scratch;
}

/**
 * Joint log-likelihood log P(l) + log P(u | l) for every label (unnormalised log
 * posterior). Multinomial: the user's counts weigh the word scores; printed: each
 * distinct word weighs 1 (Eq. 4 indexes word types).
 */
export function jointLogLikelihood(m: NbModel, d: SparseDoc, out = new Float64Array(m.nLabels)): Float64Array {
  accumulate(m, d, out, newScratch(d.terms.length));
  return out;
}

/** Index of the largest value; the first on ties. */
export function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

export function predictNb(m: NbModel, docs: readonly SparseDoc[]): Int32Array {
  const out = new Int32Array(docs.length);
  const buf = new Float64Array(m.nLabels);
  let scratch = newScratch(256);
  for (let i = 0; i < docs.length; i++) {
    scratch = accumulate(m, docs[i], buf, scratch);
    let best = 0;
    for (let l = 1; l < buf.length; l++) if (buf[l] > buf[best]) best = l;
    out[i] = best;
  }
  return out;
}

/** Normalised log posterior (log-sum-exp), as scikit-learn's predict_log_proba. */
export function logPosterior(m: NbModel, d: SparseDoc): Float64Array {
  const j = jointLogLikelihood(m, d);
  let mx = -Infinity;
  for (const v of j) if (v > mx) mx = v;
  let s = 0;
  for (const v of j) s += Math.exp(v - mx);
  const lse = mx + Math.log(s);
  return j.map((v) => v - lse);
}

/** Mask with 1 for the given word ids. */
export function maskOf(nWords: number, ids: Iterable<number>): Uint8Array {
  const m = new Uint8Array(nWords);
  for (const i of ids) m[i] = 1;
  return m;
}
