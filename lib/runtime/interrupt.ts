/**
 * Stopping cleanly: what a run leaves behind when it is interrupted (Ctrl-C,
 * SIGTERM, a killed kernel), and how the next run knows it.
 *
 * Every write in georepro is a temporary file or folder renamed into place
 * (atomic.ts, cache.ts): a reader never sees half a table or half a cache entry,
 * and an entry is complete exactly when its final name exists. What an
 * interruption can leave is the temporaries themselves (and, in a cache an older
 * version wrote, its pid-named `.lock` files). Their names carry the writer's pid and host
 * (`…tmp-<pid>@<host>…`), so whoever started the writer — the notebook runner
 * for its kernels, the workflow driver (scripts/workflow.ts) for its units — removes exactly the
 * ones of processes that are gone (`sweepAbandoned`), and a run's start clears
 * those of any dead process on this host. A temporary of another host is never
 * touched (its pid means nothing here).
 *
 * The runner reports an interruption in one line (`interruptedLine`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** This host's short name, as it appears in temporary names. */
export const HOST =
  os
    .hostname()
    .split(".")[0]
    .replace(/[^A-Za-z0-9_-]/g, "_") || "host";

/** The tag a temporary name carries: `tmp-<pid>@<host>`. */
export const tmpTag = (pid: number = process.pid): string => `tmp-${pid}@${HOST}`;

export interface TmpOwner {
  pid: number;
  /** null: a name from before host tags (this host's, by assumption). */
  host: string | null;
}

/**
 * The writer of a temporary, from its name: `x.tmp-123@host`, `.x.tmp-123@host.1700000000000`
 * (the current forms), and the older `x.tmp-123` and `.x.123.1700000000000.tmp`. null: not a temporary.
 */
export function tmpOwner(name: string): TmpOwner | null {
  let m = /\.tmp-(\d+)@([A-Za-z0-9_-]+)(?:\.\d+)?(?:\.[a-z]+)?$/.exec(name);
  if (m) return { pid: Number(m[1]), host: m[2] };
  m = /\.tmp-(\d+)$/.exec(name);
  if (m) return { pid: Number(m[1]), host: null };
  m = /^\..*\.(\d+)\.\d{10,}\.tmp$/.exec(name);
  if (m) return { pid: Number(m[1]), host: null };
  return null;
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface SweepOptions {
  /** Remove only what these pids wrote (they must be gone); default: what any dead pid of this host wrote. */
  pids?: readonly number[];
}

/**
 * Remove the temporaries (and older versions' pid-named locks) under `roots` that a process which is no longer
 * running left behind (see the file comment). Returns the removed paths. A missing root is fine.
 */
export function sweepAbandoned(roots: readonly string[], opts: SweepOptions = {}): string[] {
  const wanted = opts.pids ? new Set(opts.pids) : null;
  const gone = (pid: number) => (wanted ? wanted.has(pid) && !processAlive(pid) : !processAlive(pid));
  const removed: string[] = [];
  const visit = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      const owner = tmpOwner(e.name);
      if (owner && (owner.host === null || owner.host === HOST) && gone(owner.pid)) {
        fs.rmSync(p, { recursive: true, force: true });
        removed.push(p);
      } else if (e.name.endsWith(".lock") && e.isFile()) {
        const pid = Number(readSmall(p));
        if (pid > 0 && gone(pid)) {
          fs.rmSync(p, { force: true });
          removed.push(p);
        }
      } else if (e.isDirectory() && !owner) visit(p);
    }
  };
  for (const r of roots) visit(r);
  return removed;
}

function readSmall(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim().slice(0, 32);
  } catch {
    return "";
  }
}

/** Exit status of a process that stopped on `signal` (the shell's convention: 128 + its number). */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + (os.constants.signals[signal] ?? 15);

export interface RunState {
  finished: readonly string[];
  failed: readonly string[];
  /** Running when the signal came, with where each stopped ("cell 3/9") when known. */
  stopped: readonly { name: string; where?: string }[];
  notStarted: readonly string[];
}

/** The one line an interrupted run prints: what finished and what did not, and how to resume. */
export function interruptedLine(signal: string, state: RunState, elapsed: string, resume: string): string {
  const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "none");
  const parts = [`finished: ${list(state.finished)}`];
  if (state.failed.length) parts.push(`failed: ${list(state.failed)}`);
  const stopped = state.stopped.map((s) => (s.where ? `${s.name} (at ${s.where})` : s.name));
  parts.push(`stopped: ${list(stopped)}`);
  parts.push(`not started: ${list(state.notStarted)}`);
  return `interrupted by ${signal} after ${elapsed} — ${parts.join("; ")}. Finished work is cached and nothing half-written was left: ${resume} resumes from it.`;
}
