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

/**
 * Every user's bag of a dataset as one sparse matrix over one sorted
 * vocabulary, built once and shared by all its splits, seeds and sweep points
 * (at the papers' size, re-indexing 235k users' word maps for every run cost
 * seconds a run). Typed arrays only (on SharedArrayBuffers when `shared`), so a
 * helper thread reads them without a copy.
 */
export interface UsersIndex {
  /** Every word of any user, sorted by code unit (as Array.prototype.sort): a split's vocabulary is a subsequence. */
  words: string[];
  /** User u's words are terms[rowStart[u] .. rowStart[u+1]) (ascending ids) with counts aligned. */
  rowStart: Int32Array;
  terms: Int32Array;
  counts: Float64Array;
  ids: string[];
  labelNames: string[];
  /** Index into labelNames. */
  label: Int32Array;
  /** NaN where a user has no coordinates. */
  lat: Float64Array;
  lon: Float64Array;
}

function typed<T extends Int32Array | Float64Array>(
  Ctor: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  n: number,
  shared: boolean,
): T {
  return new Ctor(shared ? new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT) : new ArrayBuffer(n * Ctor.BYTES_PER_ELEMENT));
}

/** Index labelled users (see UsersIndex). */
export function indexUsers(users: readonly UserBag[], opts: { shared?: boolean } = {}): UsersIndex {
  const shared = opts.shared ?? false;
  const seen = new Set<string>();
  let nnz = 0;
  for (const u of users)
    for (const [w, c] of u.counts)
      if (c > 0) {
        seen.add(w);
        nnz++;
      }
  const words = [...seen].sort();
  const id = new Map(words.map((w, i) => [w, i]));
  const rowStart = typed(Int32Array, users.length + 1, shared);
  const terms = typed(Int32Array, nnz, shared);
  const counts = typed(Float64Array, nnz, shared);
  const labelNames = sortedLabels(users.map((u) => u.label));
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  const label = typed(Int32Array, users.length, shared);
  const lat = typed(Float64Array, users.length, shared);
  const lon = typed(Float64Array, users.length, shared);
  let at = 0;
  const pairs: [number, number][] = [];
  users.forEach((u, r) => {
    pairs.length = 0;
    for (const [w, c] of u.counts) if (c > 0) pairs.push([id.get(w)!, c]);
    pairs.sort((a, b) => a[0] - b[0]);
    for (const [t, c] of pairs) {
      terms[at] = t;
      counts[at++] = c;
    }
    rowStart[r + 1] = at;
    label[r] = labelIndex.get(u.label)!;
    lat[r] = u.coord ? u.coord.lat : NaN;
    lon[r] = u.coord ? u.coord.lon : NaN;
  });
  return { words, rowStart, terms, counts, ids: users.map((u) => u.id), labelNames, label, lat, lon };
}

/**
 * The index of the same users with other labels (a corpus's state and city
 * datasets): the words and counts are shared, the labels and ids are new.
 * `users[i]` must have the bag of the i-th user `ix` was built from.
 */
export function relabelUsers(ix: UsersIndex, users: readonly UserBag[], opts: { shared?: boolean } = {}): UsersIndex {
  if (users.length !== ix.ids.length) throw new Error(`corpus: relabel: ${users.length} users for an index of ${ix.ids.length}`);
  const shared = opts.shared ?? false;
  const labelNames = sortedLabels(users.map((u) => u.label));
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  const label = typed(Int32Array, users.length, shared);
  const lat = typed(Float64Array, users.length, shared);
  const lon = typed(Float64Array, users.length, shared);
  users.forEach((u, r) => {
    label[r] = labelIndex.get(u.label)!;
    lat[r] = u.coord ? u.coord.lat : NaN;
    lon[r] = u.coord ? u.coord.lon : NaN;
  });
  return { ...ix, ids: users.map((u) => u.id), labelNames, label, lat, lon };
}

/** What the N1 frequency filter removed from a split's training users (Table 6). */
export interface FrequencyReport {
  /** Word types in the training texts. */
  totalTypes: number;
  removedTypes: number;
  removedTokens: number;
}

/**
 * The training and test corpora of a split: words with a training count ≥ n1
 * (the N1 filter, fitted on the training users), labels of the training users
 * (sorted); a test user whose label no training user has is an error. The same
 * corpora as `frequencyFilter` + `buildCorpus` on the users' bags.
 */
export function splitCorpora(
  ix: UsersIndex,
  trainRows: ArrayLike<number>,
  testRows: ArrayLike<number>,
  n1: number,
): { train: Corpus; test: Corpus; filter: FrequencyReport } {
  if (!Number.isInteger(n1) || n1 < 1) throw new Error(`preprocess: N1 must be a positive integer, got ${n1}`);
  const W = ix.words.length;
  const freq = new Float64Array(W);
  for (let j = 0; j < trainRows.length; j++) {
    const r = trainRows[j];
    for (let p = ix.rowStart[r]; p < ix.rowStart[r + 1]; p++) freq[ix.terms[p]] += ix.counts[p];
  }
  const local = new Int32Array(W).fill(-1);
  const vocab: string[] = [];
  let totalTypes = 0;
  let removedTokens = 0;
  for (let w = 0; w < W; w++) {
    if (!(freq[w] > 0)) continue;
    totalTypes++;
    if (freq[w] >= n1) {
      local[w] = vocab.length;
      vocab.push(ix.words[w]);
    } else removedTokens += freq[w];
  }
  const trainLabels = new Set<number>();
  for (let j = 0; j < trainRows.length; j++) trainLabels.add(ix.label[trainRows[j]]);
  const labels = sortedLabels([...trainLabels].map((l) => ix.labelNames[l]));
  const y = new Int32Array(ix.labelNames.length).fill(-1);
  labels.forEach((l, i) => (y[ix.labelNames.indexOf(l)] = i));
  const docsOf = (rows: ArrayLike<number>): SparseDoc[] => {
    let n = 0;
    for (let j = 0; j < rows.length; j++)
      for (let p = ix.rowStart[rows[j]]; p < ix.rowStart[rows[j] + 1]; p++) if (local[ix.terms[p]] >= 0) n++;
    const terms = new Int32Array(n);
    const counts = new Float64Array(n);
    const docs: SparseDoc[] = [];
    let at = 0;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j];
      const start = at;
      for (let p = ix.rowStart[r]; p < ix.rowStart[r + 1]; p++) {
        const t = local[ix.terms[p]];
        if (t < 0) continue;
        terms[at] = t;
        counts[at++] = ix.counts[p];
      }
      const yr = y[ix.label[r]];
      if (yr < 0)
        throw new Error(
          `corpus: user ${ix.ids[r]}: label: "${ix.labelNames[ix.label[r]]}" is not among the known labels (index the training set first and pass its labels)`,
        );
      docs.push({
        id: ix.ids[r],
        y: yr,
        terms: terms.subarray(start, at),
        counts: counts.subarray(start, at),
        coord: Number.isNaN(ix.lat[r]) ? undefined : { lat: ix.lat[r], lon: ix.lon[r] },
      });
    }
    return docs;
  };
  return {
    train: { vocab, labels, docs: docsOf(trainRows) },
    test: { vocab, labels, docs: docsOf(testRows) },
    filter: { totalTypes, removedTypes: totalTypes - vocab.length, removedTokens },
  };
}
