/**
 * The whole-sequence LSTM (lib/models/layers/lstm.ts) against the same
 * recurrence written step by step with tfjs ops: outputs and gradients of
 * every input and weight, forwards and backwards.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/tfjs/backend";
import { stream } from "../../lib/runtime/rng";
import { lstmSequence, SequenceLSTM } from "../../lib/models/layers/lstm";

const randn = (shape: number[], name: string, scale = 0.5) => {
  const r = stream(5, name);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal() * scale),
    shape,
  );
};

/** The reference: one step at a time with tfjs ops (gate order i, f, g, o; sigmoid gates). */
function referenceLstm(x: tf.Tensor3D, W: tf.Tensor2D, U: tf.Tensor2D, b: tf.Tensor1D, backwards = false): tf.Tensor3D {
  const [B, T] = x.shape;
  const u = U.shape[0];
  let h: tf.Tensor = tf.zeros([B, u]);
  let c: tf.Tensor = tf.zeros([B, u]);
  const outs: tf.Tensor[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = backwards ? T - 1 - s : s;
    const xt = x.slice([0, t, 0], [B, 1, x.shape[2]]).reshape([B, x.shape[2]]);
    const z = tf.add(tf.add(tf.matMul(xt, W), tf.matMul(h, U)), b);
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    outs[t] = h;
  }
  return tf.stack(outs, 1) as tf.Tensor3D;
}

const close = (a: tf.Tensor, b: tf.Tensor, tol: number, what: string) => {
  const x = a.dataSync(),
    y = b.dataSync();
  assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1e-3 + Math.abs(y[i])));
  assert.ok(worst < tol, `${what}: max relative difference ${worst}`);
};

test("whole-sequence LSTM: outputs and gradients equal the step-by-step tfjs reference, in both directions", async () => {
  await selectBackend();
  const B = 3,
    T = 6,
    D = 4,
    u = 5;
  const x = randn([B, T, D], "x", 1) as tf.Tensor3D;
  const W = randn([D, 4 * u], "W") as tf.Tensor2D;
  const U = randn([u, 4 * u], "U") as tf.Tensor2D;
  const b = randn([4 * u], "b", 0.1) as tf.Tensor1D;
  const w = randn([B, T, u], "loss-weights", 1);
  for (const backwards of [false, true]) {
    close(lstmSequence(x, W, U, b, backwards), referenceLstm(x, W, U, b, backwards), 1e-4, `h (backwards ${backwards})`);
    const loss = (f: typeof lstmSequence) => (xx: tf.Tensor, ww: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(f(xx as tf.Tensor3D, ww as tf.Tensor2D, uu as tf.Tensor2D, bb as tf.Tensor1D, backwards), w));
    const ours = tf.grads(loss(lstmSequence))([x, W, U, b]);
    const ref = tf.grads(loss(referenceLstm))([x, W, U, b]);
    ["dx", "dW", "dU", "db"].forEach((n, i) => close(ours[i], ref[i], 2e-3, `${n} (backwards ${backwards})`));
  }
});

test("SequenceLSTM layer: forget bias 1 at initialisation, output [B, T, units], rejects bad units", async () => {
  await selectBackend();
  const layer = new SequenceLSTM({ units: 3, seed: 1, goBackwards: true });
  const y = layer.apply(tf.ones([2, 4, 5])) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 4, 3]);
  assert.deepEqual(Array.from(layer.getWeights()[2].dataSync()), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  assert.throws(() => new SequenceLSTM({ units: 0, seed: 1 }), /units must be a positive integer/);
});
