/**
 * Equal tuning budgets (issue 16): NB+IGR gets its IGR threshold N2 chosen by
 * the same stratified 5-fold cross-validation on the training users that the
 * wrapper uses to select clusters, instead of only the paper's largest-drop
 * rule, which depends on the grid it is applied to.
 *
 * Method. Sort the grid descending, t_1 > t_2 > … > t_m. Band j holds the
 * candidate words with t_j ≤ score < t_{j−1} (band 1: score ≥ t_1), so the word
 * set of threshold t_j is the union of bands 1..j. The wrapper's per-cluster
 * precomputation (./wrapper.ts) with "cluster" = band scores every such union
 * exactly as a refitted NB would (./cv-scorer.ts); adding the bands one by one
 * gives the CV error of every threshold, each band touching only the users who
 * have words in it. The threshold with the lowest
 * error wins; ties go to the higher threshold (fewer words).
 */
import type { SparseDoc } from "./corpus";
import type { NbReading } from "./naive-bayes";
import { cumulativeErrors } from "./cv-scorer";

export interface ThresholdTuning {
  /** Grid, ascending. */
  grid: number[];
  /** Pooled CV error at each grid threshold. */
  errors: number[];
  /** Words kept at each grid threshold. */
  counts: number[];
  chosen: number;
  chosenIndex: number;
  /** Word ids kept at the chosen threshold, ascending. */
  selected: number[];
}

export function cvTuneThreshold(
  docs: readonly SparseDoc[],
  nLabels: number,
  nWords: number,
  scores: ArrayLike<number>,
  candidates: readonly number[],
  grid: readonly number[],
  fold: Int32Array,
  folds: number,
  reading: NbReading,
  alpha = 1,
): ThresholdTuning {
  if (grid.length === 0) throw new Error("tune: empty threshold grid");
  const asc = [...new Set(grid)].sort((a, b) => a - b);
  const desc = [...asc].reverse();
  const m = desc.length;
  const band = new Int32Array(nWords).fill(-1);
  for (const w of candidates) {
    // First (highest) threshold the word passes; words below the lowest threshold are never used.
    const j = desc.findIndex((t) => scores[w] >= t);
    if (j >= 0) band[w] = j;
  }
  const errDesc = cumulativeErrors({ docs, nLabels, nWords, clusterOf: band, k: m, fold, folds, reading, alpha });
  const bandSize = new Array<number>(m).fill(0);
  for (let w = 0; w < nWords; w++) if (band[w] >= 0) bandSize[band[w]]++;
  const countDesc: number[] = [];
  let count = 0;
  for (let j = 0; j < m; j++) countDesc.push((count += bandSize[j]));
  let bestJ = 0;
  for (let j = 1; j < m; j++) if (errDesc[j] < errDesc[bestJ]) bestJ = j;
  const chosen = desc[bestJ];
  const selected = candidates.filter((w) => band[w] >= 0 && band[w] <= bestJ).sort((a, b) => a - b);
  return { grid: asc, errors: [...errDesc].reverse(), counts: [...countDesc].reverse(), chosen, chosenIndex: m - 1 - bestJ, selected };
}
