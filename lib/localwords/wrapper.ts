/**
 * Wrapper feature selection over word clusters by sequential backward search
 * (local-words paper, Algorithm 2, Sect. 2.3).
 *
 * Start from all k clusters. Each round, remove each cluster in turn from the
 * current subset, score the resulting subset by the 5-fold cross-validated
 * Naive Bayes error on the training set, and keep the best removal if its
 * error is strictly lower than the current subset's; stop otherwise.
 *
 * Making a candidate cheap. NB's joint log-likelihood splits over clusters.
 * For every held-out user d (of fold φ, trained on the other folds), label l
 * and cluster c we precompute once, with P_φ(w|l) = (f_φ(w,l)+α)/(F_φ(w)+α|L|) (Eq. 3):
 *   user-words:  A[d,l,c] = Σ_{w ∈ d∩c} log P_φ(w|l)
 *   literal:     A[d,l,c] = Σ_{w ∈ d∩c, f_φ(w,l) > 0} log P_φ(w|l)
 *   multinomial: A[d,l,c] = Σ_{w ∈ d∩c} x_{d,w} log(f_φ(w,l)+α),  n[d,c] = Σ_{w ∈ d∩c} x_{d,w},
 *                N[φ,l,c] = Σ_{w∈c} f_φ(w,l),  V[c] = |c|
 * and a subset S scores
 *   user-words, literal: log P_φ(l) + Σ_{c∈S} A[d,l,c]
 *   multinomial:         log P_φ(l) + Σ_{c∈S} A[d,l,c] − (Σ_{c∈S} n[d,c]) · log(Σ_{c∈S} N[φ,l,c] + α Σ_{c∈S} V[c])
 * exactly as a NB refitted on the words of S would (Eq. 3's normaliser is per
 * word, so only the multinomial one depends on S). With the running sums over
 * the current subset kept, removing one cluster costs O(users × labels).
 * The same precomputation scores any union of word groups, which is how the
 * N2 of NB+IGR is tuned by the same cross-validation (./tune.ts).
 *
 * Optimism (reported, as the local-words paper does not): the words and their
 * IGR are chosen on all training users, held-out folds included, so the CV
 * error of the selected subset is optimistic; it never touches the test users.
 *
 * Folds are stratified by location (seeded); the error is pooled over all
 * held-out users (the folds' mean error, weighted by fold size).
 */
import { Rng } from "../runtime/rng";
import { SparseDoc, labelWordCounts } from "./corpus";
import { NbReading, weighsByCount } from "./naive-bayes";
import { progress as makeProgress, Progress } from "../runtime/progress";

/** Stratified fold index (0..folds-1) for each doc, seeded. */
export function stratifiedFolds(docs: readonly SparseDoc[], folds: number, rng: Rng): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`wrapper: folds must be an integer ≥ 2, got ${folds}`);
  const byLabel = new Map<number, number[]>();
  docs.forEach((d, i) => {
    const list = byLabel.get(d.y) ?? [];
    list.push(i);
    byLabel.set(d.y, list);
  });
  const out = new Int32Array(docs.length);
  let offset = 0;
  for (const y of [...byLabel.keys()].sort((a, b) => a - b)) {
    // Continue the round-robin across labels so small labels do not all land in fold 0.
    rng.shuffle(byLabel.get(y)!).forEach((i, r) => (out[i] = (offset + r) % folds));
    offset += byLabel.get(y)!.length;
  }
  return out;
}

export interface WrapperOptions {
  reading: NbReading;
  alpha?: number;
  folds?: number;
  /** Fold of each user (default: stratified folds from `rng`); pass one to share folds with CV tuning. */
  fold?: Int32Array;
  /** Show progress lines (stderr); default "wrapper"; null for none. */
  progressLabel?: string | null;
}

export interface WrapperStep {
  /** Cluster removed in this round (null for the starting full set). */
  removed: number | null;
  error: number;
  subset: number[];
}

export interface WrapperResult {
  selected: number[];
  removed: number[];
  error: number;
  /** The starting (all clusters) error. */
  fullError: number;
  steps: WrapperStep[];
  candidatesScored: number;
}

/** Precomputed per-cluster scores; see the module doc. */
export interface ClusterScores {
  n: number;
  L: number;
  k: number;
  folds: number;
  reading: NbReading;
  alpha: number;
  y: Int32Array;
  fold: Int32Array;
  logPrior: Float64Array; // folds × L
  A: Float64Array; // n × L × k  (index (d*L + l)*k + c)
  cnt: Float64Array; // n × k
  N: Float64Array; // folds × L × k
  V: Float64Array; // k
}

/**
 * Per held-out user, label and cluster, the part of the NB score that the
 * cluster contributes when the classifier is fitted on the other folds (see the
 * module doc). `clusterOf[w]` in 0..k−1, or −1 for a word that is no feature.
 */
export function precomputeClusterScores(
  docs: readonly SparseDoc[],
  nLabels: number,
  nWords: number,
  clusterOf: Int32Array,
  k: number,
  fold: Int32Array,
  folds: number,
  reading: NbReading,
  alpha = 1,
): ClusterScores {
  if (clusterOf.length !== nWords) throw new Error(`wrapper: clusterOf has ${clusterOf.length} entries, vocabulary has ${nWords}`);
  if (fold.length !== docs.length) throw new Error(`wrapper: ${fold.length} fold indices for ${docs.length} users`);
  const n = docs.length;
  const L = nLabels;
  const A = new Float64Array(n * L * k);
  const cnt = new Float64Array(n * k);
  const N = new Float64Array(folds * L * k);
  const V = new Float64Array(k);
  for (let w = 0; w < nWords; w++) if (clusterOf[w] >= 0) V[clusterOf[w]]++;
  const logPrior = new Float64Array(folds * L);
  const y = Int32Array.from(docs, (d) => d.y);
  const all = labelWordCounts(docs, L, nWords);
  const totalPerLabel = new Float64Array(L);
  for (const d of docs) totalPerLabel[d.y]++;
  const byCount = weighsByCount(reading);
  const onlySeen = reading === "literal";
  for (let phi = 0; phi < folds; phi++) {
    const held = docs.map((_, i) => i).filter((i) => fold[i] === phi);
    // Training counts of this fold = all − held-out.
    const f = all.slice();
    const classCount = totalPerLabel.slice();
    for (const i of held) {
      const d = docs[i];
      classCount[d.y]--;
      for (let t = 0; t < d.terms.length; t++) f[d.terms[t] * L + d.y] -= d.counts[t];
    }
    const nTrain = n - held.length;
    for (let l = 0; l < L; l++) logPrior[phi * L + l] = classCount[l] > 0 ? Math.log(classCount[l] / nTrain) : -Infinity;
    // Per-word log terms for this fold: log(f+α) (multinomial; its normaliser depends on the subset, see SubsetScorer)
    // or Eq. 3's log((f+α)/(F+α|L|)) (user-words, literal; 0 where unseen for literal).
    const logTerm = new Float64Array(nWords * L);
    for (let w = 0; w < nWords; w++) {
      const c = clusterOf[w];
      if (c < 0) continue;
      let F = 0;
      for (let l = 0; l < L; l++) F += f[w * L + l];
      const den = Math.log(F + alpha * L);
      for (let l = 0; l < L; l++) {
        const x = f[w * L + l];
        N[(phi * L + l) * k + c] += x;
        logTerm[w * L + l] = byCount ? Math.log(x + alpha) : onlySeen && !(x > 0) ? 0 : Math.log(x + alpha) - den;
      }
    }
    for (const i of held) {
      const d = docs[i];
      for (let t = 0; t < d.terms.length; t++) {
        const w = d.terms[t];
        const c = clusterOf[w];
        if (c < 0) continue;
        const x = d.counts[t];
        cnt[i * k + c] += x;
        const weight = byCount ? x : 1;
        const row = i * L * k + c;
        for (let l = 0; l < L; l++) A[row + l * k] += weight * logTerm[w * L + l];
      }
    }
  }
  return { n, L, k, folds, reading, alpha, y, fold, logPrior, A, cnt, N, V };
}

/** Running sums over the current subset, so a candidate removal (or addition) is O(n·L). */
export class SubsetScorer {
  private T: Float64Array; // n × L  Σ_{c∈S} A
  private nS: Float64Array; // n     Σ_{c∈S} cnt
  private NS: Float64Array; // folds × L
  private VS = 0;
  constructor(
    private p: ClusterScores,
    subset: readonly number[],
  ) {
    const { n, L, folds } = p;
    this.T = new Float64Array(n * L);
    this.nS = new Float64Array(n);
    this.NS = new Float64Array(folds * L);
    for (const c of subset) this.add(c);
  }
  /** Pooled CV error of the current subset minus cluster `drop` (−1: drop nothing). */
  error(drop: number): number {
    const { n, L, k, A, cnt, N, V, y, fold, logPrior, alpha } = this.p;
    const multinomial = this.p.reading === "multinomial";
    const vs = this.VS - (drop >= 0 ? V[drop] : 0);
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const phi = fold[i];
      const ni = this.nS[i] - (drop >= 0 ? cnt[i * k + drop] : 0);
      let best = -Infinity;
      let bestL = 0;
      for (let l = 0; l < L; l++) {
        let s = logPrior[phi * L + l] + this.T[i * L + l] - (drop >= 0 ? A[(i * L + l) * k + drop] : 0);
        if (multinomial && ni > 0) {
          const ns = this.NS[phi * L + l] - (drop >= 0 ? N[(phi * L + l) * k + drop] : 0);
          s -= ni * Math.log(ns + alpha * vs);
        }
        if (s > best) {
          best = s;
          bestL = l;
        }
      }
      if (bestL !== y[i]) wrong++;
    }
    return wrong / n;
  }
  private update(c: number, sign: 1 | -1): void {
    const { n, L, k, A, cnt, N, V, folds } = this.p;
    for (let i = 0; i < n; i++) {
      this.nS[i] += sign * cnt[i * k + c];
      for (let l = 0; l < L; l++) this.T[i * L + l] += sign * A[(i * L + l) * k + c];
    }
    for (let j = 0; j < folds * L; j++) this.NS[j] += sign * N[j * k + c];
    this.VS += sign * V[c];
  }
  add(c: number): void {
    this.update(c, 1);
  }
  remove(c: number): void {
    this.update(c, -1);
  }
}

/**
 * Backward search over clusters. `clusterOf[w]` is the cluster of word id w
 * (−1: not a feature). Returns the kept clusters (ascending) and the search path.
 */
export function wrapperSelect(
  docs: readonly SparseDoc[],
  nLabels: number,
  nWords: number,
  clusterOf: Int32Array,
  k: number,
  rng: Rng,
  opts: WrapperOptions,
): WrapperResult {
  const folds = opts.folds ?? 5;
  const fold = opts.fold ?? stratifiedFolds(docs, folds, rng);
  const p = precomputeClusterScores(docs, nLabels, nWords, clusterOf, k, fold, folds, opts.reading, opts.alpha ?? 1);
  let subset = Array.from({ length: k }, (_, c) => c);
  const scorer = new SubsetScorer(p, subset);
  let current = scorer.error(-1);
  const fullError = current;
  const steps: WrapperStep[] = [{ removed: null, error: current, subset: subset.slice() }];
  const removed: number[] = [];
  let candidatesScored = 1;
  const label = opts.progressLabel === undefined ? "wrapper" : opts.progressLabel;
  const prog: Progress | null = label ? makeProgress(label, k - 1, { every: 1 }) : null;
  while (subset.length > 1) {
    let bestC = -1;
    let bestErr = Infinity;
    for (const c of subset) {
      const e = scorer.error(c);
      candidatesScored++;
      if (e < bestErr) {
        bestErr = e;
        bestC = c;
      }
    }
    if (!(bestErr < current)) {
      prog?.done(`stop: best removal (cluster ${bestC}) gives CV error ${bestErr.toFixed(4)} ≥ current ${current.toFixed(4)}`);
      break;
    }
    scorer.remove(bestC);
    subset = subset.filter((c) => c !== bestC);
    removed.push(bestC);
    current = bestErr;
    steps.push({ removed: bestC, error: current, subset: subset.slice() });
    prog?.tick(`removed cluster ${bestC}, CV error ${current.toFixed(4)}, ${subset.length} clusters left`);
  }
  return { selected: subset, removed, error: current, fullError, steps, candidatesScored };
}
