import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { predictProbs, trainClassifier, type LabelledSet } from "../../lib/training";
import { stream, type Rng } from "../../lib/runtime/rng";
import { SeededDropout } from "../../lib/models/layers";

/** Two Gaussian blobs per class in 6-d; linearly separable enough to learn in a few epochs. */
function blobs(n: number, name: string): LabelledSet {
  const r = stream(3, name);
  const labels = Int32Array.from({ length: n }, () => r.int(3));
  const x = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) for (let j = 0; j < 6; j++) x[i * 6 + j] = r.normal() * 0.5 + (j % 3 === labels[i] ? 2 : 0);
  return { features: { x: { data: x, shape: [6] } }, labels };
}

const build = (rng: Rng) => {
  const input = tf.input({ shape: [6], name: "x" });
  const h = tf.layers
    .dense({ units: 8, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }) })
    .apply(input) as tf.SymbolicTensor;
  const d = new SeededDropout({ rate: 0.3, seed: rng.seedInt() }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }) })
    .apply(d) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
};

const base = {
  name: "blobs",
  build,
  train: blobs(96, "train"),
  val: blobs(48, "val"),
  numClasses: 3,
  seed: 5,
  epochs: 4,
  batchSize: 16,
  log: () => {},
};
const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

test("trainClassifier learns, keeps the best epoch, and re-runs bit-identically", async () => {
  const a = await trainClassifier(base);
  const b = await trainClassifier(base);
  assert.equal(a.history.length, 4);
  assert.ok(a.history[a.history.length - 1].loss < a.history[0].loss, "training loss falls");
  assert.ok(Math.max(...a.history.map((h) => h.valAcc)) > 0.6, "better than chance (1/3)");
  assert.equal(a.history[a.bestEpoch - 1].valAcc, Math.max(...a.history.map((h) => h.valAcc)));
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(weightsOf(a.model), weightsOf(b.model));
  const c = await trainClassifier({ ...base, seed: 6 });
  assert.notDeepEqual(weightsOf(a.model), weightsOf(c.model), "a different seed gives different weights");
});

test("learning rate decays by the factor after `patience` epochs without improvement; early stop", async () => {
  const r = await trainClassifier({ ...base, epochs: 12, learningRate: 1e-9, lrDecay: { factor: 0.8, patience: 2 }, earlyStopPatience: 5 });
  // with a vanishing learning rate nothing improves after epoch 1
  assert.equal(r.bestEpoch, 1);
  assert.equal(r.history.length, 6, "stopped after 5 epochs without improvement");
  assert.ok(
    Math.abs(r.history[3].lr - 0.8e-9) < 1e-20 && Math.abs(r.history[5].lr - 0.64e-9) < 1e-20,
    JSON.stringify(r.history.map((h) => h.lr)),
  );
});

test("cached model loads with identical predictions and history", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-train-"));
  try {
    const opts = { ...base, cache: { dir, key: { data: "blobs-v1" } } };
    const a = await trainClassifier(opts);
    const b = await trainClassifier(opts);
    assert.equal(a.fromCache, false);
    assert.equal(b.fromCache, true);
    assert.deepEqual(b.history, a.history);
    assert.deepEqual(Array.from(predictProbs(b.model, base.val)), Array.from(predictProbs(a.model, base.val)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("bad data names the set, feature and field", async () => {
  const bad = blobs(10, "bad");
  bad.labels[4] = 7;
  await assert.rejects(trainClassifier({ ...base, train: bad }), /train: labels\[4\]: 7 is not a class/);
  const short = blobs(10, "short");
  short.features.x.data = short.features.x.data.subarray(0, 50);
  await assert.rejects(trainClassifier({ ...base, val: short }), /val: features.x.data: length 50/);
  await assert.rejects(trainClassifier({ ...base, epochs: 0 }), /epochs: expected a positive integer/);
});
