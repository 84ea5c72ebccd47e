/**
 * TensorFlow.js models described by a data manifest (data-manifests/schema.json):
 * the U2-Net matting model and the LaMa inpainter the MRLF paper cites ([18],
 * [19]) are not on npm, so a user converts them (tensorflowjs_converter) and
 * names the files in data-manifests/u2net.json or lama.json (templates in
 * data-manifests/templates/). The manifest's `files` hold:
 *
 *   - exactly one `model.json`, with `format` "tfjs-graph-model" or "tfjs-layers-model";
 *   - its weight shards (`format` "tfjs-weights"), listed so that they are checksummed;
 *   - optionally one JSON file with `format` "georepro-model-io": the model's
 *     input/output conventions (input size, normalisation, output node) when
 *     they differ from the model family's defaults (segmenters/u2net.ts, lama.ts).
 *
 * The model id (part of every cache key) is the manifest name + a hash of the
 * checksums of every listed file + the IO conventions, so new weights or a new
 * convention never reuse old cached masks.
 */
import * as fs from "node:fs";
import type * as TF from "@tensorflow/tfjs";
import {
  loadManifest,
  resolveManifest,
  verifyManifest,
  displayPath,
  type ResolveOptions,
  type VerifiedManifest,
} from "../../data/manifest";
import { selectBackend } from "../../tfjs/backend";
import { keyOf } from "../../runtime/hash";
import { fsLoadHandler } from "../../tfjs/model-io";

export type ModelFormat = "tfjs-graph-model" | "tfjs-layers-model";
export const MODEL_FORMATS: readonly ModelFormat[] = ["tfjs-graph-model", "tfjs-layers-model"];
export const IO_FORMAT = "georepro-model-io";

/** A loaded manifest model: runs one NHWC float batch and returns its outputs in order. */
export interface ManifestModel {
  id: string;
  manifest: VerifiedManifest;
  format: ModelFormat;
  /** The `georepro-model-io` file's object ({} when there is none). */
  io: Record<string, unknown>;
  /** Where the io object came from (for error messages): "file:1" or "defaults". */
  ioWhere: string;
  /** Input names of the model (graph: signature/placeholders; layers: input layer names). */
  inputNames: string[];
  /** Run with inputs by position (one tensor per model input); returns every output, in order. */
  run(inputs: TF.Tensor[]): TF.Tensor[];
  dispose(): void;
}

/** Open, verify and load the model a manifest describes. Errors name the manifest and field. */
export async function loadManifestModel(manifestFile: string, opts: ResolveOptions = {}): Promise<ManifestModel> {
  const verified = verifyManifest(resolveManifest(loadManifest(manifestFile), opts));
  const m = verified.manifest;
  const where = displayPath(m.manifestFile);
  const models = m.files.map((f, i) => ({ f, i })).filter(({ f }) => (MODEL_FORMATS as readonly string[]).includes(f.format));
  if (models.length !== 1)
    throw new Error(
      `${where}: files[].format: expected exactly one file with format ${MODEL_FORMATS.map((x) => `"${x}"`).join(" or ")} (the model.json), found ${models.length}`,
    );
  const { f: modelFile } = models[0];
  const ioFiles = m.files.map((f, i) => ({ f, i })).filter(({ f }) => f.format === IO_FORMAT);
  if (ioFiles.length > 1) throw new Error(`${where}: files[${ioFiles[1].i}].format: only one "${IO_FORMAT}" file is allowed`);
  let io: Record<string, unknown> = {};
  let ioWhere = "defaults";
  if (ioFiles.length === 1) {
    const file = verified.files[ioFiles[0].f.path];
    ioWhere = `${displayPath(file)}:1`;
    try {
      io = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${ioWhere}: not valid JSON (${(e as Error).message})`);
    }
    if (!io || typeof io !== "object" || Array.isArray(io)) throw new Error(`${ioWhere}: expected a JSON object of model IO settings`);
  }
  const format = modelFile.format as ModelFormat;
  const modelJson = verified.files[modelFile.path];
  const { tf } = await selectBackend();
  const id = `${m.name}:${keyOf({ checksums: verified.checksums, io })}`;
  if (format === "tfjs-graph-model") {
    const g = await tf.loadGraphModel(fsLoadHandler(modelJson));
    const inputNames = g.inputs.map((t) => t.name);
    const outputNames = g.outputs.map((t) => t.name);
    return {
      id,
      manifest: verified,
      format,
      io,
      ioWhere,
      inputNames,
      run: (inputs) => {
        const feed = inputs.length === 1 ? inputs[0] : Object.fromEntries(inputNames.map((n, i) => [n, inputs[i]]));
        const out = g.execute(feed as TF.Tensor | TF.NamedTensorMap, outputNames);
        return Array.isArray(out) ? out : [out];
      },
      dispose: () => g.dispose(),
    };
  }
  const model = await tf.loadLayersModel(fsLoadHandler(modelJson));
  model.trainable = false;
  return {
    id,
    manifest: verified,
    format,
    io,
    ioWhere,
    inputNames: model.inputs.map((t) => t.name),
    run: (inputs) => {
      const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
      return Array.isArray(out) ? out : [out];
    },
    dispose: () => model.dispose(),
  };
}

/** Read one IO setting with a type check; errors name the IO file (or "defaults") and the field. */
export function ioSetting<T>(
  model: Pick<ManifestModel, "io" | "ioWhere">,
  field: string,
  fallback: T,
  valid: (v: unknown) => boolean,
  what: string,
): T {
  const v = model.io[field];
  if (v === undefined) return fallback;
  if (!valid(v)) throw new Error(`${model.ioWhere}: ${field}: ${what} (got ${JSON.stringify(v)})`);
  return v as T;
}
