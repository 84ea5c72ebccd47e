/**
 * DenseNet121 image baseline (Huang et al. 2017; MRLF paper Table II, ref.
 * [24]) with the real structure: a 7×7/2 stem + 3×3/2 max-pool, four dense
 * blocks of [6, 12, 24, 16] composite layers (BN-ReLU-Conv1×1 with 4k filters,
 * BN-ReLU-Conv3×3 with k filters, concatenated to the block input), transition
 * layers (BN-ReLU-Conv1×1 halving the channels, 2×2 average pool) between
 * blocks, a final BN-ReLU, global average pooling and a softmax.
 *
 * Layer names follow `tf.keras.applications.DenseNet121` with "/" replaced by
 * "_" (so converted Keras weights load by name, see pretrained.ts). Growth rate
 * k is a parameter (Keras: 32, stem width 2k = 64); the default scale trains
 * from scratch with a smaller k and input size (index.ts says which).
 */
import type * as TF from "@tensorflow/tfjs";
import type { Rng } from "../../runtime/rng";
import { SeededDropout } from "../layers/dropout";

export const DENSENET121_BLOCKS: readonly number[] = [6, 12, 24, 16];

export interface DenseNetConfig {
  inputSize: number;
  growthRate: number;
  /** Transition compression θ (Keras: 0.5). */
  reduction: number;
  dropout: number;
  /** BatchNorm moving-average momentum (Keras 0.99; see resnet.ts). */
  bnMomentum?: number;
}

type ST = TF.SymbolicTensor;
const BN_EPS = 1.001e-5;

export function buildDenseNet121(tf: typeof TF, numClasses: number, cfg: DenseNetConfig, rng: Rng): TF.LayersModel {
  const conv = (x: ST, filters: number, kernel: number, stride: number, name: string, padding: "valid" | "same" = "valid"): ST =>
    tf.layers
      .conv2d({
        filters,
        kernelSize: kernel,
        strides: stride,
        padding,
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: rng.seedInt() }),
        name,
      })
      .apply(x) as ST;
  const bnRelu = (x: ST, name: string): ST =>
    tf.layers
      .activation({ activation: "relu", name: `${name}_relu` })
      .apply(
        tf.layers.batchNormalization({ axis: 3, epsilon: BN_EPS, momentum: cfg.bnMomentum ?? 0.99, name: `${name}_bn` }).apply(x) as ST,
      ) as ST;
  const channels = (x: ST): number => x.shape[3] as number;

  const convBlock = (x: ST, name: string): ST => {
    let y = conv(bnRelu(x, `${name}_0`), 4 * cfg.growthRate, 1, 1, `${name}_1_conv`);
    y = conv(bnRelu(y, `${name}_1`), cfg.growthRate, 3, 1, `${name}_2_conv`, "same");
    return tf.layers.concatenate({ axis: 3, name: `${name}_concat` }).apply([x, y]) as ST;
  };
  const transition = (x: ST, name: string): ST => {
    const y = conv(bnRelu(x, name), Math.floor(channels(x) * cfg.reduction), 1, 1, `${name}_conv`);
    return tf.layers.averagePooling2d({ poolSize: 2, strides: 2, name: `${name}_pool` }).apply(y) as ST;
  };

  const input = tf.input({ shape: [cfg.inputSize, cfg.inputSize, 3], name: "image" });
  let x = tf.layers
    .zeroPadding2d({
      padding: [
        [3, 3],
        [3, 3],
      ],
      name: "zero_padding2d",
    })
    .apply(input) as ST;
  x = bnRelu(conv(x, 2 * cfg.growthRate, 7, 2, "conv1_conv"), "conv1");
  x = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: "zero_padding2d_1",
    })
    .apply(x) as ST;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: "pool1" }).apply(x) as ST;
  DENSENET121_BLOCKS.forEach((n, s) => {
    for (let b = 1; b <= n; b++) x = convBlock(x, `conv${s + 2}_block${b}`);
    if (s < DENSENET121_BLOCKS.length - 1) x = transition(x, `pool${s + 2}`);
  });
  x = tf.layers.batchNormalization({ axis: 3, epsilon: BN_EPS, momentum: cfg.bnMomentum ?? 0.99, name: "bn" }).apply(x) as ST;
  x = tf.layers.activation({ activation: "relu", name: "relu" }).apply(x) as ST;
  x = tf.layers.globalAveragePooling2d({ name: "avg_pool" }).apply(x) as ST;
  if (cfg.dropout > 0) x = new SeededDropout({ rate: cfg.dropout, seed: rng.seedInt(), name: "dropout" }).apply(x) as ST;
  const out = tf.layers
    .dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seedInt() }), name: "predictions" })
    .apply(x) as ST;
  return tf.model({ inputs: input, outputs: out, name: "densenet121" });
}
