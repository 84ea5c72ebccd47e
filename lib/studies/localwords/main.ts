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
import { progress } from "../../runtime/progress";
import type { Word2VecOptions, WordVectors } from "../../localwords/word2vec";
import { corpusWordVectors } from "../../localwords/vectors";
import { SYSTEMS, LocalWordsRun } from "../../localwords/pipeline";
import { splitRows, streamKeyOf, protocolId, Protocol, TextReport, LabelLevel, LocalWordsDataset } from "../../localwords/datasets";
import type { UserBag } from "../../localwords/corpus";
import { runsContext, runLocalWordsTasks, type MainTask, type RunOutcome, type UnscoredUsers } from "./runs";
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

export { PUBLISHED_SYSTEMS, type UnscoredUsers } from "./runs";

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

function testSetRun(setting: LocalWordsSetting, i: number, seed: number, r: RunOutcome): TestSetRun {
  return {
    testSet: testSetName(setting.protocol, i),
    seed,
    ids: r.ids,
    labels: r.labels,
    truth: r.truth,
    coords: r.coords,
    centres: r.centres,
    systems: r.systems,
    unscored: setting.protocol.kind === "official" ? r.unscored : null,
    diag: {
      trainUsers: r.trainUsers,
      testUsers: r.testUsers,
      k: r.k,
      threshold: r.threshold,
      wordCounts: r.wordCounts,
      wrapper: r.wrapper,
      control: r.control,
      tuning: r.tuning,
    },
  };
}

/** Run (or read from the cache) the main study. */
export async function localWordsMainStudy(settings: readonly LocalWordsSetting[], o: MainStudyOptions): Promise<MainStudy> {
  const n1 = o.n1 ?? 3;
  const multinomial = o.multinomial ?? ((id: string) => id.startsWith("geotext-raw-") && id.endsWith("-official"));
  const key = {
    MAIN_VERSION,
    code: codeFingerprint([
      "localwords",
      "studies/localwords/main.js",
      "studies/localwords/runs.js",
      "stats/floors.js",
      "metrics",
      "geo",
      "runtime/rng.js",
    ]),
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
    const ctx = runsContext(
      settings.map((s) => s.dataset),
      vectors,
    );
    const prog = progress("local words: main runs", settings.length * o.seeds.length, { every: 5 });
    const splits = settings.map((s) => o.seeds.map((seed) => splitRows(s.dataset, s.protocol, seed)));
    // Official folds: the test fold's users of the corpus that the split does not score (outside every
    // state, or whose location has no training user or too few users), predicted for the published-results table.
    const unscoredOf = (si: number, i: number): UserBag[] | null => {
      const { dataset: d, protocol } = settings[si];
      if (protocol.kind !== "official") return null;
      const scored = new Set(Array.from(splits[si][i].test, (row) => d.users[row].id));
      return d.corpus.users.filter((u) => u.fold === protocol.testFold && !scored.has(u.id));
    };
    const task = (si: number, i: number, k: number | "elbow"): MainTask => {
      const s = settings[si];
      const d = s.dataset;
      return {
        kind: "main",
        dataset: d.id,
        corpus: d.corpus.id,
        protocol: s.protocol,
        testSet: testSetName(s.protocol, i),
        seed: o.seeds[i],
        train: splits[si][i].train,
        test: splits[si][i].test,
        unscored: unscoredOf(si, i),
        cfg: {
          n1,
          threshold: "largest-drop",
          k,
          kGrid: o.kGrid,
          reading: "user-words",
          systems: { multinomial: multinomial(s.id) },
          progressLabel: null,
        },
        stream: runStreamName(d, s.protocol),
        first: i === 0,
      };
    };
    const t0 = Date.now();
    const acc = (out: RunOutcome, label: string) => {
      const p = out.systems.find((x) => x.label === label)!.predicted;
      return (p.filter((y, j) => y === out.truth[j]).length / p.length).toFixed(3);
    };
    // The first seed of every setting fixes its k by the elbow; then every other seed, k held.
    const firsts = await runLocalWordsTasks(
      ctx,
      settings.map((_, si) => task(si, 0, "elbow")),
      (si, r) =>
        prog.tick(
          `${settings[si].id} ${testSetName(settings[si].protocol, 0)}: k=${r.outcome.k} N2=${r.outcome.threshold} wrapper kept ${r.outcome.wrapper.kept}/${r.outcome.k} clusters (CV error ${r.outcome.wrapper.fullError.toFixed(3)} → ${r.outcome.wrapper.error.toFixed(3)}); acc proposed ${acc(r.outcome, SYSTEMS.proposed)}, NB+IGR ${acc(r.outcome, SYSTEMS.nbIgr)}; ${((Date.now() - t0) / 1000).toFixed(1)}s`,
        ),
    );
    const rest = settings.flatMap((_, si) => o.seeds.slice(1).map((__, j) => task(si, j + 1, firsts[si].outcome.k)));
    const later = await runLocalWordsTasks(ctx, rest, () => prog.tick());
    prog.done();
    const runs: SettingRun[] = settings.map((s, si) => {
      const d = s.dataset;
      const f = firsts[si].first!;
      const outcomes = [
        firsts[si].outcome,
        ...later.slice(si * (o.seeds.length - 1), (si + 1) * (o.seeds.length - 1)).map((r) => r.outcome),
      ];
      const splitNote = splits[si][o.seeds.length - 1].note;
      return {
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
        elbow: f.elbow,
        clusters: f.clusters,
        wrapperPath: f.wrapperPath,
        thresholdSweep: f.thresholdSweep,
        testSets: outcomes.map((out, i) => testSetRun(s, i, o.seeds[i], out)),
      };
    });
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
