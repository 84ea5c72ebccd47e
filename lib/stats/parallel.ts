/**
 * The second half of a bootstrap's replicates on a helper thread
 * (./bootstrap-worker.ts), for the statistics ./paired.ts computes: metrics of
 * one system, or a paired comparison of two (A, B, A − B). The helper gets the
 * outcomes on shared memory and the sampler's state after the first half's
 * draws (./resample.ts jumps there directly), and runs the same code on the
 * same items: the intervals do not depend on whether it ran. This thread waits
 * for it synchronously (Atomics), so callers stay synchronous.
 *
 * It runs only while a second thread is welcome (lib/runtime/slots.ts: a free
 * notebook slot, GEOREPRO_TRAIN_WORKERS) and the bootstrap is large enough
 * to pay for starting it (a table over 47,000 test users × 10 splits draws a
 * billion indices; a test's hundred items do not).
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { helperWanted } from "../runtime/slots";
import type { MetricId, Outcomes } from "./metrics";
import type { ReplicateHelper } from "./bootstrap";

/** Draws below which a bootstrap runs on this thread alone. */
export const PARALLEL_MIN_DRAWS = 20_000_000;

export interface ReplicateJob {
  kind: "metrics" | "paired";
  metrics: MetricId[];
  /** Per system (1 for "metrics", 2 for "paired"), per test set. */
  systems: Outcomes[][];
  sizes: number[];
  /** Leader test set of each test set's group. */
  leaders: number[];
}

/** What the worker gets (typed arrays on SharedArrayBuffers). */
export interface WorkerJob extends ReplicateJob {
  state: Int32Array;
  from: number;
  to: number;
  /** k statistics × (to − from) replicate values, written by the worker. */
  out: Float64Array;
  /** [done, failed]. */
  ctl: Int32Array;
}

let worker: Worker | null = null;

function shared<T extends Int32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(a.length * Ctor.BYTES_PER_ELEMENT));
  out.set(a);
  return out;
}

const sharedOutcomes = (o: Outcomes): Outcomes => ({
  truth: shared(o.truth),
  predicted: shared(o.predicted),
  ...(o.errorKm ? { errorKm: shared(o.errorKm) } : {}),
});

/** A helper for this bootstrap, or null when it should run on this thread alone. */
export function replicateHelper(job: ReplicateJob, replicates: number, env: NodeJS.ProcessEnv = process.env): ReplicateHelper | null {
  const perReplicate = job.sizes.reduce((a, n, g) => a + (job.leaders[g] === g ? n : 0), 0);
  if (perReplicate * replicates < PARALLEL_MIN_DRAWS || !helperWanted(env)) return null;
  const k = job.kind === "paired" ? 3 : job.metrics.length;
  let pending: { ctl: Int32Array; out: Float64Array; n: number } | null = null;
  return {
    start(state, from, to) {
      if (!worker) {
        worker = new Worker(path.join(__dirname, "bootstrap-worker.js"));
        worker.on("exit", () => (worker = null));
      }
      worker.unref();
      const n = to - from;
      const ctl = new Int32Array(new SharedArrayBuffer(8));
      const out = new Float64Array(new SharedArrayBuffer(8 * k * n));
      const msg: WorkerJob = {
        ...job,
        systems: job.systems.map((sets) => sets.map(sharedOutcomes)),
        state: shared(state),
        from,
        to,
        out,
        ctl,
      };
      worker.postMessage(msg);
      pending = { ctl, out, n };
    },
    finish() {
      const p = pending!;
      const t0 = Date.now();
      while (Atomics.load(p.ctl, 0) === 0) {
        Atomics.wait(p.ctl, 0, 0, 1000);
        if (Date.now() - t0 > 3_600_000) throw new Error("bootstrap: the helper thread stopped answering");
      }
      if (Atomics.load(p.ctl, 1)) throw new Error("bootstrap: the helper thread failed (its message is above)");
      return Array.from({ length: k }, (_, s) => Float64Array.from(p.out.subarray(s * p.n, (s + 1) * p.n)));
    },
  };
}
