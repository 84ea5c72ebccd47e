import { test } from "node:test";
import assert from "node:assert/strict";
import { selectBackend } from "../../lib/tfjs/backend";
import { stream } from "../../lib/runtime/rng";
import type * as TF from "@tensorflow/tfjs";

/** Run `f` on the cpu backend and on wasm (with our kernels); return both results. */
async function onBoth(f: (tf: typeof TF) => TF.Tensor | TF.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const { tf } = await selectBackend("wasm");
  const run = () => {
    const out = tf.tidy(() => {
      const r = f(tf);
      return Array.isArray(r) ? r : [r];
    });
    const vals = out.map((t) => t.dataSync() as Float32Array);
    tf.dispose(out);
    return vals;
  };
  await tf.setBackend("cpu");
  const cpu = run();
  await tf.setBackend("wasm");
  const wasm = run();
  return { cpu, wasm };
}

const data = (name: string, n: number) => {
  const r = stream(7, name);
  return Float32Array.from({ length: n }, () => r.normal());
};

function close(a: Float32Array[], b: Float32Array[], tol = 1e-4) {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    assert.equal(x.length, b[i].length);
    let maxAbs = 0;
    let maxDiff = 0;
    for (let j = 0; j < x.length; j++) {
      maxAbs = Math.max(maxAbs, Math.abs(x[j]));
      maxDiff = Math.max(maxDiff, Math.abs(x[j] - b[i][j]));
    }
    assert.ok(maxAbs > 0, "reference is all zeros: the test would pass vacuously");
    assert.ok(maxDiff <= tol * Math.max(1, maxAbs), `max difference ${maxDiff} > ${tol}·${maxAbs}`);
  });
}

test("wasm backend has the training kernels it lacked", async () => {
  const { tf } = await selectBackend("wasm");
  for (const k of ["UnsortedSegmentSum", "Conv2DBackpropFilter", "Conv2DBackpropInput", "BatchMatMul"])
    assert.ok(tf.getKernel(k, "wasm"), k);
});

test("embedding (gather) gradient matches cpu: UnsortedSegmentSum", async () => {
  const { cpu, wasm } = await onBoth((tf) => {
    const table = tf.tensor2d(data("emb", 7 * 5), [7, 5]);
    const ids = tf.tensor2d([0, 3, 3, 6, 1, 3], [2, 3], "int32");
    const up = tf.tensor3d(data("up", 2 * 3 * 5), [2, 3, 5]);
    return tf.grad((t: TF.Tensor) => tf.gather(t, ids).mul(up).sum())(table);
  });
  close(cpu, wasm);
  // id 3 appears three times: its row is the sum of three upstream rows, not one
  const row3 = Array.from(wasm[0].slice(15, 20));
  assert.ok(row3.some((v) => v !== 0));
});

for (const [label, kernel, pad, stride] of [
  ["conv1d same k=4", 4, "same", 1],
  ["conv1d valid k=3", 3, "valid", 1],
  ["conv1d same k=3 stride 2 (im2col path)", 3, "same", 2],
] as const) {
  test(`conv1d weight and input gradients match cpu: ${label}`, async () => {
    const { cpu, wasm } = await onBoth((tf) => {
      const x = tf.tensor3d(data("x", 3 * 11 * 4), [3, 11, 4]);
      const w = tf.tensor3d(data("w", kernel * 4 * 5), [kernel, 4, 5]);
      const g = tf.grads((a: TF.Tensor, b: TF.Tensor) =>
        tf
          .conv1d(a as TF.Tensor3D, b as TF.Tensor3D, stride, pad)
          .square()
          .sum(),
      );
      return g([x, w]);
    });
    close(cpu, wasm);
  });
}

test("conv2d 3x3 gradients match cpu (stride 1, same)", async () => {
  const { cpu, wasm } = await onBoth((tf) => {
    const x = tf.tensor4d(data("x2", 2 * 6 * 5 * 3), [2, 6, 5, 3]);
    const w = tf.tensor4d(data("w2", 3 * 3 * 3 * 4), [3, 3, 3, 4]);
    return tf.grads((a: TF.Tensor, b: TF.Tensor) =>
      tf
        .conv2d(a as TF.Tensor4D, b as TF.Tensor4D, 1, "same")
        .square()
        .sum(),
    )([x, w]);
  });
  close(cpu, wasm);
});

test("matMul with transposes, batches and a shared operand matches cpu", async () => {
  const { cpu, wasm } = await onBoth((tf) => {
    const a = tf.tensor3d(data("a", 6 * 5 * 4), [6, 5, 4]);
    const b = tf.tensor3d(data("b", 6 * 4 * 3), [6, 4, 3]);
    const m = tf.tensor2d(data("m", 7 * 4), [7, 4]);
    const n = tf.tensor2d(data("n", 7 * 3), [7, 3]);
    const w = tf.tensor2d(data("w", 4 * 3), [4, 3]);
    return [
      tf.matMul(a, b),
      tf.matMul(a, b.transpose([0, 2, 1]), false, true),
      tf.matMul(a.transpose([0, 2, 1]), b, true, false),
      tf.matMul(m, n, true, false),
      tf.matMul(a, w.expandDims(0) as TF.Tensor3D),
      ...tf.grads((p: TF.Tensor, q: TF.Tensor) =>
        tf
          .matMul(p as TF.Tensor3D, q as TF.Tensor3D)
          .square()
          .sum(),
      )([a, b]),
    ];
  });
  close(cpu, wasm);
});

test("sliced batched matMul: all transpose combinations, both plans, rank-4 batches match cpu", async () => {
  const { planBatchMatMul } = await import("../../lib/tfjs/wasm-kernels");
  // Shapes chosen so that each flag pair exercises the direct plan for one shape and the swapped (Cᵀ) plan for the other.
  const shapes = [
    { n: 5, m: 9, k: 7, p: 3 }, // small right operand: direct
    { n: 4, m: 3, k: 6, p: 11 }, // large right operand, small result: swapped for some flags
  ];
  const plans = new Set<string>();
  for (const s of shapes)
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const)
      plans.add(`${tA}${tB}${planBatchMatMul(s.n * s.m * s.k, s.n * s.k * s.p, s.n * s.m * s.p, tA, tB).swap}`);
  assert.ok([...plans].some((p) => p.endsWith("true")) && [...plans].some((p) => p.endsWith("false")), "both plans are exercised");
  const { cpu, wasm } = await onBoth((tf) => {
    const outs: TF.Tensor[] = [];
    shapes.forEach(({ n, m, k, p }, si) => {
      for (const [tA, tB] of [
        [false, false],
        [false, true],
        [true, false],
        [true, true],
      ] as const) {
        const a = tf.tensor3d(data(`sa${si}${tA}`, n * m * k), tA ? [n, k, m] : [n, m, k]);
        const b = tf.tensor3d(data(`sb${si}${tB}`, n * k * p), tB ? [n, p, k] : [n, k, p]);
        outs.push(tf.matMul(a, b, tA, tB));
        outs.push(
          ...tf.grads((x: TF.Tensor, y: TF.Tensor) =>
            tf
              .matMul(x as TF.Tensor3D, y as TF.Tensor3D, tA, tB)
              .square()
              .sum(),
          )([a, b]),
        );
      }
    });
    // rank 4 (batch × heads) as the attention layer could use, and a broadcast left operand (native fallback)
    const a4 = tf.tensor4d(data("a4", 2 * 3 * 5 * 4), [2, 3, 5, 4]);
    const b4 = tf.tensor4d(data("b4", 2 * 3 * 6 * 4), [2, 3, 6, 4]);
    outs.push(tf.matMul(a4, b4, false, true));
    const a1 = tf.tensor3d(data("a1", 5 * 4), [1, 5, 4]);
    outs.push(tf.matMul(a1, tf.tensor3d(data("b3", 3 * 4 * 2), [3, 4, 2])));
    return outs;
  });
  close(cpu, wasm);
});

test("planBatchMatMul picks the product form that moves the fewest floats", async () => {
  const { planBatchMatMul } = await import("../../lib/tfjs/wasm-kernels");
  // dV = Pᵀ·dO with P [128,128], dO [128,16]: swapping would make P the packed operand (16k) plus two
  // small transposes; transposing P once is cheaper (measured: 104 vs 210 ms for 512 slices)
  const dv = planBatchMatMul(128 * 128, 128 * 16, 128 * 16, true, false);
  assert.deepEqual([dv.swap, dv.transposeLeft, dv.transposeRight], [false, true, false]);
  // Aᵀ·Bᵀ = (B·A)ᵀ: no input transposes, one transpose of the result
  const tt = planBatchMatMul(128 * 128, 128 * 100, 128 * 100, true, true);
  assert.deepEqual([tt.swap, tt.transposeLeft, tt.transposeRight], [true, false, false]);
  // probs·V: nothing to transpose, V is the small packed operand
  assert.equal(planBatchMatMul(128 * 128, 128 * 16, 128 * 16, false, false).swap, false);
});

test("gather rows, max-pool gradient (same and valid, overlapping windows) and leading-axis sums match cpu", async () => {
  const { cpu, wasm } = await onBoth((tf) => {
    const table = tf.tensor2d(data("gt", 9 * 4), [9, 4]);
    const ids = tf.tensor2d([8, 0, 3, 3, 1, 7], [3, 2], "int32");
    const x = tf.tensor3d(data("mp", 2 * 11 * 3), [2, 11, 3]);
    const pool = (pad: "same" | "valid", size: number, stride: number) =>
      tf.grad((t: TF.Tensor) =>
        tf
          .maxPool(t.reshape([2, 11, 1, 3]) as TF.Tensor4D, [size, 1], [stride, 1], pad)
          .square()
          .sum(),
      )(x);
    const m = tf.tensor3d(data("sm", 5 * 6 * 7), [5, 6, 7]);
    return [
      tf.gather(table, ids),
      pool("valid", 3, 3),
      pool("same", 3, 2),
      pool("valid", 4, 1),
      m.sum(0),
      m.sum([0, 1]),
      m.sum(-1),
      m.sum([1, 0]),
    ];
  });
  close(cpu, wasm);
  // the pool gradient is sparse (only window maxima receive dy), so equality above is not vacuous
  assert.ok(wasm[1].some((v) => v === 0) && wasm[1].some((v) => v !== 0));
});

test("GatherV2 with an out-of-range id names the index and position", async () => {
  const { tf } = await selectBackend("wasm");
  await tf.setBackend("wasm");
  const table = tf.tensor2d(data("gt2", 3 * 2), [3, 2]);
  assert.throws(() => tf.gather(table, tf.tensor1d([0, 5], "int32")).dataSync(), /index 5 at position 1/);
  table.dispose();
});
