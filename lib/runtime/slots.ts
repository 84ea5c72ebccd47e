/**
 * Whether this process may use a second thread now. `make reproduce` runs two
 * notebooks at a time, one core each; run-notebooks writes the number of free
 * notebook slots to GEOREPRO_SLOTS_FILE, and a notebook waiting for another's
 * cache entry leaves its core free too (./compute-once.ts). Everything that
 * uses a helper thread (the training engine, word2vec, the local-words runs,
 * the bootstrap) asks here, and gives the same numbers either way.
 *
 * GEOREPRO_TRAIN_WORKERS: "auto" (default: a helper while a slot is free; none
 * without the slots file), "on" (always), "off" (never).
 */
import * as fs from "node:fs";
import { waitingCount } from "./compute-once";

export function helperWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const mode = env.GEOREPRO_TRAIN_WORKERS ?? "auto";
  if (mode === "on") return true;
  if (mode === "off") return false;
  if (mode !== "auto") throw new Error(`GEOREPRO_TRAIN_WORKERS: expected auto, on or off (got ${JSON.stringify(mode)})`);
  const file = env.GEOREPRO_SLOTS_FILE;
  if (!file) return false;
  if (waitingCount(env) > 0) return true;
  try {
    return Number(fs.readFileSync(file, "utf8").trim()) > 0;
  } catch {
    return false;
  }
}
