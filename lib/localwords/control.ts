/**
 * The control for the method's idea (issue 16): does it matter that word2vec
 * puts *semantically similar* words into one cluster? Run the same wrapper
 * over a random partition of the same words into groups of the same sizes as
 * the k-means clusters. If the semantic clusters carry the method's gain, the
 * wrapper over them beats the wrapper over random groups; if not, any grouping
 * of the IGR words into k removable blocks does as well.
 */
import type { Rng } from "../runtime/rng";

/** Sizes of clusters 0..k−1 of `clusterOf` (−1 entries are not features). */
export function clusterSizes(clusterOf: ArrayLike<number>, k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (let w = 0; w < clusterOf.length; w++) {
    const c = clusterOf[w];
    if (c >= k) throw new Error(`control: word ${w} is in cluster ${c}, but k = ${k}`);
    if (c >= 0) sizes[c]++;
  }
  return sizes;
}

/**
 * A seeded random partition with the cluster sizes of `clusterOf`: the same
 * words, shuffled, dealt out in runs of sizes[0], sizes[1], … . Returns the new
 * cluster of every word (−1 where `clusterOf` has −1).
 */
export function randomPartitionLike(clusterOf: Int32Array, k: number, rng: Rng): Int32Array {
  const sizes = clusterSizes(clusterOf, k);
  const words: number[] = [];
  for (let w = 0; w < clusterOf.length; w++) if (clusterOf[w] >= 0) words.push(w);
  const shuffled = rng.shuffle(words);
  const out = new Int32Array(clusterOf.length).fill(-1);
  let at = 0;
  sizes.forEach((size, c) => {
    for (let i = 0; i < size; i++) out[shuffled[at++]] = c;
  });
  return out;
}
