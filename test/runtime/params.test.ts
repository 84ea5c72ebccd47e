import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadParams, seedList, splitSeedList, seedCount, splitCount, DEFAULT_PARAMS } from "../../lib/runtime/params";

const clean: NodeJS.ProcessEnv = {};

test("defaults apply when nothing is set", () => {
  const p = loadParams(clean);
  assert.equal(p.seed, DEFAULT_PARAMS.seed);
  assert.equal(p.scale, "default");
  assert.ok(path.isAbsolute(p.outDir));
});

test("environment overrides a JSON params file, which overrides defaults", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "params-"));
  const file = path.join(dir, "p.json");
  fs.writeFileSync(file, JSON.stringify({ seed: 5, scale: "tiny", seeds: 2, $comment: "ignored" }));
  const fromFile = loadParams({ GEOREPRO_PARAMS: file });
  assert.equal(fromFile.seed, 5);
  assert.equal(fromFile.scale, "tiny");
  assert.deepEqual(seedList(fromFile), [5, 6]);
  const fromEnv = loadParams({ GEOREPRO_PARAMS: file, GEOREPRO_SEED: "7", GEOREPRO_OUT: dir });
  assert.equal(fromEnv.seed, 7);
  assert.equal(fromEnv.scale, "tiny");
  assert.equal(fromEnv.outDir, dir);
});

test("bad values name their source and field", () => {
  assert.throws(() => loadParams({ GEOREPRO_SEED: "abc" }), /environment GEOREPRO_SEED: seed: expected a non-negative integer/);
  assert.throws(() => loadParams({ GEOREPRO_SCALE: "huge" }), /scale: expected one of tiny, default, paper/);
  assert.throws(() => loadParams({ GEOREPRO_SEEDS: "-1" }), /seeds: expected a non-negative integer \(0 = the scale's default\)/);
  assert.throws(() => loadParams({ GEOREPRO_SPLITS: "two" }), /environment GEOREPRO_SPLITS: splits: expected a non-negative integer/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "params-"));
  const file = path.join(dir, "bad.json");
  fs.writeFileSync(file, JSON.stringify({ sead: 1 }));
  assert.throws(() => loadParams({ GEOREPRO_PARAMS: file }), new RegExp(`${file}: unknown field "sead"`));
  fs.writeFileSync(file, "{not json");
  assert.throws(() => loadParams({ GEOREPRO_PARAMS: file }), /not a JSON object/);
  assert.throws(() => loadParams({ GEOREPRO_PARAMS: path.join(dir, "missing.json") }), /cannot read the parameters file/);
});

test("seeds and splits default per scale: 3 seeds and 10 local-words splits at the default scale; explicit values win", () => {
  const d = loadParams(clean);
  assert.equal(seedCount(d), 3);
  assert.equal(splitCount(d), 10);
  assert.deepEqual(seedList(d), [1, 2, 3]);
  assert.equal(splitSeedList(d).length, 10);
  assert.equal(seedCount(loadParams({ GEOREPRO_SCALE: "tiny" })), 2);
  const explicit = loadParams({ GEOREPRO_SEEDS: "5", GEOREPRO_SPLITS: "12", GEOREPRO_SEED: "4" });
  assert.deepEqual(seedList(explicit), [4, 5, 6, 7, 8]);
  assert.equal(splitSeedList(explicit).length, 12);
});
