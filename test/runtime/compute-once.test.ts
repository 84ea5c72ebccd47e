/**
 * Compute-once across processes: two processes that need one cache entry at
 * the same time compute it once, the other waits and reads it; a lock left by
 * a dead process is taken over; a waiting process frees its core for a helper.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedJson, cachedDir } from "../../lib/runtime/cache";
import { computeOnce, waitingCount } from "../../lib/runtime/compute-once";
import { helperWanted } from "../../lib/training/engine/parallel";

const cacheModule = JSON.stringify(path.resolve(__dirname, "../../lib/runtime/cache.js"));

/** A process that asks for one entry whose computation takes `ms` and leaves a mark per computation. */
function asker(cacheDir: string, marks: string, ms: number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  const script = `
    const fs = require("node:fs");
    const { cachedJson } = require(${cacheModule});
    cachedJson(${JSON.stringify(cacheDir)}, "demo", { k: 1 }, async () => {
      fs.appendFileSync(${JSON.stringify(marks)}, process.pid + "\\n");
      await new Promise((r) => setTimeout(r, ${ms}));
      return { answer: 42, pid: process.pid };
    }).then((v) => process.stdout.write(JSON.stringify(v)));`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

test("two processes that need the same entry at once compute it once; both get the stored value", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "once-"));
  const marks = path.join(dir, "marks");
  const [a, b] = await Promise.all([asker(path.join(dir, "cache"), marks, 1500), asker(path.join(dir, "cache"), marks, 1500)]);
  assert.equal(a.code, 0);
  assert.equal(b.code, 0);
  assert.equal(fs.readFileSync(marks, "utf8").trim().split("\n").length, 1, "computed by one process only");
  assert.deepEqual(JSON.parse(a.out), JSON.parse(b.out));
  assert.equal(fs.readdirSync(path.join(dir, "cache", "demo")).filter((f) => f.endsWith(".lock")).length, 0, "the lock is released");
});

test("a lock left by a dead process is taken over", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "once-stale-"));
  // A pid that is not running: a finished child's.
  const dead = await new Promise<number>((resolve) => {
    const c = spawn(process.execPath, ["-e", ""]);
    c.on("exit", () => resolve(c.pid!));
  });
  const lock = path.join(dir, "entry.lock");
  fs.writeFileSync(lock, `${dead}\n`);
  let ran = 0;
  const computed = await computeOnce(
    lock,
    () => false,
    async () => void ran++,
    "demo entry",
  );
  assert.equal(computed, true);
  assert.equal(ran, 1);
  assert.equal(fs.existsSync(lock), false);
});

test("an entry completed while waiting is read, not recomputed; the waiter counts as a free core meanwhile", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "once-wait-"));
  const slots = path.join(dir, "volatile", "free-slots");
  fs.mkdirSync(path.dirname(slots), { recursive: true });
  fs.writeFileSync(slots, "0\n");
  const env = { GEOREPRO_SLOTS_FILE: slots, GEOREPRO_TRAIN_WORKERS: "auto" };
  const lock = path.join(dir, "entry.lock");
  fs.writeFileSync(lock, `${process.ppid}\n`); // held by a live process that is not us
  let done = false;
  const saved = process.env.GEOREPRO_SLOTS_FILE;
  process.env.GEOREPRO_SLOTS_FILE = slots;
  try {
    assert.equal(helperWanted(env), false, "no free slot, nobody waiting");
    const waiting = computeOnce(
      lock,
      () => done,
      async () => assert.fail("must not compute"),
      "demo entry",
    );
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(waitingCount(env), 1);
    assert.equal(helperWanted(env), true, "a waiting notebook leaves its core free");
    done = true;
    assert.equal(await waiting, false);
    assert.equal(waitingCount(env), 0);
  } finally {
    if (saved === undefined) delete process.env.GEOREPRO_SLOTS_FILE;
    else process.env.GEOREPRO_SLOTS_FILE = saved;
  }
});

test("cachedJson returns the stored value also to the process that computed it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "once-json-"));
  const v = await cachedJson(dir, "demo", { k: 2 }, () => ({ n: -0, missing: undefined, list: [1, NaN] }));
  assert.deepEqual(v, { n: 0, list: [1, null] }, "exactly what a later reader gets");
  const e = await cachedDir(dir, "demo-dir", { k: 3 }, (tmp) => fs.writeFileSync(path.join(tmp, "f"), "x"));
  assert.equal(fs.readFileSync(path.join(e.dir, "f"), "utf8"), "x");
});

test("an empty lock is one being created: waited for while fresh, taken over once it has stayed empty too long", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "once-empty-"));
  const lock = path.join(dir, "entry.lock");
  fs.writeFileSync(lock, "");
  let done = false;
  setTimeout(() => (done = true), 400);
  assert.equal(
    await computeOnce(
      lock,
      () => done,
      async () => assert.fail("a fresh empty lock's owner is still writing its pid"),
      "demo entry",
    ),
    false,
  );
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(lock, old, old);
  let ran = 0;
  assert.equal(
    await computeOnce(
      lock,
      () => false,
      async () => void ran++,
      "demo entry",
    ),
    true,
  );
  assert.equal(ran, 1);
});
