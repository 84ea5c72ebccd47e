/**
 * The Table II baselines, one registry entry each: what it is (label,
 * modality, reference), the budget it gets at this scale, whether it can run
 * here, and how it runs on one city split and seed. Adding a baseline is one
 * entry here plus its test (test/experiments/baselines.test.ts); the study
 * (lib/studies/mrlf/table2.ts) reads the registry, no switch anywhere else.
 *
 *   Tagvisor                    hashtags  random forest over hashtag presence [9]
 *   DeepGeo                     text      character-level RCNN + attention, Lau et al.'s code [21]
 *   LocTwi                      text      subword embeddings + multi-head self-attention [22]
 *   Frozen backbone + linear    image     softmax on MRLF's own frozen image features
 *   Fine-tuned MobileNetV2 top  image     MobileNetV2's last block + top conv, pretrained init, fine-tuned
 *   Late fusion                 all three per-modality encoders, concatenated, one softmax
 *   NB control                  text+hashtags  multinomial NB over caption words + hashtags (the suite's control, not the paper's)
 *   ResNet50 / ResNet101 / DenseNet121   image, from local ImageNet weights (GEOREPRO_PRETRAINED_*) or at scale=paper
 */
import type * as TF from "@tensorflow/tfjs";
import { cachedJson } from "../runtime/cache";
import { stream, type Rng } from "../runtime/rng";
import { imageFeatures, postImageMatrix, type FeatureSet } from "../image/features";
import { fitTextEncoder, encodePosts } from "../text";
import { fitTagvisor } from "../models/baselines/tagvisor";
import { buildDeepGeo, encodeChars, fitCharEncoder } from "../models/baselines/deepgeo";
import { buildLocTwi, encodeSubwords, fitSubwordEncoder } from "../models/baselines/loctwi";
import {
  buildLinearProbe,
  buildMobileNetHead,
  foldedHeadWeights,
  MOBILENET_HEAD_INPUT,
  type MobileNetHeadWeights,
} from "../models/baselines/mobilenet";
import { buildLateFusion, lateFusionInputNames, type LateFusionConfig } from "../models/baselines/late-fusion";
import { buildResNet } from "../models/baselines/resnet";
import { buildDenseNet121 } from "../models/baselines/densenet";
import { postPixels, type PixelPreprocess } from "../models/baselines/pixels";
import { loadPretrainedWeights } from "../models/baselines/pretrained";
import { backboneInputSize, loadNsfwjsMobileNet } from "../image/backbone";
import type { LabelledSet } from "../training";
import { scheduleFor, type ExperimentContext, type PretrainedCnn } from "./context";
import type { ScheduledModel } from "./sizes";
import { labelledSets, resultFromProbs, trainAndPredict, type RunResult } from "./run";
import { labelsOf, type CitySplit, type SplitPost } from "./split";
import { NB_CONTROL, runNbControl } from "./nb-control";

export type BaselineName =
  | "Tagvisor"
  | "DeepGeo"
  | "LocTwi"
  | "Frozen backbone + linear"
  | "Fine-tuned MobileNetV2 top"
  | "Late fusion"
  | typeof NB_CONTROL
  | PretrainedCnn;
export type Modality = "hashtags" | "text" | "image" | "text+hashtags" | "text+hashtags+image";

/** What a baseline runner gets: the split, the seed, the frozen image features of its images, and (when tuned) the learning rate. */
export interface BaselineInputs {
  split: CitySplit;
  seed: number;
  features: FeatureSet;
  learningRate?: number;
  /** Smoothing α of the NB control (chosen on validation like a learning rate). */
  alpha?: number;
  /** False when the city's posts carry no images: a multimodal baseline drops its image branch (image-only baselines do not run). */
  images?: boolean;
}

export interface BaselineSpec {
  modality: Modality;
  /** Citation and what we run, one line. */
  reference: string;
  /** Its schedule in ExperimentSizes (neural models); undefined for Tagvisor and the NB control. */
  schedule?: ScheduledModel;
  /** True: its smoothing α is chosen on validation (ExperimentSizes.nbAlphas), by the learning rates' rule. */
  smoothing?: boolean;
  /** Not one of the paper's baselines: the suite's own control (the claims registry judges it in its own family). */
  control?: boolean;
  /** The budget it gets at this scale (input, width, initialisation, epochs, optimizer), for Table II. */
  budget(ctx: ExperimentContext): string;
  /** null when it runs at this scale, else why not (said under Table II). */
  unavailable(ctx: ExperimentContext): string | null;
  run(ctx: ExperimentContext, inputs: BaselineInputs): Promise<RunResult>;
}

const schedLine = (ctx: ExperimentContext, m: ScheduledModel, lr?: number): string => {
  const s = scheduleFor(ctx, m, lr);
  return `≤ ${s.epochs} epochs (stop after ${s.earlyStopPatience ?? "—"} without gain, lr × ${s.lrDecay.factor} after ${s.lrDecay.patience}), ${s.optimizer === "adam" ? "Adam" : "RMSprop"} ${s.candidates.length ? `lr chosen on validation from ${s.candidates.join("/")}` : `lr ${s.learningRate}`}, batch ${s.batchSize}`;
};

// ---- the MobileNetV2 top's pretrained weights, loaded once per process ---------------------------

let headWeights: Promise<MobileNetHeadWeights> | null = null;
function mobilenetHeadWeights(inputSize: number): Promise<MobileNetHeadWeights> {
  return (headWeights ??= loadNsfwjsMobileNet({ featureLayer: "out_relu", inputSize }).then(({ model }) => {
    const w = foldedHeadWeights(model);
    model.dispose();
    return w;
  }));
}

// ---- ResNet / DenseNet from local ImageNet weights ---------------------------------------------

function pretrainedCnn(name: PretrainedCnn): BaselineSpec {
  const depth = name === "ResNet101" ? 101 : 50;
  return {
    modality: "image",
    reference:
      name === "DenseNet121"
        ? "[24] Huang et al. 2017 — dense blocks 6-12-24-16"
        : `[23] He et al. 2016 — bottleneck blocks ${name === "ResNet50" ? "3-4-6-3" : "3-4-23-3"}`,
    schedule: name,
    budget: (ctx) => {
      const img = ctx.sizes.image;
      const init = ctx.pretrained[name] ? `ImageNet weights from ${ctx.pretrained[name]}` : "from scratch";
      return `${img.inputSize} px, ${name === "DenseNet121" ? `growth ${img.densenetGrowth}` : `width ${img.resnetWidth}`}, ${init}, ${schedLine(ctx, name)}`;
    },
    unavailable: (ctx) =>
      ctx.pretrained[name] || ctx.params.scale !== "default"
        ? null
        : `${name}: no ImageNet weights here (set GEOREPRO_PRETRAINED_${name.toUpperCase()} to a converted Keras model.json to run it pretrained at ${ctx.sizes.image.inputSize} px). Trained from scratch it was neither a fair baseline (32 px, 1/8 width, ≤ 4 epochs in earlier versions of this suite) nor affordable at three seeds; the pretrained image baselines at this scale are the two MobileNetV2 rows, on MRLF's own backbone weights.`,
    async run(ctx, { split, seed, learningRate }) {
      const { tf, sizes } = ctx;
      const img = sizes.image;
      const how: PixelPreprocess = name === "DenseNet121" ? "torch" : "caffe";
      const S = img.inputSize;
      const pixels = async (posts: readonly SplitPost[]): Promise<LabelledSet> => ({
        features: { image: { data: await postPixels(posts, S, how), shape: [S, S, 3] } },
        labels: labelsOf(split, posts),
      });
      const sets = { train: await pixels(split.train), val: await pixels(split.val), test: await pixels(split.test) };
      const k = split.pois.length;
      const build = (rng: Rng): TF.LayersModel =>
        name === "DenseNet121"
          ? buildDenseNet121(
              tf,
              k,
              { inputSize: S, growthRate: img.densenetGrowth, reduction: 0.5, dropout: 0, bnMomentum: img.bnMomentum },
              rng,
            )
          : buildResNet(tf, k, { depth, inputSize: S, baseWidth: img.resnetWidth, dropout: 0, bnMomentum: img.bnMomentum }, rng);
      const pre = ctx.pretrained[name];
      let buildWithWeights = build;
      if (pre) {
        // trainClassifier builds synchronously: load the pretrained model once, then copy by name into each build.
        const probe = build(stream(seed, "pretrained-probe"));
        const report = await loadPretrainedWeights(tf, probe, pre);
        const weights = new Map(probe.layers.filter((l) => report.loaded.includes(l.name)).map((l) => [l.name, l.getWeights()]));
        buildWithWeights = (rng) => {
          const m = build(rng);
          for (const l of m.layers) if (weights.has(l.name)) l.setWeights(weights.get(l.name)!);
          return m;
        };
      }
      return trainAndPredict(ctx, {
        name: name.toLowerCase(),
        system: name,
        split,
        seed,
        schedule: scheduleFor(ctx, name, learningRate),
        sets,
        build: buildWithWeights,
        configKey: { S, how, img, pretrained: pre ?? null },
        notes: [`${name}: ${pre ? `initialised from ${pre}` : "trained from scratch"} at ${S} px`],
        details: pre ? `${pre}` : "from scratch",
      });
    },
  };
}

// ---- the registry ------------------------------------------------------------------------------

export const BASELINES: Record<BaselineName, BaselineSpec> = {
  Tagvisor: {
    modality: "hashtags",
    reference: "[9] Zhang et al., WWW 2018 — random forest over hashtag presence",
    budget: (ctx) =>
      `${ctx.sizes.tagvisor.nEstimators} trees, each on ${Math.round(ctx.sizes.tagvisor.maxFeatures * 100)} % of the hashtags seen ≥ ${ctx.sizes.tagvisor.minTagCount} times in training${ctx.sizes.tagvisor.maxDepth ? `, depth ≤ ${ctx.sizes.tagvisor.maxDepth}` : ""}`,
    unavailable: () => null,
    async run(ctx, { split, seed }) {
      const cfg = ctx.sizes.tagvisor;
      const k = split.pois.length;
      const key = { split: split.key, model: "Tagvisor", cfg, seed, version: 1 };
      let fromCache = true;
      const t0 = Date.now();
      const cached = await cachedJson(ctx.params.cacheDir, "tagvisor-predictions", key, () => {
        fromCache = false;
        const model = fitTagvisor(
          split.train,
          Array.from(labelsOf(split, split.train)),
          k,
          stream(seed, `train/tagvisor-${split.city}`),
          cfg,
        );
        const probs = model.predictProba(split.test);
        return { probs: Array.from(probs), vocab: model.vocab.size - 2, dropped: model.vocab.dropped.size, emptyTest: model.lastEmptyRows };
      });
      return resultFromProbs(split, "Tagvisor", seed, Float32Array.from(cached.probs), {
        fromCache,
        ...(fromCache ? {} : { trainSeconds: (Date.now() - t0) / 1000 }),
        notes: [
          `Tagvisor: ${cfg.nEstimators} trees, each on ${Math.round(cfg.maxFeatures * 100)} % of the hashtags seen ≥ ${cfg.minTagCount} times in training`,
        ],
        details: `${cached.vocab} hashtags (${cached.dropped} rarer removed); ${cached.emptyTest} test posts had no known hashtag`,
      });
    },
  },

  DeepGeo: {
    modality: "text",
    reference: "[21] Lau et al. 2017 — character-level RCNN (Bi-LSTM context + dense map), max-pool, attention (the authors' text network)",
    schedule: "DeepGeo",
    budget: (ctx) => {
      const c = ctx.sizes.deepgeo;
      return `${c.maxChars} characters, embedding/LSTM ${c.embedDim}, ${c.filters} filters, pool ${c.poolWindow}, representation ${c.repDim}, random init; ${schedLine(ctx, "DeepGeo")}`;
    },
    unavailable: () => null,
    async run(ctx, { split, seed, learningRate }) {
      const cfg = ctx.sizes.deepgeo;
      const enc = fitCharEncoder(split.train, cfg);
      return trainAndPredict(ctx, {
        name: "deepgeo-chars",
        system: "DeepGeo",
        split,
        seed,
        schedule: scheduleFor(ctx, "DeepGeo", learningRate),
        sets: labelledSets(split, (posts) => ({ chars: { data: encodeChars(enc, posts), shape: [cfg.maxChars] } })),
        build: (rng) => buildDeepGeo(ctx.tf, enc.vocab.size, split.pois.length, cfg, rng),
        configKey: { cfg },
        notes: [
          `DeepGeo: the text network of Lau et al.'s code at ${cfg.maxChars} characters, embedding = LSTM size ${cfg.embedDim}, ${cfg.filters} filters, pool window ${cfg.poolWindow}, representation ${cfg.repDim}; the tweet-metadata networks have no Instagram counterpart`,
        ],
        details: `${enc.vocab.size} character ids`,
      });
    },
  },

  LocTwi: {
    modality: "text",
    reference: "[22] Huang et al. 2019 — subword (fastText n-gram) word vectors, multi-head self-attention encoder",
    schedule: "LocTwi",
    budget: (ctx) => {
      const c = ctx.sizes.loctwi;
      return `${c.maxWords} words × ≤ ${c.maxUnitsPerWord} subwords (${c.minN}–${c.maxN}-grams, ≤ ${c.maxSubwords}), d ${c.embedDim}, ${c.heads} heads, FFN ${c.ffnDim}, 1 block, random init; ${schedLine(ctx, "LocTwi")}`;
    },
    unavailable: () => null,
    async run(ctx, { split, seed, learningRate }) {
      const cfg = ctx.sizes.loctwi;
      const enc = fitSubwordEncoder(split.train, cfg);
      const testEmpty = encodeSubwords(enc, split.test).emptyPosts;
      return trainAndPredict(ctx, {
        name: "loctwi-attention",
        system: "LocTwi",
        split,
        seed,
        schedule: scheduleFor(ctx, "LocTwi", learningRate),
        sets: labelledSets(split, (posts) => {
          const e = encodeSubwords(enc, posts);
          return { subwords: { data: e.data, shape: [e.width] } };
        }),
        build: (rng) => buildLocTwi(ctx.tf, enc.vocab.size, split.pois.length, cfg, rng),
        configKey: { cfg },
        notes: [
          `LocTwi: words as means of their fastText subwords (${cfg.minN}–${cfg.maxN}-grams), one self-attention block (d ${cfg.embedDim}, ${cfg.heads} heads); its joint country task has one class on single-city data, so only the location task is trained`,
        ],
        details: `${enc.vocab.size - 2} subword units; ${testEmpty} test posts had none`,
      });
    },
  },

  "Frozen backbone + linear": {
    modality: "image",
    reference: "linear probe: softmax on the frozen image features MRLF's image branch reads (same weights, same input size)",
    schedule: "MobileNetV2 linear",
    budget: (ctx) => `${ctx.backbone.description}; linear softmax; ${schedLine(ctx, "MobileNetV2 linear")}`,
    unavailable: () => null,
    async run(ctx, { split, seed, features, learningRate }) {
      return trainAndPredict(ctx, {
        name: "linear-probe",
        system: "Frozen backbone + linear",
        split,
        seed,
        schedule: scheduleFor(ctx, "MobileNetV2 linear", learningRate),
        sets: labelledSets(split, (posts) => ({ image: { data: postImageMatrix(posts, features).data, shape: [features.dim] } })),
        build: (rng) => buildLinearProbe(features.dim, split.pois.length, rng),
        configKey: { backbone: features.backboneId },
        notes: [`Frozen backbone + linear: ${ctx.backbone.description}, one softmax layer`],
        details: `${features.dim}-d features`,
      });
    },
  },

  "Fine-tuned MobileNetV2 top": {
    modality: "image",
    reference: "MobileNetV2 (MRLF's backbone weights) with its last inverted-residual block and top conv fine-tuned",
    schedule: "MobileNetV2 fine-tuned",
    budget: (ctx) =>
      `MobileNetV2 at ${backboneInputSize(ctx.params.scale)} px: ${ctx.sizes.mobilenetTop === "block16" ? "block 16 + Conv_1" : "the top conv (Conv_1)"} initialised from the pretrained weights (BN folded) and fine-tuned, everything below frozen; ${schedLine(ctx, "MobileNetV2 fine-tuned")}`,
    unavailable: (ctx) =>
      ctx.defaultBackbone
        ? null
        : "Fine-tuned MobileNetV2 top: the image backbone is not the default MobileNetV2 (GEOREPRO_BACKBONE is set), so there are no MobileNetV2 layers to fine-tune",
    async run(ctx, { split, seed, learningRate }) {
      const trunk = await ctx.activationBackbone();
      const files = [...split.train, ...split.val, ...split.test].flatMap((p) => p.images);
      const acts = await imageFeatures(trunk, files, { cacheDir: ctx.params.cacheDir, label: `activations ${split.city}` });
      const side = trunk.inputSize / 32;
      const channels = acts.dim / (side * side);
      if (!Number.isInteger(channels))
        throw new Error(
          `Fine-tuned MobileNetV2 top: ${MOBILENET_HEAD_INPUT[ctx.sizes.mobilenetTop]} activations have ${acts.dim} values, not ${side}×${side}×C`,
        );
      const weights = await mobilenetHeadWeights(trunk.inputSize);
      const cfg = { top: ctx.sizes.mobilenetTop, side, channels, dropout: ctx.sizes.mobilenetDropout };
      return trainAndPredict(ctx, {
        name: "mobilenet-top",
        system: "Fine-tuned MobileNetV2 top",
        split,
        seed,
        schedule: scheduleFor(ctx, "MobileNetV2 fine-tuned", learningRate),
        sets: labelledSets(split, (posts) => ({ activations: { data: postImageMatrix(posts, acts).data, shape: [acts.dim] } })),
        build: (rng) => buildMobileNetHead(split.pois.length, cfg, weights, rng),
        configKey: { cfg, trunk: trunk.id },
        notes: [
          `Fine-tuned MobileNetV2 top: ${trunk.description} (frozen, cached), then ${cfg.top === "block16" ? "block 16 + Conv_1" : "Conv_1"} from the pretrained weights (BN folded), fine-tuned`,
        ],
        details: `${side}×${side}×${channels} activations`,
      });
    },
  },

  "Late fusion": {
    modality: "text+hashtags+image",
    reference: "per-modality encoders (MRLF's word-level text and hashtag CNNs, its image branch), concatenated, one softmax",
    schedule: "Late fusion",
    budget: (ctx) => {
      const c = ctx.sizes.lateFusion;
      return `word CNNs (widths ${c.wordKernels.join("/")}, ${c.filters} filters, embedding ${c.embedDim}) on text and hashtags, image dense ${c.imageOut} on the frozen features; ${schedLine(ctx, "Late fusion")}`;
    },
    unavailable: () => null,
    run: (ctx, inputs) => runLateFusion(ctx, inputs),
  },

  [NB_CONTROL]: {
    modality: "text+hashtags",
    reference:
      "the suite's control, not a paper baseline: multinomial Naive Bayes (lib/localwords/naive-bayes.ts, = scikit-learn MultinomialNB) over every caption word and every hashtag",
    smoothing: true,
    control: true,
    budget: (ctx) =>
      `full caption words + hashtags as counts; smoothing α chosen on validation from ${ctx.sizes.nbAlphas.join("/")}; no training epochs`,
    unavailable: () => null,
    run: (ctx, { split, seed, alpha }) => {
      if (alpha === undefined)
        throw new Error(`${NB_CONTROL}: alpha: required (chosen on validation: lib/studies/mrlf/tuning.ts chosenAlpha)`);
      return runNbControl(ctx, split, seed, alpha);
    },
  },

  ResNet50: pretrainedCnn("ResNet50"),
  ResNet101: pretrainedCnn("ResNet101"),
  DenseNet121: pretrainedCnn("DenseNet121"),
};

export const BASELINE_NAMES = Object.keys(BASELINES) as BaselineName[];

/** Late fusion with all modalities (Table II) or some dropped (the sensitivity study). */
export async function runLateFusion(
  ctx: ExperimentContext,
  { split, seed, features, learningRate, images }: BaselineInputs,
  use: { text: boolean; tags: boolean; image: boolean } = { text: true, tags: true, image: images ?? true },
  system = "Late fusion",
): Promise<RunResult> {
  const enc = fitTextEncoder(split.train);
  const sz = ctx.sizes.lateFusion;
  const cfg: LateFusionConfig = {
    maxTextWords: enc.config.maxTextWords,
    maxTags: enc.config.maxTags,
    wordVocab: enc.words.size,
    tagVocab: enc.tags.size,
    imageDim: features.dim,
    ...sz,
    useText: use.text,
    useTags: use.tags,
    useImage: use.image,
  };
  const names = lateFusionInputNames(cfg);
  return trainAndPredict(ctx, {
    name: "late-fusion",
    system,
    split,
    seed,
    schedule: scheduleFor(ctx, "Late fusion", learningRate),
    sets: labelledSets(split, (posts) => {
      const e = encodePosts(enc, posts);
      const all: LabelledSet["features"] = {
        textWords: { data: e.textWords, shape: [cfg.maxTextWords] },
        tagWords: { data: e.tagWords, shape: [cfg.maxTags] },
        ...(cfg.useImage ? { image: { data: postImageMatrix(posts, features).data, shape: [features.dim] } } : {}),
      };
      return Object.fromEntries(names.map((n) => [n, all[n]]));
    }),
    build: (rng) => buildLateFusion(ctx.tf, split.pois.length, cfg, rng),
    configKey: { cfg, backbone: features.backboneId },
    notes: [
      `Late fusion: MRLF's word-level text and hashtag encoders and image branch, concatenated, one softmax (no character branches, no cross-modal fusion)`,
    ],
    details: `${enc.words.size} words, ${enc.tags.size} hashtags in the vocabularies`,
  });
}
