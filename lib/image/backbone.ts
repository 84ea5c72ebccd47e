/**
 * Frozen image backbones (MRLF §III-B: "we use a pre-trained VGG19 model …
 * freeze all pre-training parameters in the convolutional layer and apply a
 * fully connected layer following a global average pooling layer").
 *
 * A backbone maps RGB pixels to one feature vector per image:
 *   F = GAP(trunk(preprocess(x)))   (global average pooling over H×W)
 * The fully connected layer after GAP is trainable and belongs to the model
 * that uses the feature (MRLF's image branch), so frozen features can be
 * computed once per image and cached (lib/image/features.ts).
 *
 * Two sources:
 *  - `backboneFromManifest(file)`: any TensorFlow.js model on disk (e.g. VGG19
 *    converted with `tensorflowjs_converter --input_format keras`), described
 *    by a small JSON manifest (format below);
 *  - `defaultBackbone()`: MobileNetV2 whose weights ship inside the npm
 *    package nsfwjs@4.3.0 (fine-tuned for NSFW classes, so a generic-ish
 *    ImageNet-derived trunk, not the paper's VGG19 — notebooks say so).
 *
 * Backbone manifest (JSON; paths relative to the manifest file):
 *   { "name": "vgg19-imagenet",            // free text, goes into the backbone id
 *     "format": "layers" | "graph",        // tf.loadLayersModel / tf.loadGraphModel
 *     "modelJson": "vgg19/model.json",
 *     "inputSize": 224,                    // square input fed to the trunk
 *     "preprocess": "caffe" | "tf" | "unit", // caffe: BGR − ImageNet means (Keras VGG19); tf: x/127.5−1; unit: x/255
 *     "featureLayer": "block5_pool",       // layers: layer whose output is pooled; graph: output node (optional)
 *     "pooling": "gap" | "none" }          // gap: mean over H×W of a 4-D output
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { selectBackend } from "../tfjs/backend";
import { sha256, sha256File } from "../runtime/hash";
import { fsLoadHandler, memoryLoadHandler } from "../tfjs/model-io";
import { truncateTopology } from "./topology";
import { envVar } from "../runtime/env";

export type Preprocess = "caffe" | "tf" | "unit";
export const PREPROCESS: readonly Preprocess[] = ["caffe", "tf", "unit"];

export interface Backbone {
  /** Identifies the features it produces: weights checksum, layer, input size, preprocessing. Part of every cache key. */
  readonly id: string;
  /** Human-readable one-liner for notebooks and tables. */
  readonly description: string;
  /** Square input size in pixels. */
  readonly inputSize: number;
  /** Feature dimension. */
  readonly dim: number;
  /** RGB pixels in 0..255, shape [N, S, S, 3] → features [N, dim]. No gradients flow (frozen). */
  embed(pixels: TF.Tensor4D): TF.Tensor2D;
  dispose(): void;
}

export interface BackboneManifest {
  name: string;
  format: "layers" | "graph";
  modelJson: string;
  inputSize: number;
  preprocess: Preprocess;
  featureLayer?: string;
  pooling: "gap" | "none";
}

/** ImageNet channel means (RGB order) used by Keras' "caffe" preprocessing. */
const CAFFE_MEAN_RGB = [123.68, 116.779, 103.939];

function preprocessOp(tf: typeof TF, x: TF.Tensor4D, how: Preprocess): TF.Tensor4D {
  switch (how) {
    case "unit":
      return tf.div(x, 255);
    case "tf":
      return tf.sub(tf.div(x, 127.5), 1);
    case "caffe":
      // Keras vgg19.preprocess_input: RGB→BGR, subtract per-channel means, no scaling.
      return tf.reverse(tf.sub(x, tf.tensor1d(CAFFE_MEAN_RGB)), -1) as TF.Tensor4D;
  }
}

function makeBackbone(
  tf: typeof TF,
  opts: {
    id: string;
    description: string;
    inputSize: number;
    preprocess: Preprocess;
    pooling: "gap" | "none";
    run: (x: TF.Tensor4D) => TF.Tensor;
    dispose: () => void;
  },
): Backbone {
  const embed = (pixels: TF.Tensor4D): TF.Tensor2D =>
    tf.tidy(() => {
      if (pixels.shape[1] !== opts.inputSize || pixels.shape[2] !== opts.inputSize || pixels.shape[3] !== 3)
        throw new Error(
          `backbone ${opts.id}: expected input [N, ${opts.inputSize}, ${opts.inputSize}, 3], got [${pixels.shape.join(", ")}]`,
        );
      const y = opts.run(preprocessOp(tf, pixels, opts.preprocess));
      if (opts.pooling === "gap") {
        if (y.rank !== 4) throw new Error(`backbone ${opts.id}: pooling "gap" needs a 4-D feature map, got rank ${y.rank}`);
        return tf.mean(y, [1, 2]) as TF.Tensor2D;
      }
      return y.reshape([y.shape[0], -1]) as TF.Tensor2D;
    });
  // Probe once to learn the feature dimension.
  const probe = tf.zeros([1, opts.inputSize, opts.inputSize, 3]) as TF.Tensor4D;
  const out = embed(probe);
  const dim = out.shape[1];
  probe.dispose();
  out.dispose();
  return { id: opts.id, description: opts.description, inputSize: opts.inputSize, dim, embed, dispose: opts.dispose };
}

function freeze(model: TF.LayersModel): void {
  model.trainable = false;
  for (const l of model.layers) l.trainable = false;
}

// ---- manifest-described backbone (VGG19 from a local path) ---------------------------

/** Read and validate a backbone manifest; errors name the file and field. */
export function readBackboneManifest(file: string): BackboneManifest {
  const where = path.resolve(file);
  if (!fs.existsSync(where)) throw new Error(`${where}: backbone manifest not found`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(where, "utf8"));
  } catch (e) {
    throw new Error(`${where}:1: not valid JSON (${(e as Error).message})`);
  }
  const bad = (field: string, what: string) => new Error(`${where}:1: ${field}: ${what} (got ${JSON.stringify(raw[field])})`);
  if (typeof raw.name !== "string" || !raw.name) throw bad("name", "expected a non-empty string");
  if (raw.format !== "layers" && raw.format !== "graph") throw bad("format", 'expected "layers" or "graph"');
  if (typeof raw.modelJson !== "string" || !raw.modelJson)
    throw bad("modelJson", "expected the path of model.json, relative to the manifest");
  if (typeof raw.inputSize !== "number" || !Number.isInteger(raw.inputSize) || raw.inputSize < 8)
    throw bad("inputSize", "expected an integer ≥ 8");
  if (!PREPROCESS.includes(raw.preprocess as Preprocess)) throw bad("preprocess", `expected one of ${PREPROCESS.join(", ")}`);
  if (raw.featureLayer !== undefined && typeof raw.featureLayer !== "string") throw bad("featureLayer", "expected a layer name");
  if (raw.format === "layers" && raw.featureLayer === undefined)
    throw bad("featureLayer", 'required for format "layers" (e.g. "block5_pool" for VGG19)');
  const pooling = raw.pooling ?? "gap";
  if (pooling !== "gap" && pooling !== "none") throw bad("pooling", 'expected "gap" or "none"');
  const modelJson = path.resolve(path.dirname(where), raw.modelJson);
  if (!fs.existsSync(modelJson))
    throw new Error(`${where}:1: modelJson: ${modelJson} not found (convert the model with tensorflowjs_converter and put it there)`);
  return {
    name: raw.name,
    format: raw.format,
    modelJson,
    inputSize: raw.inputSize,
    preprocess: raw.preprocess as Preprocess,
    featureLayer: raw.featureLayer as string | undefined,
    pooling,
  };
}

/** Checksum of a model.json and its shards (the weights' identity in cache keys). */
function modelChecksum(modelJson: string): string {
  const json = JSON.parse(fs.readFileSync(modelJson, "utf8")) as { weightsManifest?: { paths: string[] }[] };
  const parts = [sha256File(modelJson)];
  for (const g of json.weightsManifest ?? []) for (const p of g.paths) parts.push(sha256File(path.resolve(path.dirname(modelJson), p)));
  return sha256(parts.join(":")).slice(0, 16);
}

/** Load a frozen backbone described by a manifest (e.g. the paper's VGG19). */
export async function backboneFromManifest(manifestFile: string): Promise<Backbone> {
  const m = readBackboneManifest(manifestFile);
  const { tf } = await selectBackend();
  const sum = modelChecksum(m.modelJson);
  const id = `${m.name}:${sum}:${m.featureLayer ?? "output"}:${m.pooling}:${m.preprocess}:${m.inputSize}`;
  if (m.format === "graph") {
    const g = await tf.loadGraphModel(fsLoadHandler(m.modelJson));
    const run = (x: TF.Tensor4D) => (m.featureLayer ? (g.execute(x, m.featureLayer) as TF.Tensor) : (g.predict(x) as TF.Tensor));
    return makeBackbone(tf, {
      id,
      description: `${m.name} (graph model, frozen; ${m.inputSize}px)`,
      inputSize: m.inputSize,
      preprocess: m.preprocess,
      pooling: m.pooling,
      run,
      dispose: () => g.dispose(),
    });
  }
  const artifacts = await fsLoadHandler(m.modelJson).load!();
  artifacts.modelTopology = truncateTopology(
    artifacts.modelTopology as Record<string, unknown>,
    { featureLayer: m.featureLayer!, inputSize: m.inputSize },
    m.modelJson,
  );
  const model = await tf.loadLayersModel(memoryLoadHandler(artifacts), { strict: false });
  freeze(model);
  return makeBackbone(tf, {
    id,
    description: `${m.name} up to ${m.featureLayer} + ${m.pooling === "gap" ? "global average pooling" : "flatten"} (frozen; ${m.inputSize}px)`,
    inputSize: m.inputSize,
    preprocess: m.preprocess,
    pooling: m.pooling,
    run: (x) => model.predict(x) as TF.Tensor,
    dispose: () => model.dispose(),
  });
}

// ---- default: MobileNetV2 from nsfwjs@4.3.0 -------------------------------------------

/** Where nsfwjs keeps its bundled models (its package `exports` hide the path from require). */
function nsfwjsModelsDir(): string {
  return path.resolve(path.dirname(require.resolve("nsfwjs")), "..", "models");
}

export const DEFAULT_BACKBONE_LAYER = "out_relu";

/**
 * nsfwjs@4.3.0's MobileNetV2 as a frozen LayersModel cut at `featureLayer`
 * (Keras layer names: "out_relu", "block_15_add", …), at `inputSize` px, with
 * the identity of its weights. Shared by the default backbone and the
 * fine-tuned MobileNetV2 image baseline (lib/models/baselines/mobilenet.ts).
 */
export async function loadNsfwjsMobileNet(opts: {
  featureLayer: string;
  inputSize: number;
}): Promise<{ model: TF.LayersModel; version: string; checksum: string }> {
  const { tf } = await selectBackend();
  const dir = nsfwjsModelsDir();
  const topoFile = path.join(dir, "mobilenet_v2", "model.min.js");
  const shardFile = path.join(dir, "mobilenet_v2", "group1-shard1of1.min.js");
  if (!fs.existsSync(topoFile) || !fs.existsSync(shardFile))
    throw new Error(`defaultBackbone: nsfwjs model files not found under ${dir} (run \`make setup\`: nsfwjs@4.3.0 must be installed)`);
  // The bundled files are UMD modules exporting the model.json object and the base64 weight shard.
  const json = require(topoFile) as { modelTopology: Record<string, unknown>; weightsManifest: TF.io.WeightsManifestConfig };
  const b64 = require(shardFile) as string;
  if (typeof b64 !== "string") throw new Error(`defaultBackbone: ${shardFile}: expected a base64 weight shard`);
  const bytes = Buffer.from(b64, "base64");
  const version = (JSON.parse(fs.readFileSync(path.resolve(dir, "..", "..", "package.json"), "utf8")) as { version: string }).version;
  const checksum = sha256(bytes).slice(0, 16);
  const modelTopology = truncateTopology(json.modelTopology, { featureLayer: opts.featureLayer, inputSize: opts.inputSize }, topoFile);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    memoryLoadHandler({ modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }),
    { strict: false },
  );
  freeze(model);
  return { model, version, checksum };
}

/**
 * The default frozen backbone: nsfwjs@4.3.0's MobileNetV2 trunk up to
 * `out_relu` (1280 channels) + global average pooling → 1280-d features.
 * Inputs are scaled to 0..1 as nsfwjs does. The trunk is fully convolutional,
 * so `inputSize` may be below the packaged 224 (the default scale uses 96, the
 * synthetic images' native size, for speed; scale=paper uses 224).
 *
 * `featureLayer`/`pooling` cut it elsewhere: "block_15_add" without pooling
 * gives the activations the fine-tuned MobileNetV2 baseline starts from.
 */
export async function defaultBackbone(
  opts: { inputSize?: number; featureLayer?: string; pooling?: "gap" | "none" } = {},
): Promise<Backbone> {
  const inputSize = opts.inputSize ?? 224;
  const featureLayer = opts.featureLayer ?? DEFAULT_BACKBONE_LAYER;
  const pooling = opts.pooling ?? "gap";
  if (!Number.isInteger(inputSize) || inputSize < 32)
    throw new Error(`defaultBackbone: inputSize must be an integer ≥ 32, got ${inputSize}`);
  const { tf } = await selectBackend();
  const { model, version, checksum } = await loadNsfwjsMobileNet({ featureLayer, inputSize });
  return makeBackbone(tf, {
    id: `nsfwjs-mobilenet_v2@${version}:${checksum}:${featureLayer}:${pooling}:unit:${inputSize}`,
    description: `MobileNetV2 (nsfwjs@${version} weights) up to ${featureLayer}${pooling === "gap" ? " + global average pooling" : ""}, frozen, ${inputSize}px input`,
    inputSize,
    preprocess: "unit",
    pooling,
    run: (x) => model.predict(x) as TF.Tensor,
    dispose: () => model.dispose(),
  });
}

/** Input size per scale for the default backbone (224 is the packaged size; see bench/README.md). */
export const backboneInputSize = (scale: "tiny" | "default" | "paper"): number => (scale === "paper" ? 224 : scale === "default" ? 96 : 64);

/**
 * The backbone a run uses: the manifest named by env GEOREPRO_BACKBONE (e.g.
 * a converted VGG19) when set, else the default MobileNetV2 at the scale's size.
 */
export async function backboneForRun(
  params: { scale: "tiny" | "default" | "paper" },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Backbone> {
  const manifest = envVar("GEOREPRO_BACKBONE", env);
  if (manifest) return backboneFromManifest(manifest);
  return defaultBackbone({ inputSize: backboneInputSize(params.scale) });
}
