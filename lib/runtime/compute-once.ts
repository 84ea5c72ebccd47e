/**
 * Compute-once across processes: when two notebooks run at once and both need
 * the same cache entry (the full MRLF of a city and seed, a learning-rate
 * candidate, the prepared posts), one computes it and the other waits for it
 * instead of training the same model a second time.
 *
 * The right to compute is a lock file created with O_EXCL next to the entry
 * (`<entry>.lock`, holding the owner's pid). A process that finds the lock
 * polls until the entry is complete, and takes over when the owner has died
 * (a crashed or interrupted kernel leaves its lock behind). Two computations
 * of one entry inside one process wait for each other the same way. Waiting never
 * changes a result: entries are content-keyed and deterministic, so which
 * process computed one does not matter.
 *
 * While a process waits it leaves a marker in `<slots file dir>/waiting/`, so
 * a training elsewhere may lend half of each batch to a helper thread on the
 * core the waiting notebook does not use (lib/training/engine/parallel.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { info } from "./progress";
import { envVar } from "./env";

/** Milliseconds between checks while another process computes the entry. */
const POLL_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const ownerOf = (lock: string): number | null => {
  try {
    return Number(fs.readFileSync(lock, "utf8").trim());
  } catch {
    return null; // released between our attempt and this read
  }
};

/** Seconds after which a lock whose owner never wrote its pid counts as abandoned. */
const UNWRITTEN_LOCK_S = 10;

/**
 * Whether the lock's owner is gone. An empty lock is one being created (its
 * owner writes the pid right after opening it), not a dead one, unless it has
 * stayed empty for UNWRITTEN_LOCK_S.
 */
function ownerGone(lock: string, owner: number): boolean {
  if (owner > 0) return !alive(owner);
  try {
    return Date.now() - fs.statSync(lock).mtimeMs > UNWRITTEN_LOCK_S * 1000;
  } catch {
    return false; // released meanwhile: the next round takes it
  }
}

/** Folder of "a notebook is waiting" markers, beside the runner's free-slots file (null outside a run). */
export const waitingDir = (env: NodeJS.ProcessEnv = process.env): string | null => {
  const slots = envVar("GEOREPRO_SLOTS_FILE", env);
  return slots ? path.join(path.dirname(slots), "waiting") : null;
};

/** Live waiting markers (a marker whose process has died does not count). */
export function waitingCount(env: NodeJS.ProcessEnv = process.env): number {
  const dir = waitingDir(env);
  if (!dir) return 0;
  try {
    return fs.readdirSync(dir).filter((f) => alive(Number(f))).length;
  } catch {
    return 0;
  }
}

function markWaiting(on: boolean): void {
  const dir = waitingDir();
  if (!dir) return;
  const file = path.join(dir, String(process.pid));
  try {
    if (on) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, "");
    } else fs.rmSync(file, { force: true });
  } catch {
    // only an optimisation for the other notebook's training
  }
}

/**
 * Run `compute` unless `ready()` is true or becomes true while another process
 * holds `lock`. Returns whether this process computed. `what` names the entry
 * in the one line printed when it waits.
 */
export async function computeOnce(lock: string, ready: () => boolean, compute: () => Promise<void>, what: string): Promise<boolean> {
  let waitedSince: number | null = null;
  try {
    for (;;) {
      if (ready()) return false;
      fs.mkdirSync(path.dirname(lock), { recursive: true });
      let fd: number | null = null;
      try {
        fd = fs.openSync(lock, "wx");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      if (fd !== null) {
        fs.writeSync(fd, `${process.pid}\n`);
        fs.closeSync(fd);
        try {
          if (ready()) return false; // finished between our check and the lock
          await compute();
          return true;
        } finally {
          fs.rmSync(lock, { force: true });
        }
      }
      const owner = ownerOf(lock);
      if (owner !== null && owner !== process.pid && ownerGone(lock, owner)) {
        info(`[cache] ${what}: process ${owner} died while computing it; taking over`);
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (waitedSince === null) {
        waitedSince = Date.now();
        markWaiting(true);
        info(`[cache] ${what}: another notebook (pid ${owner ?? "?"}) is computing it; waiting for its result`);
      }
      await sleep(POLL_MS);
    }
  } finally {
    if (waitedSince !== null) {
      markWaiting(false);
      info(`[cache] ${what}: waited ${((Date.now() - waitedSince) / 1000).toFixed(0)} s`);
    }
  }
}
