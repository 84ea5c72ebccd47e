/**
 * Univariate feature selection, in the shape of scikit-learn's
 * `SelectKBest(score_func)` / `SelectFpr`: a score function maps the training
 * corpus to one score per word, and a rule keeps the words whose score passes a
 * threshold (or the k best). The local-words paper (Sect. 2, phase 2) scores
 * words by their information gain ratio (IGR, Han et al. 2012) and keeps those
 * with IGR ≥ N2, so IGR is the default scorer; any other `ScoreFunc` (χ², mutual
 * information, …) plugs in without touching the pipeline.
 */
import type { SparseDoc } from "./corpus";
import { informationGainRatio, chooseN2, ThresholdSweep } from "./igr";

/** One score per word id in [0, nWords), computed on the training users. */
export type ScoreFunc = (docs: readonly SparseDoc[], nLabels: number, nWords: number) => Float64Array;

export interface FeatureScorer {
  /** Shown in tables, e.g. "IGR". */
  name: string;
  score: ScoreFunc;
}

/** The paper's scorer: information gain ratio over locations (./igr.ts). */
export const IGR_SCORER: FeatureScorer = { name: "IGR", score: informationGainRatio };

export interface Selection {
  scorer: string;
  /** The threshold applied (score ≥ threshold keeps a word). */
  threshold: number;
  /** How the threshold was chosen, e.g. "largest drop (Sect. 4.2)" or "given". */
  rule: string;
  /** Kept word ids, ascending. */
  selected: number[];
  /** Candidates below the threshold. */
  removed: number;
  /** The count-per-threshold sweep behind the largest-drop rule (null for a given threshold). */
  sweep: ThresholdSweep | null;
}

/** Word ids among `candidates` whose score is ≥ threshold (ascending). */
export function selectByThreshold(scores: ArrayLike<number>, candidates: readonly number[], threshold: number): number[] {
  if (!Number.isFinite(threshold)) throw new Error(`select: threshold must be a finite number, got ${threshold}`);
  return candidates.filter((w) => scores[w] >= threshold).sort((a, b) => a - b);
}

/** The k best-scoring candidates (ties: lower word id first), ascending. */
export function selectKBest(scores: ArrayLike<number>, candidates: readonly number[], k: number): number[] {
  if (!Number.isInteger(k) || k < 0) throw new Error(`select: k must be a non-negative integer, got ${k}`);
  return [...candidates]
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k)
    .sort((a, b) => a - b);
}

export interface ThresholdRule {
  /** A fixed threshold, or the paper's rule: the grid point after the largest drop in the word count (Sect. 4.2). */
  threshold: number | "largest-drop";
  /** Grid for the largest-drop rule (default 0.05 … 0.5 step 0.05). */
  grid?: { from: number; to: number; step: number };
}

/** Score the training corpus and apply a threshold rule to `candidates`. */
export function selectFeatures(
  docs: readonly SparseDoc[],
  nLabels: number,
  nWords: number,
  candidates: readonly number[],
  rule: ThresholdRule,
  scorer: FeatureScorer = IGR_SCORER,
): Selection & { scores: Float64Array } {
  const scores = scorer.score(docs, nLabels, nWords);
  if (scores.length !== nWords) throw new Error(`select: scorer ${scorer.name} returned ${scores.length} scores for ${nWords} words`);
  const sweep =
    rule.threshold === "largest-drop"
      ? chooseN2(
          candidates.map((w) => scores[w]),
          rule.grid,
        )
      : null;
  const threshold = sweep ? sweep.chosen : (rule.threshold as number);
  const selected = selectByThreshold(scores, candidates, threshold);
  return {
    scorer: scorer.name,
    threshold,
    rule: sweep
      ? `largest drop in the word count over ${sweep.thresholds[0]}…${sweep.thresholds[sweep.thresholds.length - 1]} (Sect. 4.2)`
      : "given",
    selected,
    removed: candidates.length - selected.length,
    sweep,
    scores,
  };
}
