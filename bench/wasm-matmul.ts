/**
 * Batched matMul on wasm: the sliced-XNNPACK override (lib/tfjs/wasm-kernels.ts)
 * vs wasm's native kernel, on MRLF's attention shapes, all transpose combinations.
 * Run: node dist/bench/wasm-matmul.js [reps=3]. Prints ms per call and GFLOP/s.
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/tfjs/backend";
import { stream } from "../lib/runtime/rng";

type Case = { label: string; n: number; m: number; k: number; p: number };
const CASES: Case[] = [
  { label: "probs·V (d=8)", n: 256, m: 128, k: 128, p: 8 },
  { label: "Q·Kᵀ (d=8)", n: 256, m: 128, k: 8, p: 128 },
  { label: "probs·V (d=16, paper)", n: 512, m: 128, k: 128, p: 16 },
  { label: "cross (d=32)", n: 64, m: 128, k: 128, p: 32 },
  { label: "cross (d=100, paper)", n: 64, m: 128, k: 128, p: 100 },
];

async function main() {
  const reps = Number(process.argv[2] ?? 3);
  await selectBackend("wasm");
  const native = tf.getKernel("BatchMatMul", "wasm");
  const r = stream(3, "bench/wasm-matmul");
  const rand = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((x, y) => x * y) }, () => r.normal()),
      shape,
    );
  const time = (f: () => tf.Tensor) => {
    f().dispose();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) {
      const o = f();
      o.dataSync();
      o.dispose();
    }
    return Number(process.hrtime.bigint() - t0) / 1e6 / reps;
  };
  for (const c of CASES) {
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const a = rand(tA ? [c.n, c.k, c.m] : [c.n, c.m, c.k]);
      const b = rand(tB ? [c.n, c.p, c.k] : [c.n, c.k, c.p]);
      const flops = 2 * c.n * c.m * c.k * c.p;
      const ours = time(() => tf.matMul(a, b, tA, tB));
      let nat = NaN;
      if (native && c.n * c.m * c.k * c.p <= 256 * 128 * 128 * 8) {
        // wasm's own loop, through the engine (slow: only on the smaller shapes)
        nat = time(() => tf.engine().runKernel("BatchMatMul", { a, b }, { transposeA: tA, transposeB: tB }) as tf.Tensor);
      }
      const f = (ms: number) => (isNaN(ms) ? "—" : `${ms.toFixed(1)} ms (${(flops / ms / 1e6).toFixed(1)} GFLOP/s)`);
      console.log(`${c.label} [${c.n},${c.m},${c.k}]·[${c.n},${c.k},${c.p}] tA=${+tA} tB=${+tB}: sliced ${f(ours)}`);
      void nat;
      tf.dispose([a, b]);
    }
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
