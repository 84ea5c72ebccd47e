/**
 * Where one training step's time goes, for the models the notebooks train.
 *
 *   node dist/bench/step-profile.js MODEL [steps=3] [--tfjs]
 *   MODEL: mrlf-default | mrlf-32 | mrlf-paper | resnet50 | resnet101 | densenet121
 *
 * Engine (default): CPU ms per op kind (forward / backward) and wall ms per
 * WASM kernel. --tfjs: the tfjs op-by-op path, time per registered kernel of
 * the backend and the share spent outside kernels (engine bookkeeping, tape).
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/tfjs/backend";
import { stream } from "../lib/runtime/rng";
import { batchTensors } from "../lib/training/data";
import { EngineTrainer } from "../lib/training/engine";
import type { Kernels } from "../lib/training/engine/simd";
import { benchModel, BENCH_MODELS } from "./models";

type Totals = Map<string, { ms: number; calls: number }>;
const add = (t: Totals, k: string, ms: number) => {
  const e = t.get(k) ?? { ms: 0, calls: 0 };
  e.ms += ms;
  e.calls++;
  t.set(k, e);
};
const print = (t: Totals, steps: number, top = 20) => {
  for (const [k, e] of [...t.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
    console.log(`  ${k.padEnd(30)} ${(e.ms / steps).toFixed(2).padStart(9)} ms ${(e.calls / steps).toFixed(0).padStart(6)} calls`);
};

async function main() {
  const name = process.argv[2];
  const steps = Number(process.argv[3] ?? 3);
  const useTfjs = process.argv.includes("--tfjs");
  if (!name || !(name in BENCH_MODELS)) throw new Error(`step-profile: MODEL must be one of ${Object.keys(BENCH_MODELS).join(", ")}`);
  const { name: backend } = await selectBackend();
  const { model, set, batch } = benchModel(name, stream(1, `bench/step-profile/${name}`));
  const idx = Array.from({ length: batch }, (_, i) => i);
  console.log(
    `${name}, batch ${batch}, ${useTfjs ? `tfjs ${backend}` : "training engine"}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  if (!useTfjs) {
    const eng = EngineTrainer.create(model, { batchSize: batch, optimizer: "rmsprop", learningRate: 0.001 });
    eng.trainStep(set, idx);
    const ops: Totals = new Map();
    const kernels: Totals = new Map();
    for (const op of eng.plan.ops) {
      const f = op.forward.bind(op);
      const b = op.backward.bind(op);
      op.forward = (c) => {
        const t = process.cpuUsage();
        f(c);
        const d = process.cpuUsage(t);
        add(ops, `${op.kind} forward`, (d.user + d.system) / 1000);
      };
      op.backward = (c) => {
        const t = process.cpuUsage();
        b(c);
        const d = process.cpuUsage(t);
        add(ops, `${op.kind} backward`, (d.user + d.system) / 1000);
      };
    }
    const arena = eng.plan.arena as unknown as { k: Kernels };
    const raw = arena.k;
    arena.k = Object.fromEntries(
      Object.entries(raw).map(([k, fn]) => [
        k,
        (...a: number[]) => {
          const t = process.hrtime.bigint();
          (fn as (...x: number[]) => void)(...a);
          add(kernels, k, Number(process.hrtime.bigint() - t) / 1e6);
        },
      ]),
    ) as unknown as Kernels;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) eng.trainStep(set, idx);
    const wall = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
    const cu = process.cpuUsage(c0);
    console.log(`per step (profiled): ${wall.toFixed(1)} ms wall, ${((cu.user + cu.system) / 1000 / steps).toFixed(1)} ms CPU`);
    console.log("CPU ms per op kind:");
    print(ops, steps);
    console.log("wall ms per WASM kernel:");
    print(kernels, steps, 12);
    return;
  }
  const xs = batchTensors(set, model.inputNames, idx);
  const ys = tf.oneHot(tf.tensor1d(set.labels, "int32"), model.outputs[0].shape[1] as number);
  const opt = tf.train.rmsprop(0.001);
  const step = () => {
    const c = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    c.dataSync();
    c.dispose();
  };
  step();
  step();
  const totals: Totals = new Map();
  for (const k of tf.getKernelsForBackend(backend)) {
    const inner = k.kernelFunc as (a: unknown) => unknown;
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel({
      ...k,
      kernelFunc: ((args: unknown) => {
        const t = process.hrtime.bigint();
        const out = inner(args);
        add(totals, k.kernelName, Number(process.hrtime.bigint() - t) / 1e6);
        return out;
      }) as tf.KernelFunc,
    });
  }
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) step();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
  const cu = process.cpuUsage(c0);
  const inKernels = [...totals.values()].reduce((a, e) => a + e.ms, 0) / steps;
  const calls = [...totals.values()].reduce((a, e) => a + e.calls, 0) / steps;
  console.log(
    `per step: ${wall.toFixed(1)} ms wall, ${((cu.user + cu.system) / 1000 / steps).toFixed(1)} ms CPU; inside kernels ${inKernels.toFixed(1)} ms over ${calls.toFixed(0)} calls; outside ${(wall - inKernels).toFixed(1)} ms`,
  );
  print(totals, steps, 25);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
