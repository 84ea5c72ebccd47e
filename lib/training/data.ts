/**
 * Labelled feature arrays for classifiers, and turning index batches into
 * tensors. Features are flat typed arrays with a per-sample shape so that any
 * model (MRLF, the Bi-LSTM/CNN baselines, image heads) can share one loop.
 */
import * as tf from "@tensorflow/tfjs";

export interface Feature {
  /** Row-major [n × prod(shape)]; Int32Array for token ids, Float32Array otherwise. */
  data: Float32Array | Int32Array;
  /** Per-sample shape, e.g. [100] for 100 character ids, [1280] for an image vector. */
  shape: number[];
}

export interface LabelledSet {
  /** Keyed by the model's input names (tf.input({name})). */
  features: Record<string, Feature>;
  /** Class index per sample. */
  labels: Int32Array;
}

const width = (f: Feature) => f.shape.reduce((a, b) => a * b, 1);

/** Throws naming the set, feature and field when sizes disagree. */
export function validateSet(set: LabelledSet, where: string, numClasses?: number): number {
  const n = set.labels.length;
  if (n === 0) throw new Error(`${where}: labels: empty set`);
  for (const [name, f] of Object.entries(set.features)) {
    if (!f.shape.every((d) => Number.isInteger(d) && d > 0))
      throw new Error(`${where}: features.${name}.shape: expected positive integers, got [${f.shape}]`);
    if (f.data.length !== n * width(f))
      throw new Error(`${where}: features.${name}.data: length ${f.data.length} ≠ ${n} samples × ${width(f)}`);
    if (!(f.data instanceof Int32Array || f.data instanceof Float32Array))
      throw new Error(`${where}: features.${name}.data: expected Int32Array or Float32Array`);
  }
  if (numClasses !== undefined)
    for (let i = 0; i < n; i++)
      if (!(set.labels[i] >= 0 && set.labels[i] < numClasses))
        throw new Error(`${where}: labels[${i}]: ${set.labels[i]} is not a class in [0, ${numClasses})`);
  return n;
}

/** Rows `idx` of each named feature as tensors, in `names` order. */
export function batchTensors(set: LabelledSet, names: readonly string[], idx: ArrayLike<number>): tf.Tensor[] {
  return names.map((name) => {
    const f = set.features[name];
    if (!f)
      throw new Error(
        `batchTensors: the model has an input "${name}" but the data has no such feature (have: ${Object.keys(set.features).join(", ")})`,
      );
    const w = width(f);
    const out = f.data instanceof Int32Array ? new Int32Array(idx.length * w) : new Float32Array(idx.length * w);
    for (let i = 0; i < idx.length; i++) out.set(f.data.subarray(idx[i] * w, idx[i] * w + w), i * w);
    return tf.tensor(out, [idx.length, ...f.shape], f.data instanceof Int32Array ? "int32" : "float32");
  });
}

/** A subset of a labelled set by row indices (e.g. a validation split). */
export function subset(set: LabelledSet, idx: ArrayLike<number>): LabelledSet {
  const features: Record<string, Feature> = {};
  for (const [name, f] of Object.entries(set.features)) {
    const w = width(f);
    const out = f.data instanceof Int32Array ? new Int32Array(idx.length * w) : new Float32Array(idx.length * w);
    for (let i = 0; i < idx.length; i++) out.set(f.data.subarray(idx[i] * w, idx[i] * w + w), i * w);
    features[name] = { data: out, shape: f.shape.slice() };
  }
  return { features, labels: Int32Array.from(idx, (i) => set.labels[i]) };
}
