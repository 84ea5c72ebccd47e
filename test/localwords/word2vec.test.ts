/**
 * word2vec's SGNS kernel (lib/localwords/wat/sgns.ts) against a plain-JS
 * reference of the same float32 operations, the assembler against wabt on its
 * text, and the sharded training: identical vectors for two runs with one seed
 * and for one thread against two.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { assembleWat } from "../../lib/training/engine/wat/assemble";
import { CTX, CTX_BYTES, EXP_TABLE_SIZE, MAX_EXP, sgnsWat } from "../../lib/localwords/wat/sgns";
import { corpusSentences, corpusTokens } from "../../lib/localwords/vectors";
import {
  cosine,
  roundWords,
  sgnsKernelModule,
  tokenCorpus,
  trainWord2Vec,
  trainWord2VecTokens,
  type SgnsKernels,
} from "../../lib/localwords/word2vec";

const WA = (globalThis as unknown as { WebAssembly: any }).WebAssembly;
const fr = Math.fround;

test("sgns kernel: the assembler's bytes equal wabt's wat2wasm (SIMD + shared memory)", async () => {
  const wabt = await (require("wabt") as () => Promise<any>)();
  const text = sgnsWat(5);
  // (wabt's JS build rejects shared memories in validate() whatever the features; V8 validates the module below.)
  const mod = wabt.parseWat("sgns.wat", text, { simd: true, threads: true });
  const ref = mod.toBinary({}).buffer as Uint8Array;
  mod.destroy();
  assert.deepEqual(Buffer.from(assembleWat(text)), Buffer.from(ref));
  assert.ok(WA.validate(assembleWat(text)));
  assert.throws(() => sgnsWat(0), /negative must be an integer/);
});

interface RefState {
  tok: Int32Array;
  offs: Int32Array;
  syn0: Float32Array;
  syn1: Float32Array;
  keep: Uint32Array;
  table: Int32Array;
  exp: Float32Array;
  stride: number;
  window: number;
  negative: number;
  rng: number;
  lr0: number;
  done: number;
  total: number;
}

/** sgns_train in plain JS, float32 operation by operation (Math.fround), in the kernel's order. */
function referenceTrain(st: RefState, s0: number, s1: number): number {
  let r = st.rng >>> 0;
  const next = () => {
    r = (r ^ (r << 13)) >>> 0;
    r = (r ^ (r >>> 17)) >>> 0;
    r = (r ^ (r << 5)) >>> 0;
    return r;
  };
  const S = st.stride;
  const K = st.negative + 1;
  let words = 0;
  for (let s = s0; s < s1; s++) {
    const a = st.offs[s];
    const b = st.offs[s + 1];
    const lr = fr(fr(st.lr0) * Math.max(1e-4, 1 - st.done / (st.total + 1)));
    st.done += b - a;
    words += b - a;
    const kept: number[] = [];
    for (let i = a; i < b; i++) {
      const w = st.tok[i];
      const thr = st.keep[w];
      if (thr !== 0xffffffff && next() >= thr) continue;
      kept.push(w);
    }
    for (let pos = 0; pos < kept.length; pos++) {
      const w = kept[pos];
      const bb = 1 + (next() % st.window);
      const lo = Math.max(0, pos - bb);
      const hi = Math.min(kept.length - 1, pos + bb);
      for (let q = lo; q <= hi; q++) {
        if (q === pos) continue;
        const c = kept[q];
        const targets = [w];
        const skip = [false];
        for (let d = 1; d < K; d++) {
          const t = st.table[next() % st.table.length];
          targets.push(t);
          skip.push(t === w);
        }
        const g = targets.map((t, d) => {
          const acc = [0, 0, 0, 0];
          for (let j = 0; j < S; j++) acc[j % 4] = fr(acc[j % 4] + fr(st.syn0[c * S + j] * st.syn1[t * S + j]));
          const f = fr(fr(acc[0] + acc[1]) + fr(acc[2] + acc[3]));
          const label = d === 0 ? 1 : 0;
          if (d > 0 && skip[d]) return 0;
          if (f > MAX_EXP) return fr(fr(label - 1) * lr);
          if (f < -MAX_EXP) return fr(label * lr);
          const idx = Math.trunc(fr(fr(f + MAX_EXP) * fr(EXP_TABLE_SIZE / MAX_EXP / 2)));
          return fr(fr(label - st.exp[idx]) * lr);
        });
        for (let j = 0; j < S; j++) {
          const x = st.syn0[c * S + j];
          let e = 0;
          targets.forEach((t, d) => {
            const v = st.syn1[t * S + j];
            e = fr(e + fr(g[d] * v));
            st.syn1[t * S + j] = fr(v + fr(g[d] * x));
          });
          st.syn0[c * S + j] = fr(x + e);
        }
      }
    }
  }
  st.rng = r;
  return words;
}

test("sgns_train: bit-identical to the float32 reference (sub-sampling, windows, negatives that draw the centre word)", () => {
  const rng = stream(3, "sgns-kernel");
  const V = 12;
  const stride = 8;
  const sentences = Array.from({ length: 30 }, () =>
    Array.from({ length: 2 + rng.int(9) }, () => Math.min(V - 1, Math.floor(V * rng.next() ** 2))),
  );
  const tok = Int32Array.from(sentences.flat());
  const offs = new Int32Array(sentences.length + 1);
  sentences.forEach((s, i) => (offs[i + 1] = offs[i] + s.length));
  const exp = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    exp[i] = e / (e + 1);
  }
  // Some words always kept, some sub-sampled; a small table so that negatives often hit the centre word.
  const keep = Uint32Array.from({ length: V }, (_, w) => (w < 3 ? Math.floor(0.6 * 2 ** 32) : 0xffffffff));
  const table = Int32Array.from({ length: 40 }, (_, i) => i % V);
  const syn0 = Float32Array.from({ length: V * stride }, () => fr((rng.next() - 0.5) / 4));
  const syn1 = Float32Array.from({ length: V * stride }, () => fr((rng.next() - 0.5) / 4));
  const ref: RefState = {
    tok,
    offs,
    syn0: syn0.slice(),
    syn1: syn1.slice(),
    keep,
    table,
    exp,
    stride,
    window: 3,
    negative: 5,
    rng: 12345,
    lr0: 0.5,
    done: 7,
    total: 2000,
  };

  const memory = new WA.Memory({ initial: 4, maximum: 4, shared: true });
  const k = new WA.Instance(sgnsKernelModule(5), { env: { memory } }).exports as SgnsKernels;
  const buf = memory.buffer as SharedArrayBuffer;
  let at = 0;
  const put = <T extends Int32Array | Float32Array | Uint32Array>(a: T): number => {
    const p = at;
    new Uint8Array(buf, p, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    at += Math.ceil(a.byteLength / 16) * 16;
    return p;
  };
  const ctx = put(new Int32Array(CTX_BYTES / 4));
  const i32 = new Int32Array(buf);
  const f32 = new Float32Array(buf);
  const fields: Partial<Record<keyof typeof CTX, number>> = {
    tok: put(tok),
    offs: put(offs),
    syn0: put(syn0),
    syn1: put(syn1),
    keep: put(keep),
    table: put(table),
    tableSize: table.length,
    exp: put(exp),
    stride,
    window: 3,
    negative: 5,
    kept: put(new Int32Array(16)),
    rng: 12345,
    done: 7,
    total: 2000,
    s0: 2,
    s1: 27,
  };
  for (const [name, v] of Object.entries(fields)) i32[(ctx + CTX[name as keyof typeof CTX]) / 4] = v!;
  f32[(ctx + CTX.lr0) / 4] = 0.5;
  const words = k.sgns_train(ctx);
  assert.equal(words, referenceTrain(ref, 2, 27));
  assert.equal(words, offs[27] - offs[2]);
  assert.deepEqual(f32.slice(fields.syn0! / 4, fields.syn0! / 4 + V * stride), ref.syn0);
  assert.deepEqual(f32.slice(fields.syn1! / 4, fields.syn1! / 4 + V * stride), ref.syn1);
  assert.notDeepEqual(ref.syn1, syn1, "the step moved the output vectors");
  assert.equal(new Uint32Array(buf)[(ctx + CTX.rng) / 4], ref.rng);
  assert.equal(i32[(ctx + CTX.done) / 4], ref.done);

  // sgns_merge: m + (a − m) + (b − m) into all three.
  const m = put(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  const a = put(Float32Array.from([1.5, 2, 3, 4, 5, 6, 7, 9]));
  const b = put(Float32Array.from([1, 2.25, 3, 4, 5, 6, 7, 8]));
  k.sgns_merge(m, a, b, 8);
  const want = [1.5, 2.25, 3, 4, 5, 6, 7, 9];
  for (const p of [m, a, b]) assert.deepEqual(Array.from(f32.slice(p / 4, p / 4 + 8)), want);
});

function topicSentences(n: number): string[][] {
  const r = stream(2, "corpus");
  return Array.from({ length: n }, (_, i) => {
    const topic = i % 2 ? ["snow", "ice", "cold", "sled", "winter"] : ["sun", "beach", "heat", "surf", "summer"];
    return Array.from({ length: 8 }, () => r.choice(topic));
  });
}

test("word2vec: the same vectors for two runs with one seed, and on one thread or two; another seed differs", () => {
  const sents = topicSentences(3000);
  const opts = { dim: 12, epochs: 3, sample: 1e-3 } as const;
  const a = trainWord2Vec(sents, stream(1, "w2v"), { ...opts, threads: 1 });
  const b = trainWord2Vec(sents, stream(1, "w2v"), { ...opts, threads: 1 });
  const c = trainWord2Vec(sents, stream(1, "w2v"), { ...opts, threads: 2 });
  const d = trainWord2Vec(sents, stream(2, "w2v"), { ...opts, threads: 2 });
  assert.deepEqual(a.vectors, b.vectors);
  assert.deepEqual(a.vectors, c.vectors);
  assert.notDeepEqual(a.vectors, d.vectors);
  assert.equal(a.vectors.length, a.words.length * 12);
  assert.ok(
    cosine(a, "snow", "ice") > cosine(a, "snow", "beach") + 0.2,
    `snow~ice ${cosine(a, "snow", "ice")} snow~beach ${cosine(a, "snow", "beach")}`,
  );
  // Several rounds per epoch (the merges are exercised), and a dimension that is not a multiple of 4.
  assert.ok(a.words.length && (3000 * 8) / 2 > roundWords((3000 * 8) / 2));
  const odd = trainWord2Vec(sents, stream(1, "w2v"), { ...opts, dim: 7, threads: 2 });
  assert.deepEqual(odd.vectors, trainWord2Vec(sents, stream(1, "w2v"), { ...opts, dim: 7, threads: 1 }).vectors);
  assert.ok(cosine(odd, "snow", "ice") > cosine(odd, "snow", "beach"));
});

test("tokenCorpus: vocabulary by count then word, words below minCount left out of the sentences", () => {
  const tc = tokenCorpus([["b", "a", "c", "a"], ["c", "b", "a"], ["d"]], 2);
  assert.deepEqual(tc.words, ["a", "b", "c"]);
  assert.deepEqual(Array.from(tc.counts), [3, 2, 2]);
  assert.deepEqual(Array.from(tc.tokens), [1, 0, 2, 0, 2, 1, 0]);
  assert.deepEqual(Array.from(tc.offsets), [0, 4, 7, 7]);
  assert.throws(
    () => trainWord2VecTokens({ ...tc, tokens: Int32Array.from([0, 9]), offsets: Int32Array.from([0, 2]) }, stream(1, "x")),
    /id 9 outside/,
  );
});

test("corpusTokens: the same ids as tokenCorpus over corpusSentences (tweets; bag-of-words)", () => {
  const r = stream(4, "tokens");
  const users = Array.from({ length: 60 }, (_, u) => {
    const sentences = Array.from({ length: 1 + r.int(4) }, () =>
      Array.from({ length: 1 + r.int(5) }, () => `w${Math.floor(30 * r.next() ** 2)}`),
    );
    const counts = new Map<string, number>();
    for (const s of sentences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
    return { id: `u${u}`, label: "", counts, sentences };
  });
  const report = {
    users: 60,
    tweets: null,
    tokens: 0,
    typesBeforeMerge: null,
    entities: null,
    typesAfterMerge: 0,
    stopTokens: 0,
    stopList: "",
    typesAfterStopwords: 0,
  };
  for (const hasText of [true, false]) {
    const c = { id: "t", fingerprint: "t", hasText, users, report, notes: [] };
    for (const minCount of [1, 3]) assert.deepEqual(corpusTokens(c, 1, minCount), tokenCorpus(corpusSentences(c, 1, minCount)));
  }
});
