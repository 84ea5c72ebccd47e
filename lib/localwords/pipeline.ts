/**
 * The local-words method end to end (paper Sect. 2, Fig. 1), its baselines and
 * controls, on users already segmented (stop words removed):
 *
 *   N1 filter (training frequency) → feature score ≥ N2 (IGR by default) →
 *   word vectors → k-means (k given, or by the elbow rule) → wrapper backward
 *   search (5-fold CV) → Naive Bayes → predictions.
 *
 * Systems scored on the same test users (labels as in the tables and the
 * claims registry, `SYSTEMS`):
 *   proposed                    clusters + wrapper, NB of the chosen reading
 *   NB+IGR (max-drop N2)        all words with score ≥ N2 of the paper's rule (Han et al. 2012)
 *   NB+IGR (CV-tuned N2)        N2 chosen by the wrapper's own 5-fold CV (./tune.ts)
 *   random-partition control    the wrapper over random groups of the same words, same sizes (./control.ts)
 *   MNB-PART                    multinomial NB on IGR words + place names + #hashtags + @mentions (./baselines.ts)
 *   NB+IGR, Eq. 4 as printed    the literal reading, shown to be degenerate (never in a gain or claim)
 *   proposed / NB+IGR (multinomial NB)   the same selections under the scikit-learn reading (optional)
 *   majority class, stratified random    chance floors (lib/stats/floors.ts)
 * Every filter reports what it removed (Table 6's word counts).
 */
import { Rng } from "../runtime/rng";
import { UserBag, Corpus, FrequencyReport, SparseDoc, indexUsers, splitCorpora } from "./corpus";
import { fitNb, predictNb, NbReading, maskOf } from "./naive-bayes";
import { ThresholdSweep } from "./igr";
import { kmeans, elbow, ElbowResult, KMeansResult, clusterMembers } from "./kmeans";
import { WordVectors, vectorsFor } from "./word2vec";
import { stratifiedFolds, wrapperSelect, WrapperResult } from "./wrapper";
import { mnbPartFeatures } from "./baselines";
import { FeatureScorer, IGR_SCORER, selectFeatures, ThresholdRule } from "./select";
import { randomPartitionLike } from "./control";
import { cvTuneThreshold, ThresholdTuning } from "./tune";
import { majorityClassPredictions, stratifiedRandomPredictions } from "../stats/floors";

/** System labels, as the tables and lib/claims/registry.ts name them. */
export const SYSTEMS = {
  proposed: "proposed",
  nbIgr: "NB+IGR (max-drop N2)",
  nbIgrTuned: "NB+IGR (CV-tuned N2)",
  control: "random-partition control",
  mnbPart: "MNB-PART",
  literal: "NB+IGR, Eq. 4 as printed (degenerate)",
  proposedMultinomial: "proposed (multinomial NB)",
  nbIgrMultinomial: "NB+IGR (max-drop N2, multinomial NB)",
  majority: "majority class",
  stratified: "stratified random",
} as const;
export type SystemLabel = (typeof SYSTEMS)[keyof typeof SYSTEMS];

export interface LocalWordsConfig {
  n1: number;
  /** Feature threshold N2, or the paper's largest-drop rule. */
  threshold: ThresholdRule["threshold"];
  thresholdGrid?: ThresholdRule["grid"];
  /** Feature scorer (default IGR, the paper's). */
  scorer?: FeatureScorer;
  /** Number of clusters, or the elbow over `kGrid`. */
  k: number | "elbow";
  kGrid?: number[];
  /** NB reading of the proposed method and of NB+IGR (the paper's: "user-words"). */
  reading: NbReading;
  folds?: number;
  /** Place names for MNB-PART. */
  placeNames: ReadonlySet<string>;
  /** Grid for the CV-tuned N2 of NB+IGR (default 0.05 … 0.50, step 0.01). */
  tuneGrid?: number[];
  /** Which systems besides the proposed method to run (default: all but the multinomial pair). */
  systems?: Partial<Record<"nbIgr" | "tuned" | "control" | "mnbPart" | "literal" | "multinomial" | "floors", boolean>>;
  progressLabel?: string | null;
}

export interface SystemRun {
  label: SystemLabel;
  /** NB reading, or "none" for the chance floors. */
  reading: NbReading | "none";
  /** Words used. */
  features: number;
  predictions: Int32Array;
}

export interface LocalWordsRun {
  labels: string[];
  /** Training label of each training user (for floors and centres). */
  trainY: Int32Array;
  test: Corpus;
  train: Corpus;
  wordCounts: {
    /** Word types in the training texts before N1. */
    beforeN1: number;
    afterN1: number;
    removedByN1: number;
    /** Words kept by the feature score (IGR ≥ N2) that have a word vector. */
    selected: number;
    removedByScore: number;
    /** Words above the threshold without a vector (word2vec never saw them): not clustered, reported. */
    selectedWithoutVector: number;
    /** Words in the clusters the wrapper kept: the local words. */
    local: number;
    removedByWrapper: number;
  };
  /** The feature threshold actually used and how it was chosen. */
  threshold: { scorer: string; value: number; rule: string; sweep: ThresholdSweep | null };
  elbow: ElbowResult | null;
  k: number;
  clustering: KMeansResult;
  /** Words of each cluster (training-frequency order). */
  clusters: string[][];
  wrapper: WrapperResult;
  /** The control's wrapper (null when not run). */
  controlWrapper: WrapperResult | null;
  /** CV tuning of NB+IGR's threshold (null when not run). */
  tuning: ThresholdTuning | null;
  selectedWords: string[];
  localWords: string[];
  systems: SystemRun[];
}

export const DEFAULT_TUNE_GRID: readonly number[] = Array.from({ length: 46 }, (_, i) => Number((0.05 + i * 0.01).toFixed(2)));

/** A split's training and test corpora after the N1 filter (lib/localwords/corpus.ts `splitCorpora`), and what N1 removed. */
export interface PreparedSplit {
  train: Corpus;
  test: Corpus;
  filter: FrequencyReport;
}

/**
 * A scorer whose scores are computed once per training corpus (the sweep's N2
 * points share their split, lib/studies/localwords/runs.ts): the same numbers.
 */
const scoreMemo = new WeakMap<FeatureScorer, WeakMap<readonly SparseDoc[], Float64Array>>();
function memoScorer(scorer: FeatureScorer): FeatureScorer {
  let byDocs = scoreMemo.get(scorer);
  if (!byDocs) scoreMemo.set(scorer, (byDocs = new WeakMap()));
  const memo = byDocs;
  return {
    name: scorer.name,
    score: (docs, nLabels, nWords) => {
      let s = memo.get(docs);
      if (!s || s.length !== nWords) memo.set(docs, (s = scorer.score(docs, nLabels, nWords)));
      return s;
    },
  };
}

/** The split of training and test users at N1 = n1. */
export function prepareSplit(trainBags: readonly UserBag[], testBags: readonly UserBag[], n1: number): PreparedSplit {
  const ix = indexUsers([...trainBags, ...testBags]);
  const rows = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i);
  return splitCorpora(ix, rows(0, trainBags.length), rows(trainBags.length, testBags.length), n1);
}

/** Run the proposed method and the systems it is compared with. `vectors` must cover the words that survive N1. */
export function runLocalWords(
  trainBags: readonly UserBag[],
  testBags: readonly UserBag[],
  vectors: WordVectors,
  cfg: LocalWordsConfig,
  rng: Rng,
): LocalWordsRun {
  return runLocalWordsOn(prepareSplit(trainBags, testBags, cfg.n1), vectors, cfg, rng);
}

/** `runLocalWords` on a split already indexed at cfg.n1 (shared by the runs of one split: lib/studies/localwords/runs.ts). */
export function runLocalWordsOn(split: PreparedSplit, vectors: WordVectors, cfg: LocalWordsConfig, rng: Rng): LocalWordsRun {
  const want = { nbIgr: true, tuned: true, control: true, mnbPart: true, literal: true, multinomial: false, floors: true, ...cfg.systems };
  const { train, test, filter: ff } = split;
  const vocab = train.vocab;
  const V = vocab.length;
  const L = train.labels.length;
  const freq = new Float64Array(V);
  for (const d of train.docs) for (let i = 0; i < d.terms.length; i++) freq[d.terms[i]] += d.counts[i];

  // Feature score (IGR) and threshold N2.
  const all = Array.from({ length: V }, (_, w) => w);
  const sel = selectFeatures(
    train.docs,
    L,
    V,
    all,
    { threshold: cfg.threshold, grid: cfg.thresholdGrid },
    memoScorer(cfg.scorer ?? IGR_SCORER),
  );
  const vecIndex = new Set(vectors.words);
  const selectedIds = sel.selected.filter((w) => vecIndex.has(vocab[w]));
  const noVector = sel.selected.length - selectedIds.length;
  if (selectedIds.length < 2)
    throw new Error(`localwords: only ${selectedIds.length} words have ${sel.scorer} ≥ N2=${sel.threshold}; lower N2 or N1`);
  const selectedWords = selectedIds.map((w) => vocab[w]);

  // Word clustering (Algorithm 1), k by the elbow rule or given.
  const x = vectorsFor(vectors, selectedWords);
  const dim = vectors.dim;
  let el: ElbowResult | null = null;
  let k: number;
  const kmRng = rng.fork("kmeans");
  if (cfg.k === "elbow") {
    const grid = (cfg.kGrid ?? [4, 8, 12, 16, 20, 24, 28, 32, 36, 40]).filter((g) => g <= selectedIds.length);
    const sse = grid.map((g) => kmeans(x, selectedIds.length, dim, g, kmRng.fork(`k${g}`)).sse);
    el = elbow(grid, sse);
    k = el.k;
  } else k = Math.min(cfg.k, selectedIds.length);
  const clustering = kmeans(x, selectedIds.length, dim, k, kmRng.fork(`k${k}`));
  const clusterOf = new Int32Array(V).fill(-1);
  selectedIds.forEach((w, r) => (clusterOf[w] = clustering.assignment[r]));
  const members = clusterMembers(clustering.assignment, k).map((rows) =>
    rows.map((r) => selectedIds[r]).sort((a, b) => freq[b] - freq[a] || a - b),
  );

  // Wrapper (Algorithm 2); its folds are shared with the control and the N2 tuning (equal budgets).
  const folds = cfg.folds ?? 5;
  const fold = stratifiedFolds(train.docs, folds, rng.fork("wrapper"));
  const wrapper = wrapperSelect(train.docs, L, V, clusterOf, k, rng.fork("wrapper"), {
    reading: cfg.reading,
    folds,
    fold,
    progressLabel: cfg.progressLabel,
  });
  const localIds = wrapper.selected.flatMap((c) => members[c]).sort((a, b) => a - b);

  const systems: SystemRun[] = [];
  const nb = (label: SystemLabel, reading: NbReading, ids: readonly number[]): void => {
    const m = fitNb(train.docs, L, V, { reading, features: maskOf(V, ids) });
    systems.push({ label, reading, features: ids.length, predictions: predictNb(m, test.docs) });
  };
  nb(SYSTEMS.proposed, cfg.reading, localIds);
  if (want.nbIgr) nb(SYSTEMS.nbIgr, cfg.reading, selectedIds);
  let tuning: ThresholdTuning | null = null;
  if (want.tuned) {
    // NB+IGR needs no word vectors: every word that passed N1 is a candidate.
    tuning = cvTuneThreshold(train.docs, L, V, sel.scores, all, cfg.tuneGrid ?? DEFAULT_TUNE_GRID, fold, folds, cfg.reading);
    nb(SYSTEMS.nbIgrTuned, cfg.reading, tuning.selected);
  }
  let controlWrapper: WrapperResult | null = null;
  if (want.control) {
    const randomOf = randomPartitionLike(clusterOf, k, rng.fork("control-partition"));
    controlWrapper = wrapperSelect(train.docs, L, V, randomOf, k, rng.fork("wrapper"), {
      reading: cfg.reading,
      folds,
      fold,
      progressLabel: null,
    });
    const kept = new Set(controlWrapper.selected);
    nb(
      SYSTEMS.control,
      cfg.reading,
      all.filter((w) => randomOf[w] >= 0 && kept.has(randomOf[w])),
    );
  }
  if (want.mnbPart) nb(SYSTEMS.mnbPart, "multinomial", mnbPartFeatures(vocab, selectedIds, cfg.placeNames).ids);
  if (want.literal) nb(SYSTEMS.literal, "literal", selectedIds);
  if (want.multinomial) {
    const mw =
      cfg.reading === "multinomial"
        ? wrapper
        : wrapperSelect(train.docs, L, V, clusterOf, k, rng.fork("wrapper"), { reading: "multinomial", folds, fold, progressLabel: null });
    nb(
      SYSTEMS.proposedMultinomial,
      "multinomial",
      mw.selected.flatMap((c) => members[c]).sort((a, b) => a - b),
    );
    nb(SYSTEMS.nbIgrMultinomial, "multinomial", selectedIds);
  }
  const trainY = Int32Array.from(train.docs, (d) => d.y);
  if (want.floors) {
    systems.push({
      label: SYSTEMS.majority,
      reading: "none",
      features: 0,
      predictions: majorityClassPredictions(trainY, test.docs.length),
    });
    systems.push({
      label: SYSTEMS.stratified,
      reading: "none",
      features: 0,
      predictions: stratifiedRandomPredictions(trainY, test.docs.length, rng.fork("stratified-random")),
    });
  }
  return {
    labels: train.labels,
    trainY,
    train,
    test,
    wordCounts: {
      beforeN1: ff.totalTypes,
      afterN1: V,
      removedByN1: ff.removedTypes,
      selected: selectedIds.length,
      removedByScore: sel.removed,
      selectedWithoutVector: noVector,
      local: localIds.length,
      removedByWrapper: selectedIds.length - localIds.length,
    },
    threshold: { scorer: sel.scorer, value: sel.threshold, rule: sel.rule, sweep: sel.sweep },
    elbow: el,
    k,
    clustering,
    clusters: members.map((ids) => ids.map((w) => vocab[w])),
    wrapper,
    controlWrapper,
    tuning,
    selectedWords,
    localWords: localIds.map((w) => vocab[w]),
    systems,
  };
}
