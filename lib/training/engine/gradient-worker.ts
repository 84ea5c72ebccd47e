/**
 * The helper thread of parallel.ts: rebuilds the model from its topology,
 * compiles it with the engine, and computes one micro-batch's gradient per
 * request from the weights it is sent — the same code and numbers as the
 * main thread's EngineTrainer.microGradients.
 */
import { parentPort } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import "../../models/layers"; // registers the custom layer classes the topology names
import type { LabelledSet } from "../data";
import { EngineTrainer, type EngineOptions } from "./trainer";

export type WorkerRequest =
  | { type: "model"; topology: unknown; options: EngineOptions; set: LabelledSet }
  | { type: "gradients"; weights: Float32Array; idx: number[]; base: number; total: number; pass: number }
  | { type: "release" };
export type WorkerReply = { type: "ready" } | { type: "gradients"; loss: number; grads: Float32Array } | { type: "error"; message: string };

if (parentPort) {
  const port = parentPort;
  tf.env().set("IS_TEST", true); // no "install tfjs-node" banner: this thread only deserialises layers
  let trainer: EngineTrainer | null = null;
  let set: LabelledSet | null = null;
  port.on("message", async (m: WorkerRequest) => {
    try {
      if (m.type === "model") {
        const model = await tf.models.modelFromJSON({ modelTopology: m.topology as tf.io.ModelJSON["modelTopology"] });
        trainer = EngineTrainer.create(model, m.options);
        model.dispose();
        set = m.set;
        port.postMessage({ type: "ready" } satisfies WorkerReply);
        return;
      }
      if (m.type === "release") {
        trainer = null;
        set = null;
        port.postMessage({ type: "ready" } satisfies WorkerReply);
        return;
      }
      if (!trainer || !set) throw new Error("gradient worker: no model loaded");
      trainer.unpackWeights(m.weights);
      const loss = trainer.microGradients(set, m.idx, 0, m.idx.length, m.total, m.pass, m.base);
      const grads = trainer.packGradients();
      port.postMessage({ type: "gradients", loss, grads } satisfies WorkerReply, [grads.buffer]);
    } catch (e) {
      port.postMessage({ type: "error", message: (e as Error).stack ?? String(e) } satisfies WorkerReply);
    }
  });
}
