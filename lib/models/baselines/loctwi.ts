/**
 * LocTwi (Huang, Tong, He and Maciejewski, "Location prediction for tweets",
 * Frontiers in Big Data 2019; MRLF paper Table II, ref. [22]). The paper's
 * three ideas: (1) a multi-head self-attention text encoder, (2) subwords as
 * features for informal language, (3) joint training on city and country.
 *
 *   s_w    = { "<w>" } ∪ char n-grams of "<w>", n = minN..maxN   (fastText subwords)
 *   x_t    = mean_{s ∈ s_{w_t}} E[s] + PE_t                        (subword word vector + position)
 *   O      = LayerNorm( x + MHA(x, x, x; pad mask) )               (self-attention, h heads)
 *   H      = LayerNorm( O + FFN(O) )                               (position-wise feed-forward)
 *   f      = max over the post's real word positions of H
 *   p(l)   = softmax( W · dropout(f) + b )
 *
 * One encoder block (Vaswani et al.'s post-LN layout); padding is masked in
 * the attention and the pooling. Readings where we could not follow the paper:
 * - (3) Country: all posts of one dataset are in one city of one country, so
 *   the country task has a single class and adds nothing to the loss; only
 *   the location (POI) task is trained. Said in notebook 02.
 * - Pooling: max over positions (the paper's exact pooling is not reproduced
 *   here; max matches the rest of this suite's text encoders).
 * - Tweet metadata (user location, time zone, …) has no Instagram counterpart.
 */
import type * as TF from "@tensorflow/tfjs";
import * as tfl from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";
import { MultiHeadAttention } from "../layers/attention";
import { LayerNorm } from "../layers/layernorm";
import { MaxOverTime } from "../layers/maxovertime";
import { PadMask } from "../layers/mask";
import { SinusoidalPosition } from "../layers/sequence";
import { buildVocab, wordTokens, type Vocab } from "../../text";

export interface LocTwiConfig {
  minN: number;
  maxN: number;
  /** Keep at most this many subwords (most frequent in training). */
  maxSubwords: number;
  /** Subwords rarer than this in training are dropped. */
  minCount: number;
  /** Words read per post, and subword units kept per word (the whole word first, then n-grams by length). */
  maxWords: number;
  maxUnitsPerWord: number;
  /** Model width d, heads h (d = h · headDim), feed-forward size. */
  embedDim: number;
  heads: number;
  ffnDim: number;
  dropout: number;
}

export const LOCTWI_PAPER: LocTwiConfig = {
  minN: 3,
  maxN: 6,
  maxSubwords: 50000,
  minCount: 1,
  maxWords: 50,
  maxUnitsPerWord: 40,
  embedDim: 128,
  heads: 8,
  ffnDim: 512,
  dropout: 0.1,
};
/** Default scale: d = 32 with 4 heads, 20 words (99 % of the synthetic captions have ≤ 15), 3–5-grams. */
export const LOCTWI_DEFAULT: LocTwiConfig = {
  minN: 3,
  maxN: 5,
  maxSubwords: 4000,
  minCount: 2,
  maxWords: 20,
  maxUnitsPerWord: 24,
  embedDim: 32,
  heads: 4,
  ffnDim: 64,
  dropout: 0.1,
};

/** The subword units of one word (fastText style, with boundary markers): the word itself first. */
export function subwords(word: string, minN: number, maxN: number): string[] {
  const w = `<${word}>`;
  const chars = Array.from(w);
  const out = [w];
  for (let n = minN; n <= maxN; n++)
    for (let i = 0; i + n <= chars.length; i++) {
      const g = chars.slice(i, i + n).join("");
      if (g !== w) out.push(g);
    }
  return out;
}

export interface SubwordEncoder {
  vocab: Vocab;
  config: LocTwiConfig;
}

export function fitSubwordEncoder(train: readonly { text: string }[], config: LocTwiConfig): SubwordEncoder {
  if (config.minN < 1 || config.maxN < config.minN)
    throw new Error(`LocTwi: config.minN/maxN: need 1 ≤ minN ≤ maxN, got ${config.minN}..${config.maxN}`);
  if (train.length === 0) throw new Error("LocTwi: no training posts to build the subword vocabulary from");
  const units = train.map((p) =>
    wordTokens(p.text)
      .slice(0, config.maxWords)
      .flatMap((w) => subwords(w, config.minN, config.maxN)),
  );
  const vocab = buildVocab(units, { minCount: config.minCount, maxSize: config.maxSubwords });
  if (vocab.size <= 2) throw new Error(`LocTwi: no subword occurs ≥ ${config.minCount} times in the ${train.length} training posts`);
  return { vocab, config };
}

/**
 * Row-major [posts × maxWords·maxUnitsPerWord] subword ids: word t's known
 * units at [t·G, t·G + G); 0 = no unit. A word none of whose units is known
 * gets the OOV id in its first slot, so it still occupies a position.
 */
export function encodeSubwords(
  enc: SubwordEncoder,
  posts: readonly { text: string }[],
): { data: Int32Array; width: number; emptyPosts: number } {
  const { maxWords: W, maxUnitsPerWord: G, minN, maxN } = enc.config;
  const width = W * G;
  const data = new Int32Array(posts.length * width);
  let emptyPosts = 0;
  posts.forEach((p, i) => {
    const words = wordTokens(p.text).slice(0, W);
    let known = 0;
    words.forEach((w, t) => {
      const ids = subwords(w, minN, maxN)
        .map((s) => enc.vocab.ids.get(s))
        .filter((x): x is number => x !== undefined)
        .slice(0, G);
      known += ids.length;
      if (ids.length === 0) ids.push(1);
      data.set(ids, i * width + t * G);
    });
    if (known === 0) emptyPosts++;
  });
  return { data, width, emptyPosts };
}

export function buildLocTwi(tf: typeof TF, vocabSize: number, numClasses: number, cfg: LocTwiConfig, rng: Rng): TF.LayersModel {
  if (cfg.embedDim % cfg.heads !== 0) throw new Error(`LocTwi: config.embedDim ${cfg.embedDim} is not a multiple of heads ${cfg.heads}`);
  type ST = TF.SymbolicTensor;
  const glorot = () => tf.initializers.glorotUniform({ seed: rng.seedInt() });
  const W = cfg.maxWords;
  const G = cfg.maxUnitsPerWord;
  const d = cfg.embedDim;
  const ids = tf.input({ shape: [W * G], dtype: "int32", name: "subwords" });
  const unitMask = new PadMask({ name: "unit_mask" }).apply(ids) as ST;
  const emb = tf.layers
    .embedding({
      inputDim: vocabSize,
      outputDim: d,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.seedInt() }),
      name: "subword_embedding",
    })
    .apply(ids) as ST;
  // The mean of each word's known units' embeddings is the word's vector (fastText's composition).
  const wordVec = new WordCompose({ words: W, units: G, name: "word_vectors" }).apply([emb, unitMask]) as ST;
  const wordMask = new WordMask({ words: W, units: G, name: "word_mask" }).apply(unitMask) as ST;
  const x = new SinusoidalPosition({ name: "positions" }).apply(wordVec) as ST;
  const att = new MultiHeadAttention({
    heads: cfg.heads,
    headDim: d / cfg.heads,
    seed: rng.seedInt(),
    masked: true,
    name: "self_attention",
  }).apply([x, wordMask]) as ST;
  const attOut = tf.layers.dense({ units: d, kernelInitializer: glorot(), name: "attention_out" }).apply(att) as ST;
  const drop = (t: ST, name: string) => new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name }).apply(t) as ST;
  const o = new LayerNorm({ name: "ln1" }).apply(tf.layers.add({ name: "residual1" }).apply([x, drop(attOut, "drop_att")])) as ST;
  const f1 = tf.layers.dense({ units: cfg.ffnDim, activation: "relu", kernelInitializer: glorot(), name: "ffn1" }).apply(o) as ST;
  const f2 = tf.layers.dense({ units: d, kernelInitializer: glorot(), name: "ffn2" }).apply(f1) as ST;
  const h = new LayerNorm({ name: "ln2" }).apply(tf.layers.add({ name: "residual2" }).apply([o, drop(f2, "drop_ffn")])) as ST;
  const pooled = new MaxOverTime({ name: "pool" }).apply([h, wordMask]) as ST;
  const out = tf.layers.dense({ units: numClasses, kernelInitializer: glorot(), name: "location" }).apply(drop(pooled, "dropout")) as ST;
  return tf.model({ inputs: ids, outputs: out, name: "loctwi" });
}

// ---- composing word vectors from subword units -------------------------------------------------

/** [emb [B, W·G, d], unitMask [B, W·G]] → [B, W, d]: per word, the mean of its known units' embeddings. */
class WordCompose extends tfl.layers.Layer {
  static className = "GeoreproWordCompose";
  readonly words: number;
  readonly units: number;
  constructor(cfg: { words: number; units: number; name?: string }) {
    super({ name: cfg.name });
    this.words = cfg.words;
    this.units = cfg.units;
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (inputShape as tfl.Shape[])[0];
    return [s[0], this.words, s[2]];
  }
  override call(inputs: tfl.Tensor | tfl.Tensor[]): tfl.Tensor {
    return tfl.tidy(() => {
      const [emb, m] = inputs as tfl.Tensor[];
      const [B, , d] = emb.shape;
      const x = emb.reshape([B, this.words, this.units, d]);
      const w = m.reshape([B, this.words, this.units, 1]);
      return tfl.div(tfl.sum(tfl.mul(x, w), 2), tfl.maximum(tfl.sum(w, 2), 1));
    });
  }
  override getConfig(): tfl.serialization.ConfigDict {
    return { ...super.getConfig(), words: this.words, units: this.units };
  }
}
tfl.serialization.registerClass(WordCompose);

/** unitMask [B, W·G] → [B, W]: a word position is real when any of its units is. */
class WordMask extends tfl.layers.Layer {
  static className = "GeoreproWordMask";
  readonly words: number;
  readonly units: number;
  constructor(cfg: { words: number; units: number; name?: string }) {
    super({ name: cfg.name });
    this.words = cfg.words;
    this.units = cfg.units;
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [(inputShape as tfl.Shape)[0], this.words];
  }
  override call(inputs: tfl.Tensor | tfl.Tensor[]): tfl.Tensor {
    return tfl.tidy(() => {
      const m = (Array.isArray(inputs) ? inputs[0] : inputs) as tfl.Tensor2D;
      return tfl.max(m.reshape([m.shape[0], this.words, this.units]), 2);
    });
  }
  override getConfig(): tfl.serialization.ConfigDict {
    return { ...super.getConfig(), words: this.words, units: this.units };
  }
}
tfl.serialization.registerClass(WordMask);
