/**
 * Provenance: what produced a result. Stable fields (commit, seed, dataset
 * checksums, backend, package versions) go beside each table; volatile ones
 * (wall time, timestamps) go to a separate folder so tables stay byte-identical.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./paths";

let activeBackend: string | null = null;

/** Called by the TensorFlow.js backend selection; recorded in provenance. */
export function recordBackend(name: string): void {
  activeBackend = name;
}
export const recordedBackend = (): string | null => activeBackend;

export function gitCommit(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: projectRoot, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
    const status = execFileSync(
      "git",
      ["status", "--porcelain", "--untracked-files=no", "--", "lib", "notebooks", "package.json", "package-lock.json"],
      {
        cwd: projectRoot,
        stdio: ["ignore", "pipe", "ignore"],
      },
    ).toString();
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: "unknown (not a git checkout)", dirty: false };
  }
}

/** Versions of the packages that can change numbers. */
export const TRACKED_PACKAGES = [
  "@tensorflow/tfjs-core",
  "@tensorflow/tfjs-backend-wasm",
  "@tensorflow/tfjs-node",
  "@tensorflow/tfjs-node-gpu",
  "seedrandom",
  "sharp",
  "compromise",
  "ml-random-forest",
  "tslab",
];

export function packageVersions(names: readonly string[] = TRACKED_PACKAGES): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  for (const n of names) {
    const f = path.join(projectRoot, "node_modules", n, "package.json");
    if (fs.existsSync(f)) out[n] = JSON.parse(fs.readFileSync(f, "utf8")).version;
  }
  return out;
}
