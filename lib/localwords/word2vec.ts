/**
 * word2vec skip-gram with negative sampling (Mikolov et al. 2013), plain
 * TypeScript on Float32Arrays, single thread, seeded.
 *
 * For a centre word w and each context word c within a randomly shrunk window
 * (b ~ U{1..window}), with σ the logistic function, v = input vectors and
 * u = output vectors, one SGD step maximises
 *   log σ(u_c · v_w) + Σ_{n=1..negative} log σ(−u_{z_n} · v_w),  z_n ~ P(w)^0.75.
 * Frequent words are subsampled with keep probability
 * (sqrt(f/(s·T)) + 1) · (s·T)/f (word2vec.c), the learning rate decays
 * linearly from `lr` to lr·1e-4, as in word2vec.c.
 *
 * Randomness: one 32-bit xorshift generator seeded from the given stream
 * (`rng.seedInt()`): a derived stream, as word2vec.c's own LCG, because an
 * ARC4 call per negative sample would dominate the run time.
 *
 * Contexts for bag-of-words data (GeoText has no word order): each user's
 * "sentence" is the multiset of their words (each repeated by its count) in a
 * seeded random order, so context = co-occurrence within the same user's text,
 * sampled in proportion to the counts. See `bagSentences`.
 */
import { Rng } from "../runtime/rng";

export interface Word2VecOptions {
  dim?: number;
  window?: number;
  negative?: number;
  epochs?: number;
  lr?: number;
  /** Subsampling threshold s (word2vec's -sample); 0 disables. */
  sample?: number;
  /** Words with a corpus count below this get no vector. */
  minCount?: number;
  /** Called after each epoch. */
  onEpoch?: (epoch: number, epochs: number) => void;
}

export const WORD2VEC_DEFAULTS: Required<Omit<Word2VecOptions, "onEpoch">> = {
  dim: 100,
  window: 5,
  negative: 5,
  epochs: 5,
  lr: 0.025,
  sample: 1e-3,
  minCount: 1,
};

export interface WordVectors {
  words: string[];
  dim: number;
  /** words.length × dim, row-major. */
  vectors: Float32Array;
}

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Bag-of-words users → one shuffled token sequence each (see module doc). */
export function bagSentences(bags: readonly ReadonlyMap<string, number>[], rng: Rng): string[][] {
  return bags.map((bag) => {
    const words = [...bag.keys()].sort();
    const seq: string[] = [];
    for (const w of words) for (let i = 0; i < (bag.get(w) ?? 0); i++) seq.push(w);
    return rng.shuffle(seq);
  });
}

export function trainWord2Vec(sentences: readonly (readonly string[])[], rng: Rng, options: Word2VecOptions = {}): WordVectors {
  const o = { ...WORD2VEC_DEFAULTS, ...options };
  for (const k of ["dim", "window", "negative", "epochs"] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`word2vec: ${k} must be a positive integer, got ${o[k]}`);
  // Vocabulary, ordered by count then word (deterministic).
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  const words = [...freq.entries()]
    .filter(([, c]) => c >= o.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  const index = new Map(words.map((w, i) => [w, i]));
  const V = words.length;
  const dim = o.dim;
  const counts = Float64Array.from(words, (w) => freq.get(w)!);
  let total = 0;
  for (const c of counts) total += c;
  const corpus: Int32Array[] = sentences.map((s) =>
    Int32Array.from(
      s.filter((w) => index.has(w)),
      (w) => index.get(w)!,
    ),
  );
  const keep = new Float64Array(V).fill(1);
  if (o.sample > 0)
    for (let i = 0; i < V; i++) {
      const f = counts[i];
      const st = o.sample * total;
      keep[i] = Math.min(1, (Math.sqrt(f / st) + 1) * (st / f));
    }
  // Unigram^0.75 table for negatives.
  const tableSize = Math.max(1000, Math.min(10_000_000, V * 100));
  const table = new Int32Array(tableSize);
  {
    let z = 0;
    for (const c of counts) z += Math.pow(c, 0.75);
    let i = 0;
    let cum = Math.pow(counts[0] ?? 0, 0.75) / z;
    for (let a = 0; a < tableSize; a++) {
      table[a] = i;
      if (a / tableSize > cum && i < V - 1) {
        i++;
        cum += Math.pow(counts[i], 0.75) / z;
      }
    }
  }
  const rand = xorshift(rng.seedInt());
  const syn0 = new Float32Array(V * dim);
  const syn1 = new Float32Array(V * dim);
  for (let i = 0; i < syn0.length; i++) syn0[i] = (rand() / 4294967296 - 0.5) / dim;
  const grad = new Float32Array(dim);
  const kept = new Int32Array(corpus.reduce((m, s) => Math.max(m, s.length), 0));
  const totalSteps = o.epochs * total;
  let done = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const sent of corpus) {
      let n = 0;
      for (let i = 0; i < sent.length; i++) if (keep[sent[i]] >= 1 || rand() / 4294967296 < keep[sent[i]]) kept[n++] = sent[i];
      done += sent.length;
      const lr = Math.max(o.lr * 1e-4, o.lr * (1 - done / (totalSteps + 1)));
      for (let pos = 0; pos < n; pos++) {
        const w = kept[pos];
        const b = 1 + (rand() % o.window);
        const lo = Math.max(0, pos - b);
        const hi = Math.min(n - 1, pos + b);
        for (let q = lo; q <= hi; q++) {
          if (q === pos) continue;
          // word2vec.c convention: the context word's input vector is updated.
          const inp = kept[q] * dim;
          grad.fill(0);
          for (let neg = 0; neg <= o.negative; neg++) {
            let target: number;
            let label: number;
            if (neg === 0) {
              target = w;
              label = 1;
            } else {
              target = table[rand() % tableSize];
              if (target === w) continue;
              label = 0;
            }
            const out = target * dim;
            let dot = 0;
            for (let t = 0; t < dim; t++) dot += syn0[inp + t] * syn1[out + t];
            const sig = dot > 6 ? 1 : dot < -6 ? 0 : 1 / (1 + Math.exp(-dot));
            const g = (label - sig) * lr;
            for (let t = 0; t < dim; t++) {
              grad[t] += g * syn1[out + t];
              syn1[out + t] += g * syn0[inp + t];
            }
          }
          for (let t = 0; t < dim; t++) syn0[inp + t] += grad[t];
        }
      }
    }
    o.onEpoch?.(epoch + 1, o.epochs);
  }
  return { words, dim, vectors: syn0 };
}

/** Cosine similarity of two words' vectors. */
export function cosine(v: WordVectors, a: string, b: string): number {
  const ia = v.words.indexOf(a);
  const ib = v.words.indexOf(b);
  if (ia < 0 || ib < 0) throw new Error(`word2vec: no vector for "${ia < 0 ? a : b}"`);
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let t = 0; t < v.dim; t++) {
    const x = v.vectors[ia * v.dim + t];
    const y = v.vectors[ib * v.dim + t];
    d += x * y;
    na += x * x;
    nb += y * y;
  }
  return d / Math.sqrt(na * nb);
}

/** Rows for the given words (in that order), as Float64Array for k-means; throws on a missing word. */
export function vectorsFor(v: WordVectors, words: readonly string[]): Float64Array {
  const index = new Map(v.words.map((w, i) => [w, i]));
  const out = new Float64Array(words.length * v.dim);
  words.forEach((w, r) => {
    const i = index.get(w);
    if (i === undefined) throw new Error(`word2vec: no vector for "${w}" (was it below minCount, or absent from the training texts?)`);
    for (let t = 0; t < v.dim; t++) out[r * v.dim + t] = v.vectors[i * v.dim + t];
  });
  return out;
}
