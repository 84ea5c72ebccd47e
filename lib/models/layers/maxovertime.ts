/**
 * Max over the sequence axis: [B, T, C] → [B, C] (the "max-pooling" that turns
 * MRLF's sequence features into vectors), optionally over the real (unpadded)
 * positions only:
 *
 *   y_bc = max_{t : m_bt = 1} x_btc,   and y_bc = 0 when row b has no real position
 *
 * (an empty caption pools to zeros rather than to the features of its pads).
 * The gradient routes dy to the first arg-max position of each (b, c) among
 * the real positions — computed in one O(B·T·C) pass here, because wasm's
 * broadcast Equal (tf.max's gradient) and MaxPoolGrad with a whole-sequence
 * window both take >100 ms per call at MRLF's sizes.
 */
import * as tf from "@tensorflow/tfjs";

/** Arg-max per (b, c) over positions with mask 1 (−1 when none). */
function argmaxPositions(xs: ArrayLike<number>, mask: ArrayLike<number> | null, B: number, T: number, C: number): Int32Array {
  const idx = new Int32Array(B * C).fill(-1);
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++) {
      let best = -1;
      let bv = -Infinity;
      for (let t = 0; t < T; t++) {
        if (mask && mask[b * T + t] === 0) continue;
        const v = xs[(b * T + t) * C + c];
        if (best < 0 || v > bv) {
          bv = v;
          best = t;
        }
      }
      idx[b * C + c] = best;
    }
  return idx;
}

/** max over time of x [B,T,C]; with `mask` [B,T] (1 = real, 0 = pad) only real positions count. */
export function maxOverTime(x: tf.Tensor3D, mask?: tf.Tensor2D): tf.Tensor2D {
  const [B, T, C] = x.shape;
  const m = mask ? mask.dataSync() : null;
  if (mask && (mask.shape[0] !== B || mask.shape[1] !== T))
    throw new Error(`maxOverTime: mask shape [${mask.shape}] does not match x [${x.shape}]`);
  // customGrad's typing hides the trailing `save` argument; the runtime passes it.
  const f = tf.customGrad(((input: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
    const xt = input as tf.Tensor3D;
    const xs = xt.dataSync();
    const idx = argmaxPositions(xs, m, B, T, C);
    const out = new Float32Array(B * C);
    for (let b = 0; b < B; b++)
      for (let c = 0; c < C; c++) {
        const t = idx[b * C + c];
        out[b * C + c] = t < 0 ? 0 : xs[(b * T + t) * C + c];
      }
    save([xt]);
    return {
      value: tf.tensor2d(out, [B, C]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync();
        const dx = new Float32Array(B * T * C);
        for (let b = 0; b < B; b++)
          for (let c = 0; c < C; c++) {
            const t = idx[b * C + c];
            if (t >= 0) dx[(b * T + t) * C + c] = g[b * C + c];
          }
        return tf.tensor3d(dx, [B, T, C]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor2D;
}

/** [x] → max over all positions; [x, mask] → max over the real positions. */
export class MaxOverTime extends tf.layers.Layer {
  static className = "GeoreproMaxOverTime";
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], s[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    return maxOverTime(list[0] as tf.Tensor3D, list.length > 1 ? (list[1] as tf.Tensor2D) : undefined);
  }
}
tf.serialization.registerClass(MaxOverTime);
