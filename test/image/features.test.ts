import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultBackbone } from "../../lib/image/backbone";
import { featureCacheFolder, imageFeatures, postImageMatrix } from "../../lib/image/features";
import { decodeImage } from "../../lib/image/decode";
import { tmpDir, writeTestImage } from "./helpers";

test("image features are computed once per distinct image and read back bit-identically from the cache", async () => {
  const dir = tmpDir("features");
  const cacheDir = path.join(dir, "cache");
  const a = await writeTestImage(path.join(dir, "img", "a.png"), "a");
  const b = await writeTestImage(path.join(dir, "img", "b.png"), "b");
  const aCopy = path.join(dir, "img", "a-copy.png");
  fs.copyFileSync(a, aCopy); // same bytes, another path: featurised once
  const bb = await defaultBackbone({ inputSize: 64 });

  const first = await imageFeatures(bb, [a, b, aCopy, b], { cacheDir, batchSize: 2 });
  assert.equal(first.computed, 2);
  assert.equal(first.cached, 0);
  assert.equal(first.byFile.size, 3);
  assert.deepEqual(Array.from(first.byFile.get(aCopy)!), Array.from(first.byFile.get(a)!));
  assert.notDeepEqual(Array.from(first.byFile.get(a)!), Array.from(first.byFile.get(b)!));
  const folder = featureCacheFolder(cacheDir, bb.id);
  const sha = first.checksums.get(a)!;
  assert.equal(fs.statSync(path.join(folder, sha.slice(0, 2), `${sha}.f32`)).size, 1280 * 4);

  // Second run: nothing recomputed, same bits; a different batch size gives the same numbers.
  const second = await imageFeatures(bb, [b, a], { cacheDir, batchSize: 1 });
  assert.equal(second.computed, 0);
  assert.equal(second.cached, 2);
  assert.deepEqual(Array.from(second.byFile.get(a)!), Array.from(first.byFile.get(a)!));
  const fresh = await imageFeatures(bb, [b, a], { cacheDir: path.join(dir, "cache2"), batchSize: 1 });
  assert.equal(fresh.computed, 2);
  assert.deepEqual(Array.from(fresh.byFile.get(b)!), Array.from(first.byFile.get(b)!));

  // A truncated cache entry is recomputed, not trusted.
  fs.writeFileSync(path.join(folder, sha.slice(0, 2), `${sha}.f32`), Buffer.alloc(12));
  const third = await imageFeatures(bb, [a], { cacheDir });
  assert.equal(third.computed, 1);
  assert.deepEqual(Array.from(third.byFile.get(a)!), Array.from(first.byFile.get(a)!));
  bb.dispose();
});

test("postImageMatrix averages a post's images, zero-fills posts without images, and names missing features", () => {
  const byFile = new Map([
    ["/x/1.png", new Float32Array([1, 2])],
    ["/x/2.png", new Float32Array([3, 6])],
  ]);
  const fs_ = { backboneId: "t", dim: 2, byFile, checksums: new Map(), computed: 0, cached: 2 };
  const m = postImageMatrix(
    [
      { id: "p1", images: ["/x/1.png", "/x/2.png"] },
      { id: "p2", images: [] },
      { id: "p3", images: ["/x/2.png"] },
    ],
    fs_,
  );
  assert.deepEqual(Array.from(m.data), [2, 4, 0, 0, 3, 6]);
  assert.equal(m.withoutImage, 1);
  assert.throws(() => postImageMatrix([{ id: "p9", images: ["/x/3.png"] }], fs_), /post p9: images: \/x\/3\.png has no feature/);
});

test("missing and undecodable images fail with the file named", async () => {
  const dir = tmpDir("badimg");
  const bad = path.join(dir, "bad.jpg");
  fs.writeFileSync(bad, "not an image");
  await assert.rejects(decodeImage(bad, 32), new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: cannot decode image`));
  const bb = await defaultBackbone({ inputSize: 32 });
  await assert.rejects(imageFeatures(bb, [path.join(dir, "missing.png")], { cacheDir: dir }), /missing\.png: image not found/);
  bb.dispose();
});
