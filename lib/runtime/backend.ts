/**
 * TensorFlow.js backend selection: the fastest backend that loads, in the order
 * tfjs-node-gpu → tfjs-node → wasm → cpu. The node packages are optional
 * dependencies (their install downloads libtensorflow, which fails offline), so
 * each is tried in a try/catch. The chosen backend is logged and recorded in
 * provenance.
 */
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { log } from "./progress";
import { recordBackend } from "./provenance";
import { registerWasmTrainingKernels } from "./wasm-kernels";

export type BackendName = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
export const BACKEND_ORDER: readonly BackendName[] = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"];

export interface SelectedBackend {
  tf: typeof TF;
  name: BackendName;
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

async function tryBackend(tf: typeof TF, name: BackendName): Promise<void> {
  switch (name) {
    case "tensorflow-gpu":
      require("@tensorflow/tfjs-node-gpu");
      if (!(await tf.setBackend("tensorflow"))) throw new Error("setBackend('tensorflow') returned false");
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
 * Choose and initialise a backend once per process. `prefer` (or env
 * GEOREPRO_BACKEND) forces one, e.g. for benchmarks and backend-parity tests.
 */
export async function selectBackend(
  prefer: BackendName | undefined = process.env.GEOREPRO_BACKEND as BackendName | undefined,
): Promise<SelectedBackend> {
  if (selected && (!prefer || prefer === selected.name)) return selected;
  if (prefer && !BACKEND_ORDER.includes(prefer))
    throw new Error(`backend: unknown backend "${prefer}" (choose one of ${BACKEND_ORDER.join(", ")})`);
  const tf = require("@tensorflow/tfjs") as typeof TF;
  tf.env().set("IS_TEST", true); // silences the "install tfjs-node" banner
  const skipped: Record<string, string> = {};
  for (const name of prefer ? [prefer] : BACKEND_ORDER) {
    try {
      await tryBackend(tf, name);
      await tf.ready();
      selected = { tf, name, skipped };
      recordBackend(name);
      log(
        "backend",
        `TensorFlow.js backend: ${name}${
          Object.keys(skipped).length
            ? ` (skipped: ${Object.entries(skipped)
                .map(([k, v]) => `${k}: ${v}`)
                .join("; ")})`
            : ""
        }`,
      );
      for (const hook of afterSelect) hook(tf, name);
      return selected;
    } catch (e) {
      skipped[name] = ((e as Error).message || String(e)).split("\n")[0].slice(0, 160);
    }
  }
  throw new Error(`backend: no TensorFlow.js backend could be initialised: ${JSON.stringify(skipped)}`);
}
