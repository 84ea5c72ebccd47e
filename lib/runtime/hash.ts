/** Content hashing: the basis of caches and provenance (DVC-style). */
import { createHash } from "node:crypto";
import * as fs from "node:fs";

export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** SHA-256 of a file, streamed (GeoText files are megabytes; images many). */
export function sha256File(file: string): string {
  const h = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest("hex");
}

/** Canonical JSON (sorted keys) so that equal objects hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** Short content key for an object (first 16 hex chars of its canonical SHA-256). */
export const keyOf = (value: unknown): string => sha256(canonicalJson(value)).slice(0, 16);

/** The compiled library's root (dist/lib): code fingerprints name their files relative to it. */
export const libRoot = (): string => (require("node:path") as typeof import("node:path")).resolve(__dirname, "..");

/**
 * Fingerprint of the compiled code under the given folders/files (relative to
 * the compiled lib/, e.g. "tfjs/wasm-kernels.js", "training"): cache keys of
 * trained models include it, so a change to a kernel, layer or training loop
 * never reuses a model trained by older code. A path that does not exist is an
 * error, not a silent skip: a moved file would otherwise drop out of the key
 * and a changed kernel would reuse models its old version trained.
 */
export function codeFingerprint(entries: readonly string[], root: string = libRoot()): string {
  const path = require("node:path") as typeof import("node:path");
  const h = createHash("sha256");
  const visit = (rel: string) => {
    const abs = path.join(root, rel);
    if (fs.statSync(abs).isDirectory()) for (const f of fs.readdirSync(abs).sort()) visit(path.join(rel, f));
    else if (abs.endsWith(".js")) h.update(rel).update("\0").update(fs.readFileSync(abs)).update("\0");
  };
  for (const e of entries) {
    if (!fs.existsSync(path.join(root, e)))
      throw new Error(`codeFingerprint: ${path.join(root, e)}: no such file or folder (moved or renamed? update the caller's list)`);
    visit(e);
  }
  return h.digest("hex").slice(0, 16);
}
