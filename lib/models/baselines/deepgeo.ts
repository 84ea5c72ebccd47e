/**
 * DeepGeo baseline (Lau et al. 2017; MRLF paper Table II, ref. [21]): a
 * bidirectional LSTM over the post's words with attention pooling.
 *
 *   e_t = Embed(w_t)                                   (word embedding, d)
 *   h_t = [→LSTM(e)_t ; ←LSTM(e)_t]                    (BiLSTM, 2u)
 *   a_t = softmax_t( v · tanh(W h_t + b) )             (additive self-attention)
 *   s   = Σ_t a_t h_t ;  p(l | post) = softmax(W_o · dropout(s) + b_o)
 *
 * DeepGeo also feeds metadata (time zone, UTC offset, …) that Instagram-style
 * posts do not have; only its text branch is reproduced. Padding positions take
 * part in the attention softmax (tfjs layers have no masked softmax); they get
 * a learnt, shared embedding (id 0) so the model can learn to ignore them.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";
import { buildVocab, encodeTokens, wordTokens, type Vocab } from "../../text";

export interface DeepGeoConfig {
  maxWords: number;
  embedDim: number;
  lstmUnits: number;
  attentionDim: number;
  dropout: number;
  /** Words rarer than this in training map to OOV. */
  minWordCount: number;
}

export const DEEPGEO_PAPER: DeepGeoConfig = { maxWords: 50, embedDim: 100, lstmUnits: 100, attentionDim: 100, dropout: 0.5, minWordCount: 1 };
export const DEEPGEO_DEFAULT: DeepGeoConfig = { maxWords: 24, embedDim: 48, lstmUnits: 32, attentionDim: 32, dropout: 0.3, minWordCount: 2 };

export interface WordEncoder {
  vocab: Vocab;
  maxWords: number;
}

export function fitWordEncoder(train: readonly { text: string }[], cfg: Pick<DeepGeoConfig, "maxWords" | "minWordCount">): WordEncoder {
  if (train.length === 0) throw new Error("DeepGeo: no training posts to build the word vocabulary from");
  return { vocab: buildVocab(train.map((p) => wordTokens(p.text)), { minCount: cfg.minWordCount }), maxWords: cfg.maxWords };
}

/** Row-major [posts × maxWords] word ids (PAD 0, OOV 1). */
export function encodeWords(enc: WordEncoder, posts: readonly { text: string }[]): Int32Array {
  const out = new Int32Array(posts.length * enc.maxWords);
  posts.forEach((p, i) => out.set(encodeTokens(wordTokens(p.text), enc.vocab, enc.maxWords), i * enc.maxWords));
  return out;
}

export function buildDeepGeo(tf: typeof TF, vocabSize: number, numClasses: number, cfg: DeepGeoConfig, rng: Rng): TF.LayersModel {
  const init = () => tf.initializers.glorotUniform({ seed: rng.seedInt() });
  const words = tf.input({ shape: [cfg.maxWords], dtype: "int32", name: "words" });
  const emb = tf.layers
    .embedding({ inputDim: vocabSize, outputDim: cfg.embedDim, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.seedInt() }), name: "word_embedding" })
    .apply(words) as TF.SymbolicTensor;
  const lstm = tf.layers.lstm({
    units: cfg.lstmUnits,
    returnSequences: true,
    kernelInitializer: init(),
    recurrentInitializer: tf.initializers.orthogonal({ seed: rng.seedInt() }),
    name: "lstm",
  });
  const h = tf.layers.bidirectional({ layer: lstm as unknown as TF.RNN, mergeMode: "concat", name: "bilstm" }).apply(emb) as TF.SymbolicTensor;
  const u = tf.layers.dense({ units: cfg.attentionDim, activation: "tanh", kernelInitializer: init(), name: "attention_proj" }).apply(h) as TF.SymbolicTensor;
  const score = tf.layers.dense({ units: 1, useBias: false, kernelInitializer: init(), name: "attention_score" }).apply(u) as TF.SymbolicTensor;
  const flat = tf.layers.flatten({ name: "attention_flat" }).apply(score) as TF.SymbolicTensor;
  const weights = tf.layers.softmax({ axis: -1, name: "attention_weights" }).apply(flat) as TF.SymbolicTensor;
  const pooled = tf.layers.dot({ axes: 1, name: "attention_pool" }).apply([weights, h]) as TF.SymbolicTensor;
  const dropped = new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name: "dropout" }).apply(pooled) as TF.SymbolicTensor;
  const out = tf.layers.dense({ units: numClasses, kernelInitializer: init(), name: "location" }).apply(dropped) as TF.SymbolicTensor;
  return tf.model({ inputs: words, outputs: out, name: "deepgeo" });
}
