import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import type SharpFn from "sharp";
import { selectBackend } from "../../lib/tfjs/backend";
import { fsSaveHandler } from "../../lib/tfjs/model-io";
import { dilateMask, inpaintImages, readRgb, teleaInpainter, type Inpainter } from "../../lib/image/inpaint";
import { lamaFromManifest } from "../../lib/image/segmenters/lama";
import { sha256File } from "../../lib/runtime/hash";
import { tmpDir } from "./helpers";

const sharp = require("sharp") as typeof SharpFn;

/** A smooth colour gradient (what a scene around a person looks like to Telea). */
function gradient(w: number, h: number): Uint8Array {
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) rgb.set([Math.round((200 * x) / (w - 1)), Math.round((200 * y) / (h - 1)), 100], (y * w + x) * 3);
  return rgb;
}

/** Square hole [x0, x1) × [y0, y1) as a 0/255 mask. */
function squareMask(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 255;
  return m;
}

test("dilateMask grows a pixel into a (2r+1)² square, clipped at the border", () => {
  const m = new Uint8Array(25);
  m[12] = 255; // centre of 5×5
  const d = dilateMask(m, 5, 5, 1);
  const on = [...d.keys()].filter((i) => d[i]);
  assert.deepEqual(on, [6, 7, 8, 11, 12, 13, 16, 17, 18]);
  const corner = new Uint8Array(25);
  corner[0] = 1;
  assert.equal(dilateMask(corner, 5, 5, 2).filter((v) => v).length, 9);
  assert.deepEqual(dilateMask(m, 5, 5, 0), Uint8Array.from(m));
  assert.throws(() => dilateMask(m, 4, 5, 1), /mask has 25 values, expected 4×5/);
  assert.throws(() => dilateMask(m, 5, 5, -1), /radius must be a non-negative integer/);
});

test("Telea (OpenCV.js) fills a hole from its surroundings and leaves other pixels untouched", async () => {
  const w = 40,
    h = 32;
  const truth = gradient(w, h);
  const hole = squareMask(w, h, 12, 10, 24, 20);
  const damaged = Uint8Array.from(truth);
  for (let i = 0; i < hole.length; i++) if (hole[i]) damaged.set([0, 0, 0], i * 3);
  const telea = await teleaInpainter(3);
  assert.equal(telea.id, "opencv-js@4.5.2/telea/r3");
  const out = await telea.inpaint(damaged, hole, w, h);
  let outside = 0,
    errFilled = 0,
    errDamaged = 0,
    n = 0;
  for (let i = 0; i < hole.length; i++)
    for (let c = 0; c < 3; c++) {
      const k = i * 3 + c;
      if (!hole[i]) outside += Math.abs(out[k] - damaged[k]);
      else {
        errFilled += Math.abs(out[k] - truth[k]);
        errDamaged += Math.abs(damaged[k] - truth[k]);
        n++;
      }
    }
  assert.equal(outside, 0, "pixels outside the mask must be unchanged");
  assert.ok(errFilled / n < 12, `mean error in the hole ${errFilled / n}`);
  assert.ok(errFilled < errDamaged / 5, `filled ${errFilled} vs damaged ${errDamaged}`);
  // Deterministic.
  assert.deepEqual(await telea.inpaint(damaged, hole, w, h), out);
  await assert.rejects(telea.inpaint(damaged, hole.subarray(1), w, h), /telea: mask has 1279 values, expected 40×32 = 1280/);
  await assert.rejects(teleaInpainter(0), /radius must be a positive integer/);
});

function writeModelManifest(dir: string, files: { path: string; format: string }[]): string {
  const f = path.join(dir, "lama.json");
  fs.writeFileSync(
    f,
    JSON.stringify({
      schemaVersion: 1,
      name: "lama",
      title: "lama test model",
      description: "built by the test",
      citation: "none",
      url: "none",
      license: null,
      synthetic: true,
      root: { searchPaths: ["does-not-exist"], env: "GEOREPRO_DATA_LAMA" },
      files: files.map((x) => ({ ...x, size: null, sha256: null })),
    }),
  );
  return f;
}

/**
 * A tiny "LaMa" with LaMa's interface (image [S,S,3] in 0..1, mask [S,S,1] → image):
 * a 1×1 convolution over image ⊕ mask with zero kernel and bias 0.5, i.e. it
 * paints every pixel mid-grey. `concat` saves the one-input (4-channel) variant.
 */
async function saveGreyInpainter(tf: typeof TF, dir: string, S: number, concat: boolean): Promise<void> {
  const image = tf.input({ shape: [S, S, concat ? 4 : 3], name: "image" });
  const mask = concat ? null : tf.input({ shape: [S, S, 1], name: "mask" });
  const joined = mask ? (tf.layers.concatenate({ axis: 3 }).apply([image, mask]) as TF.SymbolicTensor) : image;
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: "paint" });
  const out = conv.apply(joined) as TF.SymbolicTensor;
  const model = tf.model({ inputs: mask ? [image, mask] : [image], outputs: out });
  conv.setWeights([tf.zeros([1, 1, 4, 3]), tf.fill([3], 0.5)]);
  await model.save(fsSaveHandler(dir));
}

test("LaMa loader: a small saved image+mask model named in a manifest fills only the hole, at any image size", async () => {
  const { tf } = await selectBackend();
  const dir = tmpDir("lama");
  const S = 16;
  for (const [sub, concat] of [
    ["two", false],
    ["concat", true],
  ] as const) {
    await saveGreyInpainter(tf, path.join(dir, sub), S, concat);
    fs.writeFileSync(path.join(dir, sub, "io.json"), JSON.stringify({ inputSize: S, inputs: concat ? "concat" : "image,mask" }));
  }
  const manifest = writeModelManifest(dir, [
    { path: "model.json", format: "tfjs-layers-model" },
    { path: "weights.bin", format: "tfjs-weights" },
    { path: "io.json", format: "georepro-model-io" },
  ]);
  const w = 24,
    h = 20;
  const img = gradient(w, h);
  const hole = squareMask(w, h, 4, 4, 10, 12);
  for (const sub of ["two", "concat"]) {
    const lama = await lamaFromManifest(manifest, { env: { GEOREPRO_DATA_LAMA: path.join(dir, sub) } });
    const out = await lama.inpaint(img, hole, w, h);
    for (let i = 0; i < hole.length; i++)
      for (let c = 0; c < 3; c++) assert.equal(out[i * 3 + c], hole[i] ? 128 : img[i * 3 + c], `${sub}: pixel ${i} channel ${c}`);
    lama.dispose();
  }
  // A two-input model declared as "concat" is refused with the reason.
  fs.writeFileSync(path.join(dir, "two", "io.json"), JSON.stringify({ inputSize: S, inputs: "concat" }));
  await assert.rejects(
    lamaFromManifest(manifest, { env: { GEOREPRO_DATA_LAMA: path.join(dir, "two") } }),
    /model has 2 inputs .* but inputs is "concat"/,
  );
  fs.writeFileSync(path.join(dir, "two", "io.json"), JSON.stringify({ outputScale: -1 }));
  await assert.rejects(
    lamaFromManifest(manifest, { env: { GEOREPRO_DATA_LAMA: path.join(dir, "two") } }),
    /io\.json:1: outputScale: expected a positive number/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test("inpaintImages: inpainted PNGs cached by image sha256 + inpainter + mask id", async () => {
  const dir = tmpDir("inpaint-cache");
  const w = 24,
    h = 24;
  const file = path.join(dir, "a.png");
  await sharp(Buffer.from(gradient(w, h)), { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(file);
  const maskFile = path.join(dir, "a.mask.png");
  await sharp(Buffer.from(squareMask(w, h, 8, 8, 16, 16)), { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toFile(maskFile);
  let calls = 0;
  const base = await teleaInpainter(3);
  const counting: Inpainter = { ...base, inpaint: (...a) => (calls++, base.inpaint(...a)) };
  const items = [{ file, sha256: sha256File(file), maskFile }];
  const opts = { cacheDir: path.join(dir, "cache"), maskId: "test-mask" };
  const out = await inpaintImages(items, counting, opts);
  const png = out.get(file)!;
  assert.ok(fs.existsSync(png));
  const back = await readRgb(png);
  assert.equal(back.width, w);
  assert.equal(back.height, h);
  const orig = await readRgb(file);
  assert.equal(back.rgb[0], orig.rgb[0]); // corner untouched
  const bytes = fs.readFileSync(png);
  const again = await inpaintImages(items, counting, opts);
  assert.equal(calls, 1, "second call is served from the cache");
  assert.deepEqual(fs.readFileSync(again.get(file)!), bytes);
  await inpaintImages(items, counting, { ...opts, dilate: 0 });
  assert.equal(calls, 2, "another dilation is another cache entry");
  // A mask of the wrong size is refused with both sizes named.
  const bad = path.join(dir, "bad.mask.png");
  await sharp(Buffer.alloc(10 * 10), { raw: { width: 10, height: 10, channels: 1 } })
    .png()
    .toFile(bad);
  await assert.rejects(
    inpaintImages([{ ...items[0], maskFile: bad }], counting, { ...opts, maskId: "other" }),
    /bad\.mask\.png: mask is 10×10 but .*a\.png is 24×24/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});
