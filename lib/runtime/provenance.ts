/**
 * Provenance: what produced a result. Stable fields (commit, seed, dataset
 * checksums, backend, package versions) go beside each table; volatile ones
 * (wall time, timestamps) go to a separate folder so tables stay byte-identical.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./paths";
import { dataName, seedCount, splitCount, type Params } from "./params";

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

/**
 * The parameters that decide a run's numbers (output and cache folders left
 * out): a table or claim record made with others is stale for this run.
 */
export interface RunKey {
  seed: number;
  seeds: number;
  splits: number;
  scale: string;
  epochs: number;
  data: string | null;
  level: string | null;
  minUsers: number;
}

export const runKey = (p: Params): RunKey => ({
  seed: p.seed,
  seeds: seedCount(p),
  splits: splitCount(p),
  scale: p.scale,
  epochs: p.epochs,
  data: p.data === null ? null : dataName(p.data),
  level: p.level === null ? null : p.level.join(","),
  minUsers: p.minUsers,
});

/** What stamps every table and claim record: the commit and the run's parameters. */
export interface RunStamp {
  commit: string;
  dirty: boolean;
  run: RunKey;
}

export const runStamp = (p: Params): RunStamp => ({ ...gitCommit(), run: runKey(p) });

/**
 * Why a record stamped `recorded` is not this run's output (null: it is): another
 * commit, or other parameters. A record without a stamp (written before stamps
 * existed) is stale too.
 */
export function staleness(recorded: Partial<RunStamp> | null | undefined, current: RunStamp): string | null {
  if (!recorded || typeof recorded.commit !== "string") return "no commit recorded (written by an older version)";
  if (recorded.commit !== current.commit)
    return `written at commit ${recorded.commit.slice(0, 12)}, this run is ${current.commit.slice(0, 12)}`;
  if (!recorded.run) return "no run parameters recorded (written by an older version)";
  const diffs = (Object.keys(current.run) as (keyof RunKey)[])
    .filter((k) => JSON.stringify(recorded.run![k] ?? null) !== JSON.stringify(current.run[k]))
    .map((k) => `${k} ${JSON.stringify(recorded.run![k] ?? null)} (this run: ${JSON.stringify(current.run[k])})`);
  return diffs.length ? `written with other parameters: ${diffs.join(", ")}` : null;
}
