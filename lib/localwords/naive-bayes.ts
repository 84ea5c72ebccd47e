/**
 * Naive Bayes location classifier (local-words paper, Sect. 2.4, Eq. 1–5) in
 * three readings, built from the same small steps as scikit-learn's
 * `_BaseDiscreteNB` (naive_bayes.py): count → prior → per-reading word scores →
 * joint log-likelihood → argmax.
 *
 * With f(w,l) the count of word w in the training texts of location l,
 * F(w) = Σ_l f(w,l), |L| the number of locations and α = 1 (Laplace):
 *
 *   prior (Eq. 1)       log P(l) = log |U_tr,l| / |U_tr|
 *   Eq. 3               P(w | l) = (f(w,l) + α) / (F(w) + α|L|)
 *                       (the paper's "conditional probability", normalised over
 *                       *locations*: it is the smoothed share of w's uses that
 *                       fall at l, i.e. closer to P(l | w) than to a language model)
 *
 * - "user-words" — the paper's method as we implement it (Eq. 3–4 over the
 *   user's words):
 *       log P(l | u) ∝ log P(l) + Σ_{w : f(w,u) > 0} log P(w | l)     (Eq. 3)
 *   The product of Eq. 4 runs over the distinct words in the *user's* text, each
 *   with its smoothed Eq. 3 probability. This is the only reading in which the
 *   smoothing that the text motivates ("some local words may not appear at some
 *   locations, which will make the conditional probabilities … zero") does
 *   anything: a user's word unseen at l contributes log(α / (F(w) + α|L|)) < 0.
 *
 * - "literal" — Eq. 4 exactly as printed, a product over {w_i : f(w_i, l_j) > 0}.
 *   A word never seen at l is skipped there, i.e. contributes log 1 = 0, which is
 *   more than any seen word contributes (every P(w|l) < 1). The more of the
 *   user's words a location has *never* seen, the higher its score: the reading
 *   is degenerate (it predicts the locations with the least evidence) and is kept
 *   only to show that; it never enters a gain or a claim.
 *
 * - "multinomial" — the standard multinomial NB, the reference that matches
 *   scikit-learn's MultinomialNB(alpha=1):
 *       P(w | l) = (f(w,l) + α) / (Σ_{w'∈S} f(w',l) + α|S|)   (S: the features used)
 *       log P(l | u) ∝ log P(l) + Σ_w x_{u,w} log P(w | l)      (counts are exponents)
 *
 * Scores are log-probabilities; ties go to the lowest label index (numpy's
 * argmax). Labels are in Corpus order (sorted, as scikit-learn's classes_).
 */
import { SparseDoc } from "./corpus";

export type NbReading = "user-words" | "multinomial" | "literal";
export const NB_READINGS: readonly NbReading[] = ["user-words", "multinomial", "literal"];

/** How each reading is named in tables (every Table 7 row names its reading). */
export const READING_LABEL: Readonly<Record<NbReading, string>> = {
  "user-words": "Eq. 3–4 over the user's words (f(w,u) > 0)",
  multinomial: "multinomial (= scikit-learn MultinomialNB)",
  literal: "Eq. 4 as printed (f(w,l) > 0; degenerate)",
};

export function describeReading(r: NbReading): string {
  switch (r) {
    case "user-words":
      return "NB of Eq. 3–4 with the product over the user's words, each Laplace-smoothed (the paper's method as we read it)";
    case "literal":
      return "NB of Eq. 4 as printed (product over words seen at the location; degenerate: an unseen word contributes log 1 = 0)";
    case "multinomial":
      return "standard multinomial NB (counts normalised over each location's vocabulary, as scikit-learn MultinomialNB)";
  }
}

/** Whether a user's word enters the sum once (Eq. 4 indexes word types) or by its count (multinomial). */
export const weighsByCount = (r: NbReading): boolean => r === "multinomial";

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
  /** Row of each word in `score` (−1 for a word that is no feature). */
  row: Int32Array;
  /**
   * What prediction multiplies a user's word by, one row per feature word
   * (score[row[w] * L + l]) so the per-term loop over labels is contiguous:
   *   multinomial: log P(w | l) over the location's vocabulary;
   *   user-words:  log P(w | l) of Eq. 3;
   *   literal:     log P(w | l) of Eq. 3 where f(w,l) > 0, else 0 (Eq. 4's index set folded in).
   */
  score: Float64Array;
  features: Uint8Array;
}

/**
 * Per-label word counts and user counts (the "count" step; scikit-learn's _count),
 * over the feature words only: at the papers' size (63k words × 400 cities) the
 * full matrix cost more than the fit itself.
 */
export interface LabelCounts {
  nLabels: number;
  nWords: number;
  /** Row of each word (feature words in ascending id order), −1 for the others. */
  row: Int32Array;
  /** Feature words counted. */
  nRows: number;
  /** Training users per label. */
  classCount: Float64Array;
  /** f(w,l), label-major (byLabel[l * nRows + row[w]]); a reused scratch buffer: read it before the next count. */
  byLabel: Float64Array;
  users: number;
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

/** Count step: f(w,l) of the feature words and users per label. Each user writes into one row of cells, which stays in cache. */
export function countLabelWords(
  docs: readonly SparseDoc[],
  nLabels: number,
  nWords: number,
  features: Uint8Array = new Uint8Array(nWords).fill(1),
): LabelCounts {
  if (docs.length === 0) throw new Error("naive-bayes: no training users");
  const L = nLabels;
  const V = nWords;
  const row = new Int32Array(V);
  let F = 0;
  for (let w = 0; w < V; w++) row[w] = features[w] ? F++ : -1;
  const classCount = new Float64Array(L);
  const byLabel = countScratch(L * F);
  for (const d of docs) {
    const y = d.y;
    if (!(y >= 0 && y < L)) throw new Error(`naive-bayes: user ${d.id}: y: label index ${y} is outside 0..${L - 1}`);
    classCount[y]++;
    const o = y * F;
    for (let i = 0; i < d.terms.length; i++) {
      const w = d.terms[i];
      if (w < V && row[w] >= 0) byLabel[o + row[w]] += d.counts[i];
    }
  }
  return { nLabels: L, nWords: V, row, nRows: F, classCount, byLabel, users: docs.length };
}

/** Prior step (Eq. 1): log P(l) = log(|U_tr,l| / |U_tr|); −∞ for a label without training users. */
export function logPriors(c: Pick<LabelCounts, "classCount" | "users">): Float64Array {
  return c.classCount.map((n) => Math.log(n / c.users));
}

/** log(c + α) for small integer counts c, computed once per fit (same values as calling Math.log each time). */
const LOG_TABLE_SIZE = 256;
function logTable(offset: number): (c: number) => number {
  const table = new Float64Array(LOG_TABLE_SIZE);
  for (let c = 0; c < LOG_TABLE_SIZE; c++) table[c] = Math.log(c + offset);
  return (c) => (c < LOG_TABLE_SIZE && (c | 0) === c ? table[c] : Math.log(c + offset));
}

/**
 * Score step of Eq. 3 (the "user-words" and "literal" readings):
 * score[w,l] = log(f(w,l) + α) − log(F(w) + α|L|), for every l ("user-words") or
 * only where f(w,l) > 0 ("literal"; 0 elsewhere).
 */
export function eq3WordScores(c: LabelCounts, alpha: number, onlySeen: boolean): Float64Array {
  const { nLabels: L, nRows: F, byLabel } = c;
  const logNum = logTable(alpha);
  const logDen = logTable(alpha * L);
  const score = new Float64Array(F * L);
  for (let r = 0, base = 0; r < F; r++, base += L) {
    let total = 0;
    for (let l = 0, o = r; l < L; l++, o += F) total += byLabel[o];
    const den = logDen(total);
    for (let l = 0, o = r; l < L; l++, o += F) {
      const f = byLabel[o];
      if (f > 0 || !onlySeen) score[base + l] = logNum(f) - den;
    }
  }
  return score;
}

/**
 * Score step of the multinomial reading (scikit-learn's _update_feature_log_prob):
 * score[w,l] = log(f(w,l) + α) − log(Σ_{w'∈S} f(w',l) + α|S|).
 */
export function multinomialWordScores(c: LabelCounts, alpha: number): Float64Array {
  const { nLabels: L, nRows: F, byLabel } = c;
  const logNum = logTable(alpha);
  const den = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    let t = 0;
    const o = l * F;
    for (let r = 0; r < F; r++) t += byLabel[o + r];
    den[l] = Math.log(t + alpha * F);
  }
  const score = new Float64Array(F * L);
  for (let r = 0, base = 0; r < F; r++, base += L) for (let l = 0, o = r; l < L; l++, o += F) score[base + l] = logNum(byLabel[o]) - den[l];
  return score;
}

/** Fit = count → prior → the reading's score step. */
export function fitNb(docs: readonly SparseDoc[], nLabels: number, nWords: number, opts: NbOptions): NbModel {
  const alpha = opts.alpha ?? 1;
  if (!(alpha > 0)) throw new Error(`naive-bayes: alpha must be > 0, got ${alpha}`);
  if (!NB_READINGS.includes(opts.reading))
    throw new Error(`naive-bayes: reading: "${opts.reading}" is not one of ${NB_READINGS.join(", ")}`);
  const features = opts.features ?? new Uint8Array(nWords).fill(1);
  if (features.length !== nWords) throw new Error(`naive-bayes: features mask has ${features.length} entries, vocabulary has ${nWords}`);
  const counts = countLabelWords(docs, nLabels, nWords, features);
  const logPrior = logPriors(counts);
  const score =
    opts.reading === "multinomial" ? multinomialWordScores(counts, alpha) : eq3WordScores(counts, alpha, opts.reading === "literal");
  return { reading: opts.reading, alpha, nLabels, nWords, logPrior, row: counts.row, score, features };
}

/** Scratch for the product below: one user's usable terms (row offsets and weights). */
interface Scratch {
  base: Int32Array;
  x: Float64Array;
}
const newScratch = (n: number): Scratch => ({ base: new Int32Array(n), x: new Float64Array(n) });

/**
 * out = logPrior + Σ_terms x_w · score[w, ·] (x_w = count for the multinomial
 * reading, 1 for Eq. 4's word types): a sparse row times the dense word-major
 * matrix, four terms per pass over the labels.
 */
function accumulate(m: NbModel, d: SparseDoc, out: Float64Array, scratch: Scratch): Scratch {
  const L = m.nLabels;
  const V = m.nWords;
  const sc = m.score;
  const row = m.row;
  const terms = d.terms;
  const counts = d.counts;
  const byCount = weighsByCount(m.reading);
  if (scratch.base.length < terms.length) scratch = newScratch(terms.length);
  const B = scratch.base;
  const X = scratch.x;
  let n = 0;
  for (let i = 0; i < terms.length; i++) {
    const w = terms[i];
    if (w >= V || row[w] < 0 || !(counts[i] > 0)) continue;
    B[n] = row[w] * L;
    X[n] = byCount ? counts[i] : 1;
    n++;
  }
  out.set(m.logPrior);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b0 = B[i],
      b1 = B[i + 1],
      b2 = B[i + 2],
      b3 = B[i + 3];
    const x0 = X[i],
      x1 = X[i + 1],
      x2 = X[i + 2],
      x3 = X[i + 3];
    for (let l = 0; l < L; l++) out[l] += x0 * sc[b0 + l] + x1 * sc[b1 + l] + x2 * sc[b2 + l] + x3 * sc[b3 + l];
  }
  for (; i < n; i++) {
    const b = B[i];
    const x = X[i];
    for (let l = 0; l < L; l++) out[l] += x * sc[b + l];
  }
  return scratch;
}

/** Joint log-likelihood log P(l) + log P(u | l) for every label (unnormalised log posterior). */
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
    out[i] = argmax(buf);
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
