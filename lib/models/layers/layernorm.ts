/**
 * Layer normalisation over the last axis (Eq. 8):
 *     LN(x) = γ ⊙ (x − μ) / √(σ² + ε) + β,   μ, σ² over the feature axis.
 *
 * tf.layers.layerNormalization tiles γ, β, μ and σ² to the input's full shape;
 * the gradient of `tile` then loops over every position (one slice + add per
 * position: 16k kernel calls and ~45 s per MRLF step on wasm). Broadcasting
 * gives the same numbers without the tiles.
 */
import * as tf from "@tensorflow/tfjs";

export class LayerNorm extends tf.layers.Layer {
  static className = "GeoreproLayerNorm";
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(cfg: { epsilon?: number; name?: string } = {}) {
    super({ name: cfg.name });
    this.epsilon = cfg.epsilon ?? 1e-3;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = inputShape as tf.Shape;
    const d = s[s.length - 1] as number;
    this.gamma = this.addWeight("gamma", [d], "float32", tf.initializers.ones());
    this.beta = this.addWeight("beta", [d], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const { mean, variance } = tf.moments(x, -1, true);
      return x
        .sub(mean)
        .mul(tf.rsqrt(variance.add(this.epsilon)))
        .mul(this.gamma.read())
        .add(this.beta.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(LayerNorm);
