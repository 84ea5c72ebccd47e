/**
 * One trained system on one city split and seed: train (or load from the
 * cache), predict the test part, and keep what the studies need — the test
 * probabilities, the per-post outcomes (lib/stats), the training history, and
 * notes saying what this model reduced at this scale.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Rng } from "../runtime/rng";
import { haversineKm } from "../geo/distance";
import { argmaxRows, geoMetrics, type GeoMetrics } from "../metrics/geo";
import { trainClassifier, predictProbs, type EpochRecord, type LabelledSet } from "../training";
import type { Outcomes } from "../metrics/weighted";
import type { ExperimentContext } from "./context";
import type { Schedule } from "./sizes";
import { labelsOf, type CitySplit, type SplitPost } from "./split";

export interface RunResult {
  /** The system's label in tables and claims, e.g. "MRLF", "DeepGeo". */
  system: string;
  city: string;
  seed: number;
  /** Test-set class probabilities, row-major [test × locations]. */
  probs: Float32Array;
  /** Argmax of probs per test post. */
  predicted: Int32Array;
  /** Per-test-post outcomes (lib/stats): truth, prediction, km from the predicted centre to the post. */
  outcomes: Outcomes;
  metrics: GeoMetrics;
  /** Epochs run, the best (kept) epoch and the per-epoch record; absent for non-neural systems. */
  epochsRun?: number;
  bestEpoch?: number;
  history?: EpochRecord[];
  /** The learning rate it trained with. */
  learningRate?: number;
  fromCache: boolean;
  /** Wall seconds of the training that produced it (absent on cache hits; volatile). */
  trainSeconds?: number;
  /** What this system reduced or assumed, independent of the data (shown under tables). */
  notes: string[];
  /** Data-dependent facts of this run (vocabulary sizes, posts without known tokens). */
  details: string;
}

export const truthOf = (split: CitySplit, posts: readonly SplitPost[]) =>
  posts.map((p) => ({ label: split.labelOf(p), lat: p.lat, lon: p.lon }));

/** Per-post outcomes on the test part: true and predicted location, km from the predicted centre to the post. */
export function outcomesOf(split: CitySplit, predicted: ArrayLike<number>): Outcomes {
  if (predicted.length !== split.test.length)
    throw new Error(`outcomesOf: ${split.city}: ${predicted.length} predictions for ${split.test.length} test posts`);
  const truth = Int32Array.from(split.test, (p) => split.labelOf(p));
  const pred = Int32Array.from(predicted);
  const errorKm = Float64Array.from(split.test, (p, i) => haversineKm(split.centres[pred[i]], p));
  // Post ids name the items: seeds whose splits share a post resample it once (lib/stats/item-bootstrap.ts).
  // Where posts name their owner (Flickr), the owner is the resampling unit: one owner's photos are not
  // independent draws (they share places, tags and a camera), and owner-grouped splits keep them together.
  const owned = split.test.length > 0 && split.test.every((p) => p.owner !== undefined);
  return {
    truth,
    predicted: pred,
    errorKm,
    ids: split.test.map((p) => p.id),
    ...(owned ? { clusters: split.test.map((p) => p.owner!) } : {}),
  };
}

/** A RunResult from test probabilities. */
export function resultFromProbs(
  split: CitySplit,
  system: string,
  seed: number,
  probs: Float32Array,
  rest: Omit<RunResult, "system" | "city" | "seed" | "probs" | "predicted" | "metrics" | "outcomes">,
): RunResult {
  const predicted = argmaxRows(probs, split.pois.length);
  return {
    system,
    city: split.city,
    seed,
    probs,
    predicted,
    outcomes: outcomesOf(split, predicted),
    metrics: geoMetrics(predicted, truthOf(split, split.test), split.centres),
    ...rest,
  };
}

/** Validation Mean km per epoch for the training loop's progress line. */
const valEvaluator = (split: CitySplit) => (predicted: Int32Array) => ({
  meanKm: geoMetrics(predicted, truthOf(split, split.val), split.centres).meanKm,
});

export interface NeuralRun {
  /** Names the cache entry and the rng stream, e.g. "mrlf", "deepgeo". */
  name: string;
  system: string;
  split: CitySplit;
  seed: number;
  schedule: Schedule;
  sets: { train: LabelledSet; val: LabelledSet; test: LabelledSet };
  build: (rng: Rng) => TF.LayersModel;
  /** Everything about the model that the split key does not already say. */
  configKey: unknown;
  notes: string[];
  details: string;
  /** The kind `make plan` times it as, when `name` does not say it (lib/experiments/cost.ts: kindOfTraining). */
  kind?: string;
}

/** Train with the shared loop (cached by split key, configuration, schedule and seed), predict the test part. */
export async function trainAndPredict(ctx: ExperimentContext, r: NeuralRun): Promise<RunResult> {
  const s = r.schedule;
  const t0 = Date.now();
  const trained = await trainClassifier({
    name: `${r.name}-${r.split.city}`,
    build: r.build,
    train: r.sets.train,
    val: r.sets.val,
    numClasses: r.split.pois.length,
    seed: r.seed,
    epochs: s.epochs,
    batchSize: s.batchSize,
    learningRate: s.learningRate,
    optimizer: s.optimizer,
    lrDecay: s.lrDecay,
    ...(s.earlyStopPatience !== undefined ? { earlyStopPatience: s.earlyStopPatience } : {}),
    evaluate: valEvaluator(r.split),
    ...(r.kind ? { kind: r.kind } : {}),
    cache: { dir: ctx.params.cacheDir, key: { split: r.split.key, model: r.name, config: r.configKey } },
  });
  const probs = predictProbs(trained.model, r.sets.test);
  trained.model.dispose();
  return resultFromProbs(r.split, r.system, r.seed, probs, {
    epochsRun: trained.history.length,
    bestEpoch: trained.bestEpoch,
    history: trained.history,
    learningRate: s.learningRate,
    fromCache: trained.fromCache,
    ...(trained.fromCache ? {} : { trainSeconds: (Date.now() - t0) / 1000 }),
    notes: r.notes,
    details: r.details,
  });
}

/** Labelled sets for the three parts from a per-part feature builder. */
export function labelledSets<P extends SplitPost>(
  split: CitySplit<P>,
  features: (posts: readonly P[]) => LabelledSet["features"],
): { train: LabelledSet; val: LabelledSet; test: LabelledSet } {
  const set = (posts: readonly P[]): LabelledSet => ({ features: features(posts), labels: labelsOf(split, posts) });
  return { train: set(split.train), val: set(split.val), test: set(split.test) };
}
