import { test } from "node:test";
import assert from "node:assert/strict";
import { bonferroniLevel, jointVerdict, verdictOf } from "../../lib/stats/verdict";
import { majorityClass, majorityClassPredictions, stratifiedRandomPredictions } from "../../lib/stats/floors";
import { stream } from "../../lib/runtime/rng";

test("verdict from the CI of a difference: holds / contradicted / inconclusive, both directions", () => {
  const pos = { kind: "positive" } as const;
  const neg = { kind: "negative" } as const;
  assert.equal(verdictOf({ lo: 0.01, hi: 0.05 }, pos), "holds");
  assert.equal(verdictOf({ lo: -0.05, hi: -0.01 }, pos), "contradicted");
  assert.equal(verdictOf({ lo: -0.01, hi: 0.05 }, pos), "inconclusive");
  assert.equal(verdictOf({ lo: 0, hi: 0.05 }, pos), "inconclusive", "a CI touching 0 does not exclude it");
  assert.equal(verdictOf({ lo: -0.3, hi: -0.1 }, neg), "holds", "lower Mean km: the paper expects A − B < 0");
  assert.equal(verdictOf({ lo: 0.1, hi: 0.3 }, neg), "contradicted");
});

test("equivalence verdict with a margin (TOST in CI form)", () => {
  const eq = { kind: "equivalent", margin: 0.02 } as const;
  assert.equal(verdictOf({ lo: -0.01, hi: 0.015 }, eq), "holds");
  assert.equal(verdictOf({ lo: 0.03, hi: 0.06 }, eq), "contradicted");
  assert.equal(verdictOf({ lo: -0.08, hi: -0.025 }, eq), "contradicted");
  assert.equal(verdictOf({ lo: -0.01, hi: 0.03 }, eq), "inconclusive");
  assert.throws(() => verdictOf({ lo: 0, hi: 0 }, { kind: "equivalent", margin: 0 }), /margin must be > 0/);
  assert.throws(() => verdictOf({ lo: 1, hi: 0 }, eq), /not an interval/);
});

test("joint verdict over several comparisons: all must hold; contradicted needs the Bonferroni interval", () => {
  const pos = { kind: "positive" } as const;
  const hold = { lo: 0.01, hi: 0.04 };
  const barelyNeg = { lo: -0.05, hi: -0.001 };
  assert.equal(jointVerdict([hold, hold], [hold, hold], pos), "holds");
  assert.equal(
    jointVerdict([hold, barelyNeg], [hold, { lo: -0.06, hi: 0.002 }], pos),
    "inconclusive",
    "contradicted only at the nominal level",
  );
  assert.equal(jointVerdict([hold, barelyNeg], [hold, { lo: -0.06, hi: -0.0005 }], pos), "contradicted");
  assert.equal(jointVerdict([hold, { lo: -0.01, hi: 0.02 }], [hold, { lo: -0.02, hi: 0.03 }], pos), "inconclusive");
  assert.ok(Math.abs(bonferroniLevel(0.95, 6) - (1 - 0.05 / 6)) < 1e-15);
  assert.throws(() => jointVerdict([], [], pos), /0 nominal and 0 adjusted/);
});

test("chance floors: majority class (ties → smallest label) and stratified random from the training distribution", () => {
  assert.equal(majorityClass([2, 1, 2, 1, 0]), 1);
  assert.deepEqual([...majorityClassPredictions([3, 3, 0], 4)], [3, 3, 3, 3]);
  const pred = stratifiedRandomPredictions([0, 0, 0, 1], 4000, stream(1, "floor"));
  const share1 = pred.filter((p) => p === 1).length / 4000;
  assert.ok(Math.abs(share1 - 0.25) < 0.03, String(share1));
  assert.deepEqual(
    [...stratifiedRandomPredictions([0, 1], 10, stream(1, "f"))],
    [...stratifiedRandomPredictions([0, 1], 10, stream(1, "f"))],
  );
  assert.throws(() => majorityClass([]), /no training labels/);
  assert.throws(() => majorityClass([0, -1]), /training label 1 is -1/);
});
