/**
 * The models the training benches time, with one random batch each: MRLF at
 * the default scale's width (16), width 32 and the paper's width, and the image
 * CNN baselines at the from-scratch size issue 12 timed (CNN_BENCH_SIZES: 32 px,
 * ResNet stage width 8, DenseNet growth 8, BN momentum 0.9), batch 64.
 * bench/mrlf_torch.py and bench/cnn_torch.py build the same networks in PyTorch.
 *
 * Why not experimentSizes("default").image: since the fair-MRLF change the
 * default scale runs these CNNs only with local ImageNet weights, at 96 px and
 * full width (64). There a batch of 64 needs 4.2 GiB of engine memory for
 * ResNet50, more than a wasm32 memory holds, so the engine hands such a model to
 * tfjs (compile.ts, MAX_ARENA_BYTES); the small size keeps timing the kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { buildMrlf, mrlfConfig, type MrlfConfig } from "../lib/models/mrlf";
import { MRLF_DEFAULT_SCALE } from "../lib/experiments/sizes";
import { buildResNet } from "../lib/models/baselines/resnet";
import { buildDenseNet121 } from "../lib/models/baselines/densenet";
import type { Rng } from "../lib/runtime/rng";
import type { LabelledSet } from "../lib/training/data";

export const MRLF_WIDTHS: Record<string, Partial<MrlfConfig>> = {
  "mrlf-default": MRLF_DEFAULT_SCALE,
  "mrlf-32": { embedDim: 32, filters: 32, heads: 4, headDim: 8, ffnDim: 64, imageOut: 32 },
  "mrlf-paper": {},
};
export const CNN_MODELS = ["resnet50", "resnet101", "densenet121"] as const;
export const BENCH_MODELS: Record<string, true> = Object.fromEntries([...Object.keys(MRLF_WIDTHS), ...CNN_MODELS].map((k) => [k, true]));

export const BENCH_BATCH = 64;
/** Classes of the image benches (the default scale's New York has 12 POIs). */
export const CNN_CLASSES = 12;

export function mrlfBenchConfig(name: string): MrlfConfig {
  return mrlfConfig({ numClasses: 40, charVocab: 80, wordVocab: 5000, tagVocab: 2000, imageDim: 512 }, MRLF_WIDTHS[name]);
}

/** The from-scratch CNN size the benches time (see the file comment). */
export const CNN_BENCH_SIZES = { inputSize: 32, resnetWidth: 8, densenetGrowth: 8, bnMomentum: 0.9 } as const;

/** The image CNN sizes of the bench, as the PyTorch peer needs them. */
export function cnnBenchConfig(name: string): {
  model: string;
  inputSize: number;
  width: number;
  growth: number;
  bnMomentum: number;
  numClasses: number;
  batch: number;
} {
  const img = CNN_BENCH_SIZES;
  return {
    model: name,
    inputSize: img.inputSize,
    width: img.resnetWidth,
    growth: img.densenetGrowth,
    bnMomentum: img.bnMomentum,
    numClasses: CNN_CLASSES,
    batch: BENCH_BATCH,
  };
}

export function benchModel(name: string, r: Rng, batch = BENCH_BATCH): { model: tf.LayersModel; set: LabelledSet; batch: number } {
  if (name in MRLF_WIDTHS) {
    const cfg = mrlfBenchConfig(name);
    const ids = (len: number, v: number) => Int32Array.from({ length: batch * len }, () => 2 + r.int(v - 2));
    const set: LabelledSet = {
      labels: Int32Array.from({ length: batch }, () => r.int(cfg.numClasses)),
      features: {
        textChars: { data: ids(cfg.maxTextChars, cfg.charVocab), shape: [cfg.maxTextChars] },
        textWords: { data: ids(cfg.maxTextWords, cfg.wordVocab), shape: [cfg.maxTextWords] },
        tagChars: { data: ids(cfg.maxTagChars, cfg.charVocab), shape: [cfg.maxTagChars] },
        tagWords: { data: ids(cfg.maxTags, cfg.tagVocab), shape: [cfg.maxTags] },
        image: { data: Float32Array.from({ length: batch * cfg.imageDim }, () => r.normal()), shape: [cfg.imageDim] },
      },
    };
    return { model: buildMrlf(cfg, r.fork("init")), set, batch };
  }
  const c = cnnBenchConfig(name);
  const S = c.inputSize;
  const set: LabelledSet = {
    labels: Int32Array.from({ length: batch }, () => r.int(c.numClasses)),
    features: { image: { data: Float32Array.from({ length: batch * S * S * 3 }, () => r.normal()), shape: [S, S, 3] } },
  };
  const init = r.fork("init");
  const model =
    name === "densenet121"
      ? buildDenseNet121(
          tf,
          c.numClasses,
          { inputSize: S, growthRate: c.growth, reduction: 0.5, dropout: 0, bnMomentum: c.bnMomentum },
          init,
        )
      : name === "resnet50" || name === "resnet101"
        ? buildResNet(
            tf,
            c.numClasses,
            { depth: name === "resnet50" ? 50 : 101, inputSize: S, baseWidth: c.width, dropout: 0, bnMomentum: c.bnMomentum },
            init,
          )
        : null;
  if (!model) throw new Error(`bench: unknown model "${name}" (known: ${Object.keys(BENCH_MODELS).join(", ")})`);
  return { model, set, batch };
}
