import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import type SharpFn from "sharp";
import { selectBackend } from "../../lib/tfjs/backend";
import { fsSaveHandler } from "../../lib/tfjs/model-io";
import {
  areaAbove,
  maskAtSize,
  measurePortraits,
  readMask,
  DEFAULT_PORTRAIT_CONFIG,
  type PersonDetector,
  type Segmenter,
} from "../../lib/image/portrait";
import { chooseDetectorThreshold, decisionMetrics, gatePortrait } from "../../lib/image/portrait-gate";
import { etaFilter } from "../../lib/data/eta-filter";
import { u2netFromManifest } from "../../lib/image/segmenters/u2net";
import { selfieSegmenter } from "../../lib/image/segmenters/human-models";
import { decodeImage } from "../../lib/image/decode";
import { tmpDir } from "./helpers";

const sharp = require("sharp") as typeof SharpFn;

/** A size×size PNG: grey background, the left `share` of columns pure red. */
async function redLeftImage(file: string, size: number, share: number): Promise<string> {
  const buf = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const red = x < Math.round(size * share);
      buf.set(red ? [255, 0, 0] : [90, 90, 90], (y * size + x) * 3);
    }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(buf, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toFile(file);
  return file;
}

/** A model manifest (schema-valid) for files in `dir`, found through the env override. */
function writeModelManifest(dir: string, name: string, env: string, files: { path: string; format: string }[]): string {
  const f = path.join(dir, `${name}.json`);
  fs.writeFileSync(
    f,
    JSON.stringify({
      schemaVersion: 1,
      name,
      title: `${name} test model`,
      description: "built by the test",
      citation: "none",
      url: "none",
      license: null,
      synthetic: true,
      root: { searchPaths: ["does-not-exist"], env },
      files: files.map((x) => ({ ...x, size: null, sha256: null })),
    }),
  );
  return f;
}

/**
 * A tiny "U2-Net": one 1×1 convolution whose output is the red channel minus
 * half the green and blue (so pure red → 1, grey 90 → ≈0), saved as a
 * TensorFlow.js LayersModel.
 */
async function saveRedSaliencyModel(tf: typeof TF, dir: string, size: number): Promise<void> {
  const input = tf.input({ shape: [size, size, 3] });
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, useBias: false, name: "d0" });
  const out = conv.apply(input) as TF.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  conv.setWeights([tf.tensor4d([1, -0.5, -0.5], [1, 1, 3, 1])]);
  await model.save(fsSaveHandler(dir));
}

test("U2-Net loader: a small saved model named in a manifest segments the red half of an image", async () => {
  const { tf } = await selectBackend();
  const dir = tmpDir("u2net");
  const S = 16;
  await saveRedSaliencyModel(tf, path.join(dir, "m"), S);
  fs.writeFileSync(path.join(dir, "m", "io.json"), JSON.stringify({ inputSize: S, normalize: "unit", outputNorm: "none" }));
  const manifest = writeModelManifest(dir, "u2net", "GEOREPRO_DATA_U2NET", [
    { path: "model.json", format: "tfjs-layers-model" },
    { path: "weights.bin", format: "tfjs-weights" },
    { path: "io.json", format: "georepro-model-io" },
  ]);
  const env = { GEOREPRO_DATA_U2NET: path.join(dir, "m") };
  const seg = await u2netFromManifest(manifest, { env });
  assert.equal(seg.inputSize, S);
  const img = await redLeftImage(path.join(dir, "half.png"), 32, 0.5);
  const prob = await seg.segment(await decodeImage(img, S));
  assert.equal(prob.length, S * S);
  assert.equal(areaAbove(prob, 0.5), 0.5);
  assert.ok(prob[0] > 0.9 && prob[S - 1] < 0.1, `left ${prob[0]}, right ${prob[S - 1]}`);
  // The id changes with the IO conventions (cache keys must not collide).
  fs.writeFileSync(path.join(dir, "m", "io.json"), JSON.stringify({ inputSize: S, normalize: "unit", outputNorm: "minmax" }));
  const seg2 = await u2netFromManifest(manifest, { env });
  assert.notEqual(seg2.id, seg.id);
  seg.dispose();
  seg2.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("U2-Net loader: bad IO settings and manifests without a model.json name the file and field", async () => {
  const { tf } = await selectBackend();
  const dir = tmpDir("u2net-bad");
  await saveRedSaliencyModel(tf, path.join(dir, "m"), 8);
  const env = { GEOREPRO_DATA_U2NET: path.join(dir, "m") };
  fs.writeFileSync(path.join(dir, "m", "io.json"), JSON.stringify({ inputSize: 8, normalize: "zscore" }));
  const withIo = writeModelManifest(dir, "u2net", "GEOREPRO_DATA_U2NET", [
    { path: "model.json", format: "tfjs-layers-model" },
    { path: "weights.bin", format: "tfjs-weights" },
    { path: "io.json", format: "georepro-model-io" },
  ]);
  await assert.rejects(u2netFromManifest(withIo, { env }), /io\.json:1: normalize: expected one of imagenet, unit, none \(got "zscore"\)/);
  const noModel = writeModelManifest(dir, "u2net", "GEOREPRO_DATA_U2NET", [{ path: "weights.bin", format: "tfjs-weights" }]);
  await assert.rejects(
    u2netFromManifest(noModel, { env }),
    /u2net\.json: files\[\]\.format: expected exactly one file with format "tfjs-graph-model" or "tfjs-layers-model"/,
  );
  // Weights not where the manifest says: the dataset-missing error says where it looked.
  await assert.rejects(
    u2netFromManifest(withIo, { env: { GEOREPRO_DATA_U2NET: path.join(dir, "nowhere") } }),
    /u2net: dataset not found; looked in .*nowhere/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A segmenter that marks red pixels (the test's "person"), counting its calls. */
function redSegmenter(S = 32): Segmenter & { calls: number } {
  const s = {
    id: "test-red-segmenter",
    description: "red pixels",
    inputSize: S,
    calls: 0,
    async segment(rgb: Float32Array) {
      s.calls++;
      const out = new Float32Array(S * S);
      for (let i = 0; i < out.length; i++) out[i] = rgb[i * 3] > 200 && rgb[i * 3 + 1] < 60 ? 1 : 0;
      return out;
    },
    dispose() {},
  };
  return s;
}

/** A detector whose score is read from the image's bottom-right pixel's blue value / 255. */
function blueCornerDetector(): PersonDetector & { calls: number } {
  const S = 32;
  const d = {
    id: "test-blue-corner-detector",
    description: "blue corner",
    inputSize: S,
    calls: 0,
    async detectPerson(rgb: Float32Array) {
      d.calls++;
      return { score: rgb[(S * S - 1) * 3 + 2] / 255, box: null };
    },
    dispose() {},
  };
  return d;
}

async function imageWith(file: string, redShare: number, cornerBlue: number): Promise<string> {
  const size = 40;
  const buf = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) buf.set(x < Math.round(size * redShare) ? [250, 10, 10] : [90, 90, 90], (y * size + x) * 3);
  // a 6×6 corner block so the resize keeps its colour
  for (let y = size - 6; y < size; y++) for (let x = size - 6; x < size; x++) buf.set([90, 90, cornerBlue], (y * size + x) * 3);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(buf, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toFile(file);
  return file;
}

test("measurePortraits: gate, detector only on person-sized regions, masks at image size, per-image cache", async () => {
  const dir = tmpDir("portrait");
  const person = await imageWith(path.join(dir, "img", "person.png"), 0.75, 230); // detector 0.9
  const cat = await imageWith(path.join(dir, "img", "cat.png"), 0.5, 5); // segmenter fires, detector ≈ 0.02
  const scene = await imageWith(path.join(dir, "img", "scene.png"), 0, 230); // nothing to segment
  const copy = path.join(dir, "img", "person-copy.png");
  fs.copyFileSync(person, copy);
  const seg = redSegmenter();
  const det = blueCornerDetector();
  const models = { segmenter: seg, detector: det };
  const cfg = DEFAULT_PORTRAIT_CONFIG;
  const m = await measurePortraits([person, cat, scene, copy], models, cfg, { cacheDir: path.join(dir, "cache") });
  assert.equal(seg.calls, 3, "identical images are segmented once");
  assert.equal(det.calls, 2, "the detector runs only where the segmenter found a person-sized region");
  const p = m.get(person)!;
  assert.ok(Math.abs(p.area - 0.75) < 0.04, `person area ${p.area}`);
  assert.ok(p.detectorScore! > 0.85);
  assert.equal(m.get(scene)!.detectorScore, null);
  assert.equal(m.get(scene)!.maskFile, null);
  assert.equal(m.get(copy)!.sha256, p.sha256);
  const mask = await readMask(p.maskFile!);
  assert.equal(mask.width, 40);
  assert.equal(mask.height, 40);
  assert.equal(mask.mask[0], 255); // left: person
  assert.equal(mask.mask[39], 0); // right: background
  const tau = 0.1;
  assert.deepEqual(gatePortrait(p, cfg, tau), { person: true, ratio: p.area, reason: "person" });
  assert.deepEqual(gatePortrait(m.get(cat)!, cfg, tau), { person: false, ratio: 0, reason: "detector sees no person" });
  assert.deepEqual(gatePortrait(m.get(scene)!, cfg, tau), { person: false, ratio: 0, reason: "no person-sized region" });
  // Second run: every image from the cache, no network call, same numbers.
  const again = await measurePortraits([person, cat, scene], models, cfg, { cacheDir: path.join(dir, "cache") });
  assert.equal(seg.calls, 3);
  assert.equal(det.calls, 2);
  assert.deepEqual(again.get(cat), m.get(cat));
  // Another config is another cache entry.
  await measurePortraits([scene], models, { ...cfg, minPersonArea: 0.2 }, { cacheDir: path.join(dir, "cache") });
  assert.equal(seg.calls, 4);
  await assert.rejects(
    measurePortraits([path.join(dir, "missing.png")], models, cfg, { cacheDir: path.join(dir, "cache") }),
    /missing\.png: image not found/,
  );
  await assert.rejects(
    measurePortraits([person], models, { ...cfg, maskThreshold: 1.5 }, { cacheDir: path.join(dir, "cache") }),
    /maskThreshold: expected a probability in \(0, 1\), got 1\.5/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test("maskAtSize resamples a probability map and areaAbove counts it", () => {
  const S = 4;
  const prob = new Float32Array(S * S);
  for (let y = 0; y < S; y++) for (let x = 0; x < 2; x++) prob[y * S + x] = 1; // left half
  assert.equal(areaAbove(prob, 0.5), 0.5);
  const m = maskAtSize(prob, S, 8, 6, 0.5);
  assert.equal(m.length, 48);
  const row = Array.from(m.slice(0, 8));
  assert.deepEqual(row, [255, 255, 255, 255, 0, 0, 0, 0]);
  assert.throws(() => maskAtSize(prob, 5, 8, 8, 0.5), /expected 5×5 probabilities, got 16/);
  assert.throws(() => areaAbove(new Float32Array([0.2, NaN]), 0.5), /non-finite probability NaN/);
});

test("decisionMetrics and chooseDetectorThreshold: the strictest threshold with the best held-out F1", () => {
  const d = decisionMetrics([true, true, false, false, true], [true, false, true, false, true]);
  assert.deepEqual({ tp: d.tp, fp: d.fp, fn: d.fn, tn: d.tn }, { tp: 2, fp: 1, fn: 1, tn: 1 });
  assert.equal(d.precision, 2 / 3);
  assert.equal(d.recall, 2 / 3);
  assert.equal(decisionMetrics([false, false], [false, false]).precision, null);
  assert.throws(() => decisionMetrics([true], [true, false]), /1 predictions for 2 truths/);
  const cfg = DEFAULT_PORTRAIT_CONFIG;
  const samples = [
    { area: 0.4, detectorScore: 0.3, truthPerson: true },
    { area: 0.6, detectorScore: 0.2, truthPerson: true },
    { area: 0.3, detectorScore: 0.1, truthPerson: true },
    { area: 0.5, detectorScore: 0.05, truthPerson: false }, // a cat the segmenter took for a person
    { area: 0.2, detectorScore: 0.08, truthPerson: false },
    { area: 0.0, detectorScore: null, truthPerson: false },
    { area: 0.0, detectorScore: null, truthPerson: true }, // a person the segmenter missed: no τ helps
  ];
  const c = chooseDetectorThreshold(samples, cfg);
  assert.equal(c.threshold, 0.1);
  assert.equal(c.metrics.tp, 3);
  assert.equal(c.metrics.fp, 0);
  assert.equal(c.metrics.fn, 1);
  assert.equal(c.candidates.find((x) => x.threshold === 0)!.metrics.fp, 2);
  assert.throws(() => chooseDetectorThreshold([], cfg), /no calibration samples/);
  assert.throws(
    () => chooseDetectorThreshold([{ area: 0, detectorScore: null, truthPerson: false }], cfg),
    /no calibration image shows a person/,
  );
});

test("etaFilter removes posts with a portrait ratio > η and reports each one", () => {
  const ratios: Record<string, number> = { a: 0.7, b: 0.5, c: 0.1, d: 0.51 };
  const posts = [
    { id: "p1", images: ["a"] },
    { id: "p2", images: ["b"] },
    { id: "p3", images: [] },
    { id: "p4", images: ["c", "d"] },
  ];
  const r = etaFilter(posts, (f) => ratios[f], 0.5);
  assert.deepEqual(
    r.kept.map((p) => p.id),
    ["p2", "p3"],
  );
  assert.deepEqual(r.report.removed, [
    { id: "p1", ratio: 0.7 },
    { id: "p4", ratio: 0.51 },
  ]);
  assert.equal(r.report.postsBefore - r.report.removedPosts, r.report.postsAfter);
  assert.throws(() => etaFilter(posts, () => 0, 0), /eta must be in \(0, 1\]/);
});

test("the packaged selfie segmenter returns a 256×256 probability map and sees no person on a plain scene", async () => {
  const seg = await selfieSegmenter();
  assert.match(seg.id, /^human-models@3\.0\.4\/selfie:[0-9a-f]{16}$/);
  const dir = tmpDir("selfie");
  const img = await redLeftImage(path.join(dir, "scene.png"), 96, 0);
  const prob = await seg.segment(await decodeImage(img, 256));
  assert.equal(prob.length, 256 * 256);
  assert.ok(prob.every((p) => p >= 0 && p <= 1));
  assert.ok(areaAbove(prob, 0.5) < 0.01, `area on a grey image ${areaAbove(prob, 0.5)}`);
  await assert.rejects(seg.segment(new Float32Array(10)), /expected 256×256×3 pixels, got 10 values/);
  seg.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});
