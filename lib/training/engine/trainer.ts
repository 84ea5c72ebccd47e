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

export class EngineTrainer {
  private pass = 0;
  private constructor(
    readonly plan: Plan,
    private readonly opt: EngineOptimizer | null,
    private readonly labels: number,
  ) {}

  static create(model: tf.LayersModel, o: EngineOptions): EngineTrainer {
    let opt: EngineOptimizer | null = null;
    let labels = 0;
    const training = o.optimizer !== "none";
    const plan = compileModel(
      model,
      o.batchSize,
      (arena: Arena, params) => {
        if (o.optimizer !== "none") opt = new EngineOptimizer(o.optimizer, o.learningRate, params, arena);
        labels = arena.alloc(o.batchSize);
      },
      training,
    );
    const t = new EngineTrainer(plan, opt, labels);
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
      if (!f) throw new Error(`engine: the model has an input "${name}" but the data has no such feature (have: ${Object.keys(set.features).join(", ")})`);
      const w = tensor.per;
      if (f.shape.reduce((a, b) => a * b, 1) !== w) throw new Error(`engine: features.${name}.shape [${f.shape}] does not match the model input [${tensor.shape}]`);
      const isInt = tensor.dtype === "int32";
      if (isInt !== f.data instanceof Int32Array) throw new Error(`engine: features.${name}: expected ${isInt ? "Int32Array" : "Float32Array"} for a ${tensor.dtype} input`);
      const dst = isInt ? i32 : f32;
      for (let i = 0; i < B; i++) dst.set(f.data.subarray(idx[i] * w, idx[i] * w + w), tensor.off + i * w);
    }
    for (let i = 0; i < B; i++) i32[this.labels + i] = set.labels[idx[i]];
    return B;
  }

  private forward(B: number, training: boolean): void {
    const c: Ctx = { a: this.arena, B, training, pass: this.pass };
    if (training) this.pass++;
    for (const op of this.plan.ops) op.forward(c);
  }

  /** One optimizer step on the loaded batch; returns its mean loss. */
  trainStep(B: number): number {
    const loss = this.gradients(B);
    this.optimizer.step(this.arena.f32);
    return loss;
  }

  /** Forward in training mode, loss, backward: fills every trainable parameter's gradient. */
  gradients(B: number): number {
    if (!this.opt) throw new Error("engine: this plan was compiled for prediction only");
    this.forward(B, true);
    const loss = this.lossAndGradient(B);
    const c: Ctx = { a: this.arena, B, training: true, pass: this.pass - 1 };
    const ops = this.plan.ops;
    for (let i = ops.length - 1; i >= 0; i--) ops[i].backward(c);
    return loss;
  }

  /** Copies of the trainable parameters' gradients, by variable name. */
  readGradients(): Map<string, Float32Array> {
    const f = this.arena.f32;
    return new Map(this.plan.params.filter((p) => p.trainable).map((p) => [p.name, f.slice(p.goff, p.goff + p.size)]));
  }

  private lossAndGradient(B: number): number {
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
      for (let j = 0; j < K; j++) f[g + j] = (Math.exp(f[o + j] - lse) - (j === y ? 1 : 0)) / B;
    }
    return loss / B;
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
      this.forward(B, false);
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
