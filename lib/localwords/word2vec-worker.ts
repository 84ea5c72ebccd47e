/**
 * The helper thread of ./word2vec.ts: instantiates the SGNS kernel on the
 * training's shared memory and runs what the main thread asks through the
 * control block (Atomics, no messages in the hot path): train one shard's
 * round, or merge the first half of the rows of both matrices. One training at
 * a time; `quit` returns to the event loop for the next one.
 */
import { parentPort } from "node:worker_threads";
import type { SgnsKernels } from "./word2vec";

// Mirrors of ./word2vec.ts's CTL and CMD (a worker must not import the module that starts it twice over).
const CTL = { cmd: 0, result: 1, ready: 2, error: 3, arg0: 4 } as const;
const CMD = { idle: 0, train: 1, merge: 2, quit: 3 } as const;
const CTL_INTS = 16;

interface Start {
  memory: { buffer: SharedArrayBuffer };
  module: object;
  ctl: number;
}
const WA = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: unknown } } }).WebAssembly;

if (parentPort)
  parentPort.on("message", (m: Start) => {
    const ctl = new Int32Array(m.memory.buffer, m.ctl, CTL_INTS);
    let k: SgnsKernels;
    try {
      k = new WA.Instance(m.module, { env: { memory: m.memory } }).exports as SgnsKernels;
    } catch (e) {
      process.stderr.write(`word2vec helper: ${(e as Error).stack}\n`);
      return; // the main thread times out waiting for `ready` and runs both shards itself
    }
    Atomics.store(ctl, CTL.error, 0);
    Atomics.store(ctl, CTL.ready, 1);
    Atomics.notify(ctl, CTL.ready);
    for (;;) {
      Atomics.wait(ctl, CTL.cmd, CMD.idle);
      const cmd = Atomics.load(ctl, CTL.cmd);
      if (cmd === CMD.quit) {
        Atomics.store(ctl, CTL.cmd, CMD.idle);
        return;
      }
      const a = (i: number) => ctl[CTL.arg0 + i];
      try {
        if (cmd === CMD.train) ctl[CTL.result] = k.sgns_train(a(0));
        else if (cmd === CMD.merge) {
          k.sgns_merge(a(0), a(1), a(2), a(6));
          k.sgns_merge(a(3), a(4), a(5), a(6));
        } else throw new Error(`unknown command ${cmd}`);
      } catch (e) {
        process.stderr.write(`word2vec helper: ${(e as Error).stack}\n`);
        Atomics.store(ctl, CTL.error, 1);
      }
      Atomics.store(ctl, CTL.cmd, CMD.idle);
      Atomics.notify(ctl, CTL.cmd);
    }
  });
