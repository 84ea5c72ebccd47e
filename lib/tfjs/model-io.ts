/**
 * File-system IO handlers for TensorFlow.js models.
 *
 * `tf.loadLayersModel("file://…")` and `model.save("file://…")` need
 * tfjs-node, which cannot be installed here. These handlers read and write the
 * standard TensorFlow.js format (model.json + binary weight shards, as written
 * by `tensorflowjs_converter` or `model.save`) with plain `fs`, so any backend
 * (wasm, cpu) can load a converted VGG19 or save a trained baseline.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { writeFileAtomic } from "../runtime/atomic";

type ModelArtifacts = TF.io.ModelArtifacts;
type WeightsManifestConfig = TF.io.WeightsManifestConfig;

function readJsonFile(file: string, what: string): Record<string, unknown> {
  if (!fs.existsSync(file)) throw new Error(`${file}: ${what} not found (convert the model with tensorflowjs_converter, or fix the path)`);
  let obj: unknown;
  try {
    obj = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}:1: ${what}: not valid JSON (${(e as Error).message})`);
  }
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw new Error(`${file}:1: ${what}: expected a JSON object`);
  return obj as Record<string, unknown>;
}

/** Concatenate shards into one ArrayBuffer (tfjs decodes weights from one buffer). */
function concatBuffers(parts: Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out.buffer;
}

/**
 * Load handler for a model on disk: its `model.json`, or the folder holding it
 * (as `fsSaveHandler` writes it); shards are resolved relative to the JSON.
 * Works for both LayersModel (`modelTopology` is a Keras config) and
 * GraphModel (`modelTopology` is a GraphDef) files. One handler for the
 * training cache, the image backbones and the pretrained baselines.
 */
export function fsLoadHandler(modelJsonOrDir: string): TF.io.IOHandler {
  const given = path.resolve(modelJsonOrDir);
  const file = fs.existsSync(given) && fs.statSync(given).isDirectory() ? path.join(given, "model.json") : given;
  return {
    async load(): Promise<ModelArtifacts> {
      const json = readJsonFile(file, "model.json");
      if (!("modelTopology" in json)) throw new Error(`${file}:1: modelTopology: missing (not a TensorFlow.js model.json)`);
      const manifest = json.weightsManifest as WeightsManifestConfig | undefined;
      if (!Array.isArray(manifest)) throw new Error(`${file}:1: weightsManifest: missing or not a list`);
      const weightSpecs = manifest.flatMap((g) => g.weights);
      const parts: Uint8Array[] = [];
      for (const group of manifest)
        for (const p of group.paths) {
          const shard = path.resolve(path.dirname(file), p);
          if (!fs.existsSync(shard)) throw new Error(`${file}:1: weightsManifest.paths: shard ${p} not found at ${shard}`);
          parts.push(fs.readFileSync(shard));
        }
      const { modelTopology, format, generatedBy, convertedBy, signature, userDefinedMetadata, modelInitializer, trainingConfig } =
        json as Record<string, never>;
      return {
        modelTopology,
        weightSpecs,
        weightData: concatBuffers(parts),
        format,
        generatedBy,
        convertedBy,
        signature,
        userDefinedMetadata,
        modelInitializer,
        trainingConfig,
      };
    },
  };
}

/** Save handler writing `model.json` + `weights.bin` into `dir` (atomically per file). */
export function fsSaveHandler(dir: string): TF.io.IOHandler {
  return {
    async save(artifacts: ModelArtifacts): Promise<TF.io.SaveResult> {
      fs.mkdirSync(dir, { recursive: true });
      const data = artifacts.weightData;
      const bytes =
        data === undefined
          ? new Uint8Array(0)
          : Array.isArray(data)
            ? new Uint8Array(concatBuffers(data.map((b) => new Uint8Array(b))))
            : new Uint8Array(data);
      writeFileAtomic(path.join(dir, "weights.bin"), bytes);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(path.join(dir, "model.json"), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON", weightDataBytes: bytes.byteLength } };
    },
  };
}

/** A handler serving artifacts already in memory (used for the npm-packaged backbone). */
export function memoryLoadHandler(artifacts: ModelArtifacts): TF.io.IOHandler {
  return { load: async () => artifacts };
}

/** Save a LayersModel into DIR (DIR/model.json + DIR/weights.bin) and load it back: the training cache's format. */
export const saveModel = (model: TF.LayersModel, dir: string) => model.save(fsSaveHandler(dir));
export const loadModel = async (dir: string): Promise<TF.LayersModel> =>
  ((await import("@tensorflow/tfjs")) as typeof TF).loadLayersModel(fsLoadHandler(dir));
