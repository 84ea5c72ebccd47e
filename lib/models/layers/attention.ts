/**
 * Scaled dot-product attention as a tfjs Layer, covering both uses in MRLF:
 *
 * Self-attention (character branch, Eq. 3–4): one input H (the pooled
 * character features H^max); Q = H W^Q, K = H W^K, V = H W^V (the "linear
 * function" of Sec. III-A), each split into h heads of size d_h:
 *     O_i = softmax( Q_i K_iᵀ / √d_h ) V_i,   O = concat[O_1 … O_h]      (3), (4)
 *
 * Cross-attention (text×hashtag fusion, Eq. 6): two inputs [H_tag, H_text];
 *     O_cro = softmax( (H_tag W^Q)(H_text W^K)ᵀ / √d ) (H_text W^V)       (6)
 * with h = 1 and d = d_text (the paper's scaling).
 *
 * Eq. 3 writes the per-head scale as √(d/h), i.e. √d_h; with one head both agree.
 *
 * Padding mask (`masked: true`, the key mask m ∈ {0,1}^{T_k} as the last input):
 *     A_i = softmax( Q_i K_iᵀ / √d_h − ∞·(1 − m) ) ⊙ m
 * so pad keys get zero weight; a row whose keys are all pads (an empty caption)
 * attends to nothing and outputs 0 (the trailing ⊙ m), not the mean of its pads.
 */
import * as tf from "@tensorflow/tfjs";

export interface AttentionConfig {
  heads: number;
  headDim: number;
  seed: number;
  /** Take a key padding mask [B, T_k] as the last input. */
  masked?: boolean;
  /**
   * Self-attention whose output rows at pad positions nothing downstream reads
   * (a masked max over time, masked keys): the training engine may then skip
   * those rows (ops/attention.ts). Set by the model builder, which knows the
   * consumers; it changes no value anyone reads. tfjs computes every row.
   */
  padRowsUnused?: boolean;
  name?: string;
}

/** A large negative logit for masked keys (finite, so that a fully masked row stays NaN-free). */
const MASKED_LOGIT = -1e9;

export class MultiHeadAttention extends tf.layers.Layer {
  static className = "GeoreproMultiHeadAttention";
  readonly heads: number;
  readonly headDim: number;
  readonly seed: number;
  readonly masked: boolean;
  readonly padRowsUnused: boolean;
  private wq!: tf.LayerVariable;
  private wk!: tf.LayerVariable;
  private wv!: tf.LayerVariable;
  private bq!: tf.LayerVariable;
  private bk!: tf.LayerVariable;
  private bv!: tf.LayerVariable;

  constructor(cfg: AttentionConfig) {
    super({ name: cfg.name });
    if (!(cfg.heads >= 1 && cfg.headDim >= 1))
      throw new Error(`MultiHeadAttention: heads and headDim must be >= 1 (got ${cfg.heads}, ${cfg.headDim})`);
    this.heads = cfg.heads;
    this.headDim = cfg.headDim;
    this.seed = cfg.seed;
    this.masked = cfg.masked ?? false;
    this.padRowsUnused = cfg.padRowsUnused ?? false;
  }

  /** [query, keyValue?, mask?] as the inputs list. */
  private split<T>(list: T[]): { q: T; kv: T; mask: T | null } {
    const data = this.masked ? list.slice(0, -1) : list;
    if (data.length < 1 || data.length > 2 || (this.masked && list.length < 2))
      throw new Error(
        `MultiHeadAttention ${this.name}: expected [query${this.masked ? ", keyValue?, mask" : ", keyValue?"}], got ${list.length} inputs`,
      );
    return { q: data[0], kv: data[data.length - 1], mask: this.masked ? list[list.length - 1] : null };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const { q, kv } = this.split((Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tf.Shape[]);
    const dq = q[q.length - 1] as number;
    const dkv = kv[kv.length - 1] as number;
    const d = this.heads * this.headDim;
    const init = (i: number) => tf.initializers.glorotUniform({ seed: this.seed + i });
    this.wq = this.addWeight("wq", [dq, d], "float32", init(0));
    this.wk = this.addWeight("wk", [dkv, d], "float32", init(1));
    this.wv = this.addWeight("wv", [dkv, d], "float32", init(2));
    this.bq = this.addWeight("bq", [d], "float32", tf.initializers.zeros());
    this.bk = this.addWeight("bk", [d], "float32", tf.initializers.zeros());
    this.bv = this.addWeight("bv", [d], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const q = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [q[0], q[1], this.heads * this.headDim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const { q: hq3, kv: hkv3, mask } = this.split(Array.isArray(inputs) ? inputs : [inputs]);
      const hq = hq3 as tf.Tensor3D;
      const hkv = hkv3 as tf.Tensor3D;
      const [B, Tq] = hq.shape;
      const Tk = hkv.shape[1];
      const h = this.heads;
      const dh = this.headDim;
      // [B,T,d] → [B·h, T, dh]: heads become batch entries of one batched matMul.
      const proj = (x: tf.Tensor3D, w: tf.LayerVariable, b: tf.LayerVariable, T: number) =>
        tf
          .add(tf.matMul(x.reshape([B * T, x.shape[2]]), w.read()), b.read())
          .reshape([B, T, h, dh])
          .transpose([0, 2, 1, 3])
          .reshape([B * h, T, dh]);
      // 1/√d_h scales Q (T·d_h values) rather than the scores (T·T values): same product, and the
      // multiply and its gradient touch 8–16× fewer floats.
      const q = proj(hq, this.wq, this.bq, Tq).mul(1 / Math.sqrt(dh));
      const k = proj(hkv, this.wk, this.bk, Tk);
      const v = proj(hkv, this.wv, this.bv, Tk);
      const scores = tf.matMul(q, k, false, true); // [B·h, Tq, Tk]
      let weights: tf.Tensor;
      if (mask) {
        // Key mask [B, Tk] → [B·h, 1, Tk], broadcast over query positions.
        const m = tf.tile((mask as tf.Tensor2D).reshape([B, 1, 1, Tk]), [1, h, 1, 1]).reshape([B * h, 1, Tk]);
        weights = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, m), MASKED_LOGIT))).mul(m);
      } else weights = tf.softmax(scores);
      const o = tf.matMul(weights, v); // [B·h, Tq, dh]
      return o
        .reshape([B, h, Tq, dh])
        .transpose([0, 2, 1, 3])
        .reshape([B, Tq, h * dh]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      heads: this.heads,
      headDim: this.headDim,
      seed: this.seed,
      masked: this.masked,
      padRowsUnused: this.padRowsUnused,
    };
  }
}
tf.serialization.registerClass(MultiHeadAttention);
