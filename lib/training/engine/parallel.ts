/**
 * Data-parallel training on a second core, with results independent of it.
 *
 * Every batch of a model whose layers do not couple samples is cut into the
 * same two micro-batches (trainer.ts, microBatches) and its gradient is the
 * first's plus the second's, in that order. Alone, a trainer computes both
 * on its own thread; with a helper, a worker thread computes the second from
 * the same weights, ids and dropout positions while this thread computes the
 * first. Same code, same inputs, same order of sums: bit-identical weights
 * (test/training/parallel.test.ts), so whether a helper runs can follow the
 * cores the process was given without changing a number.
 *
 * GEOREPRO_TRAIN_WORKERS: "auto" (default: a helper when GEOREPRO_THREADS, the
 * cores this process may use — a graph unit's Snakemake `threads` — is 2 or
 * more; none without it), "on" (always), "off" (never).
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type * as tf from "@tensorflow/tfjs";
import type { LabelledSet } from "../data";
import type { EngineOptions, GradientHelper } from "./trainer";
import type { WorkerReply, WorkerRequest } from "./gradient-worker";
import { helperWanted } from "../../runtime/slots";

/** Whether a helper thread may run now (see the file comment): lib/runtime/slots.ts. */
export { helperWanted };

export class WorkerHelper implements GradientHelper {
  private pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  private constructor(private readonly worker: Worker) {
    worker.on("message", (r: WorkerReply) => {
      const p = this.pending;
      this.pending = null;
      worker.unref();
      if (!p) return;
      if (r.type === "error") p.reject(new Error(`gradient worker: ${r.message}`));
      else p.resolve(r);
    });
    worker.on("error", (e) => {
      const p = this.pending;
      this.pending = null;
      worker.unref();
      p?.reject(e);
    });
    worker.unref(); // an idle helper never keeps the process alive; ask() holds it while a reply is due
  }

  private ask(m: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.pending) throw new Error("gradient worker: one request at a time");
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(m, transfer);
    });
  }

  /** A new worker thread holding `model`'s plan (compiled from its topology) and the training set. */
  static async start(model: tf.LayersModel, options: EngineOptions, set: LabelledSet): Promise<WorkerHelper> {
    const h = new WorkerHelper(new Worker(path.join(__dirname, "gradient-worker.js")));
    await h.load(model, options, set);
    return h;
  }

  private static shared: WorkerHelper | null = null;
  /**
   * The process's helper thread (started once: loading tfjs and compiling the kernels there costs
   * about a second), given `model` and its training set.
   */
  static async forModel(model: tf.LayersModel, options: EngineOptions, set: LabelledSet): Promise<WorkerHelper> {
    WorkerHelper.shared ??= new WorkerHelper(new Worker(path.join(__dirname, "gradient-worker.js")));
    await WorkerHelper.shared.load(model, options, set);
    return WorkerHelper.shared;
  }

  async load(model: tf.LayersModel, options: EngineOptions, set: LabelledSet): Promise<void> {
    await this.ask({ type: "model", topology: model.toJSON(null, false), options, set });
  }

  /** Drop the model and data (the thread stays for the next training). */
  async release(): Promise<void> {
    await this.ask({ type: "release" });
  }

  async gradients(
    weights: Float32Array,
    idx: number[],
    base: number,
    total: number,
    pass: number,
  ): Promise<{ loss: number; grads: Float32Array }> {
    const r = await this.ask({ type: "gradients", weights, idx, base, total, pass }, [weights.buffer as ArrayBuffer]);
    if (r.type !== "gradients") throw new Error(`gradient worker: unexpected reply ${r.type}`);
    return r;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
