import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/tfjs/backend";
import { stream } from "../../lib/runtime/rng";
import { EngineTrainer, microBatches } from "../../lib/training/engine/trainer";
import { helperWanted, WorkerHelper } from "../../lib/training/engine/parallel";
import { buildMrlf, mrlfConfig } from "../../lib/models/mrlf";
import { buildResNet } from "../../lib/models/baselines/resnet";
import type { LabelledSet } from "../../lib/training/data";

const cfg = mrlfConfig(
  { numClasses: 4, charVocab: 20, wordVocab: 30, tagVocab: 25, imageDim: 6 },
  { embedDim: 8, filters: 8, heads: 2, headDim: 4, ffnDim: 8, imageOut: 8, maxTextChars: 24, maxTextWords: 8, maxTagChars: 24, maxTags: 6 },
);
function data(n: number): LabelledSet {
  const r = stream(21, "parallel-data");
  const ids = (len: number, v: number) => Int32Array.from({ length: n * len }, () => r.int(v));
  return {
    labels: Int32Array.from({ length: n }, () => r.int(4)),
    features: {
      textChars: { data: ids(24, 20), shape: [24] },
      textWords: { data: ids(8, 30), shape: [8] },
      tagChars: { data: ids(24, 20), shape: [24] },
      tagWords: { data: ids(6, 25), shape: [6] },
      image: { data: Float32Array.from({ length: n * 6 }, () => r.normal()), shape: [6] },
    },
  };
}
const batches = [
  [0, 1, 2, 3, 4, 5, 6],
  [7, 8, 9, 10, 11, 12, 13],
  [3, 9, 1, 12, 0],
]; // odd sizes: unequal halves

test("microBatches: halves for models without sample coupling, the whole batch otherwise", () => {
  assert.deepEqual(microBatches(7, true), [
    [0, 4],
    [4, 7],
  ]);
  assert.deepEqual(microBatches(64, true), [
    [0, 32],
    [32, 64],
  ]);
  assert.deepEqual(microBatches(1, true), [[0, 1]]);
  assert.deepEqual(microBatches(64, false), [[0, 64]]);
});

test("a helper thread computing the second micro-batch gives bit-identical training (MRLF with dropout)", async () => {
  await selectBackend("wasm");
  const set = data(14);
  const model = () => buildMrlf(cfg, stream(22, "parallel-model"));
  const alone = EngineTrainer.create(model(), { batchSize: 7, optimizer: "rmsprop", learningRate: 0.01 });
  const withHelper = EngineTrainer.create(model(), { batchSize: 7, optimizer: "rmsprop", learningRate: 0.01 });
  assert.ok(alone.splittable);
  const helper = await WorkerHelper.start(model(), { batchSize: 7, optimizer: "rmsprop", learningRate: 0.01 }, set);
  try {
    const a: number[] = [];
    const b: number[] = [];
    for (const idx of batches) {
      a.push(alone.trainStep(set, idx));
      b.push(await withHelper.trainStepWith(helper, set, idx));
    }
    assert.deepEqual(b, a, "same losses");
    assert.deepEqual(Buffer.from(withHelper.packWeights().buffer), Buffer.from(alone.packWeights().buffer), "bit-identical weights");
  } finally {
    await helper.close();
  }
});

test("BatchNorm couples samples: such a model is never split, helper or not", async () => {
  await selectBackend("wasm");
  const m = buildResNet(tf, 3, { depth: 50, inputSize: 32, baseWidth: 2, dropout: 0, bnMomentum: 0.9 }, stream(23, "bn"));
  assert.equal(EngineTrainer.create(m, { batchSize: 4, optimizer: "rmsprop", learningRate: 0.01 }).splittable, false);
});

test("helperWanted: off, on, and auto following the cores the process was given", () => {
  assert.equal(helperWanted({ GEOREPRO_TRAIN_WORKERS: "on" }), true);
  assert.equal(helperWanted({ GEOREPRO_TRAIN_WORKERS: "off", GEOREPRO_THREADS: "2" }), false);
  assert.equal(helperWanted({}), false, "no thread count: no helper");
  assert.equal(helperWanted({ GEOREPRO_THREADS: "1" }), false);
  assert.equal(helperWanted({ GEOREPRO_THREADS: "2" }), true);
  assert.throws(() => helperWanted({ GEOREPRO_TRAIN_WORKERS: "2" }), /expected auto, on or off/);
});

test("trainClassifier: the same history and weights with the helper thread on or off", async () => {
  await selectBackend("wasm");
  const { trainClassifier } = await import("../../lib/training");
  const set = data(40);
  const val = data(12);
  const opts = {
    name: "parallel-fit",
    build: (r: ReturnType<typeof stream>) => buildMrlf(cfg, r),
    train: set,
    val,
    numClasses: 4,
    seed: 3,
    epochs: 2,
    batchSize: 9,
    log: () => {},
  };
  const run = async (mode: string) => {
    process.env.GEOREPRO_TRAIN_WORKERS = mode;
    try {
      const t = await trainClassifier(opts);
      return { history: t.history, weights: t.model.getWeights().map((w) => Array.from(w.dataSync())) };
    } finally {
      delete process.env.GEOREPRO_TRAIN_WORKERS;
    }
  };
  const off = await run("off");
  const on = await run("on");
  assert.deepEqual(on.history, off.history);
  assert.deepEqual(on.weights, off.weights);
});
