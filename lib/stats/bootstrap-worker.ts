/**
 * The helper thread of ./parallel.ts: replicates [from, to) of a bootstrap
 * from the sampler state it is given, with the statistics of ./paired.ts.
 */
import { parentPort } from "node:worker_threads";
import { replicateRange } from "./bootstrap";
import { METRICS } from "./metrics";
import { samplerFromState } from "./resample";
import type { WorkerJob } from "./parallel";

if (parentPort)
  parentPort.on("message", (job: WorkerJob) => {
    try {
      const n = job.to - job.from;
      const statistics =
        job.kind === "paired"
          ? (() => {
              const f = METRICS[job.metrics[0]].compute;
              const [a, b] = job.systems;
              return (g: number, idx: Int32Array) => {
                const va = f(a[g], idx);
                const vb = f(b[g], idx);
                return [va, vb, va - vb];
              };
            })()
          : (g: number, idx: Int32Array) => job.metrics.map((m) => METRICS[m].compute(job.systems[0][g], idx));
      const k = job.kind === "paired" ? 3 : job.metrics.length;
      const reps = Array.from({ length: k }, () => new Float64Array(n));
      replicateRange(job.sizes, job.leaders, statistics, samplerFromState(job.state), job.from, job.to, reps, job.from);
      reps.forEach((r, s) => job.out.set(r, s * n));
    } catch (e) {
      process.stderr.write(`bootstrap helper: ${(e as Error).stack}\n`);
      Atomics.store(job.ctl, 1, 1);
    }
    Atomics.store(job.ctl, 0, 1);
    Atomics.notify(job.ctl, 0);
  });
