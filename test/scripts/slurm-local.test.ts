/**
 * The one-node Slurm cluster (scripts/slurm-local.ts) for real: munged, slurmctld and slurmd from
 * Debian, a batch job through `sbatch --wait`, and every daemon it started gone afterwards — also when
 * the start fails half-way. Needs Debian's slurmd, slurmctld, slurm-client and munge, and root: skips
 * without them, fails under CI=true (`make test` installs them).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { testNeeding } from "../support/requires";
import {
  clusterEnv,
  clusterStatus,
  daemonPid,
  layout,
  missingTools,
  slurmConf,
  closedAncestor,
  mountCgroupsForSlurmd,
  startCluster,
  stopCluster,
  TOOLS,
} from "../../scripts/slurm-local";
import { fromRoot } from "../../lib/runtime/paths";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^State:\s+(\S)/m)?.[1] !== "Z";
  } catch {
    return false;
  }
};

test("slurm.conf: one node on this host, munge on the cluster's own socket, no cgroups, no accounting", () => {
  const l = layout("/x/c");
  const conf = slurmConf(l, { host: "node1", cpus: 4, memoryMb: 1000, ctldPort: 1234, slurmdPort: 1235 });
  for (const line of [
    "SlurmctldHost=node1(127.0.0.1)",
    "AuthInfo=socket=/x/c/munge/munge.socket",
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "AccountingStorageType=accounting_storage/none",
    "SlurmctldPort=1234",
    "SlurmdPidFile=/x/c/slurmd.pid",
    "NodeName=node1 NodeAddr=127.0.0.1 CPUs=4 RealMemory=1000 State=UNKNOWN",
    "PartitionName=main Nodes=node1 Default=YES MaxTime=INFINITE State=UP",
  ])
    assert.ok(conf.split("\n").includes(line), `missing: ${line}`);
});

testNeeding(
  "a one-node cluster starts, runs an sbatch --wait job, and stops every daemon it started",
  missingTools() ?? false,
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slurm-"));
    fs.chmodSync(dir, 0o755); // munged runs as user munge: it must reach the cluster folder
    const cluster = path.join(dir, "cluster");
    let pids: number[] = [];
    try {
      await startCluster(cluster);
      const status = clusterStatus(cluster);
      pids = Object.values(status.daemons).filter((p): p is number => p !== null);
      assert.equal(pids.length, 3, JSON.stringify(status));
      assert.match(status.node ?? "", /^idle/);
      // A second start on the same folder is refused, and leaves the running cluster alone.
      await assert.rejects(startCluster(cluster), /already runs munged, slurmctld, slurmd; stop it first/);
      const result = path.join(dir, "job-result.txt");
      const r = spawnSync(
        TOOLS.sbatch,
        ["--wait", "-o", path.join(dir, "job-%j.out"), "--wrap", `echo "job $SLURM_JOB_ID on $SLURMD_NODENAME" > ${result}`],
        { env: { ...process.env, ...clusterEnv(cluster) }, encoding: "utf8", timeout: 120_000, cwd: dir },
      );
      assert.equal(r.status, 0, `sbatch: ${r.stdout} ${r.stderr}`);
      assert.match(r.stdout, /Submitted batch job (\d+)/);
      const jobId = /Submitted batch job (\d+)/.exec(r.stdout)![1];
      assert.equal(fs.readFileSync(result, "utf8").trim(), `job ${jobId} on ${os.hostname().split(".")[0]}`);
    } finally {
      const stopped = await stopCluster(cluster);
      assert.equal(stopped.length, pids.length || stopped.length);
    }
    for (const pid of pids) assert.ok(!alive(pid), `daemon ${pid} still runs`);
    for (const d of ["munged", "slurmctld", "slurmd"] as const) assert.equal(daemonPid(cluster, d), null);
    assert.deepEqual(await stopCluster(cluster), [], "a second stop finds nothing to stop");
  },
);

testNeeding(
  "a start that fails half-way stops what it had started (munged as root in a folder closed to others)",
  missingTools() ?? false,
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slurm-bad-")); // mkdtemp: 0700, closed to the munge user
    const cluster = path.join(dir, "cluster");
    assert.equal(closedAncestor(cluster), dir);
    const said: string[] = [];
    // Configured with more CPUs than the machine has, the node never becomes idle.
    await assert.rejects(
      startCluster(cluster, { timeoutS: 8, nodeCpus: 4096, log: (m) => said.push(m) }),
      /the node idle in sinfo did not happen within 8 s[\s\S]*stopped what it had started: slurmd \(pid \d+\), slurmctld \(pid \d+\), munged \(pid \d+\)/,
    );
    assert.ok(said.includes(`starting munged as root (${dir} is closed to the munge user)`), said.join("\n"));
    for (const d of ["munged", "slurmctld", "slurmd"] as const) assert.equal(daemonPid(cluster, d), null);
    fs.chmodSync(dir, 0o755);
    assert.equal(closedAncestor(cluster), closedAncestor(os.tmpdir()));
  },
);

test("slurmd's cgroup tree is mounted only where no cgroup file system is", () => {
  // A host with its cgroup tree (v1 hierarchies, or v2 alone) is left as it is: nothing to mount.
  assert.deepEqual(mountCgroupsForSlurmd("tmpfs /sys/fs/cgroup tmpfs rw 0 0\ncgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"), []);
  assert.deepEqual(mountCgroupsForSlurmd("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"), []);
  // (The mounting path itself runs in fresh-machine's chroot, which mounts /sys but no cgroup tree: the two
  // cluster tests above start slurmd there.)
});

test("the CLI says what it needs", () => {
  const r = spawnSync(process.execPath, [fromRoot("dist", "scripts", "slurm-local.js")], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage: slurm-local start\|stop\|status\|env DIR/);
  assert.ok(layout("c").conf.endsWith(path.join("c", "slurm.conf")));
});
