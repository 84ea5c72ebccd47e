/**
 * Independent tasks on this thread and, while a notebook slot is free, on one
 * helper thread beside it — with the same results whichever thread runs which
 * task, because each task is a pure function of its arguments and a shared,
 * read-only context, and results come back in task order.
 *
 *   const out = await runTasks({ module: __filename-of-the-task-module, fn: "name", context, tasks });
 *
 * `module` is the absolute path of a compiled module that exports `fn(context,
 * args)`; the helper thread (./pool-worker.ts) requires it, so the function
 * must not close over anything but its module. The context is sent to the
 * helper once per call: typed arrays on SharedArrayBuffers are shared, not
 * copied (lib/localwords/corpus.ts builds its users' index on them), everything
 * else is cloned.
 *
 * Whether the helper runs follows the load, as the training engine's helper
 * does (lib/training/engine/parallel.ts `helperWanted`: a free notebook slot,
 * GEOREPRO_TRAIN_WORKERS=auto|on|off); it is asked before each task it would
 * take, so a notebook that starts beside this one gets its core back at the
 * next task boundary.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";

export interface TaskSpec<C, A, R> {
  /** Absolute path of the compiled module that exports `fn`. */
  module: string;
  fn: string;
  context: C;
  tasks: readonly A[];
  /** Whether the helper thread may take the next task (asked before each; default: never). */
  helper?: () => boolean;
  /** Called on this thread as each task finishes (in completion order). */
  onDone?: (index: number, result: R) => void;
}

type Reply = { type: "ready" } | { type: "done"; index: number; result: unknown } | { type: "error"; index: number; message: string };

let shared: Worker | null = null;
let contextSeq = 0;

function helperThread(): Worker {
  if (!shared) {
    shared = new Worker(path.join(__dirname, "pool-worker.js"));
    shared.unref();
    shared.on("exit", () => (shared = null));
  }
  return shared;
}

/** Yield to the event loop (helper replies are messages). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runTasks<C, A, R>(spec: TaskSpec<C, A, R>): Promise<R[]> {
  const mod = require(spec.module) as Record<string, (c: C, a: A) => R>;
  const fn = mod[spec.fn];
  if (typeof fn !== "function") throw new Error(`pool: ${spec.module} exports no function ${spec.fn}`);
  const results = new Array<R>(spec.tasks.length);
  let next = 0;
  let helper: Worker | null = null;
  let helperBusy = false;
  let helperFailed: Error | null = null;
  let wake: (() => void) | null = null;
  const ctxId = ++contextSeq;
  const onMessage = (m: Reply) => {
    if (m.type === "done") {
      results[m.index] = m.result as R;
      spec.onDone?.(m.index, m.result as R);
      helperBusy = false;
    } else if (m.type === "error") {
      helperFailed = new Error(`task ${m.index} on the helper thread: ${m.message}`);
      helperBusy = false;
    }
    wake?.();
  };
  const onError = (e: Error) => {
    helperFailed = e;
    helperBusy = false;
    wake?.();
  };
  try {
    while (next < spec.tasks.length || helperBusy) {
      if (helperFailed) throw helperFailed;
      if (!helperBusy && next < spec.tasks.length && spec.tasks.length - next > 1 && spec.helper?.()) {
        if (!helper) {
          helper = helperThread();
          helper.on("message", onMessage);
          helper.on("error", onError);
          helper.postMessage({ type: "context", id: ctxId, module: spec.module, fn: spec.fn, context: spec.context });
        }
        helper.ref();
        helperBusy = true;
        helper.postMessage({ type: "task", id: ctxId, index: next, args: spec.tasks[next] });
        next++;
      }
      if (next < spec.tasks.length) {
        const i = next++;
        results[i] = fn(spec.context, spec.tasks[i]);
        spec.onDone?.(i, results[i]);
        await turn();
        continue;
      }
      if (helperBusy) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    if (helperFailed) throw helperFailed;
  } finally {
    if (helper) {
      helper.postMessage({ type: "release", id: ctxId });
      helper.off("message", onMessage);
      helper.off("error", onError);
      helper.unref();
    }
  }
  return results;
}
