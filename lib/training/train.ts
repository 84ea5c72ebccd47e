/**
 * The shared classifier training loop (MRLF Sec. IV-A "Parameter setting"):
 * RMSprop, learning rate 0.001, learning rate × 0.8 after `patience` (10)
 * epochs without validation improvement, up to `epochs` epochs (paper: 100),
 * softmax cross-entropy (Eq. 11–13). Additions the paper leaves open:
 * - batches are shuffled with our seeded stream (model.fit would use Math.random);
 * - the best epoch on validation (accuracy, then loss) is kept, not the last;
 * - optional early stopping after `earlyStopPatience` epochs without improvement,
 *   so the default scale fits its time budget (the paper's 100 epochs are a parameter);
 * - the trained model is cached on disk keyed by (data key, seed, options, and what
 *   trains it: trainer, backend, device, the versions of the packages its numbers
 *   depend on), so a GPU-trained model is never reused as a CPU one.
 *
 * What trains a model follows the run's compute plan (lib/runtime/device.ts): the
 * training engine on the CPU by default, TensorFlow.js on a GPU when one reports a
 * device, TensorFlow.js everywhere with GEOREPRO_TRAINER=tfjs.
 *
 * Re-running with the same seed, data and plan gives bit-identical weights.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { cachedDir } from "../runtime/cache";
import { codeFingerprint } from "../runtime/hash";
import { argmaxRows } from "../metrics/geo";
import { selectBackend } from "../tfjs/backend";
import { computePlan, CPU_DEVICE } from "../runtime/device";
import { ENGINE_TRAINER, tfjsTrainer, trainingPackageVersions } from "../runtime/provenance";
import { stream, type Rng } from "../runtime/rng";
import { writeJsonAtomic } from "../runtime/atomic";
import { batchTensors, validateSet, type LabelledSet } from "./data";
import { loadModel, saveModel } from "../tfjs/model-io";
import { EngineTrainer, Unsupported, type EngineOptions } from "./engine";
import { helperWanted, WorkerHelper } from "./engine/parallel";
import { info } from "../runtime/progress";

export interface TrainOptions {
  /** Names the rng stream, log lines and cache kind (e.g. "mrlf-ny", "deepgeo-melbourne"). */
  name: string;
  /** Build a fresh model; draw every initializer/dropout seed from `rng`. Output: logits [batch, numClasses]. */
  build: (rng: Rng) => tf.LayersModel;
  train: LabelledSet;
  val: LabelledSet;
  numClasses: number;
  seed: number;
  /** Epoch cap (paper: 100). */
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  optimizer?: "rmsprop" | "adam";
  /** Multiply the learning rate by `factor` after `patience` epochs without improvement (paper: 0.8, 10). */
  lrDecay?: { factor: number; patience: number };
  /** Stop after this many epochs without improvement (default: never). */
  earlyStopPatience?: number;
  /** Extra validation metrics per epoch from predicted class indices, e.g. Mean km. */
  evaluate?: (predicted: Int32Array) => Record<string, number>;
  /** Cache the trained model under `dir` (the params' cacheDir); `key` must identify the data and model config. */
  cache?: { dir: string; key: unknown };
  /** Per-epoch progress line sink (default: stderr). */
  log?: (line: string) => void;
  /** The kind of model as `make plan`'s step times name it, when the name does not say it (e.g. "MRLF image-only"); log only. */
  kind?: string;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss: number;
  valAcc: number;
  lr: number;
  extra: Record<string, number>;
}

export interface TrainedClassifier {
  model: tf.LayersModel;
  /** Deterministic per-epoch record (no wall times: those are in `timing`). */
  history: EpochRecord[];
  bestEpoch: number;
  fromCache: boolean;
  backend: string;
  /** What trained it: "engine-1" or "tfjs-<version>" (absent only on cache entries older than this record). */
  trainer?: string;
  /** The trainer, backend and device that trained it, also on cache hits (stored with the model). */
  trainedBy?: TrainedBy;
  /** Wall-clock figures of the run that trained it (volatile; absent on cache hits). */
  timing?: { seconds: number; samplesPerSec: number };
}

/** What trained a model: its record in the cache entry and in TrainedClassifier. */
export interface TrainedBy {
  trainer: string;
  backend: string;
  device: string;
}

const DEFAULTS = { batchSize: 64, learningRate: 0.001, optimizer: "rmsprop" as const, lrDecay: { factor: 0.8, patience: 10 } };

/**
 * Softmax probabilities [n × k] in evaluation mode (dropout off). Models the
 * training engine implements are run by it (lib/training/engine), others by
 * tfjs; which one depends only on the model's layers, so a model and its
 * cached copy always take the same path.
 */
export function predictProbs(model: tf.LayersModel, set: LabelledSet, batchSize = 256): Float32Array {
  const n = validateSet(set, "predictProbs");
  const engine = engineFor(model, { batchSize: Math.min(batchSize, n), optimizer: "none", learningRate: 0 });
  if (engine.trainer) return engine.trainer.predictProbs(set);
  return predictProbsTfjs(model, set, batchSize, n);
}

function predictProbsTfjs(model: tf.LayersModel, set: LabelledSet, batchSize: number, n: number): Float32Array {
  const names = model.inputNames;
  const k = (model.outputs[0].shape[1] as number) ?? 0;
  const out = new Float32Array(n * k);
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, i) => s + i);
    const probs = tf.tidy(() => {
      const xs = batchTensors(set, names, idx);
      return tf.softmax(model.apply(xs, { training: false }) as tf.Tensor);
    });
    out.set(probs.dataSync() as Float32Array, s * k);
    probs.dispose();
  }
  return out;
}

/**
 * The engine for `model`, or why not: a GPU in the compute plan or GEOREPRO_TRAINER=tfjs
 * turns it off, and a layer it does not implement leaves the model to tfjs.
 */
export function engineFor(
  model: tf.LayersModel,
  o: EngineOptions,
): { trainer: EngineTrainer; reason?: undefined } | { trainer?: undefined; reason: string } {
  const plan = computePlan();
  if (plan.trainer === "tfjs") return { reason: plan.gpu ? `GPU ${plan.device} on ${plan.backend}` : "GEOREPRO_TRAINER=tfjs" };
  try {
    return { trainer: EngineTrainer.create(model, o) };
  } catch (e) {
    if (e instanceof Unsupported) return { reason: e.message };
    throw e;
  }
}

/** The trainers' names as models record them (tfjs' carries its version: "tfjs-4.22.0"). */
export const TRAINER_VERSION = {
  engine: ENGINE_TRAINER,
  get tfjs(): string {
    return tfjsTrainer();
  },
};

function evaluateSet(probs: Float32Array, set: LabelledSet, k: number): { loss: number; acc: number; predicted: Int32Array } {
  const predicted = argmaxRows(probs, k);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < set.labels.length; i++) {
    loss -= Math.log(Math.max(probs[i * k + set.labels[i]], 1e-12));
    if (predicted[i] === set.labels[i]) correct++;
  }
  return { loss: loss / set.labels.length, acc: correct / set.labels.length, predicted };
}

const makeOptimizer = (kind: "rmsprop" | "adam", lr: number): tf.Optimizer => (kind === "adam" ? tf.train.adam(lr) : tf.train.rmsprop(lr));

/** The loop itself, without caching. */
async function fit(opts: TrainOptions, backend: string, device: string): Promise<TrainedClassifier> {
  const o = { ...DEFAULTS, ...opts };
  const write = opts.log ?? info; // stdout in a notebook: stderr there means a warning or an error
  const n = validateSet(o.train, `trainClassifier(${o.name}): train`, o.numClasses);
  validateSet(o.val, `trainClassifier(${o.name}): val`, o.numClasses);
  if (!Number.isInteger(o.epochs) || o.epochs < 1)
    throw new Error(`trainClassifier(${o.name}): epochs: expected a positive integer, got ${o.epochs}`);
  const rng = stream(o.seed, `train/${o.name}`);
  const model = o.build(rng.fork("init"));
  const k = model.outputs[0].shape[1];
  if (k !== o.numClasses) throw new Error(`trainClassifier(${o.name}): model outputs ${k} classes, numClasses is ${o.numClasses}`);
  const shuffleRng = rng.fork("shuffle");
  let lr = o.learningRate;
  const engine = engineFor(model, { batchSize: o.batchSize, optimizer: o.optimizer, learningRate: lr });
  const stepper = engine.trainer ? engineStepper(engine.trainer, model, o) : tfjsStepper(model, o, lr);
  write(
    `[train ${o.name}] ${engine.trainer ? "training engine" : `tfjs on ${backend}, ${device} (${engine.reason})`}${o.kind ? ` [kind ${o.kind}]` : ""}`,
  );
  const history: EpochRecord[] = [];
  let best: { acc: number; loss: number; epoch: number; weights: unknown } | null = null;
  let sinceImprove = 0;
  let sinceDecay = 0;
  const t0 = Date.now();
  let seen = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const te = Date.now();
    const order = shuffleRng.shuffle(Array.from({ length: n }, (_, i) => i));
    const note = await stepper.epochStart?.();
    if (note) write(`[train ${o.name}] epoch ${epoch}: ${note}`);
    let lossSum = 0;
    for (let s = 0; s < n; s += o.batchSize) {
      const idx = order.slice(s, s + o.batchSize);
      lossSum += (await stepper.step(idx)) * idx.length;
    }
    seen += n;
    const sps = n / ((Date.now() - te) / 1000);
    const v = evaluateSet(stepper.probs(o.val), o.val, o.numClasses);
    const extra = o.evaluate ? o.evaluate(v.predicted) : {};
    history.push({ epoch, loss: lossSum / n, valLoss: v.loss, valAcc: v.acc, lr, extra });
    // Better accuracy, or equal accuracy and lower loss by more than Keras' default min_delta (1e-4).
    const improved = !best || v.acc > best.acc || (v.acc === best.acc && v.loss < best.loss - 1e-4);
    if (improved) {
      stepper.drop(best?.weights);
      best = { acc: v.acc, loss: v.loss, epoch, weights: stepper.snapshot() };
      sinceImprove = 0;
      sinceDecay = 0;
    } else {
      sinceImprove++;
      sinceDecay++;
    }
    const extraText = Object.entries(extra)
      .map(([key, val]) => ` ${key} ${val.toFixed(3)}`)
      .join("");
    write(
      `[train ${o.name}] epoch ${epoch}/${o.epochs} loss ${(lossSum / n).toFixed(4)} val_loss ${v.loss.toFixed(4)} Acc ${v.acc.toFixed(3)}${extraText} ` +
        `${sps.toFixed(1)} samples/s ${Math.ceil(n / o.batchSize)} steps lr ${lr.toPrecision(3)}${improved ? " *best" : ""}`,
    );
    if (o.earlyStopPatience !== undefined && sinceImprove >= o.earlyStopPatience) {
      write(`[train ${o.name}] early stop: no validation improvement for ${sinceImprove} epochs (best epoch ${best!.epoch})`);
      break;
    }
    if (sinceDecay >= o.lrDecay.patience) {
      lr *= o.lrDecay.factor;
      stepper.setLearningRate(lr);
      sinceDecay = 0;
    }
  }
  await stepper.finish(best!.weights);
  const seconds = (Date.now() - t0) / 1000;
  const trainer = engine.trainer ? TRAINER_VERSION.engine : TRAINER_VERSION.tfjs;
  return {
    model,
    history,
    bestEpoch: best!.epoch,
    fromCache: false,
    backend,
    trainer,
    // The engine runs on the CPU whatever the tfjs backend is.
    trainedBy: { trainer, backend: engine.trainer ? "engine (WebAssembly)" : backend, device: engine.trainer ? CPU_DEVICE : device },
    timing: { seconds, samplesPerSec: seen / seconds },
  };
}

/** One training loop's moving parts, whichever runs them. */
interface Stepper {
  /** One optimizer step on rows `idx` of the training set; the batch's mean loss. */
  step(idx: number[]): number | Promise<number>;
  probs(set: LabelledSet): Float32Array;
  snapshot(): unknown;
  drop(snapshot: unknown): void;
  setLearningRate(lr: number): void;
  /** Leave `snapshot`'s weights in the model and release what the loop held. */
  finish(snapshot: unknown): void | Promise<void>;
  /** Called before each epoch; returns a line to log when something changed. */
  epochStart?(): Promise<string | undefined>;
}

type FitOptions = TrainOptions & Required<Pick<TrainOptions, "batchSize" | "learningRate" | "optimizer" | "lrDecay">>;

/**
 * The engine's loop. Per epoch, a helper thread computes half of each batch when a core is free
 * (engine/parallel.ts): the numbers are the same with or without it.
 */
function engineStepper(t: EngineTrainer, model: tf.LayersModel, o: FitOptions): Stepper {
  let helper: WorkerHelper | null = null;
  let using = false;
  return {
    async epochStart() {
      const want = t.splittable && helperWanted();
      if (want === using) return undefined;
      using = want;
      if (want && !helper)
        helper = await WorkerHelper.forModel(
          model,
          { batchSize: o.batchSize, optimizer: o.optimizer, learningRate: o.learningRate },
          o.train,
        );
      return want ? "a second core is free: half of each batch on a helper thread" : "helper thread paused (no free core)";
    },
    step: (idx) => (using && helper ? t.trainStepWith(helper, o.train, idx) : t.trainStep(o.train, idx)),
    probs: (set) => t.predictProbs(set),
    snapshot: () => t.readWeights(),
    drop: () => undefined,
    setLearningRate: (lr) => (t.learningRate = lr),
    async finish(w) {
      t.applyToModel(model, w as Float32Array[]);
      await helper?.release();
    },
  };
}

function tfjsStepper(model: tf.LayersModel, o: FitOptions, lr: number): Stepper {
  const names = model.inputNames;
  const optimizer = makeOptimizer(o.optimizer, lr);
  return {
    async step(idx) {
      const xs = batchTensors(o.train, names, idx);
      const ys = tf.tidy(() =>
        tf.oneHot(
          tf.tensor1d(
            idx.map((i) => o.train.labels[i]),
            "int32",
          ),
          o.numClasses,
        ),
      );
      const cost = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      );
      const loss = (await cost!.data())[0];
      tf.dispose([cost!, ys, ...xs]);
      return loss;
    },
    probs: (set) => predictProbsTfjs(model, set, 256, set.labels.length),
    snapshot: () => model.getWeights().map((w) => w.clone()),
    drop: (w) => w && tf.dispose(w as tf.Tensor[]),
    setLearningRate: (lr) => ((optimizer as unknown as { learningRate: number }).learningRate = lr),
    finish(w) {
      model.setWeights(w as tf.Tensor[]);
      tf.dispose(w as tf.Tensor[]);
      optimizer.dispose();
    },
  };
}

let fingerprint: string | null = null;
const trainingCodeFingerprint = (): string => (fingerprint ??= codeFingerprint(["tfjs/wasm-kernels.js", "models", "training", "text"]));

/**
 * Train a classifier (or load it from the cache). The model's input names must
 * match the feature names of `train`/`val`; its output is logits.
 */
export async function trainClassifier(opts: TrainOptions): Promise<TrainedClassifier> {
  const { name: backend, device } = await selectBackend();
  if (!opts.cache) return fit(opts, backend, device);
  const o = { ...DEFAULTS, ...opts };
  const plan = computePlan();
  const key = {
    name: o.name,
    data: o.cache!.key,
    seed: o.seed,
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    optimizer: o.optimizer,
    lrDecay: o.lrDecay,
    earlyStopPatience: o.earlyStopPatience ?? null,
    // What trains it. The preferred trainer; whether a model's layers let the engine run it is
    // decided by the code the fingerprint below covers. Device: a GPU model is never a CPU one.
    backend,
    trainer: plan.trainer === "tfjs" ? TRAINER_VERSION.tfjs : TRAINER_VERSION.engine,
    device,
    // Versions of the packages its numbers depend on (tfjs, its backend, seedrandom, Node).
    packages: trainingPackageVersions(backend),
    // 2: trainer/device/packages joined the key and the entry records what trained it (issue 24).
    version: 2,
    // The compiled numerics (kernels, layers, models, text encoding, training loop):
    // a code change retrains instead of silently reusing an older model.
    code: trainingCodeFingerprint(),
  };
  let trained: TrainedClassifier | null = null;
  const kind = `model-${o.name.replace(/[^a-z0-9._-]/gi, "_")}`;
  const entry = await cachedDir(o.cache!.dir, kind, key, async (tmp) => {
    trained = await fit(opts, backend, device);
    await saveModel(trained.model, path.join(tmp, "model"));
    writeJsonAtomic(path.join(tmp, "history.json"), {
      history: trained.history,
      bestEpoch: trained.bestEpoch,
      trainedBy: trained.trainedBy,
      packages: key.packages,
    });
  });
  if (trained) return trained;
  const model = await loadModel(path.join(entry.dir, "model"));
  const h = JSON.parse(fs.readFileSync(path.join(entry.dir, "history.json"), "utf8"));
  return {
    model,
    history: h.history,
    bestEpoch: h.bestEpoch,
    fromCache: true,
    backend,
    trainer: h.trainedBy?.trainer,
    trainedBy: h.trainedBy,
  };
}
