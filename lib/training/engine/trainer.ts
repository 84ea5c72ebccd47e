/**
 * Training and prediction of a compiled model: batches copied straight from
 * a LabelledSet into the arena, forward, softmax cross-entropy, backward and
 * the optimizer step, with no tensor allocation per step.
 *
 * Loss (tf.losses.softmaxCrossEntropy, mean over the batch):
 *   L = (1/B) Σ_b [ logsumexp(z_b) − z_b[y_b] ],   ∂L/∂z_b = (softmax(z_b) − onehot(y_b))/B
 *
 * The model's weights are copied in at creation; `applyToModel` writes the
 * engine's weights back into the tfjs variables (for saving, prediction with
 * tfjs, or whatever the caller does next).
 */
import * as tf from "@tensorflow/tfjs";
import type { LabelledSet } from "../data";
import { compileModel, type Plan } from "./compile";
import { EngineOptimizer, type OptimizerKind } from "./optimizer";
import type { Arena } from "./arena";
import type { Ctx } from "./ops/common";

export interface EngineOptions {
  /** Largest batch the plan holds (training batches and prediction chunks). */
  batchSize: number;
  /** "none": a prediction-only plan (no gradients, no optimizer state). */
  optimizer: OptimizerKind | "none";
  learningRate: number;
}

/**
 * How a training batch of B samples is cut: two halves [0, ⌈B/2⌉) and [⌈B/2⌉, B) when no layer
 * couples samples (BatchNorm does), else the whole batch. The batch's gradient is the first
 * part's plus the second's, in that order — computed here one after the other, or the second on
 * a helper thread (parallel.ts): the same numbers either way.
 */
export function microBatches(B: number, splittable: boolean): [number, number][] {
  if (!splittable || B < 2) return [[0, B]];
  const h = Math.ceil(B / 2);
  return [
    [0, h],
    [h, B],
  ];
}

/** Computes the gradient of one micro-batch elsewhere (a worker thread) from packed weights. */
export interface GradientHelper {
  gradients(
    weights: Float32Array,
    idx: number[],
    base: number,
    total: number,
    pass: number,
  ): Promise<{ loss: number; grads: Float32Array }>;
}

export class EngineTrainer {
  private pass = 0;
  private constructor(
    readonly plan: Plan,
    private readonly opt: EngineOptimizer | null,
    private readonly labels: number,
    /** Accumulated gradient of the earlier micro-batches, trainable parameters packed in order. */
    private readonly gacc: number,
  ) {}

  static create(model: tf.LayersModel, o: EngineOptions): EngineTrainer {
    let opt: EngineOptimizer | null = null;
    let labels = 0;
    let gacc = 0;
    const training = o.optimizer !== "none";
    const plan = compileModel(
      model,
      o.batchSize,
      (arena: Arena, params) => {
        if (o.optimizer !== "none") opt = new EngineOptimizer(o.optimizer, o.learningRate, params, arena);
        labels = arena.alloc(o.batchSize);
        if (training) gacc = arena.alloc(params.filter((p) => p.trainable).reduce((n, p) => n + p.size, 0));
      },
      training,
    );
    const t = new EngineTrainer(plan, opt, labels, gacc);
    t.writeWeights(model.weights.map((w) => w.read().dataSync() as Float32Array));
    return t;
  }

  get arena(): Arena {
    return this.plan.arena;
  }
  private get optimizer(): EngineOptimizer {
    if (!this.opt) throw new Error("engine: this plan was compiled for prediction only");
    return this.opt;
  }
  get learningRate(): number {
    return this.optimizer.learningRate;
  }
  set learningRate(lr: number) {
    this.optimizer.learningRate = lr;
  }

  /** Copy rows `idx` of every model input (and their labels) into the arena; returns the batch size. */
  loadBatch(set: LabelledSet, idx: ArrayLike<number>): number {
    const B = idx.length;
    if (B < 1 || B > this.plan.maxBatch) throw new Error(`engine: batch of ${B} (plan holds 1..${this.plan.maxBatch})`);
    const { f32, i32 } = this.arena;
    for (const { name, tensor } of this.plan.inputs) {
      const f = set.features[name];
      if (!f)
        throw new Error(
          `engine: the model has an input "${name}" but the data has no such feature (have: ${Object.keys(set.features).join(", ")})`,
        );
      const w = tensor.per;
      if (f.shape.reduce((a, b) => a * b, 1) !== w)
        throw new Error(`engine: features.${name}.shape [${f.shape}] does not match the model input [${tensor.shape}]`);
      const isInt = tensor.dtype === "int32";
      if (isInt !== f.data instanceof Int32Array)
        throw new Error(`engine: features.${name}: expected ${isInt ? "Int32Array" : "Float32Array"} for a ${tensor.dtype} input`);
      const dst = isInt ? i32 : f32;
      for (let i = 0; i < B; i++) dst.set(f.data.subarray(idx[i] * w, idx[i] * w + w), tensor.off + i * w);
    }
    for (let i = 0; i < B; i++) i32[this.labels + i] = set.labels[idx[i]];
    return B;
  }

  /** Whether a batch may be cut into micro-batches (no layer couples samples). */
  get splittable(): boolean {
    return !this.plan.ops.some((o) => o.couplesSamples);
  }

  private forward(B: number, training: boolean, pass: number, sampleBase: number): void {
    const c: Ctx = { a: this.arena, B, training, pass, sampleBase };
    for (const op of this.plan.ops) op.forward(c);
  }

  /**
   * One optimizer step on rows `idx` of `set`; returns the batch's mean loss. The batch is cut
   * into microBatches(); with a helper, the last micro-batch's gradient is computed there while
   * this thread does the first.
   */
  trainStep(set: LabelledSet, idx: ArrayLike<number>): number {
    const parts = microBatches(idx.length, this.splittable);
    const pass = this.pass++;
    let loss = 0;
    parts.forEach(([lo, hi], i) => {
      if (i > 0) this.stashGradients();
      loss += this.microGradients(set, idx, lo, hi, idx.length, pass);
    });
    if (parts.length > 1) this.addStashedGradients();
    this.optimizer.step(this.arena.f32);
    return loss / idx.length;
  }

  /** trainStep with the second micro-batch computed by `helper` (bit-identical to trainStep). */
  async trainStepWith(helper: GradientHelper, set: LabelledSet, idx: number[]): Promise<number> {
    const parts = microBatches(idx.length, this.splittable);
    if (parts.length < 2) return this.trainStep(set, idx);
    const pass = this.pass++;
    const [[lo0, hi0], [lo1, hi1]] = parts;
    const remote = helper.gradients(this.packWeights(), idx.slice(lo1, hi1), lo1, idx.length, pass);
    let loss = this.microGradients(set, idx, lo0, hi0, idx.length, pass);
    this.stashGradients();
    const r = await remote;
    this.unpackGradients(r.grads);
    loss += r.loss;
    this.addStashedGradients();
    this.optimizer.step(this.arena.f32);
    return loss / idx.length;
  }

  /**
   * Gradient of rows idx[lo..hi) as part of a batch of `total` samples at training pass `pass`:
   * forward, loss scaled by 1/total, backward into every trainable parameter's gradient (which
   * it overwrites). Returns the loss summed over these rows.
   */
  microGradients(set: LabelledSet, idx: ArrayLike<number>, lo: number, hi: number, total: number, pass: number, sampleBase = lo): number {
    if (!this.opt) throw new Error("engine: this plan was compiled for prediction only");
    const B = this.loadBatch(set, Array.prototype.slice.call(idx, lo, hi) as number[]);
    this.forward(B, true, pass, sampleBase);
    const loss = this.lossAndGradient(B, total);
    const c: Ctx = { a: this.arena, B, training: true, pass, sampleBase };
    const ops = this.plan.ops;
    for (let i = ops.length - 1; i >= 0; i--) ops[i].backward(c);
    return loss;
  }

  /**
   * Forward in training mode, loss, backward on the loaded batch of B: fills every trainable parameter's gradient; returns the mean loss.
   */
  gradients(B: number): number {
    if (!this.opt) throw new Error("engine: this plan was compiled for prediction only");
    const pass = this.pass++;
    this.forward(B, true, pass, 0);
    const loss = this.lossAndGradient(B, B) / B;
    const c: Ctx = { a: this.arena, B, training: true, pass, sampleBase: 0 };
    const ops = this.plan.ops;
    for (let i = ops.length - 1; i >= 0; i--) ops[i].backward(c);
    return loss;
  }

  private get trainable() {
    return this.plan.params.filter((p) => p.trainable);
  }

  /** gacc ← the current gradients (packed). */
  private stashGradients(): void {
    const f = this.arena.f32;
    let o = this.gacc;
    for (const p of this.trainable) {
      f.copyWithin(o, p.goff, p.goff + p.size);
      o += p.size;
    }
  }

  /** gradients ← gacc + gradients: the earlier micro-batches' sum first. */
  private addStashedGradients(): void {
    const { k } = this.arena;
    let o = this.gacc;
    for (const p of this.trainable) {
      k.vadd(4 * o, 4 * p.goff, 4 * p.goff, p.size);
      o += p.size;
    }
  }

  /** Every weight (trainable or not), packed in model.weights order. */
  packWeights(): Float32Array {
    const f = this.arena.f32;
    const out = new Float32Array(this.plan.params.reduce((n, p) => n + p.size, 0));
    let o = 0;
    for (const p of this.plan.params) {
      out.set(f.subarray(p.off, p.off + p.size), o);
      o += p.size;
    }
    return out;
  }

  unpackWeights(w: Float32Array): void {
    const f = this.arena.f32;
    let o = 0;
    for (const p of this.plan.params) {
      f.set(w.subarray(o, o + p.size), p.off);
      o += p.size;
    }
    if (o !== w.length) throw new Error(`engine: ${w.length} packed weights for ${o}`);
  }

  /** Trainable parameters' gradients, packed in order. */
  packGradients(): Float32Array {
    const f = this.arena.f32;
    const out = new Float32Array(this.trainable.reduce((n, p) => n + p.size, 0));
    let o = 0;
    for (const p of this.trainable) {
      out.set(f.subarray(p.goff, p.goff + p.size), o);
      o += p.size;
    }
    return out;
  }

  private unpackGradients(g: Float32Array): void {
    const f = this.arena.f32;
    let o = 0;
    for (const p of this.trainable) {
      f.set(g.subarray(o, o + p.size), p.goff);
      o += p.size;
    }
    if (o !== g.length) throw new Error(`engine: ${g.length} packed gradients for ${o}`);
  }

  /** Copies of the trainable parameters' gradients, by variable name. */
  readGradients(): Map<string, Float32Array> {
    const f = this.arena.f32;
    return new Map(this.plan.params.filter((p) => p.trainable).map((p) => [p.name, f.slice(p.goff, p.goff + p.size)]));
  }

  /** Softmax cross-entropy of the loaded rows, gradient scaled by 1/total; returns the summed loss. */
  private lossAndGradient(B: number, total: number): number {
    const { f32: f, i32 } = this.arena;
    const out = this.plan.output;
    const K = out.per;
    let loss = 0;
    for (let b = 0; b < B; b++) {
      const o = out.off + b * K;
      const g = out.goff + b * K;
      let m = -Infinity;
      for (let j = 0; j < K; j++) if (f[o + j] > m) m = f[o + j];
      let s = 0;
      for (let j = 0; j < K; j++) s += Math.exp(f[o + j] - m);
      const lse = m + Math.log(s);
      const y = i32[this.labels + b];
      if (!(y >= 0 && y < K)) throw new Error(`engine: label ${y} of batch row ${b} is not a class in [0, ${K})`);
      loss += lse - f[o + y];
      for (let j = 0; j < K; j++) f[g + j] = (Math.exp(f[o + j] - lse) - (j === y ? 1 : 0)) / total;
    }
    return loss;
  }

  /** Softmax probabilities [n × classes] in inference mode (dropout off, BatchNorm moving statistics). */
  predictProbs(set: LabelledSet): Float32Array {
    const n = set.labels.length;
    const out = this.plan.output;
    const K = out.per;
    const probs = new Float32Array(n * K);
    const f = this.arena.f32;
    for (let s = 0; s < n; s += this.plan.maxBatch) {
      const idx = Array.from({ length: Math.min(this.plan.maxBatch, n - s) }, (_, i) => s + i);
      const B = this.loadBatch(set, idx);
      this.forward(B, false, 0, 0);
      for (let b = 0; b < B; b++) {
        const o = out.off + b * K;
        let m = -Infinity;
        for (let j = 0; j < K; j++) if (f[o + j] > m) m = f[o + j];
        let z = 0;
        for (let j = 0; j < K; j++) z += Math.exp(f[o + j] - m);
        for (let j = 0; j < K; j++) probs[(s + b) * K + j] = Math.exp(f[o + j] - m) / z;
      }
    }
    return probs;
  }

  /** Copies of every weight, in model.weights order. */
  readWeights(): Float32Array[] {
    const f = this.arena.f32;
    return this.plan.params.map((p) => f.slice(p.off, p.off + p.size));
  }

  writeWeights(ws: readonly Float32Array[]): void {
    const f = this.arena.f32;
    this.plan.params.forEach((p, i) => {
      if (ws[i].length !== p.size) throw new Error(`engine: weight ${p.name}: ${ws[i].length} values for shape [${p.shape}]`);
      f.set(ws[i], p.off);
    });
  }

  /** Write the engine's weights into the tfjs model's variables. */
  applyToModel(model: tf.LayersModel, ws: readonly Float32Array[] = this.readWeights()): void {
    const ts = this.plan.params.map((p, i) => tf.tensor(ws[i], p.shape));
    model.setWeights(ts);
    tf.dispose(ts);
  }
}
