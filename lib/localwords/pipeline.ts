/**
 * The local-words method end to end (paper Sect. 2, Fig. 1) and its baselines,
 * on users already segmented (stop words removed):
 *   N1 filter (training frequency) → IGR ≥ N2 → word vectors → k-means (k from
 *   the elbow rule or given) → wrapper backward search → Naive Bayes → metrics.
 * Every filter reports what it removed (Table 6's word counts).
 */
import { Rng } from "../runtime/rng";
import { UserBag, buildCorpus, Corpus } from "./corpus";
import { fitNb, predictNb, NbReading, maskOf } from "./naive-bayes";
import { informationGainRatio, chooseN2, ThresholdSweep } from "./igr";
import { kmeans, elbow, ElbowResult, KMeansResult, clusterMembers } from "./kmeans";
import { WordVectors, vectorsFor } from "./word2vec";
import { wrapperSelect, WrapperResult } from "./wrapper";
import { mnbPartFeatures } from "./baselines";
import { frequencyFilter } from "./preprocess";
import { classificationMetrics, distanceMetrics, labelCentres, ClassificationMetrics, DistanceMetrics } from "../metrics/classification";

export interface LocalWordsConfig {
  n1: number;
  /** IGR threshold; "auto" applies the paper's largest-drop rule. */
  n2: number | "auto";
  /** Number of clusters, or the elbow over `kGrid`. */
  k: number | "elbow";
  kGrid?: number[];
  reading: NbReading;
  folds?: number;
  /** Place names for MNB-PART. */
  placeNames: ReadonlySet<string>;
  /** N2 sweep grid for the "auto" rule. */
  n2Grid?: { from: number; to: number; step: number };
  progressLabel?: string | null;
}

export interface MethodResult {
  method: "proposed" | "NB+IGR" | "MNB-PART";
  reading: NbReading;
  features: number;
  predictions: Int32Array;
  metrics: ClassificationMetrics;
  distance: DistanceMetrics | null;
}

export interface LocalWordsRun {
  labels: string[];
  wordCounts: { afterN1: number; removedByN1: number; afterIgr: number; removedByIgr: number; igrWithoutVector: number; local: number; removedByWrapper: number };
  n2: number;
  n2Sweep: ThresholdSweep | null;
  elbow: ElbowResult | null;
  k: number;
  clustering: KMeansResult;
  /** Words of each cluster (training-frequency order). */
  clusters: string[][];
  wrapper: WrapperResult;
  igrWords: string[];
  localWords: string[];
  results: MethodResult[];
  test: Corpus;
}

function evaluate(method: MethodResult["method"], reading: NbReading, train: Corpus, test: Corpus, featureIds: number[]): MethodResult {
  const V = train.vocab.length;
  const m = fitNb(train.docs, train.labels.length, V, { reading, features: maskOf(V, featureIds) });
  const predictions = predictNb(m, test.docs);
  const metrics = classificationMetrics(test.docs.map((d) => d.y), predictions);
  const haveCoords = test.docs.every((d) => d.coord) && train.docs.some((d) => d.coord);
  let distance: DistanceMetrics | null = null;
  if (haveCoords) {
    const centres = labelCentres(train.docs.map((d) => d.coord), Int32Array.from(train.docs, (d) => d.y), train.labels.length);
    distance = distanceMetrics(test.docs.map((d) => d.coord!), predictions, centres);
  }
  return { method, reading, features: featureIds.length, predictions, metrics, distance };
}

/** Run the proposed method and both baselines. `vectors` must cover the words that survive N1 (train word2vec on the training texts). */
export function runLocalWords(trainBags: readonly UserBag[], testBags: readonly UserBag[], vectors: WordVectors, cfg: LocalWordsConfig, rng: Rng): LocalWordsRun {
  const ff = frequencyFilter(trainBags, cfg.n1);
  const vocab = [...ff.vocab].sort();
  const train = buildCorpus(trainBags, { vocab });
  const test = buildCorpus(testBags, { vocab, labels: train.labels });
  const V = vocab.length;
  const freq = new Float64Array(V);
  for (const d of train.docs) for (let i = 0; i < d.terms.length; i++) freq[d.terms[i]] += d.counts[i];

  const igr = informationGainRatio(train.docs, train.labels.length, V);
  const n2Sweep = cfg.n2 === "auto" ? chooseN2(igr, cfg.n2Grid) : null;
  const n2 = n2Sweep ? n2Sweep.chosen : (cfg.n2 as number);
  const vecIndex = new Set(vectors.words);
  const igrIds: number[] = [];
  let noVector = 0;
  for (let w = 0; w < V; w++) if (igr[w] >= n2) {
    if (vecIndex.has(vocab[w])) igrIds.push(w);
    else noVector++; // reported in wordCounts: a word the word2vec training never saw
  }
  if (igrIds.length < 2) throw new Error(`localwords: only ${igrIds.length} words have IGR ≥ N2=${n2}; lower N2 or N1`);
  const igrWords = igrIds.map((w) => vocab[w]);

  const x = vectorsFor(vectors, igrWords);
  const dim = vectors.dim;
  let el: ElbowResult | null = null;
  let k: number;
  const kmRng = rng.fork("kmeans");
  if (cfg.k === "elbow") {
    const grid = (cfg.kGrid ?? [4, 8, 12, 16, 20, 24, 28, 32, 36, 40]).filter((g) => g <= igrIds.length);
    const sse = grid.map((g) => kmeans(x, igrIds.length, dim, g, kmRng.fork(`k${g}`)).sse);
    el = elbow(grid, sse);
    k = el.k;
  } else k = Math.min(cfg.k, igrIds.length);
  const clustering = kmeans(x, igrIds.length, dim, k, kmRng.fork(`k${k}`));
  const clusterOf = new Int32Array(V).fill(-1);
  igrIds.forEach((w, r) => (clusterOf[w] = clustering.assignment[r]));
  const members = clusterMembers(clustering.assignment, k).map((rows) => rows.map((r) => igrIds[r]).sort((a, b) => freq[b] - freq[a] || a - b));

  const wrapper = wrapperSelect(train.docs, train.labels.length, V, clusterOf, k, rng.fork("wrapper"), { reading: cfg.reading, folds: cfg.folds ?? 5, progressLabel: cfg.progressLabel });
  const localIds = wrapper.selected.flatMap((c) => members[c]).sort((a, b) => a - b);

  const part = mnbPartFeatures(vocab, freq, cfg.placeNames, igrIds.length);
  const results = [
    evaluate("proposed", cfg.reading, train, test, localIds),
    evaluate("NB+IGR", cfg.reading, train, test, igrIds),
    evaluate("MNB-PART", "multinomial", train, test, part.ids),
  ];
  return {
    labels: train.labels,
    wordCounts: { afterN1: V, removedByN1: ff.removedTypes, afterIgr: igrIds.length, removedByIgr: V - igrIds.length - noVector, igrWithoutVector: noVector, local: localIds.length, removedByWrapper: igrIds.length - localIds.length },
    n2,
    n2Sweep,
    elbow: el,
    k,
    clustering,
    clusters: members.map((ids) => ids.map((w) => vocab[w])),
    wrapper,
    igrWords,
    localWords: localIds.map((w) => vocab[w]),
    results,
    test,
  };
}
