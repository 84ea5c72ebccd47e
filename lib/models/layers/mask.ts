/**
 * Padding masks. Token ids use 0 for padding (lib/text/vocab.ts), and every
 * sequence is padded to a fixed length, so without a mask attention and
 * max-over-time also look at pad positions: a short caption then attends to,
 * and pools over, dozens of copies of the pad embedding's features.
 *
 *   PadMask:   ids [B, T] → m [B, T],  m_t = 1 if ids_t ≠ 0 else 0
 *   PoolMask:  m [B, T] → m' [B, ⌊(T − w)/s⌋ + 1]  (a max-pool of window w,
 *              stride s, default s = w: a pooled position is real when any of
 *              its w inputs is real — the windows MRLF's character max-pool
 *              uses, Eq. 2, or DeepGeo's sliding max-pool, s = 1)
 *
 * The masks are ordinary layers of the model (computed from its own inputs),
 * so a saved model carries them and no feature pipeline changes.
 */
import * as tf from "@tensorflow/tfjs";

export class PadMask extends tf.layers.Layer {
  static className = "GeoreproPadMask";
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.cast(tf.notEqual(Array.isArray(inputs) ? inputs[0] : inputs, 0), "float32"));
  }
}
tf.serialization.registerClass(PadMask);

export class PoolMask extends tf.layers.Layer {
  static className = "GeoreproPoolMask";
  readonly window: number;
  readonly stride: number;
  constructor(cfg: { window: number; stride?: number; name?: string }) {
    super({ name: cfg.name });
    if (!(Number.isInteger(cfg.window) && cfg.window >= 1))
      throw new Error(`PoolMask: window must be a positive integer, got ${cfg.window}`);
    this.window = cfg.window;
    this.stride = cfg.stride ?? cfg.window;
    if (!(Number.isInteger(this.stride) && this.stride >= 1))
      throw new Error(`PoolMask: stride must be a positive integer, got ${this.stride}`);
  }
  private outLength(T: number): number {
    return Math.floor((T - this.window) / this.stride) + 1;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[1] === null ? null : this.outLength(s[1] as number)];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const m = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      if (this.window === 1 && this.stride === 1) return m.clone();
      const [B, T] = m.shape;
      if (this.stride === this.window) {
        const out = this.outLength(T);
        // Non-overlapping windows: reshape and take the max (no gradient flows into a mask).
        return tf.max(m.slice([0, 0], [B, out * this.window]).reshape([B, out, this.window]), 2);
      }
      return tf
        .maxPool(m.reshape([B, T, 1, 1]) as tf.Tensor4D, [this.window, 1], [this.stride, 1], "valid")
        .reshape([B, this.outLength(T)]);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), window: this.window, stride: this.stride };
  }
}
tf.serialization.registerClass(PoolMask);

/** Concatenate masks along time (the counterpart of concatenating pooled maps along time). */
export class ConcatMask extends tf.layers.Layer {
  static className = "GeoreproConcatMask";
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    const total = shapes.reduce<number | null>((a, s) => (a === null || s[1] === null ? null : a + (s[1] as number)), 0);
    return [shapes[0][0], total];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() => tf.concat(list, 1));
  }
}
tf.serialization.registerClass(ConcatMask);
