/**
 * U2-Net [18] (Qin et al., "U2-Net: going deeper with nested U-structure for
 * salient object detection", 2020) — the matting/saliency model the MRLF paper
 * uses to find portraits — loaded from a local TensorFlow.js conversion named
 * in a data manifest (data-manifests/u2net.json; template in
 * data-manifests/templates/u2net.json). The weights are not on npm.
 *
 * Conventions (the official U2-Net inference code, u2net_test.py), overridable
 * by a "georepro-model-io" file in the manifest:
 *   inputSize   320                 square RGB input (NHWC after conversion)
 *   normalize   "imagenet"          (x/255 − mean) / std, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225);
 *                                   "unit": x/255; "none": 0..255
 *   outputIndex 0                   d0, the fused side output (already sigmoid)
 *   outputNorm  "minmax"            normPRED: (d − min d) / (max d − min d); "none" keeps d
 *
 * U2-Net finds the *salient object*, not specifically a person, so the
 * portrait pipeline still gates it with a person detector (portrait.ts).
 */
import type * as TF from "@tensorflow/tfjs";
import type { ResolveOptions } from "../../data/manifest";
import { selectBackend } from "../../tfjs/backend";
import type { Segmenter } from "../portrait";
import { ioSetting, loadManifestModel } from "./model-manifest";

export type InputNormalize = "imagenet" | "unit" | "none";
const NORMALIZE: readonly InputNormalize[] = ["imagenet", "unit", "none"];
const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

export interface U2NetIo {
  inputSize: number;
  normalize: InputNormalize;
  outputIndex: number;
  outputNorm: "minmax" | "none";
}

export const U2NET_DEFAULT_IO: U2NetIo = { inputSize: 320, normalize: "imagenet", outputIndex: 0, outputNorm: "minmax" };

const isInt = (min: number) => (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= min;

/** Scale RGB 0..255 as the model expects (shared with lama.ts). */
export function normalizeInput(tf: typeof TF, x: TF.Tensor4D, how: InputNormalize): TF.Tensor4D {
  if (how === "none") return x;
  const unit = tf.div(x, 255) as TF.Tensor4D;
  if (how === "unit") return unit;
  return tf.div(tf.sub(unit, tf.tensor1d(IMAGENET_MEAN)), tf.tensor1d(IMAGENET_STD)) as TF.Tensor4D;
}

/** Load U2-Net (or any single-input saliency/matting model with these conventions) from its manifest. */
export async function u2netFromManifest(manifestFile: string, opts: ResolveOptions = {}): Promise<Segmenter> {
  const model = await loadManifestModel(manifestFile, opts);
  const io: U2NetIo = {
    inputSize: ioSetting(model, "inputSize", U2NET_DEFAULT_IO.inputSize, isInt(8), "expected an integer ≥ 8 (square input side)"),
    normalize: ioSetting(
      model,
      "normalize",
      U2NET_DEFAULT_IO.normalize,
      (v) => NORMALIZE.includes(v as InputNormalize),
      `expected one of ${NORMALIZE.join(", ")}`,
    ),
    outputIndex: ioSetting(
      model,
      "outputIndex",
      U2NET_DEFAULT_IO.outputIndex,
      isInt(0),
      "expected a non-negative integer (which output is the mask)",
    ),
    outputNorm: ioSetting(
      model,
      "outputNorm",
      U2NET_DEFAULT_IO.outputNorm,
      (v) => v === "minmax" || v === "none",
      'expected "minmax" or "none"',
    ),
  };
  if (model.inputNames.length !== 1)
    throw new Error(
      `${model.manifest.manifest.manifestFile}: model has ${model.inputNames.length} inputs (${model.inputNames.join(", ")}); a U2-Net segmenter takes one RGB image`,
    );
  const { tf } = await selectBackend();
  const S = io.inputSize;
  const where = `u2net (${model.id})`;
  return {
    id: `${model.id}:${io.inputSize}:${io.normalize}:${io.outputIndex}:${io.outputNorm}`,
    description: `${model.manifest.manifest.title} (${S}×${S}, ${io.normalize} input, output ${io.outputIndex}${io.outputNorm === "minmax" ? ", min–max normalised" : ""})`,
    inputSize: S,
    async segment(rgb: Float32Array): Promise<Float32Array> {
      if (rgb.length !== S * S * 3) throw new Error(`${where}: expected ${S}×${S}×3 pixels, got ${rgb.length} values`);
      const y = tf.tidy(() => {
        const outs = model.run([normalizeInput(tf, tf.tensor4d(rgb, [1, S, S, 3]), io.normalize)]);
        if (io.outputIndex >= outs.length)
          throw new Error(`${where}: outputIndex ${io.outputIndex} but the model has ${outs.length} outputs`);
        const d = outs[io.outputIndex];
        if (d.size !== S * S)
          throw new Error(
            `${where}: output ${io.outputIndex} has shape [${d.shape.join(", ")}], expected ${S}×${S} values (one channel at the input size)`,
          );
        let m = d.reshape([S * S]);
        if (io.outputNorm === "minmax") {
          const lo = m.min(),
            hi = m.max();
          const range = tf.maximum(tf.sub(hi, lo), 1e-8);
          m = tf.div(tf.sub(m, lo), range);
        }
        return tf.clipByValue(m, 0, 1);
      });
      const out = Float32Array.from((await y.data()) as Float32Array);
      y.dispose();
      return out;
    },
    dispose: () => model.dispose(),
  };
}
