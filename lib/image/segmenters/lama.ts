/**
 * LaMa [19] (Suvorov et al., "Resolution-robust large mask inpainting with
 * Fourier convolutions", WACV 2022) — the inpainter the MRLF paper uses —
 * loaded from a local TensorFlow.js conversion named in a data manifest
 * (data-manifests/lama.json; template in data-manifests/templates/lama.json).
 * The weights are not on npm; without them notebook 05 uses OpenCV Telea
 * (inpaint.ts) and says so.
 *
 * Conventions (LaMa's predict.py: image in 0..1, mask 1 = hole, output 0..1;
 * NHWC after conversion), overridable by a "georepro-model-io" file:
 *   inputSize   512          square side the image and mask are resized to
 *   inputs      "image,mask" two inputs [1,S,S,3] and [1,S,S,1], in that order;
 *               "concat": one input [1,S,S,4] = image ⊕ mask
 *   outputScale 1            the output times 255/outputScale gives 0..255 (use 255 for a 0..255 output)
 * The output is resized back to the image's size and, as LaMa's pipeline
 * does, only the hole is taken from it: unmasked pixels keep their values.
 */
import type { ResolveOptions } from "../../data/manifest";
import { selectBackend } from "../../tfjs/backend";
import { checkInpaintInput, type Inpainter } from "../inpaint";
import { ioSetting, loadManifestModel } from "./model-manifest";

export interface LamaIo {
  inputSize: number;
  inputs: "image,mask" | "concat";
  outputScale: number;
}

export const LAMA_DEFAULT_IO: LamaIo = { inputSize: 512, inputs: "image,mask", outputScale: 1 };

/** Load LaMa (or any image+mask → image inpainting model with these conventions) from its manifest. */
export async function lamaFromManifest(manifestFile: string, opts: ResolveOptions = {}): Promise<Inpainter> {
  const model = await loadManifestModel(manifestFile, opts);
  const io: LamaIo = {
    inputSize: ioSetting(
      model,
      "inputSize",
      LAMA_DEFAULT_IO.inputSize,
      (v) => typeof v === "number" && Number.isInteger(v) && v >= 8,
      "expected an integer ≥ 8",
    ),
    inputs: ioSetting(
      model,
      "inputs",
      LAMA_DEFAULT_IO.inputs,
      (v) => v === "image,mask" || v === "concat",
      'expected "image,mask" or "concat"',
    ),
    outputScale: ioSetting(
      model,
      "outputScale",
      LAMA_DEFAULT_IO.outputScale,
      (v) => typeof v === "number" && v > 0,
      "expected a positive number (1 for a 0..1 output, 255 for 0..255)",
    ),
  };
  const wantInputs = io.inputs === "concat" ? 1 : 2;
  if (model.inputNames.length !== wantInputs)
    throw new Error(
      `${model.manifest.manifest.manifestFile}: model has ${model.inputNames.length} inputs (${model.inputNames.join(", ")}) but inputs is "${io.inputs}" (${wantInputs}); set "inputs" in the georepro-model-io file`,
    );
  const { tf } = await selectBackend();
  const S = io.inputSize;
  const who = `lama (${model.id})`;
  return {
    id: `${model.id}:${io.inputSize}:${io.inputs}:${io.outputScale}`,
    description: `${model.manifest.manifest.title} (${S}×${S})`,
    async inpaint(rgb, mask, width, height) {
      checkInpaintInput(who, rgb, mask, width, height);
      const y = tf.tidy(() => {
        const img = tf.image.resizeBilinear(
          tf.div(tf.tensor4d(Float32Array.from(rgb), [1, height, width, 3]), 255) as import("@tensorflow/tfjs").Tensor4D,
          [S, S],
          true,
        );
        const holes = Float32Array.from(mask, (v) => (v ? 1 : 0));
        const m = tf.greater(tf.image.resizeNearestNeighbor(tf.tensor4d(holes, [1, height, width, 1]), [S, S], true), 0.5).toFloat();
        const inputs = io.inputs === "concat" ? [tf.concat([img, m], 3)] : [img, m];
        const outs = model.run(inputs);
        const out = outs[0];
        if (out.size !== S * S * 3) throw new Error(`${who}: output has shape [${out.shape.join(", ")}], expected ${S}×${S}×3`);
        const back = tf.image.resizeBilinear(out.reshape([1, S, S, 3]) as import("@tensorflow/tfjs").Tensor4D, [height, width], true);
        return tf.clipByValue(tf.round(tf.mul(back, 255 / io.outputScale)), 0, 255);
      });
      const filled = (await y.data()) as Float32Array;
      y.dispose();
      const out = Uint8Array.from(rgb);
      for (let i = 0; i < mask.length; i++) if (mask[i]) for (let c = 0; c < 3; c++) out[i * 3 + c] = filled[i * 3 + c];
      return out;
    },
    dispose: () => model.dispose(),
  };
}
