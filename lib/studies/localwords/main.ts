/**
 * The main local-words study (the paper's Sect. 4.3 and issue 16): every
 * setting (dataset × protocol) over the seeds of `splitSeedList`, every system
 * scored on the same test users.
 *
 * Per setting and seed: a training/test split (the seed draws a new 80/20
 * split; GeoText's official folds are fixed and the seed varies k-means,
 * cross-validation folds and the control's partition), N1 = 3, N2 by the
 * paper's largest-drop rule, k by the elbow rule on the first seed (then held
 * fixed for that setting, as the paper fixes k per dataset), the wrapper, and
 * the systems of lib/localwords/pipeline.ts. Word vectors are trained once per
 * text corpus on all its users' text (no labels; lib/localwords/vectors.ts).
 *
 * The result is a declared, cached artifact (`.cache/localwords-main/…`), keyed
 * by the data fingerprints, the parameters and a fingerprint of the compiled
 * code: notebook 07 computes it, notebook 08 (declared after 07) reads it.
 */
import { cachedJson } from "../../runtime/cache";
import { codeFingerprint, keyOf } from "../../runtime/hash";
import { stream } from "../../runtime/rng";
import { progress } from "../../runtime/progress";
import type { Word2VecOptions, WordVectors } from "../../localwords/word2vec";
import { corpusWordVectors } from "../../localwords/vectors";
import { runLocalWords, SYSTEMS, LocalWordsRun } from "../../localwords/pipeline";
import { splitUsers, streamKeyOf, protocolId, Protocol, TextReport, LabelLevel, LocalWordsDataset } from "../../localwords/datasets";
import { labelCentres } from "../../metrics/distance";
import { buildCorpus, type UserBag } from "../../localwords/corpus";
import { fitNb, maskOf, predictNb } from "../../localwords/naive-bayes";
import { majorityClass } from "../../stats/floors";
import type { LocalWordsData, LocalWordsSetting } from "./data";
import { splitSeedList, type Params } from "../../runtime/params";
import { scaleSettings } from "../../localwords/settings";

export const MAIN_VERSION = "localwords-main-v1";

export interface SystemOutcome {
  label: string;
  /** NB reading, or "none" for a chance floor. */
  reading: string;
  /** Words used. */
  features: number;
  predicted: number[];
}

export interface TestSetRun {
  /** "seed 3" (official folds) or "split 3" (80/20). */
  testSet: string;
  seed: number;
  /** Test user ids: seeds on the same fold, or splits that share users, resample each user once (lib/stats/item-bootstrap.ts). */
  ids: string[];
  labels: string[];
  truth: number[];
  /** Test users' coordinates [lat, lon] and each label's centre (median of its training users), for km errors. */
  coords: [number, number][];
  centres: ([number, number] | null)[];
  systems: SystemOutcome[];
  /**
   * Official folds: the test fold's users the classification protocol does not score (outside every
   * state, or whose location has no training user or too few users), with the predictions of the
   * systems set beside published GeoText results — so that those are compared on every fold-5 user
   * (lib/studies/localwords/tables.ts publishedTable). Null for 80/20 splits.
   */
  unscored: UnscoredUsers | null;
  diag: {
    trainUsers: number;
    testUsers: number;
    k: number;
    threshold: number;
    wordCounts: LocalWordsRun["wordCounts"];
    wrapper: { fullError: number; error: number; kept: number; rounds: number };
    control: { fullError: number; error: number; kept: number } | null;
    tuning: { chosen: number; grid: number[]; errors: number[]; counts: number[] } | null;
  };
}

export interface UnscoredUsers {
  ids: string[];
  coords: [number, number][];
  /** Predicted label (index into `labels`) per user, for the systems of PUBLISHED_SYSTEMS. */
  systems: { label: string; predicted: number[] }[];
}

/** The systems whose predictions on unscored users are kept (those the published-results table shows). */
export const PUBLISHED_SYSTEMS = [SYSTEMS.proposed, SYSTEMS.nbIgr, SYSTEMS.nbIgrTuned, SYSTEMS.majority] as const;

/**
 * Predictions for users outside the scored test set (no usable label), from the models the run chose:
 * Naive Bayes over the proposed method's local words, over NB+IGR's words and over the CV-tuned words,
 * and the majority class. Their label is never read (they are indexed with a placeholder label).
 */
function predictUnscored(r: LocalWordsRun, users: readonly UserBag[]): UnscoredUsers | null {
  const withCoord = users.filter((u) => u.coord);
  if (withCoord.length === 0) return null;
  const V = r.train.vocab.length;
  const L = r.labels.length;
  const index = new Map(r.train.vocab.map((w, i) => [w, i]));
  const docs = buildCorpus(
    withCoord.map((u) => ({ ...u, label: r.labels[0] })),
    { vocab: r.train.vocab, labels: r.labels },
  ).docs;
  const nb = (ids: readonly number[]) =>
    Array.from(predictNb(fitNb(r.train.docs, L, V, { reading: "user-words", features: maskOf(V, ids) }), docs));
  const ofWords = (words: readonly string[]) => words.map((w) => index.get(w)!).filter((i) => i !== undefined);
  const majority = majorityClass(r.trainY);
  const systems = [
    { label: SYSTEMS.proposed, predicted: nb(ofWords(r.localWords)) },
    { label: SYSTEMS.nbIgr, predicted: nb(ofWords(r.selectedWords)) },
    ...(r.tuning ? [{ label: SYSTEMS.nbIgrTuned, predicted: nb(r.tuning.selected) }] : []),
    { label: SYSTEMS.majority, predicted: withCoord.map(() => majority) },
  ];
  return { ids: withCoord.map((u) => u.id), coords: withCoord.map((u) => [u.coord!.lat, u.coord!.lon]), systems };
}

export interface ClusterSummary {
  cluster: number;
  size: number;
  /** Round in which the wrapper removed it (0 = kept). */
  removedInRound: number;
  top: string[];
  /** Synthetic data: how many of its words are of each planted kind. */
  kinds: Record<string, number> | null;
}

export interface SettingRun {
  id: string;
  label: string;
  datasetId: string;
  title: string;
  level: LabelLevel;
  corpus: string;
  data: { name: string; synthetic: boolean; description: string };
  protocol: Protocol;
  /** The manifest of a researcher's own data (DATA=…), or null. */
  own: string | null;
  notes: string[];
  textReport: TextReport;
  /** The elbow of the first seed (which fixes k for the setting). */
  elbow: { ks: number[]; sse: number[]; score: number[]; k: number };
  /** The first seed's clusters and the wrapper's path. */
  clusters: ClusterSummary[];
  wrapperPath: { removed: number | null; error: number; clustersLeft: number }[];
  /** The first seed's threshold sweep behind the largest-drop rule. */
  thresholdSweep: { thresholds: number[]; counts: number[]; chosen: number } | null;
  testSets: TestSetRun[];
}

export interface MainStudy {
  version: string;
  seeds: number[];
  w2v: Word2VecOptions;
  vectors: { corpus: string; words: number; dim: number }[];
  settings: SettingRun[];
}

export interface MainStudyOptions {
  seeds: number[];
  w2v: Word2VecOptions;
  kGrid: number[];
  cacheDir: string;
  /** Seeds word2vec (once per corpus). */
  rootSeed: number;
  n1?: number;
  /** Settings that also run the multinomial pair (the scikit-learn reference); default: the headline (raw text, official folds). */
  multinomial?: (settingId: string) => boolean;
}

/** The name of a setting's run streams: the dataset's stream key (content-keyed for own data) and the protocol. */
export const runStreamName = (d: Pick<LocalWordsDataset, "id" | "streamKey">, p: Protocol): string =>
  `localwords/${streamKeyOf(d)}-${protocolId(p)}/run`;

export const testSetName = (p: Protocol, i: number): string => `${p.kind === "official" ? "seed" : "split"} ${i + 1}`;

function clusterSummaries(r: LocalWordsRun, kinds: ReadonlyMap<string, string> | undefined): ClusterSummary[] {
  return r.clusters.map((words, c) => {
    const round = r.wrapper.removed.indexOf(c);
    let k: Record<string, number> | null = null;
    if (kinds) {
      k = {};
      for (const w of words) {
        const kind = kinds.get(w) ?? "other";
        k[kind] = (k[kind] ?? 0) + 1;
      }
    }
    return { cluster: c, size: words.length, removedInRound: round + 1, top: words.slice(0, 12), kinds: k };
  });
}

function testSetRun(
  setting: LocalWordsSetting,
  i: number,
  seed: number,
  r: LocalWordsRun,
  train: { coord?: { lat: number; lon: number } }[],
  unscored: readonly UserBag[],
): TestSetRun {
  const centres = labelCentres(
    train.map((u) => u.coord),
    r.trainY,
    r.labels.length,
  );
  return {
    testSet: testSetName(setting.protocol, i),
    seed,
    ids: r.test.docs.map((d) => d.id),
    labels: r.labels,
    truth: Array.from(r.test.docs, (d) => d.y),
    coords: r.test.docs.map((d) => (d.coord ? [d.coord.lat, d.coord.lon] : [NaN, NaN])),
    centres: centres.map((c) => (c ? [c.lat, c.lon] : null)),
    systems: r.systems.map((s) => ({ label: s.label, reading: s.reading, features: s.features, predicted: Array.from(s.predictions) })),
    unscored: setting.protocol.kind === "official" ? predictUnscored(r, unscored) : null,
    diag: {
      trainUsers: r.train.docs.length,
      testUsers: r.test.docs.length,
      k: r.k,
      threshold: r.threshold.value,
      wordCounts: r.wordCounts,
      wrapper: {
        fullError: r.wrapper.fullError,
        error: r.wrapper.error,
        kept: r.wrapper.selected.length,
        rounds: r.wrapper.removed.length,
      },
      control: r.controlWrapper
        ? { fullError: r.controlWrapper.fullError, error: r.controlWrapper.error, kept: r.controlWrapper.selected.length }
        : null,
      tuning: r.tuning ? { chosen: r.tuning.chosen, grid: r.tuning.grid, errors: r.tuning.errors, counts: r.tuning.counts } : null,
    },
  };
}

/** Run (or read from the cache) the main study. */
export async function localWordsMainStudy(settings: readonly LocalWordsSetting[], o: MainStudyOptions): Promise<MainStudy> {
  const n1 = o.n1 ?? 3;
  const multinomial = o.multinomial ?? ((id: string) => id.startsWith("geotext-raw-") && id.endsWith("-official"));
  const key = {
    MAIN_VERSION,
    code: codeFingerprint(["localwords", "studies/localwords/main.js", "stats/floors.js", "metrics", "geo", "runtime/rng.js"]),
    seeds: o.seeds,
    rootSeed: o.rootSeed,
    w2v: { ...o.w2v, onEpoch: undefined },
    kGrid: o.kGrid,
    n1,
    settings: settings.map((s) => ({
      id: s.id,
      stream: runStreamName(s.dataset, s.protocol),
      corpus: s.dataset.corpus.fingerprint,
      users: keyOf(s.dataset.users.map((u) => [u.id, u.label])),
      protocol: s.protocol,
      multinomial: multinomial(s.id),
      kinds: s.dataset.wordKinds ? keyOf([...s.dataset.wordKinds]) : null,
    })),
  };
  return cachedJson(o.cacheDir, "localwords-main", key, async () => {
    const vectors = new Map<string, WordVectors>();
    for (const s of settings) {
      const c = s.dataset.corpus;
      if (!vectors.has(c.id)) vectors.set(c.id, await corpusWordVectors(c, o.rootSeed, o.w2v, o.cacheDir, n1));
    }
    const prog = progress("local words: main runs", settings.length * o.seeds.length, { every: 5 });
    const runs: SettingRun[] = [];
    for (const s of settings) {
      const d = s.dataset;
      let first: LocalWordsRun | null = null;
      let k: number | "elbow" = "elbow";
      const testSets: TestSetRun[] = [];
      let splitNote: string | null = null;
      for (const [i, seed] of o.seeds.entries()) {
        const t0 = Date.now();
        const sp = splitUsers(d, s.protocol, seed);
        splitNote = sp.note;
        const r = runLocalWords(
          sp.train,
          sp.test,
          vectors.get(d.corpus.id)!,
          {
            n1,
            threshold: "largest-drop",
            k,
            kGrid: o.kGrid,
            reading: "user-words",
            placeNames: d.placeNames,
            systems: { multinomial: multinomial(s.id) },
            progressLabel: null,
          },
          stream(seed, runStreamName(d, s.protocol)),
        );
        if (!first) {
          first = r;
          k = r.k;
        }
        const scored = new Set(sp.test.map((u) => u.id));
        const testFold = s.protocol.kind === "official" ? s.protocol.testFold : -1;
        const unscored = d.corpus.users.filter((u) => u.fold === testFold && !scored.has(u.id));
        testSets.push(testSetRun(s, i, seed, r, sp.train, unscored));
        const acc = (label: string) => {
          const p = r.systems.find((x) => x.label === label)!.predictions;
          let hit = 0;
          r.test.docs.forEach((doc, j) => (hit += doc.y === p[j] ? 1 : 0));
          return (hit / p.length).toFixed(3);
        };
        // One line per setting's first seed (its elbow), the rest every 5 runs.
        prog.tick(
          i > 0
            ? undefined
            : `${s.id} ${testSetName(s.protocol, i)}: k=${r.k} N2=${r.threshold.value} wrapper kept ${r.wrapper.selected.length}/${r.k} clusters (CV error ${r.wrapper.fullError.toFixed(3)} → ${r.wrapper.error.toFixed(3)}); acc proposed ${acc(SYSTEMS.proposed)}, NB+IGR ${acc(SYSTEMS.nbIgr)}; ${((Date.now() - t0) / 1000).toFixed(1)}s`,
        );
      }
      const f = first!;
      runs.push({
        id: s.id,
        label: s.label,
        datasetId: d.id,
        title: d.title,
        level: d.level,
        corpus: d.corpus.id,
        data: { name: d.dataset.name, synthetic: d.dataset.synthetic, description: d.dataset.description },
        protocol: s.protocol,
        own: d.own?.manifest ?? null,
        notes: [...d.notes, ...(splitNote ? [splitNote] : [])],
        textReport: d.corpus.report,
        elbow: { ks: f.elbow!.ks, sse: f.elbow!.sse, score: f.elbow!.score, k: f.elbow!.k },
        clusters: clusterSummaries(f, d.wordKinds),
        wrapperPath: f.wrapper.steps.map((st) => ({ removed: st.removed, error: st.error, clustersLeft: st.subset.length })),
        thresholdSweep: f.threshold.sweep
          ? { thresholds: f.threshold.sweep.thresholds, counts: f.threshold.sweep.counts, chosen: f.threshold.sweep.chosen }
          : null,
        testSets,
      });
    }
    prog.done();
    return {
      version: MAIN_VERSION,
      seeds: o.seeds,
      w2v: { ...o.w2v, onEpoch: undefined },
      vectors: [...vectors.entries()].map(([corpus, v]) => ({ corpus, words: v.words.length, dim: v.dim })),
      settings: runs,
    };
  });
}

/**
 * The main study with the options both notebooks use (07 computes it, 08 reads
 * it): the cache key is the same only if every option is.
 */
export function mainStudyFor(
  params: Pick<Params, "seed" | "seeds" | "splits" | "scale" | "cacheDir">,
  data: Pick<LocalWordsData, "settings">,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MainStudy> {
  const s = scaleSettings(params.scale, env);
  return localWordsMainStudy(data.settings, {
    seeds: splitSeedList(params as Params),
    w2v: s.w2v,
    kGrid: s.kGrid,
    cacheDir: params.cacheDir,
    rootSeed: params.seed,
  });
}
