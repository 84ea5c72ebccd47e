/**
 * Cost of notebooks 03 / 04 / 06 (MRLF ablation, fusion variants, hashtag cut)
 * at a scale: training throughput of every variant at that scale's MRLF sizes
 * (random ids, 1280-d image vectors, 12 locations, 2 epochs of 640 posts incl.
 * a validation pass each), times the real train-split sizes and the epoch cap,
 * summed over the trainings each notebook adds (the full model is notebook
 * 02's cached one). An upper bound: early stopping usually ends sooner.
 *
 *   node dist/bench/mrlf-variants.js [scale=default]
 */
import * as os from "node:os";
import { selectBackend } from "../lib/tfjs/backend";
import { stream } from "../lib/runtime/rng";
import { loadParams, type Scale } from "../lib/runtime/params";
import { buildMrlf, mrlfConfig, mrlfInputNames, type MrlfConfig } from "../lib/models/mrlf";
import { trainClassifier, type LabelledSet } from "../lib/training";
import { experimentSizes } from "../lib/experiments/sizes";
import { preparedCity } from "../lib/data/preprocess-posts";
import { splitCity } from "../lib/experiments/split";
import { SYNTHETIC_CITIES } from "../lib/data/synthetic/instagram";
import { ABLATION_VARIANTS, FUSION_VARIANTS, hashtagCutVariant, hashtagSweep, type MrlfVariant } from "../lib/experiments/variants";
import { defaultThresholds } from "../lib/data/preprocess-posts";

async function samplesPerSec(overrides: Partial<MrlfConfig>, base: Partial<MrlfConfig>, batchSize: number): Promise<number> {
  const n = 640;
  const k = 12;
  const cfg = mrlfConfig({ numClasses: k, charVocab: 60, wordVocab: 3000, tagVocab: 500, imageDim: 1280 }, { ...base, ...overrides });
  const r = stream(1, "bench/mrlf-variants");
  const ids = (len: number, v: number) => Int32Array.from({ length: n * len }, () => 2 + r.int(v - 2));
  const all: LabelledSet["features"] = {
    textChars: { data: ids(cfg.maxTextChars, 60), shape: [cfg.maxTextChars] },
    textWords: { data: ids(cfg.maxTextWords, 3000), shape: [cfg.maxTextWords] },
    tagChars: { data: ids(cfg.maxTagChars, 60), shape: [cfg.maxTagChars] },
    tagWords: { data: ids(cfg.maxTags, 500), shape: [cfg.maxTags] },
    image: { data: Float32Array.from({ length: n * 1280 }, () => r.normal()), shape: [1280] },
  };
  const set: LabelledSet = {
    labels: Int32Array.from({ length: n }, () => r.int(k)),
    features: Object.fromEntries(mrlfInputNames(cfg).map((x) => [x, all[x]])),
  };
  const t0 = process.hrtime.bigint();
  await trainClassifier({
    name: "bench-variants",
    build: (rng) => buildMrlf(cfg, rng),
    train: set,
    val: set,
    numClasses: k,
    seed: 1,
    epochs: 2,
    batchSize,
    log: () => {},
  });
  return (2 * n) / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function main(): Promise<void> {
  const scale = (process.argv[2] ?? "default") as Scale;
  const params = loadParams(process.env, { scale });
  const { tf, name } = await selectBackend();
  tf.env().set("IS_TEST", false);
  const sizes = experimentSizes(scale);
  const sched = sizes.schedule.MRLF;
  const trainPosts: number[] = [];
  for (const c of SYNTHETIC_CITIES) trainPosts.push(splitCity(await preparedCity(params, c), params.seed).train.length);
  const totalTrain = trainPosts.reduce((a, b) => a + b, 0);
  console.log(
    `scale ${scale}, backend ${name}, MRLF sizes ${JSON.stringify(sizes.mrlf)}, ≤ ${sched.epochs} epochs, batch ${sched.batchSize}; train posts ${trainPosts.join(" + ")} = ${totalTrain}; load average ${os.loadavg()[0].toFixed(1)}`,
  );
  const speed = new Map<string, number>();
  const variants: MrlfVariant[] = [...ABLATION_VARIANTS, ...FUSION_VARIANTS];
  for (const v of variants) {
    const key = JSON.stringify(v.overrides);
    if (!speed.has(key)) speed.set(key, await samplesPerSec(v.overrides, sizes.mrlf, sched.batchSize));
    console.log(`${v.id.padEnd(22)} ${speed.get(key)!.toFixed(1).padStart(7)} samples/s`);
  }
  const secs = (vs: readonly MrlfVariant[]) =>
    vs
      .filter(
        (v) =>
          Object.keys(v.overrides).length > 0 ||
          (v.minHashtagCount !== undefined && v.minHashtagCount !== defaultThresholds(scale).minHashtagCount),
      )
      .reduce((s, v) => s + (totalTrain * sched.epochs) / speed.get(JSON.stringify(v.overrides))!, 0);
  const cut = hashtagSweep(scale).map((t) => hashtagCutVariant(t, scale));
  const est = {
    "03-ablation": secs(ABLATION_VARIANTS),
    "04-fusion-variants": secs(FUSION_VARIANTS),
    "06-low-frequency-hashtags": secs(cut),
  };
  for (const [nb, s] of Object.entries(est))
    console.log(`${nb.padEnd(28)} ≤ ${(s / 60).toFixed(1)} min of training (1 seed, no early stop)`);
  console.log(`all three                    ≤ ${(Object.values(est).reduce((a, b) => a + b, 0) / 60).toFixed(1)} min`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
