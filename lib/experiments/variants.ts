/**
 * MRLF section studies (paper Sec. IV-C, IV-D, IV-F; notebooks 03, 04, 06):
 * a variant is a configuration of the one MRLF model, never a copy of it.
 *
 *   - ablation (Fig. 2):  useText / useTags / useImage switched off one at a time;
 *   - fusion (Fig. 3):    which representation fills the F_cro slot of Eq. 9
 *                         (MRLF's Eq. 6–8 on H^max, after pooling, text×image,
 *                         hashtag×image, or none = plain concatenation);
 *   - low-frequency hashtags (Fig. 4): the preprocessing cut
 *                         "remove the hashtags that appear less than 50 times
 *                         in each city" (Sec. IV-A) at other thresholds.
 *
 * Every variant runs through `runMrlf` (./mrlf-run.ts) on the split notebook
 * 02 uses; the full model itself is the declared shared artifact `full-mrlf`
 * (./artifacts.ts), trained once by notebook 02.
 *
 * Where the hashtag cut is applied — a reading, said again in notebook 06:
 * the paper cuts during preprocessing, counting a hashtag's occurrences over
 * the whole city (Sec. IV-A), and says in Sec. III-A.2 that the removed tags
 * never reach the word-level representation. So the cut is preprocessing's
 * `thresholds.minHashtagCount` (lib/data/preprocess-posts.ts), not the text
 * encoder's `minTagCount` (which counts the training split only, and which
 * runMrlf leaves at 1: every training hashtag gets an id). To compare cut-offs
 * on the same posts, the post set and the train/val/test partition are those
 * of the scale's own cut (notebook 02's split); only each post's hashtags
 * change: they are re-read from the city preprocessed with the other cut and
 * without the "post must keep a hashtag" step (which would otherwise change
 * the post set). A post whose hashtags a stricter cut removes entirely stays,
 * with no hashtags, and is counted in the report.
 */
import type { Params, Scale } from "../runtime/params";
import { keyOf } from "../runtime/hash";
import { defaultThresholds, preparedCity, type Thresholds } from "../data/preprocess-posts";
import type { MrlfConfig } from "../models/mrlf";
import type { GeneratorSettings } from "../data/synthetic/instagram";
import type { CitySplit, SplitPost } from "./split";

// ---- the variants ---------------------------------------------------------------------------

export interface MrlfVariant {
  /** Stable id, e.g. "no-image", "fusion-concat", "cut-10". */
  id: string;
  /** Label in tables, figures and claims, e.g. "w/o image". */
  label: string;
  overrides: Partial<MrlfConfig>;
  /**
   * Hashtag cut-off (occurrences per city) for this variant; undefined = the
   * city's own preprocessing threshold (its dataset's, else defaultThresholds(scale)).
   */
  minHashtagCount?: number;
  /** True when the variant needs images (the image rows of Fig. 2 and 3): a city without images prints one line instead. */
  needsImages?: boolean;
}

/** The full model: the shared artifact `full-mrlf` (./artifacts.ts), never retrained by a study. */
export const FULL_MRLF: MrlfVariant = { id: "full", label: "MRLF (full)", overrides: {} };

/** Fig. 2: one modality removed at a time, then the full model. */
export const ABLATION_VARIANTS: readonly MrlfVariant[] = [
  { id: "no-text", label: "w/o text", overrides: { useText: false } },
  { id: "no-tags", label: "w/o hashtags", overrides: { useTags: false } },
  { id: "no-image", label: "w/o image", overrides: { useImage: false }, needsImages: true },
  FULL_MRLF,
];

/** Fig. 3: what fills the fusion slot of Eq. 9 (all three modalities used); the first is the full model. */
export const FUSION_VARIANTS: readonly MrlfVariant[] = [
  { ...FULL_MRLF, label: "MRLF" },
  { id: "fusion-text-tag-end", label: "text-tag-end", overrides: { fusion: "text-tag-end" } },
  { id: "fusion-text-image", label: "text+image", overrides: { fusion: "text-image" }, needsImages: true },
  { id: "fusion-tag-image", label: "hashtag+image", overrides: { fusion: "tag-image" }, needsImages: true },
  { id: "fusion-concat", label: "concatenation", overrides: { fusion: "concat" } },
];

/** MRLF without padding masks (the check that masking does not decide a verdict, notebook 04). */
export const NO_MASK_VARIANT: MrlfVariant = { id: "no-mask", label: "MRLF, no padding mask", overrides: { paddingMask: false } };

/**
 * Is this variant the full model (so it must come from the shared artifact)? `ownCut`: the city's own hashtag cut (default: the scale's).
 */
export const isFullModel = (v: MrlfVariant, scale: Scale, ownCut: number = defaultThresholds(scale).minHashtagCount): boolean =>
  Object.keys(v.overrides).length === 0 && (v.minHashtagCount === undefined || v.minHashtagCount === ownCut);

/**
 * Fig. 4's cut-offs per scale: the scale's own cut (50 at default and paper
 * scale — the full model), no cut (0), and at paper scale a sweep between and
 * beyond. At the default scale the sweep's middle point (10) runs on the first
 * city only (`sweepCities`), to keep three seeds affordable. Ascending, without duplicates.
 */
export function hashtagSweep(scale: Scale): number[] {
  const own = defaultThresholds(scale).minHashtagCount;
  const extra = scale === "paper" ? [5, 10, 25, 100] : scale === "default" ? [10] : [2];
  return [...new Set([0, ...extra, own])].sort((a, b) => a - b);
}

/** The two cuts of Fig. 4's claim: no cut and the scale's own. */
export const claimCuts = (scale: Scale): [number, number] => [0, defaultThresholds(scale).minHashtagCount];

export function hashtagCutVariant(minCount: number, scale: Scale): MrlfVariant {
  if (!Number.isInteger(minCount) || minCount < 0)
    throw new Error(`hashtagCutVariant: minCount: expected a non-negative integer, got ${minCount}`);
  const own = defaultThresholds(scale).minHashtagCount;
  const label = minCount === 0 ? "no cut (all hashtags)" : `cut < ${minCount}${minCount === own ? " (this scale's preprocessing)" : ""}`;
  return { id: `cut-${minCount}`, label, overrides: {}, minHashtagCount: minCount };
}

// ---- re-cutting a split's hashtags --------------------------------------------------------

export interface RecutReport {
  minHashtagCount: number;
  /** Hashtag occurrences in the split's posts before / after the re-cut. */
  occurrencesBefore: number;
  occurrencesAfter: number;
  distinctBefore: number;
  distinctAfter: number;
  /** Posts that had hashtags and have none after the re-cut (they stay in the split). */
  postsLeftWithoutTags: number;
}

const countTags = (posts: readonly SplitPost[]) => {
  const distinct = new Set<string>();
  let occ = 0;
  for (const p of posts) for (const h of p.hashtags) (occ++, distinct.add(h));
  return { occ, distinct: distinct.size };
};

/**
 * The same split (same posts, same partition, same labels) with each post's
 * hashtags replaced by `tagsById`. The cache key gains the cut-off, so a model
 * trained on re-cut hashtags never collides with the original split's model.
 * Throws (naming the post) when a post of the split has no entry.
 */
export function recutSplit<P extends SplitPost>(
  split: CitySplit<P>,
  tagsById: ReadonlyMap<string, readonly string[]>,
  minHashtagCount: number,
): { split: CitySplit<P>; report: RecutReport } {
  const all = [...split.train, ...split.val, ...split.test];
  const before = countTags(all);
  let left = 0;
  const swap = (p: P): P => {
    const tags = tagsById.get(p.id);
    if (!tags)
      throw new Error(
        `recutSplit: ${split.city}: post ${p.id}: hashtags: not in the data preprocessed with minHashtagCount ${minHashtagCount}; the re-cut data must keep every post of the split`,
      );
    if (p.hashtags.length > 0 && tags.length === 0) left++;
    return { ...p, hashtags: [...tags] };
  };
  const train = split.train.map(swap);
  const val = split.val.map(swap);
  const test = split.test.map(swap);
  const after = countTags([...train, ...val, ...test]);
  // Extra key field: canonicalJson hashes every property, so this separates the cache entries.
  const key = { ...split.key, hashtagCut: minHashtagCount, hashtags: keyOf([...train, ...val, ...test].map((p) => [p.id, p.hashtags])) };
  return {
    split: { ...split, train, val, test, key },
    report: {
      minHashtagCount,
      occurrencesBefore: before.occ,
      occurrencesAfter: after.occ,
      distinctBefore: before.distinct,
      distinctAfter: after.distinct,
      postsLeftWithoutTags: left,
    },
  };
}

/**
 * Re-cut a notebook-02 split at `minHashtagCount`: the city is preprocessed
 * with that cut and without the "post must keep a hashtag" step (so every post
 * of the split is there), and the split's posts take those hashtags.
 */
export async function hashtagCutSplit<P extends SplitPost>(
  params: Params,
  split: CitySplit<P>,
  base: Thresholds,
  minHashtagCount: number,
  generator?: GeneratorSettings,
): Promise<{ split: CitySplit<P>; report: RecutReport }> {
  const recut = await preparedCity(params, split.city, { ...base, minHashtagCount, requireHashtags: false }, generator);
  return recutSplit(split, new Map(recut.posts.map((p) => [p.id, p.hashtags])), minHashtagCount);
}
