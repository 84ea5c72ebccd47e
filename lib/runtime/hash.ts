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
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

/** Short content key for an object (first 16 hex chars of its canonical SHA-256). */
export const keyOf = (value: unknown): string => sha256(canonicalJson(value)).slice(0, 16);
