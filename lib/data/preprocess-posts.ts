/**
 * The MRLF paper's data preprocessing (Sec. IV-A, "Data Preprocessing"):
 *
 *   1. remove hashtags that appear fewer than 50 times in the city;
 *   2. keep only locations (POIs) with at least 100 check-in posts;
 *   3. keep English posts                                  } "we selected English posts
 *   4. … that contain text, 5. hashtags, 6. and images     }  that contain text, hashtags
 *                                                               and images"
 *   (η = 0.5 portrait-ratio image filter: needs a person segmenter; reported
 *    here from the generator's recorded ratio, applied to each split's training
 *    and validation parts by lib/experiments/cleaning.ts.)
 *
 * Order — a reading of an ambiguous paragraph: the paper lists the hashtag
 * and POI filters first and the English/modality selection "for MRLF
 * training" last, and its Table I counts posts without text (#Text < #Posts),
 * so Table I describes the data after steps 1–2 and before 3–6. We apply the
 * steps in that order and snapshot the statistics after step 2. The POI
 * threshold counts all check-in posts of a POI (step 2), not the posts left
 * after step 6, so a kept POI can end with fewer than 100 training posts.
 * Step 1 removes hashtags, not posts; a post left without hashtags is then
 * removed by step 5 (and counted there).
 *
 * Every step returns what it removed and why (FilterReport). A step that does
 * not apply to a dataset (no images; a language filter on a German-speaking
 * city) is reported as "not applied: <reason>" (Thresholds.notApplied), never
 * left out. A real dataset with its own size brings its own thresholds
 * (CityDataset.thresholds, e.g. lib/data/flickr FLICKR_THRESHOLDS), which
 * also count distinct owners per POI where posts have owners.
 */
import { cachedJson } from "../runtime/cache";
import type { Params, Scale } from "../runtime/params";
import { CityDataset, DatasetStats, datasetStats, Post } from "./posts";
import type { GeneratorSettings } from "./synthetic/instagram";

export interface Thresholds {
  /** Hashtags with fewer occurrences in the city are removed (paper: 50). */
  minHashtagCount: number;
  /** POIs with fewer posts are dropped (paper: 100). */
  minPostsPerPoi: number;
  /** POIs with posts from fewer distinct owners are dropped too (posts with owners only; the paper has none). */
  minOwnersPerPoi?: number;
  requireEnglish: boolean;
  requireText: boolean;
  requireHashtags: boolean;
  requireImages: boolean;
  /** Why a paper step does not apply to this dataset: reported as a row "not applied: <reason>". */
  notApplied?: { english?: string; images?: string; eta?: string };
  /** Why these thresholds differ from the paper's (said under every table of notebook 01). */
  why?: string;
}

export const PAPER_THRESHOLDS: Thresholds = {
  minHashtagCount: 50,
  minPostsPerPoi: 100,
  requireEnglish: true,
  requireText: true,
  requireHashtags: true,
  requireImages: true,
};

/** A dataset's own thresholds where it brings them (real data of one size), else the scale's. */
export const thresholdsFor = (ds: Pick<CityDataset, "thresholds">, scale: Scale): Thresholds => ds.thresholds ?? defaultThresholds(scale);

/** The paper's thresholds at default and paper scale; scaled down for tiny test data (and tables say so). */
export function defaultThresholds(scale: Scale): Thresholds {
  return scale === "tiny" ? { ...PAPER_THRESHOLDS, minHashtagCount: 5, minPostsPerPoi: 20 } : { ...PAPER_THRESHOLDS };
}

/** The paper's portrait-ratio threshold for noisy images. */
export const ETA = 0.5;

export interface FilterReport {
  /** "intake": a converter's step before the paper's filters (lib/data/flickr); absent: the paper's. */
  stage?: "intake";
  step: string;
  /** The rule, in words, with its threshold. */
  rule: string;
  postsBefore: number;
  postsAfter: number;
  removedPosts: number;
  /** Hashtag occurrences / distinct hashtags removed (hashtag filter only). */
  removedHashtagOccurrences?: number;
  removedDistinctHashtags?: number;
  /** POIs removed with their post counts (and distinct owners, where counted) (POI filter only). */
  removedPois?: { id: string; posts: number; owners?: number }[];
  /** False for steps only reported here (the η image filter). */
  applied: boolean;
  note?: string;
}

type Step = (posts: Post[]) => { posts: Post[]; report: Omit<FilterReport, "postsBefore" | "postsAfter" | "removedPosts"> };

/** Step 1: drop hashtags with < min occurrences in the city (posts stay). */
export function filterRareHashtags(posts: readonly Post[], min: number): { posts: Post[]; kept: Set<string>; report: FilterReport } {
  const count = new Map<string, number>();
  for (const p of posts) for (const h of p.hashtags) count.set(h, (count.get(h) ?? 0) + 1);
  const kept = new Set([...count].filter(([, n]) => n >= min).map(([h]) => h));
  let removedOcc = 0;
  const out = posts.map((p) => {
    const hs = p.hashtags.filter((h) => kept.has(h));
    removedOcc += p.hashtags.length - hs.length;
    return hs.length === p.hashtags.length ? p : { ...p, hashtags: hs };
  });
  return {
    posts: out,
    kept,
    report: {
      step: "rare hashtags",
      rule: `hashtags with < ${min} occurrences in the city removed from posts`,
      postsBefore: posts.length,
      postsAfter: out.length,
      removedPosts: 0,
      removedHashtagOccurrences: removedOcc,
      removedDistinctHashtags: count.size - kept.size,
      applied: true,
      note: `${kept.size} of ${count.size} distinct hashtags kept; posts left without hashtags are removed by the hashtag step`,
    },
  };
}

/** Step 2: drop POIs with < min posts (or, with minOwners, posts from < minOwners distinct owners), with their posts. */
export function filterSparsePois(posts: readonly Post[], min: number, minOwners = 0): { posts: Post[]; report: FilterReport } {
  const n = new Map<string, number>();
  const owners = new Map<string, Set<string>>();
  for (const p of posts) {
    n.set(p.poiId, (n.get(p.poiId) ?? 0) + 1);
    if (minOwners > 0) {
      if (p.owner === undefined)
        throw new Error(
          `preprocessPosts: post ${p.id}: owner: missing, but the thresholds count owners per POI (minOwnersPerPoi ${minOwners})`,
        );
      (owners.get(p.poiId) ?? owners.set(p.poiId, new Set()).get(p.poiId)!).add(p.owner);
    }
  }
  const ownersOf = (id: string) => owners.get(id)?.size ?? 0;
  const removedPois = [...n]
    .filter(([id, c]) => c < min || (minOwners > 0 && ownersOf(id) < minOwners))
    .map(([id, c]) => ({ id, posts: c, ...(minOwners > 0 ? { owners: ownersOf(id) } : {}) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const drop = new Set(removedPois.map((r) => r.id));
  const out = posts.filter((p) => !drop.has(p.poiId));
  const rule =
    minOwners > 0
      ? `locations with < ${min} posts or posts from < ${minOwners} distinct owners dropped`
      : `locations with < ${min} check-in posts dropped`;
  return {
    posts: out,
    report: {
      step: "sparse POIs",
      rule,
      postsBefore: posts.length,
      postsAfter: out.length,
      removedPosts: posts.length - out.length,
      removedPois,
      applied: true,
      note: `${n.size - drop.size} of ${n.size} POIs kept`,
    },
  };
}

// ------------------------------------------------------------------ language

const stopwords = require("stopword") as Record<string, string[]>;
let langSets: { eng: Set<string>; others: Set<string>[] } | null = null;
/** Frequent English words missing from the stopword list but common in captions. */
const COMMON_ENGLISH = "so love day time best first last great good new just like get got one all today night fun happy back".split(" ");
function sets() {
  if (!langSets) {
    const other = ["spa", "por", "ita", "ind", "fra", "deu", "nld"].map((k) => new Set(stopwords[k].filter((w) => w.length > 1)));
    const engAll = new Set([...stopwords.eng, ...COMMON_ENGLISH]);
    // Count only unambiguous function words: English ones no other language lists ("me", "a", "in" are dropped),
    // and other languages' ones that are not English words.
    const eng = new Set([...engAll].filter((w) => !other.some((s) => s.has(w)) || COMMON_ENGLISH.includes(w)));
    const others = other.map((s) => new Set([...s].filter((w) => !engAll.has(w))));
    langSets = { eng, others };
  }
  return langSets;
}

/**
 * Is this caption English? Used when a post has no `lang` field. A caption
 * with ≥ 15 % CJK/Hangul/Kana/Cyrillic/Arabic letters is not English; else it
 * is English unless it has more function words of another language
 * (stopword lists minus English words) than unambiguous English ones (English
 * function words no other language lists, plus a few frequent caption words). Captions of only
 * content words ("love nyc") count as English, as Instagram's own detector
 * tends to do. Empty text → null (undecidable; the text step removes it).
 */
export function isEnglish(text: string): boolean | null {
  const t = text.toLowerCase();
  const letters = t.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return null;
  const foreignScript =
    t.match(
      /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Thai}]/gu,
    ) ?? [];
  if (foreignScript.length / letters.length >= 0.15) return false;
  const tokens = t.match(/\p{L}+/gu) ?? [];
  const { eng, others } = sets();
  const en = tokens.filter((w) => eng.has(w)).length;
  const other = Math.max(0, ...others.map((s) => tokens.filter((w) => s.has(w)).length));
  return other <= en;
}

const postIsEnglish = (p: Post): boolean | null => (p.lang !== undefined ? p.lang.toLowerCase().startsWith("en") : isEnglish(p.text));

// ------------------------------------------------------------------ pipeline

const keepIf =
  (step: string, rule: string, pred: (p: Post) => boolean, note?: string): Step =>
  (posts) => {
    const out = posts.filter(pred);
    return { posts: out, report: { step, rule, applied: true, note } };
  };

/** A paper step that does not apply to this dataset: a row saying why, nothing removed. */
const notApplied =
  (step: string, rule: string, why: string): Step =>
  (posts) => ({
    posts: posts.slice(),
    report: { step, rule, applied: false, note: why.startsWith("not applied") ? why : `not applied: ${why}` },
  });

export interface PreprocessResult {
  dataset: CityDataset;
  report: FilterReport[];
  /** Statistics after steps 1–2 (the stage Table I describes) and at the end. */
  stats: { collected: DatasetStats; final: DatasetStats };
}

/** Apply the paper's filters in order; every step reports what it removed. */
export function preprocessPosts(ds: CityDataset, t: Thresholds): PreprocessResult {
  for (const k of ["minHashtagCount", "minPostsPerPoi"] as const)
    if (!Number.isInteger(t[k]) || t[k] < 0)
      throw new Error(`preprocessPosts: thresholds.${k}: expected a non-negative integer, got ${t[k]}`);
  const report: FilterReport[] = [];
  const h = filterRareHashtags(ds.posts, t.minHashtagCount);
  report.push(h.report);
  const poi = filterSparsePois(h.posts, t.minPostsPerPoi, t.minOwnersPerPoi ?? 0);
  report.push(poi.report);
  let posts = poi.posts;
  const collected = datasetStats({ posts });
  const steps: Step[] = [];
  const englishRule =
    "posts whose `lang` is not English (or, without `lang`, whose caption the function-word detector calls non-English) removed";
  if (t.requireEnglish)
    steps.push(keepIf("non-English", englishRule, (p) => postIsEnglish(p) !== false, "posts without text are left to the text step"));
  else if (t.notApplied?.english) steps.push(notApplied("non-English", englishRule, t.notApplied.english));
  if (t.requireText) steps.push(keepIf("no text", "posts without caption text removed", (p) => p.text.trim() !== ""));
  if (t.requireHashtags)
    steps.push(keepIf("no hashtags", "posts without hashtags (after the rare-hashtag step) removed", (p) => p.hashtags.length > 0));
  if (t.requireImages) steps.push(keepIf("no image", "posts without images removed", (p) => p.images.length > 0));
  else if (t.notApplied?.images) steps.push(notApplied("no image", "posts without images removed", t.notApplied.images));
  for (const s of steps) {
    const before = posts.length;
    const r = s(posts);
    posts = r.posts;
    report.push({ ...r.report, postsBefore: before, postsAfter: posts.length, removedPosts: before - posts.length } as FilterReport);
  }
  report.push(t.notApplied?.eta ? { ...portraitReport(posts, ETA), note: t.notApplied.eta } : portraitReport(posts, ETA));
  const keptPois = new Set(posts.map((p) => p.poiId));
  const dataset: CityDataset = {
    ...ds,
    pois: ds.pois.filter((p) => keptPois.has(p.id)),
    posts,
    description: `${ds.description}; preprocessed (MRLF Sec. IV-A filters)`,
  };
  return { dataset, report, stats: { collected, final: datasetStats({ posts }) } };
}

/**
 * The η filter, reported but not applied: how many images have a portrait
 * ratio > η. Uses the generator's recorded ratio (post.truth); real data has
 * none, and the detector-based filter lives in lib/experiments/cleaning.ts.
 */
export function portraitReport(posts: readonly Post[], eta: number): FilterReport {
  const withTruth = posts.filter((p) => p.images.length > 0 && p.truth);
  const noisy = withTruth.filter((p) => p.truth!.portraitRatio > eta).length;
  return {
    step: "noisy images (η)",
    rule: `images with portrait ratio > η = ${eta} (reported only)`,
    postsBefore: posts.length,
    postsAfter: posts.length,
    removedPosts: 0,
    applied: false,
    note: withTruth.length
      ? `${noisy} of ${withTruth.length} images (${((100 * noisy) / withTruth.length).toFixed(1)} %) have a recorded portrait ratio > η; the detector-based filter acts on each split's training and validation parts (notebook 01's last table)`
      : "no recorded portrait ratios (real data): the detector-based filter acts on each split's training and validation parts (notebook 01's last table)",
  };
}

// ------------------------------------------------------------------ the prepared dataset

export const PREPROCESS_VERSION = "preprocess-posts-v3";

export interface PreparedCity extends CityDataset {
  report: FilterReport[];
  stats: { collected: DatasetStats; final: DatasetStats };
  thresholds: Thresholds;
}

/**
 * The dataset every MRLF notebook trains on: real posts when the run has a
 * posts manifest (DATA=…, or data-manifests/instagram-posts.json; see
 * lib/data/selection.ts), else the synthetic city (generated with
 * `generator`: mode and signal shares, default independent); then
 * preprocessed with defaultThresholds(params.scale). The filter outcome (kept
 * post ids and hashtags, report) is cached by dataset checksums + thresholds.
 */
export async function preparedCity(
  params: Params,
  city: string,
  thresholdsArg?: Thresholds,
  generator?: GeneratorSettings,
): Promise<PreparedCity> {
  const manifest = (await import("./selection")).postsManifestForCity(params, city);
  if (manifest && generator && (generator.mode !== "independent" || generator.signal))
    throw new Error(
      `preparedCity: ${city}: generator settings (${generator.mode}${generator.signal ? ", signal shares" : ""}) apply to synthetic data only, but ${manifest} selects real posts`,
    );
  const ds = manifest
    ? await (await import("./city")).manifestCity(params, city, manifest)
    : await (await import("./synthetic/instagram")).syntheticCity(params, city, generator ? { settings: generator } : {});
  const thresholds = thresholdsArg ?? thresholdsFor(ds, params.scale);
  const key = { version: PREPROCESS_VERSION, dataset: ds.name, checksums: ds.checksums, thresholds };
  const cached = await cachedJson(params.cacheDir, "prepared-posts", key, () => {
    const r = preprocessPosts(ds, thresholds);
    return { ids: r.dataset.posts.map((p) => p.id), hashtags: r.dataset.posts.map((p) => p.hashtags), report: r.report, stats: r.stats };
  });
  const byId = new Map(ds.posts.map((p) => [p.id, p]));
  const posts = cached.ids.map((id, i) => {
    const p = byId.get(id);
    if (!p) throw new Error(`preparedCity: cached post id ${id} not in ${ds.name}; delete ${params.cacheDir}/prepared-posts and re-run`);
    return { ...p, hashtags: cached.hashtags[i] };
  });
  const keptPois = new Set(posts.map((p) => p.poiId));
  return {
    ...ds,
    pois: ds.pois.filter((p) => keptPois.has(p.id)),
    posts,
    description: `${ds.description}; preprocessed (MRLF Sec. IV-A filters)`,
    report: [...(ds.intake?.steps ?? []).map((s) => ({ ...s, stage: "intake" as const })), ...cached.report],
    stats: cached.stats,
    thresholds,
  };
}
