/**
 * Frozen image features: ms/image of the default backbone (nsfwjs MobileNetV2
 * trunk + global average pooling) at several input sizes, decode included, and
 * the projected time to featurise a default-scale dataset.
 *
 *   node dist/bench/features.js [images=64] [sizes=96,128,224]
 *
 * Images are generated in a temp folder (96×96 JPEG, as the synthetic posts);
 * the cache is a fresh temp folder, so every image is computed, not read back.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultBackbone } from "../lib/image/backbone";
import { imageFeatures } from "../lib/image/features";
import { selectBackend } from "../lib/tfjs/backend";
import { stream } from "../lib/runtime/rng";
import type SharpFn from "sharp";

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 64);
  const sizes = (process.argv[3] ?? "96,128,224").split(",").map(Number);
  const { name } = await selectBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-bench-features-"));
  const sharp = require("sharp") as typeof SharpFn;
  const rng = stream(1, "bench/features");
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const buf = Buffer.alloc(96 * 96 * 3);
    for (let j = 0; j < buf.length; j++) buf[j] = (j % 288 < 144 ? 80 : 160) + rng.int(60);
    const f = path.join(dir, `img${i}.jpg`);
    await sharp(buf, { raw: { width: 96, height: 96, channels: 3 } })
      .jpeg()
      .toFile(f);
    files.push(f);
  }
  const load = os.loadavg()[0];
  console.log(`backend ${name}, ${n} images of 96×96 JPEG, load average ${load.toFixed(1)} on ${os.cpus().length} cores`);
  for (const size of sizes) {
    const bb = await defaultBackbone({ inputSize: size });
    await imageFeatures(bb, files.slice(0, 4), { cacheDir: path.join(dir, `warm-${size}`) }); // warm-up (kernel setup)
    const t0 = process.hrtime.bigint();
    await imageFeatures(bb, files, { cacheDir: path.join(dir, `cache-${size}`) });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / n;
    const t1 = process.hrtime.bigint();
    await imageFeatures(bb, files, { cacheDir: path.join(dir, `cache-${size}`) });
    const cachedMs = Number(process.hrtime.bigint() - t1) / 1e6 / n;
    console.log(
      `input ${String(size).padStart(3)} px: ${ms.toFixed(1)} ms/image computed, ${cachedMs.toFixed(2)} ms/image from cache; 5,000 images ≈ ${((ms * 5000) / 1000).toFixed(0)} s`,
    );
    bb.dispose();
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
