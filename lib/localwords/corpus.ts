/**
 * The indexed form every local-words step works on: a vocabulary, a sorted
 * label list and one sparse bag of words per user. Building it once keeps the
 * hot loops (Naive Bayes, IGR, the wrapper) on typed arrays instead of maps.
 */
import type { LatLon } from "../geo/distance";

/** One microblog user as the pipeline sees it after preprocessing. */
export interface UserBag {
  id: string;
  /** Location label (a state or a city). */
  label: string;
  /** word → count in the user's merged text. */
  counts: ReadonlyMap<string, number>;
  /** The user's true coordinates, when known (for km errors). */
  coord?: LatLon;
  /** Fold of the dataset's official split (GeoText: 4 = dev, 5 = test), when it has one. */
  fold?: number;
  /** Token sequences (tweets) for word2vec contexts; absent for bag-of-words data. */
  sentences?: readonly (readonly string[])[];
}

export interface SparseDoc {
  id: string;
  /** Label index into Corpus.labels. */
  y: number;
  /** Term ids, ascending. */
  terms: Int32Array;
  /** Counts aligned with terms. */
  counts: Float64Array;
  coord?: LatLon;
}

export interface Corpus {
  vocab: string[];
  labels: string[];
  docs: SparseDoc[];
}

/** Labels sorted by code point, as numpy's np.unique sorts them (so scikit-learn's class order matches). */
export const sortedLabels = (labels: Iterable<string>): string[] => [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Index users. `vocab` restricts (and orders) the features: words outside it are
 * ignored; by default every word seen, sorted. `labels` fixes the label order
 * (pass the training corpus's labels when indexing a test set).
 */
export function buildCorpus(users: readonly UserBag[], opts: { vocab?: readonly string[]; labels?: readonly string[] } = {}): Corpus {
  const labels = opts.labels ? [...opts.labels] : sortedLabels(users.map((u) => u.label));
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  let vocab: string[];
  if (opts.vocab) vocab = [...opts.vocab];
  else {
    const seen = new Set<string>();
    for (const u of users) for (const w of u.counts.keys()) seen.add(w);
    vocab = [...seen].sort();
  }
  const wordIndex = new Map(vocab.map((w, i) => [w, i]));
  const docs: SparseDoc[] = users.map((u) => {
    const y = labelIndex.get(u.label);
    if (y === undefined)
      throw new Error(
        `corpus: user ${u.id}: label: "${u.label}" is not among the known labels (index the training set first and pass its labels)`,
      );
    const pairs: [number, number][] = [];
    for (const [w, c] of u.counts) {
      const t = wordIndex.get(w);
      if (t !== undefined && c > 0) pairs.push([t, c]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    return {
      id: u.id,
      y,
      terms: Int32Array.from(pairs, (p) => p[0]),
      counts: Float64Array.from(pairs, (p) => p[1]),
      coord: u.coord,
    };
  });
  return { vocab, labels, docs };
}

/** Total count of each word over users (corpus frequency). */
export function wordFrequencies(users: readonly UserBag[]): Map<string, number> {
  const f = new Map<string, number>();
  for (const u of users) for (const [w, c] of u.counts) f.set(w, (f.get(w) ?? 0) + c);
  return f;
}

/** Label × word count matrix, stored word-major (f[w * L + l]) so per-word loops over labels are contiguous. */
export function labelWordCounts(docs: readonly SparseDoc[], nLabels: number, nWords: number): Float64Array {
  const f = new Float64Array(nWords * nLabels);
  for (const d of docs) for (let i = 0; i < d.terms.length; i++) f[d.terms[i] * nLabels + d.y] += d.counts[i];
  return f;
}
