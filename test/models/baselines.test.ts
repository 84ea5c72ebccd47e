import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/tfjs/backend";
import { stream } from "../../lib/runtime/rng";
import { buildResNet, countConvLayers } from "../../lib/models/baselines/resnet";
import { buildDenseNet121 } from "../../lib/models/baselines/densenet";
import { fitTagvisor, setCartSplitDedup } from "../../lib/models/baselines/tagvisor";
import { subwords, fitSubwordEncoder, encodeSubwords, buildLocTwi, LOCTWI_DEFAULT } from "../../lib/models/baselines/loctwi";
import { buildDeepGeo, fitCharEncoder, encodeChars, DEEPGEO_DEFAULT } from "../../lib/models/baselines/deepgeo";
import { buildLateFusion } from "../../lib/models/baselines/late-fusion";
import { loadPretrainedWeights } from "../../lib/models/baselines/pretrained";
import { splitCity } from "../../lib/experiments/split";
import { fsSaveHandler } from "../../lib/tfjs/model-io";
import { trainClassifier, predictProbs, type LabelledSet } from "../../lib/training";

async function tfReady(): Promise<typeof TF> {
  const { tf } = await selectBackend();
  tf.env().set("IS_TEST", false); // see experimentContext: the leak check misfires on fusedConv2d gradients
  return tf;
}

const accuracy = (probs: Float32Array, labels: Int32Array, k: number): number => {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) {
    let b = 0;
    for (let j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + b]) b = j;
    if (b === labels[i]) ok++;
  }
  return ok / labels.length;
};

/** Toy posts: class c has its own words/tags (with misspellings) plus shared noise words. */
function toyPosts(n: number, seedName: string) {
  const rng = stream(3, seedName);
  const local = [
    ["empire", "midtown", "manhattan"],
    ["flinders", "yarra", "laneway"],
    ["victoria", "harbour", "kowloon"],
  ];
  const noise = ["love", "happy", "food", "friends", "today", "weekend", "amazing"];
  const misspell = (w: string) => (rng.next() < 0.3 ? w + w[w.length - 1].repeat(2) : w);
  return Array.from({ length: n }, (_, i) => {
    const c = i % 3;
    const words = [misspell(rng.choice(local[c])), rng.choice(noise), rng.choice(noise), misspell(rng.choice(local[c]))];
    return { id: `p${i}`, label: c, text: rng.shuffle(words).join(" "), hashtags: [`#${rng.choice(local[c])}`, `#${rng.choice(noise)}`] };
  });
}

test("ResNet50/101 and DenseNet121 have the papers' block structures and output one logit per location", async () => {
  const tf = await tfReady();
  const r50 = buildResNet(tf, 5, { depth: 50, inputSize: 32, baseWidth: 2, dropout: 0 }, stream(1, "r50"));
  const r101 = buildResNet(tf, 5, { depth: 101, inputSize: 32, baseWidth: 2, dropout: 0 }, stream(1, "r101"));
  const d121 = buildDenseNet121(tf, 5, { inputSize: 32, growthRate: 2, reduction: 0.5, dropout: 0 }, stream(1, "d121"));
  // ResNet: stem + 3 convs per bottleneck block + 4 projection shortcuts.
  assert.equal(countConvLayers(r50), 1 + 3 * (3 + 4 + 6 + 3) + 4);
  assert.equal(countConvLayers(r101), 1 + 3 * (3 + 4 + 23 + 3) + 4);
  // DenseNet121: stem + 2 convs per composite layer + 3 transitions = 120 convs (+ the classifier = 121 layers with weights in the paper's
  // count).
  assert.equal(countConvLayers(d121), 1 + 2 * (6 + 12 + 24 + 16) + 3);
  assert.ok(r50.getLayer("conv4_block6_3_conv") && r101.getLayer("conv4_block23_3_conv") && d121.getLayer("conv5_block16_concat"));
  assert.throws(() => r50.getLayer("conv4_block7_1_conv"));
  // Stage widths: 4·base at the block outputs; DenseNet final channels = (((2k+6k)/2+12k)/2+24k)/2+16k.
  assert.equal(r50.getLayer("conv5_block3_out").outputShape[3], 4 * 2 * 8);
  assert.equal(d121.getLayer("relu").outputShape[3], (((2 * 2 + 6 * 2) / 2 + 12 * 2) / 2 + 24 * 2) / 2 + 16 * 2);
  for (const m of [r50, r101, d121]) {
    const y = m.predict(tf.randomNormal([2, 32, 32, 3], 0, 1, "float32", 4)) as TF.Tensor;
    assert.deepEqual(y.shape, [2, 5]);
    assert.ok((y.dataSync() as Float32Array).every(Number.isFinite));
  }
});

test("a small ResNet50 trains with the shared trainClassifier (overfits one batch of a separable image task)", async () => {
  const tf = await tfReady();
  // Class 0 = bright image, class 1 = dark image; one batch of 16, seen every step.
  const n = 16;
  const S = 32;
  const rng = stream(2, "img-task");
  const data = new Float32Array(n * S * S * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let j = 0; j < S * S * 3; j++) data[i * S * S * 3 + j] = (labels[i] === 0 ? 1 : -1) + 0.5 * rng.normal();
  }
  const set: LabelledSet = { features: { image: { data, shape: [S, S, 3] } }, labels };
  const trained = await trainClassifier({
    name: "test-resnet50",
    build: (r) => buildResNet(tf, 2, { depth: 50, inputSize: S, baseWidth: 4, dropout: 0, bnMomentum: 0.5 }, r),
    train: set,
    val: set,
    numClasses: 2,
    seed: 1,
    epochs: 15,
    batchSize: 16,
    log: () => {},
  });
  const losses = trained.history.map((h) => h.loss);
  assert.ok(
    Math.min(...losses.slice(-3)) < 0.5 * losses[0],
    `training loss should fall by half: ${losses.map((l) => l.toFixed(3)).join(" → ")}`,
  );
  const acc = accuracy(predictProbs(trained.model, set), labels, 2);
  assert.ok(acc >= 0.75, `accuracy of the kept epoch ${acc}`);
});

test("Tagvisor (ml-random-forest) learns hashtag→location, is seeded, and rejects bad labels", () => {
  const train = toyPosts(90, "tv-train");
  const testPosts = toyPosts(30, "tv-test");
  const y = train.map((p) => p.label);
  const m1 = fitTagvisor(train, y, 3, stream(5, "tv"), { nEstimators: 15, minTagCount: 1 });
  const probs = m1.predictProba(testPosts);
  assert.ok(
    accuracy(
      probs,
      Int32Array.from(testPosts, (p) => p.label),
      3,
    ) > 0.8,
  );
  for (let i = 0; i < testPosts.length; i++) assert.ok(Math.abs(probs[i * 3] + probs[i * 3 + 1] + probs[i * 3 + 2] - 1) < 1e-5);
  const m2 = fitTagvisor(train, y, 3, stream(5, "tv"), { nEstimators: 15, minTagCount: 1 });
  assert.deepEqual(Array.from(m2.predictProba(testPosts)), Array.from(probs));
  // The split-search speed-up builds exactly the trees the unpatched package builds.
  setCartSplitDedup(false);
  const plain = fitTagvisor(train, y, 3, stream(5, "tv"), { nEstimators: 15, minTagCount: 1 }).predictProba(testPosts);
  setCartSplitDedup(true);
  assert.deepEqual(Array.from(plain), Array.from(probs));
  assert.throws(
    () =>
      fitTagvisor(
        train,
        y.map((v, i) => (i === 4 ? 7 : v)),
        3,
        stream(5, "tv"),
      ),
    /post p4: label 7 outside 0\.\.2/,
  );
  assert.throws(() => fitTagvisor(train, y, 3, stream(5, "tv"), { minTagCount: 1000 }), /no hashtag occurs ≥ 1000 times/);
});

test("LocTwi: fastText subwords composed into words, one masked self-attention block; learns misspelled location words", async () => {
  const tf = await tfReady();
  assert.deepEqual(subwords("nyc", 3, 4), ["<nyc>", "<ny", "nyc", "yc>", "<nyc", "nyc>"]);
  const train = toyPosts(120, "lt-train");
  const testPosts = toyPosts(30, "lt-test");
  const cfg = { ...LOCTWI_DEFAULT, minCount: 1, maxWords: 6, maxUnitsPerWord: 10, embedDim: 16, heads: 2, ffnDim: 16, dropout: 0 };
  const enc = fitSubwordEncoder(train, cfg);
  const set = (ps: typeof train): LabelledSet => {
    const e = encodeSubwords(enc, ps);
    return { features: { subwords: { data: e.data, shape: [e.width] } }, labels: Int32Array.from(ps, (p) => p.label) };
  };
  const unseen = encodeSubwords(enc, [{ text: "zzzz qqqq" }]);
  assert.equal(unseen.emptyPosts, 1);
  assert.deepEqual(Array.from(unseen.data.slice(0, 2)), [1, 0], "an unknown word keeps its position with the OOV id");
  assert.equal(unseen.data[cfg.maxUnitsPerWord], 1, "the second word starts at its own slot");
  const model = buildLocTwi(tf, enc.vocab.size, 3, cfg, stream(1, "lt"));
  assert.ok(model.getLayer("self_attention") && model.getLayer("word_mask"));
  const trained = await trainClassifier({
    name: "test-loctwi",
    build: (r) => buildLocTwi(tf, enc.vocab.size, 3, cfg, r),
    train: set(train),
    val: set(testPosts),
    numClasses: 3,
    seed: 1,
    epochs: 20,
    batchSize: 32,
    learningRate: 0.003,
    optimizer: "adam",
    log: () => {},
  });
  assert.ok(accuracy(predictProbs(trained.model, set(testPosts)), set(testPosts).labels, 3) > 0.8);
  assert.throws(() => fitSubwordEncoder(train, { ...cfg, minN: 4, maxN: 3 }), /minN\/maxN/);
  assert.throws(() => buildLocTwi(tf, enc.vocab.size, 3, { ...cfg, heads: 3 }, stream(1, "x")), /not a multiple of heads/);
});

test("DeepGeo: the character-level RCNN (Bi-LSTM context, dense map, max-pool, attention) builds, trains above chance, pads/truncates characters", async () => {
  const tf = await tfReady();
  const train = toyPosts(90, "dg-train");
  const cfg = { ...DEEPGEO_DEFAULT, maxChars: 24, embedDim: 8, filters: 12, poolWindow: 3, repDim: 8, dropout: 0, minCharCount: 1 };
  const enc = fitCharEncoder(train, cfg);
  const ids = encodeChars(enc, [{ text: "ab" }, { text: "x".repeat(40) }]);
  assert.deepEqual(Array.from(ids.slice(2, 24)), new Array(22).fill(0), "right-padded");
  assert.ok(
    ids.slice(24).every((v) => v !== 0),
    "truncated at maxChars",
  );
  const set: LabelledSet = {
    features: { chars: { data: encodeChars(enc, train), shape: [cfg.maxChars] } },
    labels: Int32Array.from(train, (p) => p.label),
  };
  const model = buildDeepGeo(tf, enc.vocab.size, 3, cfg, stream(1, "dg"));
  for (const l of ["lstm_forward", "lstm_backward", "left_context", "right_context", "rcnn", "pool", "attention", "representation"])
    assert.ok(model.getLayer(l), l);
  const trained = await trainClassifier({
    name: "test-deepgeo",
    build: (r) => buildDeepGeo(tf, enc.vocab.size, 3, cfg, r),
    train: set,
    val: set,
    numClasses: 3,
    seed: 1,
    epochs: 12,
    batchSize: 16,
    learningRate: 0.01,
    optimizer: "adam",
    log: () => {},
  });
  assert.ok(accuracy(predictProbs(trained.model, set), set.labels, 3) > 0.6, "well above the 1/3 chance level");
  assert.throws(() => buildDeepGeo(tf, enc.vocab.size, 3, { ...cfg, poolWindow: 30 }, stream(1, "x")), /poolWindow 30 exceeds maxChars 24/);
});

test("late fusion: one encoder per modality, concatenated; a modality can be left out", async () => {
  const tf = await tfReady();
  const cfg = {
    maxTextWords: 5,
    maxTags: 3,
    wordVocab: 9,
    tagVocab: 7,
    imageDim: 4,
    embedDim: 4,
    wordKernels: [1, 2],
    filters: 3,
    imageOut: 2,
    dropout: 0,
    useText: true,
    useTags: true,
    useImage: true,
  };
  const m = buildLateFusion(tf, 3, cfg, stream(2, "lf"));
  assert.deepEqual(m.inputNames, ["textWords", "tagWords", "image"]);
  assert.deepEqual(m.getLayer("late_concat").outputShape, [null, 2 * 3 + 2 * 3 + 2]);
  assert.deepEqual(buildLateFusion(tf, 3, { ...cfg, useImage: false }, stream(2, "lf")).inputNames, ["textWords", "tagWords"]);
  assert.throws(
    () => buildLateFusion(tf, 3, { ...cfg, useText: false, useTags: false, useImage: false }, stream(2, "lf")),
    /at least one modality/,
  );
});

test("pretrained weights load by Keras layer name and shape; a width mismatch is an error naming the layer", async () => {
  const tf = await tfReady();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-pretrained-"));
  const src = buildResNet(tf, 7, { depth: 50, inputSize: 32, baseWidth: 2, dropout: 0 }, stream(9, "src"));
  await src.save(fsSaveHandler(path.join(dir, "r50")));
  const dst = buildResNet(tf, 4, { depth: 50, inputSize: 48, baseWidth: 2, dropout: 0 }, stream(10, "dst"));
  const report = await loadPretrainedWeights(tf, dst, path.join(dir, "r50", "model.json"));
  assert.ok(report.loaded.includes("conv1_conv") && report.loaded.includes("conv5_block3_3_bn"));
  assert.ok(
    report.skipped.some((s) => s.layer === "predictions" && /shapes differ/.test(s.reason)),
    "the 7-way head does not fit a 4-way model",
  );
  assert.deepEqual(
    Array.from(dst.getLayer("conv3_block2_2_conv").getWeights()[0].dataSync()),
    Array.from(src.getLayer("conv3_block2_2_conv").getWeights()[0].dataSync()),
  );
  const wide = buildResNet(tf, 4, { depth: 50, inputSize: 32, baseWidth: 4, dropout: 0 }, stream(11, "wide"));
  await assert.rejects(
    loadPretrainedWeights(tf, wide, path.join(dir, "r50", "model.json")),
    /no layer of the pretrained model matches .* by name and shape/,
  );
});

test("splitCity is stratified per location, seeded, and names a post with an unknown location", () => {
  const pois = ["a", "b", "c"].map((id, i) => ({ id, name: id, lat: 40 + i * 0.01, lon: -74 }));
  const posts = Array.from({ length: 60 }, (_, i) => ({
    id: `p${String(i).padStart(2, "0")}`,
    poiId: pois[i % 3].id,
    lat: 40,
    lon: -74,
    text: "x",
    hashtags: [],
    images: [],
  }));
  const ds = { name: "toy", city: "new-york", pois, posts, checksums: { "posts.jsonl": "abc" } };
  const s1 = splitCity(ds, 1);
  const s2 = splitCity(ds, 1);
  const s3 = splitCity(ds, 2);
  assert.equal(s1.train.length + s1.val.length + s1.test.length, 60);
  for (const part of [s1.train, s1.val, s1.test]) assert.deepEqual(new Set(part.map((p) => p.poiId)), new Set(["a", "b", "c"]));
  assert.equal(s1.test.length, 12);
  assert.deepEqual(
    s1.test.map((p) => p.id),
    s2.test.map((p) => p.id),
  );
  assert.notDeepEqual(
    s1.test.map((p) => p.id),
    s3.test.map((p) => p.id),
  );
  assert.equal(s1.labelOf(posts[4]), 1);
  assert.throws(
    () => splitCity({ ...ds, posts: [...posts, { ...posts[0], id: "bad", poiId: "zz" }] }, 1),
    /toy: post bad: poiId: "zz" is not one of the dataset's POIs/,
  );
});
