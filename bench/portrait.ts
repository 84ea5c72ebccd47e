/**
 * Speed per image of the noisy-image pipeline (notebook 05) on the selected
 * TensorFlow.js backend: decoding, the selfie segmenter, the CenterNet person
 * detector, OpenCV Telea inpainting, and the whole measure step with and
 * without its per-image cache. Images are the generator's own renders
 * (held-out calibration stream, 96×96 JPEG), so no dataset is needed.
 *
 *   node dist/bench/portrait.js [N=24]
 *
 * Prints one line per step; the figures are recorded in bench/README.md ("Noisy images").
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { selectBackend } from "../lib/tfjs/backend";
import { decodeImage } from "../lib/image/decode";
import { measurePortraits, DEFAULT_PORTRAIT_CONFIG } from "../lib/image/portrait";
import { calibrationImages } from "../lib/data/synthetic/calibration";
import { readRgb, teleaInpainter, loadOpenCv, dilateMask } from "../lib/image/inpaint";
import { readMask } from "../lib/image/portrait";
import { centernetDetector, selfieSegmenter } from "../lib/image/segmenters/human-models";

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const line = (label: string, v: number, unit = "ms"): void =>
  void process.stdout.write(`${label.padEnd(56)} ${v.toFixed(1).padStart(8)} ${unit}\n`);

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 24);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "georepro-bench-portrait-"));
  try {
    const { name } = await selectBackend();
    process.stdout.write(`backend ${name}, ${n} images (96×96 JPEG), ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}\n`);
    const images = (await calibrationImages(cache, 4242, n)).map((c) => c.file);
    let t0 = process.hrtime.bigint();
    const seg = await selfieSegmenter();
    line("load selfie segmenter", ms(t0));
    t0 = process.hrtime.bigint();
    const det = await centernetDetector();
    line("load CenterNet", ms(t0));
    t0 = process.hrtime.bigint();
    await loadOpenCv();
    line("initialise OpenCV.js", ms(t0));
    // warm-up (first executions compile kernels)
    await seg.segment(await decodeImage(images[0], 256));
    await det.detectPerson(await decodeImage(images[0], 512));

    t0 = process.hrtime.bigint();
    for (const f of images) await decodeImage(f, 256);
    line("decode + resize to 256 (per image)", ms(t0) / n);
    const px256 = await Promise.all(images.map((f) => decodeImage(f, 256)));
    t0 = process.hrtime.bigint();
    for (const p of px256) await seg.segment(p);
    line("selfie segmentation 256×256 (per image)", ms(t0) / n);
    const px512 = await Promise.all(images.slice(0, Math.min(n, 8)).map((f) => decodeImage(f, 512)));
    t0 = process.hrtime.bigint();
    for (const p of px512) await det.detectPerson(p);
    line(`CenterNet 512×512 (per image, ${px512.length} images)`, ms(t0) / px512.length);

    const cfg = DEFAULT_PORTRAIT_CONFIG;
    t0 = process.hrtime.bigint();
    const m = await measurePortraits(images, { segmenter: seg, detector: det }, cfg, { cacheDir: cache, label: "bench" });
    const detRuns = [...m.values()].filter((x) => x.detectorScore !== null).length;
    line(`measurePortraits, cold (per image; detector on ${detRuns}/${n})`, ms(t0) / n);
    t0 = process.hrtime.bigint();
    await measurePortraits(images, { segmenter: seg, detector: det }, cfg, { cacheDir: cache, label: "bench" });
    line("measurePortraits, cached (per image)", ms(t0) / n);

    const withMask = [...m.values()].filter((x) => x.maskFile);
    if (withMask.length) {
      const telea = await teleaInpainter(3);
      const inputs = await Promise.all(withMask.map(async (x) => ({ img: await readRgb(x.file), mask: await readMask(x.maskFile!) })));
      t0 = process.hrtime.bigint();
      for (const { img, mask } of inputs)
        await telea.inpaint(img.rgb, dilateMask(mask.mask, img.width, img.height, 2), img.width, img.height);
      line(`Telea inpaint 96×96 incl. dilation (per image, ${inputs.length})`, ms(t0) / inputs.length);
    }
    seg.dispose();
    det.dispose();
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
