import { test } from "node:test";
import assert from "node:assert/strict";
import { decisiveReading, jointReadingP, readingP, verdictAt, verdictOf, type Expectation } from "../../lib/stats/verdict";
import { intervalAt } from "../../lib/stats/two-level";
import { holm, holmLevel } from "../../lib/stats/multiplicity";
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

test("each reading's p-value agrees with its interval: p ≤ α ⇔ the (1 − α) interval shows that verdict", () => {
  const expects: Expectation[] = [{ kind: "positive" }, { kind: "negative" }, { kind: "equivalent", margin: 0.02 }];
  const estimates = [-0.05, -0.021, -0.01, 0, 0.004, 0.019, 0.03, 0.08];
  for (const expect of expects)
    for (const estimate of estimates)
      for (const se of [0.004, 0.01, 0.03])
        for (const df of [2, 7.5, Infinity])
          for (const alpha of [0.05, 0.01, 0.2]) {
            const e = { estimate, se, df };
            const p = readingP(e, expect);
            const ci = intervalAt(e, 1 - alpha);
            const fromCi = verdictOf(ci, expect);
            const fromP = verdictAt(p, alpha);
            // Exactly on a boundary the two may differ by rounding; none of these points is.
            assert.equal(
              fromP,
              fromCi,
              `${expect.kind} d=${estimate} se=${se} df=${df} α=${alpha}: p ${JSON.stringify(p)}, CI [${ci.lo}, ${ci.hi}]`,
            );
          }
});

test("a claim over several comparisons: holds needs every one (max p), contradicted one at the Bonferroni level (m · min p)", () => {
  const pos = { kind: "positive" } as const;
  const hold = readingP({ estimate: 0.03, se: 0.01, df: Infinity }, pos);
  const weak = readingP({ estimate: 0.01, se: 0.01, df: Infinity }, pos);
  const against = readingP({ estimate: -0.025, se: 0.01, df: Infinity }, pos);
  assert.equal(verdictAt(jointReadingP([hold, hold]), 0.05), "holds");
  assert.equal(verdictAt(jointReadingP([hold, weak]), 0.05), "inconclusive");
  const j = jointReadingP([hold, against, weak]);
  assert.ok(Math.abs(j.contradicted - 3 * against.contradicted) < 1e-15);
  assert.equal(verdictAt(j, 0.05), "contradicted", `p = ${j.contradicted}`);
  // Contradicted at 95 % alone (p ≈ 0.012) but not at the Bonferroni level over 5 comparisons.
  assert.equal(verdictAt(jointReadingP([hold, against, hold, hold, hold]), 0.05), "inconclusive");
  assert.deepEqual(decisiveReading({ holds: 0.2, contradicted: 0.01 }), { reading: "contradicted", p: 0.01 });
  assert.throws(() => jointReadingP([]), /no components/);
});

test("Holm's step-down rule on constructed p-values: adjusted p, ranks, and levels", () => {
  // m = 5: sorted 0.001, 0.01, 0.012, 0.04, 0.3 → 5·0.001, 4·0.01, max(.., 3·0.012), max(.., 2·0.04), max(.., 0.3).
  const p = [0.04, 0.001, 0.3, 0.012, 0.01];
  const h = holm(p);
  const want = [0.08, 0.005, 0.3, 0.04, 0.04];
  h.adjusted.forEach((a, i) => assert.ok(Math.abs(a - want[i]) < 1e-15, `p ${p[i]}: adjusted ${a}, want ${want[i]}`));
  assert.deepEqual(h.rank, [4, 1, 5, 3, 2]);
  // At α = 0.05: the three smallest are rejected, 0.04 is not (2 · 0.04 = 0.08), nor 0.3.
  assert.deepEqual(
    h.adjusted.map((a) => a <= 0.05),
    [false, true, false, true, true],
  );
  // Monotone: a larger raw p never gets a smaller adjusted p; every adjusted p ≥ its raw p and ≤ 1.
  const big = holm(Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) / 400));
  big.adjusted.forEach((a, i) => assert.ok(a >= ((i * 17) % 40) / 400 && a <= 1));
  assert.deepEqual(holm([0.6, 0.7]).adjusted, [1, 1], "capped at 1, and the step-down max carries the first row's 1 forward");
  assert.ok(Math.abs(holmLevel(0.05, 5, 1) - 0.99) < 1e-15);
  assert.ok(Math.abs(holmLevel(0.05, 5, 5) - 0.95) < 1e-15);
  assert.throws(() => holm([0.1, 1.2]), /p-value 1 is 1.2/);
  assert.deepEqual(holm([]), { adjusted: [], rank: [], m: 0 });
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
