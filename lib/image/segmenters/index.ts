/**
 * Which portrait models and inpainter a run uses: the paper's U2-Net [18] and
 * LaMa [19] when the user has put their converted weights behind
 * data-manifests/u2net.json / lama.json, else the npm-packaged stand-ins
 * (MediaPipe selfie segmentation gated by CenterNet; OpenCV Telea). The
 * returned `note` says which, for the notebook.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Params } from "../../runtime/params";
import type { PortraitModels } from "../portrait";
import { teleaInpainter, type Inpainter } from "../inpaint";
import { centernetDetector, selfieSegmenter } from "./human-models";
import { u2netFromManifest } from "./u2net";
import { lamaFromManifest } from "./lama";

export { selfieSegmenter, centernetDetector, humanModelsDir, HUMAN_MODELS_VERSION } from "./human-models";
export { u2netFromManifest, U2NET_DEFAULT_IO, type U2NetIo } from "./u2net";
export { lamaFromManifest, LAMA_DEFAULT_IO, type LamaIo } from "./lama";
export { loadManifestModel, type ManifestModel } from "./model-manifest";

export async function portraitModelsForRun(params: Pick<Params, "manifestDir">): Promise<{ models: PortraitModels; note: string }> {
  const manifest = path.join(params.manifestDir, "u2net.json");
  const detector = await centernetDetector();
  if (fs.existsSync(manifest)) {
    const segmenter = await u2netFromManifest(manifest);
    return {
      models: { segmenter, detector },
      note: `Segmenter: ${segmenter.description} (from ${manifest}), the paper's U2-Net [18]; gated by ${detector.description}.`,
    };
  }
  const segmenter = await selfieSegmenter();
  return {
    models: { segmenter, detector },
    note: `Segmenter: ${segmenter.description} — a stand-in for the paper's U2-Net [18], whose weights are not on npm (put a TensorFlow.js conversion behind data-manifests/u2net.json, template in data-manifests/templates/, to use it); gated by ${detector.description}.`,
  };
}

export async function inpainterForRun(params: Pick<Params, "manifestDir">): Promise<{ inpainter: Inpainter; note: string }> {
  const manifest = path.join(params.manifestDir, "lama.json");
  if (fs.existsSync(manifest)) {
    const inpainter = await lamaFromManifest(manifest);
    return { inpainter, note: `Inpainter: ${inpainter.description} (from ${manifest}), the paper's LaMa [19].` };
  }
  const inpainter = await teleaInpainter(3);
  return {
    inpainter,
    note: `Inpainter: ${inpainter.description}. LaMa's weights are not on npm (put a TensorFlow.js conversion behind data-manifests/lama.json, template in data-manifests/templates/, to use it); Telea fills the hole with smoothly propagated surrounding colour and invents no texture.`,
  };
}
