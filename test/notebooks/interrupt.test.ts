/**
 * Interrupting a run: the real runner, nbclient and tslab kernels on three small notebooks
 * (A finishes, B is inside a cache entry's build when the signal comes, C waits for B). Ctrl-C
 * (SIGINT to the whole process group) and SIGTERM to the runner alone must each end the run with
 * one line saying what finished and what did not, no traceback, no kernel left, nothing
 * half-written in the cache or the results; the next run resumes from the cached work.
 * The sweep itself is tested on files it makes (no Jupyter needed).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { testNeeding } from "../support/requires";
import { fromRoot } from "../../lib/runtime/paths";
import { HOST, interruptedLine, processAlive, sweepAbandoned, tmpOwner, tmpTag } from "../../lib/runtime/interrupt";
import { writeFileAtomic } from "../../lib/runtime/atomic";
import { JUPYTER_PATH, PYTHON } from "../../scripts/run-notebooks";
import { notebook } from "../support/notebook-file";

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  const pid = Number(r.stdout);
  assert.ok(!processAlive(pid));
  return pid;
}

test("temporaries name their writer; the sweep removes exactly what gone processes of this host left", () => {
  assert.deepEqual(tmpOwner(`abc123.${tmpTag(42)}`), { pid: 42, host: HOST });
  assert.deepEqual(tmpOwner(`.t.csv.${tmpTag(42)}.1700000000000`), { pid: 42, host: HOST });
  assert.deepEqual(tmpOwner(`.02-mrlf.${tmpTag(42)}.html`), { pid: 42, host: HOST });
  assert.deepEqual(tmpOwner("abc123.tmp-42"), { pid: 42, host: null }, "the older cache form");
  assert.deepEqual(tmpOwner(".t.csv.42.1700000000000.tmp"), { pid: 42, host: null }, "the older atomic form");
  assert.equal(tmpOwner("table.csv"), null);
  assert.equal(tmpOwner("tmp-notes.md"), null);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-"));
  const dead = deadPid();
  const kind = path.join(root, "model-x");
  fs.mkdirSync(path.join(kind, "done"), { recursive: true });
  fs.writeFileSync(path.join(kind, "done", ".complete"), "");
  const mk = (rel: string, dir = false) => {
    const p = path.join(root, rel);
    if (dir) fs.mkdirSync(p, { recursive: true });
    else fs.writeFileSync(p, "half");
    return p;
  };
  const gone = [
    mk(`model-x/key1.${tmpTag(dead)}`, true),
    mk(`model-x/done/.history.json.${tmpTag(dead)}.1700000000000`),
    mk(`model-x/key2.tmp-${dead}`, true),
  ];
  fs.writeFileSync(path.join(root, "model-x", "key3.lock"), `${dead}\n`);
  gone.push(path.join(root, "model-x", "key3.lock"));
  const kept = [
    mk(`model-x/key4.${tmpTag(process.pid)}`, true), // a live writer
    mk(`model-x/key5.tmp-${dead}@some-other-host`, true), // another host's: its pid means nothing here
    path.join(kind, "done", ".complete"),
  ];
  fs.writeFileSync(path.join(root, "model-x", "key6.lock"), `${process.pid}\n`);
  kept.push(path.join(root, "model-x", "key6.lock"));
  // Only the listed pids: nothing of `dead` goes when another pid is asked for.
  assert.deepEqual(sweepAbandoned([root], { pids: [process.pid] }), []);
  const removed = sweepAbandoned([root, path.join(root, "missing")]);
  assert.deepEqual(removed.sort(), gone.sort());
  for (const p of kept) assert.ok(fs.existsSync(p), `kept ${p}`);
  // An atomic write leaves no temporary behind.
  writeFileAtomic(path.join(root, "t", "x.csv"), "a\n");
  assert.deepEqual(fs.readdirSync(path.join(root, "t")), ["x.csv"]);
});

test("the interrupted line says what finished, failed, stopped and never started", () => {
  const line = interruptedLine(
    "SIGTERM",
    {
      finished: ["00-datasets"],
      failed: [],
      stopped: [{ name: "01-preprocessing", where: "cell 3/9" }],
      notStarted: ["02-mrlf", "03-ablation"],
    },
    "1 min 2 s",
    "`make reproduce`",
  );
  assert.equal(
    line,
    "interrupted by SIGTERM after 1 min 2 s — finished: 00-datasets; stopped: 01-preprocessing (at cell 3/9); not started: 02-mrlf, 03-ablation. " +
      "Finished work is cached and nothing half-written was left: `make reproduce` resumes from it.",
  );
  assert.equal(line.split("\n").length, 1);
});

const missing = !fs.existsSync(PYTHON)
  ? `${PYTHON} missing`
  : !fs.existsSync(path.join(JUPYTER_PATH, "kernels", "tslab", "kernel.json"))
    ? "project-local tslab kernel missing (run make setup)"
    : null;

const LIB = `const g = require(process.env.GEOREPRO_ROOT + "/dist/lib/index.js");`;
const NOTEBOOKS: Record<string, object> = {
  // A: a cached computation (counted, so a rerun that recomputes it is caught) and a table.
  "97-a": notebook([
    `${LIB}\nconst fs = require("fs");\nconst run = g.startNotebook("97-a");`,
    `const v = await g.cachedJson(run.params.cacheDir, "quick", { k: 1 }, () => { fs.appendFileSync(process.env.TEST_COUNTER, "a\\n"); return { x: 1 }; });\n` +
      `run.table({ name: "interrupt-a", title: "A", dataset: { name: "t", synthetic: true, description: "test" }, columns: [{ key: "x", label: "x", source: "ours" }], rows: [v] });`,
  ]),
  // B: a table, then a cache entry whose build is slow while TEST_SLOW is set: the signal finds it half-built.
  "98-b": notebook(
    [
      `${LIB}\nconst fs = require("fs");\nconst run = g.startNotebook("98-b");\n` +
        `run.table({ name: "interrupt-b", title: "B", dataset: { name: "t", synthetic: true, description: "test" }, columns: [{ key: "x", label: "x", source: "ours" }], rows: [{ x: 2 }] });`,
      `await g.cachedDir(run.params.cacheDir, "slow", { k: 2 }, async (tmp: string) => {\n` +
        `  fs.writeFileSync(tmp + "/part-1", "written before the signal");\n` +
        `  console.log("[interrupt-test] building " + tmp);\n` +
        `  if (process.env.TEST_SLOW) await new Promise((r) => setTimeout(r, 600_000));\n` +
        `  fs.writeFileSync(tmp + "/part-2", "the rest");\n});`,
    ],
    ["97-a"],
  ),
  "99-c": notebook([`${LIB}\ng.startNotebook("99-c");`], ["98-b"]),
};

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  kernels: number[];
}

/** Run the three notebooks; with `interrupt`, send it once B is inside its slow build. */
function runThem(dir: string, env: NodeJS.ProcessEnv, interrupt?: "group-SIGINT" | "runner-SIGTERM"): Promise<Run> {
  return new Promise((resolve, reject) => {
    const files = Object.keys(NOTEBOOKS).map((n) => path.join(dir, `${n}.ipynb`));
    const child = spawn(process.execPath, [fromRoot("dist", "scripts", "run-notebooks.js"), ...files], {
      env: { ...process.env, GEOREPRO_SCALE: "tiny", GEOREPRO_JOBS: "1", ...env },
      detached: true, // its own process group, like a terminal's foreground job: Ctrl-C is a signal to the group
    });
    let stderr = "";
    let sent = false;
    const kernels: number[] = [];
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`the run did not end in time:\n${stderr}`));
    }, 240_000);
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (interrupt && !sent && /\[interrupt-test\] building/.test(stderr)) {
        sent = true;
        // The build has begun: its temporary folder exists now (checked), then the signal.
        const stateFile = path.join(env.GEOREPRO_OUT!, "volatile", "run-state", "98-b.json");
        const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { kernel_pid: number };
        kernels.push(state.kernel_pid);
        const half = fs.readdirSync(path.join(env.GEOREPRO_CACHE!, "slow")).filter((f) => f.includes(".tmp-"));
        assert.equal(half.length, 1, "B's entry is half-built when the signal comes");
        if (interrupt === "group-SIGINT") process.kill(-child.pid!, "SIGINT");
        else child.kill("SIGTERM");
      }
    });
    child.stdout.resume();
    child.on("exit", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr, kernels });
    });
  });
}

/** Every path under `roots` whose name marks a temporary or a lock. */
function leftovers(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (/tmp|\.lock$/.test(e.name)) out.push(p);
      if (e.isDirectory()) walk(p);
    }
  };
  roots.forEach(walk);
  return out;
}

testNeeding(
  "Ctrl-C and SIGTERM stop a run with one line, no traceback, no kernel and nothing half-written; the next run resumes",
  missing ?? false,
  async () => {
    // The notebooks' folder sees no writes while they run: tslab's TypeScript watches the folders of
    // failed module lookups around a notebook, and a burst of changes there kills its kernel
    // ("Unexpected pending rebuildTimer"). Outputs and cache live in a folder of their own.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "interrupt-nb-"));
    for (const [n, nb] of Object.entries(NOTEBOOKS)) fs.writeFileSync(path.join(dir, `${n}.ipynb`), JSON.stringify(nb));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "interrupt-"));
    const out = path.join(work, "out");
    const cache = path.join(work, "cache");
    const counter = path.join(work, "computed-a");
    const env = { GEOREPRO_OUT: out, GEOREPRO_CACHE: cache, TEST_COUNTER: counter, TEST_SLOW: "1" };

    for (const how of ["group-SIGINT", "runner-SIGTERM"] as const) {
      const r = await runThem(dir, env, how);
      const sig = how === "group-SIGINT" ? "SIGINT" : "SIGTERM";
      assert.equal(r.status, sig === "SIGINT" ? 130 : 143, r.stderr);
      const said = r.stderr.split("\n").filter((l) => /interrupted by/.test(l));
      assert.equal(said.length, 1, r.stderr);
      assert.match(
        said[0],
        new RegExp(
          `^run-notebooks: interrupted by ${sig} after .* — finished: 97-a; stopped: 98-b \\(at cell 2/2\\); not started: 99-c\\. .*resumes from it\\.$`,
        ),
      );
      assert.doesNotMatch(r.stderr, /Traceback|Error:|RangeError|INTERRUPTED:/, "no traceback, no second report");
      // The stopped kernel is gone, and so is everything half-written.
      for (const pid of r.kernels) assert.ok(!processAlive(pid), `kernel ${pid} is still running`);
      assert.deepEqual(leftovers([cache, out]), []);
      assert.ok(!fs.existsSync(path.join(cache, "slow")) || fs.readdirSync(path.join(cache, "slow")).length === 0, "no entry of B");
      // What finished is there, whole: A's table and B's (written before the signal).
      assert.match(fs.readFileSync(path.join(out, "tables", "interrupt-a.csv"), "utf8"), /^x\n1/);
      assert.match(fs.readFileSync(path.join(out, "tables", "interrupt-b.csv"), "utf8"), /^x\n2/);
      assert.ok(fs.existsSync(path.join(out, "notebooks", "98-b.ipynb")), "B's partial notebook is kept");
    }

    const rerun = await runThem(dir, { ...env, TEST_SLOW: "" });
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stderr, /ok .*97-a\.ipynb[\s\S]*ok .*98-b\.ipynb[\s\S]*ok .*99-c\.ipynb/);
    assert.equal(fs.readFileSync(counter, "utf8"), "a\n", "A's cached work was computed once, over three runs");
    const slow = fs.readdirSync(path.join(cache, "slow"));
    assert.equal(slow.length, 1);
    assert.deepEqual(fs.readdirSync(path.join(cache, "slow", slow[0])).sort(), [".complete", "key.json", "part-1", "part-2"]);
    assert.deepEqual(leftovers([cache, out]), []);
  },
);
