/**
 * Tagvisor baseline (Zhang et al., WWW 2018; MRLF paper Table II, ref. [9]):
 * a random forest over a post's hashtags predicts its location.
 *
 * Features: binary hashtag presence over the training split's hashtag
 * vocabulary (tags seen ≥ minTagCount times; rarer tags removed and counted).
 * Classifier: `ml-random-forest`'s RandomForestClassifier (CART trees, sample
 * bagging, seeded). ml-random-forest draws one feature subset per tree rather
 * than per split; `maxFeatures` is that subset's fraction.
 * Class probabilities = fraction of trees voting for each class.
 */
import type { Rng } from "../../runtime/rng";
import { buildVocab, normalizeTag, type Vocab } from "../../text";

export interface TagvisorConfig {
  nEstimators: number;
  /** Fraction of hashtag features each tree sees. */
  maxFeatures: number;
  /** Maximum tree depth (undefined: grow fully). */
  maxDepth?: number;
  /** Hashtags rarer than this in training are not features. */
  minTagCount: number;
}

export const TAGVISOR_DEFAULT: TagvisorConfig = { nEstimators: 60, maxFeatures: 0.5, maxDepth: 24, minTagCount: 2 };

export interface TagPost {
  id: string;
  hashtags: readonly string[];
}

export interface TagvisorModel {
  vocab: Vocab;
  numClasses: number;
  /** Row-major [posts × numClasses] vote fractions. */
  predictProba(posts: readonly TagPost[]): Float32Array;
  /** Posts whose hashtags were all outside the vocabulary (an all-zero feature row), from the last predictProba call. */
  lastEmptyRows: number;
}

type FeatureSplit = (x: number[], y: number[]) => number[];
let originalFeatureSplit: FeatureSplit | null = null;
let cartProto: { featureSplit: FeatureSplit } | null = null;

/**
 * ml-cart (the trees inside ml-random-forest) proposes a split value between
 * every pair of neighbouring sorted samples whose labels differ, even when
 * their feature values are equal; on binary hashtag features that is O(n)
 * copies of the value 0.5 or 1, each scored in O(n): 13 s per tree on 1,000
 * posts. Duplicate candidates give identical partitions and identical gains
 * and the search keeps the first strict maximum, so proposing each distinct
 * value once builds exactly the same trees (checked in
 * test/models/baselines.test.ts). ml-cart does not export its TreeNode class,
 * so the prototype is reached through a trained tree's root.
 */
export function setCartSplitDedup(on: boolean): void {
  if (!cartProto) {
    const { DecisionTreeClassifier } = require("ml-cart") as {
      DecisionTreeClassifier: new (o: object) => { train(x: number[][], y: number[]): void; root: object };
    };
    const probe = new DecisionTreeClassifier({});
    probe.train([[0], [1]], [0, 1]);
    cartProto = Object.getPrototypeOf(probe.root) as { featureSplit: FeatureSplit };
    originalFeatureSplit = cartProto.featureSplit;
  }
  const original = originalFeatureSplit!;
  cartProto.featureSplit = on
    ? function (this: unknown, x: number[], y: number[]): number[] {
        const seen = new Set<number>();
        return original.call(this, x, y).filter((v) => (seen.has(v) ? false : (seen.add(v), true)));
      }
    : original;
}

const cleanTags = (tags: readonly string[]): string[] => [...new Set(tags.map(normalizeTag).filter((t) => t.length > 0))];

/** Binary hashtag-presence matrix (rows: posts; columns: vocab ids 2..size−1). */
export function hashtagMatrix(posts: readonly TagPost[], vocab: Vocab): { rows: number[][]; empty: number } {
  const width = vocab.size - 2;
  let empty = 0;
  const rows = posts.map((p) => {
    const row = new Array<number>(width).fill(0);
    let any = false;
    for (const t of cleanTags(p.hashtags)) {
      const id = vocab.ids.get(t);
      if (id !== undefined) {
        row[id - 2] = 1;
        any = true;
      }
    }
    if (!any) empty++;
    return row;
  });
  return { rows, empty };
}

/** Train Tagvisor on posts with integer labels 0..numClasses−1. */
export function fitTagvisor(
  train: readonly TagPost[],
  labels: readonly number[],
  numClasses: number,
  rng: Rng,
  config: Partial<TagvisorConfig> = {},
): TagvisorModel {
  const cfg = { ...TAGVISOR_DEFAULT, ...config };
  if (train.length !== labels.length) throw new Error(`fitTagvisor: ${train.length} posts but ${labels.length} labels`);
  if (!(cfg.maxFeatures > 0 && cfg.maxFeatures <= 1))
    throw new Error(`fitTagvisor: config.maxFeatures: expected a fraction in (0, 1], got ${cfg.maxFeatures}`);
  labels.forEach((y, i) => {
    if (!Number.isInteger(y) || y < 0 || y >= numClasses)
      throw new Error(`fitTagvisor: post ${train[i].id}: label ${y} outside 0..${numClasses - 1}`);
  });
  const vocab = buildVocab(
    train.map((p) => cleanTags(p.hashtags)),
    { minCount: cfg.minTagCount },
  );
  if (vocab.size <= 2) throw new Error(`fitTagvisor: no hashtag occurs ≥ ${cfg.minTagCount} times in the ${train.length} training posts`);
  const { RandomForestClassifier } = require("ml-random-forest") as typeof import("ml-random-forest");
  if (!cartProto) setCartSplitDedup(true);
  const X = hashtagMatrix(train, vocab).rows;
  const width = vocab.size - 2;
  // A fraction that rounds to every feature is passed as an integer count (the package rejects 1.0 as "not a float").
  const maxFeatures = cfg.maxFeatures === 1 ? width : Math.max(1, Math.floor(width * cfg.maxFeatures));
  const rf = new RandomForestClassifier({
    nEstimators: cfg.nEstimators,
    maxFeatures,
    replacement: false,
    seed: rng.seedInt(),
    useSampleBagging: true,
    noOOB: true,
    treeOptions: cfg.maxDepth === undefined ? {} : { maxDepth: cfg.maxDepth },
  } as ConstructorParameters<typeof RandomForestClassifier>[0]);
  rf.train(X, labels as number[]);
  const model: TagvisorModel = {
    vocab,
    numClasses,
    lastEmptyRows: 0,
    predictProba(posts: readonly TagPost[]): Float32Array {
      const { rows, empty } = hashtagMatrix(posts, vocab);
      model.lastEmptyRows = empty;
      const out = new Float32Array(posts.length * numClasses);
      // Each tree votes on its own feature subset; count votes per class.
      const est = (rf as unknown as { estimators: { predict(x: number[][]): number[] }[]; indexes: number[][] }).estimators;
      const idx = (rf as unknown as { indexes: number[][] }).indexes;
      est.forEach((tree, t) => {
        const sub = rows.map((r) => idx[t].map((j) => r[j]));
        tree.predict(sub).forEach((c, i) => (out[i * numClasses + c] += 1 / est.length));
      });
      return out;
    },
  };
  return model;
}
