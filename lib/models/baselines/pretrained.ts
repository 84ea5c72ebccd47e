/**
 * Pretrained weights for the image baselines from a local TensorFlow.js model
 * (e.g. `tf.keras.applications.ResNet50(weights="imagenet")` converted with
 * tensorflowjs_converter). Weights are matched by layer name ("/" in Keras
 * names read as "_") and copied where every weight shape agrees; the
 * classifier head never matches (its size is the number of locations), and a
 * reduced-width model matches nothing — both are reported, not hidden.
 */
import type * as TF from "@tensorflow/tfjs";
import { fsLoadHandler } from "../../tfjs/model-io";

export interface PretrainedReport {
  source: string;
  loaded: string[];
  skipped: { layer: string; reason: string }[];
}

const norm = (name: string): string => name.replace(/\//g, "_");

export async function loadPretrainedWeights(tf: typeof TF, model: TF.LayersModel, modelJson: string): Promise<PretrainedReport> {
  const src = await tf.loadLayersModel(fsLoadHandler(modelJson), { strict: false });
  const byName = new Map(src.layers.map((l) => [norm(l.name), l]));
  const report: PretrainedReport = { source: modelJson, loaded: [], skipped: [] };
  for (const layer of model.layers) {
    const own = layer.getWeights();
    if (own.length === 0) continue;
    const other = byName.get(norm(layer.name));
    if (!other) {
      report.skipped.push({ layer: layer.name, reason: "no layer of that name in the pretrained model" });
      continue;
    }
    const theirs = other.getWeights();
    const same = theirs.length === own.length && theirs.every((w, i) => w.shape.join("x") === own[i].shape.join("x"));
    if (!same) {
      report.skipped.push({
        layer: layer.name,
        reason: `shapes differ (ours ${own.map((w) => w.shape.join("x")).join(",")}; pretrained ${theirs.map((w) => w.shape.join("x")).join(",")})`,
      });
      continue;
    }
    layer.setWeights(theirs);
    report.loaded.push(layer.name);
  }
  src.dispose();
  if (report.loaded.length === 0)
    throw new Error(
      `${modelJson}: no layer of the pretrained model matches ${model.name} by name and shape (first mismatch: ${report.skipped[0]?.layer}: ${report.skipped[0]?.reason}); use the full-width configuration (scale=paper) with Keras-named weights`,
    );
  return report;
}
