/**
 * Frozen image features, computed once per image and cached on disk.
 *
 * Cache layout: <cacheDir>/image-features/<keyOf(backbone.id)>/<sha[0:2]>/<sha>.f32
 * (raw little-endian float32, `dim` values), keyed by the image file's SHA-256
 * and the backbone id (weights checksum + layer + input size + preprocessing).
 * Identical images are featurised once; a re-run reads every vector back and
 * runs no network. Each vector is written atomically, so an interrupted run
 * keeps what it finished.
 *
 * Feature vectors do not depend on which other images share a batch (checked
 * in test/image/features.test.ts), so a cache filled by one notebook gives the
 * same numbers as a fresh computation in another.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "../runtime/atomic";
import { keyOf, sha256File } from "../runtime/hash";
import { bookkeeping, progress, warn } from "../runtime/progress";
import { selectBackend } from "../tfjs/backend";
import type { Backbone } from "./backbone";
import { decodeImage } from "./decode";

export interface FeatureSet {
  backboneId: string;
  dim: number;
  /** Image path → feature vector (length dim). */
  byFile: Map<string, Float32Array>;
  /** Image path → SHA-256 of its bytes. */
  checksums: Map<string, string>;
  /** How many distinct images were run through the network / read from the cache. */
  computed: number;
  cached: number;
}

export interface FeatureOptions {
  cacheDir: string;
  /** Images per forward pass (memory vs. overhead; results do not depend on it). */
  batchSize?: number;
  /** Progress label. */
  label?: string;
}

export const featureCacheFolder = (cacheDir: string, backboneId: string): string =>
  path.join(cacheDir, "image-features", keyOf({ backbone: backboneId }));

const vectorFile = (folder: string, sha: string): string => path.join(folder, sha.slice(0, 2), `${sha}.f32`);

function readVector(file: string, dim: number): Float32Array | null {
  if (!fs.existsSync(file)) return null;
  const buf = fs.readFileSync(file);
  if (buf.byteLength !== dim * 4) {
    warn("image-features", `ignoring ${file}: ${buf.byteLength} bytes, expected ${dim * 4} (recomputing)`);
    return null;
  }
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

function writeVector(file: string, v: Float32Array): void {
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i], i * 4);
  writeFileAtomic(file, buf);
}

/** Embed `todo` in batches, writing each vector to the cache and into `bySha`. */
async function embedAll(
  backbone: Backbone,
  todo: readonly { sha: string; file: string }[],
  folder: string,
  bySha: Map<string, Float32Array>,
  opts: FeatureOptions,
): Promise<void> {
  const { tf } = await selectBackend();
  const batch = opts.batchSize ?? 16;
  const S = backbone.inputSize;
  const bar = progress(opts.label ?? "image-features", todo.length, { every: Math.max(batch, Math.ceil(todo.length / 10)) });
  for (let i = 0; i < todo.length; i += batch) {
    const chunk = todo.slice(i, i + batch);
    const pixels = await Promise.all(chunk.map((t) => decodeImage(t.file, S)));
    const flat = new Float32Array(chunk.length * S * S * 3);
    pixels.forEach((p, j) => flat.set(p, j * p.length));
    const x = tf.tensor4d(flat, [chunk.length, S, S, 3]);
    const y = backbone.embed(x);
    const data = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    chunk.forEach((t, j) => {
      const v = data.slice(j * backbone.dim, (j + 1) * backbone.dim);
      for (let k = 0; k < v.length; k++)
        if (!Number.isFinite(v[k])) throw new Error(`${t.file}: backbone ${backbone.id} gave a non-finite feature at index ${k}`);
      writeVector(vectorFile(folder, t.sha), v);
      bySha.set(t.sha, v);
      bar.tick();
    });
  }
}

/** Frozen features for every file in `files` (duplicates and identical images computed once). */
export async function imageFeatures(backbone: Backbone, files: readonly string[], opts: FeatureOptions): Promise<FeatureSet> {
  const folder = featureCacheFolder(opts.cacheDir, backbone.id);
  const meta = path.join(folder, "backbone.json");
  if (!fs.existsSync(meta))
    writeJsonAtomic(meta, { id: backbone.id, description: backbone.description, dim: backbone.dim, inputSize: backbone.inputSize });
  const unique = [...new Set(files)];
  const checksums = new Map<string, string>();
  for (const f of unique) {
    if (!fs.existsSync(f)) throw new Error(`${f}: image not found (listed in the dataset's posts)`);
    checksums.set(f, sha256File(f));
  }
  const bySha = new Map<string, Float32Array>();
  const todo: { sha: string; file: string }[] = [];
  const queued = new Set<string>();
  for (const f of unique) {
    const sha = checksums.get(f)!;
    if (bySha.has(sha) || queued.has(sha)) continue;
    const v = readVector(vectorFile(folder, sha), backbone.dim);
    if (v) bySha.set(sha, v);
    else {
      todo.push({ sha, file: f });
      queued.add(sha);
    }
  }
  const cached = bySha.size;
  if (todo.length) {
    // Each vector is written by rename: another process embedding the same images at once
    // (a second notebook, a unit on another host) writes the same bytes, and neither sees half a file.
    await embedAll(backbone, todo, folder, bySha, opts);
  }
  bookkeeping("image-features", `${unique.length} images: ${cached} cached, ${todo.length} computed (${backbone.id})`);
  const byFile = new Map<string, Float32Array>();
  for (const f of unique) byFile.set(f, bySha.get(checksums.get(f)!)!);
  return { backboneId: backbone.id, dim: backbone.dim, byFile, checksums, computed: todo.length, cached };
}

export interface PostImageMatrix {
  /** Row-major [posts × dim]: the mean feature of each post's images (MRLF's post has a set I of m images). */
  data: Float32Array;
  rows: number;
  dim: number;
  /** Posts with no image (their row is zero). */
  withoutImage: number;
}

/**
 * One feature row per post: the mean over its images' frozen features (the
 * paper feeds a set of images per post without saying how they are combined;
 * averaging keeps the fully connected layer after GAP unchanged). Posts with
 * no image get a zero row and are counted.
 */
export function postImageMatrix(posts: readonly { id: string; images: readonly string[] }[], features: FeatureSet): PostImageMatrix {
  const { dim } = features;
  const data = new Float32Array(posts.length * dim);
  let withoutImage = 0;
  posts.forEach((p, r) => {
    if (p.images.length === 0) {
      withoutImage++;
      return;
    }
    for (const img of p.images) {
      const v = features.byFile.get(img);
      if (!v) throw new Error(`post ${p.id}: images: ${img} has no feature (featurise the dataset's images first)`);
      for (let k = 0; k < dim; k++) data[r * dim + k] += v[k] / p.images.length;
    }
  });
  return { data, rows: posts.length, dim, withoutImage };
}
