/**
 * Progress, information and warnings, routed by where the code runs.
 *
 * In a notebook (tslab kernel):
 *   - `progress()` is a bar that updates in place (one display entry, Jupyter's
 *     update_display_data), so the executed notebook keeps only its final line;
 *     tools/execute_notebook.py echoes the bar's updates to `make reproduce`'s terminal;
 *   - `log()` is information on stdout (plain output, never the red stderr block);
 *     cache hits are not printed one by one but summarised in one line per
 *     notebook that updates in place ("cache: 36 loaded, 2 computed");
 *   - `warn()` goes to stderr: in an executed notebook stderr means a warning or an error.
 * Outside a kernel (tests, scripts, benches) everything is a line on stderr.
 * Every line is also appended to the run's log file when one is set
 * (startNotebook sets <outDir>/volatile/logs/<notebook>.log).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { newDisplay, tslabDisplay, type TslabDisplay } from "./kernel";

export interface Progress {
  tick(note?: string): void;
  done(note?: string): void;
}

/** "12.3s", "9m05s" (whole seconds, rounded before splitting: 599.7 s is 10m00s, not 9m60s), "1.2h". */
export function formatSeconds(s: number): string {
  if (s < 59.95) return `${s.toFixed(1)}s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${(whole % 60).toString().padStart(2, "0")}s`;
  return `${(s / 3600).toFixed(1)}h`;
}

let logFile: string | null = null;

/** Append every progress / log / warning line to `file` (null: stop). */
export function setLogFile(file: string | null): void {
  logFile = file;
  if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
}

function toLogFile(line: string): void {
  if (!logFile) return;
  try {
    fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  } catch {
    logFile = null; // an unwritable log must never stop an experiment
  }
}

const inKernel = (): boolean => tslabDisplay() !== null;

/** A text bar: `████░░░░ 12/30 (40 %)`. */
export function bar(n: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(1, n / total) : 1;
  const full = Math.round(f * width);
  return `${"█".repeat(full)}${"░".repeat(width - full)} ${n}/${total} (${Math.round(f * 100)} %)`;
}

/** Prefix of progress displays; tools/execute_notebook.py echoes displays that start with it. */
export const PROGRESS_PREFIX = "[progress]";
const KERNEL_UPDATE_MS = 500;

export function progress(label: string, total: number, opts: { every?: number; write?: (line: string) => void } = {}): Progress {
  const start = Date.now();
  let n = 0;
  const elapsed = () => (Date.now() - start) / 1000;
  const eta = () => (n > 0 && n < total ? ` eta ${formatSeconds((elapsed() / n) * (total - n))}` : "");
  const display: TslabDisplay | null = opts.write ? null : newDisplay();
  if (display) {
    let last = 0;
    const show = (final: boolean, note?: string) => {
      const now = Date.now();
      if (!final && now - last < KERNEL_UPDATE_MS && n < total) return;
      last = now;
      const text = final
        ? `✓ ${label}: ${n}/${total} in ${formatSeconds(elapsed())}${note ? ` — ${note}` : ""}`
        : `${label} ${bar(n, total)} ${formatSeconds(elapsed())}${eta()}${note ? ` — ${note}` : ""}`;
      display.text(`${PROGRESS_PREFIX} ${text}`);
      toLogFile(`[${label}] ${text}`);
    };
    show(false);
    return { tick: (note) => (n++, show(false, note)), done: (note) => show(true, note ?? "done") };
  }
  const every = opts.every ?? Math.max(1, Math.ceil(total / 20));
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const line = (note?: string) => {
    const text = `[${label}] ${n}/${total} ${formatSeconds(elapsed())}${eta()}${note ? ` ${note}` : ""}`;
    write(text);
    toLogFile(text);
  };
  return {
    tick(note?: string) {
      n++;
      if (n % every === 0 || n === total || note) line(note);
    },
    done(note?: string) {
      line(note ?? "done");
    },
  };
}

/** An information line as it is (e.g. "[train x] epoch 3/15 …"): stdout in a notebook, stderr elsewhere. */
export function info(line: string): void {
  toLogFile(line);
  if (inKernel()) process.stdout.write(line + "\n");
  else process.stderr.write(line + "\n");
}

/** Information: stdout in a notebook, stderr elsewhere. */
export function log(tag: string, message: string): void {
  const line = `[${tag}] ${message}`;
  toLogFile(line);
  if (inKernel()) process.stdout.write(line + "\n");
  else process.stderr.write(line + "\n");
}

/**
 * Bookkeeping (what came from a cache, how many images were segmented): the
 * notebook's log file only, so it never sits under a notebook's answers; on
 * stderr outside a kernel.
 */
export function bookkeeping(tag: string, message: string): void {
  const line = `[${tag}] ${message}`;
  toLogFile(line);
  if (!inKernel()) process.stderr.write(line + "\n");
}

/** A warning: stderr everywhere (in a notebook, stderr means a warning or an error). */
export function warn(tag: string, message: string): void {
  const line = `[${tag}] warning: ${message}`;
  toLogFile(line);
  process.stderr.write(line + "\n");
}

// ---- cache summary ------------------------------------------------------------------------

const cacheCounts = { hit: new Map<string, number>(), miss: new Map<string, number>() };

const summarise = (m: Map<string, number>) =>
  [...m.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

/** One line for the whole notebook: what came from the cache and what was computed. */
export function cacheSummary(): string {
  const hits = [...cacheCounts.hit.values()].reduce((a, b) => a + b, 0);
  const misses = [...cacheCounts.miss.values()].reduce((a, b) => a + b, 0);
  return `cache: ${hits} loaded${hits ? ` (${summarise(cacheCounts.hit)})` : ""}, ${misses} computed${misses ? ` (${summarise(cacheCounts.miss)})` : ""}`;
}

/**
 * Count a cache lookup. Bookkeeping, not a result: in a notebook it goes to the
 * notebook's log file only (<outDir>/volatile/logs/NAME.log; the first screen is
 * the answer table, not a list of cache keys); elsewhere hits are logged on stderr.
 */
export function cacheEvent(kind: string, hit: boolean, key: string): void {
  const m = hit ? cacheCounts.hit : cacheCounts.miss;
  m.set(kind, (m.get(kind) ?? 0) + 1);
  toLogFile(`[cache] ${hit ? "hit" : "miss"} ${kind}/${key}`);
  if (!inKernel() && hit) process.stderr.write(`[cache] hit ${kind}/${key}\n`);
}
