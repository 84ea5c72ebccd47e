import { test } from "node:test";
import assert from "node:assert/strict";
import { selectBackend } from "../../lib/runtime/backend";
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
  for (const k of ["UnsortedSegmentSum", "Conv2DBackpropFilter", "Conv2DBackpropInput", "BatchMatMul"]) assert.ok(tf.getKernel(k, "wasm"), k);
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
      const g = tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.conv1d(a as TF.Tensor3D, b as TF.Tensor3D, stride, pad).square().sum());
      return g([x, w]);
    });
    close(cpu, wasm);
  });
}

test("conv2d 3x3 gradients match cpu (stride 1, same)", async () => {
  const { cpu, wasm } = await onBoth((tf) => {
    const x = tf.tensor4d(data("x2", 2 * 6 * 5 * 3), [2, 6, 5, 3]);
    const w = tf.tensor4d(data("w2", 3 * 3 * 3 * 4), [3, 3, 3, 4]);
    return tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.conv2d(a as TF.Tensor4D, b as TF.Tensor4D, 1, "same").square().sum())([x, w]);
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
      ...tf.grads((p: TF.Tensor, q: TF.Tensor) => tf.matMul(p as TF.Tensor3D, q as TF.Tensor3D).square().sum())([a, b]),
    ];
  });
  close(cpu, wasm);
});
