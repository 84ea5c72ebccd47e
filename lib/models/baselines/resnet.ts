/**
 * ResNet50 / ResNet101 image baselines (He et al. 2016; MRLF paper Table II,
 * ref. [23]) with the real block structure: bottleneck blocks (1×1 → 3×3 → 1×1,
 * expansion 4) in four stages of [3, 4, 6, 3] (ResNet50) or [3, 4, 23, 3]
 * (ResNet101) blocks, a 7×7/2 stem + 3×3/2 max-pool, global average pooling
 * and a softmax over locations. Layout and layer names follow
 * `tf.keras.applications.ResNet50` (v1: the stride sits on the first 1×1 conv
 * of a stage), so converted Keras ImageNet weights load by name
 * (lib/models/baselines/pretrained.ts).
 *
 * Width is a parameter: stage widths are `baseWidth · [1, 2, 4, 8]` (Keras:
 * 64). The default scale trains from scratch at a reduced width and input size
 * (see `IMAGE_BASELINE_SIZES` in index.ts); scale=paper uses 64 and 224 px.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";

export type ResNetDepth = 50 | 101;
export const RESNET_BLOCKS: Record<ResNetDepth, readonly number[]> = { 50: [3, 4, 6, 3], 101: [3, 4, 23, 3] };

export interface ResNetConfig {
  depth: ResNetDepth;
  inputSize: number;
  baseWidth: number;
  /** Dropout before the classifier (0 = none, as in Keras). */
  dropout: number;
  /** BatchNorm moving-average momentum (Keras 0.99; short schedules need less, or the inference statistics lag far behind). */
  bnMomentum?: number;
}

type ST = TF.SymbolicTensor;
const BN_EPS = 1.001e-5; // Keras applications' epsilon

export function buildResNet(tf: typeof TF, numClasses: number, cfg: ResNetConfig, rng: Rng): TF.LayersModel {
  const blocks = RESNET_BLOCKS[cfg.depth];
  if (!blocks) throw new Error(`buildResNet: depth must be 50 or 101, got ${cfg.depth}`);
  const conv = (x: ST, filters: number, kernel: number, stride: number, name: string, padding: "valid" | "same" = "valid"): ST =>
    tf.layers
      .conv2d({
        filters,
        kernelSize: kernel,
        strides: stride,
        padding,
        useBias: true,
        kernelInitializer: tf.initializers.heNormal({ seed: rng.seedInt() }),
        name,
      })
      .apply(x) as ST;
  const bn = (x: ST, name: string, zeroGamma = false): ST =>
    tf.layers
      .batchNormalization({
        axis: 3,
        epsilon: BN_EPS,
        momentum: cfg.bnMomentum ?? 0.99,
        gammaInitializer: zeroGamma ? "zeros" : "ones",
        name,
      })
      .apply(x) as ST;
  const relu = (x: ST, name: string): ST => tf.layers.activation({ activation: "relu", name }).apply(x) as ST;

  /** Keras `block1`: bottleneck residual block. */
  const block = (x: ST, filters: number, stride: number, convShortcut: boolean, name: string): ST => {
    const shortcut = convShortcut ? bn(conv(x, 4 * filters, 1, stride, `${name}_0_conv`), `${name}_0_bn`) : x;
    let y = relu(bn(conv(x, filters, 1, stride, `${name}_1_conv`), `${name}_1_bn`), `${name}_1_relu`);
    y = relu(bn(conv(y, filters, 3, 1, `${name}_2_conv`, "same"), `${name}_2_bn`), `${name}_2_relu`);
    // Zero-initialised γ on the block's last BN (Goyal et al. 2017): each block starts as the identity,
    // which keeps a 50/101-layer net trainable from scratch with RMSprop. Structure and weight names are unchanged.
    y = bn(conv(y, 4 * filters, 1, 1, `${name}_3_conv`), `${name}_3_bn`, true);
    return relu(tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as ST, `${name}_out`);
  };

  const input = tf.input({ shape: [cfg.inputSize, cfg.inputSize, 3], name: "image" });
  let x = tf.layers
    .zeroPadding2d({
      padding: [
        [3, 3],
        [3, 3],
      ],
      name: "conv1_pad",
    })
    .apply(input) as ST;
  x = relu(bn(conv(x, cfg.baseWidth, 7, 2, "conv1_conv"), "conv1_bn"), "conv1_relu");
  x = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: "pool1_pad",
    })
    .apply(x) as ST;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: "pool1_pool" }).apply(x) as ST;
  blocks.forEach((n, s) => {
    const filters = cfg.baseWidth * 2 ** s;
    const stage = `conv${s + 2}`;
    x = block(x, filters, s === 0 ? 1 : 2, true, `${stage}_block1`);
    for (let b = 2; b <= n; b++) x = block(x, filters, 1, false, `${stage}_block${b}`);
  });
  x = tf.layers.globalAveragePooling2d({ name: "avg_pool" }).apply(x) as ST;
  if (cfg.dropout > 0) x = new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name: "dropout" }).apply(x) as ST;
  const out = tf.layers
    .dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }), name: "predictions" })
    .apply(x) as ST;
  return tf.model({ inputs: input, outputs: out, name: `resnet${cfg.depth}` });
}

/** Number of Conv2D layers (ResNet50 has 53 incl. 4 shortcut convs; 49 on the main path + the stem). */
export const countConvLayers = (m: TF.LayersModel): number => m.layers.filter((l) => l.getClassName() === "Conv2D").length;
