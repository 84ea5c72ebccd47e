/**
 * word2vec skip-gram with negative sampling (Mikolov et al. 2013), seeded and
 * reproducible bit for bit, on one or two threads with the same result.
 *
 * For a centre word w and each context word c within a randomly shrunk window
 * (b ~ U{1..window}), with σ the logistic function, v = input vectors and
 * u = output vectors, one SGD step maximises
 *   log σ(u_w · v_c) + Σ_{n=1..negative} log σ(−u_{z_n} · v_c),  z_n ~ P(w)^0.75
 * (word2vec.c's convention: the context word's input vector is updated).
 * Frequent words are subsampled with keep probability
 * (sqrt(f/(s·T)) + 1) · (s·T)/f (word2vec.c), the learning rate decays
 * linearly from `lr` to lr·1e-4, and σ comes from word2vec.c's 1000-entry table
 * (1 above 6, 0 below −6). The inner loop — sub-sampling, windows, negatives,
 * dot products and updates — is one WebAssembly SIMD kernel (./wat/sgns.ts).
 *
 * Parallelism that changes no number. gensim and word2vec.c run threads
 * "Hogwild": each thread updates the shared vectors whenever it likes, so a
 * run depends on the thread count and on scheduling. Here the corpus is cut
 * into W2V_SHARDS = 2 fixed shards (contiguous halves by words), and training
 * runs in rounds: in each round every shard trains, with plain sequential SGD,
 * on its next `roundWords` words against its own copy of the vectors, all
 * copies starting from the same snapshot; then the shards' changes are added to
 * the snapshot in a fixed order, m ← m + (a − m) + (b − m), and the copies
 * reset to it. The shards' rounds and the merge are the same computation
 * whether one thread runs both shards or two threads run one each, so the
 * vectors are identical for any thread count (test/localwords/word2vec.test.ts).
 * What changes against Hogwild: within a round a shard does not see the other
 * shard's updates (staleness of one round, ≈ 1/16 of an epoch), and a row both
 * shards changed receives both changes summed, as sequential SGD would apply
 * them one after the other, minus their interaction within the round. With a
 * helper thread (two cores given, lib/runtime/slots.ts) the
 * second shard runs beside the first.
 *
 * Randomness: per shard one xorshift32 state seeded from the given stream
 * (`rng.seedInt()`), as word2vec.c's LCG: an ARC4 call per negative sample would
 * dominate the run time; the initial vectors use a third state.
 *
 * Contexts for bag-of-words data (GeoText has no word order): each user's
 * "sentence" is the multiset of their words (each repeated by its count) in a
 * seeded random order, so context = co-occurrence within the same user's text,
 * sampled in proportion to the counts. See `bagSentences`.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { Rng } from "../runtime/rng";
import { assembleWat } from "../training/engine/wat/assemble";
import { helperWanted } from "../runtime/slots";
import { CTX, CTX_BYTES, EXP_TABLE_SIZE, MAX_EXP, sgnsWat } from "./wat/sgns";

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
  /**
   * Threads to run the shards on: 1, 2, or "auto" (default: a helper thread
   * when the process was given two cores (GEOREPRO_THREADS), GEOREPRO_TRAIN_WORKERS). The vectors do not
   * depend on it.
   */
  threads?: 1 | 2 | "auto";
}

export const WORD2VEC_DEFAULTS: Required<Omit<Word2VecOptions, "onEpoch" | "threads">> = {
  dim: 100,
  window: 5,
  negative: 5,
  epochs: 5,
  lr: 0.025,
  sample: 1e-3,
  minCount: 1,
};

/** Fixed shard count of the deterministic parallel scheme (see the module doc). */
export const W2V_SHARDS = 2;

export interface WordVectors {
  words: string[];
  dim: number;
  /** words.length × dim, row-major. */
  vectors: Float32Array;
}

/**
 * Sentences as word ids: `words` in vocabulary order (count descending, then
 * the word), `counts` their corpus counts, and sentence s the ids
 * tokens[offsets[s] .. offsets[s+1]).
 */
export interface TokenCorpus {
  words: string[];
  counts: Float64Array;
  tokens: Int32Array;
  offsets: Int32Array;
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

/** Vocabulary (count ≥ minCount, by count then word) and the sentences as ids; words below minCount are left out. */
export function tokenCorpus(sentences: readonly (readonly string[])[], minCount = 1): TokenCorpus {
  const freq = new Map<string, number>();
  let n = 0;
  for (const s of sentences) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  const words = [...freq.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  const index = new Map(words.map((w, i) => [w, i]));
  for (const s of sentences) for (const w of s) if (index.has(w)) n++;
  const tokens = new Int32Array(n);
  const offsets = new Int32Array(sentences.length + 1);
  let at = 0;
  sentences.forEach((s, i) => {
    for (const w of s) {
      const id = index.get(w);
      if (id !== undefined) tokens[at++] = id;
    }
    offsets[i + 1] = at;
  });
  return { words, counts: Float64Array.from(words, (w) => freq.get(w)!), tokens, offsets };
}

export function trainWord2Vec(sentences: readonly (readonly string[])[], rng: Rng, options: Word2VecOptions = {}): WordVectors {
  const o = { ...WORD2VEC_DEFAULTS, ...options };
  checkOptions(o);
  return trainWord2VecTokens(tokenCorpus(sentences, o.minCount), rng, options);
}

function checkOptions(o: Required<Omit<Word2VecOptions, "onEpoch" | "threads">>): void {
  for (const k of ["dim", "window", "negative", "epochs"] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`word2vec: ${k} must be a positive integer, got ${o[k]}`);
  if (!(o.lr > 0)) throw new Error(`word2vec: lr must be > 0, got ${o.lr}`);
  if (!(o.sample >= 0)) throw new Error(`word2vec: sample must be ≥ 0, got ${o.sample}`);
}

// ---- the kernel and its memory ----------------------------------------------------------------

interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface SgnsKernels {
  sgns_train(ctx: number): number;
  sgns_merge(m: number, a: number, b: number, n: number): void;
}

const sgnsModules = new Map<number, object>();
/** The kernel module for `negative` negatives (assembled once per process and value). */
export function sgnsKernelModule(negative: number): object {
  let m = sgnsModules.get(negative);
  if (!m) sgnsModules.set(negative, (m = new WA.Module(assembleWat(sgnsWat(negative)))));
  return m;
}

/** Bump allocator over byte offsets, 16-aligned. */
function layout(): { take(bytes: number): number; end(): number } {
  let at = 0;
  return {
    take(bytes: number) {
      const p = at;
      at += Math.ceil(bytes / 16) * 16;
      return p;
    },
    end: () => at,
  };
}

// ---- the helper thread --------------------------------------------------------------------------

/** Slots of the control block (Int32Array indices) shared with ./word2vec-worker.ts. */
export const CTL = { cmd: 0, result: 1, ready: 2, error: 3, arg0: 4 } as const;
export const CMD = { idle: 0, train: 1, merge: 2, quit: 3 } as const;
export const CTL_INTS = 16;
/** How long the main thread waits for the helper to start before it runs both shards itself. */
const HELPER_START_MS = 10_000;
/** A job the helper has not finished in this long means it died: stop with an error. */
const HELPER_JOB_MS = 600_000;

let sharedWorker: Worker | null = null;

interface Helper {
  run(cmd: number, args: number[]): void;
  wait(): number;
  quit(): void;
}

/** Start (or reuse) the helper thread on `memory`; null if it does not come up in time. */
function startHelper(memory: WasmMemory, module: object, ctlPtr: number): Helper | null {
  const ctl = new Int32Array(memory.buffer, ctlPtr, CTL_INTS);
  sharedWorker ??= new Worker(path.join(__dirname, "word2vec-worker.js"));
  sharedWorker.unref();
  Atomics.store(ctl, CTL.ready, 0);
  sharedWorker.postMessage({ memory, module, ctl: ctlPtr });
  if (Atomics.wait(ctl, CTL.ready, 0, HELPER_START_MS) === "timed-out" && Atomics.load(ctl, CTL.ready) === 0) return null;
  let pending = 0;
  return {
    run(cmd, args) {
      args.forEach((a, i) => (ctl[CTL.arg0 + i] = a));
      pending = cmd;
      Atomics.store(ctl, CTL.cmd, cmd);
      Atomics.notify(ctl, CTL.cmd);
    },
    wait() {
      const t0 = Date.now();
      while (Atomics.load(ctl, CTL.cmd) === pending) {
        Atomics.wait(ctl, CTL.cmd, pending, 1000);
        if (Date.now() - t0 > HELPER_JOB_MS) throw new Error("word2vec: the helper thread stopped answering");
      }
      if (Atomics.load(ctl, CTL.error)) throw new Error("word2vec: the helper thread failed (see its message above)");
      return ctl[CTL.result];
    },
    quit() {
      Atomics.store(ctl, CTL.cmd, CMD.quit);
      Atomics.notify(ctl, CTL.cmd);
    },
  };
}

// ---- training -------------------------------------------------------------------------------------

/** Words per shard between merges: about 1/16 of a shard's epoch, within [4096, 2^20]. */
export function roundWords(wordsPerShardEpoch: number): number {
  return Math.max(4096, Math.min(1 << 20, Math.ceil(wordsPerShardEpoch / 16)));
}

/** Train on a corpus already in ids (see `tokenCorpus`). */
export function trainWord2VecTokens(c: TokenCorpus, rng: Rng, options: Word2VecOptions = {}): WordVectors {
  const o = { ...WORD2VEC_DEFAULTS, ...options };
  checkOptions(o);
  const V = c.words.length;
  const dim = o.dim;
  const stride = Math.ceil(dim / 4) * 4;
  const nSent = c.offsets.length - 1;
  const total = c.tokens.length;
  if (V === 0) return { words: [], dim, vectors: new Float32Array(0) };
  for (let i = 0; i < total; i++)
    if (!(c.tokens[i] >= 0 && c.tokens[i] < V)) throw new Error(`word2vec: token ${i}: id ${c.tokens[i]} outside 0..${V - 1}`);

  // Shards: contiguous halves of the sentences by words.
  let cut = 0;
  while (cut < nSent && c.offsets[cut + 1] * 2 <= total) cut++;
  const shards = [
    { s0: 0, s1: cut },
    { s0: cut, s1: nSent },
  ];
  let longest = 0;
  for (let s = 0; s < nSent; s++) longest = Math.max(longest, c.offsets[s + 1] - c.offsets[s]);

  const tableSize = Math.max(1000, Math.min(10_000_000, V * 100));
  const rowBytes = stride * 4;
  const L = layout();
  const ctlPtr = L.take(CTL_INTS * 4);
  const ctxPtr = [L.take(CTX_BYTES), L.take(CTX_BYTES)];
  const expPtr = L.take(EXP_TABLE_SIZE * 4);
  const keepPtr = L.take(V * 4);
  const tablePtr = L.take(tableSize * 4);
  const tokPtr = L.take(total * 4);
  const offsPtr = L.take((nSent + 1) * 4);
  const masterPtr = [L.take(V * rowBytes), L.take(V * rowBytes)];
  const copyPtr = [
    [L.take(V * rowBytes), L.take(V * rowBytes)],
    [L.take(V * rowBytes), L.take(V * rowBytes)],
  ];
  const keptPtr = [L.take(Math.max(1, longest) * 4), L.take(Math.max(1, longest) * 4)];
  const pages = Math.ceil(L.end() / 65536) + 1;
  if (pages > 65536) throw new Error(`word2vec: ${V} words × ${dim} and ${total} tokens need more than 4 GiB of kernel memory`);
  const memory = new WA.Memory({ initial: pages, maximum: pages, shared: true });
  const buf = memory.buffer;
  const f32 = new Float32Array(buf);
  const i32 = new Int32Array(buf);
  const u32 = new Uint32Array(buf);

  // σ table (word2vec.c), keep thresholds, unigram^0.75 table, corpus.
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    f32[expPtr / 4 + i] = e / (e + 1);
  }
  for (let i = 0; i < V; i++) {
    const f = c.counts[i];
    const st = o.sample * total;
    const keep = o.sample > 0 ? Math.min(1, (Math.sqrt(f / st) + 1) * (st / f)) : 1;
    u32[keepPtr / 4 + i] = keep >= 1 ? 0xffffffff : Math.floor(keep * 4294967296);
  }
  {
    let z = 0;
    for (const n of c.counts) z += Math.pow(n, 0.75);
    let i = 0;
    let cum = Math.pow(c.counts[0], 0.75) / z;
    const t = tablePtr / 4;
    for (let a = 0; a < tableSize; a++) {
      i32[t + a] = i;
      if (a / tableSize > cum && i < V - 1) {
        i++;
        cum += Math.pow(c.counts[i], 0.75) / z;
      }
    }
  }
  i32.set(c.tokens, tokPtr / 4);
  i32.set(c.offsets, offsPtr / 4);

  // Initial vectors: syn0 uniform in ±0.5/dim, syn1 0 (padding lanes 0); every copy starts equal.
  const init = xorshift(rng.seedInt());
  const seeds = [rng.seedInt(), rng.seedInt()];
  for (let w = 0; w < V; w++) {
    const row = masterPtr[0] / 4 + w * stride;
    for (let t = 0; t < dim; t++) f32[row + t] = (init() / 4294967296 - 0.5) / dim;
  }
  for (const s of [0, 1]) {
    new Uint8Array(buf, copyPtr[s][0], V * rowBytes).set(new Uint8Array(buf, masterPtr[0], V * rowBytes));
  }
  const perShard = shards.map((sh) => c.offsets[sh.s1] - c.offsets[sh.s0]);
  const R = roundWords(Math.max(...perShard));
  shards.forEach((sh, s) => {
    const p = ctxPtr[s];
    const set = (k: keyof typeof CTX, v: number) => (i32[(p + CTX[k]) / 4] = v);
    set("tok", tokPtr);
    set("offs", offsPtr);
    set("syn0", copyPtr[s][0]);
    set("syn1", copyPtr[s][1]);
    set("keep", keepPtr);
    set("table", tablePtr);
    set("tableSize", tableSize);
    set("exp", expPtr);
    set("stride", stride);
    set("window", o.window);
    set("negative", o.negative);
    set("kept", keptPtr[s]);
    u32[(p + CTX.rng) / 4] = seeds[s] >>> 0 || 0x9e3779b9;
    f32[(p + CTX.lr0) / 4] = o.lr;
    set("done", 0);
    set("total", perShard[s] * o.epochs);
  });

  const module = sgnsKernelModule(o.negative);
  const k = new WA.Instance(module, { env: { memory } }).exports as SgnsKernels;
  const want = o.threads === "auto" || o.threads === undefined ? (helperWanted() ? 2 : 1) : o.threads;
  if (want !== 1 && want !== 2) throw new Error(`word2vec: threads must be 1, 2 or "auto", got ${String(o.threads)}`);
  let helper: Helper | null = null;
  let helperFailed = false;
  const floats = V * stride;
  const half = Math.ceil(V / 2) * stride;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      // Each shard walks its slice in rounds of R words (whole sentences).
      const next = shards.map((sh) => sh.s0);
      for (let round = 1; next.some((n, s) => n < shards[s].s1); round++) {
        const ends = shards.map((sh, s) => {
          let e = next[s];
          const limit = c.offsets[sh.s0] + round * R;
          while (e < sh.s1 && c.offsets[e] < limit) e++;
          return e;
        });
        shards.forEach((_, s) => {
          i32[(ctxPtr[s] + CTX.s0) / 4] = next[s];
          i32[(ctxPtr[s] + CTX.s1) / 4] = ends[s];
        });
        // The helper, if one is wanted now (checked every round: the result does not depend on it).
        if (want === 2 && !helper && !helperFailed && (o.threads === 2 || helperWanted())) {
          helper = startHelper(memory, module, ctlPtr);
          helperFailed = helper === null;
        }
        const useHelper = helper !== null && (o.threads === 2 || helperWanted());
        if (useHelper) {
          helper!.run(CMD.train, [ctxPtr[1]]);
          k.sgns_train(ctxPtr[0]);
          helper!.wait();
          // Merge both matrices: the helper the first half of the rows, this thread the second.
          helper!.run(CMD.merge, [masterPtr[0], copyPtr[0][0], copyPtr[1][0], masterPtr[1], copyPtr[0][1], copyPtr[1][1], half]);
          for (const m of [0, 1]) k.sgns_merge(masterPtr[m] + half * 4, copyPtr[0][m] + half * 4, copyPtr[1][m] + half * 4, floats - half);
          helper!.wait();
        } else {
          k.sgns_train(ctxPtr[0]);
          k.sgns_train(ctxPtr[1]);
          for (const m of [0, 1]) k.sgns_merge(masterPtr[m], copyPtr[0][m], copyPtr[1][m], floats);
        }
        shards.forEach((_, s) => (next[s] = ends[s]));
      }
      o.onEpoch?.(epoch + 1, o.epochs);
    }
  } finally {
    helper?.quit();
  }
  const vectors = new Float32Array(V * dim);
  for (let w = 0; w < V; w++) vectors.set(f32.subarray(masterPtr[0] / 4 + w * stride, masterPtr[0] / 4 + w * stride + dim), w * dim);
  return { words: c.words, dim, vectors };
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
