/**
 * Seconds per training step of each kind of neural model at a scale's sizes, on
 * this machine, through the path real trainings take (trainClassifier: the
 * engine where it implements the model, TensorFlow.js otherwise; a GPU when the
 * compute plan finds one). `make plan` reads these figures from
 * bench/step-times.json (scripts/plan.ts); this bench prints the entries to put there.
 *
 *   node dist/bench/step-times.js [scale=paper] [steps=3] [kinds=MRLF,DeepGeo,LocTwi,Late fusion,MobileNetV2 linear]
 *
 * Per kind: the time of (1 + steps) steps minus that of 1 step, over `steps`, so
 * model building, compilation and the validation pass cancel. One core per
 * training, as the plan assumes (GEOREPRO_TRAIN_WORKERS=off). Inputs are random
 * and full length (no padding), which makes the figure an upper bound for
 * models whose engine path skips pad positions (MRLF's attention). Not measured
 * here: the fine-tuned MobileNetV2 top (it needs the backbone's activations) and
 * the from-scratch image CNNs at paper size (a batch exceeds the engine's memory
 * and tfjs takes minutes per step): their plan rows say "not measured".
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { trainClassifier, type LabelledSet } from "../lib/training";
import { selectBackend } from "../lib/tfjs/backend";
import { stream, type Rng } from "../lib/runtime/rng";
import { experimentSizes, type ScheduledModel } from "../lib/experiments/sizes";
import { buildMrlf, mrlfConfig, MRLF_PAPER_DEFAULTS } from "../lib/models/mrlf";
import { buildDeepGeo } from "../lib/models/baselines/deepgeo";
import { buildLocTwi } from "../lib/models/baselines/loctwi";
import { buildLateFusion } from "../lib/models/baselines/late-fusion";
import { buildLinearProbe } from "../lib/models/baselines/mobilenet";
import { SCALES, type Scale } from "../lib/runtime/params";

const CLASSES = 40; // New York's POIs in the paper's Table I
const VOCAB = 5000;
const CHARS = 80;
const IMAGE_DIM = 1280; // MobileNetV2's feature vector

/** The builder of each measured kind at a scale's sizes. */
function builders(scale: Scale): Partial<Record<ScheduledModel | "MRLF image-only", (r: Rng) => tf.LayersModel>> {
  const s = experimentSizes(scale);
  return {
    MRLF: (r) =>
      buildMrlf(mrlfConfig({ numClasses: CLASSES, charVocab: CHARS, wordVocab: VOCAB, tagVocab: VOCAB, imageDim: IMAGE_DIM }, s.mrlf), r),
    // Table III's image-only model (lib/studies/mrlf/noisy-images.ts: IMAGE_ONLY).
    "MRLF image-only": (r) =>
      buildMrlf(
        mrlfConfig(
          { numClasses: CLASSES, charVocab: CHARS, wordVocab: VOCAB, tagVocab: VOCAB, imageDim: IMAGE_DIM },
          { ...s.mrlf, useText: false, useTags: false, useImage: true },
        ),
        r,
      ),
    DeepGeo: (r) => buildDeepGeo(tf, CHARS, CLASSES, s.deepgeo, r),
    LocTwi: (r) => buildLocTwi(tf, VOCAB, CLASSES, s.loctwi, r),
    "Late fusion": (r) =>
      buildLateFusion(
        tf,
        CLASSES,
        {
          ...s.lateFusion,
          maxTextWords: MRLF_PAPER_DEFAULTS.maxTextWords,
          maxTags: MRLF_PAPER_DEFAULTS.maxTags,
          wordVocab: VOCAB,
          tagVocab: VOCAB,
          imageDim: IMAGE_DIM,
          useText: true,
          useTags: true,
          useImage: true,
        },
        r,
      ),
    "MobileNetV2 linear": (r) => buildLinearProbe(IMAGE_DIM, CLASSES, r),
  };
}

/** Random inputs shaped as the model's: ids in [1, 50) for integer inputs (valid in every vocabulary here), N(0, 1) otherwise. */
function randomSet(model: tf.LayersModel, n: number, r: Rng): LabelledSet {
  const features: LabelledSet["features"] = {};
  model.inputs.forEach((input, i) => {
    const shape = input.shape.slice(1) as number[];
    const per = shape.reduce((a, b) => a * b, 1);
    const data =
      input.dtype === "int32"
        ? Int32Array.from({ length: n * per }, () => 1 + r.int(49))
        : Float32Array.from({ length: n * per }, () => r.normal());
    features[model.inputNames[i]] = { data, shape }; // the layer's name: the symbolic tensor's gets a suffix
  });
  return { features, labels: Int32Array.from({ length: n }, () => r.int(CLASSES)) };
}

async function secondsFor(kind: string, build: (r: Rng) => tf.LayersModel, batch: number, steps: number): Promise<number> {
  const probe = build(stream(1, `step-times/${kind}/probe`));
  const val = randomSet(probe, batch, stream(2, kind));
  probe.dispose();
  const time = async (k: number) => {
    const train = randomSet(probe, k * batch, stream(3, `${kind}/${k}`));
    const t0 = process.hrtime.bigint();
    const t = await trainClassifier({
      name: `step-times-${kind}`,
      build,
      train,
      val,
      numClasses: CLASSES,
      seed: 1,
      epochs: 1,
      batchSize: batch,
      log: () => {},
    });
    t.model.dispose();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  await time(1); // warm-up: kernels, JIT
  const one = await time(1);
  const many = await time(1 + steps);
  return Math.max(0, (many - one) / steps);
}

async function main(): Promise<void> {
  // One training per core, as the plan assumes: no helper thread taking half of each batch.
  process.env.GEOREPRO_TRAIN_WORKERS = "off";
  const scale = (process.argv[2] ?? "paper") as Scale;
  if (!SCALES.includes(scale)) throw new Error(`step-times: scale: expected one of ${SCALES.join(", ")} (got ${scale})`);
  const steps = Number(process.argv[3] ?? 3);
  const all = builders(scale);
  const kinds = (process.argv[4]?.split(",") ?? Object.keys(all)) as (keyof typeof all)[];
  const { name, device } = await selectBackend();
  const sizes = experimentSizes(scale);
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ");
  process.stdout.write(`step-times: scale ${scale}, ${steps} timed steps per kind, backend ${name} on ${device}, load average ${load()}\n`);
  const entries = [];
  for (const kind of kinds) {
    const build = all[kind];
    if (!build) throw new Error(`step-times: no builder for "${kind}" (have ${Object.keys(all).join(", ")})`);
    const batch = sizes.schedule[kind === "MRLF image-only" ? "MRLF" : kind].batchSize;
    const seconds = await secondsFor(kind, build, batch, steps);
    process.stdout.write(`${kind.padEnd(26)} ${(seconds * 1000).toFixed(1).padStart(9)} ms per step (batch ${batch})\n`);
    entries.push({
      kind,
      scale,
      batch,
      seconds: Number(seconds.toFixed(4)),
      source: `bench/step-times.ts, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load ${load()}, ${name} on ${device}`,
    });
  }
  process.stdout.write(`\nentries for bench/step-times.json:\n${JSON.stringify(entries, null, 2)}\n`);
}

if (require.main === module)
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
