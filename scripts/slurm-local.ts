/**
 * A one-node Slurm cluster on this machine, in a folder of its own, for tests
 * (the workflow's cluster profile is tested against it).
 *
 *   node dist/scripts/slurm-local.js start DIR    munged, slurmctld, slurmd; waits until the node is idle
 *   node dist/scripts/slurm-local.js stop DIR     stops exactly the daemons `start` started (by their pid files)
 *   node dist/scripts/slurm-local.js status DIR   which of them run, and sinfo
 *   node dist/scripts/slurm-local.js env DIR      the line to source for sbatch/sinfo: export SLURM_CONF=…
 *
 * It installs nothing: Debian's slurmd, slurmctld, slurm-client and munge must be
 * there (`make test` installs them through TEST_APT_PACKAGES); `missingTools()`
 * says what is absent. It must run as root (slurmd starts jobs as their user).
 *
 * Everything lives under DIR, so it needs nothing a bare chroot lacks (no
 * systemd, no /run/munge, no /etc/slurm): its own MUNGE key and munged on its
 * own socket (started as the munge user with runuser; as root with --force where
 * an ancestor folder is closed to other users, see closedAncestor), a
 * slurm.conf for this host only (the recipe in ../shared/notes/stack-findings.md:
 * no cgroups — proctrack/linuxproc, task/none —, no accounting), state, spool,
 * logs and pid files, and two free TCP ports on 127.0.0.1. A system munged or
 * another cluster on the machine is never touched. A start that fails stops
 * whatever it had started before it throws, with the daemons' last log lines.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const TOOLS = {
  munged: "/usr/sbin/munged",
  munge: "/usr/bin/munge",
  unmunge: "/usr/bin/unmunge",
  runuser: "/usr/sbin/runuser",
  slurmctld: "/usr/sbin/slurmctld",
  slurmd: "/usr/sbin/slurmd",
  sinfo: "/usr/bin/sinfo",
  sbatch: "/usr/bin/sbatch",
  scontrol: "/usr/bin/scontrol",
} as const;
/** The Debian package of each tool (what `make test` installs). */
const PACKAGE: Record<keyof typeof TOOLS, string> = {
  munged: "munge",
  munge: "munge",
  unmunge: "munge",
  runuser: "util-linux",
  slurmctld: "slurmctld",
  slurmd: "slurmd",
  sinfo: "slurm-client",
  sbatch: "slurm-client",
  scontrol: "slurm-client",
};

/** What is missing to run a cluster here (null: nothing), naming the Debian packages. */
export function missingTools(): string | null {
  const absent = (Object.keys(TOOLS) as (keyof typeof TOOLS)[]).filter((t) => !fs.existsSync(TOOLS[t]));
  const problems: string[] = [];
  if (absent.length)
    problems.push(`${absent.map((t) => TOOLS[t]).join(", ")} missing (Debian: ${[...new Set(absent.map((t) => PACKAGE[t]))].join(" ")})`);
  // stop finds its daemons through /proc, and slurmd's proctrack/linuxproc reads it: a chroot must mount it.
  if (!fs.existsSync("/proc/self/cmdline")) problems.push("no /proc (a chroot needs it mounted: mount -t proc proc /proc)");
  if (process.getuid?.() !== 0) problems.push("not root (slurmd runs jobs as their user; munged is started as the munge user)");
  else if (!userId("munge")) problems.push("no munge user (Debian's munge package creates it)");
  return problems.length ? problems.join("; ") : null;
}

function userId(name: string): { uid: number; gid: number } | null {
  try {
    const line = fs
      .readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${name}:`));
    if (!line) return null;
    const f = line.split(":");
    return { uid: Number(f[2]), gid: Number(f[3]) };
  } catch {
    return null;
  }
}

/** The files of a cluster folder. */
export function layout(dir: string) {
  const d = path.resolve(dir);
  return {
    dir: d,
    conf: path.join(d, "slurm.conf"),
    munge: path.join(d, "munge"),
    mungeKey: path.join(d, "munge", "munge.key"),
    mungeSocket: path.join(d, "munge", "munge.socket"),
    mungePid: path.join(d, "munge", "munged.pid"),
    mungeLog: path.join(d, "munge", "munged.log"),
    mungeSeed: path.join(d, "munge", "munged.seed"),
    state: path.join(d, "state"),
    spool: path.join(d, "spool"),
    logs: path.join(d, "logs"),
    ctldPid: path.join(d, "slurmctld.pid"),
    slurmdPid: path.join(d, "slurmd.pid"),
    /** The cgroup mounts `start` made for slurmd (one per line), which `stop` undoes. */
    cgroupMounts: path.join(d, "cgroup-mounts"),
  };
}
type Layout = ReturnType<typeof layout>;

/** The short host name: Slurm matches SlurmctldHost and NodeName against it. */
export const shortHost = (): string => os.hostname().split(".")[0];

/** The environment Slurm's client commands need to reach this cluster. */
export const clusterEnv = (dir: string): Record<string, string> => ({ SLURM_CONF: layout(dir).conf });

/** A TCP port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** slurm.conf for one node, this host, everything under the cluster folder (pure: tests read it). */
export function slurmConf(
  l: Pick<Layout, "mungeSocket" | "state" | "spool" | "logs" | "ctldPid" | "slurmdPid">,
  o: { host: string; cpus: number; memoryMb: number; ctldPort: number; slurmdPort: number },
): string {
  return (
    [
      "# Written by scripts/slurm-local.ts: a one-node cluster for tests. No cgroups, no accounting.",
      "ClusterName=georepro-local",
      `SlurmctldHost=${o.host}(127.0.0.1)`,
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${l.mungeSocket}`,
      "SlurmUser=root",
      "SlurmdUser=root",
      `SlurmctldPort=${o.ctldPort}`,
      `SlurmdPort=${o.slurmdPort}`,
      `StateSaveLocation=${l.state}`,
      `SlurmdSpoolDir=${l.spool}`,
      `SlurmctldPidFile=${l.ctldPid}`,
      `SlurmdPidFile=${l.slurmdPid}`,
      `SlurmctldLogFile=${path.join(l.logs, "slurmctld.log")}`,
      `SlurmdLogFile=${path.join(l.logs, "slurmd.log")}`,
      "SlurmctldDebug=info",
      "SlurmdDebug=info",
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "JobCompType=jobcomp/none",
      "MpiDefault=none",
      "SwitchType=switch/none",
      "SchedulerType=sched/backfill",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_Core",
      "ReturnToService=2",
      "SlurmdTimeout=60",
      "InactiveLimit=0",
      "KillWait=5",
      `NodeName=${o.host} NodeAddr=127.0.0.1 CPUs=${o.cpus} RealMemory=${o.memoryMb} State=UNKNOWN`,
      `PartitionName=main Nodes=${o.host} Default=YES MaxTime=INFINITE State=UP`,
    ].join("\n") + "\n"
  );
}

const DAEMONS = ["munged", "slurmctld", "slurmd"] as const;
type Daemon = (typeof DAEMONS)[number];
const pidFileOf = (l: Layout, d: Daemon): string => (d === "munged" ? l.mungePid : d === "slurmctld" ? l.ctldPid : l.slurmdPid);

/** The daemon's pid from its pid file, if that process is alive and is that daemon (a reused pid is not). */
export function daemonPid(dir: string, d: Daemon): number | null {
  const file = pidFileOf(layout(dir), d);
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    return path.basename(cmd) === d ? pid : null;
  } catch {
    return null;
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs, env: { ...process.env, ...env } });
  return { ok: r.status === 0, out: (r.stdout ?? "").trim(), err: (r.stderr ?? "").trim() || (r.error?.message ?? "") };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, n = 8): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-n).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitFor(what: string, ok: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`slurm-local: ${what} did not happen within ${timeoutMs / 1000} s\n${explain()}`);
    await sleep(250);
  }
}

/** The node's state as sinfo reports it ("idle", "down*", …), or null when slurmctld does not answer. */
export function nodeState(dir: string): string | null {
  const r = run(TOOLS.sinfo, ["-h", "-N", "-o", "%t"], clusterEnv(dir), 10_000);
  return r.ok ? r.out.split("\n")[0]?.trim() || null : null;
}

export interface StartOptions {
  /** Seconds to wait for each daemon and for the node to be idle (default 60). */
  timeoutS?: number;
  /** CPUs the node is configured with (default: this machine's). More than there are leaves it invalid (tests' failure path). */
  nodeCpus?: number;
  log?: (line: string) => void;
}

const CGROUP_ROOT = "/sys/fs/cgroup";

/**
 * slurmd 22.05 loads a cgroup plugin even with proctrack/linuxproc and task/none, and refuses to start
 * when nothing is mounted on /sys/fs/cgroup ("No filesystem mounted on /sys/fs/cgroup"), as in a bare
 * chroot (fresh-machine mounts /sys, not the cgroup tree). Its cgroup/v1 autodetection needs a tmpfs
 * there and a named "systemd" hierarchy (no controllers, so nothing is limited or accounted); cgroup/v2
 * is refused on hosts whose controllers sit in v1 hierarchies ("hybrid mode"). Mounted only where no
 * cgroup file system is mounted at all; returns the mount points made, innermost last.
 */
export function mountCgroupsForSlurmd(mounts: string = fs.readFileSync("/proc/mounts", "utf8")): string[] {
  const mounted = mounts.split("\n").some((l) => {
    const at = l.split(" ")[1] ?? "";
    return at === CGROUP_ROOT || at.startsWith(CGROUP_ROOT + "/");
  });
  if (mounted) return [];
  const made: string[] = [];
  const mount = (args: string[], at: string) => {
    const r = run("/bin/mount", [...args, at]);
    if (!r.ok)
      throw new Error(
        `slurm-local: slurmd needs a cgroup tree at ${CGROUP_ROOT} and none is mounted; mounting ${at} failed: ${r.err.trim()} (mount a cgroup file system there, e.g. as the host does, and start again)`,
      );
    made.push(at);
  };
  fs.mkdirSync(CGROUP_ROOT, { recursive: true });
  mount(["-t", "tmpfs", "-o", "mode=755", "georepro-slurm-cgroup"], CGROUP_ROOT);
  try {
    fs.mkdirSync(path.join(CGROUP_ROOT, "systemd"));
    mount(["-t", "cgroup", "-o", "none,name=systemd", "georepro-slurm-cgroup"], path.join(CGROUP_ROOT, "systemd"));
  } catch (e) {
    unmountAll(made);
    throw e;
  }
  return made;
}

function unmountAll(points: string[]): void {
  for (const at of points.slice().reverse()) run("/bin/umount", [at]);
}

/** The first ancestor of `dir` that other users cannot traverse (no o+x), or null. */
export function closedAncestor(dir: string): string | null {
  for (let a = path.dirname(path.resolve(dir)); ; a = path.dirname(a)) {
    if ((fs.statSync(a).mode & 0o001) === 0) return a;
    if (a === path.dirname(a)) return null;
  }
}

/**
 * Start munged, slurmctld and slurmd for a cluster in `dir` (created if needed; it must not hold a
 * running cluster) and wait until sinfo shows the node idle. On failure every daemon started here is
 * stopped before the error (with the daemons' last log lines) is thrown.
 */
export async function startCluster(dir: string, opts: StartOptions = {}): Promise<void> {
  const missing = missingTools();
  if (missing) throw new Error(`slurm-local: cannot start a cluster: ${missing}`);
  const l = layout(dir);
  const running = DAEMONS.filter((d) => daemonPid(dir, d) !== null);
  if (running.length) throw new Error(`slurm-local: ${l.dir} already runs ${running.join(", ")}; stop it first`);
  const say = opts.log ?? (() => {});
  const timeoutMs = (opts.timeoutS ?? 60) * 1000;
  const munge = userId("munge")!;
  try {
    // The folder: traversable by munge, which owns its own subfolder (munged refuses lax permissions).
    fs.mkdirSync(l.dir, { recursive: true });
    fs.chmodSync(l.dir, 0o755);
    const closed = closedAncestor(l.dir);
    // munged runs as the munge user where it can reach the folder. Where an ancestor is closed to
    // other users (a chroot whose "/" is 0700, as fresh-machine's is) it runs as root with --force,
    // which turns its "socket is inaccessible" check into a warning: the key stays private to root.
    const owner = closed ? { uid: 0, gid: 0 } : munge;
    for (const d of [l.state, l.spool, l.logs]) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    fs.rmSync(l.munge, { recursive: true, force: true });
    fs.mkdirSync(l.munge, { mode: 0o755 }); // clients need to reach the socket; the key itself is 0600
    fs.writeFileSync(l.mungeKey, randomBytes(1024), { mode: 0o600 });
    for (const p of [l.munge, l.mungeKey]) fs.chownSync(p, owner.uid, owner.gid);

    const mungedArgs = [
      `--socket=${l.mungeSocket}`,
      `--key-file=${l.mungeKey}`,
      `--pid-file=${l.mungePid}`,
      `--log-file=${l.mungeLog}`,
      `--seed-file=${l.mungeSeed}`,
    ];
    say(closed ? `starting munged as root (${closed} is closed to the munge user)` : "starting munged (own key and socket)");
    const m = closed
      ? run(TOOLS.munged, ["--force", ...mungedArgs])
      : run(TOOLS.runuser, ["-u", "munge", "--", TOOLS.munged, ...mungedArgs]);
    if (!m.ok) throw new Error(`slurm-local: munged did not start: ${m.err}\n${tail(l.mungeLog)}`);
    await waitFor(
      "munged answering",
      () => {
        const cred = run(TOOLS.munge, ["-n", "-S", l.mungeSocket]);
        return (
          cred.ok &&
          /STATUS:\s+Success/.test(run("/bin/sh", ["-c", `"${TOOLS.unmunge}" -S "${l.mungeSocket}" <<'EOF'\n${cred.out}\nEOF`]).out)
        );
      },
      timeoutMs,
      () => tail(l.mungeLog),
    );

    const host = shortHost();
    const cpus = opts.nodeCpus ?? os.availableParallelism?.() ?? os.cpus().length;
    // Slurm drains a node that has less memory than configured: ask for 90 % of what there is.
    const memoryMb = Math.max(64, Math.floor((os.totalmem() / 2 ** 20) * 0.9));
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    fs.writeFileSync(l.conf, slurmConf(l, { host, cpus, memoryMb, ctldPort, slurmdPort }));

    say(`starting slurmctld (${host}, port ${ctldPort})`);
    const c = run(TOOLS.slurmctld, ["-f", l.conf]);
    if (!c.ok) throw new Error(`slurm-local: slurmctld did not start: ${c.err}\n${tail(path.join(l.logs, "slurmctld.log"))}`);
    await waitFor(
      "slurmctld answering",
      () => run(TOOLS.scontrol, ["ping"], clusterEnv(dir), 10_000).out.includes("UP"),
      timeoutMs,
      () => tail(path.join(l.logs, "slurmctld.log")),
    );

    const cgroups = mountCgroupsForSlurmd();
    if (cgroups.length) {
      fs.writeFileSync(l.cgroupMounts, cgroups.join("\n") + "\n");
      say(`mounted ${cgroups.join(" and ")} for slurmd (no cgroup file system was mounted)`);
    }
    say(`starting slurmd (${cpus} CPUs, ${memoryMb} MB, port ${slurmdPort})`);
    const s = run(TOOLS.slurmd, ["-f", l.conf, "-N", host]);
    if (!s.ok) throw new Error(`slurm-local: slurmd did not start: ${s.err}\n${tail(path.join(l.logs, "slurmd.log"))}`);
    await waitFor(
      "the node idle in sinfo",
      () => /^idle/.test(nodeState(dir) ?? ""),
      timeoutMs,
      () =>
        `sinfo: ${nodeState(dir)}\nslurmd.log:\n${tail(path.join(l.logs, "slurmd.log"))}\nslurmctld.log:\n${tail(path.join(l.logs, "slurmctld.log"))}`,
    );
    say("the node is idle");
  } catch (e) {
    const stopped = await stopCluster(dir);
    const note = stopped.length ? ` (stopped what it had started: ${stopped.join(", ")})` : "";
    throw new Error(`${(e as Error).message}${note}`);
  }
}

/**
 * Stop the daemons `start` started in `dir` — only those whose pid file names a live process of that
 * name — slurmd first, munged last; SIGTERM, then SIGKILL after 10 s. Returns what it stopped.
 */
export async function stopCluster(dir: string): Promise<string[]> {
  const stopped: string[] = [];
  for (const d of ["slurmd", "slurmctld", "munged"] as const) {
    const pid = daemonPid(dir, d);
    if (pid === null) continue;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      continue;
    }
    const t0 = Date.now();
    while (daemonPid(dir, d) !== null && Date.now() - t0 < 10_000) await sleep(100);
    if (daemonPid(dir, d) !== null) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
      while (daemonPid(dir, d) !== null && Date.now() - t0 < 15_000) await sleep(100);
    }
    stopped.push(`${d} (pid ${pid})`);
  }
  const l = layout(dir);
  if (fs.existsSync(l.cgroupMounts)) {
    unmountAll(fs.readFileSync(l.cgroupMounts, "utf8").split("\n").filter(Boolean));
    fs.rmSync(l.cgroupMounts);
  }
  return stopped;
}

export function clusterStatus(dir: string): { daemons: Record<Daemon, number | null>; node: string | null } {
  const daemons = Object.fromEntries(DAEMONS.map((d) => [d, daemonPid(dir, d)])) as Record<Daemon, number | null>;
  return { daemons, node: daemons.slurmctld ? nodeState(dir) : null };
}

if (require.main === module) {
  const [cmd, dir] = process.argv.slice(2);
  const usage = "usage: slurm-local start|stop|status|env DIR";
  if (!cmd || !dir) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  const main = async (): Promise<number> => {
    switch (cmd) {
      case "start":
        await startCluster(dir, { log: (s) => process.stderr.write(`slurm-local: ${s}\n`) });
        process.stdout.write(`export SLURM_CONF=${layout(dir).conf}\n`);
        return 0;
      case "stop": {
        const stopped = await stopCluster(dir);
        process.stderr.write(
          `slurm-local: stopped ${stopped.length ? stopped.join(", ") : "nothing (no daemon of this folder was running)"}\n`,
        );
        return 0;
      }
      case "status": {
        const s = clusterStatus(dir);
        for (const [d, pid] of Object.entries(s.daemons)) process.stdout.write(`${d}: ${pid ? `running (pid ${pid})` : "not running"}\n`);
        process.stdout.write(`node: ${s.node ?? "—"}\n`);
        return s.daemons.slurmctld && s.daemons.slurmd && s.daemons.munged ? 0 : 1;
      }
      case "env":
        process.stdout.write(`export SLURM_CONF=${layout(dir).conf}\n`);
        return 0;
      default:
        process.stderr.write(`${usage}\n`);
        return 2;
    }
  };
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
