/**
 * MRLF — Multi-modal Representation Learning Framework (Dai et al., Sec. III).
 *
 * Character branch (text and hashtags, Eq. 1–5):
 *   C = CharEmbedding(ids)                                   [B, 100, e]
 *   H^conv_k = Conv1D_k(C), k ∈ {3,4,5,6}, 100 filters each (1), centred ('same')
 *   H^max_k  = MaxPool(H^conv_k, window = stride = 2k'−1)     (2)
 *   H^max    = concat_time[H^max_3 … H^max_6]
 *   O        = MultiHeadSelfAttention(H^max), 8 heads         (3), (4)
 *   F^c      = max_t( ReLU(Dropout(O) W1 + b1) W2 + b2 )      (5)
 * Word branch (text words and hashtags as words, Sec. III-A.2):
 *   F^w = concat_k max_t ReLU(Conv1D_k(WordEmbedding(ids))), k ∈ {1,2,3,4}, 100 filters
 * Image branch (Sec. III-B): frozen backbone + global average pooling happen
 *   upstream (the cached feature vector is the input); F_img = ReLU(Dense(v)).
 * Text×hashtag fusion on the conv outputs (Eq. 6–8):
 *   O_cro = CrossAttention(Q = H^max_tag, K,V = H^max_text)   (6)
 *   A_cro = ReLU(O_cro W1 + b1) W2 + b2                       (7)
 *   F_cro = max_t LayerNorm(A_cro)                            (8)
 * F_p = concat[F^c_text, F^w_text, F^c_tag, F^w_tag, F_img, F_cro]   (9)
 * logits = F_p W_p (10); softmax (11); argmax (12); cross-entropy (13) in training.
 *
 * Readings where the paper is silent or ambiguous (also stated in notebook 03):
 * - "k is half of the kernel size" and the pool window is 2k−1, so the window
 *   is kernelSize−1 (2,3,4,5) with equal stride ("n ranges from 1 to m/(2k−1)").
 * - The four pooled maps have different lengths, so H^max concatenates them
 *   along the sequence axis (one matrix, as Eq. 3 treats it).
 * - d = 100 is not divisible by h = 8: Q/K/V project to h × headDim
 *   (headDim 16 → 128 dims) by the "linear function" before the split.
 * - Sequence outputs (O, F_cro) become vectors by max over positions, matching
 *   the max-pooling used everywhere else in the model.
 * - Eq. 1 has no non-linearity in the character conv (the max-pool follows);
 *   the word-level conv uses ReLU ("similar to the regular operation in computer vision").
 * - Dropout 0.5 is applied before each feed-forward layer (Eq. 5 and 7) and
 *   before the output layer.
 * - Padding (id 0) is masked: attention gives pad keys no weight and every max
 *   over positions skips pads (`paddingMask`, layers/mask.ts). The paper is
 *   silent; an unmasked model pools over dozens of pad positions per caption.
 *
 * Variants (the ablation and fusion studies) are flags of MrlfConfig, never
 * copies: useText/useTags/useImage drop a modality's representations (and F_cro
 * when the fusion's inputs are gone); `fusion` picks what fills the F_cro slot
 * from the FUSIONS registry.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../runtime/rng";
import { MultiHeadAttention } from "./layers/attention";
import { SeededDropout } from "./layers/dropout";
import { LayerNorm } from "./layers/layernorm";
import { MaxOverTime } from "./layers/maxovertime";
import { ConcatMask, PadMask, PoolMask } from "./layers/mask";

/**
 * What fills the fusion slot of Eq. 9 (one registry entry each: FUSIONS below):
 * - "mrlf":         cross-attention on the conv outputs H^max (Eq. 6–8), the paper's model
 * - "text-tag-end": the same cross-attention applied after each branch's own
 *                   self-attention + FFN (fusion after the features are obtained)
 * - "text-image":   cross-attention with the image vector as query over H^max_text
 * - "tag-image":    cross-attention with the image vector as query over H^max_tag
 * - "concat":       no fusion; plain concatenation of the remaining representations
 */
export const MRLF_FUSIONS = ["mrlf", "text-tag-end", "text-image", "tag-image", "concat"] as const;
export type MrlfFusion = (typeof MRLF_FUSIONS)[number];

export interface MrlfConfig {
  numClasses: number;
  /** Vocabulary sizes including pad (0) and OOV (1) — see lib/text/vocab.ts. */
  charVocab: number;
  wordVocab: number;
  tagVocab: number;
  maxTextChars: number;
  maxTextWords: number;
  maxTagChars: number;
  maxTags: number;
  /** Length of the cached frozen image feature vector (0 when useImage is false). */
  imageDim: number;
  /** Size of F_img after the dense layer. */
  imageOut: number;
  embedDim: number;
  charKernels: number[];
  wordKernels: number[];
  filters: number;
  heads: number;
  headDim: number;
  /** Hidden size of the position-wise feed-forward layers (Eq. 5, 7). */
  ffnDim: number;
  dropout: number;
  useText: boolean;
  useTags: boolean;
  useImage: boolean;
  fusion: MrlfFusion;
  /**
   * Mask padding in attention (pad keys get no weight) and in every max over
   * positions (pads never win). The paper does not say; without it a short
   * caption attends to and pools over its pad positions. `false` reproduces the
   * unmasked model (notebook 04 compares the two).
   */
  paddingMask: boolean;
}

/** The paper's settings (Sec. IV-A "Parameter setting"); sizes come from the data. */
export const MRLF_PAPER_DEFAULTS = {
  maxTextChars: 100,
  maxTextWords: 50,
  maxTagChars: 100,
  maxTags: 100,
  imageOut: 100,
  embedDim: 100,
  charKernels: [3, 4, 5, 6],
  wordKernels: [1, 2, 3, 4],
  filters: 100,
  heads: 8,
  headDim: 16,
  ffnDim: 200,
  dropout: 0.5,
  useText: true,
  useTags: true,
  useImage: true,
  fusion: "mrlf" as MrlfFusion,
  paddingMask: true,
};

export type MrlfSizes = Pick<MrlfConfig, "numClasses" | "charVocab" | "wordVocab" | "tagVocab" | "imageDim">;

/** A full config from data sizes + overrides (e.g. `{useImage: false}`, `{fusion: "concat"}`). */
export function mrlfConfig(sizes: MrlfSizes, overrides: Partial<MrlfConfig> = {}): MrlfConfig {
  const cfg: MrlfConfig = { ...MRLF_PAPER_DEFAULTS, ...sizes, ...overrides };
  validateMrlfConfig(cfg);
  return cfg;
}

export function validateMrlfConfig(cfg: MrlfConfig): void {
  const bad = (field: string, what: string) => new Error(`MrlfConfig.${field}: ${what}`);
  for (const f of [
    "numClasses",
    "charVocab",
    "wordVocab",
    "tagVocab",
    "maxTextChars",
    "maxTextWords",
    "maxTagChars",
    "maxTags",
    "imageOut",
    "embedDim",
    "filters",
    "heads",
    "headDim",
    "ffnDim",
  ] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] < 1) throw bad(f, `expected a positive integer, got ${cfg[f]}`);
  if (cfg.numClasses < 2) throw bad("numClasses", `need at least 2 locations, got ${cfg.numClasses}`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw bad("dropout", `expected a rate in [0,1), got ${cfg.dropout}`);
  if (!(MRLF_FUSIONS as readonly string[]).includes(cfg.fusion))
    throw bad("fusion", `expected one of ${MRLF_FUSIONS.join(", ")}, got ${cfg.fusion}`);
  if (!cfg.useText && !cfg.useTags && !cfg.useImage) throw bad("useText/useTags/useImage", "at least one modality must be used");
  if (cfg.useImage && !(Number.isInteger(cfg.imageDim) && cfg.imageDim >= 1))
    throw bad("imageDim", `useImage needs the feature length, got ${cfg.imageDim}`);
  // A fusion whose modalities are switched off has nothing to fuse and falls back to concat (effectiveFusion).
  for (const k of cfg.charKernels)
    if (!Number.isInteger(k) || k < 2) throw bad("charKernels", `kernel sizes must be integers >= 2 (window k−1 ≥ 1), got ${k}`);
  for (const k of cfg.wordKernels)
    if (!Number.isInteger(k) || k < 1) throw bad("wordKernels", `kernel sizes must be positive integers, got ${k}`);
}

/** Which fusion actually runs given the modalities switched on (a fusion missing an input falls back to concat). */
export function effectiveFusion(cfg: MrlfConfig): MrlfFusion {
  const need = FUSIONS[cfg.fusion].needs;
  const ok = (!need.text || cfg.useText) && (!need.tags || cfg.useTags) && (!need.image || cfg.useImage);
  return ok ? cfg.fusion : "concat";
}

/** Input names, in the order buildMrlf creates them; feature arrays are keyed by these. */
export function mrlfInputNames(cfg: MrlfConfig): string[] {
  return [
    ...(cfg.useText ? ["textChars", "textWords"] : []),
    ...(cfg.useTags ? ["tagChars", "tagWords"] : []),
    ...(cfg.useImage ? ["image"] : []),
  ];
}

// ---- the fusion registry ---------------------------------------------------------------------

type ST = tf.SymbolicTensor;

/** A sequence representation and its padding mask (null: every position is real, or masks are off). */
export interface Seq {
  x: ST;
  mask: ST | null;
}

/** What a fusion can use: the branches' representations and the shared fusion block. */
export interface FusionInputs {
  cfg: MrlfConfig;
  /** H^max (Eq. 2) of text / hashtags, and the per-position outputs after self-attention + FFN (Eq. 3–5). */
  textH: Seq | null;
  tagH: Seq | null;
  textSeq: Seq | null;
  tagSeq: Seq | null;
  /** F_img (the image branch's vector). */
  img: ST | null;
  /** Eq. 6–8: cross-attention (query over key/value), FFN, LayerNorm, max over the query's positions. */
  crossFuse(query: Seq, kv: Seq, name: string): ST;
  /** The image vector projected to the filter width as a one-position query sequence. */
  imageAsQuery(v: ST): Seq;
}

export interface FusionSpec {
  /** Modalities the fusion reads; without one of them it falls back to concatenation. */
  needs: { text?: boolean; tags?: boolean; image?: boolean };
  /** One line for tables and notebooks. */
  description: string;
  /** F_cro of Eq. 9, or null for none. */
  build(f: FusionInputs): ST | null;
}

/**
 * One entry per fusion: adding a fusion is one entry here (the Record type
 * makes a missing entry a compile error, so no fusion silently builds concat)
 * plus its test in test/models/mrlf.test.ts.
 */
export const FUSIONS: Record<MrlfFusion, FusionSpec> = {
  mrlf: {
    needs: { text: true, tags: true },
    description: "cross-attention with query H^max_tag and key/value H^max_text, on the conv outputs (Eq. 6–8)",
    build: (f) => f.crossFuse(f.tagH!, f.textH!, "cro"),
  },
  "text-tag-end": {
    needs: { text: true, tags: true },
    description: "the same cross-attention after each branch's self-attention + FFN (fusion after the features)",
    build: (f) => f.crossFuse(f.tagSeq!, f.textSeq!, "cro_end"),
  },
  "text-image": {
    needs: { text: true, image: true },
    description: "cross-attention with the image vector as query over H^max_text",
    build: (f) => f.crossFuse(f.imageAsQuery(f.img!), f.textH!, "cro_img_text"),
  },
  "tag-image": {
    needs: { tags: true, image: true },
    description: "cross-attention with the image vector as query over H^max_tag",
    build: (f) => f.crossFuse(f.imageAsQuery(f.img!), f.tagH!, "cro_img_tag"),
  },
  concat: {
    needs: {},
    description: "none: Eq. 9 without F_cro",
    build: () => null,
  },
};

/** Build the MRLF LayersModel (outputs logits; softmax is applied by the loss and by predict). */
export function buildMrlf(cfg: MrlfConfig, rng: Rng): tf.LayersModel {
  validateMrlfConfig(cfg);
  const seed = () => rng.seedInt();
  const glorot = () => tf.initializers.glorotUniform({ seed: seed() });
  const embedInit = () => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed() });
  const inputs: ST[] = [];
  const feats: ST[] = [];
  const dropout = (x: ST, name: string) => new SeededDropout({ rate: cfg.dropout, seed: seed(), name }).apply(x) as ST;
  const ffn = (x: ST, out: number, name: string) => {
    const h = tf.layers
      .dense({ units: cfg.ffnDim, activation: "relu", kernelInitializer: glorot(), name: `${name}_ffn1` })
      .apply(dropout(x, `${name}_drop`)) as ST;
    return tf.layers.dense({ units: out, kernelInitializer: glorot(), name: `${name}_ffn2` }).apply(h) as ST;
  };
  // Max over (real) positions with a one-pass gradient (see layers/maxovertime.ts for why not globalMaxPooling1d).
  const maxOverTime = (s: Seq, name: string) => new MaxOverTime({ name }).apply(s.mask ? [s.x, s.mask] : s.x) as ST;
  const padMask = (ids: ST, name: string): ST | null => (cfg.paddingMask ? (new PadMask({ name }).apply(ids) as ST) : null);
  const attention = (heads: number, headDim: number, query: Seq, kv: Seq | null, name: string, padRowsUnused = false): ST => {
    const keyMask = (kv ?? query).mask;
    const layer = new MultiHeadAttention({
      heads,
      headDim,
      seed: seed(),
      masked: keyMask !== null,
      padRowsUnused: padRowsUnused && keyMask !== null,
      name,
    });
    return layer.apply([query.x, ...(kv ? [kv.x] : []), ...(keyMask ? [keyMask] : [])]) as ST;
  };

  /** Eq. 1–2: conv per kernel size, non-overlapping max-pool of window k−1, concatenated along time (and so is the mask). */
  const charConvPool = (ids: ST, name: string): Seq => {
    const emb = tf.layers
      .embedding({ inputDim: cfg.charVocab, outputDim: cfg.embedDim, embeddingsInitializer: embedInit(), name: `${name}_emb` })
      .apply(ids) as ST;
    const mask = padMask(ids, `${name}_mask`);
    const pooled = cfg.charKernels.map((k) => {
      const conv = tf.layers
        .conv1d({ filters: cfg.filters, kernelSize: k, padding: "same", kernelInitializer: glorot(), name: `${name}_conv${k}` })
        .apply(emb) as ST;
      const x = tf.layers.maxPooling1d({ poolSize: k - 1, strides: k - 1, padding: "valid", name: `${name}_pool${k}` }).apply(conv) as ST;
      return { x, mask: mask ? (new PoolMask({ window: k - 1, name: `${name}_pool${k}_mask` }).apply(mask) as ST) : null };
    });
    if (pooled.length === 1) return pooled[0];
    return {
      x: tf.layers.concatenate({ axis: 1, name: `${name}_hmax` }).apply(pooled.map((p) => p.x)) as ST,
      mask: mask ? (new ConcatMask({ name: `${name}_hmax_mask` }).apply(pooled.map((p) => p.mask!)) as ST) : null,
    };
  };
  /** Eq. 3–5 on H^max; returns the per-position output (before max over time), with H^max's mask. */
  const charAttend = (hmax: Seq, name: string): Seq => {
    // Its pad rows feed only masked consumers (the masked max over time; masked keys of a
    // cross-attention), so the engine may skip them: padRowsUnused.
    const o = attention(cfg.heads, cfg.headDim, hmax, null, `${name}_mha`, true);
    return { x: ffn(o, cfg.filters, name), mask: hmax.mask };
  };
  const wordBranch = (ids: ST, vocab: number, name: string): ST => {
    const emb = tf.layers
      .embedding({ inputDim: vocab, outputDim: cfg.embedDim, embeddingsInitializer: embedInit(), name: `${name}_emb` })
      .apply(ids) as ST;
    const mask = padMask(ids, `${name}_mask`);
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
      return maxOverTime({ x: conv, mask }, `${name}_max${k}`);
    });
    return maps.length === 1 ? maps[0] : (tf.layers.concatenate({ name: `${name}_cat` }).apply(maps) as ST);
  };
  /** Eq. 6–8: cross-attention (1 head, d = filters), FFN, LayerNorm, max over the query's positions. */
  const crossFuse = (query: Seq, kv: Seq, name: string): ST => {
    const o = attention(1, cfg.filters, query, kv, `${name}_xatt`);
    const a = ffn(o, cfg.filters, name);
    const f = new LayerNorm({ name: `${name}_ln` }).apply(a) as ST;
    return maxOverTime({ x: f, mask: query.mask }, `${name}_max`);
  };

  let textH: Seq | null = null;
  let tagH: Seq | null = null;
  let textSeq: Seq | null = null;
  let tagSeq: Seq | null = null;
  let img: ST | null = null;
  if (cfg.useText) {
    const chars = tf.input({ shape: [cfg.maxTextChars], dtype: "int32", name: "textChars" });
    const words = tf.input({ shape: [cfg.maxTextWords], dtype: "int32", name: "textWords" });
    inputs.push(chars, words);
    textH = charConvPool(chars, "text_char");
    textSeq = charAttend(textH, "text_char");
    feats.push(maxOverTime(textSeq, "text_char_max"), wordBranch(words, cfg.wordVocab, "text_word"));
  }
  if (cfg.useTags) {
    const chars = tf.input({ shape: [cfg.maxTagChars], dtype: "int32", name: "tagChars" });
    const words = tf.input({ shape: [cfg.maxTags], dtype: "int32", name: "tagWords" });
    inputs.push(chars, words);
    tagH = charConvPool(chars, "tag_char");
    tagSeq = charAttend(tagH, "tag_char");
    feats.push(maxOverTime(tagSeq, "tag_char_max"), wordBranch(words, cfg.tagVocab, "tag_word"));
  }
  if (cfg.useImage) {
    const v = tf.input({ shape: [cfg.imageDim], dtype: "float32", name: "image" });
    inputs.push(v);
    img = tf.layers.dense({ units: cfg.imageOut, activation: "relu", kernelInitializer: glorot(), name: "image_fc" }).apply(v) as ST;
    feats.push(img);
  }
  const imageAsQuery = (v: ST): Seq => {
    const q = tf.layers.dense({ units: cfg.filters, kernelInitializer: glorot(), name: "image_query" }).apply(v) as ST;
    return { x: tf.layers.reshape({ targetShape: [1, cfg.filters], name: "image_query_seq" }).apply(q) as ST, mask: null };
  };
  const fused = FUSIONS[effectiveFusion(cfg)].build({ cfg, textH, tagH, textSeq, tagSeq, img, crossFuse, imageAsQuery });
  if (fused) feats.push(fused);
  const fp = feats.length === 1 ? feats[0] : (tf.layers.concatenate({ name: "F_p" }).apply(feats) as ST);
  const logits = tf.layers.dense({ units: cfg.numClasses, kernelInitializer: glorot(), name: "W_p" }).apply(dropout(fp, "F_p_drop")) as ST;
  return tf.model({ inputs, outputs: logits, name: "mrlf" });
}
