/**
 * The runs of the local-words studies as independent tasks (one split and
 * seed of one setting; one seed's N1/N2 sweep points), run on this thread and,
 * when the process was given two cores (GEOREPRO_THREADS), on a helper thread beside it
 * (lib/runtime/pool.ts). A task reads only its arguments and the shared
 * context — every dataset's users index (built once, on SharedArrayBuffers)
 * and word vectors — and draws from its own named streams, so the results do
 * not depend on which thread ran it, or on how many threads there were.
 */
import type { Protocol } from "../../localwords/datasets";
import { buildCorpus, indexUsers, relabelUsers, splitCorpora, type UserBag, type UsersIndex } from "../../localwords/corpus";
import { runLocalWordsOn, SYSTEMS, type LocalWordsConfig, type LocalWordsRun } from "../../localwords/pipeline";
import { fitNb, maskOf, predictNb } from "../../localwords/naive-bayes";
import { majorityClass } from "../../stats/floors";
import type { WordVectors } from "../../localwords/word2vec";
import type { LocalWordsDataset } from "../../localwords/datasets";
import { labelCentres } from "../../metrics/distance";
import { stream } from "../../runtime/rng";
import { runTasks } from "../../runtime/pool";
import { helperWanted } from "../../runtime/slots";

export interface RunsContext {
  datasets: Record<string, { index: UsersIndex; placeNames: string[]; kinds: [string, string][] | null }>;
  /** Word vectors by corpus id (their Float32Array on a SharedArrayBuffer). */
  vectors: Record<string, WordVectors>;
}

const indexMemo = new WeakMap<LocalWordsDataset, UsersIndex>();
/** Per corpus, the last index built and the bags it was built from (a corpus's levels share their users). */
const corpusMemo = new WeakMap<object, { bags: readonly UserBag["counts"][]; index: UsersIndex }>();

/**
 * The dataset's users index, built once per process (shared memory, for the
 * worker threads); a dataset with the same users as one already indexed (the
 * synthetic users at state and at city level) reuses its words and counts.
 */
export function datasetIndex(d: LocalWordsDataset): UsersIndex {
  let ix = indexMemo.get(d);
  if (ix) return ix;
  const prev = corpusMemo.get(d.corpus);
  if (prev && prev.bags.length === d.users.length && d.users.every((u, i) => u.counts === prev.bags[i]))
    ix = relabelUsers(prev.index, d.users, { shared: true });
  else {
    ix = indexUsers(d.users, { shared: true });
    corpusMemo.set(d.corpus, { bags: d.users.map((u) => u.counts), index: ix });
  }
  indexMemo.set(d, ix);
  return ix;
}

function sharedVectors(v: WordVectors): WordVectors {
  if (v.vectors.buffer instanceof SharedArrayBuffer) return v;
  const out = new Float32Array(new SharedArrayBuffer(v.vectors.byteLength));
  out.set(v.vectors);
  return { words: v.words, dim: v.dim, vectors: out };
}

export function runsContext(datasets: readonly LocalWordsDataset[], vectors: ReadonlyMap<string, WordVectors>): RunsContext {
  const ctx: RunsContext = { datasets: {}, vectors: {} };
  for (const d of datasets) {
    ctx.datasets[d.id] ??= {
      index: datasetIndex(d),
      placeNames: [...d.placeNames],
      kinds: d.wordKinds ? [...d.wordKinds] : null,
    };
    const v = vectors.get(d.corpus.id);
    if (!v) throw new Error(`localwords runs: no word vectors for corpus ${d.corpus.id}`);
    ctx.vectors[d.corpus.id] ??= sharedVectors(v);
  }
  return ctx;
}

/** One split and seed of a setting (the main study). */
export interface MainTask {
  kind: "main";
  dataset: string;
  corpus: string;
  protocol: Protocol;
  /** "seed 3" / "split 3". */
  testSet: string;
  seed: number;
  train: Int32Array;
  test: Int32Array;
  /** Official folds: the test fold's users the split does not score, predicted for the published-results table (null: 80/20). */
  unscored: UserBag[] | null;
  cfg: Omit<LocalWordsConfig, "placeNames">;
  /** The run's stream name (its seed is `seed`). */
  stream: string;
  /** The first seed also returns the elbow, the clusters and the wrapper's path. */
  first: boolean;
}

/** One seed's N1/N2 sweep points (Fig. 6), k held. */
export interface SweepTask {
  kind: "sweep";
  dataset: string;
  corpus: string;
  seed: number;
  train: Int32Array;
  test: Int32Array;
  k: number;
  points: { n1: number; n2: number }[];
  stream: string;
}

export interface RunOutcome {
  /** Test user ids (in test order). */
  ids: string[];
  labels: string[];
  truth: number[];
  /** Test users' coordinates [lat, lon] and each label's centre (median of its training users). */
  coords: [number, number][];
  centres: ([number, number] | null)[];
  systems: { label: string; reading: string; features: number; predicted: number[] }[];
  k: number;
  threshold: number;
  trainUsers: number;
  testUsers: number;
  wordCounts: LocalWordsRun["wordCounts"];
  wrapper: { fullError: number; error: number; kept: number; rounds: number };
  control: { fullError: number; error: number; kept: number } | null;
  tuning: { chosen: number; grid: number[]; errors: number[]; counts: number[] } | null;
  /** The MainTask's unscored users with the published systems' predictions (null: none with coordinates, or an 80/20 split). */
  unscored: UnscoredUsers | null;
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

export interface FirstSeedExtras {
  elbow: { ks: number[]; sse: number[]; score: number[]; k: number };
  clusters: { cluster: number; size: number; removedInRound: number; top: string[]; kinds: Record<string, number> | null }[];
  wrapperPath: { removed: number | null; error: number; clustersLeft: number }[];
  thresholdSweep: { thresholds: number[]; counts: number[]; chosen: number } | null;
}

export type MainResult = { outcome: RunOutcome; first: FirstSeedExtras | null };
export type SweepResult = { truth: number[]; predicted: number[]; local: number }[];

function outcomeOf(r: LocalWordsRun, ix: UsersIndex, train: Int32Array, unscored: readonly UserBag[] | null): RunOutcome {
  const centres = labelCentres(
    Array.from(train, (row) => (Number.isNaN(ix.lat[row]) ? undefined : { lat: ix.lat[row], lon: ix.lon[row] })),
    r.trainY,
    r.labels.length,
  );
  return {
    ids: r.test.docs.map((d) => d.id),
    labels: r.labels,
    truth: Array.from(r.test.docs, (d) => d.y),
    coords: r.test.docs.map((d) => (d.coord ? [d.coord.lat, d.coord.lon] : [NaN, NaN])),
    centres: centres.map((c) => (c ? [c.lat, c.lon] : null)),
    systems: r.systems.map((s) => ({ label: s.label, reading: s.reading, features: s.features, predicted: Array.from(s.predictions) })),
    k: r.k,
    threshold: r.threshold.value,
    trainUsers: r.train.docs.length,
    testUsers: r.test.docs.length,
    wordCounts: r.wordCounts,
    wrapper: { fullError: r.wrapper.fullError, error: r.wrapper.error, kept: r.wrapper.selected.length, rounds: r.wrapper.removed.length },
    control: r.controlWrapper
      ? { fullError: r.controlWrapper.fullError, error: r.controlWrapper.error, kept: r.controlWrapper.selected.length }
      : null,
    tuning: r.tuning ? { chosen: r.tuning.chosen, grid: r.tuning.grid, errors: r.tuning.errors, counts: r.tuning.counts } : null,
    unscored: unscored ? predictUnscored(r, unscored) : null,
  };
}

function firstExtras(r: LocalWordsRun, kinds: ReadonlyMap<string, string> | null): FirstSeedExtras {
  return {
    elbow: { ks: r.elbow!.ks, sse: r.elbow!.sse, score: r.elbow!.score, k: r.elbow!.k },
    clusters: r.clusters.map((words, c) => {
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
    }),
    wrapperPath: r.wrapper.steps.map((st) => ({ removed: st.removed, error: st.error, clustersLeft: st.subset.length })),
    thresholdSweep: r.threshold.sweep
      ? { thresholds: r.threshold.sweep.thresholds, counts: r.threshold.sweep.counts, chosen: r.threshold.sweep.chosen }
      : null,
  };
}

/** The task function (this thread or the helper's): see MainTask and SweepTask. */
export function localWordsTask(ctx: RunsContext, task: MainTask | SweepTask): MainResult | SweepResult {
  const d = ctx.datasets[task.dataset];
  const vectors = ctx.vectors[task.corpus];
  const placeNames = new Set(d.placeNames);
  if (task.kind === "main") {
    const split = splitCorpora(d.index, task.train, task.test, task.cfg.n1);
    const r = runLocalWordsOn(split, vectors, { ...task.cfg, placeNames }, stream(task.seed, task.stream));
    return {
      outcome: outcomeOf(r, d.index, task.train, task.unscored),
      first: task.first ? firstExtras(r, d.kinds ? new Map(d.kinds) : null) : null,
    };
  }
  const splits = new Map<number, ReturnType<typeof splitCorpora>>();
  return task.points.map((p) => {
    let split = splits.get(p.n1);
    if (!split) splits.set(p.n1, (split = splitCorpora(d.index, task.train, task.test, p.n1)));
    const r = runLocalWordsOn(
      split,
      vectors,
      {
        n1: p.n1,
        threshold: p.n2,
        k: task.k,
        reading: "user-words",
        placeNames,
        systems: { nbIgr: false, tuned: false, control: false, mnbPart: false, literal: false, floors: false },
        progressLabel: null,
      },
      stream(task.seed, task.stream),
    );
    return { truth: Array.from(r.test.docs, (doc) => doc.y), predicted: Array.from(r.systems[0].predictions), local: r.wordCounts.local };
  });
}

/** A task's rough cost: training users × labels (× points for a sweep), to start the longest first. */
function costOf(ctx: RunsContext, t: MainTask | SweepTask): number {
  const labels = ctx.datasets[t.dataset].index.labelNames.length;
  return t.train.length * (1 + Math.log2(labels)) * (t.kind === "sweep" ? t.points.length : t.first ? 4 : 2);
}

/**
 * Run tasks on a worker thread and, when the process was given two cores (GEOREPRO_THREADS), a second
 * one; results in task order, the longest tasks started first.
 */
export function runLocalWordsTasks<T extends MainTask | SweepTask>(
  ctx: RunsContext,
  tasks: readonly T[],
  onDone?: (i: number, r: T extends MainTask ? MainResult : SweepResult) => void,
): Promise<(T extends MainTask ? MainResult : SweepResult)[]> {
  const cost = tasks.map((t) => costOf(ctx, t));
  const order = tasks.map((_, i) => i).sort((a, b) => cost[b] - cost[a] || a - b);
  return runTasks({
    module: __filename,
    fn: "localWordsTask",
    context: ctx,
    tasks,
    order,
    helper: () => helperWanted(),
    onDone: onDone as (i: number, r: unknown) => void,
  }) as Promise<(T extends MainTask ? MainResult : SweepResult)[]>;
}
