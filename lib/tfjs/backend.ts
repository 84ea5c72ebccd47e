/**
 * TensorFlow.js backend selection, following the run's compute plan (device.ts):
 * the GPU backend the plan found (tfjs-node-gpu's CUDA or WebGPU through Dawn),
 * else the first CPU backend that loads, in the order tfjs-node → wasm → cpu.
 * A GPU counts only when it reports a device, not when its module merely loads.
 * The node packages and the GPU stacks are optional dependencies (tfjs-node's
 * install downloads libtensorflow, which fails offline), so each is tried in a
 * try/catch. The chosen backend, the device and the reasons for skipping faster
 * ones are logged and recorded in provenance.
 */
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { log } from "../runtime/progress";
import { recordBackend } from "../runtime/provenance";
import { registerWasmTrainingKernels } from "./wasm-kernels";
import { BACKEND_ORDER, CPU_BACKENDS, CPU_DEVICE, computePlan, isGpuBackend, type BackendName } from "../runtime/device";

export { BACKEND_ORDER, type BackendName } from "../runtime/device";

export interface SelectedBackend {
  tf: typeof TF;
  name: BackendName;
  /** "cpu (x64)" or the GPU's name. */
  device: string;
  /** Why each faster backend was skipped. */
  skipped: Record<string, string>;
}

let selected: SelectedBackend | null = null;

/** Hooks run after a backend is chosen (e.g. registering missing gradient kernels). */
const afterSelect: ((tf: typeof TF, name: BackendName) => void)[] = [
  registerWasmTrainingKernels, // gradient kernels wasm lacks, fast batched/transposed matMul (wasm-kernels.ts)
  // IS_TEST only had to silence the banner while backends initialise; left on, it runs a
  // per-kernel leak check that is slow and falsely fails wasm's fused matMul gradient.
  (tf) => tf.env().set("IS_TEST", false),
];
export function onBackendSelected(hook: (tf: typeof TF, name: BackendName) => void): void {
  afterSelect.push(hook);
  if (selected) hook(selected.tf, selected.name);
}

/** Make Dawn's WebGPU the `navigator.gpu` tfjs-backend-webgpu looks for (Node has no navigator before 21). */
function installWebGpu(): void {
  const { create, globals } = require("webgpu") as { create(flags: string[]): unknown; globals: object };
  Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode, … which the backend reads as globals
  const g = globalThis as { navigator?: object };
  if (!g.navigator) g.navigator = {};
  Object.defineProperty(g.navigator, "gpu", { value: create([]), configurable: true });
}

async function tryBackend(tf: typeof TF, name: BackendName): Promise<void> {
  switch (name) {
    case "tensorflow-gpu": {
      require("@tensorflow/tfjs-node-gpu");
      if (!(await tf.setBackend("tensorflow"))) throw new Error("setBackend('tensorflow') returned false");
      // Without a CUDA device libtensorflow-gpu silently runs on the CPU: that is not a GPU run.
      if ((tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice !== true)
        throw new Error("no CUDA device (libtensorflow runs on the CPU)");
      return;
    }
    case "webgpu":
      installWebGpu();
      require("@tensorflow/tfjs-backend-webgpu"); // registers "webgpu" because navigator.gpu now exists
      if (!(await tf.setBackend("webgpu"))) throw new Error("setBackend('webgpu') returned false (no adapter?)");
      return;
    case "tensorflow":
      require("@tensorflow/tfjs-node");
      if (!(await tf.setBackend("tensorflow"))) throw new Error("setBackend('tensorflow') returned false");
      return;
    case "wasm": {
      const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
      const dist = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
      wasm.setWasmPaths(dist + path.sep);
      if (!(await tf.setBackend("wasm"))) throw new Error("setBackend('wasm') returned false");
      return;
    }
    case "cpu":
      if (!(await tf.setBackend("cpu"))) throw new Error("setBackend('cpu') returned false");
      return;
  }
}

/**
 * Choose and initialise a backend once per process. `prefer` (or env GEOREPRO_BACKEND, through the
 * plan) forces one, e.g. for benchmarks and backend-parity tests. A GPU the plan found that then
 * fails to start is an error: its results folder was chosen for GPU numbers.
 */
export async function selectBackend(prefer?: BackendName): Promise<SelectedBackend> {
  if (selected && (!prefer || prefer === selected.name)) return selected;
  if (prefer && !BACKEND_ORDER.includes(prefer))
    throw new Error(`backend: unknown backend "${prefer}" (choose one of ${BACKEND_ORDER.join(", ")})`);
  const plan = computePlan();
  const tf = require("@tensorflow/tfjs") as typeof TF;
  tf.env().set("IS_TEST", true); // silences the "install tfjs-node" banner
  const skipped: Record<string, string> = prefer ? {} : { ...plan.skipped };
  const order: BackendName[] = prefer
    ? [prefer]
    : plan.gpu
      ? [plan.backend]
      : [plan.backend, ...CPU_BACKENDS.slice(CPU_BACKENDS.indexOf(plan.backend) + 1)];
  for (const name of order) {
    try {
      await tryBackend(tf, name);
      await tf.ready();
      const device = isGpuBackend(name) ? (plan.gpu?.name ?? "GPU") : CPU_DEVICE;
      selected = { tf, name, device, skipped };
      recordBackend(name);
      const why = Object.entries(skipped)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; ");
      log("backend", `TensorFlow.js backend: ${name} on ${device}${why ? ` (skipped: ${why})` : ""}`);
      for (const hook of afterSelect) hook(tf, name);
      return selected;
    } catch (e) {
      const message = ((e as Error).message || String(e)).split("\n")[0].slice(0, 160);
      if (plan.gpu && name === plan.backend && !prefer)
        throw new Error(
          `backend: the GPU ${plan.gpu.name} was found, but TensorFlow.js's ${name} backend did not start on it: ${message}. ` +
            "GEOREPRO_TRAINER=engine runs on the CPU instead (into the CPU results folder).",
        );
      skipped[name] = message;
    }
  }
  throw new Error(`backend: no TensorFlow.js backend could be initialised: ${JSON.stringify(skipped)}`);
}
