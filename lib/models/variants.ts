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
 * Every variant runs through `runMrlf` (lib/models/baselines/experiment.ts) on
 * the split notebook 02 uses, so the full model (no overrides, the scale's own
 * hashtag cut) is the cached notebook-02 model and is not trained again.
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
import { comparedColumns, meanSd, withPaper, type Cell, type Column, type DatasetRef } from "../results/table";
import { defaultThresholds, preparedCity, type PreparedCity, type Thresholds } from "../data/preprocess-posts";
import { postsTableDataset } from "../data/selection";
import { splitCity, type CitySplit, type SplitPost } from "./baselines/split";
import { runMrlf, splitImageFeatures, type ExperimentContext, type RunResult } from "./baselines/experiment";
import type { MrlfConfig } from "./mrlf";

// ---- the variants ---------------------------------------------------------------------------

export interface MrlfVariant {
  /** Stable id used in tables and cache-free bookkeeping, e.g. "no-image", "fusion-concat", "cut-10". */
  id: string;
  /** Label in tables and figures, e.g. "w/o image". */
  label: string;
  overrides: Partial<MrlfConfig>;
  /**
   * Hashtag cut-off (occurrences per city) for this variant; undefined = the
   * scale's own preprocessing threshold (defaultThresholds(scale)).
   */
  minHashtagCount?: number;
}

export const FULL_MRLF: MrlfVariant = { id: "full", label: "MRLF (full)", overrides: {} };

/** Fig. 2: one modality removed at a time, then the full model. */
export const ABLATION_VARIANTS: readonly MrlfVariant[] = [
  { id: "no-text", label: "w/o text", overrides: { useText: false } },
  { id: "no-tags", label: "w/o hashtags", overrides: { useTags: false } },
  { id: "no-image", label: "w/o image", overrides: { useImage: false } },
  FULL_MRLF,
];

/** Fig. 3: what fills the fusion slot of Eq. 9 (all three modalities used). */
export const FUSION_VARIANTS: readonly MrlfVariant[] = [
  { id: "fusion-mrlf", label: "MRLF", overrides: {} },
  { id: "fusion-text-tag-end", label: "text-tag-end", overrides: { fusion: "text-tag-end" } },
  { id: "fusion-text-image", label: "text+image", overrides: { fusion: "text-image" } },
  { id: "fusion-tag-image", label: "hashtag+image", overrides: { fusion: "tag-image" } },
  { id: "fusion-concat", label: "concatenation", overrides: { fusion: "concat" } },
];

/**
 * Fig. 4's cut-offs per scale: the scale's own cut (50 at default and paper
 * scale — the cached full model), no cut (0), and a short (default) or longer
 * (paper) sweep between and beyond. Ascending, without duplicates.
 */
export function hashtagSweep(scale: Scale): number[] {
  const own = defaultThresholds(scale).minHashtagCount;
  const extra = scale === "paper" ? [5, 10, 25, 100] : scale === "default" ? [10] : [2];
  return [...new Set([0, ...extra, own])].sort((a, b) => a - b);
}

export function hashtagCutVariant(minCount: number, scale: Scale): MrlfVariant {
  if (!Number.isInteger(minCount) || minCount < 0) throw new Error(`hashtagCutVariant: minCount: expected a non-negative integer, got ${minCount}`);
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
export function recutSplit<P extends SplitPost>(split: CitySplit<P>, tagsById: ReadonlyMap<string, readonly string[]>, minHashtagCount: number): { split: CitySplit<P>; report: RecutReport } {
  const all = [...split.train, ...split.val, ...split.test];
  const before = countTags(all);
  let left = 0;
  const swap = (p: P): P => {
    const tags = tagsById.get(p.id);
    if (!tags) throw new Error(`recutSplit: ${split.city}: post ${p.id}: hashtags: not in the data preprocessed with minHashtagCount ${minHashtagCount}; the re-cut data must keep every post of the split`);
    if (p.hashtags.length > 0 && tags.length === 0) left++;
    return { ...p, hashtags: [...tags] };
  };
  const train = split.train.map(swap);
  const val = split.val.map(swap);
  const test = split.test.map(swap);
  const after = countTags([...train, ...val, ...test]);
  // Extra key field: canonicalJson hashes every property, so this separates the cache entries.
  const key: CitySplit["key"] & { hashtagCut: number; hashtags: string } = { ...split.key, hashtagCut: minHashtagCount, hashtags: keyOf([...train, ...val, ...test].map((p) => [p.id, p.hashtags])) };
  return {
    split: { ...split, train, val, test, key },
    report: { minHashtagCount, occurrencesBefore: before.occ, occurrencesAfter: after.occ, distinctBefore: before.distinct, distinctAfter: after.distinct, postsLeftWithoutTags: left },
  };
}

/**
 * Re-cut a notebook-02 split at `minHashtagCount`: the city is preprocessed
 * with that cut and without the "post must keep a hashtag" step (so every post
 * of the split is there), and the split's posts take those hashtags.
 */
export async function hashtagCutSplit<P extends SplitPost>(params: Params, split: CitySplit<P>, base: Thresholds, minHashtagCount: number): Promise<{ split: CitySplit<P>; report: RecutReport }> {
  const recut = await preparedCity(params, split.city, { ...base, minHashtagCount, requireHashtags: false });
  return recutSplit(split, new Map(recut.posts.map((p) => [p.id, p.hashtags])), minHashtagCount);
}

// ---- running a grid of variants ---------------------------------------------------------------

export interface VariantRun {
  city: string;
  seed: number;
  variant: string;
  acc: number;
  meanKm: number;
  fromCache: boolean;
  epochsRun?: number;
  bestEpoch?: number;
  /** Present for hashtag-cut variants whose cut differs from the prepared data's. */
  recut?: RecutReport;
}

export interface VariantGrid {
  runs: VariantRun[];
  cities: PreparedCity[];
  /** Wall seconds per run (volatile: never put into a table). */
  seconds: { city: string; seed: number; variant: string; seconds: number; fromCache: boolean }[];
}

/**
 * Train (or load from cache) every variant on every city × seed split.
 * Splits are notebook 02's: `splitCity(preparedCity(params, city), seed)`.
 */
export async function runVariantGrid(
  ctx: ExperimentContext,
  cityIds: readonly string[],
  seeds: readonly number[],
  variants: readonly MrlfVariant[],
  log: (line: string) => void = (l) => process.stderr.write(l + "\n"),
): Promise<VariantGrid> {
  if (variants.length === 0) throw new Error("runVariantGrid: variants: empty list");
  const ids = new Set<string>();
  for (const v of variants) {
    if (ids.has(v.id)) throw new Error(`runVariantGrid: variants: duplicate id "${v.id}"`);
    ids.add(v.id);
  }
  const grid: VariantGrid = { runs: [], cities: [], seconds: [] };
  for (const city of cityIds) {
    const ds = await preparedCity(ctx.params, city);
    grid.cities.push(ds);
    for (const seed of seeds) {
      const base = splitCity(ds, seed);
      const feats = await splitImageFeatures(ctx, base);
      for (const v of variants) {
        let split = base;
        let recut: RecutReport | undefined;
        if (v.minHashtagCount !== undefined && v.minHashtagCount !== ds.thresholds.minHashtagCount) {
          const r = await hashtagCutSplit(ctx.params, base, ds.thresholds, v.minHashtagCount);
          split = r.split;
          recut = r.report;
        }
        const t0 = Date.now();
        const r: RunResult = await runMrlf(ctx, split, seed, v.overrides, feats);
        const seconds = (Date.now() - t0) / 1000;
        grid.seconds.push({ city, seed, variant: v.id, seconds, fromCache: r.fromCache });
        grid.runs.push({ city, seed, variant: v.id, acc: r.metrics.acc, meanKm: r.metrics.meanKm, fromCache: r.fromCache, epochsRun: r.epochsRun, bestEpoch: r.bestEpoch, ...(recut ? { recut } : {}) });
        log(`${city} seed ${seed} ${v.id}: Acc ${r.metrics.acc.toFixed(3)} Mean ${r.metrics.meanKm.toFixed(3)} km${r.fromCache ? " (cached)" : ` (${seconds.toFixed(0)} s)`}`);
      }
    }
  }
  return grid;
}

/** The dataset a grid ran on, for ResultTable.dataset (synthetic when any city is). */
/** The dataset line of the grid's tables (one rule for every MRLF notebook: lib/data/selection.ts). */
export function gridDataset(cities: readonly PreparedCity[]): DatasetRef {
  if (cities.length === 0) throw new Error("gridDataset: cities: empty list");
  return postsTableDataset(cities);
}

// ---- summaries and the paper's claims -------------------------------------------------------------

export interface VariantSummary {
  city: string;
  variant: string;
  acc: { mean: number; sd: number };
  meanKm: { mean: number; sd: number };
  seeds: number;
}

/** Mean ± sd over seeds per (city, variant); every pair must have at least one run. */
export function summariseRuns(runs: readonly VariantRun[], cities: readonly string[], variants: readonly string[]): VariantSummary[] {
  const out: VariantSummary[] = [];
  for (const city of cities)
    for (const variant of variants) {
      const rs = runs.filter((r) => r.city === city && r.variant === variant);
      if (rs.length === 0) throw new Error(`summariseRuns: no run for city "${city}", variant "${variant}"`);
      for (const r of rs)
        if (!Number.isFinite(r.acc) || !Number.isFinite(r.meanKm)) throw new Error(`summariseRuns: ${city} seed ${r.seed} ${variant}: acc/meanKm: expected finite numbers, got ${r.acc}/${r.meanKm}`);
      out.push({ city, variant, acc: meanSd(rs.map((r) => r.acc)), meanKm: meanSd(rs.map((r) => r.meanKm)), seeds: rs.length });
    }
  return out;
}

const pick = (s: readonly VariantSummary[], city: string, variant: string): VariantSummary => {
  const x = s.find((r) => r.city === city && r.variant === variant);
  if (!x) throw new Error(`no summary for city "${city}", variant "${variant}"`);
  return x;
};

const signed = (x: number, digits = 3) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;

export interface ClaimCheck {
  holds: boolean;
  /** Cities where each part of the claim holds. */
  perCity: { city: string; parts: Record<string, boolean> }[];
  /** One sentence built from the numbers. */
  sentence: string;
}

const list = (xs: string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
const holdsIn = (cities: { city: string; ok: boolean }[], names: (c: string) => string) => {
  const yes = cities.filter((c) => c.ok).map((c) => names(c.city));
  return yes.length === cities.length ? `in all ${cities.length} cities` : yes.length === 0 ? "in no city" : `only in ${list(yes)}`;
};

/**
 * Sec. IV-C: "the three modalities contribute to the final prediction" (the
 * full model beats each one-modality-removed variant) and "the image
 * information contributes more than the other two" (removing the image costs
 * the most). Compared on Acc, the metric Fig. 2 shows.
 */
export function ablationClaim(s: readonly VariantSummary[], cities: readonly string[], cityName: (c: string) => string = (c) => c): ClaimCheck {
  const perCity = cities.map((city) => {
    const full = pick(s, city, "full").acc.mean;
    const drops = { text: full - pick(s, city, "no-text").acc.mean, hashtags: full - pick(s, city, "no-tags").acc.mean, image: full - pick(s, city, "no-image").acc.mean };
    return { city, drops, parts: { allContribute: drops.text > 0 && drops.hashtags > 0 && drops.image > 0, imageMost: drops.image > drops.text && drops.image > drops.hashtags } };
  });
  const all = holdsIn(perCity.map((c) => ({ city: c.city, ok: c.parts.allContribute })), cityName);
  const img = holdsIn(perCity.map((c) => ({ city: c.city, ok: c.parts.imageMost })), cityName);
  const holds = perCity.every((c) => c.parts.allContribute && c.parts.imageMost);
  const drops = perCity.map((c) => `${cityName(c.city)}: text ${signed(c.drops.text)}, hashtags ${signed(c.drops.hashtags)}, image ${signed(c.drops.image)}`).join("; ");
  return {
    holds,
    perCity: perCity.map(({ city, parts }) => ({ city, parts })),
    sentence: `The paper's claim (every modality contributes, the image most) ${holds ? "holds" : "does not hold"} on this data: removing any one modality lowers Acc ${all}, and removing the image costs the most ${img} (Acc lost by removing each — ${drops}).`,
  };
}

/**
 * Sec. IV-D: MRLF (fusion on H^max) beats text-tag-end (fusion after the
 * features are obtained), and "MRLF outperforms all fusion methods in all datasets in terms
 * of Mean". `ids` maps the roles to variant ids.
 */
export function fusionClaim(s: readonly VariantSummary[], cities: readonly string[], cityName: (c: string) => string = (c) => c, ids = { mrlf: "fusion-mrlf", end: "fusion-text-tag-end", others: FUSION_VARIANTS.map((v) => v.id).filter((v) => v !== "fusion-mrlf") }): ClaimCheck {
  const perCity = cities.map((city) => {
    const m = pick(s, city, ids.mrlf);
    const end = pick(s, city, ids.end);
    const bestOther = ids.others.map((v) => pick(s, city, v)).reduce((a, b) => (b.meanKm.mean < a.meanKm.mean ? b : a));
    return { city, accGain: m.acc.mean - end.acc.mean, kmGap: bestOther.meanKm.mean - m.meanKm.mean, bestOther: bestOther.variant, parts: { beatsEndOnAcc: m.acc.mean > end.acc.mean, lowestMean: m.meanKm.mean < bestOther.meanKm.mean } };
  });
  const holds = perCity.every((c) => c.parts.beatsEndOnAcc && c.parts.lowestMean);
  const a = holdsIn(perCity.map((c) => ({ city: c.city, ok: c.parts.beatsEndOnAcc })), cityName);
  const b = holdsIn(perCity.map((c) => ({ city: c.city, ok: c.parts.lowestMean })), cityName);
  const detail = perCity.map((c) => `${cityName(c.city)}: Acc vs text-tag-end ${signed(c.accGain)}, Mean vs best other (${FUSION_VARIANTS.find((v) => v.id === c.bestOther)?.label ?? c.bestOther}) ${signed(-c.kmGap)} km`).join("; ");
  return {
    holds,
    perCity: perCity.map(({ city, parts }) => ({ city, parts })),
    sentence: `The paper's claim (fusing text and hashtags on the convolution outputs beats fusing them after the features are obtained, and MRLF has the lowest Mean of all fusions) ${holds ? "holds" : "does not hold"} on this data: MRLF's Acc exceeds text-tag-end's ${a}, and its Mean is the lowest ${b} (${detail}).`,
  };
}

/**
 * Sec. IV-F: "after filtering, the model performs better under the two
 * metrics": the cut (`withCut`) has higher Acc and lower Mean than no cut.
 */
export function lowFrequencyClaim(s: readonly VariantSummary[], cities: readonly string[], withCut: string, noCut: string, cityName: (c: string) => string = (c) => c): ClaimCheck {
  const perCity = cities.map((city) => {
    const w = pick(s, city, withCut);
    const o = pick(s, city, noCut);
    return { city, dAcc: w.acc.mean - o.acc.mean, dKm: w.meanKm.mean - o.meanKm.mean, parts: { higherAcc: w.acc.mean > o.acc.mean, lowerMean: w.meanKm.mean < o.meanKm.mean } };
  });
  const holds = perCity.every((c) => c.parts.higherAcc && c.parts.lowerMean);
  const a = holdsIn(perCity.map((c) => ({ city: c.city, ok: c.parts.higherAcc })), cityName);
  const b = holdsIn(perCity.map((c) => ({ city: c.city, ok: c.parts.lowerMean })), cityName);
  const detail = perCity.map((c) => `${cityName(c.city)}: Acc ${signed(c.dAcc)}, Mean ${signed(c.dKm)} km`).join("; ");
  return {
    holds,
    perCity: perCity.map(({ city, parts }) => ({ city, parts })),
    sentence: `The paper's claim (removing low-frequency hashtags improves both metrics) ${holds ? "holds" : "does not hold"} on this data: with the cut, Acc is higher ${a} and Mean is lower ${b} (cut − no cut: ${detail}).`,
  };
}

// ---- table rows and chart series shared by notebooks 03, 04, 06 ----------------------------

export type PaperValue = { acc: number; meanKm: number } | null;

/** Columns of a variant table: city, variant, Acc and Mean (ours | paper | Δ) with sd over seeds. */
export const VARIANT_COLUMNS: Column[] = [
  { key: "city", label: "City", source: "info" },
  { key: "variant", label: "Variant", source: "info" },
  ...comparedColumns("acc", "Acc", 3),
  { key: "acc_sd", label: "Acc sd", digits: 3, source: "ours" },
  ...comparedColumns("mean_km", "Mean km", 3),
  { key: "mean_km_sd", label: "Mean km sd", digits: 3, source: "ours" },
  { key: "seeds", label: "Seeds", digits: 0, source: "info" },
];

/** One row per (city, variant), in city-major order; the paper's value beside ours (null where it prints none). */
export function variantRows(
  s: readonly VariantSummary[],
  cities: readonly string[],
  variants: readonly MrlfVariant[],
  paper: (city: string, variant: string) => PaperValue,
  cityName: (c: string) => string = (c) => c,
): Record<string, Cell>[] {
  return cities.flatMap((city) =>
    variants.map((v) => {
      const x = pick(s, city, v.id);
      const p = paper(city, v.id);
      const row: Record<string, Cell> = { city: cityName(city), variant: v.label, acc: x.acc.mean, acc_sd: x.acc.sd, mean_km: x.meanKm.mean, mean_km_sd: x.meanKm.sd, seeds: x.seeds };
      return withPaper(withPaper(row, "acc", p?.acc), "mean_km", p?.meanKm);
    }),
  );
}

export interface BarSeriesData {
  name: string;
  values: (number | null)[];
  errors?: (number | null)[];
  kind?: "ours" | "paper";
}

/**
 * Grouped-bar series (one per variant, one bar per city) for `figures.groupedBar`,
 * sd over seeds as error bars when there is more than one seed, then one
 * "paper" series per variant the paper prints a value for.
 */
export function variantBarSeries(
  s: readonly VariantSummary[],
  cities: readonly string[],
  variants: readonly MrlfVariant[],
  metric: "acc" | "meanKm",
  paper: (city: string, variant: string) => PaperValue,
): BarSeriesData[] {
  const ours = variants.map((v) => {
    const xs = cities.map((c) => pick(s, c, v.id)[metric]);
    const multi = cities.some((c) => pick(s, c, v.id).seeds > 1);
    return { name: v.label, values: xs.map((x) => x.mean), ...(multi ? { errors: xs.map((x) => x.sd) } : {}), kind: "ours" as const };
  });
  const published = variants
    .map((v) => ({ v, values: cities.map((c) => paper(c, v.id)?.[metric] ?? null) }))
    .filter(({ values }) => values.some((x) => x !== null))
    .map(({ v, values }) => ({ name: `${v.label} (paper, Table II)`, values, kind: "paper" as const }));
  return [...ours, ...published];
}
