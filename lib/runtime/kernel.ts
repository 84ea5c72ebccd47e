/**
 * Whether this process is a tslab kernel, and tslab's display API when it is.
 * Outside a kernel (tests, scripts, benches) every function here returns null
 * and callers fall back to the terminal.
 */
export type TslabDisplay = {
  markdown(s: string): void;
  html(s: string): void;
  png(b: Uint8Array): void;
  svg?(s: string): void;
  text(s: string): void;
};
type TslabModule = { display: TslabDisplay; newDisplay(): TslabDisplay };

import { serialiseKernelSends } from "./zmq-sends";

let cached: TslabModule | null | undefined;

function tslab(): TslabModule | null {
  if (cached !== undefined) return cached;
  if (!process.env.JPY_PARENT_PID && !process.argv.some((a) => a.includes("tslab"))) return (cached = null);
  try {
    cached = require("tslab") as TslabModule;
    serialiseKernelSends(); // heavy output must not kill the kernel (zmq-sends.ts)
  } catch {
    cached = null;
  }
  return cached;
}

/** tslab's display API when running inside the kernel, else null. */
export const tslabDisplay = (): TslabDisplay | null => tslab()?.display ?? null;

/** A new display entry that each call overwrites in place (Jupyter's update_display_data), or null outside a kernel. */
export const newDisplay = (): TslabDisplay | null => tslab()?.newDisplay() ?? null;
