/**
 * Portrait ratio of an image (MRLF §III-B and §IV-E): the share of the frame
 * covered by people. The paper recognises portraits with U2-Net [18] and
 * treats images whose portrait ratio exceeds η = 0.5 as noise (Table III).
 *
 *   p(x)    = segmenter's person probability at pixel x (its own input grid)
 *   M       = { x : p(x) ≥ t_mask }                       t_mask = 0.5
 *   area    = |M| / |grid|
 *   person  = area ≥ a_min  ∧  s_det ≥ τ                  (the gate)
 *   ratio   = person ? area : 0
 *   noisy   = ratio > η
 *
 * where s_det is the highest "person" score of an object detector on the same
 * image. Why the gate: a segmentation model trained on selfies calls a cat a
 * person (stack-findings.md), so a region only counts as a portrait when a
 * detector also sees a person. The detector (CenterNet, ≈ 0.1 s per image on
 * wasm) runs only where the segmenter finds a person-sized region (area ≥
 * a_min); elsewhere the ratio is 0 without it. τ is chosen on held-out images
 * (calibrationImages: rendered from a separate random stream, never the
 * evaluation images) by `chooseDetectorThreshold`.
 *
 * Per-image measurements (area, detector score, mask) are cached on disk under
 * the image's SHA-256 and the models' ids; τ is applied afterwards, so
 * re-calibrating never re-runs a network.
 *
 * This module measures; ./portrait-gate.ts applies the gate and chooses τ;
 * the held-out calibration images are rendered by lib/data/synthetic/calibration.ts
 * and the η filter on posts is lib/data/eta-filter.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type SharpFn from "sharp";
import { writeFileAtomic, writeJsonAtomic } from "../runtime/atomic";
import { keyOf, sha256File } from "../runtime/hash";
import { bookkeeping, progress } from "../runtime/progress";
import { decodeImage } from "./decode";

// ------------------------------------------------------------------ model interfaces

/** A person (or salient-object) segmenter. */
export interface Segmenter {
  /** Weights checksum + conventions: part of every cache key. */
  readonly id: string;
  readonly description: string;
  /** Square input side in pixels. */
  readonly inputSize: number;
  /** RGB 0..255 in HWC order at inputSize² → probability per pixel (inputSize² values in 0..1). */
  segment(rgb: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

export interface PersonDetection {
  /** Highest person score (0 when no person box). */
  score: number;
  /** Its box as the model gives it (x1, y1, x2, y2), or null. */
  box: [number, number, number, number] | null;
}

export interface PersonDetector {
  readonly id: string;
  readonly description: string;
  readonly inputSize: number;
  /** RGB 0..255 in HWC order at inputSize² → the best person detection. */
  detectPerson(rgb: Float32Array): Promise<PersonDetection>;
  dispose(): void;
}

export interface PortraitModels {
  segmenter: Segmenter;
  /** null: no gate (every person-sized region counts). */
  detector: PersonDetector | null;
}

export interface PortraitConfig {
  /** Probability at which a pixel is "person" (t_mask). */
  maskThreshold: number;
  /** Smallest area that counts as a person region and triggers the detector (a_min). */
  minPersonArea: number;
}

/**
 * t_mask = 0.5 (a probability); a_min = 0.05 (a person below 5 % of the frame is background, not a portrait or a region worth inpainting).
 */
export const DEFAULT_PORTRAIT_CONFIG: PortraitConfig = { maskThreshold: 0.5, minPersonArea: 0.05 };

export const PORTRAIT_VERSION = "portrait-v1";

export const portraitModelId = (models: PortraitModels, cfg: PortraitConfig): string =>
  keyOf({ version: PORTRAIT_VERSION, segmenter: models.segmenter.id, detector: models.detector?.id ?? null, cfg });

// ------------------------------------------------------------------ measurement

/** What the networks saw in one image (before the detector threshold τ is applied). */
export interface PortraitMeasurement {
  file: string;
  sha256: string;
  width: number;
  height: number;
  /** Share of the segmenter's grid with p ≥ t_mask. */
  area: number;
  /** Best detector person score; null when the detector did not run (area < a_min, or no detector). */
  detectorScore: number | null;
  /** PNG (width×height, 0/255) of the person mask at the image's own size; null when area < a_min. */
  maskFile: string | null;
}

type Sharp = typeof SharpFn;
let sharpModule: Sharp | null = null;
const loadSharp = (): Sharp => (sharpModule ??= require("sharp") as Sharp);

/** Bilinear resample of an S×S probability map to w×h, thresholded to a 0/255 mask. */
export function maskAtSize(prob: Float32Array, S: number, w: number, h: number, threshold: number): Uint8Array {
  if (prob.length !== S * S) throw new Error(`maskAtSize: expected ${S}×${S} probabilities, got ${prob.length}`);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(S - 1, Math.max(0, ((y + 0.5) * S) / h - 0.5));
    const y0 = Math.floor(fy),
      y1 = Math.min(S - 1, y0 + 1),
      dy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(S - 1, Math.max(0, ((x + 0.5) * S) / w - 0.5));
      const x0 = Math.floor(fx),
        x1 = Math.min(S - 1, x0 + 1),
        dx = fx - x0;
      const p =
        (1 - dy) * ((1 - dx) * prob[y0 * S + x0] + dx * prob[y0 * S + x1]) + dy * ((1 - dx) * prob[y1 * S + x0] + dx * prob[y1 * S + x1]);
      out[y * w + x] = p >= threshold ? 255 : 0;
    }
  }
  return out;
}

/** Share of values ≥ threshold. */
export function areaAbove(prob: Float32Array, threshold: number): number {
  if (prob.length === 0) throw new Error("areaAbove: empty probability map");
  let n = 0;
  for (const p of prob) {
    if (!Number.isFinite(p)) throw new Error(`areaAbove: non-finite probability ${p}`);
    if (p >= threshold) n++;
  }
  return n / prob.length;
}

/** Read a 0/255 single-channel mask PNG back (for inpainting). */
export async function readMask(file: string): Promise<{ mask: Uint8Array; width: number; height: number }> {
  const { data, info } = await loadSharp()(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { mask: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Run the segmenter (and, for person-sized regions, the detector) on one image. */
export async function measureImage(
  file: string,
  models: PortraitModels,
  cfg: PortraitConfig,
): Promise<{ area: number; detectorScore: number | null; width: number; height: number; mask: Uint8Array | null }> {
  validatePortraitConfig(cfg);
  const meta = await loadSharp()(file)
    .metadata()
    .catch((e: Error) => {
      throw new Error(`${file}: cannot read image (${e.message.split("\n")[0]})`);
    });
  if (!meta.width || !meta.height) throw new Error(`${file}: image has no width/height`);
  const S = models.segmenter.inputSize;
  const prob = await models.segmenter.segment(await decodeImage(file, S));
  if (prob.length !== S * S) throw new Error(`segmenter ${models.segmenter.id}: returned ${prob.length} values for a ${S}×${S} input`);
  const area = areaAbove(prob, cfg.maskThreshold);
  if (area < cfg.minPersonArea) return { area: round6(area), detectorScore: null, width: meta.width, height: meta.height, mask: null };
  const det = models.detector ? await models.detector.detectPerson(await decodeImage(file, models.detector.inputSize)) : null;
  return {
    area: round6(area),
    detectorScore: det ? round6(det.score) : null,
    width: meta.width,
    height: meta.height,
    mask: maskAtSize(prob, S, meta.width, meta.height, cfg.maskThreshold),
  };
}

export function validatePortraitConfig(cfg: PortraitConfig): void {
  if (!(cfg.maskThreshold > 0 && cfg.maskThreshold < 1))
    throw new Error(`portrait config: maskThreshold: expected a probability in (0, 1), got ${cfg.maskThreshold}`);
  if (!(cfg.minPersonArea >= 0 && cfg.minPersonArea < 1))
    throw new Error(`portrait config: minPersonArea: expected a share in [0, 1), got ${cfg.minPersonArea}`);
}

export interface MeasureOptions {
  cacheDir: string;
  label?: string;
}

/** Cache folder of one (models, config): <cacheDir>/portrait/<id>/<sha[0:2]>/<sha>.{json,mask.png}. */
export const portraitCacheFolder = (cacheDir: string, models: PortraitModels, cfg: PortraitConfig): string =>
  path.join(cacheDir, "portrait", portraitModelId(models, cfg));

/**
 * Measure every image (identical images once). Per-image results are cached
 * under the image's SHA-256 and the models' ids (a sharded folder like the
 * frozen-feature cache, written atomically per image, so an interrupted run
 * keeps what it finished and thousands of hits stay silent).
 */
export async function measurePortraits(
  files: readonly string[],
  models: PortraitModels,
  cfg: PortraitConfig,
  opts: MeasureOptions,
): Promise<Map<string, PortraitMeasurement>> {
  validatePortraitConfig(cfg);
  const folder = portraitCacheFolder(opts.cacheDir, models, cfg);
  const meta = path.join(folder, "models.json");
  if (!fs.existsSync(meta))
    writeJsonAtomic(meta, { version: PORTRAIT_VERSION, segmenter: models.segmenter.id, detector: models.detector?.id ?? null, cfg });
  const unique = [...new Set(files)];
  const bySha = new Map<string, PortraitMeasurement>();
  const todo: { file: string; sha: string }[] = [];
  const shaOf = new Map<string, string>();
  for (const f of unique) {
    if (!fs.existsSync(f)) throw new Error(`${f}: image not found (listed in the dataset's posts)`);
    const sha = sha256File(f);
    shaOf.set(f, sha);
    if (bySha.has(sha) || todo.some((t) => t.sha === sha)) continue;
    const json = path.join(folder, sha.slice(0, 2), `${sha}.json`);
    if (fs.existsSync(json)) {
      const m = JSON.parse(fs.readFileSync(json, "utf8")) as Omit<PortraitMeasurement, "file" | "maskFile"> & { mask: boolean };
      bySha.set(sha, {
        file: f,
        sha256: sha,
        width: m.width,
        height: m.height,
        area: m.area,
        detectorScore: m.detectorScore,
        maskFile: m.mask ? path.join(folder, sha.slice(0, 2), `${sha}.mask.png`) : null,
      });
    } else todo.push({ file: f, sha });
  }
  const cached = bySha.size;
  let detectorRuns = 0;
  if (todo.length) {
    const bar = progress(opts.label ?? "portrait", todo.length, { every: Math.max(1, Math.ceil(todo.length / 10)) });
    for (const t of todo) {
      const r = await measureImage(t.file, models, cfg);
      const dir = path.join(folder, t.sha.slice(0, 2));
      let maskFile: string | null = null;
      if (r.mask) {
        maskFile = path.join(dir, `${t.sha}.mask.png`);
        const png = await loadSharp()(Buffer.from(r.mask), { raw: { width: r.width, height: r.height, channels: 1 } })
          .png({ compressionLevel: 9 })
          .toBuffer();
        writeFileAtomic(maskFile, png);
      }
      if (r.detectorScore !== null) detectorRuns++;
      // The JSON is written last: its presence means the entry (mask included) is complete.
      writeJsonAtomic(path.join(dir, `${t.sha}.json`), {
        sha256: t.sha,
        width: r.width,
        height: r.height,
        area: r.area,
        detectorScore: r.detectorScore,
        mask: r.mask !== null,
      });
      bySha.set(t.sha, {
        file: t.file,
        sha256: t.sha,
        width: r.width,
        height: r.height,
        area: r.area,
        detectorScore: r.detectorScore,
        maskFile,
      });
      bar.tick();
    }
  }
  bookkeeping(
    "portrait",
    `${unique.length} images: ${cached} cached, ${todo.length} segmented, detector run on ${detectorRuns} person-sized regions (${models.segmenter.id}${models.detector ? ` + ${models.detector.id}` : ""})`,
  );
  const out = new Map<string, PortraitMeasurement>();
  for (const f of unique) out.set(f, { ...bySha.get(shaOf.get(f)!)!, file: f });
  return out;
}
