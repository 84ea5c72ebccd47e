/**
 * Looks for a GPU that TensorFlow.js can train on, in a child process of its own
 * (lib/runtime/device.ts runs it once per run): loading a GPU stack prints
 * native warnings (Dawn: "Couldn't load Vulkan") and, for libtensorflow, takes
 * seconds — neither belongs in a notebook that ends up on the CPU anyway.
 *
 *   node dist/lib/runtime/gpu-probe.js     → one JSON line: GpuProbe
 *
 * A GPU counts only when its backend loads AND reports a device:
 * - tensorflow-gpu: @tensorflow/tfjs-node-gpu loads and its binding says it is
 *   using a CUDA device (`isUsingGpuDevice`; libtensorflow otherwise runs on the CPU);
 * - webgpu: the `webgpu` package (Dawn) returns an adapter from
 *   requestAdapter({ powerPreference: "high-performance" }) that is not a
 *   software fallback (SwiftShader, lavapipe/llvmpipe).
 * Each backend that is not used gets a one-line reason, without paths, so the
 * reasons recorded in provenance are the same on every machine of a kind.
 */
import { execFileSync } from "node:child_process";

export type GpuBackendName = "tensorflow-gpu" | "webgpu";

export interface GpuDevice {
  backend: GpuBackendName;
  /** The GPU's name ("NVIDIA H100 80GB HBM3"). */
  name: string;
  /** Vendor / architecture / driver as the stack reports them (informative). */
  detail: string;
}

export interface GpuProbe {
  /** The GPU training will use, or null. */
  device: GpuDevice | null;
  /** Why each GPU backend is not used ("not installed", "no adapter: …"). */
  skipped: Partial<Record<GpuBackendName, string>>;
}

/** Backends in the order they are preferred: CUDA's libtensorflow has every training kernel natively. */
export const GPU_BACKENDS: readonly GpuBackendName[] = ["tensorflow-gpu", "webgpu"];

const firstLine = (s: string): string =>
  s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)[0]
    ?.replace(/\/[^\s:'"]*\//g, "")
    .slice(0, 200) ?? "";

const resolvable = (id: string): boolean => {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
};

/** A software adapter is a CPU pretending: it must not send a run to a GPU results folder. */
export function isSoftwareAdapter(info: Record<string, unknown>): boolean {
  if (info.isFallbackAdapter === true) return true;
  const text = ["vendor", "architecture", "device", "description"].map((k) => String(info[k] ?? "")).join(" ");
  return /swiftshader|lavapipe|llvmpipe|software|\bcpu\b/i.test(text);
}

/** The GPU's name from adapter info: the description ("NVIDIA H100 …") when Dawn gives one. */
export function adapterName(info: Record<string, unknown>): string {
  const description = String(info.description ?? "").trim();
  if (description) return description;
  const parts = [info.vendor, info.architecture, info.device].map((x) => String(x ?? "").trim()).filter(Boolean);
  return parts.length ? parts.join(" ") : "unnamed WebGPU adapter";
}

async function probeWebGpu(): Promise<GpuDevice | string> {
  if (!resolvable("webgpu")) return "not installed (npm package webgpu)";
  if (!resolvable("@tensorflow/tfjs-backend-webgpu")) return "not installed (@tensorflow/tfjs-backend-webgpu)";
  let gpu: { requestAdapter(o?: object): Promise<unknown> };
  try {
    const webgpu = require("webgpu") as { create(flags: string[]): typeof gpu };
    gpu = webgpu.create([]);
  } catch (e) {
    return `Dawn did not load: ${firstLine((e as Error).message)}`;
  }
  const adapter = (await gpu.requestAdapter({ powerPreference: "high-performance" })) as {
    info?: Record<string, unknown>;
    isFallbackAdapter?: boolean;
    requestAdapterInfo?: () => Promise<Record<string, unknown>>;
  } | null;
  if (!adapter) return "no adapter (requestAdapter() returned null: no Vulkan driver for a GPU)";
  const info: Record<string, unknown> = { ...(adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {}) };
  if (adapter.isFallbackAdapter) info.isFallbackAdapter = true;
  if (isSoftwareAdapter(info)) return `only a software adapter (${adapterName(info)})`;
  const detail = ["vendor", "architecture", "driver"]
    .map((k) => (info[k] ? `${k} ${String(info[k])}` : ""))
    .filter(Boolean)
    .join(", ");
  return { backend: "webgpu", name: adapterName(info), detail };
}

/** The CUDA GPU's name from nvidia-smi (tfjs-node-gpu does not expose it). */
function nvidiaName(): string {
  try {
    return (
      execFileSync("nvidia-smi", ["--query-gpu=name,driver_version", "--format=csv,noheader"], { encoding: "utf8", timeout: 20_000 })
        .split("\n")[0]
        .split(",")[0]
        .trim() || "CUDA GPU"
    );
  } catch {
    return "CUDA GPU (nvidia-smi not found)";
  }
}

async function probeTensorflowGpu(): Promise<GpuDevice | string> {
  if (!resolvable("@tensorflow/tfjs-node-gpu")) return "not installed (@tensorflow/tfjs-node-gpu: needs CUDA 11.2 + cuDNN 8.1)";
  try {
    const tf = require("@tensorflow/tfjs") as typeof import("@tensorflow/tfjs");
    tf.env().set("IS_TEST", true); // silences the banner
    require("@tensorflow/tfjs-node-gpu");
    if (!(await tf.setBackend("tensorflow"))) return "setBackend('tensorflow') returned false";
    const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
    if (backend.isUsingGpuDevice !== true) return "no CUDA device (libtensorflow loaded but runs on the CPU)";
  } catch (e) {
    return `did not load: ${firstLine((e as Error).message)}`;
  }
  return { backend: "tensorflow-gpu", name: nvidiaName(), detail: "CUDA (libtensorflow 2.9)" };
}

/** The probe itself (in this process). `only` limits it to one backend (GEOREPRO_BACKEND forcing one). */
export async function probeGpuHere(only?: GpuBackendName): Promise<GpuProbe> {
  const skipped: GpuProbe["skipped"] = {};
  for (const name of GPU_BACKENDS) {
    if (only && name !== only) continue;
    let r: GpuDevice | string;
    try {
      r = name === "webgpu" ? await probeWebGpu() : await probeTensorflowGpu();
    } catch (e) {
      r = `probe failed: ${firstLine((e as Error).message)}`;
    }
    if (typeof r !== "string") return { device: r, skipped };
    skipped[name] = r;
  }
  return { device: null, skipped };
}

if (require.main === module) {
  const only = process.argv[2] as GpuBackendName | undefined;
  probeGpuHere(only)
    .then((p) => {
      process.stdout.write(JSON.stringify(p) + "\n");
      // Dawn keeps handles open; the answer is out.
      process.exit(0);
    })
    .catch((e) => {
      process.stdout.write(JSON.stringify({ device: null, skipped: { webgpu: `probe failed: ${firstLine(String(e))}` } }) + "\n");
      process.exit(0);
    });
}
