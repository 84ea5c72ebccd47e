import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/tfjs/backend";
import { backboneFromManifest, defaultBackbone, readBackboneManifest } from "../../lib/image/backbone";
import { fsLoadHandler, fsSaveHandler } from "../../lib/tfjs/model-io";
import { decodeImage } from "../../lib/image/decode";
import { tmpDir, writeTestImage } from "./helpers";

/** A small fully-convolutional "VGG-like" model with a classifier head, seeded. */
function smallCnn(tf: typeof TF, size: number): TF.LayersModel {
  const input = tf.input({ shape: [size, size, 3], name: "img" });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      name: "block1_conv1",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as TF.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: "block1_pool" }).apply(x) as TF.SymbolicTensor;
  x = tf.layers
    .conv2d({
      filters: 6,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      name: "block2_conv1",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      biasInitializer: tf.initializers.constant({ value: 0.1 }),
    })
    .apply(x) as TF.SymbolicTensor;
  const head = tf.layers.flatten({ name: "flatten" }).apply(x) as TF.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, activation: "softmax", name: "predictions", kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
    .apply(head) as TF.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function writeManifest(dir: string, fields: Record<string, unknown>): string {
  const f = path.join(dir, "backbone.json");
  fs.writeFileSync(f, JSON.stringify(fields));
  return f;
}

test("fs save/load handlers round-trip a LayersModel bit for bit", async () => {
  const { tf } = await selectBackend();
  const dir = tmpDir("io");
  const model = smallCnn(tf, 16);
  await model.save(fsSaveHandler(path.join(dir, "m")));
  assert.ok(fs.existsSync(path.join(dir, "m", "model.json")) && fs.existsSync(path.join(dir, "m", "weights.bin")));
  const loaded = await tf.loadLayersModel(fsLoadHandler(path.join(dir, "m", "model.json")));
  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, "float32", 5);
  const a = (model.predict(x) as TF.Tensor).dataSync();
  const b = (loaded.predict(x) as TF.Tensor).dataSync();
  assert.deepEqual(Array.from(b), Array.from(a));
  // One handler: the folder fsSaveHandler wrote loads as well as its model.json.
  const byDir = await tf.loadLayersModel(fsLoadHandler(path.join(dir, "m")));
  assert.deepEqual(Array.from((byDir.predict(x) as TF.Tensor).dataSync()), Array.from(a));
  assert.notEqual(a[0], a[1]); // not a constant output
});

test("backboneFromManifest cuts at the feature layer, pools, freezes, and matches the model's own activations", async () => {
  const { tf } = await selectBackend();
  const dir = tmpDir("manifest");
  const model = smallCnn(tf, 16);
  await model.save(fsSaveHandler(path.join(dir, "vgg")));
  const manifest = writeManifest(dir, {
    name: "tiny-vgg",
    format: "layers",
    modelJson: "vgg/model.json",
    inputSize: 16,
    preprocess: "unit",
    featureLayer: "block2_conv1",
    pooling: "gap",
  });
  const bb = await backboneFromManifest(manifest);
  assert.equal(bb.dim, 6);
  assert.match(bb.id, /^tiny-vgg:[0-9a-f]{16}:block2_conv1:gap:unit:16$/);
  const x = tf.randomUniform([3, 16, 16, 3], 0, 255, "float32", 9) as TF.Tensor4D;
  const got = bb.embed(x).arraySync();
  // Expected: the original model's block2_conv1 activations on x/255, averaged over H×W.
  const trunk = tf.model({ inputs: model.inputs, outputs: model.getLayer("block2_conv1").output as TF.SymbolicTensor });
  const want = (tf.mean(trunk.predict(tf.div(x, 255)) as TF.Tensor, [1, 2]) as TF.Tensor2D).arraySync();
  for (let i = 0; i < 3; i++)
    for (let k = 0; k < 6; k++) assert.ok(Math.abs(got[i][k] - want[i][k]) < 1e-5, `row ${i} col ${k}: ${got[i][k]} vs ${want[i][k]}`);
  assert.notDeepEqual(got[0], got[1]);

  // The trunk is fully convolutional: a manifest may run it at another input size.
  const m2 = writeManifest(dir, {
    name: "tiny-vgg",
    format: "layers",
    modelJson: "vgg/model.json",
    inputSize: 24,
    preprocess: "caffe",
    featureLayer: "block2_conv1",
  });
  const bb24 = await backboneFromManifest(m2);
  assert.deepEqual(bb24.embed(tf.zeros([2, 24, 24, 3]) as TF.Tensor4D).shape, [2, 6]);
  assert.throws(() => bb24.embed(tf.zeros([1, 16, 16, 3]) as TF.Tensor4D), /expected input \[N, 24, 24, 3\]/);
});

test("backbone manifests with bad fields fail naming the file and field", async () => {
  const dir = tmpDir("badmanifest");
  fs.mkdirSync(path.join(dir, "m"));
  fs.writeFileSync(path.join(dir, "m", "model.json"), "{}");
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { name: "x", format: "keras", modelJson: "m/model.json", inputSize: 16, preprocess: "unit", featureLayer: "a" },
      /backbone\.json:1: format: expected "layers" or "graph"/,
    ],
    [
      { name: "x", format: "layers", modelJson: "m/model.json", inputSize: 16, preprocess: "unit" },
      /backbone\.json:1: featureLayer: required/,
    ],
    [
      { name: "x", format: "layers", modelJson: "nope/model.json", inputSize: 16, preprocess: "unit", featureLayer: "a" },
      /backbone\.json:1: modelJson: .*nope\/model\.json not found/,
    ],
    [
      { name: "x", format: "layers", modelJson: "m/model.json", inputSize: 4, preprocess: "unit", featureLayer: "a" },
      /backbone\.json:1: inputSize: expected an integer/,
    ],
    [
      { name: "x", format: "layers", modelJson: "m/model.json", inputSize: 16, preprocess: "bgr", featureLayer: "a" },
      /backbone\.json:1: preprocess: expected one of/,
    ],
  ];
  for (const [fields, re] of cases) assert.throws(() => readBackboneManifest(writeManifest(dir, fields)), re);
  // An unknown feature layer is reported with the layers that do exist.
  const { tf } = await selectBackend();
  await smallCnn(tf, 16).save(fsSaveHandler(path.join(dir, "ok")));
  const f = writeManifest(dir, {
    name: "x",
    format: "layers",
    modelJson: "ok/model.json",
    inputSize: 16,
    preprocess: "unit",
    featureLayer: "block9_pool",
  });
  await assert.rejects(backboneFromManifest(f), /featureLayer: no layer named "block9_pool"/);
});

test("default backbone (nsfwjs MobileNetV2) gives finite 1280-d features that differ per image and do not depend on the batch", async () => {
  const { tf } = await selectBackend();
  const bb = await defaultBackbone({ inputSize: 64 });
  assert.equal(bb.dim, 1280);
  assert.match(bb.id, /^nsfwjs-mobilenet_v2@4\.3\.0:[0-9a-f]{16}:out_relu:gap:unit:64$/);
  const dir = tmpDir("default-bb");
  const a = await decodeImage(await writeTestImage(path.join(dir, "a.png"), "a"), 64);
  const b = await decodeImage(await writeTestImage(path.join(dir, "b.png"), "b"), 64);
  const both = new Float32Array(a.length * 2);
  both.set(a);
  both.set(b, a.length);
  const fb = bb.embed(tf.tensor4d(both, [2, 64, 64, 3])).dataSync() as Float32Array;
  const fa = bb.embed(tf.tensor4d(a, [1, 64, 64, 3])).dataSync() as Float32Array;
  assert.ok(fb.every(Number.isFinite));
  assert.deepEqual(Array.from(fa), Array.from(fb.slice(0, 1280)), "a's features alone equal a's row in a batch of two");
  let diff = 0;
  for (let k = 0; k < 1280; k++) diff += Math.abs(fb[k] - fb[1280 + k]);
  assert.ok(diff > 1, `features of two different images should differ (L1 ${diff})`);
  assert.ok(
    fb.some((v) => v > 0),
    "post-ReLU features are not all zero",
  );
  bb.dispose();
});
