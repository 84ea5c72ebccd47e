/**
 * Compile a tf.LayersModel into a static plan the engine runs: one op per
 * layer in topological order, every activation, gradient, parameter and
 * scratch buffer placed once in an arena sized for `maxBatch` samples.
 *
 * The plan reproduces the model's own computation (the same layers, weights,
 * activations and, in training, BatchNorm batch statistics and moving-average
 * updates); only the order of floating-point sums differs from tfjs. A layer
 * the engine does not implement throws `Unsupported`, and the caller trains
 * with tfjs instead.
 */
import type * as tf from "@tensorflow/tfjs";
import { Arena } from "./arena";
import { MAX_ARENA_BYTES, prod, Unsupported, type Builder, type DType, type Op, type Param, type Tensor } from "./ops/common";
import { denseOp, convOp, type EmbeddedInput } from "./ops/linear";
import { batchNormOp, layerNormOp } from "./ops/norm";
import { attentionOp } from "./ops/attention";
import { dotOp, lstmOp } from "./ops/recurrent";
import { maskedMaxOverTimeOp, padMaskOp, poolMaskOp } from "./ops/mask";
import { attentionPoolOp, clippedReluOp, timeShiftOp } from "./ops/sequence";
import {
  activationOp,
  addOp,
  aliasOp,
  avgPoolOp,
  concatOp,
  dropoutOp,
  embeddingOp,
  globalAvgPoolOp,
  maxOverTimeOp,
  maxPoolOp,
  zeroPadOp,
} from "./ops/shape";

export interface Plan {
  arena: Arena;
  maxBatch: number;
  /** Model inputs in model.inputNames order. */
  inputs: { name: string; tensor: Tensor }[];
  /** The logits. */
  output: Tensor;
  ops: Op[];
  /** Every weight of the model, in model.weights order (what getWeights/setWeights use). */
  params: Param[];
}

// tfjs-layers internals read here (stable across 4.x): a layer's inbound node and its symbolic tensors.
interface SymTensor {
  id: number;
  shape: (number | null)[];
  dtype: string;
}
interface LayerInternals {
  name: string;
  inboundNodes: { inputTensors: SymTensor[]; outputTensors: SymTensor[] }[];
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  weights: { name: string; shape: number[]; trainable: boolean }[];
}

/** Build the op for one layer (inputs already compiled). */
function buildOp(bl: Builder, layer: LayerInternals, xs: Tensor[], outShape: number[], embedded?: EmbeddedInput): Op {
  const cls = layer.getClassName();
  const cfg = layer.getConfig();
  const name = layer.name;
  const one = () => {
    if (xs.length !== 1) throw new Unsupported(`${name}: ${cls} with ${xs.length} inputs`);
    return xs[0];
  };
  switch (cls) {
    case "Dense":
      return denseOp(bl, name, cfg, one());
    case "Conv2D":
      return convOp(bl, name, cfg, one(), 2);
    case "Conv1D":
      return convOp(bl, name, cfg, one(), 1, embedded);
    case "BatchNormalization":
      return batchNormOp(bl, name, cfg, one());
    case "GeoreproLayerNorm":
      return layerNormOp(bl, name, cfg, one());
    case "GeoreproMultiHeadAttention":
      return attentionOp(bl, name, cfg, xs);
    case "Activation":
      return activationOp(bl, name, String(cfg.activation), one());
    case "Softmax":
      if (Number(cfg.axis ?? -1) !== -1) throw new Unsupported(`${name}: softmax over axis ${String(cfg.axis)}`);
      return activationOp(bl, name, "softmax", one());
    case "Add":
      return addOp(bl, name, xs);
    case "Concatenate":
      return concatOp(bl, name, cfg, xs);
    case "ZeroPadding2D":
      return zeroPadOp(bl, name, cfg, one());
    case "MaxPooling2D":
      return maxPoolOp(bl, name, cfg, one(), 2);
    case "MaxPooling1D":
      return maxPoolOp(bl, name, cfg, one(), 1);
    case "AveragePooling2D":
      return avgPoolOp(bl, name, cfg, one());
    case "GlobalAveragePooling2D":
      return globalAvgPoolOp(bl, name, cfg, one());
    case "GeoreproMaxOverTime":
      return xs.length === 2 ? maskedMaxOverTimeOp(bl, name, xs[0], xs[1]) : maxOverTimeOp(bl, name, one());
    case "GeoreproPadMask":
      return padMaskOp(bl, name, one());
    case "GeoreproPoolMask":
      return poolMaskOp(bl, name, cfg, one());
    case "GeoreproConcatMask":
      return concatOp(bl, name, { axis: -1 }, xs);
    case "Embedding":
      return embeddingOp(bl, name, cfg, one());
    case "GeoreproSeededDropout":
      return dropoutOp(bl, name, cfg, one());
    case "LSTM":
      return lstmOp(bl, name, cfg, one(), false);
    case "Bidirectional":
      if ((cfg.layer as { className?: string } | undefined)?.className !== "LSTM")
        throw new Unsupported(`layer ${name}: Bidirectional of ${String((cfg.layer as { className?: string })?.className)}`);
      return lstmOp(bl, name, cfg, one(), true);
    case "GeoreproSequenceLSTM":
      // lib/models/layers/lstm.ts: the Keras recurrence with sigmoid gates, every step's h, and
      // goBackwards outputs in input order (h_t after reading x_{T−1} … x_t), which is lstmOp's
      // backward direction. Its config names only units, goBackwards and seed.
      return lstmOp(
        bl,
        name,
        { units: cfg.units, goBackwards: cfg.goBackwards, recurrentActivation: "sigmoid", returnSequences: true },
        one(),
        false,
      );
    case "GeoreproTimeShift":
      return timeShiftOp(bl, name, cfg, one());
    case "GeoreproAttentionPool":
      return attentionPoolOp(bl, name, xs);
    case "ReLU":
      return clippedReluOp(bl, name, cfg, one());
    case "Dot":
      return dotOp(bl, name, cfg, xs);
    case "Flatten":
    case "Reshape":
      return aliasOp(bl, cls, name, one(), outShape);
    default:
      throw new Unsupported(`layer ${name}: ${cls} is not implemented by the engine`);
  }
}

/**
 * `reserve` allocates what the caller needs beside the plan (optimizer slots, labels) before
 * the arena is sealed. `training` false compiles for prediction only: no gradient buffers.
 */
export function compileModel(
  model: tf.LayersModel,
  maxBatch: number,
  reserve?: (arena: Arena, params: Param[]) => void,
  training = true,
): Plan {
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) throw new Error(`engine: maxBatch must be a positive integer, got ${maxBatch}`);
  if (model.outputs.length !== 1) throw new Unsupported(`model ${model.name}: ${model.outputs.length} outputs`);
  const arena = Arena.create();
  const layers = model.layers as unknown as LayerInternals[];

  // Parameters: one slot per variable, in model.weights order.
  const params: Param[] = model.weights.map((w) => {
    const size = prod(w.shape as number[]);
    const trainable = training && w.trainable;
    return { name: w.name, shape: w.shape as number[], size, off: arena.alloc(size), goff: trainable ? arena.alloc(size) : 0, trainable };
  });
  // Layer weights are the same LayerVariable objects as the model's (names may carry uniquifying suffixes).
  const paramOf = new Map<object, Param>(model.weights.map((w, i) => [w, params[i]]));

  const tensors = new Map<number, Tensor>();
  const newTensor = (shape: number[], wantsGrad: boolean, dtype: DType = "float32"): Tensor => {
    const per = prod(shape);
    const needsGrad = training && wantsGrad;
    return {
      shape,
      per,
      off: arena.alloc(per * maxBatch),
      goff: needsGrad ? arena.alloc(per * maxBatch) : 0,
      dtype,
      needsGrad,
      storage: {},
    };
  };
  const perSample = (s: SymTensor, what: string): number[] => {
    const shape = s.shape.slice(1);
    if (shape.some((d) => d === null)) throw new Unsupported(`${what}: dynamic shape [${s.shape}]`);
    return shape as number[];
  };

  const inputs = model.inputs.map((s, i) => {
    const st = s as unknown as SymTensor;
    const dtype: DType = st.dtype === "int32" ? "int32" : "float32";
    const t = newTensor(perSample(st, `input ${model.inputNames[i]}`), false, dtype);
    tensors.set(st.id, t);
    return { name: model.inputNames[i], tensor: t };
  });

  // How many layers read each symbolic tensor (the model output counts as a reader).
  const readers = new Map<number, number>();
  for (const l of layers)
    for (const node of l.inboundNodes) for (const s of node.inputTensors) readers.set(s.id, (readers.get(s.id) ?? 0) + 1);
  for (const s of model.outputs) readers.set((s as unknown as SymTensor).id, (readers.get((s as unknown as SymTensor).id) ?? 0) + 1);
  const producer = new Map<Tensor, Op>();

  // Embeddings read only by stride-1 1-D convolutions, with fewer ids than positions in a batch
  // (characters, hashtags): the convs compute from the ids through per-tap tables (ops/linear.ts,
  // embeddedConvOp) and the embedding's own lookup is skipped.
  const readerLayers = new Map<number, LayerInternals[]>();
  for (const l of layers)
    for (const node of l.inboundNodes) for (const s of node.inputTensors) readerLayers.set(s.id, [...(readerLayers.get(s.id) ?? []), l]);
  const outputIds = new Set(model.outputs.map((s) => (s as unknown as SymTensor).id));
  const tableEligible = (l: LayerInternals): boolean => {
    const out = l.inboundNodes[0].outputTensors[0];
    const rs = readerLayers.get(out.id) ?? [];
    const positions = maxBatch * Number(out.shape[1]);
    const one = (v: unknown) => (Array.isArray(v) ? v.every((x) => x === 1) : v === undefined || v === 1);
    return (
      !outputIds.has(out.id) &&
      rs.length > 0 &&
      Number(l.getConfig().inputDim) < positions &&
      rs.every(
        (r) =>
          r.getClassName() === "Conv1D" &&
          r.inboundNodes[0].inputTensors.length === 1 &&
          one(r.getConfig().strides) &&
          one(r.getConfig().dilationRate),
      )
    );
  };
  const absorbed = new Map<Tensor, { ids: Tensor; E: Param; convs: EmbeddedInput[] }>();

  // Topological order, stable in model.layers order.
  const ops: Op[] = [];
  const pending = layers.filter((l) => l.getClassName() !== "InputLayer");
  while (pending.length) {
    const i = pending.findIndex((l) => {
      if (l.inboundNodes.length !== 1) throw new Unsupported(`layer ${l.name}: used ${l.inboundNodes.length} times`);
      return l.inboundNodes[0].inputTensors.every((s) => tensors.has(s.id));
    });
    if (i < 0) throw new Unsupported(`model ${model.name}: layers ${pending.map((l) => l.name).join(", ")} have inputs outside the model`);
    const layer = pending.splice(i, 1)[0];
    const node = layer.inboundNodes[0];
    if (node.outputTensors.length !== 1) throw new Unsupported(`layer ${layer.name}: ${node.outputTensors.length} outputs`);
    const xs = node.inputTensors.map((s) => tensors.get(s.id)!);
    const outShape = perSample(node.outputTensors[0], `layer ${layer.name}`);
    // Fold Activation("relu") into the op producing its input when nothing else reads that
    // input (BatchNorm, Add and linear Dense/Conv apply it in the same pass).
    if (
      layer.getClassName() === "Activation" &&
      layer.getConfig().activation === "relu" &&
      readers.get(node.inputTensors[0].id) === 1 &&
      producer.get(xs[0])?.fuseRelu?.()
    ) {
      tensors.set(node.outputTensors[0].id, xs[0]);
      continue;
    }
    const layerParams = layer.weights.map((w) => {
      const p = paramOf.get(w);
      if (!p) throw new Unsupported(`layer ${layer.name}: weight ${w.name} is not among the model's weights`);
      return p;
    });
    const bl: Builder = {
      a: arena,
      maxBatch,
      tensor: newTensor,
      alias: (t, shape) => ({ ...t, shape, per: prod(shape) }),
      params: layerParams,
      scratch: (n) => arena.alloc(n),
    };
    const source = layer.getClassName() === "Conv1D" ? absorbed.get(xs[0]) : undefined;
    const embedded: EmbeddedInput | undefined = source && { ids: source.ids, E: source.E, accE: true };
    if (embedded) source!.convs.push(embedded);
    let opx = buildOp(bl, layer, xs, outShape, embedded);
    if (opx.kind === "Embedding" && tableEligible(layer)) {
      absorbed.set(opx.output, { ids: xs[0], E: opx.params[0], convs: [] });
      opx = { ...opx, kind: "Embedding (read by its convs)", forward: () => undefined, backward: () => undefined };
    }
    if (opx.output.shape.length !== outShape.length || opx.output.shape.some((d, j) => d !== outShape[j]))
      throw new Error(
        `engine: layer ${layer.name} (${layer.getClassName()}): computed shape [${opx.output.shape}] but tfjs says [${outShape}]`,
      );
    tensors.set(node.outputTensors[0].id, opx.output);
    producer.set(opx.output, opx);
    ops.push(opx);
  }
  // The first of an embedding's convs in backward order writes dE, the others add.
  for (const { convs } of absorbed.values()) if (convs.length) convs[convs.length - 1].accE = false;
  const out = tensors.get((model.outputs[0] as unknown as SymTensor).id);
  if (!out || out.shape.length !== 1) throw new Unsupported(`model ${model.name}: the output must be logits [batch, classes]`);
  if (training && !out.needsGrad) throw new Unsupported(`model ${model.name}: nothing trainable reaches the output`);

  // Backward order is the reverse of ops: the first op there to reach a tensor writes its
  // gradient, later ones add. Reshape aliases pass gradients through their shared storage.
  const written = new Set<object>([out.storage]);
  for (let i = ops.length - 1; i >= 0; i--) {
    const o = ops[i];
    if (o.kind === "Flatten" || o.kind === "Reshape") continue;
    o.inputs.forEach((x, j) => {
      if (!x.needsGrad) return;
      o.accIn[j] = written.has(x.storage);
      written.add(x.storage);
    });
  }
  reserve?.(arena, params);
  // A WebAssembly (wasm32) memory holds at most MAX_ARENA_BYTES: a bigger plan (ResNet50 at 96 px, width 64,
  // batch 64 needs 4.2 GiB) goes to tfjs instead of failing in grow().
  if (arena.bytes > MAX_ARENA_BYTES)
    throw new Unsupported(
      `model ${model.name}: needs ${(arena.bytes / 2 ** 30).toFixed(1)} GiB of engine memory at batch ${maxBatch}; WebAssembly allows ${MAX_ARENA_BYTES / 2 ** 30} GiB`,
    );
  arena.seal();
  return { arena, maxBatch, inputs, output: out, ops, params };
}
