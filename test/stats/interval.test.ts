import { test } from "node:test";
import assert from "node:assert/strict";
import { percentileInterval, quantileSorted } from "../../lib/stats/interval";
import { meanSd } from "../../lib/stats/summary";

test("percentile interval = numpy.percentile(..., [2.5, 97.5]) (linear interpolation)", () => {
  // numpy: np.percentile([3,1,4,1,5,9,2,6], [2.5, 97.5]) → [1.0, 8.475]; np.arange(11) → [0.25, 9.75]
  const a = percentileInterval([3, 1, 4, 1, 5, 9, 2, 6]);
  assert.ok(Math.abs(a.lo - 1) < 1e-12 && Math.abs(a.hi - 8.475) < 1e-12, JSON.stringify(a));
  const b = percentileInterval(Array.from({ length: 11 }, (_, i) => i));
  assert.ok(Math.abs(b.lo - 0.25) < 1e-12 && Math.abs(b.hi - 9.75) < 1e-12, JSON.stringify(b));
  assert.equal(quantileSorted([5], 0.3), 5);
});

test("bad intervals and summaries are refused, naming what is wrong", () => {
  assert.throws(() => percentileInterval([1, 2, 3], 1), /level must be in \(0, 1\)/);
  assert.throws(() => percentileInterval([1, NaN, 3]), /not finite/);
  assert.throws(() => quantileSorted([], 0.5), /no values/);
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
