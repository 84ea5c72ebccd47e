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
