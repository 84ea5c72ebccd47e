/**
 * Max over the sequence axis: [B, T, C] → [B, C] (the "max-pooling" that turns
 * MRLF's sequence features into vectors). Its gradient routes dy to the first
 * arg-max position of each (b, c) — computed in one O(B·T·C) pass here, because
 * wasm's broadcast Equal (tf.max's gradient) and MaxPoolGrad with a whole-
 * sequence window both take >100 ms per call at MRLF's sizes.
 */
import * as tf from "@tensorflow/tfjs";

export function maxOverTime(x: tf.Tensor3D): tf.Tensor2D {
  // customGrad's typing hides the trailing `save` argument; the runtime passes it.
  const f = tf.customGrad(((input: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
    const xt = input as tf.Tensor3D;
    save([xt]);
    return {
      value: tf.max(xt, 1) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [B, T, C] = saved[0].shape;
        const xs = saved[0].dataSync();
        const g = dy.dataSync();
        const dx = new Float32Array(B * T * C);
        for (let b = 0; b < B; b++)
          for (let c = 0; c < C; c++) {
            let best = 0;
            let bv = xs[b * T * C + c];
            for (let t = 1; t < T; t++) {
              const v = xs[(b * T + t) * C + c];
              if (v > bv) {
                bv = v;
                best = t;
              }
            }
            dx[(b * T + best) * C + c] = g[b * C + c];
          }
        return tf.tensor3d(dx, [B, T, C]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor2D;
}

export class MaxOverTime extends tf.layers.Layer {
  static className = "GeoreproMaxOverTime";
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return maxOverTime((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D);
  }
}
tf.serialization.registerClass(MaxOverTime);
