/**
 * MRLF training speed: TensorFlow.js (fastest backend that loads, wasm here,
 * with lib/runtime/wasm-kernels.ts) vs the same architecture in PyTorch CPU
 * (bench/mrlf_torch.py), batch 64, paper sizes, in one run.
 * Run: node dist/bench/mrlf-train.js [steps=5] [widths=paper,default]. Prints
 * samples/s and the ratio for each width: "paper width" (Sec. IV-A sizes) and
 * "default-scale width" (embedDim 32, filters 32, heads 4, headDim 8, ffnDim 64,
 * imageOut 32 — the reduced width the default-scale notebooks train).
 * tfjs wasm runs single-threaded in Node, so the like-for-like ratio is against
 * PyTorch with 1 thread; PyTorch with 2 threads is printed too.
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { buildMrlf, mrlfConfig, type MrlfConfig } from "../lib/models/mrlf";
import { selectBackend } from "../lib/runtime/backend";
import { stream } from "../lib/runtime/rng";
import { batchTensors, type LabelledSet } from "../lib/training/data";

const WIDTHS: Record<string, { label: string; overrides: Partial<MrlfConfig> }> = {
  paper: { label: "paper width", overrides: {} },
  default: { label: "default-scale width", overrides: { embedDim: 32, filters: 32, heads: 4, headDim: 8, ffnDim: 64, imageOut: 32 } },
};

async function main() {
  const steps = Number(process.argv[2] ?? 5);
  const widths = (process.argv[3] ?? "paper,default").split(",");
  console.log(`load average (1/5/15 min, 2 cores shared): ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  for (const w of widths) {
    if (!WIDTHS[w]) throw new Error(`mrlf-train: unknown width "${w}" (choose from ${Object.keys(WIDTHS).join(", ")})`);
    console.log(`## ${WIDTHS[w].label}`);
    await benchWidth(steps, WIDTHS[w].overrides);
  }
}

async function benchWidth(steps: number, overrides: Partial<MrlfConfig>) {
  const { name } = await selectBackend();
  const cfg = mrlfConfig({ numClasses: 40, charVocab: 80, wordVocab: 5000, tagVocab: 2000, imageDim: 512 }, overrides);
  const B = 64;
  const r = stream(1, "bench/mrlf");
  const ids = (len: number, v: number) => Int32Array.from({ length: B * len }, () => 2 + r.int(v - 2));
  const set: LabelledSet = {
    labels: Int32Array.from({ length: B }, () => r.int(cfg.numClasses)),
    features: {
      textChars: { data: ids(cfg.maxTextChars, cfg.charVocab), shape: [cfg.maxTextChars] },
      textWords: { data: ids(cfg.maxTextWords, cfg.wordVocab), shape: [cfg.maxTextWords] },
      tagChars: { data: ids(cfg.maxTagChars, cfg.charVocab), shape: [cfg.maxTagChars] },
      tagWords: { data: ids(cfg.maxTags, cfg.tagVocab), shape: [cfg.maxTags] },
      image: { data: Float32Array.from({ length: B * cfg.imageDim }, () => r.normal()), shape: [cfg.imageDim] },
    },
  };
  const model = buildMrlf(cfg, r.fork("init"));
  const xs = batchTensors(set, model.inputNames, Array.from({ length: B }, (_, i) => i));
  const ys = tf.oneHot(tf.tensor1d(set.labels, "int32"), cfg.numClasses);
  const opt = tf.train.rmsprop(0.001);
  const step = () => {
    const c = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    c.dataSync();
    c.dispose();
  };
  step();
  step();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) step();
  const stepMs = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
  const tfjs = (B / stepMs) * 1000;
  console.log(`tfjs ${name}: ${tfjs.toFixed(1)} samples/s (${stepMs.toFixed(0)} ms/step, batch ${B}, 1 thread)`);
  const torch = (threads: number) => {
    const p = spawnSync("/usr/bin/python3", ["bench/mrlf_torch.py", String(threads), String(steps)], { input: JSON.stringify(cfg), encoding: "utf8" });
    if (p.status !== 0) throw new Error(`bench/mrlf_torch.py failed: ${p.stderr}`);
    return JSON.parse(p.stdout.trim().split("\n").pop()!) as { samples_per_s: number; step_ms: number; torch: string };
  };
  model.dispose();
  tf.dispose([...xs, ys]);
  for (const threads of [1, 2]) {
    const t = torch(threads);
    console.log(`pytorch ${t.torch} cpu, ${threads} thread(s): ${t.samples_per_s.toFixed(1)} samples/s (${t.step_ms.toFixed(0)} ms/step)`);
    console.log(`ratio tfjs/pytorch (${threads} thread(s)): ${(tfjs / t.samples_per_s).toFixed(2)}`);
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
