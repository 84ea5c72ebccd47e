/**
 * Image baselines on the same pretrained weights as MRLF's image branch
 * (MobileNetV2, nsfwjs@4.3.0, at the same input size), so that MRLF's image
 * input is no advantage over them:
 *
 * - **frozen + linear** (a linear probe): p(l | image) = softmax(W v + b) on the
 *   cached frozen feature v = GAP(trunk(x)) that MRLF's image branch reads.
 * - **fine-tuned top**: the network's top layers initialised from the
 *   pretrained weights and trained on the task, over activations computed once
 *   per image by the frozen layers below them. Two depths (`MobileNetTop`):
 *
 *     "block16" (scale=paper) — a = trunk_{…block_15_add}(x):
 *       u = ReLU6(BN(Conv1×1_{160→960}(a)))           block_16_expand
 *       u = ReLU6(BN(DWConv3×3(u)))                    block_16_depthwise
 *       u = BN(Conv1×1_{960→320}(u))                   block_16_project
 *     "conv1" (default scale) — a = trunk_{…block_16_project_BN}(x) = u
 *     then, for both:
 *       f = GAP(ReLU6(BN(Conv1×1_{320→1280}(u))))      Conv_1 (+ out_relu)
 *       p(l | image) = softmax(W · dropout(f) + b)
 *
 *   BatchNorm is folded into the preceding convolution with its pretrained
 *   statistics (y = γ(x − μ)/√(σ²+ε) + β → kernel·γ/√(σ²+ε), bias β − μγ/√(σ²+ε)),
 *   the usual choice when fine-tuning on a small dataset (batch statistics of
 *   64 posts would replace ImageNet-scale ones). Everything below block 16
 *   stays frozen: fine-tuning it would need the full network per step, which
 *   the CPU budget does not allow; the earlier blocks are the same frozen trunk
 *   MRLF uses.
 *
 * The depthwise 3×3 convolution is written as nine shifted products
 * (DepthwiseConv3x3): the wasm backend has no depthwise-convolution gradient.
 */
import type * as TF from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";

/**
 * How much of the top is fine-tuned: the top convolution only ("conv1", the
 * default scale, for cost: the last block has ≈ 2× the multiply-adds per
 * step and needs its own cached activations) or the last inverted-residual
 * block too ("block16", scale=paper).
 */
export type MobileNetTop = "conv1" | "block16";
/** Where each top starts: the trunk's output cached per image. */
export const MOBILENET_HEAD_INPUT: Record<MobileNetTop, string> = { conv1: "block_16_project_BN", block16: "block_15_add" };
/** The pretrained layers the fine-tuned head re-creates, in order. */
export const MOBILENET_HEAD_LAYERS = ["block_16_expand", "block_16_depthwise", "block_16_project", "Conv_1"] as const;
const BN_OF: Record<(typeof MOBILENET_HEAD_LAYERS)[number], string> = {
  block_16_expand: "block_16_expand_BN",
  block_16_depthwise: "block_16_depthwise_BN",
  block_16_project: "block_16_project_BN",
  Conv_1: "Conv_1_bn",
};

export interface FoldedConv {
  /** Conv kernel [1,1,Cin,Cout], or depthwise kernel [3,3,C] (channel multiplier 1). */
  kernel: Float32Array;
  shape: number[];
  bias: Float32Array;
}
export type MobileNetHeadWeights = Record<(typeof MOBILENET_HEAD_LAYERS)[number], FoldedConv>;

/** BN-folded weights of the head's layers, read by name from a loaded MobileNetV2 (cut at out_relu or later). */
export function foldedHeadWeights(model: TF.LayersModel): MobileNetHeadWeights {
  const layer = (name: string) => {
    const l = model.layers.find((x) => x.name === name);
    if (!l) throw new Error(`MobileNetV2: no layer "${name}" in the pretrained model (is it cut before ${name}?)`);
    return l;
  };
  const out = {} as MobileNetHeadWeights;
  for (const name of MOBILENET_HEAD_LAYERS) {
    const conv = layer(name);
    const bn = layer(BN_OF[name]);
    const cw = conv.getWeights();
    if (cw.length !== 1) throw new Error(`MobileNetV2: ${name}: expected a bias-free convolution (1 weight), got ${cw.length}`);
    const [gamma, beta, mean, variance] = bn.getWeights().map((w) => w.dataSync() as Float32Array);
    const eps = (bn.getConfig() as { epsilon?: number }).epsilon ?? 1e-3;
    const k = cw[0].dataSync() as Float32Array;
    const shape = cw[0].shape as number[];
    const cout = gamma.length;
    const scale = Float32Array.from(gamma, (g, c) => g / Math.sqrt(variance[c] + eps));
    // Keras layouts: conv [kh, kw, Cin, Cout]; depthwise [kh, kw, C, 1] — the output channel is the last (conv) or the C axis (depthwise).
    const depthwise = name === "block_16_depthwise";
    const kernel = new Float32Array(k.length);
    for (let i = 0; i < k.length; i++) kernel[i] = k[i] * scale[depthwise ? Math.floor(i / shape[3]) % shape[2] : i % cout];
    const bias = Float32Array.from(beta, (b, c) => b - mean[c] * scale[c]);
    out[name] = { kernel, shape: depthwise ? [shape[0], shape[1], shape[2]] : shape, bias };
  }
  return out;
}

/**
 * Depthwise 3×3 convolution, stride 1, "same" padding, channel multiplier 1:
 *   y[h,w,c] = b[c] + Σ_{i,j ∈ {0,1,2}} x_pad[h+i, w+j, c] · k[i,j,c]
 * as nine slices of the zero-padded input (every op has a wasm gradient).
 */
export class DepthwiseConv3x3 extends tf.layers.Layer {
  static className = "GeoreproDepthwiseConv3x3";
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  readonly seed: number;
  constructor(cfg: { seed: number; name?: string }) {
    super({ name: cfg.name });
    this.seed = cfg.seed;
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const C = (inputShape as tf.Shape)[3] as number;
    this.kernel = this.addWeight("kernel", [3, 3, C], "float32", tf.initializers.glorotUniform({ seed: this.seed }));
    this.bias = this.addWeight("bias", [C], "float32", tf.initializers.zeros());
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [B, H, W, C] = x.shape;
      const xp = tf.pad(x, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      const k = this.kernel.read();
      let y: tf.Tensor = this.bias.read();
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) y = tf.add(y, tf.mul(xp.slice([0, i, j, 0], [B, H, W, C]), k.slice([i, j, 0], [1, 1, C]).reshape([C])));
      return y;
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(DepthwiseConv3x3);

export interface MobileNetHeadConfig {
  top: MobileNetTop;
  /** Spatial side of the cached activations (input size / 32). */
  side: number;
  /** Channels of the cached activations (160 at block_15_add, 320 at block_16_project_BN). */
  channels: number;
  dropout: number;
}

/**
 * The fine-tuned top of MobileNetV2 over cached activations (flattened [side·side·channels]), initialised from `weights`; rng seeds the
 * new layers only.
 */
export function buildMobileNetHead(numClasses: number, cfg: MobileNetHeadConfig, weights: MobileNetHeadWeights, rng: Rng): TF.LayersModel {
  type ST = TF.SymbolicTensor;
  const S = cfg.side;
  const input = tf.input({ shape: [S * S * cfg.channels], name: "activations" });
  let x = tf.layers.reshape({ targetShape: [S, S, cfg.channels], name: MOBILENET_HEAD_INPUT[cfg.top] }).apply(input) as ST;
  const relu6 = (t: ST, name: string) => tf.layers.reLU({ maxValue: 6, name }).apply(t) as ST;
  const conv1x1 = (t: ST, name: (typeof MOBILENET_HEAD_LAYERS)[number]) => {
    const w = weights[name];
    const layer = tf.layers.conv2d({ filters: w.shape[3], kernelSize: 1, useBias: true, name });
    const y = layer.apply(t) as ST;
    layer.setWeights([tf.tensor4d(w.kernel, w.shape as [number, number, number, number]), tf.tensor1d(w.bias)]);
    return y;
  };
  if (cfg.top === "block16") {
    x = relu6(conv1x1(x, "block_16_expand"), "block_16_expand_relu");
    const dw = new DepthwiseConv3x3({ seed: rng.seedInt(), name: "block_16_depthwise" });
    x = dw.apply(x) as ST;
    dw.setWeights([
      tf.tensor3d(weights.block_16_depthwise.kernel, weights.block_16_depthwise.shape as [number, number, number]),
      tf.tensor1d(weights.block_16_depthwise.bias),
    ]);
    x = relu6(x, "block_16_depthwise_relu");
    x = conv1x1(x, "block_16_project");
  }
  x = relu6(conv1x1(x, "Conv_1"), "out_relu");
  x = tf.layers.globalAveragePooling2d({ name: "avg_pool" }).apply(x) as ST;
  x = new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name: "dropout" }).apply(x) as ST;
  const out = tf.layers
    .dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }), name: "location" })
    .apply(x) as ST;
  return tf.model({ inputs: input, outputs: out, name: "mobilenet_v2_top" });
}

/** The linear probe: softmax(W v + b) on the frozen feature vector. */
export function buildLinearProbe(dim: number, numClasses: number, rng: Rng): TF.LayersModel {
  const v = tf.input({ shape: [dim], name: "image" });
  const out = tf.layers
    .dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }), name: "location" })
    .apply(v) as TF.SymbolicTensor;
  return tf.model({ inputs: v, outputs: out, name: "linear_probe" });
}
