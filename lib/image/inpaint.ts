/**
 * Removing the person from an image (MRLF §III-B: "we recognize portraits [18]
 * in images and perform image fill inpainting [19]").
 *
 * The paper uses LaMa [19] (Fourier-convolution inpainting), which is not on
 * npm; `teleaInpainter()` is the stand-in: OpenCV's Telea fast-marching
 * method (`cv.inpaint(…, cv.INPAINT_TELEA)`, @techstark/opencv-js 4.5), which
 * propagates the surrounding colours into the hole. It fills smoothly but
 * invents no texture, so a large person becomes a smooth smear of the scene
 * around it. `lamaFromManifest` (segmenters/lama.ts) loads a converted LaMa
 * behind the same Inpainter interface.
 *
 * As LaMa's own pipeline does, the mask is dilated first (segmentation edges
 * leave a halo of person-coloured pixels otherwise).
 *
 * Inpainted images are cached as PNG under
 * <cacheDir>/inpainted/<keyOf(inpainter id, portrait id, dilation)>/<sha[0:2]>/<sha>.png,
 * keyed by the original image's SHA-256.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type SharpFn from "sharp";
import { writeFileAtomic, writeJsonAtomic } from "../runtime/atomic";
import { keyOf } from "../runtime/hash";
import { bookkeeping, progress } from "../runtime/progress";
import { readMask } from "./portrait";

export interface Inpainter {
  /** Method + parameters (+ weights checksum): part of every cache key. */
  readonly id: string;
  readonly description: string;
  /**
   * Fill the masked pixels. `rgb` is width×height×3 (HWC, 0..255), `mask`
   * width×height with non-zero = hole. Returns a new width×height×3 image whose
   * unmasked pixels equal the input's.
   */
  inpaint(rgb: Uint8Array, mask: Uint8Array, width: number, height: number): Promise<Uint8Array>;
  dispose(): void;
}

/** Check the shapes every inpainter receives; errors say which argument is wrong. */
export function checkInpaintInput(who: string, rgb: Uint8Array, mask: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`${who}: width/height must be positive integers, got ${width}×${height}`);
  if (rgb.length !== width * height * 3)
    throw new Error(`${who}: rgb has ${rgb.length} values, expected ${width}×${height}×3 = ${width * height * 3}`);
  if (mask.length !== width * height)
    throw new Error(`${who}: mask has ${mask.length} values, expected ${width}×${height} = ${width * height}`);
}

/** Square dilation of a binary mask by `radius` pixels (Chebyshev distance), as 0/255. */
export function dilateMask(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (mask.length !== width * height) throw new Error(`dilateMask: mask has ${mask.length} values, expected ${width}×${height}`);
  if (!Number.isInteger(radius) || radius < 0) throw new Error(`dilateMask: radius must be a non-negative integer, got ${radius}`);
  // Separable max filter: rows, then columns.
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let on = 0;
      for (let k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius) && !on; k++) if (mask[y * width + k]) on = 255;
      rows[y * width + x] = on;
    }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let on = 0;
      for (let k = Math.max(0, y - radius); k <= Math.min(height - 1, y + radius) && !on; k++) if (rows[k * width + x]) on = 255;
      out[y * width + x] = on;
    }
  return out;
}

// ------------------------------------------------------------------ OpenCV Telea

interface CvMat {
  data: Uint8Array;
  delete(): void;
}
interface Cv {
  Mat: { new (rows: number, cols: number, type: number): CvMat; new (): CvMat };
  CV_8UC3: number;
  CV_8UC1: number;
  INPAINT_TELEA: number;
  inpaint(src: CvMat, mask: CvMat, dst: CvMat, radius: number, flags: number): void;
  onRuntimeInitialized?: () => void;
}

let cvPromise: Promise<{ cv: Cv }> | null = null;

/**
 * OpenCV.js, initialised once per process (≈ 0.1–0.3 s). The emscripten
 * module is a *thenable* that resolves to itself, so it must never be awaited
 * or returned from an async function (that recurses forever): it travels
 * wrapped in `{ cv }`, and readiness is awaited through onRuntimeInitialized.
 */
export function loadOpenCv(): Promise<{ cv: Cv }> {
  return (cvPromise ??= new Promise<{ cv: Cv }>((resolve, reject) => {
    let cv: Cv;
    try {
      cv = require("@techstark/opencv-js") as Cv;
    } catch {
      reject(new Error("@techstark/opencv-js is not installed (run `make setup`)"));
      return;
    }
    const ready = () => typeof cv.Mat === "function" && typeof cv.inpaint === "function";
    if (ready()) resolve({ cv });
    else {
      const previous = cv.onRuntimeInitialized;
      cv.onRuntimeInitialized = () => {
        previous?.();
        resolve({ cv });
      };
    }
  }));
}

/** OpenCV Telea inpainting with neighbourhood `radius` (pixels). */
export async function teleaInpainter(radius = 3): Promise<Inpainter> {
  if (!Number.isInteger(radius) || radius < 1) throw new Error(`teleaInpainter: radius must be a positive integer, got ${radius}`);
  const { cv } = await loadOpenCv();
  return {
    id: `opencv-js@4.5.2/telea/r${radius}`,
    description: `OpenCV.js 4.5 cv.inpaint (Telea fast marching, radius ${radius} px) — stand-in for LaMa [19]`,
    async inpaint(rgb, mask, width, height) {
      checkInpaintInput("telea", rgb, mask, width, height);
      const src = new cv.Mat(height, width, cv.CV_8UC3);
      const m = new cv.Mat(height, width, cv.CV_8UC1);
      const dst = new cv.Mat();
      try {
        src.data.set(rgb);
        for (let i = 0; i < mask.length; i++) m.data[i] = mask[i] ? 255 : 0;
        cv.inpaint(src, m, dst, radius, cv.INPAINT_TELEA);
        return Uint8Array.from(dst.data);
      } finally {
        src.delete();
        m.delete();
        dst.delete();
      }
    },
    dispose: () => undefined,
  };
}

// ------------------------------------------------------------------ images on disk, cached

type Sharp = typeof SharpFn;
let sharpModule: Sharp | null = null;
const loadSharp = (): Sharp => (sharpModule ??= require("sharp") as Sharp);

/** Decode an image at its own size to RGB bytes. */
export async function readRgb(file: string): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  try {
    const { data, info } = await loadSharp()(file, { failOn: "error" })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (e) {
    throw new Error(`${file}: cannot decode image (${(e as Error).message.split("\n")[0]})`);
  }
}

export interface InpaintItem {
  /** The original image. */
  file: string;
  sha256: string;
  /** Its person mask (0/255 PNG at the image's size), from measurePortraits. */
  maskFile: string;
}

export interface InpaintOptions {
  cacheDir: string;
  /** Identifies the masks (portraitModelId): part of the cache key. */
  maskId: string;
  /** Mask dilation in pixels before inpainting (default 2). */
  dilate?: number;
  label?: string;
}

/** Inpaint every item's person region; returns original file → inpainted PNG. Cached per image. */
export async function inpaintImages(
  items: readonly InpaintItem[],
  inpainter: Inpainter,
  opts: InpaintOptions,
): Promise<Map<string, string>> {
  const dilate = opts.dilate ?? 2;
  const folder = path.join(opts.cacheDir, "inpainted", keyOf({ inpainter: inpainter.id, mask: opts.maskId, dilate }));
  const meta = path.join(folder, "inpainter.json");
  if (!fs.existsSync(meta))
    writeJsonAtomic(meta, { inpainter: inpainter.id, description: inpainter.description, mask: opts.maskId, dilate });
  const out = new Map<string, string>();
  const todo = items.filter((it) => {
    const f = path.join(folder, it.sha256.slice(0, 2), `${it.sha256}.png`);
    out.set(it.file, f);
    return !fs.existsSync(f);
  });
  const done = new Set<string>();
  const bar = todo.length ? progress(opts.label ?? "inpaint", todo.length, { every: Math.max(1, Math.ceil(todo.length / 10)) }) : null;
  for (const it of todo) {
    const target = out.get(it.file)!;
    if (done.has(target)) {
      bar!.tick();
      continue;
    }
    const { rgb, width, height } = await readRgb(it.file);
    const m = await readMask(it.maskFile);
    if (m.width !== width || m.height !== height)
      throw new Error(
        `${it.maskFile}: mask is ${m.width}×${m.height} but ${it.file} is ${width}×${height}; delete the portrait cache entry and re-run`,
      );
    const filled = await inpainter.inpaint(rgb, dilateMask(m.mask, width, height, dilate), width, height);
    checkInpaintInput(`inpainter ${inpainter.id} output`, filled, m.mask, width, height);
    const png = await loadSharp()(Buffer.from(filled), { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    writeFileAtomic(target, png);
    done.add(target);
    bar!.tick();
  }
  bookkeeping(
    "inpaint",
    `${items.length} images with a person region: ${items.length - todo.length} cached, ${todo.length} inpainted (${inpainter.id})`,
  );
  return out;
}
