/** Image decoding for the backbones: any format sharp reads → RGB, resized to S×S, as float 0..255. */
import * as fs from "node:fs";
import type SharpFn from "sharp";

type Sharp = typeof SharpFn;
let sharpModule: Sharp | null = null;
const loadSharp = (): Sharp => (sharpModule ??= require("sharp") as Sharp);

/**
 * Decode `file` to `size`×`size` RGB (alpha dropped, greyscale expanded),
 * resized with "fill" (aspect not kept: the paper's VGG input is a plain
 * resize too), as a Float32Array of length size·size·3 in HWC order.
 */
export async function decodeImage(file: string, size: number): Promise<Float32Array> {
  if (!fs.existsSync(file)) throw new Error(`${file}: image not found`);
  let data: Buffer;
  let info: { width: number; height: number; channels: number };
  try {
    const out = await loadSharp()(file, { failOn: "error" })
      .removeAlpha()
      .toColourspace("srgb")
      .resize(size, size, { fit: "fill", kernel: "lanczos3" })
      .raw()
      .toBuffer({ resolveWithObject: true });
    data = out.data;
    info = out.info;
  } catch (e) {
    throw new Error(`${file}: cannot decode image (${(e as Error).message.split("\n")[0]})`);
  }
  if (info.width !== size || info.height !== size || info.channels !== 3)
    throw new Error(`${file}: decoded to ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3`);
  const out = new Float32Array(size * size * 3);
  for (let i = 0; i < out.length; i++) out[i] = data[i];
  return out;
}
