/**
 * Datasets for the local-words experiments, as users with bags of words and
 * (where the text has word order) tweets as sentences:
 *
 * - GeoText raw text (folds 4 and 5, data-manifests/geotext-raw.json): the
 *   paper's own preprocessing runs on it — tweets merged into one text per user
 *   (tweets stay sentence boundaries for word2vec), the entity merge (the
 *   stand-in for Stanford NER, ./preprocess.ts), English stop words; N1 is
 *   applied later on the training users.
 * - GeoText bag-of-words (data-manifests/geotext.json): the processed word
 *   counts of the same users; no merge is possible and word2vec contexts are
 *   co-occurrence within a user's text (./word2vec.ts `bagSentences`).
 * - Synthetic microblog users (lib/data/synthetic/microblog.ts; SYNTHETIC).
 *
 * A `TextCorpus` is the unlabelled text of all users: word2vec learns from it
 * (no label is ever read). A `LocalWordsDataset` is a corpus's users labelled at
 * one level (state or city) with the protocols it is evaluated under: GeoText's
 * official folds (train on fold 4, test on fold 5) and/or seeded 80/20 splits
 * per location (the paper's Sect. 4.1).
 */
import type { DatasetRef } from "../results/table";
import type { Scale } from "../runtime/params";
import { keyOf } from "../runtime/hash";
import { stream } from "../runtime/rng";
import { cachedJson } from "../runtime/cache";
import { log } from "../runtime/progress";
import type { GeoTextCorpus } from "../data/geotext";
import type { GeoTextRawCorpus } from "../data/geotext-raw";
import { generateMicroblog, MicroblogScaleSpec, SyntheticMicroblog } from "../data/synthetic/microblog";
import { labelPoints, GeoLabel } from "../geo/labels";
import type { LatLon } from "../geo/distance";
import type { UserBag } from "./corpus";
import { EntityMerger, englishStopwords, removeStopwordsFromBags, toBag, Segmented } from "./preprocess";
import { minUsersPerLocation, splitPerLocation } from "./split";
import { runTasks } from "../runtime/pool";
import { helperWanted } from "../runtime/slots";
import { usPlaceNames } from "./baselines";
import type { OwnDataInfo } from "./own-data";

/** Location granularity; "country" is for a researcher's own data (lib/geo/assign.ts). */
export type LabelLevel = "state" | "city" | "country";

/** How a dataset is split into training and test users. */
/** `trainFolds`, when given, replaces `trainFold` (GeoText's own setting trains on folds 1–3). */
export type Protocol =
  { kind: "official"; trainFold: number; trainFolds?: readonly number[]; testFold: number } | { kind: "split"; testFraction: number };
export const OFFICIAL_FOLDS: Protocol = { kind: "official", trainFold: 4, testFold: 5 };
/** GeoText's official setting when its training folds are present (raw text with user_info.train.gz). */
export const OFFICIAL_TRAIN_FOLDS: Protocol = { kind: "official", trainFold: 1, trainFolds: [1, 2, 3], testFold: 5 };
/** "4" or "1–3": the training folds of an official protocol, for labels. */
export const trainFoldsLabel = (p: Extract<Protocol, { kind: "official" }>): string =>
  p.trainFolds
    ? p.trainFolds.length > 1
      ? `${p.trainFolds[0]}–${p.trainFolds[p.trainFolds.length - 1]}`
      : `${p.trainFolds[0]}`
    : `${p.trainFold}`;
export const PAPER_SPLIT: Protocol = { kind: "split", testFraction: 0.2 };

/** What preprocessing a text corpus went through, counted (the notebook's "what the text steps changed"). */
export interface TextReport {
  users: number;
  tweets: number | null;
  tokens: number;
  /** Word types before the entity merge (whitespace tokens, lower-cased, punctuation stripped). */
  typesBeforeMerge: number | null;
  /** Distinct merged entities and their occurrences; the most frequent ones. */
  entities: { distinct: number; occurrences: number; top: { entity: string; count: number }[] } | null;
  /** Word types after the merge, before stop words. */
  typesAfterMerge: number;
  stopTokens: number;
  stopList: string;
  /** Word types after stop words (N1 comes later, on the training users). */
  typesAfterStopwords: number;
  /** Tokens that are not words (GeoText's tokeniser markers), removed. */
  markerTokens?: number;
}

export interface TextCorpus {
  /** "geotext-raw", "geotext-bow", "synthetic-microblog". */
  id: string;
  /** Hash of everything that determines the text (input checksums, generator seed, code version). */
  fingerprint: string;
  /** True when users carry tweets as sentences (word order); false for bag-of-words. */
  hasText: boolean;
  users: UserBag[];
  report: TextReport;
  notes: string[];
}

export interface LocalWordsDataset {
  /** e.g. "geotext-raw-state". */
  id: string;
  /** e.g. "GeoText raw text (state)". */
  title: string;
  dataset: DatasetRef;
  level: LabelLevel;
  corpus: TextCorpus;
  users: UserBag[];
  placeNames: ReadonlySet<string>;
  protocols: Protocol[];
  /** One line per filter: what was removed and why. */
  notes: string[];
  /**
   * Names the seeded streams of the split and the runs; the dataset's id when
   * absent. Own data sets it from the content (./own-data.ts), so renaming a
   * dataset does not change its split.
   */
  streamKey?: string;
  /** Set for a researcher's own data (DATA=…): the manifest it came from and what each filter removed. */
  own?: OwnDataInfo;
  /** The synthetic generator's kind of each word it planted (generated data only), for reading clusters. */
  wordKinds?: ReadonlyMap<string, string>;
}

/** The name of a dataset's seeded streams (see `streamKey`). */
export const streamKeyOf = (d: Pick<LocalWordsDataset, "id" | "streamKey">): string => d.streamKey ?? d.id;

/** The synthetic microblog users of lib/data/synthetic/microblog.ts (whose planted words are known), not own data marked synthetic. */
export const isGeneratedMicroblog = (d: Pick<LocalWordsDataset, "dataset" | "own">): boolean => d.dataset.synthetic && !d.own;

/** GeoText itself (published GeoText results apply to it only). */
export const isGeoText = (d: Pick<LocalWordsDataset, "dataset" | "own">): boolean =>
  !d.dataset.synthetic && !d.own && d.dataset.name.startsWith("geotext");

const VERSION = "localwords-datasets-v2";

/** One part of the users through the text steps, with what the report needs from it. */
export interface PreprocessedPart {
  users: Segmented[];
  tokens: number;
  stopTokens: number;
  tweets: number;
  before: string[];
  afterMerge: string[];
  entityCounts: [string, number][];
}

/** The text steps on some users (the default English stop words when `stopwords` is not given). */
export function preprocessPart(
  raw: readonly { id: string; tweets: readonly string[] }[],
  stopwords: ReadonlySet<string> = englishStopwords(),
): PreprocessedPart {
  const merger = new EntityMerger();
  const before = new Set<string>();
  const afterMerge = new Set<string>();
  const entityCounts = new Map<string, number>();
  let tokens = 0;
  let stopTokens = 0;
  let tweets = 0;
  const users = raw.map((u) => {
    const sentences = u.tweets.map((t) => {
      tweets++;
      const toks = merger.tokenize(t);
      const lower = t.toLowerCase();
      for (const w of toks) {
        afterMerge.add(w);
        // A token with "_" that the tweet does not spell out was made by the merge ("New York" → new_york).
        if (w.includes("_") && w[0] !== "#" && w[0] !== "@" && !lower.includes(w)) {
          entityCounts.set(w, (entityCounts.get(w) ?? 0) + 1);
          for (const part of w.split("_")) if (part) before.add(part);
        } else before.add(w);
      }
      tokens += toks.length;
      const kept: string[] = [];
      for (const w of toks) if (!stopwords.has(w)) kept.push(w);
      stopTokens += toks.length - kept.length;
      return kept;
    });
    return { id: u.id, label: "", sentences };
  });
  return { users, tokens, stopTokens, tweets, before: [...before], afterMerge: [...afterMerge], entityCounts: [...entityCounts] };
}

/** The helper-thread task of `preprocessTweetsAsync` (lib/runtime/pool.ts); the context is the stop list (null: the default). */
export const preprocessTask = (stopwords: readonly string[] | null, raw: { id: string; tweets: string[] }[]): PreprocessedPart =>
  preprocessPart(raw, stopwords ? new Set(stopwords) : undefined);

/** Parts in order → the users and the report (what preprocessTweets returns), each distinct word one string. */
function mergeParts(parts: readonly PreprocessedPart[], stopList: string): { users: Segmented[]; report: TextReport } {
  // One string per distinct word: 22M tokens at the papers' size were 22M strings for the garbage collector to walk.
  const interned = new Map<string, string>();
  const intern = (w: string): string => {
    const hit = interned.get(w);
    if (hit !== undefined) return hit;
    interned.set(w, w);
    return w;
  };
  const users: Segmented[] = [];
  const before = new Set<string>();
  const afterMerge = new Set<string>();
  const afterStop = new Set<string>();
  const entityCounts = new Map<string, number>();
  let tokens = 0;
  let stopTokens = 0;
  let tweets = 0;
  for (const p of parts) {
    for (const u of p.users) {
      for (const s of u.sentences)
        for (let i = 0; i < s.length; i++) {
          s[i] = intern(s[i]);
          afterStop.add(s[i]);
        }
      users.push(u);
    }
    for (const w of p.before) before.add(w);
    for (const w of p.afterMerge) afterMerge.add(w);
    for (const [w, c] of p.entityCounts) entityCounts.set(w, (entityCounts.get(w) ?? 0) + c);
    tokens += p.tokens;
    stopTokens += p.stopTokens;
    tweets += p.tweets;
  }
  const top = [...entityCounts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 12)
    .map(([entity, count]) => ({ entity, count }));
  let occurrences = 0;
  for (const c of entityCounts.values()) occurrences += c;
  return {
    users,
    report: {
      users: users.length,
      tweets,
      tokens,
      typesBeforeMerge: before.size,
      entities: { distinct: entityCounts.size, occurrences, top },
      typesAfterMerge: afterMerge.size,
      stopTokens,
      stopList,
      typesAfterStopwords: afterStop.size,
    },
  };
}

const stopListLabel = (stopwords: ReadonlySet<string>) =>
  `stopword's English list (${stopwords.size} words; the paper's 891-word list is not published)`;

/** The paper's "merge tweets" + entity merge + stop words, with the counts the notebook reports. */
export function preprocessTweets(
  raw: readonly { id: string; tweets: readonly string[] }[],
  stopwords: ReadonlySet<string> = englishStopwords(),
): { users: Segmented[]; report: TextReport } {
  return mergeParts([preprocessPart(raw, stopwords)], stopListLabel(stopwords));
}

/**
 * `preprocessTweets` on two threads when the process was given two cores (GEOREPRO_THREADS) (each half
 * of the users on one; the entity merge is a pure function of each tweet): the
 * same users and report.
 */
export async function preprocessTweetsAsync(
  raw: readonly { id: string; tweets: string[] }[],
  stopwords: ReadonlySet<string> = englishStopwords(),
): Promise<{ users: Segmented[]; report: TextReport }> {
  let total = 0;
  for (const u of raw) total += u.tweets.length;
  if (total < 20_000 || !helperWanted()) return preprocessTweets(raw, stopwords);
  let cut = 0;
  for (let acc = 0; cut < raw.length && acc * 2 < total; cut++) acc += raw[cut].tweets.length;
  const parts = await runTasks({
    module: __filename,
    fn: "preprocessTask",
    context: [...stopwords],
    tasks: [raw.slice(0, cut), raw.slice(cut)],
    helper: () => true,
  });
  return mergeParts(parts as PreprocessedPart[], stopListLabel(stopwords));
}

const bagsOf = (seg: readonly Segmented[], meta: ReadonlyMap<string, { coord?: LatLon; fold?: number }>): UserBag[] =>
  seg.map((s) => ({ ...toBag(s), ...meta.get(s.id) }));

/**
 * GeoText raw text, preprocessed as the paper does (cached: the entity merge costs ≈ 15 s).
 * `keepStopwords` skips the stop-word step (the paper's Sect. 3 claim that removing them
 * does not affect accuracy is tested on that variant: lib/studies/localwords/stopwords.ts).
 */
export async function geotextRawCorpus(
  raw: GeoTextRawCorpus,
  cacheDir: string,
  opts: { keepStopwords?: boolean } = {},
): Promise<TextCorpus> {
  const keep = opts.keepStopwords === true;
  const fingerprint = keyOf({ VERSION, checksums: raw.checksums, ...(keep ? { keepStopwords: true } : {}) });
  const id = keep ? "geotext-raw-stopwords-kept" : "geotext-raw";
  const pre = await cachedJson(cacheDir, "localwords-text", { fingerprint, corpus: id }, async () => {
    const t0 = Date.now();
    const r = await preprocessTweetsAsync(raw.users, keep ? new Set<string>() : undefined);
    if (keep) r.report.stopList = "none: stop words kept";
    log(id, `preprocessed ${r.report.tweets} tweets of ${r.report.users} users in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return r;
  });
  const meta = new Map(raw.users.map((u) => [u.id, { coord: { lat: u.lat, lon: u.lon }, fold: u.fold }]));
  return {
    id,
    fingerprint,
    hasText: true,
    users: bagsOf(pre.users, meta),
    report: pre.report,
    notes: [
      `Decoded as Latin-1 (the files are not UTF-8); ${raw.report.folds.map((f) => `fold ${f.fold}: ${f.users} users, ${f.tweets} tweets${f.emptyTweets ? ` (${f.emptyTweets} empty tweets dropped)` : ""}`).join("; ")}.`,
      raw.hasTrainFolds
        ? "The training folds 1–3 are present (user_info.train.gz): the official setting trains on folds 1–3 and tests on fold 5, like the published GeoText results."
        : "The training folds 1–3 are not in this copy (user_info.train.gz is optional; `make data` fetches it): the official setting trains on fold 4 and tests on fold 5.",
    ],
  };
}

/** GeoText's processed word counts (dev + test folds; no merge, no sentences). */
export function geotextBowCorpus(corpus: GeoTextCorpus): TextCorpus {
  const notes: string[] = [];
  const withCounts = corpus.users.filter((u) => u.words && u.counts && (u.fold === 4 || u.fold === 5));
  const missing = corpus.users.filter((u) => (u.fold === 4 || u.fold === 5) && !u.words);
  if (missing.length)
    notes.push(
      `${missing.length} dev/test user(s) without a word-count line (${missing.map((u) => u.id).join(", ")}) are not used (see the loader report).`,
    );
  notes.push(
    `${corpus.users.filter((u) => u.fold <= 3).length} training-fold users (folds 1–3) have no word counts in this copy (train.dat is absent): not used.`,
  );
  let markerTokens = 0;
  let tokens = 0;
  const bags: UserBag[] = withCounts.map((u) => {
    const counts = new Map<string, number>();
    u.words!.forEach((w, k) => {
      const word = corpus.vocab[w].word;
      tokens += u.counts![k];
      if (GEOTEXT_MARKERS.includes(word)) markerTokens += u.counts![k];
      else counts.set(word, u.counts![k]);
    });
    return { id: u.id, label: "", counts, coord: { lat: u.lat, lon: u.lon }, fold: u.fold };
  });
  const typesAfterMerge = new Set(bags.flatMap((b) => [...b.counts.keys()])).size;
  const sw = removeStopwordsFromBags(bags);
  return {
    id: "geotext-bow",
    fingerprint: keyOf({ VERSION, checksums: corpus.checksums }),
    hasText: false,
    users: sw.bags,
    report: {
      users: bags.length,
      tweets: null,
      tokens,
      typesBeforeMerge: null,
      entities: null,
      typesAfterMerge,
      stopTokens: sw.stopTokens,
      stopList: `stopword's English list (${englishStopwords().size} words)`,
      typesAfterStopwords: new Set(sw.bags.flatMap((b) => [...b.counts.keys()])).size,
      markerTokens,
    },
    notes: [
      ...notes,
      `${markerTokens} placeholder tokens (${GEOTEXT_MARKERS.join(", ")}) removed: GeoText's tokeniser markers, not words. Already tokenised bag-of-words with a ${corpus.vocab.length}-word vocabulary: no entity merge, no sentences.`,
    ],
  };
}

export const GEOTEXT_MARKERS = ["-PUNCT-", "-OOV-", "-NUM-"];

/**
 * State (point in polygon) or nearest-city (≥ 100k inhabitants) labels for a
 * corpus with coordinates. Users outside every state are removed at state
 * level, and cities with fewer than `minUsersPerCity` users at city level (the
 * paper drops cities with < 100 users; GeoText has far fewer users); both counted.
 */
export function labelledGeoDataset(
  c: TextCorpus,
  level: "state" | "city",
  base: DatasetRef,
  title: string,
  opts: { minUsersPerCity?: number; protocols: Protocol[] },
): LocalWordsDataset {
  const coords = c.users.map((u) => {
    if (!u.coord) throw new Error(`localwords: ${c.id}: user ${u.id} has no coordinates (geographic labels need them)`);
    return u.coord;
  });
  const { labels } = labelPoints(coords);
  const notes = [...c.notes];
  let rows = c.users.map((u, i) => ({ u, l: labels[i] as GeoLabel }));
  if (level === "state") {
    const inState = rows.filter((x) => x.l.state !== null);
    notes.push(`${rows.length - inState.length} users outside every US state polygon removed (state labels need a state).`);
    rows = inState;
  }
  const labelOf = (x: (typeof rows)[number]) => (level === "state" ? x.l.state! : `${x.l.city.name}, ${x.l.city.state}`);
  const minUsers = level === "city" ? (opts.minUsersPerCity ?? 20) : 1;
  const f = minUsersPerLocation(rows, labelOf, minUsers);
  if (f.removedUsers)
    notes.push(
      `${f.removedUsers} users in ${f.removedLocations.length} cities with < ${minUsers} users removed (the paper drops cities with < 100 users; GeoText has far fewer users).`,
    );
  const users = f.kept.map((x) => ({ ...x.u, label: labelOf(x) }));
  return {
    id: `${c.id}-${level}`,
    title,
    dataset: {
      ...base,
      name: `${c.id}-${level}`,
      description: `${base.description} — ${users.length} users; labels = ${level === "state" ? "US state (point in polygon)" : "nearest US city ≥ 100k inhabitants"}`,
    },
    level,
    corpus: c,
    users,
    placeNames: usPlaceNames(),
    protocols: opts.protocols,
    notes,
  };
}

/** Synthetic microblog users at one level (SYNTHETIC). `scale` is a named scale or a custom size (tests). */
export function syntheticCorpus(seed: number, scale: Scale | MicroblogScaleSpec): SyntheticCorpus {
  const g = generateMicroblog(seed, scale);
  return syntheticCorpusOf(g, preprocessTweets(g.users), seed, scale);
}

/** `syntheticCorpus` with the text steps on two threads when the process was given two cores (GEOREPRO_THREADS) (the same corpus). */
export async function syntheticCorpusAsync(seed: number, scale: Scale | MicroblogScaleSpec): Promise<SyntheticCorpus> {
  const g = generateMicroblog(seed, scale);
  return syntheticCorpusOf(g, await preprocessTweetsAsync(g.users), seed, scale);
}

export interface SyntheticCorpus {
  corpus: TextCorpus;
  labels: { state: string[]; city: string[] };
  placeNames: Set<string>;
  spec: string;
  planted: SyntheticMicroblog["planted"];
}

function syntheticCorpusOf(
  g: SyntheticMicroblog,
  pre: { users: Segmented[]; report: TextReport },
  seed: number,
  scale: Scale | MicroblogScaleSpec,
): SyntheticCorpus {
  const meta = new Map(g.users.map((u) => [u.id, { coord: u.coord }]));
  const spec = typeof scale === "string" ? scale : `custom ${JSON.stringify(scale)}`;
  return {
    corpus: {
      id: "synthetic-microblog",
      fingerprint: keyOf({ VERSION, seed, scale }),
      hasText: true,
      users: bagsOf(pre.users, meta),
      report: pre.report,
      notes: [],
    },
    labels: { state: g.users.map((u) => u.state), city: g.users.map((u) => u.city) },
    placeNames: new Set([...g.cities.map((c) => c.name), ...g.states.map((s) => s.name)].map((s) => s.toLowerCase().replace(/ /g, "_"))),
    spec: `${g.users.length} generated users in ${g.cities.length} cities / ${g.states.length} states (seed ${seed}, scale ${spec})`,
    planted: g.planted,
  };
}

export function syntheticDataset(s: SyntheticCorpus, level: "state" | "city"): LocalWordsDataset {
  const users = s.corpus.users.map((u, i) => ({ ...u, label: s.labels[level][i] }));
  return {
    id: `synthetic-${level}`,
    title: `synthetic users (${level})`,
    dataset: { name: `synthetic-microblog-${level}`, synthetic: true, description: `${s.spec}; labels = ${level}` },
    level,
    corpus: s.corpus,
    users,
    placeNames: s.placeNames,
    protocols: [PAPER_SPLIT],
    notes: [],
    wordKinds: plantedKinds(s.planted),
  };
}

/** Word → planted kind of the synthetic generator (what each word was made to be). */
export function plantedKinds(p: SyntheticMicroblog["planted"]): Map<string, string> {
  const out = new Map<string, string>();
  const add = (kind: string, words: Iterable<string>) => {
    for (const w of words) if (!out.has(w)) out.set(w, kind);
  };
  add("local", [...p.cityLocal, ...p.stateLocal]);
  add("regional", p.regional);
  add("community", p.community.flat());
  add("trending", p.trending.flat());
  add("personal", p.personal);
  add("common", p.common);
  return out;
}

/** Training and test users of one dataset under one protocol; `seed` draws the 80/20 split (the official folds do not depend on it). */
export function splitUsers(
  d: Pick<LocalWordsDataset, "id" | "streamKey" | "users" | "level">,
  protocol: Protocol,
  seed: number,
): { train: UserBag[]; test: UserBag[]; note: string | null } {
  const sp = splitRows(d, protocol, seed);
  return { train: Array.from(sp.train, (i) => d.users[i]), test: Array.from(sp.test, (i) => d.users[i]), note: sp.note };
}

/** `splitUsers` as indices into d.users (ascending), for the dataset's users index (lib/localwords/corpus.ts `indexUsers`). */
export function splitRows(
  d: Pick<LocalWordsDataset, "id" | "streamKey" | "users" | "level">,
  protocol: Protocol,
  seed: number,
): { train: Int32Array; test: Int32Array; note: string | null } {
  if (protocol.kind === "split") {
    const sp = splitPerLocation(
      d.users.map((u) => u.label),
      stream(seed, `localwords/${streamKeyOf(d)}/split`),
      protocol.testFraction,
    );
    return { train: Int32Array.from(sp.train), test: Int32Array.from(sp.test), note: null };
  }
  const trainFolds = protocol.trainFolds ?? [protocol.trainFold];
  const rows = (inFold: (fold: number) => boolean) => d.users.flatMap((u, i) => (u.fold !== undefined && inFold(u.fold) ? [i] : []));
  const train = rows((f) => trainFolds.includes(f));
  const seen = new Set(train.map((i) => d.users[i].label));
  const inTest = rows((f) => f === protocol.testFold);
  const test = inTest.filter((i) => seen.has(d.users[i].label));
  if (train.length === 0 || inTest.length === 0)
    throw new Error(
      `localwords: ${d.id}: no users in fold ${train.length === 0 ? trainFoldsLabel(protocol) : protocol.testFold} (the official protocol needs both folds)`,
    );
  const dropped = inTest.length - test.length;
  return {
    train: Int32Array.from(train),
    test: Int32Array.from(test),
    note: dropped
      ? `${dropped} test users whose ${d.level} has no training user in fold ${trainFoldsLabel(protocol)} removed (no classifier can predict an unseen label).`
      : null,
  };
}

export const protocolId = (p: Protocol): string => (p.kind === "official" ? "official" : "split");
