import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildMrlf, effectiveFusion, MRLF_FUSIONS, mrlfConfig, mrlfInputNames, type MrlfConfig } from "../../lib/models/mrlf";
import { selectBackend } from "../../lib/tfjs/backend";
import { stream } from "../../lib/runtime/rng";
import { batchTensors, trainClassifier, type LabelledSet } from "../../lib/training";

const small = (o: Partial<MrlfConfig> = {}) =>
  mrlfConfig(
    { numClasses: 3, charVocab: 12, wordVocab: 15, tagVocab: 10, imageDim: 6 },
    {
      maxTextChars: 24,
      maxTextWords: 8,
      maxTagChars: 24,
      maxTags: 6,
      embedDim: 8,
      filters: 8,
      heads: 2,
      headDim: 4,
      ffnDim: 8,
      imageOut: 5,
      ...o,
    },
  );

/** Posts whose ids and image vector depend on the label, so a model can learn them. */
function posts(n: number, cfg: MrlfConfig, name: string): LabelledSet {
  const r = stream(11, name);
  const labels = Int32Array.from({ length: n }, () => r.int(cfg.numClasses));
  const ids = (len: number, vocab: number) =>
    Int32Array.from({ length: n * len }, (_, i) => 2 + ((labels[Math.floor(i / len)] * 3 + r.int(2)) % (vocab - 2)));
  const image = Float32Array.from(
    { length: n * cfg.imageDim },
    (_, i) => r.normal() + (i % cfg.imageDim === labels[Math.floor(i / cfg.imageDim)] ? 2 : 0),
  );
  return {
    labels,
    features: {
      textChars: { data: ids(cfg.maxTextChars, cfg.charVocab), shape: [cfg.maxTextChars] },
      textWords: { data: ids(cfg.maxTextWords, cfg.wordVocab), shape: [cfg.maxTextWords] },
      tagChars: { data: ids(cfg.maxTagChars, cfg.charVocab), shape: [cfg.maxTagChars] },
      tagWords: { data: ids(cfg.maxTags, cfg.tagVocab), shape: [cfg.maxTags] },
      image: { data: image, shape: [cfg.imageDim] },
    },
  };
}

const variants: [string, Partial<MrlfConfig>][] = [
  ...MRLF_FUSIONS.map((fusion): [string, Partial<MrlfConfig>] => [`fusion ${fusion}`, { fusion }]),
  ["w/o text", { useText: false }],
  ["w/o hashtags", { useTags: false }],
  ["w/o image", { useImage: false }],
];

test("every variant builds, takes its inputs and outputs one logit per location", async () => {
  await selectBackend();
  const data = posts(4, small(), "shape");
  for (const [label, o] of variants) {
    const cfg = small(o);
    const model = buildMrlf(cfg, stream(1, label));
    assert.deepEqual(model.inputNames, mrlfInputNames(cfg), label);
    const out = tf.tidy(() => model.apply(batchTensors(data, model.inputNames, [0, 1, 2, 3])) as tf.Tensor);
    assert.deepEqual(out.shape, [4, 3], label);
    out.dispose();
    const layerNames = model.layers.map((l) => l.name).join(" ");
    const fusion = effectiveFusion(cfg);
    assert.equal(/cro/.test(layerNames), fusion !== "concat", `${label}: fusion layer present iff fusion ${fusion}`);
  }
  assert.equal(effectiveFusion(small({ useTags: false })), "concat", "no hashtags → nothing to cross-attend");
});

test("config validation names the field", () => {
  assert.throws(() => small({ fusion: "late" as never }), /MrlfConfig.fusion/);
  assert.throws(() => small({ useText: false, useTags: false, useImage: false }), /at least one modality/);
  assert.throws(() => small({ charKernels: [1] }), /MrlfConfig.charKernels/);
});

test("MRLF trains on wasm with our kernels and re-runs bit-identically", async () => {
  const cfg = small();
  const opts = {
    name: "mrlf-test",
    build: (r: ReturnType<typeof stream>) => buildMrlf(cfg, r),
    train: posts(48, cfg, "train"),
    val: posts(24, cfg, "val"),
    numClasses: 3,
    seed: 2,
    epochs: 3,
    batchSize: 16,
    log: () => {},
  };
  const a = await trainClassifier(opts);
  const b = await trainClassifier(opts);
  assert.deepEqual(a.history, b.history);
  assert.ok(a.history[2].loss < a.history[0].loss, `loss falls: ${a.history.map((h) => h.loss)}`);
  assert.deepEqual(
    a.model.getWeights().map((w) => Array.from(w.dataSync())),
    b.model.getWeights().map((w) => Array.from(w.dataSync())),
  );
});
