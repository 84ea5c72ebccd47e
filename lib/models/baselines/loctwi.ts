/**
 * LocTwi baseline (MRLF paper Table II, ref. [22]: "treats subwords as a
 * feature and further improves the representation learning of informal
 * language on social networks").
 *
 * Subword units as in fastText: every word w of the post text becomes the
 * token "<w>" plus its character n-grams (n = minN..maxN) of "<w>", so
 * misspellings and elongations ("soooo", "nyc!!") share units with the clean
 * form. A post is the mean of its subword embeddings (an embedding bag),
 * followed by dropout and a softmax over locations:
 *
 *   x = (1/|S|) Σ_{s∈S} E[s]  ;  p(l | post) = softmax(W · dropout(x) + b)
 *
 * The mean over an embedding bag equals (normalised count vector) · E, so the
 * bag is fed as a dense [posts × |V|] vector and E is a bias-free dense layer —
 * mathematically the same and it avoids an embedding-gather gradient.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";
import { buildVocab, wordTokens, type Vocab } from "../../text";

export interface LocTwiConfig {
  minN: number;
  maxN: number;
  /** Keep at most this many subwords (most frequent in training). */
  maxSubwords: number;
  /** Subwords rarer than this in training are dropped. */
  minCount: number;
  embedDim: number;
  dropout: number;
}

export const LOCTWI_PAPER: LocTwiConfig = { minN: 3, maxN: 6, maxSubwords: 50000, minCount: 1, embedDim: 100, dropout: 0.5 };
export const LOCTWI_DEFAULT: LocTwiConfig = { minN: 3, maxN: 5, maxSubwords: 4000, minCount: 2, embedDim: 64, dropout: 0.3 };

/** The subword units of one word (fastText style, with boundary markers). */
export function subwords(word: string, minN: number, maxN: number): string[] {
  const w = `<${word}>`;
  const chars = Array.from(w);
  const out = [w];
  for (let n = minN; n <= maxN; n++) for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join("");
    if (g !== w) out.push(g);
  }
  return out;
}

export const postSubwords = (text: string, cfg: Pick<LocTwiConfig, "minN" | "maxN">): string[] => wordTokens(text).flatMap((w) => subwords(w, cfg.minN, cfg.maxN));

export interface SubwordEncoder {
  vocab: Vocab;
  config: LocTwiConfig;
  /** Feature width (vocabulary without the PAD/OOV ids). */
  width: number;
}

export function fitSubwordEncoder(train: readonly { text: string }[], config: LocTwiConfig): SubwordEncoder {
  if (config.minN < 1 || config.maxN < config.minN) throw new Error(`LocTwi: config.minN/maxN: need 1 ≤ minN ≤ maxN, got ${config.minN}..${config.maxN}`);
  const vocab = buildVocab(train.map((p) => postSubwords(p.text, config)), { minCount: config.minCount, maxSize: config.maxSubwords });
  if (vocab.size <= 2) throw new Error(`LocTwi: no subword occurs ≥ ${config.minCount} times in the ${train.length} training posts`);
  return { vocab, config, width: vocab.size - 2 };
}

/** Row-major [posts × width] normalised subword counts (a row of zeros when no unit is known). */
export function encodeSubwords(enc: SubwordEncoder, posts: readonly { text: string }[]): { data: Float32Array; empty: number } {
  const data = new Float32Array(posts.length * enc.width);
  let empty = 0;
  posts.forEach((p, i) => {
    const ids: number[] = [];
    for (const s of postSubwords(p.text, enc.config)) {
      const id = enc.vocab.ids.get(s);
      if (id !== undefined) ids.push(id - 2);
    }
    if (ids.length === 0) empty++;
    for (const j of ids) data[i * enc.width + j] += 1 / ids.length;
  });
  return { data, empty };
}

export function buildLocTwi(tf: typeof TF, width: number, numClasses: number, cfg: LocTwiConfig, rng: Rng): TF.LayersModel {
  const bag = tf.input({ shape: [width], name: "subword_bag" });
  const e = tf.layers
    .dense({ units: cfg.embedDim, useBias: false, kernelInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: rng.seedInt() }), name: "subword_embedding" })
    .apply(bag) as TF.SymbolicTensor;
  const d = new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name: "dropout" }).apply(e) as TF.SymbolicTensor;
  const out = tf.layers.dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }), name: "location" }).apply(d) as TF.SymbolicTensor;
  return tf.model({ inputs: bag, outputs: out, name: "loctwi" });
}
