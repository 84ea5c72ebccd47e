/**
 * Dropout whose masks come from our seed, not Math.random, and differ per step.
 *
 * tf.layers.dropout({seed}) reseeds with the same number on every call, so
 * every batch gets the *same* mask; without a seed it uses Math.random. Here the
 * k-th training call uses seed (seed + k): a fresh mask per step, identical
 * across re-runs of the same training.
 */
import * as tf from "@tensorflow/tfjs";

export interface SeededDropoutConfig {
  rate: number;
  seed: number;
  name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  static className = "GeoreproSeededDropout";
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(cfg: SeededDropoutConfig) {
    super({ name: cfg.name });
    if (!(cfg.rate >= 0 && cfg.rate < 1)) throw new Error(`SeededDropout: rate must be in [0, 1), got ${cfg.rate}`);
    this.rate = cfg.rate;
    this.seed = cfg.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs?.training || this.rate === 0) return x.clone();
    const seed = (this.seed + this.calls++) % 0x7fffffff;
    return tf.dropout(x, this.rate, undefined, seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);
