/**
 * Late fusion: the plain multimodal baseline that MRLF's fusion claim needs as
 * its control. Each modality is encoded on its own, the three vectors are
 * concatenated, and one softmax layer reads them — no cross-modal interaction
 * before the classifier:
 *
 *   F_text = concat_k max_t ReLU(Conv1D_k(WordEmbed(text words)))     k ∈ wordKernels
 *   F_tag  = concat_k max_t ReLU(Conv1D_k(TagEmbed(hashtags)))
 *   F_img  = ReLU(W_img v + b)                                          v: the frozen image feature
 *   p(l | post) = softmax( W · dropout(concat[F_text, F_tag, F_img]) + b )
 *
 * The encoders are MRLF's own word-level branches and image branch (Sec.
 * III-A.2, III-B) at MRLF's sizes, over the same inputs and frozen features;
 * what it lacks is MRLF's character-level attention branches and the
 * text×hashtag fusion. (Fig. 3's "concatenation" variant, notebook 04, keeps
 * MRLF's character branches and drops only the fusion.) Padding is masked in
 * every max over positions.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";
import { MaxOverTime } from "../layers/maxovertime";
import { PadMask } from "../layers/mask";

export interface LateFusionConfig {
  maxTextWords: number;
  maxTags: number;
  wordVocab: number;
  tagVocab: number;
  imageDim: number;
  embedDim: number;
  wordKernels: number[];
  filters: number;
  imageOut: number;
  dropout: number;
  /** Which modalities are encoded (the sensitivity study drops one). */
  useText: boolean;
  useTags: boolean;
  useImage: boolean;
}

export const lateFusionInputNames = (cfg: Pick<LateFusionConfig, "useText" | "useTags" | "useImage">): string[] => [
  ...(cfg.useText ? ["textWords"] : []),
  ...(cfg.useTags ? ["tagWords"] : []),
  ...(cfg.useImage ? ["image"] : []),
];

export function buildLateFusion(tf: typeof TF, numClasses: number, cfg: LateFusionConfig, rng: Rng): TF.LayersModel {
  type ST = TF.SymbolicTensor;
  if (!cfg.useText && !cfg.useTags && !cfg.useImage) throw new Error("LateFusion: at least one modality must be used");
  const glorot = () => tf.initializers.glorotUniform({ seed: rng.seedInt() });
  const inputs: ST[] = [];
  const feats: ST[] = [];
  const wordEncoder = (ids: ST, vocab: number, name: string): ST => {
    const emb = tf.layers
      .embedding({
        inputDim: vocab,
        outputDim: cfg.embedDim,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.seedInt() }),
        name: `${name}_emb`,
      })
      .apply(ids) as ST;
    const mask = new PadMask({ name: `${name}_mask` }).apply(ids) as ST;
    const maps = cfg.wordKernels.map((k) => {
      const conv = tf.layers
        .conv1d({
          filters: cfg.filters,
          kernelSize: k,
          padding: "same",
          activation: "relu",
          kernelInitializer: glorot(),
          name: `${name}_conv${k}`,
        })
        .apply(emb) as ST;
      return new MaxOverTime({ name: `${name}_max${k}` }).apply([conv, mask]) as ST;
    });
    return maps.length === 1 ? maps[0] : (tf.layers.concatenate({ name: `${name}_cat` }).apply(maps) as ST);
  };
  if (cfg.useText) {
    const words = tf.input({ shape: [cfg.maxTextWords], dtype: "int32", name: "textWords" });
    inputs.push(words);
    feats.push(wordEncoder(words, cfg.wordVocab, "text"));
  }
  if (cfg.useTags) {
    const tags = tf.input({ shape: [cfg.maxTags], dtype: "int32", name: "tagWords" });
    inputs.push(tags);
    feats.push(wordEncoder(tags, cfg.tagVocab, "tag"));
  }
  if (cfg.useImage) {
    const v = tf.input({ shape: [cfg.imageDim], dtype: "float32", name: "image" });
    inputs.push(v);
    feats.push(tf.layers.dense({ units: cfg.imageOut, activation: "relu", kernelInitializer: glorot(), name: "image_fc" }).apply(v) as ST);
  }
  const fused = feats.length === 1 ? feats[0] : (tf.layers.concatenate({ name: "late_concat" }).apply(feats) as ST);
  const dropped = new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name: "dropout" }).apply(fused) as ST;
  const out = tf.layers.dense({ units: numClasses, kernelInitializer: glorot(), name: "location" }).apply(dropped) as ST;
  return tf.model({ inputs, outputs: out, name: "late_fusion" });
}
