/** Test images: seeded random pixels written as PNG with sharp. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type SharpFn from "sharp";
import { stream } from "../../lib/runtime/rng";

export const tmpDir = (tag: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `georepro-${tag}-`));

/** A size×size RGB PNG; `pattern` picks a different picture per seed name. */
export async function writeTestImage(file: string, pattern: string, size = 48): Promise<string> {
  const sharp = require("sharp") as typeof SharpFn;
  const rng = stream(7, `test-image/${pattern}`);
  const base = [rng.int(256), rng.int(256), rng.int(256)];
  const buf = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) {
        // stripes + noise, so two patterns differ in structure, not only colour
        const stripe = ((x + y * (c + 1)) >> 3) % 2 ? 60 : 0;
        buf[(y * size + x) * 3 + c] = Math.min(255, (base[c] + stripe + rng.int(40)) % 256);
      }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(buf, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toFile(file);
  return file;
}
