/**
 * Whether this process may use a second thread now. Everything that uses a
 * helper thread (the training engine, word2vec, the local-words runs) asks
 * here, and gives the same numbers either way, so the answer can follow the
 * cores the process was given: GEOREPRO_THREADS, a graph unit's Snakemake
 * `threads` (lib/workflow/graph.ts), which Snakemake only grants while cores
 * are free.
 *
 * GEOREPRO_TRAIN_WORKERS: "auto" (default: a helper when GEOREPRO_THREADS is 2
 * or more; none without it), "on" (always), "off" (never).
 */
import { envVar } from "./env";

export function helperWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const mode = envVar("GEOREPRO_TRAIN_WORKERS", env) ?? "auto";
  if (mode === "on") return true;
  if (mode === "off") return false;
  if (mode !== "auto") throw new Error(`GEOREPRO_TRAIN_WORKERS: expected auto, on or off (got ${JSON.stringify(mode)})`);
  return Number(envVar("GEOREPRO_THREADS", env) ?? "1") >= 2;
}
