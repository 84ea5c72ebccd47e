/**
 * Chance floors: what a classifier that never looks at an item would score.
 * Every accuracy in a table is read against these (a model at 0.31 means
 * little when always answering "California" gives 0.28).
 *
 *   majority class      always predict the most frequent training label
 *                       (scikit-learn's DummyClassifier(strategy="most_frequent");
 *                       ties → the smallest label index);
 *   stratified random   predict a label drawn from the training label
 *                       distribution (DummyClassifier(strategy="stratified")),
 *                       from a named seeded stream.
 */
import type { Rng } from "../runtime/rng";

function labelCounts(trainLabels: ArrayLike<number>): number[] {
  if (trainLabels.length === 0) throw new Error("floors: no training labels");
  const counts: number[] = [];
  for (let i = 0; i < trainLabels.length; i++) {
    const l = trainLabels[i];
    if (!(Number.isInteger(l) && l >= 0)) throw new Error(`floors: training label ${i} is ${l}, not a class index`);
    counts[l] = (counts[l] ?? 0) + 1;
  }
  return Array.from(counts, (c) => c ?? 0);
}

export function majorityClass(trainLabels: ArrayLike<number>): number {
  const counts = labelCounts(trainLabels);
  let best = 0;
  for (let l = 1; l < counts.length; l++) if (counts[l] > counts[best]) best = l;
  return best;
}

/** Majority-class predictions for `nTest` items. */
export function majorityClassPredictions(trainLabels: ArrayLike<number>, nTest: number): Int32Array {
  return new Int32Array(nTest).fill(majorityClass(trainLabels));
}

/** Stratified random predictions for `nTest` items. */
export function stratifiedRandomPredictions(trainLabels: ArrayLike<number>, nTest: number, rng: Rng): Int32Array {
  const counts = labelCounts(trainLabels);
  const out = new Int32Array(nTest);
  for (let i = 0; i < nTest; i++) out[i] = rng.weighted(counts);
  return out;
}
