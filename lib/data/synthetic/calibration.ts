/**
 * Held-out calibration images for the portrait detector's threshold τ
 * (lib/image/portrait-gate.ts), rendered by the synthetic generator's own
 * renderImage from a stream and seed that no evaluation image uses.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "../../runtime/atomic";
import { cachedDir } from "../../runtime/cache";
import { stream } from "../../runtime/rng";
import { genericStyle, renderImage } from "./images";

export interface CalibrationImage {
  file: string;
  kind: "scene" | "selfie" | "pet" | "food";
  truthRatio: number;
}

export const CALIBRATION_VERSION = "portrait-calibration-v1";

/**
 * Held-out calibration images, rendered by the synthetic generator's own
 * renderImage (unchanged) from the stream `portrait-calibration` of a seed the
 * evaluation data never uses, with generic (non-POI) scenes. Kinds cycle
 * selfie, pet, food, scene so that every kind is represented; cached on disk.
 */
export async function calibrationImages(cacheDir: string, seed: number, n: number, size = 96): Promise<CalibrationImage[]> {
  if (!Number.isInteger(n) || n < 4) throw new Error(`calibrationImages: n must be an integer ≥ 4, got ${n}`);
  const key = { version: CALIBRATION_VERSION, seed, n, size };
  const entry = await cachedDir(cacheDir, "portrait-calibration", key, async (tmp) => {
    const rng = stream(seed, "portrait-calibration");
    const kinds = ["selfie", "pet", "food", "scene"] as const;
    const list: { file: string; kind: string; truthRatio: number }[] = [];
    for (let i = 0; i < n; i++) {
      const r = rng.fork(`image/${i}`);
      const kind = kinds[i % kinds.length];
      const img = await renderImage({ style: genericStyle(r.fork("style")), kind, size }, r.fork("render"));
      const name = `cal-${String(i).padStart(4, "0")}.jpg`;
      fs.writeFileSync(path.join(tmp, name), img.jpeg);
      list.push({ file: name, kind, truthRatio: img.portraitRatio });
    }
    writeJsonAtomic(path.join(tmp, "images.json"), list);
  });
  const list = JSON.parse(fs.readFileSync(path.join(entry.dir, "images.json"), "utf8")) as CalibrationImage[];
  return list.map((c) => ({ ...c, file: path.join(entry.dir, c.file) }));
}

/** A calibration seed that no evaluation run uses: far outside seed, seed+1, … */
export const heldOutSeed = (seed: number): number => 1_000_003 + seed;
