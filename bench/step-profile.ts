/**
 * Where one training step's time goes, per TensorFlow.js kernel, for the
 * models the notebooks train. Wraps every registered kernel of the active
 * backend with a timer, runs warm-up steps, then `steps` timed steps, and
 * prints wall and CPU ms per step, the share spent inside kernels (the rest is
 * the engine, the gradient tape and layer code) and the top kernels.
 *
 *   node dist/bench/step-profile.js MODEL [steps=3] [top=25]
 *   MODEL: mrlf-default | mrlf-32 | mrlf-paper | resnet50 | resnet101 | densenet121
 *
 * Image CNNs at the default scale's sizes (32 px, ResNet width 8, DenseNet
 * growth 8, BN momentum 0.9), MRLF at width 16 / 32 / 100, batch 64.
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/runtime/backend";
import { stream } from "../lib/runtime/rng";
import { batchTensors } from "../lib/training/data";
import { benchModel, BENCH_MODELS } from "./models";

async function main() {
  const name = process.argv[2];
  const steps = Number(process.argv[3] ?? 3);
  const top = Number(process.argv[4] ?? 25);
  if (!name || !(name in BENCH_MODELS)) throw new Error(`step-profile: MODEL must be one of ${Object.keys(BENCH_MODELS).join(", ")}`);
  const { name: backend } = await selectBackend();
  const { model, set, batch } = benchModel(name, stream(1, `bench/step-profile/${name}`));
  const xs = batchTensors(set, model.inputNames, Array.from({ length: batch }, (_, i) => i));
  const ys = tf.oneHot(tf.tensor1d(set.labels, "int32"), model.outputs[0].shape[1] as number);
  const opt = tf.train.rmsprop(0.001);
  const step = () => {
    const c = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    c.dataSync();
    c.dispose();
  };
  step();
  step();
  // Time every kernel call of the backend (the wrapper costs ≈ 1 µs per call).
  const totals = new Map<string, { ms: number; calls: number }>();
  for (const k of tf.getKernelsForBackend(backend)) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel({
      ...k,
      kernelFunc: ((args: unknown) => {
        const t0 = process.hrtime.bigint();
        const out = (inner as (a: unknown) => unknown)(args);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const e = totals.get(k.kernelName) ?? { ms: 0, calls: 0 };
        e.ms += ms;
        e.calls++;
        totals.set(k.kernelName, e);
        return out;
      }) as tf.KernelFunc,
    });
  }
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) step();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1000 / steps;
  const inKernels = [...totals.values()].reduce((a, e) => a + e.ms, 0) / steps;
  const calls = [...totals.values()].reduce((a, e) => a + e.calls, 0) / steps;
  console.log(`${name} on ${backend}, batch ${batch}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  console.log(`per step: ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU; inside kernels ${inKernels.toFixed(1)} ms over ${calls.toFixed(0)} calls; outside ${(wall - inKernels).toFixed(1)} ms`);
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
  for (const [k, e] of rows) console.log(`  ${k.padEnd(28)} ${(e.ms / steps).toFixed(2).padStart(9)} ms ${(e.calls / steps).toFixed(0).padStart(6)} calls ${((1000 * e.ms) / e.calls).toFixed(0).padStart(7)} µs/call`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
