/**
 * Independent tasks on one worker thread and, when the process was given two cores (GEOREPRO_THREADS),
 * a second one beside it — with the same results whichever thread runs which
 * task, because each task is a pure function of its arguments and a shared,
 * read-only context, and results come back in task order.
 *
 *   const out = await runTasks({ module: __filename-of-the-task-module, fn: "name", context, tasks });
 *
 * `module` is the absolute path of a compiled module that exports `fn(context,
 * args)`; each worker (./pool-worker.ts) requires it, so the function must not
 * close over anything but its module. The context is sent to a worker once per
 * call: typed arrays on SharedArrayBuffers are shared, not copied
 * (lib/localwords/corpus.ts builds its users' index on them), everything else
 * is cloned.
 *
 * Why workers even for one thread: the calling thread of a notebook holds the
 * whole corpus (at the papers' size, millions of strings), and every full
 * garbage collection there walks all of it; a worker's heap holds one task's
 * data, so the tasks' allocations are collected cheaply. `inline: true` runs
 * the tasks on the calling thread instead (small inputs, tests).
 *
 * Whether the second worker runs follows the load, as the training engine's
 * helper does (./slots.ts `helperWanted`: the unit's GEOREPRO_THREADS,
 * GEOREPRO_TRAIN_WORKERS=auto|on|off); it is asked before each task it would
 * take.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";

export interface TaskSpec<C, A, R> {
  /** Absolute path of the compiled module that exports `fn`. */
  module: string;
  fn: string;
  context: C;
  tasks: readonly A[];
  /** Whether the second worker may take the next task (asked before each; default: never). */
  helper?: () => boolean;
  /** Run every task on the calling thread (no worker). */
  inline?: boolean;
  /** The order to start tasks in (default: as listed); the longest first keeps the two threads busy to the end. */
  order?: readonly number[];
  /** Called on this thread as each task finishes (in completion order). */
  onDone?: (index: number, result: R) => void;
}

type Reply = { type: "done"; index: number; result: unknown } | { type: "error"; index: number; message: string };

const workers: (Worker | null)[] = [null, null];
let contextSeq = 0;

function workerAt(w: number): Worker {
  let wk = workers[w];
  if (!wk) {
    wk = new Worker(path.join(__dirname, "pool-worker.js"));
    wk.unref();
    const me = wk;
    wk.on("exit", () => {
      if (workers[w] === me) workers[w] = null;
    });
    workers[w] = wk;
  }
  return wk;
}

export async function runTasks<C, A, R>(spec: TaskSpec<C, A, R>): Promise<R[]> {
  const results = new Array<R>(spec.tasks.length);
  if (spec.inline) {
    const fn = (require(spec.module) as Record<string, (c: C, a: A) => R>)[spec.fn];
    if (typeof fn !== "function") throw new Error(`pool: ${spec.module} exports no function ${spec.fn}`);
    for (const i of spec.order ?? spec.tasks.map((_, j) => j)) {
      results[i] = fn(spec.context, spec.tasks[i]);
      spec.onDone?.(i, results[i]);
    }
    return results;
  }
  const ctxId = ++contextSeq;
  const busy = [false, false];
  const started: Worker[] = [];
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
  let next = 0;
  let done = 0;
  const listeners = new Map<Worker, { message: (m: Reply) => void; error: (e: Error) => void }>();
  const attach = (w: number): Worker => {
    const wk = workerAt(w);
    if (!listeners.has(wk)) {
      const message = (m: Reply) => {
        busy[w] = false;
        if (m.type === "done") {
          results[m.index] = m.result as R;
          done++;
          spec.onDone?.(m.index, m.result as R);
        } else failed ??= new Error(`task ${m.index} on a worker thread: ${m.message}`);
        wake?.();
      };
      const error = (e: Error) => {
        busy[w] = false;
        failed ??= e;
        wake?.();
      };
      wk.on("message", message);
      wk.on("error", error);
      listeners.set(wk, { message, error });
      wk.postMessage({ type: "context", id: ctxId, module: spec.module, fn: spec.fn, context: spec.context });
      started.push(wk);
    }
    return wk;
  };
  try {
    while (done < spec.tasks.length) {
      if (failed) throw failed;
      for (let w = 0; w < 2 && next < spec.tasks.length; w++) {
        if (busy[w]) continue;
        // The first worker stands in for this thread; the second runs only while a slot is free.
        if (w === 1 && !(spec.tasks.length - next > 0 && spec.helper?.())) continue;
        const wk = attach(w);
        wk.ref();
        busy[w] = true;
        const index = spec.order ? spec.order[next] : next;
        wk.postMessage({ type: "task", id: ctxId, index, args: spec.tasks[index] });
        next++;
      }
      if (done < spec.tasks.length) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      for (let w = 0; w < 2; w++) if (!busy[w]) workers[w]?.unref();
    }
    if (failed) throw failed;
  } finally {
    for (const wk of started) {
      wk.postMessage({ type: "release", id: ctxId });
      const l = listeners.get(wk)!;
      wk.off("message", l.message);
      wk.off("error", l.error);
      wk.unref();
    }
  }
  return results;
}
