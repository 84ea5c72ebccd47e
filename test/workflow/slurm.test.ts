/**
 * make reproduce CLUSTER=slurm for real: a one-node Slurm cluster (scripts/slurm-local.ts: munged,
 * slurmctld, slurmd from Debian), the experiment graph of three small notebooks and the report submitted
 * by Snakemake's generic cluster executor (workflow/profiles/slurm: sbatch) — two notebooks (a seeded
 * cached computation, a cached folder) and the report — and the same graph on local cores from an empty cache: tables, figures,
 * provenance and claims must be byte-identical, every unit
 * must have been a Slurm job, and every daemon the test started must be gone. Skips without Debian's
 * slurm/munge, snakemake or Jupyter; fails under CI=true (`make test` installs them).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { testNeeding } from "../support/requires";
import { clusterEnv, daemonPid, missingTools, startCluster, stopCluster } from "../../scripts/slurm-local";
import { deterministicOutputs, leftovers, missingJupyter, missingSnakemake, processesWith, runWorkflow, writeNotebooks } from "./helpers";

testNeeding(
  "the graph on a one-node Slurm cluster writes byte-identical outputs to the local run, and every daemon stops",
  missingTools() ?? missingJupyter() ?? missingSnakemake() ?? false,
  async () => {
    const files = writeNotebooks().slice(0, 2); // 91-a, 92-b (after 91-a): a small graph keeps the test short
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-slurm-"));
    fs.chmodSync(dir, 0o755); // munged runs as user munge: it must reach the cluster folder
    const cluster = path.join(dir, "cluster");
    // Both runs write to the same paths (provenance names the run's parameters), each from an empty cache.
    const out = path.join(dir, "out");
    const cache = path.join(dir, "cache");
    const env = { GEOREPRO_OUT: out, GEOREPRO_CACHE: cache, TEST_COUNTER: path.join(dir, "computed") };

    let t = Date.now();
    const local = await runWorkflow(files, { ...env, CLUSTER: "local" });
    console.log(`local run: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    assert.equal(local.status, 0, local.stderr);
    const expected = deterministicOutputs(out);
    assert.ok(expected.has("tables/wf-a.csv") && expected.has("provenance/wf-b.json"), [...expected.keys()].join(", "));
    fs.renameSync(out, path.join(dir, "out-local"));
    fs.renameSync(cache, path.join(dir, "cache-local"));

    try {
      await startCluster(cluster);
      t = Date.now();
      const r = await runWorkflow(files, { ...env, ...clusterEnv(cluster), CLUSTER: "slurm" });
      console.log(`Slurm run: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /Snakemake on Slurm \(sbatch\)/);
      const jobs = fs.readdirSync(path.join(cache, "workflow", "slurm")).filter((f) => f.endsWith(".log"));
      assert.deepEqual(
        jobs.map((f) => f.replace(/^\d+-/, "")).sort(),
        ["u_nb_91_a.log", "u_nb_92_b.log", "u_report.log"],
        "every unit ran as a Slurm job",
      );
    } finally {
      await stopCluster(cluster);
    }
    for (const d of ["munged", "slurmctld", "slurmd"] as const) assert.equal(daemonPid(cluster, d), null, `${d} still runs`);
    assert.deepEqual(processesWith(`GEOREPRO_OUT=${out}`), [], "no unit left running");
    const got = deterministicOutputs(out);
    assert.deepEqual([...got.keys()], [...expected.keys()]);
    for (const [f, bytes] of expected) assert.equal(got.get(f), bytes, `${f} differs between the Slurm and the local run`);
    assert.deepEqual(leftovers([cache, out]), []);
  },
);
