/**
 * Wrapper feature selection over word clusters by sequential backward search
 * (local-words paper, Algorithm 2, Sect. 2.3).
 *
 * Start from all k clusters. Each round, remove each cluster in turn from the
 * current subset, score the resulting subset by the 5-fold cross-validated
 * Naive Bayes error on the training set, and keep the best removal if its
 * error is strictly lower than the current subset's; stop otherwise.
 *
 * Making a candidate cheap: NB is fitted once per fold, and removing a
 * cluster subtracts its words' part of every held-out user's score instead of
 * refitting (./cv-scorer.ts, which also says how a round scores every candidate
 * in one pass over the users who have words in it). The same scorer gives the
 * CV error of any union of word groups, which is how the N2 of NB+IGR is tuned
 * by the same cross-validation (./tune.ts).
 *
 * Optimism (reported, as the local-words paper does not): the words and their
 * IGR are chosen on all training users, held-out folds included, so the CV
 * error of the selected subset is optimistic; it never touches the test users.
 *
 * Folds are stratified by location (seeded); the error is pooled over all
 * held-out users (the folds' mean error, weighted by fold size).
 */
import { Rng } from "../runtime/rng";
import { SparseDoc } from "./corpus";
import { NbReading } from "./naive-bayes";
import { cvScorer } from "./cv-scorer";
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
  let subset = Array.from({ length: k }, (_, c) => c);
  const scorer = cvScorer({ docs, nLabels, nWords, clusterOf, k, fold, folds, reading: opts.reading, alpha: opts.alpha ?? 1 }, subset);
  let current = scorer.error();
  const fullError = current;
  const steps: WrapperStep[] = [{ removed: null, error: current, subset: subset.slice() }];
  const removed: number[] = [];
  let candidatesScored = 1;
  const label = opts.progressLabel === undefined ? "wrapper" : opts.progressLabel;
  const prog: Progress | null = label ? makeProgress(label, k - 1, { every: 1 }) : null;
  while (subset.length > 1) {
    let bestC = -1;
    let bestErr = Infinity;
    const errors = scorer.errorsWithout(subset);
    subset.forEach((c, j) => {
      candidatesScored++;
      if (errors[j] < bestErr) {
        bestErr = errors[j];
        bestC = c;
      }
    });
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
