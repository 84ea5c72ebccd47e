/**
 * The Table II baseline registry (lib/experiments/baselines.ts) and MRLF's
 * runner on a toy city: every entry says its budget, the ones that run here
 * train, report per-post outcomes, and a re-run loads the cached models with
 * identical predictions. Plus the fine-tuned MobileNetV2 top: its BN-folded
 * layers reproduce the pretrained network's own features before training.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadParams } from "../../lib/runtime/params";
import { stream } from "../../lib/runtime/rng";
import { experimentContext } from "../../lib/experiments/context";
import { experimentSizes } from "../../lib/experiments/sizes";
import { BASELINES, BASELINE_NAMES, type BaselineName } from "../../lib/experiments/baselines";
import { runMrlf } from "../../lib/experiments/mrlf-run";
import type { RunResult } from "../../lib/experiments/run";
import { splitCity } from "../../lib/experiments/split";
import { imageFeatures } from "../../lib/image/features";
import { defaultBackbone, loadNsfwjsMobileNet } from "../../lib/image/backbone";
import { buildMobileNetHead, foldedHeadWeights, MOBILENET_HEAD_INPUT } from "../../lib/models/baselines/mobilenet";
import { writeTestImage } from "../image/helpers";
import { toyCity } from "./helpers";

test("every baseline has a registry entry with its modality, reference and budget; the default scale says why the CNNs need weights", async () => {
  const params = loadParams({}, { scale: "default" });
  const ctx = {
    params,
    sizes: experimentSizes("default"),
    pretrained: {},
    defaultBackbone: true,
    backbone: { description: "MobileNetV2 …" },
  } as unknown as Parameters<(typeof BASELINES)["Tagvisor"]["budget"]>[0];
  for (const b of BASELINE_NAMES) {
    const spec = BASELINES[b];
    assert.ok(
      spec.reference.length > 10 && ["hashtags", "text", "image", "text+hashtags", "text+hashtags+image"].includes(spec.modality),
      b,
    );
    assert.ok(spec.budget(ctx).length > 10, `${b}: budget`);
  }
  for (const b of ["ResNet50", "ResNet101", "DenseNet121"] as const)
    assert.match(BASELINES[b].unavailable(ctx) ?? "", new RegExp(`GEOREPRO_PRETRAINED_${b.toUpperCase()}`));
  assert.equal(
    BASELINES.ResNet50.unavailable({ ...ctx, pretrained: { ResNet50: "/x/model.json" } } as typeof ctx),
    null,
    "with weights it runs",
  );
  assert.equal(
    BASELINES["Fine-tuned MobileNetV2 top"].unavailable({ ...ctx, defaultBackbone: false } as typeof ctx) !== null,
    true,
    "needs the MobileNetV2 backbone",
  );
  assert.match(BASELINES.DeepGeo.budget(ctx), /100 characters/);
  assert.match(BASELINES["NB control"].budget(ctx), /α chosen on validation from 0\.1\/0\.3\/1/);
  assert.equal(BASELINES["NB control"].control, true, "the suite's control, not a paper baseline");
});

test("baselines and MRLF train on a toy city through the registry, report per-post outcomes, and re-runs load identical predictions", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-exp-"));
  const params = loadParams({}, { scale: "tiny", cacheDir: path.join(dir, "cache"), outDir: path.join(dir, "out") });
  const ctx = await experimentContext(params, {});
  const split = splitCity(await toyCity(dir), 1);
  const features = await imageFeatures(
    ctx.backbone,
    [...split.train, ...split.val, ...split.test].flatMap((p) => p.images),
    { cacheDir: params.cacheDir },
  );
  const names: BaselineName[] = ["Tagvisor", "DeepGeo", "LocTwi", "Frozen backbone + linear", "Fine-tuned MobileNetV2 top", "Late fusion"];
  const runAll = async (): Promise<RunResult[]> => [
    ...(await Promise.all(names.map((b) => BASELINES[b].run(ctx, { split, seed: 1, features })))),
    await runMrlf(ctx, split, 1, features),
  ];
  const first = await runAll();
  for (const r of first) {
    assert.equal(r.outcomes.truth.length, split.test.length, r.system);
    assert.deepEqual(Array.from(r.outcomes.predicted), Array.from(r.predicted));
    assert.ok(
      r.outcomes.errorKm!.every((d, i) => (r.outcomes.predicted[i] === r.outcomes.truth[i] ? d < 0.2 : d > 1)),
      `${r.system}: km errors follow the predictions`,
    );
    assert.ok(r.metrics.acc >= 0 && r.metrics.acc <= 1 && Number.isFinite(r.metrics.meanKm), `${r.system}: ${JSON.stringify(r.metrics)}`);
    assert.equal(r.fromCache, false);
  }
  assert.ok(first[0].metrics.acc > 0.6, `Tagvisor: hashtags name the POI (Acc ${first[0].metrics.acc})`);
  const again = await runAll();
  again.forEach((r, i) => {
    assert.equal(r.fromCache, true, `${r.system} should load from the cache`);
    assert.deepEqual(Array.from(r.probs), Array.from(first[i].probs), `${r.system}: cached predictions differ`);
  });
  const faster = await BASELINES["Late fusion"].run(ctx, { split, seed: 1, features, learningRate: 0.05 });
  assert.equal(faster.fromCache, false, "another learning rate is another model");
  assert.equal(faster.learningRate, 0.05);
});

test("fine-tuned MobileNetV2 top: the BN-folded top layers (both depths) reproduce the pretrained network's pooled features", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-mnv2-"));
  const files = [await writeTestImage(path.join(dir, "a.png"), "a", 64), await writeTestImage(path.join(dir, "b.png"), "b", 64)];
  const cacheDir = path.join(dir, "cache");
  const full = await imageFeatures(await defaultBackbone({ inputSize: 64 }), files, { cacheDir });
  const { model } = await loadNsfwjsMobileNet({ featureLayer: "out_relu", inputSize: 64 });
  const weights = foldedHeadWeights(model);
  for (const [top, channels] of [
    ["block16", 160],
    ["conv1", 320],
  ] as const) {
    const trunk = await defaultBackbone({ inputSize: 64, featureLayer: MOBILENET_HEAD_INPUT[top], pooling: "none" });
    const acts = await imageFeatures(trunk, files, { cacheDir });
    assert.equal(acts.dim, 2 * 2 * channels);
    const head = buildMobileNetHead(3, { top, side: 2, channels, dropout: 0 }, weights, stream(1, "head"));
    assert.equal(
      head.layers.some((l) => l.name === "block_16_expand"),
      top === "block16",
    );
    const pooled = tf.model({ inputs: head.inputs, outputs: head.getLayer("avg_pool").output as tf.SymbolicTensor });
    for (const f of files) {
      const y = (pooled.predict(tf.tensor2d(acts.byFile.get(f)!, [1, acts.dim])) as tf.Tensor).dataSync();
      const want = full.byFile.get(f)!;
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(y[i] - want[i]));
      assert.ok(worst < 1e-3, `${top} ${path.basename(f)}: max |head − pretrained| = ${worst}`);
    }
  }
});
