import { test } from "node:test";
import assert from "node:assert/strict";
import { meanSd } from "../../lib/stats/summary";

test("bad summaries are refused, naming what is wrong", () => {
  assert.throws(() => meanSd([]), /empty/);
  assert.throws(() => meanSd([1, Infinity]), /item 1/);
});

test("mean ± sd over seeds uses the sample sd (numpy ddof=1); one seed has sd 0", () => {
  const s = meanSd([0.71, 0.68, 0.74]);
  assert.ok(Math.abs(s.mean - 0.71) < 1e-12);
  assert.ok(Math.abs(s.sd - 0.03) < 1e-12, String(s.sd));
  assert.deepEqual(meanSd([0.5]), { mean: 0.5, sd: 0, n: 1 });
  assert.ok(Math.abs(meanSd([1, 2, 3, 4]).sd - 1.2909944487358056) < 1e-15, "numpy.std([1,2,3,4], ddof=1)");
});
