/**
 * MRLF on one city split and seed (lib/models/mrlf.ts, Eq. 1–13): fit the text
 * encoders on the training part, feed the frozen image features, train with
 * the shared loop, evaluate on the test part. `overrides` selects a variant
 * (e.g. `{useImage: false}`, `{fusion: "concat"}`) for notebooks 03–06.
 */
import type { FeatureSet } from "../image/features";
import { postImageMatrix } from "../image/features";
import { fitTextEncoder, encodePosts } from "../text";
import { buildMrlf, mrlfConfig, mrlfInputNames, type MrlfConfig } from "../models/mrlf";
import type { LabelledSet } from "../training";
import type { ExperimentContext } from "./context";
import { scheduleFor } from "./context";
import { labelledSets, trainAndPredict, type RunResult } from "./run";
import type { CitySplit, SplitPost } from "./split";

export interface MrlfRunOptions {
  /** Variant of the model (MrlfConfig fields). */
  overrides?: Partial<MrlfConfig>;
  /** RMSprop rate (default: the scale's schedule). */
  learningRate?: number;
  /** The label in tables (default "MRLF"). */
  system?: string;
}

export async function runMrlf(
  ctx: ExperimentContext,
  split: CitySplit,
  seed: number,
  features: FeatureSet,
  opts: MrlfRunOptions = {},
): Promise<RunResult> {
  const enc = fitTextEncoder(split.train);
  const cfg = mrlfConfig(
    {
      numClasses: split.pois.length,
      charVocab: enc.chars.size,
      wordVocab: enc.words.size,
      tagVocab: enc.tags.size,
      imageDim: features.dim,
    },
    { ...ctx.sizes.mrlf, ...(opts.overrides ?? {}) },
  );
  const names = mrlfInputNames(cfg);
  const sets = labelledSets(split, (posts: readonly SplitPost[]) => {
    const e = encodePosts(enc, posts);
    const all: LabelledSet["features"] = {
      textChars: { data: e.textChars, shape: [cfg.maxTextChars] },
      textWords: { data: e.textWords, shape: [cfg.maxTextWords] },
      tagChars: { data: e.tagChars, shape: [cfg.maxTagChars] },
      tagWords: { data: e.tagWords, shape: [cfg.maxTags] },
      ...(cfg.useImage ? { image: { data: postImageMatrix(posts, features).data, shape: [features.dim] } } : {}),
    };
    return Object.fromEntries(names.map((n) => [n, all[n]]));
  });
  return trainAndPredict(ctx, {
    name: "mrlf",
    ...(!cfg.useText && !cfg.useTags && cfg.useImage ? { kind: "MRLF image-only" } : {}),
    system: opts.system ?? "MRLF",
    split,
    seed,
    schedule: scheduleFor(ctx, "MRLF", opts.learningRate),
    sets,
    build: (rng) => buildMrlf(cfg, rng),
    configKey: { cfg, backbone: features.backboneId },
    notes: [`MRLF image features: ${ctx.backbone.description}`],
    details: `${enc.chars.size} chars, ${enc.words.size} words, ${enc.tags.size} hashtags in the vocabularies`,
  });
}
