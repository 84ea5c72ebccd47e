/**
 * Training-step speed of the models the notebooks train — the training engine
 * (lib/training/engine), the tfjs op-by-op path it replaced, and the same
 * network in PyTorch 1.13 CPU (bench/mrlf_torch.py, bench/cnn_torch.py) with 1
 * and 2 threads — on one random batch of 64, in one run, with the load average.
 *
 *   node dist/bench/train-peer.js [models] [steps=5] [--rounds=3] [--no-tfjs]
 *   models: comma list of mrlf-default, mrlf-32, mrlf-paper, resnet50, resnet101, densenet121
 *           (default: all; see bench/models.ts for the sizes)
 *
 * Each side reports wall and CPU time per step (process CPU: on a loaded
 * machine it is the steadier of the two; on an idle one they agree). The
 * engine and PyTorch with 1 thread alternate for `rounds` rounds (one-off
 * figures swung ±40 % on the shared machine) and the medians are compared.
 * Ratios are PyTorch time / engine time: > 1 means the engine is faster.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/tfjs/backend";
import { stream } from "../lib/runtime/rng";
import { batchTensors } from "../lib/training/data";
import { EngineTrainer } from "../lib/training/engine";
import { benchModel, BENCH_MODELS, cnnBenchConfig, mrlfBenchConfig, MRLF_WIDTHS } from "./models";

interface Timing {
  wallMs: number;
  cpuMs: number;
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

function time(steps: number, step: () => void): Timing {
  step();
  step();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) step();
  const cu = process.cpuUsage(c0);
  return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6 / steps, cpuMs: (cu.user + cu.system) / 1000 / steps };
}

/** A timer of engine steps on one model (compiled once). */
function engineTimer(name: string): (steps: number) => Timing {
  const { model, set, batch } = benchModel(name, stream(1, `bench/train-peer/${name}`));
  const eng = EngineTrainer.create(model, { batchSize: batch, optimizer: "rmsprop", learningRate: 0.001 });
  model.dispose();
  const idx = Array.from({ length: batch }, (_, i) => i);
  return (steps) => time(steps, () => eng.trainStep(set, idx));
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianTiming = (ts: Timing[]): Timing => ({ wallMs: median(ts.map((t) => t.wallMs)), cpuMs: median(ts.map((t) => t.cpuMs)) });

function tfjsStep(name: string, steps: number): Timing {
  const { model, set, batch } = benchModel(name, stream(1, `bench/train-peer/${name}`));
  const xs = batchTensors(
    set,
    model.inputNames,
    Array.from({ length: batch }, (_, i) => i),
  );
  const ys = tf.oneHot(tf.tensor1d(set.labels, "int32"), model.outputs[0].shape[1] as number);
  const opt = tf.train.rmsprop(0.001);
  const t = time(steps, () => {
    const c = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    c.dataSync();
    c.dispose();
  });
  tf.dispose([...xs, ys]);
  opt.dispose();
  model.dispose();
  return t;
}

function torchStep(name: string, steps: number, threads: number): Timing & { version: string } {
  const mrlf = name in MRLF_WIDTHS;
  const cfg = mrlf ? mrlfBenchConfig(name) : cnnBenchConfig(name);
  const p = spawnSync("/usr/bin/python3", [mrlf ? "bench/mrlf_torch.py" : "bench/cnn_torch.py", String(threads), String(steps)], {
    input: JSON.stringify(cfg),
    encoding: "utf8",
    // torch.set_num_threads covers OpenMP only: Debian's torch does its GEMMs in OpenBLAS, whose own pool would
    // otherwise use every core (a "1 thread" run measured 2× CPU per wall second before this).
    env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
  });
  if (p.status !== 0) throw new Error(`PyTorch peer failed (is Debian's python3-torch installed? \`make bench\` installs it): ${p.stderr}`);
  const r = JSON.parse(p.stdout.trim().split("\n").pop()!) as { step_ms: number; cpu_ms: number; torch: string };
  return { wallMs: r.step_ms, cpuMs: r.cpu_ms, version: r.torch };
}

const fmt = (t: Timing) =>
  `${t.wallMs.toFixed(1)} ms wall, ${t.cpuMs.toFixed(1)} ms CPU per step (${((64 / t.wallMs) * 1000).toFixed(0)} samples/s)`;

async function main() {
  const args = process.argv.slice(2);
  const noTfjs = args.includes("--no-tfjs");
  const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 3);
  const pos = args.filter((a) => !a.startsWith("--"));
  const models = (pos[0] ?? Object.keys(BENCH_MODELS).join(",")).split(",");
  const steps = Number(pos[1] ?? 5);
  for (const m of models)
    if (!(m in BENCH_MODELS)) throw new Error(`train-peer: unknown model "${m}" (known: ${Object.keys(BENCH_MODELS).join(", ")})`);
  const { name: backend } = await selectBackend();
  console.log(
    `train-peer: batch 64, ${steps} timed steps after 2 warm-up, ${rounds} alternating rounds (medians); tfjs backend ${backend}; ${os.cpus().length} cores; load average ${load()}`,
  );
  for (const m of models) {
    console.log(`## ${m} (load average ${load()})`);
    const engine = engineTimer(m);
    const es: Timing[] = [];
    const ts: Timing[] = [];
    let version = "";
    for (let r = 0; r < rounds; r++) {
      es.push(engine(steps));
      const t = torchStep(m, steps, 1);
      version = t.version;
      ts.push(t);
    }
    const e = medianTiming(es);
    const t1 = medianTiming(ts);
    console.log(`engine:                 ${fmt(e)}  [rounds: ${es.map((x) => x.wallMs.toFixed(0)).join(", ")} ms]`);
    console.log(`pytorch ${version} 1 thread:  ${fmt(t1)}  [rounds: ${ts.map((x) => x.wallMs.toFixed(0)).join(", ")} ms]`);
    console.log(`  ratio pytorch/engine (1 thread): wall ${(t1.wallMs / e.wallMs).toFixed(2)}×, CPU ${(t1.cpuMs / e.cpuMs).toFixed(2)}×`);
    const t2 = torchStep(m, steps, 2);
    console.log(`pytorch ${version} 2 threads: ${fmt(t2)}`);
    console.log(`  ratio pytorch (2 threads)/engine (1 thread), wall: ${(t2.wallMs / e.wallMs).toFixed(2)}×`);
    if (!noTfjs) console.log(`tfjs ops (${backend}, before the engine): ${fmt(tfjsStep(m, Math.max(1, Math.ceil(steps / 3))))}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
