/**
 * Small sequence layers the text baselines need and tfjs-layers lacks.
 *
 *   TimeShift({by: +1}):  y_t = x_{t−1}, y_0 = 0   (the left context of DeepGeo's RCNN)
 *   TimeShift({by: −1}):  y_t = x_{t+1}, y_{T−1} = 0 (the right context)
 *   AttentionPool:        a = softmax_t( v · tanh(W x_t) ) over real positions (mask),
 *                         y = Σ_t a_t x_t                 (DeepGeo's attention, Lau et al. 2017)
 *   MaskedMean:           y = Σ_t m_t x_t / max(1, Σ_t m_t)
 *   SinusoidalPosition:   y_t = x_t + PE_t (Vaswani et al. 2017), no weights
 */
import * as tf from "@tensorflow/tfjs";

export class TimeShift extends tf.layers.Layer {
  static className = "GeoreproTimeShift";
  readonly by: 1 | -1;
  constructor(cfg: { by: 1 | -1; name?: string }) {
    super({ name: cfg.name });
    if (cfg.by !== 1 && cfg.by !== -1) throw new Error(`TimeShift: by must be 1 or -1, got ${cfg.by}`);
    this.by = cfg.by;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [B, T, C] = x.shape;
      return this.by === 1
        ? tf.pad(x.slice([0, 0, 0], [B, T - 1, C]), [
            [0, 0],
            [1, 0],
            [0, 0],
          ])
        : tf.pad(x.slice([0, 1, 0], [B, T - 1, C]), [
            [0, 0],
            [0, 1],
            [0, 0],
          ]);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), by: this.by };
  }
}
tf.serialization.registerClass(TimeShift);

/** Additive attention pooling over positions; [x] or [x, mask]. Weights W [C, C] (no bias) and v [C], as in DeepGeo. */
export class AttentionPool extends tf.layers.Layer {
  static className = "GeoreproAttentionPool";
  readonly seed: number;
  private w!: tf.LayerVariable;
  private v!: tf.LayerVariable;
  constructor(cfg: { seed: number; name?: string }) {
    super({ name: cfg.name });
    this.seed = cfg.seed;
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const C = s[2] as number;
    this.w = this.addWeight("w", [C, C], "float32", tf.initializers.glorotUniform({ seed: this.seed }));
    this.v = this.addWeight("v", [C], "float32", tf.initializers.randomUniform({ minval: 0, maxval: 1, seed: this.seed + 1 }));
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], s[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0] as tf.Tensor3D;
      const [B, T, C] = x.shape;
      const u = tf.tanh(tf.matMul(x.reshape([B * T, C]), this.w.read()));
      let score = tf.matMul(u, this.v.read().reshape([C, 1])).reshape([B, T]);
      let a: tf.Tensor;
      if (list.length > 1) {
        const m = list[1] as tf.Tensor2D;
        score = tf.add(score, tf.mul(tf.sub(1, m), -1e9));
        a = tf.softmax(score).mul(m); // a row without a real position pools to 0
      } else a = tf.softmax(score);
      return tf.sum(tf.mul(x, a.reshape([B, T, 1])), 1);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(AttentionPool);

/** Mean over the real positions: [x, mask] → [B, C]. */
export class MaskedMean extends tf.layers.Layer {
  static className = "GeoreproMaskedMean";
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (inputShape as tf.Shape[])[0];
    return [s[0], s[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, m] = inputs as tf.Tensor[];
      const [B, T] = m.shape;
      const w = m.reshape([B, T, 1]);
      return tf.div(tf.sum(tf.mul(x, w), 1), tf.maximum(tf.sum(w, 1), 1));
    });
  }
}
tf.serialization.registerClass(MaskedMean);

/** x + sinusoidal position encoding (sin on even, cos on odd channels). */
export class SinusoidalPosition extends tf.layers.Layer {
  static className = "GeoreproSinusoidalPosition";
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [, T, C] = x.shape;
      const pe = new Float32Array(T * C);
      for (let t = 0; t < T; t++)
        for (let c = 0; c < C; c++) {
          const angle = t / Math.pow(10000, (2 * Math.floor(c / 2)) / C);
          pe[t * C + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
        }
      return tf.add(x, tf.tensor3d(pe, [1, T, C]));
    });
  }
}
tf.serialization.registerClass(SinusoidalPosition);
