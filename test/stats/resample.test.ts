import { test } from "node:test";
import assert from "node:assert/strict";
import { stream } from "../../lib/runtime/rng";
import { indexSampler } from "../../lib/stats/resample";

test("index sampler: xoshiro128** draws as the reference recurrence, across calls of any size", () => {
  // Reference: the generator written out plainly, its state seeded as indexSampler seeds it.
  const seedRng = stream(9, "sampler");
  const st = [0, 0, 0, 0].map((_, i) => Math.floor(seedRng.next() * 2 ** 32) | 0 | (i === 3 ? 1 : 0));
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  const ref = (n: number) =>
    Array.from({ length: n }, () => {
      const r = Math.imul(rotl(Math.imul(st[1], 5), 7), 9) >>> 0;
      const t = st[1] << 9;
      st[2] ^= st[0];
      st[3] ^= st[1];
      st[1] ^= st[2];
      st[0] ^= st[3];
      st[2] ^= t;
      st[3] = rotl(st[3], 11);
      return Math.floor((r / 4294967296) * n);
    });
  const s = indexSampler(stream(9, "sampler"));
  for (const n of [1, 7, 1000, 5]) assert.deepEqual(Array.from(s.draw(n, new Int32Array(n))), ref(n));
  assert.throws(() => s.draw(0, new Int32Array(1)), /positive integer/);
  assert.throws(() => s.draw(4, new Int32Array(3)), /holds 3 < 4/);
});
