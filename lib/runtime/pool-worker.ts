/**
 * The helper thread of ./pool.ts: holds each call's context, runs the tasks it
 * is sent with the named function of the named module, and replies with the
 * result (or the error's stack).
 */
import { parentPort } from "node:worker_threads";

type Message =
  | { type: "context"; id: number; module: string; fn: string; context: unknown }
  | { type: "task"; id: number; index: number; args: unknown }
  | { type: "release"; id: number };

const contexts = new Map<number, { fn: (c: unknown, a: unknown) => unknown; context: unknown }>();

/**
 * A full collection after each task: a worker's JS heap stays small, so V8
 * rarely collects it on its own, while a task's typed arrays (hundreds of MB at
 * the papers' size) live outside it and would pile up in resident memory.
 */
const collect: (() => void) | null = (() => {
  try {
    require("node:v8").setFlagsFromString("--expose-gc");
    return require("node:vm").runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
})();

if (parentPort) {
  const port = parentPort;
  port.on("message", (m: Message) => {
    if (m.type === "context") {
      const fn = (require(m.module) as Record<string, (c: unknown, a: unknown) => unknown>)[m.fn];
      contexts.set(m.id, { fn, context: m.context });
      return;
    }
    if (m.type === "release") {
      contexts.delete(m.id);
      return;
    }
    try {
      const c = contexts.get(m.id);
      if (!c) throw new Error(`no context ${m.id}`);
      if (typeof c.fn !== "function") throw new Error("the module exports no such function");
      const result = c.fn(c.context, m.args);
      collect?.();
      port.postMessage({ type: "done", index: m.index, result });
    } catch (e) {
      port.postMessage({ type: "error", index: m.index, message: (e as Error).stack ?? String(e) });
    }
  });
}
