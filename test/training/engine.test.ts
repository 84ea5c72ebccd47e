/**
 * The training engine (lib/training/engine) against references: each WASM
 * kernel against a plain-JS loop, the assembler against wabt, and whole
 * models (tiny ResNet50, DenseNet121, every MRLF variant, DeepGeo, the
 * MobileNetV2 top) against tfjs —
 * loss, every gradient, BatchNorm moving statistics, inference
 * probabilities, one optimizer step.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/tfjs/backend";
import { stream, type Rng } from "../../lib/runtime/rng";
import { EngineTrainer, kernelsWat } from "../../lib/training/engine";
import { instantiateKernels, newMemory, TN_ROW_BLOCK, type Kernels } from "../../lib/training/engine/simd";
import { assembleWat } from "../../lib/training/engine/wat/assemble";
import { dropoutKey, dropoutMaskReference, dropoutThreshold } from "../../lib/training/engine/ops/shape";
import { padKeySkipping } from "../../lib/training/engine/ops/attention";
import { engineFor, predictProbs } from "../../lib/training";
import { batchTensors, type LabelledSet } from "../../lib/training/data";
import { buildResNet } from "../../lib/models/baselines/resnet";
import { buildDenseNet121 } from "../../lib/models/baselines/densenet";
import { buildDeepGeo } from "../../lib/models/baselines/deepgeo";
import { buildMobileNetHead, type MobileNetHeadWeights } from "../../lib/models/baselines/mobilenet";
import { AttentionPool, TimeShift } from "../../lib/models/layers/sequence";
import { buildMrlf, mrlfConfig, type MrlfConfig } from "../../lib/models/mrlf";
import { SeededDropout } from "../../lib/models/layers";

// ---- kernels ----------------------------------------------------------------------------

function kernels(pages = 64): { k: Kernels; f: Float32Array; i: Int32Array } {
  const memory = newMemory(pages);
  const k = instantiateKernels(memory);
  return { k, f: new Float32Array(memory.buffer), i: new Int32Array(memory.buffer) };
}

const fill = (f: Float32Array, off: number, n: number, r: Rng) => {
  for (let j = 0; j < n; j++) f[off + j] = r.normal();
};

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  let worst = 0;
  for (let j = 0; j < expected.length; j++) {
    scale = Math.max(scale, Math.abs(expected[j]));
    worst = Math.max(worst, Math.abs(actual[j] - expected[j]));
  }
  assert.ok(scale > 0, `${what}: reference is all zeros (the test would pass vacuously)`);
  assert.ok(worst <= tol * scale, `${what}: max |Δ| ${worst} > ${tol} × ${scale}`);
}

test("engine assembler: byte-identical to wabt's wat2wasm on the kernels' text", async () => {
  const wabt = await (
    require("wabt") as () => Promise<{
      parseWat(n: string, t: string, f: object): { validate(): void; toBinary(o: object): { buffer: Uint8Array }; destroy(): void };
    }>
  )();
  const text = kernelsWat();
  const mod = wabt.parseWat("kernels.wat", text, { simd: true });
  mod.validate();
  const ref = mod.toBinary({}).buffer;
  mod.destroy();
  const ours = assembleWat(text);
  assert.ok(ref.length > 1000);
  assert.deepEqual(Buffer.from(ours), Buffer.from(ref));
  assert.throws(() => assembleWat('(module (func (export "f") (i64.popcnt (local.get 0))))'), /unsupported instruction i64.popcnt/);
});

test("gemm_nn / gemm_tn: strided views, accumulation, every tile edge and the row blocking", () => {
  const { k, f } = kernels(256);
  const r = stream(1, "gemm");
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 8, 8],
    [5, 3, 13],
    [9, 17, 12],
    [7, 2, 33],
    [2 * TN_ROW_BLOCK + 3, 6, 9],
  ];
  for (const [M, K, N] of shapes)
    for (const acc of [0, 1]) {
      const lda = K + 2;
      const ldb = N + 3;
      const ldc = N + 1;
      // Operands far apart: the tn case below reuses them with other shapes.
      const a = 64;
      const b = a + 8192;
      const c = b + 8192;
      fill(f, a, M * lda, r);
      fill(f, b, K * ldb, r);
      fill(f, c, M * ldc, r);
      const c0 = f.slice(c, c + M * ldc);
      k.gemm_nn(4 * a, 4 * b, 4 * c, M, K, N, lda, ldb, ldc, acc);
      const want = Float32Array.from(c0);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = acc ? c0[i * ldc + j] : 0;
          for (let q = 0; q < K; q++) s += f[a + i * lda + q] * f[b + q * ldb + j];
          want[i * ldc + j] = s;
        }
      assertClose(f.slice(c, c + M * ldc), want, 1e-5, `gemm_nn ${M}×${K}×${N} acc=${acc}`);
      // tn: C[M,N] (+)= A[R,M]ᵀ B[R,N] with R = K rows; A's row stride M + 2
      const R = M; // many rows exercise the row blocking
      const Mt = K;
      const ldat = Mt + 2;
      fill(f, a, R * ldat, r);
      fill(f, b, R * ldb, r);
      fill(f, c, Mt * ldc, r);
      const d0 = f.slice(c, c + Mt * ldc);
      k.gemm_tn(4 * a, 4 * b, 4 * c, R, Mt, N, ldat, ldb, ldc, acc);
      const want2 = Float32Array.from(d0);
      for (let i = 0; i < Mt; i++)
        for (let j = 0; j < N; j++) {
          let s = acc ? d0[i * ldc + j] : 0;
          for (let q = 0; q < R; q++) s += f[a + q * ldat + i] * f[b + q * ldb + j];
          want2[i * ldc + j] = s;
        }
      assertClose(f.slice(c, c + Mt * ldc), want2, 1e-5, `gemm_tn ${R}×${Mt}×${N} acc=${acc}`);
    }
});

test("transpose, col_sums, softmax (and its gradient), relu, vmul", () => {
  const { k, f } = kernels();
  const r = stream(2, "elementwise");
  fill(f, 0, 200, r);
  k.transpose(0, 4 * 1000, 7, 9, 11, 8);
  for (let i = 0; i < 7; i++) for (let j = 0; j < 9; j++) assert.equal(f[1000 + j * 8 + i], f[i * 11 + j]);
  k.col_sums(0, 4 * 1200, 5, 7, 0);
  assertClose(
    f.slice(1200, 1207),
    Array.from({ length: 7 }, (_, j) => [0, 1, 2, 3, 4].reduce((s, i) => s + f[i * 7 + j], 0)),
    1e-6,
    "col_sums",
  );
  // softmax rows of width 13 (vector part + tail), values far apart
  const rows = 3;
  const n = 13;
  for (let j = 0; j < rows * n; j++) f[2000 + j] = 4 * r.normal();
  const x = f.slice(2000, 2000 + rows * n);
  k.softmax_rows(4 * 2000, rows, n);
  const p = Array.from(x);
  for (let i = 0; i < rows; i++) {
    const row = p.slice(i * n, (i + 1) * n);
    const m = Math.max(...row);
    const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
    row.forEach((v, j) => (p[i * n + j] = Math.exp(v - m) / z));
  }
  assertClose(f.slice(2000, 2000 + rows * n), p, 1e-5, "softmax_rows");
  // Masked columns (−1e30) in whole groups of four and across a group's edge: exactly +0, and the
  // other terms the softmax over the real ones (the kernel skips the exp of an all-masked group).
  const masked = Array.from({ length: n }, (_, j) => (j >= 3 && j < 12 ? -1e30 : r.normal()));
  f.set(masked, 2000);
  k.softmax_rows(4 * 2000, 1, n);
  const real = masked.filter((v) => v > -1e29);
  const top = Math.max(...real);
  const zr = real.reduce((s, v) => s + Math.exp(v - top), 0);
  masked.forEach((v, j) =>
    v > -1e29
      ? assert.ok(Math.abs(f[2000 + j] - Math.exp(v - top) / zr) < 1e-6)
      : assert.ok(Object.is(f[2000 + j], 0), `column ${j}: ${f[2000 + j]}`),
  );
  fill(f, 3000, rows * n, r);
  const g = f.slice(3000, 3000 + rows * n);
  k.softmax_back_rows(4 * 2000, 4 * 3000, rows, n);
  const want = Array.from(g, (v, j) => {
    const i = Math.floor(j / n);
    let dot = 0;
    for (let q = 0; q < n; q++) dot += g[i * n + q] * f[2000 + i * n + q];
    return f[2000 + j] * (v - dot);
  });
  assertClose(f.slice(3000, 3000 + rows * n), want, 1e-5, "softmax_back_rows");
  fill(f, 4000, 11, r);
  k.relu_fwd(4 * 4000, 4 * 4100, 11);
  assert.deepEqual(
    Array.from(f.slice(4100, 4111)),
    Array.from(f.slice(4000, 4011), (v) => Math.max(v, 0)),
  );
  fill(f, 4200, 11, r);
  const before = f.slice(4300, 4311);
  k.vmul(4 * 4000, 4 * 4200, 4 * 4300, 11, 1);
  assertClose(
    f.slice(4300, 4311),
    Array.from(before, (v, j) => v + f[4000 + j] * f[4200 + j]),
    1e-6,
    "vmul acc",
  );
});

test("im2col and max pooling match plain loops (padding, stride, ties to the first maximum)", () => {
  const { k, f, i } = kernels();
  const r = stream(3, "spatial");
  const [B, H, W, C] = [2, 5, 6, 6]; // C = 6: one SIMD group + a scalar tail
  fill(f, 0, B * H * W * C, r);
  const [kh, kw, sh, sw, pt, pl] = [3, 2, 2, 1, 1, 0];
  const oH = Math.floor((H + 2 * pt - kh) / sh) + 1;
  const oW = W - kw + 1;
  k.im2col(0, 4 * 2000, B, H, W, C, kh, kw, sh, sw, pt, pl, oH, oW);
  let row = 2000;
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < oH; oh++)
      for (let ow = 0; ow < oW; ow++)
        for (let a = 0; a < kh; a++)
          for (let s = 0; s < kw; s++)
            for (let c = 0; c < C; c++, row++) {
              const ih = oh * sh - pt + a;
              const iw = ow * sw - pl + s;
              assert.equal(f[row], ih >= 0 && ih < H && iw >= 0 && iw < W ? f[((b * H + ih) * W + iw) * C + c] : 0);
            }
  // ties: a window of equal values points at its first element
  f.fill(1, 0, B * H * W * C);
  f[((1 * H + 2) * W + 3) * C + 5] = 2;
  k.maxpool(0, 4 * 5000, 4 * 6000, B, H, W, C, 2, 2, 2, 2, 0, 0, 2, 3);
  assert.equal(i[6000], 0, "first maximum of a tied window");
  const o = ((1 * 2 + 1) * 3 + 1) * C + 5;
  assert.equal(f[5000 + o], 2);
  assert.equal(i[6000 + o], ((1 * H + 2) * W + 3) * C + 5);
});

test("average pooling with 'same' padding: mean over in-bounds elements, and exactly that function's gradient", () => {
  const { k, f } = kernels();
  const r = stream(14, "avgpool");
  const [B, H, W, C] = [2, 5, 4, 6];
  const [ph, pw, sh, sw, pt, pl, oH, oW] = [3, 3, 2, 2, 1, 1, 3, 2];
  fill(f, 0, B * H * W * C, r);
  k.avgpool(0, 4 * 1000, B, H, W, C, ph, pw, sh, sw, pt, pl, oH, oW, 0);
  const windows: { out: number; ins: number[] }[] = [];
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < oH; oh++)
      for (let ow = 0; ow < oW; ow++)
        for (let c = 0; c < C; c++) {
          const ins: number[] = [];
          for (let h = oh * sh - pt; h < oh * sh - pt + ph; h++)
            for (let w = ow * sw - pl; w < ow * sw - pl + pw; w++)
              if (h >= 0 && h < H && w >= 0 && w < W) ins.push(((b * H + h) * W + w) * C + c);
          windows.push({ out: ((b * oH + oh) * oW + ow) * C + c, ins });
        }
  assertClose(
    Array.from(windows, (w) => f[1000 + w.out]),
    windows.map((w) => w.ins.reduce((s, i) => s + f[i], 0) / w.ins.length),
    1e-6,
    "avgpool forward",
  );
  fill(f, 2000, B * oH * oW * C, r);
  f.fill(0, 3000, 3000 + B * H * W * C);
  k.avgpool(4 * 3000, 4 * 2000, B, H, W, C, ph, pw, sh, sw, pt, pl, oH, oW, 1);
  const want = new Float64Array(B * H * W * C);
  for (const w of windows) for (const i of w.ins) want[i] += f[2000 + w.out] / w.ins.length;
  assertClose(f.slice(3000, 3000 + B * H * W * C), want, 1e-6, "avgpool gradient");
});

test("dropout kernel: the reference mask, about 1 − rate kept, fresh per pass", () => {
  const { k, f } = kernels();
  const n = 1003;
  for (let j = 0; j < n; j++) f[j] = 1;
  k.dropout(0, 4 * 2000, 4 * 4000, n, dropoutKey(77, 5), dropoutThreshold(0.3), 1 / 0.7);
  const mask = f.slice(4000, 4000 + n);
  assert.deepEqual(Array.from(mask), Array.from(dropoutMaskReference(77, 5, 0.3, n)));
  const kept = mask.filter((m) => m > 0).length / n;
  assert.ok(Math.abs(kept - 0.7) < 0.05, `kept ${kept}`);
  assert.notDeepEqual(Array.from(dropoutMaskReference(77, 6, 0.3, 64)), Array.from(dropoutMaskReference(77, 5, 0.3, 64)));
});

// ---- whole models against tfjs ------------------------------------------------------------

/** Loss, gradients, moving statistics and inference probabilities of the engine against tfjs. */
async function compareWithTfjs(model: tf.LayersModel, set: LabelledSet, gradTol: number): Promise<EngineTrainer> {
  await selectBackend("wasm");
  const B = set.labels.length;
  const idx = Array.from({ length: B }, (_, j) => j);
  const eng = EngineTrainer.create(model, { batchSize: B, optimizer: "rmsprop", learningRate: 0.001 });
  eng.loadBatch(set, idx);
  const loss = eng.gradients(B);
  const grads = eng.readGradients();
  const xs = batchTensors(set, model.inputNames, idx);
  const ys = tf.oneHot(tf.tensor1d(set.labels, "int32"), model.outputs[0].shape[1] as number);
  const { value, grads: ref } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
  );
  assert.ok(Math.abs(loss - value.dataSync()[0]) < 1e-4 * Math.max(1, loss), `loss ${loss} vs ${value.dataSync()[0]}`);
  assert.equal(grads.size, Object.keys(ref).length, "every trainable weight has a gradient");
  const all = Object.entries(ref).map(([name, t]) => ({ name, want: t.dataSync() as Float32Array, got: grads.get(name) }));
  const globalMax = Math.max(...all.map((g) => Math.max(...Array.from(g.want, Math.abs))));
  for (const { name, want, got } of all) {
    assert.ok(got, `no engine gradient for ${name}`);
    let scale = 0;
    let worst = 0;
    for (let j = 0; j < want.length; j++) {
      scale = Math.max(scale, Math.abs(want[j]));
      worst = Math.max(worst, Math.abs(got![j] - want[j]));
    }
    // Gradients that are zero in exact arithmetic (a bias before BatchNorm) compare against the model's scale.
    assert.ok(worst <= gradTol * Math.max(scale, 1e-3 * globalMax), `${name}: max |Δ| ${worst} vs max |g| ${scale}`);
  }
  // tfjs updated its moving statistics during the training-mode apply above, as the engine did.
  const ew = eng.readWeights();
  model.weights.forEach(
    (w, j) => !w.trainable && assertClose(ew[j], w.read().dataSync() as Float32Array, 1e-4, `moving statistic ${w.name}`),
  );
  const probs = eng.predictProbs(set);
  assertClose(
    probs,
    tf.softmax(model.apply(xs, { training: false }) as tf.Tensor).dataSync() as Float32Array,
    1e-5,
    "inference probabilities",
  );
  tf.dispose([...xs, ys, value, ...Object.values(ref)]);
  return eng;
}

const imageSet = (r: Rng, B: number, S: number, k: number): LabelledSet => ({
  labels: Int32Array.from({ length: B }, () => r.int(k)),
  features: { image: { data: Float32Array.from({ length: B * S * S * 3 }, () => r.normal()), shape: [S, S, 3] } },
});

test("engine = tfjs on a ResNet50 (width 2, 32 px): loss, every gradient, moving statistics, inference", async () => {
  const r = stream(4, "resnet");
  await selectBackend("wasm");
  await compareWithTfjs(
    buildResNet(tf, 5, { depth: 50, inputSize: 32, baseWidth: 2, dropout: 0, bnMomentum: 0.9 }, r.fork("m")),
    imageSet(r, 4, 32, 5),
    1e-3,
  );
});

test("engine = tfjs on a DenseNet121 (growth 2, 32 px)", async () => {
  const r = stream(5, "densenet");
  await selectBackend("wasm");
  // BatchNorm over 4 samples at 1×1 in the last block is ill-conditioned: a looser tolerance.
  await compareWithTfjs(
    buildDenseNet121(tf, 5, { inputSize: 32, growthRate: 2, reduction: 0.5, dropout: 0, bnMomentum: 0.9 }, r.fork("m")),
    imageSet(r, 4, 32, 5),
    5e-3,
  );
});

test("engine = tfjs on odd geometry: stride-2 'same' conv, average and 'same' max pooling, padding, 1-D conv 'valid' stride 2", async () => {
  const r = stream(13, "geometry");
  await selectBackend("wasm");
  const seed = () => ({ seed: r.seedInt() });
  const img = tf.input({ shape: [9, 7, 3], name: "image" });
  let x = tf.layers
    .conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: "same", kernelInitializer: tf.initializers.glorotUniform(seed()) })
    .apply(img) as tf.SymbolicTensor;
  // 'valid': tfjs's average-pooling gradient divides by the full window even where "same" padding
  // cut the window (its forward does not); the engine's is the forward's derivative (tested below).
  x = tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: "valid" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 0],
        [0, 2],
      ],
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: "same" }).apply(x) as tf.SymbolicTensor;
  const a = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const seq = tf.input({ shape: [11, 4], name: "seq" });
  let y = tf.layers
    .conv1d({
      filters: 6,
      kernelSize: 3,
      strides: 2,
      padding: "valid",
      activation: "tanh",
      kernelInitializer: tf.initializers.glorotUniform(seed()),
    })
    .apply(seq) as tf.SymbolicTensor;
  y = tf.layers.flatten().apply(y) as tf.SymbolicTensor;
  const both = tf.layers.concatenate().apply([a, y]) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, activation: "linear", kernelInitializer: tf.initializers.glorotUniform(seed()) })
    .apply(both) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [img, seq], outputs: out });
  const B = 4;
  const set: LabelledSet = {
    labels: Int32Array.from({ length: B }, () => r.int(3)),
    features: {
      image: { data: Float32Array.from({ length: B * 9 * 7 * 3 }, () => r.normal()), shape: [9, 7, 3] },
      seq: { data: Float32Array.from({ length: B * 44 }, () => r.normal()), shape: [11, 4] },
    },
  };
  await compareWithTfjs(model, set, 1e-4);
});

const mrlfSet = (r: Rng, B: number, cfg: MrlfConfig): LabelledSet => {
  const ids = (len: number, v: number) => Int32Array.from({ length: B * len }, () => r.int(v));
  return {
    labels: Int32Array.from({ length: B }, () => r.int(cfg.numClasses)),
    features: {
      textChars: { data: ids(cfg.maxTextChars, cfg.charVocab), shape: [cfg.maxTextChars] },
      textWords: { data: ids(cfg.maxTextWords, cfg.wordVocab), shape: [cfg.maxTextWords] },
      tagChars: { data: ids(cfg.maxTagChars, cfg.charVocab), shape: [cfg.maxTagChars] },
      tagWords: { data: ids(cfg.maxTags, cfg.tagVocab), shape: [cfg.maxTags] },
      image: { data: Float32Array.from({ length: B * cfg.imageDim }, () => r.normal()), shape: [cfg.imageDim] },
    },
  };
};

/** Real ids (≥ 1) up to a per-sample length, pads (0) after it; sample 0 has an empty caption. */
function padCaptions(set: LabelledSet, cfg: MrlfConfig, B: number, r: Rng): void {
  for (const [key, len] of [
    ["textChars", cfg.maxTextChars],
    ["textWords", cfg.maxTextWords],
    ["tagChars", cfg.maxTagChars],
    ["tagWords", cfg.maxTags],
  ] as const) {
    const ids = set.features[key].data as Int32Array;
    for (let b = 0; b < B; b++) {
      const real = key.startsWith("text") && b === 0 ? 0 : 1 + r.int(Math.ceil(len / 2));
      for (let t = 0; t < len; t++) ids[b * len + t] = t < real ? 1 + (ids[b * len + t] % 20) : 0;
    }
  }
}

const MRLF_TINY = {
  embedDim: 8,
  filters: 8,
  heads: 2,
  headDim: 4,
  ffnDim: 8,
  imageOut: 8,
  dropout: 0,
  maxTextChars: 30,
  maxTextWords: 12,
  maxTagChars: 30,
  maxTags: 10,
};

for (const variant of [
  {},
  { useImage: false },
  { useText: false },
  { useTags: false },
  { fusion: "text-tag-end" },
  { fusion: "text-image" },
  { fusion: "tag-image" },
  { fusion: "concat" },
] as Partial<MrlfConfig>[])
  test(`engine = tfjs on MRLF ${JSON.stringify(variant)} (dropout off for the comparison)`, async () => {
    const r = stream(6, `mrlf ${JSON.stringify(variant)}`);
    await selectBackend("wasm");
    // char ids (30) are fewer than a batch's positions (3 × 30): their convs run from per-tap tables;
    // word ids (50 text, 40 tags) are not: those convs run as products of the embedded input.
    const cfg = mrlfConfig({ numClasses: 5, charVocab: 30, wordVocab: 50, tagVocab: 40, imageDim: 8 }, { ...MRLF_TINY, ...variant });
    const eng = await compareWithTfjs(buildMrlf(cfg, r.fork("m")), mrlfSet(r, 3, cfg), 1e-4);
    const kinds = eng.plan.ops.map((o) => o.kind);
    assert.ok(kinds.includes("Embedding (read by its convs)") && kinds.includes("Embedding"), kinds.join(" "));
  });

test("engine = tfjs on MRLF with padded sequences (masks): short captions, and one post with no caption at all", async () => {
  const r = stream(7, "mrlf padded");
  await selectBackend("wasm");
  const cfg = mrlfConfig({ numClasses: 5, charVocab: 30, wordVocab: 50, tagVocab: 40, imageDim: 8 }, MRLF_TINY);
  assert.equal(cfg.paddingMask, true);
  const B = 4;
  const set = mrlfSet(r, B, cfg);
  padCaptions(set, cfg, B, r);
  const eng = await compareWithTfjs(buildMrlf(cfg, r.fork("m")), set, 1e-4);
  const kinds = eng.plan.ops.map((o) => o.kind);
  for (const k of ["PadMask", "PoolMask", "MaxOverTime (masked)"]) assert.ok(kinds.includes(k), kinds.join(" "));
});

test("engine = tfjs on DeepGeo (char LSTMs both ways, time shifts, masked attention pooling) with padded posts, one of them all padding", async () => {
  const r = stream(11, "deepgeo");
  await selectBackend("wasm");
  const T = 12;
  const model = buildDeepGeo(
    tf,
    40,
    5,
    { maxChars: T, embedDim: 4, filters: 4, poolWindow: 3, repDim: 4, dropout: 0, minCharCount: 1 },
    r.fork("m"),
  );
  const B = 4;
  // Real ids (≥ 1) up to a per-sample length, pads (0) after it; sample 1 is all padding, sample 3 full.
  const lengths = [5, 0, 9, T];
  const ids = new Int32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]; t++) ids[b * T + t] = 1 + r.int(39);
  const set: LabelledSet = { labels: Int32Array.from({ length: B }, () => r.int(5)), features: { chars: { data: ids, shape: [T] } } };
  const eng = await compareWithTfjs(model, set, 1e-4);
  const kinds = eng.plan.ops.map((o) => o.kind);
  assert.equal(kinds.filter((k) => k === "LSTM").length, 2, kinds.join(" "));
  assert.equal(kinds.filter((k) => k === "TimeShift").length, 2, kinds.join(" "));
  for (const k of ["AttentionPool (masked)", "PadMask", "PoolMask", "MaxPooling1D"]) assert.ok(kinds.includes(k), kinds.join(" "));
  model.dispose();
});

test("engine = tfjs on TimeShift and an unmasked AttentionPool over a float sequence read by both", async () => {
  const r = stream(15, "sequence ops");
  await selectBackend("wasm");
  const x = tf.input({ shape: [6, 3], name: "x" });
  const left = new TimeShift({ by: 1 }).apply(x) as tf.SymbolicTensor;
  const right = new TimeShift({ by: -1 }).apply(x) as tf.SymbolicTensor;
  const h = tf.layers
    .dense({ units: 5, activation: "tanh", kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }) })
    .apply(tf.layers.concatenate().apply([left, x, right])) as tf.SymbolicTensor;
  const pooled = new AttentionPool({ seed: r.seedInt() }).apply(h) as tf.SymbolicTensor;
  const model = tf.model({
    inputs: x,
    outputs: tf.layers
      .dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }) })
      .apply(pooled) as tf.SymbolicTensor,
  });
  const set: LabelledSet = {
    labels: Int32Array.from({ length: 3 }, () => r.int(3)),
    features: { x: { data: Float32Array.from({ length: 3 * 18 }, () => r.normal()), shape: [6, 3] } },
  };
  const eng = await compareWithTfjs(model, set, 1e-4);
  assert.ok(
    eng.plan.ops.some((o) => o.kind === "AttentionPool"),
    eng.plan.ops.map((o) => o.kind).join(" "),
  );
});

test("engine = tfjs on ReLU with maxValue 6: values below 0, exactly 0 and 6, between, and above 6", async () => {
  await selectBackend("wasm");
  const r = stream(16, "relu6");
  const x = tf.input({ shape: [6], name: "x" });
  // An identity dense layer (bias 0) puts the inputs exactly at the clip's edges.
  const lin = tf.layers.dense({ units: 6, kernelInitializer: tf.initializers.identity({}), biasInitializer: tf.initializers.zeros() });
  const clipped = tf.layers.reLU({ maxValue: 6 }).apply(lin.apply(x)) as tf.SymbolicTensor;
  const model = tf.model({
    inputs: x,
    outputs: tf.layers
      .dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }) })
      .apply(clipped) as tf.SymbolicTensor,
  });
  const rows = [
    [-2, 0, 6, 3, 7.5, 6],
    [0.5, -0.1, 5.9, 6.1, 0, 9],
    [6, 2, -4, 0, 1, 6.0001],
    [3, 8, 6, 0.001, -6, 4],
  ];
  const set: LabelledSet = { labels: Int32Array.from([0, 1, 2, 1]), features: { x: { data: Float32Array.from(rows.flat()), shape: [6] } } };
  const eng = await compareWithTfjs(model, set, 1e-5);
  assert.ok(eng.plan.ops.some((o) => o.kind === "ReLU (clipped)"));
});

test("engine = tfjs on MobileNetV2's fine-tuned top at the default scale (Conv_1 + ReLU6 over cached activations); the paper-scale top's depthwise layer is left to tfjs", async () => {
  await selectBackend("wasm");
  const r = stream(17, "mobilenet top");
  const [S, C, F] = [2, 4, 6];
  // BN-folded weights of the shape the pretrained network gives, large enough that Conv_1's outputs cross 0 and 6.
  const conv = (cin: number, cout: number) => ({
    kernel: Float32Array.from({ length: cin * cout }, () => 3 * r.normal()),
    shape: [1, 1, cin, cout],
    bias: Float32Array.from({ length: cout }, () => r.normal()),
  });
  const weights: MobileNetHeadWeights = {
    block_16_expand: conv(C, 8),
    block_16_depthwise: { kernel: Float32Array.from({ length: 9 * 8 }, () => r.normal()), shape: [3, 3, 8], bias: new Float32Array(8) },
    block_16_project: conv(8, C),
    Conv_1: conv(C, F),
  };
  const model = buildMobileNetHead(5, { top: "conv1", side: S, channels: C, dropout: 0 }, weights, r.fork("m"));
  const B = 4;
  const set: LabelledSet = {
    labels: Int32Array.from({ length: B }, () => r.int(5)),
    features: { activations: { data: Float32Array.from({ length: B * S * S * C }, () => r.normal()), shape: [S * S * C] } },
  };
  const eng = await compareWithTfjs(model, set, 1e-4);
  const kinds = eng.plan.ops.map((o) => o.kind);
  assert.ok(kinds.includes("Conv2D") && kinds.includes("ReLU (clipped)"), kinds.join(" "));
  // Both sides of the clip are exercised: some Conv_1 outputs are negative, some above 6.
  const conv1 = eng.plan.ops.find((o) => o.name === "Conv_1")!;
  const pre = eng.plan.arena.f32.subarray(conv1.output.off, conv1.output.off + B * conv1.output.per);
  assert.ok(pre.some((v) => v < 0) && pre.some((v) => v > 6) && pre.some((v) => v > 0 && v < 6));
  const paper = buildMobileNetHead(5, { top: "block16", side: S, channels: C, dropout: 0 }, weights, r.fork("p"));
  assert.match(
    engineFor(paper, { batchSize: 4, optimizer: "adam", learningRate: 0.01 }).reason ?? "",
    /GeoreproDepthwiseConv3x3 is not implemented by the engine/,
  );
  model.dispose();
  paper.dispose();
});

for (const [label, opts] of [
  ["LSTM going backwards, last state only, sigmoid gates", { goBackwards: true, returnSequences: false, recurrentActivation: "sigmoid" }],
  ["LSTM returning sequences (hardSigmoid gates)", { returnSequences: true }],
] as const)
  test(`engine = tfjs on an ${label}`, async () => {
    const r = stream(12, label);
    await selectBackend("wasm");
    const input = tf.input({ shape: [5, 3], name: "x" });
    let h = tf.layers
      .lstm({
        units: 4,
        ...opts,
        kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }),
        recurrentInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }),
        biasInitializer: tf.initializers.randomNormal({ seed: r.seedInt() }),
      })
      .apply(input) as tf.SymbolicTensor;
    if (opts.returnSequences) h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers
        .dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }) })
        .apply(h) as tf.SymbolicTensor,
    });
    const set: LabelledSet = {
      labels: Int32Array.from({ length: 4 }, () => r.int(3)),
      features: { x: { data: Float32Array.from({ length: 4 * 15 }, () => 2 * r.normal()), shape: [5, 3] } },
    };
    await compareWithTfjs(model, set, 1e-4);
  });

function denseModel(r: Rng, dropout: number): tf.LayersModel {
  const input = tf.input({ shape: [6], name: "x" });
  const h = tf.layers
    .dense({ units: 8, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }) })
    .apply(input) as tf.SymbolicTensor;
  const d = new SeededDropout({ rate: dropout, seed: r.seedInt() }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: r.seedInt() }) })
    .apply(d) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
const denseSet = (r: Rng, n: number): LabelledSet => ({
  labels: Int32Array.from({ length: n }, () => r.int(3)),
  features: { x: { data: Float32Array.from({ length: n * 6 }, () => r.normal()), shape: [6] } },
});

for (const kind of ["rmsprop", "adam"] as const)
  test(`one ${kind} step: the engine's weights match tfjs's optimizer`, async () => {
    await selectBackend("wasm");
    const r = stream(7, kind);
    const model = denseModel(r.fork("m"), 0);
    const set = denseSet(r, 8);
    const idx = Array.from({ length: 8 }, (_, j) => j);
    const eng = EngineTrainer.create(model, { batchSize: 8, optimizer: kind, learningRate: 0.01 });
    for (let s = 0; s < 2; s++) eng.trainStep(set, idx);
    const opt = kind === "adam" ? tf.train.adam(0.01) : tf.train.rmsprop(0.01);
    const xs = batchTensors(set, model.inputNames, idx);
    const ys = tf.oneHot(tf.tensor1d(set.labels, "int32"), 3);
    for (let s = 0; s < 2; s++)
      opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar);
    eng.readWeights().forEach((w, j) => assertClose(w, model.weights[j].read().dataSync() as Float32Array, 1e-5, model.weights[j].name));
  });

test("engine training is bit-identical across runs; dropout masks differ per pass and vanish in inference", async () => {
  await selectBackend("wasm");
  const r = stream(8, "determinism");
  const set = denseSet(r, 32);
  const run = () => {
    const model = denseModel(stream(8, "model"), 0.5);
    const eng = EngineTrainer.create(model, { batchSize: 16, optimizer: "rmsprop", learningRate: 0.01 });
    const losses = [0, 16, 0, 16].map((s) =>
      eng.trainStep(
        set,
        Array.from({ length: 16 }, (_, j) => s + j),
      ),
    );
    return { losses, weights: eng.readWeights().map((w) => Array.from(w)), probs: Array.from(eng.predictProbs(set)), eng };
  };
  const a = run();
  const b = run();
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.losses, b.losses);
  assert.notEqual(a.losses[0], a.losses[2], "the same batch gets a different dropout mask on a later pass");
  // inference is deterministic and dropout-free: predicting twice gives the same numbers
  assert.deepEqual(Array.from(a.eng.predictProbs(set)), a.probs);
});

test("engineFor: an unsupported layer or GEOREPRO_TRAINER=tfjs leaves the model to tfjs; predictProbs agrees either way", async () => {
  await selectBackend("wasm");
  const input = tf.input({ shape: [4, 3], name: "x" });
  const l = tf.layers
    .gru({
      units: 2,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const gru = tf.model({
    inputs: input,
    outputs: tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }).apply(l) as tf.SymbolicTensor,
  });
  const why = engineFor(gru, { batchSize: 4, optimizer: "rmsprop", learningRate: 0.01 });
  assert.ok(!why.trainer && /GRU is not implemented/.test(why.reason), why.reason);
  const model = denseModel(stream(9, "m"), 0.5);
  const set = denseSet(stream(9, "d"), 10);
  const viaEngine = predictProbs(model, set);
  process.env.GEOREPRO_TRAINER = "tfjs";
  try {
    assert.match(engineFor(model, { batchSize: 4, optimizer: "rmsprop", learningRate: 0.01 }).reason ?? "", /GEOREPRO_TRAINER=tfjs/);
    assertClose(predictProbs(model, set), viaEngine, 1e-5, "predictProbs engine vs tfjs");
  } finally {
    delete process.env.GEOREPRO_TRAINER;
  }
});

test("engine: bad batches name the problem", async () => {
  await selectBackend("wasm");
  const model = denseModel(stream(10, "m"), 0);
  const eng = EngineTrainer.create(model, { batchSize: 4, optimizer: "rmsprop", learningRate: 0.01 });
  const set = denseSet(stream(10, "d"), 6);
  assert.throws(() => eng.loadBatch(set, [0, 1, 2, 3, 4]), /batch of 5 \(plan holds 1\.\.4\)/);
  assert.throws(() => eng.loadBatch({ ...set, features: { y: set.features.x } }, [0]), /input "x" but the data has no such feature/);
  assert.throws(
    () => eng.loadBatch({ ...set, features: { x: { data: new Float32Array(6 * 5), shape: [5] } } }, [0]),
    /shape \[5\] does not match the model input \[6\]/,
  );
  const bad = { ...set, labels: Int32Array.from([0, 7, 0, 0, 0, 0]) };
  assert.throws(() => eng.trainStep(bad, [0, 1, 2]), /label 7 of batch row 1 is not a class in \[0, 3\)/);
  const inference = EngineTrainer.create(model, { batchSize: 4, optimizer: "none", learningRate: 0 });
  assert.throws(() => inference.trainStep(set, [0]), /prediction only/);
});

test("engineFor: a plan bigger than a wasm32 memory (4 GiB) goes to tfjs with the reason, instead of failing in grow()", async () => {
  await selectBackend();
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 8, activation: "relu" }), tf.layers.dense({ units: 3 })] });
  const huge = engineFor(m, { batchSize: 2 ** 26, optimizer: "rmsprop", learningRate: 0.001 });
  assert.equal(huge.trainer, undefined);
  assert.match(huge.reason ?? "", /needs \d+(\.\d)? GiB of engine memory at batch 67108864; WebAssembly allows 4 GiB/);
  assert.ok(
    engineFor(m, { batchSize: 32, optimizer: "rmsprop", learningRate: 0.001 }).trainer,
    "the same model at a normal batch runs on the engine",
  );
  m.dispose();
});

/** Five training steps of a fresh MRLF (same init) on `set`, `tweak` applied to the model first: losses and predictions. */
function fiveSteps(
  cfg: MrlfConfig,
  set: LabelledSet,
  B: number,
  tweak: (model: tf.LayersModel) => void = () => undefined,
): { losses: number[]; probs: Float32Array } {
  const model = buildMrlf(cfg, stream(12, "init"));
  tweak(model);
  const eng = EngineTrainer.create(model, { batchSize: B, optimizer: "rmsprop", learningRate: 0.01 });
  model.dispose();
  const idx = Array.from({ length: B }, (_, i) => i);
  const losses = Array.from({ length: 5 }, () => eng.trainStep(set, idx));
  return { losses, probs: eng.predictProbs(set) };
}

test("MRLF's self-attention skips pad rows (padRowsUnused) without changing a bit: the same losses with the skip on and off", async () => {
  await selectBackend("wasm");
  const r = stream(11, "mrlf pad rows");
  const cfg = mrlfConfig(
    { numClasses: 5, charVocab: 30, wordVocab: 50, tagVocab: 40, imageDim: 8 },
    { ...MRLF_TINY, dropout: 0.1, fusion: "text-tag-end" },
  );
  const B = 6;
  const set = mrlfSet(r, B, cfg);
  padCaptions(set, cfg, B, r);
  const losses = (skip: boolean): number[] =>
    fiveSteps(cfg, set, B, (model) => {
      const selfAttention = model.layers.filter(
        (l) => l.getClassName() === "GeoreproMultiHeadAttention" && (l as unknown as { padRowsUnused: boolean }).padRowsUnused,
      );
      assert.equal(selfAttention.length, 2, "the text and hashtag self-attentions carry the flag");
      if (!skip) for (const l of selfAttention) (l as unknown as { padRowsUnused: boolean }).padRowsUnused = false;
    }).losses;
  assert.deepEqual(losses(true), losses(false));
});

for (const fusion of ["mrlf", "text-tag-end", "text-image", "concat"] as const)
  test(`MRLF (${fusion}): attention skips pad keys in its products without changing a bit: the same losses with the skip on and off`, async () => {
    await selectBackend("wasm");
    const r = stream(13, `mrlf pad keys ${fusion}`);
    const cfg = mrlfConfig(
      { numClasses: 5, charVocab: 30, wordVocab: 50, tagVocab: 40, imageDim: 8 },
      { ...MRLF_TINY, dropout: 0.1, fusion },
    );
    const B = 6;
    const set = mrlfSet(r, B, cfg);
    padCaptions(set, cfg, B, r); // sample 0's caption is all padding
    const run = (skipKeys: boolean) => {
      padKeySkipping.enabled = skipKeys;
      try {
        return fiveSteps(cfg, set, B);
      } finally {
        padKeySkipping.enabled = true;
      }
    };
    const on = run(true);
    const off = run(false);
    assert.deepEqual(on.losses, off.losses);
    assert.deepEqual(on.probs, off.probs);
  });
