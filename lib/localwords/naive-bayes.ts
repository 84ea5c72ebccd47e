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
  /** log P(w | l), word-major: logProb[w * L + l]; 0 for masked-out words. */
  logProb: Float64Array;
  /** Printed reading: 1 where f_{w,l} > 0 (Eq. 4's index set). */
  seen: Uint8Array;
  features: Uint8Array;
}

export function describeReading(r: NbReading): string {
  return r === "printed"
    ? "NB as printed (Eq. 2–4: counts normalised over locations, product over the user's words seen at the location)"
    : "standard multinomial NB (counts normalised over each location's vocabulary, as scikit-learn MultinomialNB)";
}

export function fitNb(docs: readonly SparseDoc[], nLabels: number, nWords: number, opts: NbOptions): NbModel {
  const alpha = opts.alpha ?? 1;
  if (!(alpha > 0)) throw new Error(`naive-bayes: alpha must be > 0, got ${alpha}`);
  if (docs.length === 0) throw new Error("naive-bayes: no training users");
  const features = opts.features ?? new Uint8Array(nWords).fill(1);
  if (features.length !== nWords) throw new Error(`naive-bayes: features mask has ${features.length} entries, vocabulary has ${nWords}`);
  const L = nLabels;
  const classCount = new Float64Array(L);
  for (const d of docs) classCount[d.y]++;
  const logPrior = new Float64Array(L);
  for (let l = 0; l < L; l++) logPrior[l] = Math.log(classCount[l] / docs.length);
  const f = labelWordCounts(docs, L, nWords);
  const logProb = new Float64Array(nWords * L);
  const seen = new Uint8Array(nWords * L);
  if (opts.reading === "printed") {
    for (let w = 0; w < nWords; w++) {
      if (!features[w]) continue;
      let total = 0;
      for (let l = 0; l < L; l++) total += f[w * L + l];
      const denom = Math.log(total + alpha * L);
      for (let l = 0; l < L; l++) {
        const c = f[w * L + l];
        logProb[w * L + l] = Math.log(c + alpha) - denom;
        seen[w * L + l] = c > 0 ? 1 : 0;
      }
    }
  } else {
    let nFeatures = 0;
    for (let w = 0; w < nWords; w++) nFeatures += features[w];
    const classTotal = new Float64Array(L);
    for (let w = 0; w < nWords; w++) if (features[w]) for (let l = 0; l < L; l++) classTotal[l] += f[w * L + l];
    const denom = Float64Array.from(classTotal, (t) => Math.log(t + alpha * nFeatures));
    for (let w = 0; w < nWords; w++) {
      if (!features[w]) continue;
      for (let l = 0; l < L; l++) {
        logProb[w * L + l] = Math.log(f[w * L + l] + alpha) - denom[l];
        seen[w * L + l] = 1;
      }
    }
  }
  return { reading: opts.reading, alpha, nLabels: L, nWords, logPrior, logProb, seen, features };
}

/** Joint log-likelihood log P(l) + log P(u | l) for every label (unnormalised log posterior). */
export function jointLogLikelihood(m: NbModel, d: SparseDoc, out = new Float64Array(m.nLabels)): Float64Array {
  const L = m.nLabels;
  const V = m.nWords;
  const lp = m.logProb;
  const feat = m.features;
  const terms = d.terms;
  const counts = d.counts;
  out.set(m.logPrior);
  // Two monomorphic loops (the reading is fixed per model): this is the predict hot path.
  if (m.reading === "printed") {
    const seen = m.seen;
    for (let i = 0; i < terms.length; i++) {
      const w = terms[i];
      if (w >= V || feat[w] === 0) continue;
      const base = w * L;
      for (let l = 0; l < L; l++) if (seen[base + l] === 1) out[l] += lp[base + l];
    }
  } else {
    for (let i = 0; i < terms.length; i++) {
      const w = terms[i];
      if (w >= V || feat[w] === 0) continue;
      const base = w * L;
      const x = counts[i];
      for (let l = 0; l < L; l++) out[l] += x * lp[base + l];
    }
  }
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
  for (let i = 0; i < docs.length; i++) out[i] = argmax(jointLogLikelihood(m, docs[i], buf));
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
