/**
 * A filesystem IOHandler for tf.LayersModel save/load. Plain @tensorflow/tfjs
 * has no `file://` handler (that needs tfjs-node, which cannot install here).
 * Layout: DIR/model.json (topology + weights manifest) and DIR/weights.bin.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { writeFileAtomic, writeJsonAtomic } from "../runtime/atomic";

const concatBuffers = (data: ArrayBuffer | ArrayBuffer[]): Buffer =>
  Array.isArray(data) ? Buffer.concat(data.map((b) => Buffer.from(b))) : Buffer.from(data);

export function fsSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      fs.mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData ? concatBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]) : Buffer.alloc(0);
      writeFileAtomic(path.join(dir, "weights.bin"), weights);
      writeJsonAtomic(path.join(dir, "model.json"), {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

export function fsLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const file = path.join(dir, "model.json");
      if (!fs.existsSync(file)) throw new Error(`${file}: no saved model here (expected model.json + weights.bin)`);
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      const manifest = json.weightsManifest?.[0];
      if (!manifest) throw new Error(`${file}: weightsManifest: missing`);
      const bin = fs.readFileSync(path.join(dir, manifest.paths[0]));
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: manifest.weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      };
    },
  };
}

export const saveModel = (model: tf.LayersModel, dir: string) => model.save(fsSaveHandler(dir));
export const loadModel = (dir: string) => tf.loadLayersModel(fsLoadHandler(dir));
