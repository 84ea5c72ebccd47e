/**
 * Padding masks (lib/models/layers/mask.ts, attention.ts, maxovertime.ts):
 * checked against plain-JS references, and by invariance — with masks, what
 * sits in pad positions (or how many there are) cannot change an output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/tfjs/backend";
import { stream } from "../../lib/runtime/rng";
import { MultiHeadAttention } from "../../lib/models/layers/attention";
import { maxOverTime } from "../../lib/models/layers/maxovertime";
import { PadMask, PoolMask } from "../../lib/models/layers/mask";
import { buildMrlf, mrlfConfig, type MrlfConfig } from "../../lib/models/mrlf";

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

const randn = (n: number, name: string) => {
  const r = stream(3, name);
  return Float32Array.from({ length: n }, () => r.normal());
};

/** softmax over the keys with m = 1, times m; rows without a real key give 0. Plain JS, one head at a time. */
function referenceAttention(q: number[][], k: number[][], v: number[][], mask: number[], scale: number): number[][] {
  return q.map((qi) => {
    const s = k.map((kj, j) => (mask[j] ? qi.reduce((a, x, d) => a + x * kj[d], 0) * scale : -Infinity));
    const mx = Math.max(...s);
    const e = s.map((x) => (x === -Infinity ? 0 : Math.exp(x - mx)));
    const z = e.reduce((a, b) => a + b, 0);
    const w = e.map((x) => (z > 0 ? x / z : 0));
    return v[0].map((_, d) => w.reduce((a, wj, j) => a + wj * v[j][d], 0));
  });
}

test("masked attention equals a plain-JS reference, and a row of pads attends to nothing", async () => {
  await selectBackend();
  const B = 2,
    Tq = 3,
    Tk = 5,
    D = 4,
    heads = 2,
    headDim = 3;
  const layer = new MultiHeadAttention({ heads, headDim, seed: 7, masked: true, name: "att" });
  const q = tf.tensor3d(randn(B * Tq * D, "q"), [B, Tq, D]);
  const kv = tf.tensor3d(randn(B * Tk * D, "kv"), [B, Tk, D]);
  const mask = tf.tensor2d([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [B, Tk]);
  const out = (layer.apply([q, kv, mask]) as tf.Tensor).arraySync() as number[][][];
  const [wq, wk, wv, bq, bk, bv] = layer.getWeights().map((w) => w.arraySync() as number[][] | number[]);
  const proj = (x: number[][], w: number[][], b: number[]) =>
    x.map((row) => b.map((bi, o) => bi + row.reduce((a, xi, i) => a + xi * w[i][o], 0)));
  const qs = q.arraySync() as number[][][];
  const ks = kv.arraySync() as number[][][];
  const ms = mask.arraySync() as number[][];
  for (let b = 0; b < B; b++) {
    const Q = proj(qs[b], wq as number[][], bq as number[]);
    const K = proj(ks[b], wk as number[][], bk as number[]);
    const V = proj(ks[b], wv as number[][], bv as number[]);
    const want: number[][] = Array.from({ length: Tq }, () => []);
    for (let h = 0; h < heads; h++) {
      const cut = (m: number[][]) => m.map((r) => r.slice(h * headDim, (h + 1) * headDim));
      referenceAttention(cut(Q), cut(K), cut(V), ms[b], 1 / Math.sqrt(headDim)).forEach((r, i) => want[i].push(...r));
    }
    close(out[b].flat(), want.flat(), 1e-4, `batch ${b}`);
  }
  assert.ok(
    out[1].flat().every((x) => x === 0),
    "a row whose keys are all pads outputs zeros",
  );
});

test("with masks, pad positions cannot change attention or max-over-time (junk in pads, more pads)", async () => {
  await selectBackend();
  const B = 2,
    T = 4,
    D = 3;
  const x = randn(B * T * D, "x");
  const mask = [1, 1, 1, 0, 1, 0, 0, 0];
  // The same real positions, then junk in the pads and two extra pad positions.
  const T2 = T + 2;
  const x2 = randn(B * T2 * D, "junk");
  const mask2: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T2; t++) {
      const real = t < T && mask[b * T + t] === 1;
      mask2.push(real ? 1 : 0);
      if (real) for (let d = 0; d < D; d++) x2[(b * T2 + t) * D + d] = x[(b * T + t) * D + d];
    }
  }
  const att = new MultiHeadAttention({ heads: 1, headDim: 2, seed: 3, masked: true, name: "self" });
  const a1 = att.apply([tf.tensor3d(x, [B, T, D]), tf.tensor2d(mask, [B, T])]) as tf.Tensor;
  const a2 = att.apply([tf.tensor3d(x2, [B, T2, D]), tf.tensor2d(mask2, [B, T2])]) as tf.Tensor;
  const m1 = maxOverTime(a1 as tf.Tensor3D, tf.tensor2d(mask, [B, T])).dataSync();
  const m2 = maxOverTime(a2 as tf.Tensor3D, tf.tensor2d(mask2, [B, T2])).dataSync();
  close(m1, m2, 1e-5, "masked attention + max");
  const unmasked1 = maxOverTime(tf.tensor3d(x, [B, T, D])).dataSync();
  const unmasked2 = maxOverTime(tf.tensor3d(x2, [B, T2, D])).dataSync();
  assert.ok(
    Array.from(unmasked1).some((v, i) => Math.abs(v - unmasked2[i]) > 1e-3),
    "without the mask the junk shows (the test can fail)",
  );
});

test("masked max-over-time: value and gradient equal a tf.where reference; an all-pad row gives 0 and no gradient", async () => {
  await selectBackend();
  const B = 3,
    T = 5,
    C = 4;
  const x = tf.tensor3d(randn(B * T * C, "mx"), [B, T, C]);
  const mask = tf.tensor2d([1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], [B, T]);
  const w = tf.tensor2d(randn(B * C, "w"), [B, C]);
  const ours = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxOverTime(v as tf.Tensor3D, mask), w)))(x);
  const big = tf.mul(tf.sub(1, mask.reshape([B, T, 1])), -1e9);
  const ref = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mul(tf.max(tf.add(v, big), 1), tf.max(mask, 1, true)), w)))(x);
  close(ours.dataSync(), ref.dataSync(), 1e-6, "gradient");
  const y = maxOverTime(x, mask).arraySync() as number[][];
  assert.deepEqual(y[2], [0, 0, 0, 0], "no real position → 0");
  const xs = x.arraySync() as number[][][];
  assert.deepEqual(y[1], xs[1][2], "the only real position of row 1");
});

test("PadMask and PoolMask: id 0 is padding; a pooled window is real when any of its positions is", async () => {
  await selectBackend();
  const m = new PadMask({}).apply(tf.tensor2d([5, 3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0], [1, 13], "int32")) as tf.Tensor;
  assert.deepEqual(Array.from(m.dataSync()), [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  const p = new PoolMask({ window: 3 }).apply(m) as tf.Tensor;
  assert.deepEqual(p.shape, [1, 4]);
  assert.deepEqual(Array.from(p.dataSync()), [1, 0, 1, 0]);
  assert.throws(() => new PoolMask({ window: 0 }), /window must be a positive integer/);
});

/** The same weights at two padded lengths: with masks a short post's logits cannot depend on how much padding follows. */
test("MRLF with padding masks gives the same logits at two padded lengths; without masks it does not", async () => {
  await selectBackend();
  const base: Partial<MrlfConfig> = {
    maxTextWords: 6,
    maxTags: 4,
    embedDim: 8,
    filters: 8,
    heads: 2,
    headDim: 4,
    ffnDim: 8,
    imageOut: 4,
    dropout: 0,
  };
  const sizes = { numClasses: 3, charVocab: 12, wordVocab: 10, tagVocab: 9, imageDim: 5 };
  const r = stream(9, "mrlf-pad");
  const n = 3;
  const chars = Array.from({ length: n }, () => Array.from({ length: 10 + r.int(8) }, () => 2 + r.int(10)));
  const tagChars = Array.from({ length: n }, () => Array.from({ length: 6 + r.int(6) }, () => 2 + r.int(10)));
  const pad = (rows: number[][], T: number) =>
    tf.tensor2d(
      rows.flatMap((row) => [...row, ...new Array(T - row.length).fill(0)]),
      [rows.length, T],
      "int32",
    );
  const words = tf.tensor2d(
    Array.from({ length: n * 6 }, (_, i) => (i % 6 < 3 ? 2 + r.int(8) : 0)),
    [n, 6],
    "int32",
  );
  const tags = tf.tensor2d(
    Array.from({ length: n * 4 }, (_, i) => (i % 4 < 2 ? 2 + r.int(7) : 0)),
    [n, 4],
    "int32",
  );
  const image = tf.tensor2d(randn(n * 5, "img"), [n, 5]);
  for (const paddingMask of [true, false]) {
    const logits = (T: number, weights?: tf.Tensor[]) => {
      const cfg = mrlfConfig(sizes, { ...base, maxTextChars: T, maxTagChars: T, paddingMask });
      const m = buildMrlf(cfg, stream(4, "weights"));
      if (weights) m.setWeights(weights);
      return { m, y: (m.predict([pad(chars, T), words, pad(tagChars, T), tags, image]) as tf.Tensor).dataSync() };
    };
    const a = logits(40);
    const b = logits(60, a.m.getWeights());
    const maxDiff = Math.max(...Array.from(a.y, (v, i) => Math.abs(v - b.y[i])));
    if (paddingMask) assert.ok(maxDiff < 1e-4, `masked: logits differ by ${maxDiff} between 40 and 60 padded characters`);
    else assert.ok(maxDiff > 1e-4, `unmasked: padding should change the logits (max diff ${maxDiff})`);
  }
});
