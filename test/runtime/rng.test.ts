import { test } from "node:test";
import assert from "node:assert/strict";
import { stream, streamKey } from "../../lib/runtime/rng";

const draw = (seed: number, name: string, n = 20) => {
  const r = stream(seed, name);
  return Array.from({ length: n }, () => r.next());
};

test("same seed and name give identical numbers", () => {
  assert.deepEqual(draw(7, "split"), draw(7, "split"));
});

test("different seeds give different numbers", () => {
  assert.notDeepEqual(draw(7, "split"), draw(8, "split"));
});

test("named streams are independent: drawing from one does not move another", () => {
  const a1 = stream(3, "a");
  const b1 = stream(3, "b");
  for (let i = 0; i < 100; i++) b1.next();
  const a2 = stream(3, "a");
  assert.equal(a1.next(), a2.next());
  assert.notDeepEqual(draw(3, "a"), draw(3, "b"));
});

test("fork gives reproducible child streams distinct from the parent", () => {
  const x = stream(1, "p").fork("c").next();
  assert.equal(stream(1, "p").fork("c").next(), x);
  assert.notEqual(stream(1, "p").fork("d").next(), x);
  assert.notEqual(stream(1, "p").next(), x);
});

test("shuffle is a seeded permutation", () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const s1 = stream(5, "shuffle").shuffle(items);
  assert.deepEqual(s1, stream(5, "shuffle").shuffle(items));
  assert.deepEqual(
    [...s1].sort((a, b) => a - b),
    items,
  );
  assert.notDeepEqual(s1, items);
  assert.notDeepEqual(s1, stream(6, "shuffle").shuffle(items));
});

test("int, weighted, normal and seedInt stay in range and follow the weights", () => {
  const r = stream(11, "dist");
  const counts = [0, 0, 0];
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < 20000; i++) {
    const k = r.int(3);
    assert.ok(k >= 0 && k < 3);
    counts[r.weighted([1, 0, 3])]++;
    const z = r.normal();
    sum += z;
    sumSq += z * z;
    const s = r.seedInt();
    assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 31);
  }
  assert.equal(counts[1], 0);
  assert.ok(Math.abs(counts[2] / counts[0] - 3) < 0.3, `weights 1:3 gave ${counts}`);
  assert.ok(Math.abs(sum / 20000) < 0.05);
  assert.ok(Math.abs(sumSq / 20000 - 1) < 0.05);
});

test("bad arguments are rejected with the stream's name", () => {
  assert.throws(() => stream(1.5, "x"), /root seed must be an integer/);
  assert.throws(() => stream(1, "named").int(0), /rng\(named\)\.int/);
  assert.throws(() => stream(1, "w").weighted([0, 0]), /sum to 0/);
  assert.throws(() => stream(1, "c").choice([]), /empty/);
  assert.match(streamKey(1, "x"), /^[0-9a-f]{64}$/);
});
