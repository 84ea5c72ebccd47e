/**
 * Provenance: what produced a result. Stable fields (commit, seed, dataset
 * checksums, what trained the models — trainer, backend, device — and the
 * versions of every package that can change a number) go beside each table;
 * volatile ones (wall time, timestamps) go to a separate folder so tables stay
 * byte-identical.
 */
import { execFileSync } from "node:child_process";
import { projectRoot } from "./paths";
import { dataName, seedCount, splitCount, type Params } from "./params";
import { computeLabel, computePlan, isCpuDefault, type ComputePlan } from "./device";
import { installedVersion } from "./packages";

export { NUMBER_PACKAGES, packageVersions, trainingPackageVersions } from "./packages";

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

/** The names of the packages recorded in provenance (lib/runtime/packages.ts says why each changes numbers). */
export { NUMBER_PACKAGES as TRACKED_PACKAGES } from "./packages";

/** The trainer as models record it: the engine's version, or "tfjs-<tfjs-core version>". */
export const ENGINE_TRAINER = "engine-1";
export const tfjsTrainer = (): string => `tfjs-${installedVersion("@tensorflow/tfjs-core") ?? "unknown"}`;

/** What trains this run's models, as every table's provenance records it. */
export interface ComputeRecord {
  /** GEOREPRO_TRAINER as applied (auto | engine | tfjs). */
  mode: string;
  /** The trainer of every model whose layers the engine implements ("engine-1" or "tfjs-4.22.0"). */
  trainer: string;
  /** The trainer of models with a layer the engine lacks (always TensorFlow.js). */
  otherModels: string;
  /** The TensorFlow.js backend (tfjs-trained models, image features, portrait masks). */
  backend: string;
  /** "cpu (x64)" or the GPU's name. */
  device: string;
  /** Why each faster backend was not used. */
  fallback: Record<string, string>;
  /** True when the numbers are the CPU default's (engine on the CPU). */
  cpuDefault: boolean;
}

export function computeRecord(plan: ComputePlan = computePlan()): ComputeRecord {
  const tfjs = tfjsTrainer();
  return {
    mode: plan.mode,
    trainer: plan.trainer === "engine" ? ENGINE_TRAINER : tfjs,
    otherModels: tfjs,
    // The backend this process selected when it differs from the plan (a benchmark forcing one).
    backend: activeBackend ?? plan.backend,
    device: plan.device,
    fallback: plan.skipped,
    cpuDefault: isCpuDefault(plan),
  };
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
  /**
   * What trained the models when it is not the CPU default ("gpu-nvidia-h100-80gb-hbm3", "tfjs-cpu"):
   * absent on the CPU default, so its stamps, and every file that carries them, stay as they were.
   */
  compute?: string;
}

export const runKey = (p: Params, plan: ComputePlan = computePlan()): RunKey => {
  const compute = computeLabel(plan);
  return {
    seed: p.seed,
    seeds: seedCount(p),
    splits: splitCount(p),
    scale: p.scale,
    epochs: p.epochs,
    data: p.data === null ? null : dataName(p.data),
    level: p.level === null ? null : p.level.join(","),
    minUsers: p.minUsers,
    ...(compute ? { compute } : {}),
  };
};

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
  // Both sides' keys: a GPU run's `compute` must not pass for the CPU default's absent one.
  const keys = [...new Set([...Object.keys(current.run), ...Object.keys(recorded.run)])] as (keyof RunKey)[];
  const diffs = keys
    .filter((k) => JSON.stringify(recorded.run![k] ?? null) !== JSON.stringify(current.run[k]))
    .map((k) => `${k} ${JSON.stringify(recorded.run![k] ?? null)} (this run: ${JSON.stringify(current.run[k])})`);
  return diffs.length ? `written with other parameters: ${diffs.join(", ")}` : null;
}
