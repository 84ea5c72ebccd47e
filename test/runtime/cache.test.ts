import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedDir, cachedJson } from "../../lib/runtime/cache";
import { keyOf } from "../../lib/runtime/hash";

test("cachedJson computes once per key", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cache-"));
  let calls = 0;
  const f = () => {
    calls++;
    return { v: 42 };
  };
  assert.deepEqual(await cachedJson(dir, "demo", { a: 1, b: 2 }, f), { v: 42 });
  assert.deepEqual(await cachedJson(dir, "demo", { b: 2, a: 1 }, f), { v: 42 }); // key order does not matter
  assert.equal(calls, 1);
  await cachedJson(dir, "demo", { a: 1, b: 3 }, f);
  assert.equal(calls, 2);
  assert.equal(keyOf({ a: 1, b: 2 }), keyOf({ b: 2, a: 1 }));
});

test("cachedDir leaves no entry when the build fails, and reuses a complete one", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cache-"));
  await assert.rejects(
    cachedDir(dir, "models", { seed: 1 }, (tmp) => {
      fs.writeFileSync(path.join(tmp, "half"), "x");
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.deepEqual(fs.existsSync(path.join(dir, "models")) ? fs.readdirSync(path.join(dir, "models")) : [], []);
  let builds = 0;
  const build = (tmp: string) => {
    builds++;
    fs.writeFileSync(path.join(tmp, "weights.bin"), "w");
  };
  const e1 = await cachedDir(dir, "models", { seed: 1 }, build);
  const e2 = await cachedDir(dir, "models", { seed: 1 }, build);
  assert.equal(builds, 1);
  assert.equal(e1.dir, e2.dir);
  assert.equal(fs.readFileSync(path.join(e1.dir, "weights.bin"), "utf8"), "w");
  await assert.rejects(cachedDir(dir, "../escape", {}, build), /bad kind/);
});

test("two writers of one entry: the first rename wins, the second keeps it and leaves nothing behind", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cache-race-"));
  // Writer 2 starts building before writer 1 publishes, and finishes after: both build, one entry stays.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = cachedDir(dir, "models", { seed: 9 }, async (tmp) => {
    fs.writeFileSync(path.join(tmp, "weights.bin"), "same bytes");
    await gate;
  });
  const fast = await cachedDir(dir, "models", { seed: 9 }, (tmp) => fs.writeFileSync(path.join(tmp, "weights.bin"), "same bytes"));
  release();
  const second = await slow;
  assert.equal(second.dir, fast.dir);
  assert.equal(fs.readFileSync(path.join(fast.dir, "weights.bin"), "utf8"), "same bytes");
  assert.deepEqual(fs.readdirSync(path.join(dir, "models")), [path.basename(fast.dir)], "no temporary left");
  // An incomplete folder in the entry's place (an older layout) is replaced, not trusted.
  const entry = await cachedDir(dir, "other", { k: 1 }, (tmp) => fs.writeFileSync(path.join(tmp, "f"), "1"));
  fs.rmSync(path.join(entry.dir, ".complete"));
  const again = await cachedDir(dir, "other", { k: 1 }, (tmp) => fs.writeFileSync(path.join(tmp, "f"), "2"));
  assert.equal(fs.readFileSync(path.join(again.dir, "f"), "utf8"), "2");
  assert.ok(fs.existsSync(path.join(again.dir, ".complete")));
  assert.deepEqual(fs.readdirSync(path.join(dir, "other")), [path.basename(again.dir)]);
});
