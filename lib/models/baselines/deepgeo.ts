/**
 * DeepGeo (Lau et al., "End-to-end network for Twitter geolocation prediction
 * and hashing", ACL 2017; MRLF paper Table II, ref. [21]): the text network of
 * the authors' code (github.com/jhlau/twitter-deepgeo, geo_model.py
 * `text_layer`), which reads the post *character by character*:
 *
 *   e_t   = CharEmbed(c_t)                                      [B, T, e]
 *   l_t   = →LSTM(e)_{t−1},  r_t = ←LSTM(e)_{t+1}   (zero at the ends; hidden size e)
 *   z_t   = ReLU( W_z [l_t ; e_t ; r_t] + b_z )                 [B, T, F]
 *           (the code's conv with filter [3, e] and stride 3 over the interleaved
 *            rows l, e, r is exactly this dense map per position: an RCNN, Lai et al. 2015)
 *   p_j   = max_{t ∈ [j, j+w)} z_t                              (max-pool, window w, stride 1)
 *   a_j   = softmax_j( v · tanh(W_a p_j) ),  h = Σ_j a_j p_j      (attention)
 *   rep   = tanh( W_r · dropout(h) + b_r );  p(l | post) = softmax(W_o rep + b_o)
 *
 * The code's other inputs (tweet time, UTC offset, time zone, user location,
 * description, name, account age) have no counterpart on an Instagram post; only
 * the text network and the penultimate/output layers are reproduced, with the
 * config's sizes at scale=paper (embedding = LSTM size 200, 400 filters, pool
 * window 10, representation 100, keep probability 0.8) and Adam at 0.001.
 *
 * Padding: the code pads with a `<pad>` id that flows through both LSTMs (it
 * buckets batches by length); we do the same, and additionally give the
 * attention no weight on pooled windows made only of padding (a mask the code
 * gets from its buckets).
 */
import type * as TF from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";
import { PadMask, PoolMask } from "../layers/mask";
import { AttentionPool, TimeShift } from "../layers/sequence";
import { SequenceLSTM } from "../layers/lstm";
import { buildVocab, charTokens, encodeTokens, type Vocab } from "../../text";

export interface DeepGeoConfig {
  /** Characters read per post (longer captions are cut). */
  maxChars: number;
  /** Character embedding size = LSTM hidden size (the code ties them: text_emb_size). */
  embedDim: number;
  /** Filters of the RCNN map (text_filter_number). */
  filters: number;
  /** Max-pool window over positions (text_pool_window), stride 1. */
  poolWindow: number;
  /** Penultimate representation size (rep_hidden_size). */
  repDim: number;
  /** Dropout rate before the representation layer (1 − keep_prob). */
  dropout: number;
  /** Characters rarer than this in training map to OOV. */
  minCharCount: number;
}

/** The authors' config.py (text network). */
export const DEEPGEO_PAPER: DeepGeoConfig = {
  maxChars: 300,
  embedDim: 200,
  filters: 400,
  poolWindow: 10,
  repDim: 100,
  dropout: 0.2,
  minCharCount: 5,
};
/**
 * Default scale: the same network at 1/12 width (16-d embedding = LSTM, 48
 * filters, representation 32) and 100 characters (99 % of the synthetic
 * captions are shorter; MRLF reads 100 too): the two 100-step LSTMs dominate
 * its cost, and the default scale runs every model at a fraction of the
 * paper's width (MRLF at 16).
 */
export const DEEPGEO_DEFAULT: DeepGeoConfig = {
  maxChars: 100,
  embedDim: 16,
  filters: 48,
  poolWindow: 10,
  repDim: 32,
  dropout: 0.2,
  minCharCount: 2,
};

export interface CharEncoder {
  vocab: Vocab;
  maxChars: number;
}

export function fitCharEncoder(train: readonly { text: string }[], cfg: Pick<DeepGeoConfig, "maxChars" | "minCharCount">): CharEncoder {
  if (train.length === 0) throw new Error("DeepGeo: no training posts to build the character vocabulary from");
  if (!(Number.isInteger(cfg.maxChars) && cfg.maxChars >= 1))
    throw new Error(`DeepGeo: config.maxChars: expected a positive integer, got ${cfg.maxChars}`);
  return {
    vocab: buildVocab(
      train.map((p) => charTokens(p.text).slice(0, cfg.maxChars)),
      { minCount: cfg.minCharCount },
    ),
    maxChars: cfg.maxChars,
  };
}

/** Row-major [posts × maxChars] character ids (PAD 0, OOV 1). */
export function encodeChars(enc: CharEncoder, posts: readonly { text: string }[]): Int32Array {
  const out = new Int32Array(posts.length * enc.maxChars);
  posts.forEach((p, i) => out.set(encodeTokens(charTokens(p.text), enc.vocab, enc.maxChars), i * enc.maxChars));
  return out;
}

export function buildDeepGeo(tf: typeof TF, vocabSize: number, numClasses: number, cfg: DeepGeoConfig, rng: Rng): TF.LayersModel {
  if (cfg.poolWindow > cfg.maxChars) throw new Error(`DeepGeo: config.poolWindow ${cfg.poolWindow} exceeds maxChars ${cfg.maxChars}`);
  const glorot = () => tf.initializers.glorotUniform({ seed: rng.seedInt() });
  type ST = TF.SymbolicTensor;
  const chars = tf.input({ shape: [cfg.maxChars], dtype: "int32", name: "chars" });
  const e = cfg.embedDim;
  // The code's initialiser: uniform ±0.5/e.
  const emb = tf.layers
    .embedding({
      inputDim: vocabSize,
      outputDim: e,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.5 / e, maxval: 0.5 / e, seed: rng.seedInt() }),
      name: "char_embedding",
    })
    .apply(chars) as ST;
  // Two whole-sequence LSTMs (layers/lstm.ts: the same recurrence as tf.layers.lstm with sigmoid gates, far fewer kernel calls).
  const fw = new SequenceLSTM({ units: e, seed: rng.seedInt(), name: "lstm_forward" }).apply(emb) as ST;
  const bw = new SequenceLSTM({ units: e, goBackwards: true, seed: rng.seedInt(), name: "lstm_backward" }).apply(emb) as ST;
  const left = new TimeShift({ by: 1, name: "left_context" }).apply(fw) as ST;
  const right = new TimeShift({ by: -1, name: "right_context" }).apply(bw) as ST;
  const lrw = tf.layers.concatenate({ axis: -1, name: "left_char_right" }).apply([left, emb, right]) as ST;
  const z = tf.layers.dense({ units: cfg.filters, activation: "relu", kernelInitializer: glorot(), name: "rcnn" }).apply(lrw) as ST;
  const pooled = tf.layers.maxPooling1d({ poolSize: cfg.poolWindow, strides: 1, padding: "valid", name: "pool" }).apply(z) as ST;
  const mask = new PoolMask({ window: cfg.poolWindow, stride: 1, name: "pool_mask" }).apply(
    new PadMask({ name: "char_mask" }).apply(chars),
  ) as ST;
  const h = new AttentionPool({ seed: rng.seedInt(), name: "attention" }).apply([pooled, mask]) as ST;
  const dropped = new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name: "dropout" }).apply(h) as ST;
  const rep = tf.layers
    .dense({ units: cfg.repDim, activation: "tanh", kernelInitializer: glorot(), name: "representation" })
    .apply(dropped) as ST;
  const out = tf.layers.dense({ units: numClasses, kernelInitializer: glorot(), name: "location" }).apply(rep) as ST;
  return tf.model({ inputs: chars, outputs: out, name: "deepgeo" });
}
