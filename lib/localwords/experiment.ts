/**
 * Datasets and runs for notebooks 07 and 08: the synthetic microblog users and
 * GeoText as `UserBag`s, the paper's seeded 80/20 per-location split, cached
 * word vectors, and the sweeps (N1, N2, k).
 */
import { DatasetRef } from "../results/table";
import { Rng, stream } from "../runtime/rng";
import { cachedJson } from "../runtime/cache";
import { keyOf } from "../runtime/hash";
import { log } from "../runtime/progress";
import type { Scale } from "../runtime/params";
import { generateMicroblog, MicroblogScaleSpec } from "../data/synthetic/microblog";
import type { GeoTextCorpus } from "../data/geotext";
import { geotextUserLabels } from "../geo/labels";
import { UserBag } from "./corpus";
import { EntityMerger, englishStopwords, frequencyFilter, removeStopwordsFromBags, segmentUsers, toBag } from "./preprocess";
import { splitPerLocation, minUsersPerLocation } from "./split";
import { bagSentences, trainWord2Vec, Word2VecOptions, WordVectors } from "./word2vec";
import { usPlaceNames } from "./baselines";
import type { OwnDataInfo } from "./own-data";

/** Location granularity; "country" is for own data (lib/geo/assign.ts). */
export type LabelLevel = "state" | "city" | "country";

export interface LocalWordsDataset {
  /** e.g. "synthetic-microblog (state)". */
  title: string;
  dataset: DatasetRef;
  level: LabelLevel;
  users: UserBag[];
  placeNames: Set<string>;
  /** One line per preprocessing / filtering step: what was removed and why. */
  notes: string[];
  /** True when users carry word order (tweets); false for bag-of-words (GeoText). */
  hasText: boolean;
  /**
   * Names the seeded streams of the split and the runs; the dataset's name when
   * absent. Own data sets it from the content (lib/localwords/own-data.ts), so
   * renaming a dataset does not change its split.
   */
  streamKey?: string;
  /** Set for a researcher's own data (DATA=…): the manifest it came from and what each filter removed. */
  own?: OwnDataInfo;
}

/** The name of a dataset's seeded streams (see `streamKey`). */
export const streamKeyOf = (d: Pick<LocalWordsDataset, "dataset" | "streamKey">): string => d.streamKey ?? d.dataset.name;

/** The synthetic microblog users of lib/data/synthetic/microblog.ts (whose planted words are known), not own data marked synthetic. */
export const isGeneratedMicroblog = (d: Pick<LocalWordsDataset, "dataset" | "own">): boolean => d.dataset.synthetic && !d.own;

/** GeoText itself (the published context rows apply to it only). */
export const isGeoText = (d: Pick<LocalWordsDataset, "dataset" | "own">): boolean => !d.dataset.synthetic && !d.own && d.dataset.name.startsWith("geotext");

const VERSION = "localwords-v1";
export const GEOTEXT_MARKERS = ["-PUNCT-", "-OOV-", "-NUM-"];

/** `scale` is a named scale or a custom size (tests use a small custom one). */
export function syntheticMicroblogDataset(seed: number, scale: Scale | MicroblogScaleSpec, level: LabelLevel): LocalWordsDataset {
  const g = generateMicroblog(seed, scale);
  const raw = g.users.map((u) => ({ id: u.id, label: level === "state" ? u.state : u.city, tweets: u.tweets, coord: u.coord }));
  const merger = new EntityMerger();
  const seg = segmentUsers(raw, englishStopwords(), merger);
  const users = seg.users.map((u) => toBag(u));
  const placeNames = new Set([...g.cities.map((c) => c.name), ...g.states.map((s) => s.name)].map((s) => s.toLowerCase().replace(/ /g, "_")));
  return {
    title: `synthetic microblog (${level})`,
    dataset: {
      name: `synthetic-microblog-${level}`,
      synthetic: true,
      description: `${g.users.length} generated users in ${g.cities.length} cities / ${g.states.length} states (seed ${seed}, scale ${typeof scale === "string" ? scale : `custom ${JSON.stringify(scale)}`}); labels = ${level}`,
    },
    level,
    users,
    placeNames,
    hasText: true,
    notes: [
      `Segmentation: ${seg.tokens} tokens, ${seg.typesBefore} word types; ${merger.accepted} distinct multi-word entities merged, ${merger.vetoed} capitalised runs vetoed by compromise.`,
      `Stop words (stopword's English list, ${englishStopwords().size} words): ${seg.stopTokens} tokens removed.`,
    ],
  };
}

/** GeoText users with word counts (dev + test folds in our copy), labelled by US state or nearest city (≥ 100k). */
export function geotextDataset(corpus: GeoTextCorpus, level: LabelLevel, opts: { minUsersPerCity?: number } = {}): LocalWordsDataset {
  const { labels } = geotextUserLabels(corpus);
  const notes: string[] = [];
  const withCounts = corpus.users.map((u, i) => ({ u, l: labels[i] })).filter((x) => x.u.words && x.u.counts);
  notes.push(`${corpus.users.length - withCounts.length} of ${corpus.users.length} users have no word counts in this copy (train.dat is absent; see loader report) and are not used.`);
  let rows = withCounts;
  if (level === "state") {
    rows = withCounts.filter((x) => x.l.state !== null);
    notes.push(`${withCounts.length - rows.length} users outside every US state polygon removed (state labels need a state).`);
  }
  const labelOf = (x: (typeof rows)[number]) => (level === "state" ? x.l.state! : `${x.l.city.name}, ${x.l.city.state}`);
  const minUsers = level === "city" ? opts.minUsersPerCity ?? 20 : 1;
  const f = minUsersPerLocation(rows, labelOf, minUsers);
  if (f.removedUsers) notes.push(`${f.removedUsers} users in ${f.removedLocations.length} ${level === "city" ? "cities" : "states"} with < ${minUsers} users removed (the paper drops cities with < 100 users; GeoText has far fewer users).`);
  const bags: UserBag[] = f.kept.map((x) => {
    const counts = new Map<string, number>();
    x.u.words!.forEach((w, k) => counts.set(corpus.vocab[w].word, x.u.counts![k]));
    return { id: x.u.id, label: labelOf(x), counts, coord: { lat: x.u.lat, lon: x.u.lon } };
  });
  // GeoText's preprocessing markers are not words: drop them (counted).
  let markerTokens = 0;
  for (const b of bags) for (const m of GEOTEXT_MARKERS) {
    markerTokens += b.counts.get(m) ?? 0;
    (b.counts as Map<string, number>).delete(m);
  }
  notes.push(`${markerTokens} placeholder tokens (${GEOTEXT_MARKERS.join(", ")}) removed: GeoText's tokeniser markers, not words.`);
  const sw = removeStopwordsFromBags(bags);
  notes.push(`Stop words: ${sw.stopTokens} tokens of ${sw.stopTypes} stop-word types removed. GeoText is already tokenised bag-of-words: no NER merging, no sentences.`);
  return {
    title: `GeoText (${level})`,
    dataset: { ...corpus.dataset, name: `geotext-${level}`, description: `${corpus.dataset.description} — ${bags.length} users with word counts (dev+test folds), labels = ${level === "state" ? "US state (point in polygon)" : "nearest US city ≥ 100k inhabitants"}` },
    level,
    users: sw.bags,
    placeNames: usPlaceNames(),
    hasText: false,
    notes,
  };
}

export interface PreparedSplit {
  train: UserBag[];
  test: UserBag[];
  vectors: WordVectors;
  /** How word2vec contexts were formed. */
  contextNote: string;
}

/**
 * Seeded 80/20 split per location and word vectors trained on the training
 * texts (restricted to words with training frequency ≥ `n1ForVectors`).
 * Vectors are cached by content.
 */
export async function prepareSplit(d: LocalWordsDataset, seed: number, cacheDir: string, w2v: Word2VecOptions, n1ForVectors = 3): Promise<PreparedSplit> {
  const rng = stream(seed, `localwords/${streamKeyOf(d)}`);
  const sp = splitPerLocation(d.users.map((u) => u.label), rng.fork("split"));
  const train = sp.train.map((i) => d.users[i]);
  const test = sp.test.map((i) => d.users[i]);
  const vocab = frequencyFilter(train, n1ForVectors).vocab;
  const { onEpoch: _ignored, ...w2vKey } = w2v;
  const key = { VERSION, data: keyOf(train.map((u) => [u.id, u.label, [...u.counts].sort()])), seed, w2v: w2vKey, n1ForVectors, hasText: d.hasText };
  const cached = await cachedJson(cacheDir, "localwords-word2vec", key, () => {
    const sentences = d.hasText
      ? train.flatMap((u) => (u.sentences ?? []).map((s) => s.filter((w) => vocab.has(w))))
      : bagSentences(train.map((u) => new Map([...u.counts].filter(([w]) => vocab.has(w)))), rng.fork("bag-order"));
    const t0 = Date.now();
    const v = trainWord2Vec(sentences, rng.fork("word2vec"), w2v);
    log("word2vec", `${d.title}: ${v.words.length} words × ${v.dim} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return { words: v.words, dim: v.dim, vectors: Array.from(v.vectors) };
  });
  return {
    train,
    test,
    vectors: { words: cached.words, dim: cached.dim, vectors: Float32Array.from(cached.vectors) },
    contextNote: d.hasText
      ? "word2vec contexts: windows within each tweet of the training users (the paper's reading)."
      : "word2vec contexts: GeoText has no word order, so each training user's words (repeated by count) are shuffled with a seeded stream and windows run over that sequence: contexts are co-occurrence within one user's text, sampled in proportion to the counts.",
  };
}

export function seededRng(seed: number, name: string): Rng {
  return stream(seed, `localwords/${name}`);
}

export interface ScaleSettings {
  w2v: Word2VecOptions;
  kGrid: number[];
  n1Sweep: number[];
  n2Sweep: number[];
}

/**
 * Per-scale settings for notebooks 07/08. The paper's full sweeps (N1 = 3…10,
 * N2 = 0.11…0.24 step 0.01) run at scale "paper" or with
 * GEOREPRO_LOCALWORDS_SWEEP=full; the default scale uses a subset so that
 * notebooks 07 + 08 fit their ~5-minute budget on 2 cores.
 */
export function scaleSettings(scale: Scale, env: NodeJS.ProcessEnv = process.env): ScaleSettings {
  const full = scale === "paper" || env.GEOREPRO_LOCALWORDS_SWEEP === "full";
  const range = (a: number, b: number, s: number) => Array.from({ length: Math.round((b - a) / s) + 1 }, (_, i) => Number((a + i * s).toFixed(4)));
  const kGrid = range(4, 40, 4);
  if (full) return { w2v: { dim: 100, epochs: 5, sample: 1e-3 }, kGrid, n1Sweep: range(3, 10, 1), n2Sweep: range(0.11, 0.24, 0.01) };
  if (scale === "tiny") return { w2v: { dim: 16, epochs: 5, sample: 1e-3 }, kGrid: [2, 4, 6, 8, 10, 12], n1Sweep: [3, 6], n2Sweep: [0.11, 0.17, 0.24] };
  return { w2v: { dim: 50, epochs: 5, sample: 1e-3 }, kGrid, n1Sweep: [3, 4, 6, 8, 10], n2Sweep: [0.11, 0.14, 0.17, 0.2, 0.24] };
}

// The paper's published figures live in lib/papers/localwords.ts (one home for every published number).
import { PAPER_FIGURES, GEOTEXT_PUBLISHED } from "../papers/localwords";
export { PAPER_FIGURES, GEOTEXT_PUBLISHED };

/**
 * The paper dataset a run is compared with: state ↔ Twitter(State), city ↔
 * Twitter(City); own data at country level is compared with the paper's
 * coarse level, Twitter(State).
 */
export const paperAnalogue = (level: LabelLevel): keyof typeof PAPER_FIGURES => (level === "city" ? "Twitter(City)" : "Twitter(State)");


/** US Census regions by state postal code (the 4 regions of Eisenstein et al.'s region accuracy). */
export const CENSUS_REGION: Readonly<Record<string, "Northeast" | "Midwest" | "South" | "West">> = Object.fromEntries([
  ...["CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"].map((s) => [s, "Northeast"]),
  ...["IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD"].map((s) => [s, "Midwest"]),
  ...["DE", "FL", "GA", "MD", "NC", "SC", "VA", "DC", "WV", "AL", "KY", "MS", "TN", "AR", "LA", "OK", "TX"].map((s) => [s, "South"]),
  ...["AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA"].map((s) => [s, "West"]),
]);

/**
 * Share of users whose predicted state lies in the same Census region as their
 * true state; null when some label is not a US state code (e.g. synthetic states).
 */
export function regionAccuracy(labels: readonly string[], truth: ArrayLike<number>, predicted: ArrayLike<number>): number | null {
  if (truth.length !== predicted.length) throw new Error(`regionAccuracy: ${truth.length} true labels but ${predicted.length} predictions`);
  if (truth.length === 0 || labels.some((l) => !(l in CENSUS_REGION))) return null;
  let hit = 0;
  for (let i = 0; i < truth.length; i++) if (CENSUS_REGION[labels[truth[i]]] === CENSUS_REGION[labels[predicted[i]]]) hit++;
  return hit / truth.length;
}
