/**
 * What trains the models of a run, decided once per process: the compute plan.
 *
 * GEOREPRO_TRAINER (default `auto`):
 * - `auto`   — a GPU backend that loads AND reports a device (lib/runtime/gpu-probe.ts) trains every
 *              model with TensorFlow.js on that device; without one, georepro's training engine
 *              (lib/training/engine: WebAssembly on one CPU core) trains every model it implements
 *              and TensorFlow.js on the CPU backend the rest. This is the CPU default.
 * - `engine` — the CPU default without looking for a GPU.
 * - `tfjs`   — TensorFlow.js trains every model, on the GPU when there is one, else on the CPU backend.
 * GEOREPRO_BACKEND forces a TensorFlow.js backend (`tensorflow-gpu`, `webgpu`, `tensorflow`, `wasm`, `cpu`);
 * a forced GPU backend without a device is an error, not a silent CPU run.
 *
 * GPU numbers are not byte-identical to the CPU default's (other kernels, other summation orders), so a
 * run whose plan is not the CPU default writes to its own results folder and cache (lib/runtime/params.ts)
 * and says so, its tables' run key names the compute (lib/runtime/provenance.ts), and trained models are
 * keyed by trainer, backend and device (lib/training/train.ts).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { GPU_BACKENDS, type GpuBackendName, type GpuDevice, type GpuProbe } from "./gpu-probe";
import { installedVersion } from "./packages";
import { envVar } from "./env";

export type BackendName = "tensorflow-gpu" | "webgpu" | "tensorflow" | "wasm" | "cpu";
export const BACKEND_ORDER: readonly BackendName[] = ["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"];
export const CPU_BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];
export const isGpuBackend = (b: BackendName): b is GpuBackendName => (GPU_BACKENDS as readonly string[]).includes(b);

export const TRAINER_MODES = ["auto", "engine", "tfjs"] as const;
export type TrainerMode = (typeof TRAINER_MODES)[number];

/** GEOREPRO_TRAINER, checked. */
export function trainerMode(env: NodeJS.ProcessEnv = process.env): TrainerMode {
  const raw = (envVar("GEOREPRO_TRAINER", env) ?? "").trim();
  if (raw === "") return "auto";
  if (!(TRAINER_MODES as readonly string[]).includes(raw))
    throw new Error(`environment GEOREPRO_TRAINER: expected one of ${TRAINER_MODES.join(", ")} (got ${JSON.stringify(raw)})`);
  return raw as TrainerMode;
}

/** GEOREPRO_BACKEND, checked (undefined: not forced). */
export function forcedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const raw = (envVar("GEOREPRO_BACKEND", env) ?? "").trim();
  if (raw === "") return undefined;
  if (!(BACKEND_ORDER as readonly string[]).includes(raw))
    throw new Error(`backend: unknown backend "${raw}" (choose one of ${BACKEND_ORDER.join(", ")})`);
  return raw as BackendName;
}

export interface ComputePlan {
  mode: TrainerMode;
  /** What trains a model whose layers the engine implements (the others always train on tfjs). */
  trainer: "engine" | "tfjs";
  /** The TensorFlow.js backend: tfjs-trained models, image features, portrait masks, inference. */
  backend: BackendName;
  /** "cpu (x64)" or the GPU's name. */
  device: string;
  /** The GPU, when the plan uses one. */
  gpu: GpuDevice | null;
  /** Why each faster backend is not used (GPU backends included): the fallback reasons. */
  skipped: Record<string, string>;
  /** One line: the rule applied, for logs and provenance. */
  why: string;
}

export const CPU_DEVICE = `cpu (${process.arch})`;

/** The plan that leaves every number as the CPU default makes it (engine + CPU backend). */
export const isCpuDefault = (p: Pick<ComputePlan, "trainer" | "gpu">): boolean => p.trainer === "engine" && p.gpu === null;

/**
 * The short label of a plan that is not the CPU default, for folder names and run keys
 * ("gpu-nvidia-h100-80gb-hbm3", "tfjs-cpu"); null for the CPU default.
 */
export function computeLabel(p: Pick<ComputePlan, "trainer" | "gpu">): string | null {
  if (p.gpu) return `gpu-${slug(p.gpu.name)}`;
  return p.trainer === "tfjs" ? "tfjs-cpu" : null;
}
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "unnamed";

/** The env var a runner sets so its child processes reuse its probe instead of probing again. */
export const PROBE_ENV = "GEOREPRO_GPU_PROBE";

let probed: { key: string; probe: GpuProbe } | null = null;

/**
 * The GPU probe, run once per process in a child process (gpu-probe.ts says why), or read from
 * GEOREPRO_GPU_PROBE when a parent (scripts/run-notebooks.ts) already ran it. Dawn's own warning
 * ("Couldn't load Vulkan: …") becomes part of the webgpu reason.
 */
export function probeGpu(env: NodeJS.ProcessEnv = process.env, only?: GpuBackendName): GpuProbe {
  const key = only ?? "all";
  if (probed?.key === key) return probed.probe;
  let probe: GpuProbe | null = null;
  const passed = envVar(PROBE_ENV, env);
  if (passed && !only) {
    try {
      probe = JSON.parse(passed) as GpuProbe;
    } catch {
      throw new Error(`environment ${PROBE_ENV}: not the JSON of a GPU probe (unset it to probe again)`);
    }
  } else {
    const script = path.join(__dirname, "gpu-probe.js");
    const r = spawnSync(process.execPath, [script, ...(only ? [only] : [])], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? "2" },
    });
    try {
      probe = JSON.parse((r.stdout ?? "").trim().split("\n").pop() ?? "") as GpuProbe;
    } catch {
      const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}: ${(r.stderr ?? "").trim().split("\n").pop() ?? ""}`;
      probe = { device: null, skipped: Object.fromEntries(GPU_BACKENDS.map((b) => [b, `probe failed (${why.slice(0, 160)})`])) };
    }
    const dawn = dawnWarning(r.stderr ?? "");
    if (dawn && probe.skipped.webgpu?.startsWith("no adapter")) probe.skipped.webgpu = `no adapter (Dawn: ${dawn})`;
  }
  probed = { key, probe };
  return probe;
}

/** Dawn's first warning line, paths removed: the real reason requestAdapter() found nothing. */
export function dawnWarning(stderr: string): string | null {
  const line = stderr
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /^Warning:/.test(l));
  return line ? line.replace(/^Warning:\s*/, "").replace(/\/[^\s:'"]*\//g, "") : null;
}

/** The first CPU backend that can load here: libtensorflow's when installed, else wasm (and why). */
function cpuBackend(): { backend: BackendName; skipped: Record<string, string> } {
  return installedVersion("@tensorflow/tfjs-node") !== null
    ? { backend: "tensorflow", skipped: {} }
    : { backend: "wasm", skipped: { tensorflow: "not installed (@tensorflow/tfjs-node: its install downloads libtensorflow)" } };
}

/** Decide the plan (pure: the probe and the installed CPU backend are inputs; tests pass their own). */
export function decidePlan(
  mode: TrainerMode,
  forced: BackendName | undefined,
  probe: GpuProbe | null,
  cpu: { backend: BackendName; skipped?: Record<string, string> },
): ComputePlan {
  const skipped: Record<string, string> = { ...(probe?.skipped ?? {}) };
  const gpuReasons = Object.entries(probe?.skipped ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
  if (forced && isGpuBackend(forced)) {
    if (!probe?.device || probe.device.backend !== forced)
      throw new Error(
        `backend: GEOREPRO_BACKEND=${forced} but no GPU was found for it (${skipped[forced] ?? "not probed"}); unset GEOREPRO_BACKEND to run on the CPU`,
      );
    if (mode === "engine")
      throw new Error(`backend: GEOREPRO_TRAINER=engine trains on the CPU; it cannot run with GEOREPRO_BACKEND=${forced}`);
  }
  const gpu = mode !== "engine" && probe?.device && (!forced || forced === probe.device.backend) ? probe.device : null;
  if (gpu)
    return {
      mode,
      trainer: "tfjs",
      backend: gpu.backend,
      device: gpu.name,
      gpu,
      skipped,
      why: `GEOREPRO_TRAINER=${mode}: GPU ${gpu.name} on ${gpu.backend}${gpu.detail ? ` (${gpu.detail})` : ""} → TensorFlow.js trains every model on it${gpuReasons ? ` (skipped: ${gpuReasons})` : ""}`,
    };
  const backend = forced ?? cpu.backend;
  if (!forced) Object.assign(skipped, cpu.skipped ?? {});
  const trainer = mode === "tfjs" ? "tfjs" : "engine";
  const head =
    mode === "engine"
      ? "GEOREPRO_TRAINER=engine: no GPU looked for"
      : `GEOREPRO_TRAINER=${mode}: no GPU${gpuReasons ? ` (${gpuReasons})` : ""}`;
  return {
    mode,
    trainer,
    backend,
    device: CPU_DEVICE,
    gpu: null,
    skipped,
    why: `${head} → ${
      trainer === "engine"
        ? `the training engine on the CPU (models with a layer it lacks: TensorFlow.js on ${backend})`
        : `TensorFlow.js trains every model on ${backend}, ${CPU_DEVICE}`
    }`,
  };
}

let plan: ComputePlan | null = null;
let planKey = "";

/**
 * This process's compute plan (memoised per GEOREPRO_TRAINER / GEOREPRO_BACKEND value). The GPU probe
 * runs only when the mode may use a GPU and no CPU backend is forced.
 */
export function computePlan(env: NodeJS.ProcessEnv = process.env): ComputePlan {
  const mode = trainerMode(env);
  const forced = forcedBackend(env);
  const key = `${mode}|${forced ?? ""}`;
  if (plan && planKey === key) return plan;
  const lookForGpu = mode !== "engine" && (!forced || isGpuBackend(forced));
  const probe = lookForGpu ? probeGpu(env, forced && isGpuBackend(forced) ? forced : undefined) : null;
  plan = decidePlan(mode, forced, probe, cpuBackend());
  planKey = key;
  return plan;
}

/** For tests: forget the memoised plan and probe. */
export function resetComputePlan(): void {
  plan = null;
  planKey = "";
  probed = null;
}
